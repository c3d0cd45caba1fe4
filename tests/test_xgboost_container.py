"""Built-in XGBoost's container checks, every rule by code name, statics and each range kind.

The accepted and refused values below are written from the container's source (aws/sagemaker-xgboost-container
1.7-1, algorithm_mode/hyperparameter_validation.py, and sagemaker_algorithm_toolkit/hyperparameter_validation.py:
Integer parses with int(), Continuous with float(), Interval ends open or closed as declared, Categorical by exact
text, comma-separated lists split on ","); the default job's image is 1.7-1. Each release's own table is held to its
differences from the others at the end.
"""

from __future__ import annotations

import copy
import math
import operator
from fractions import Fraction
from typing import Any

import pytest
from builders import KW, cat, config, cont, found, integer, xgb_job
from conftest import reported
from hypothesis import given, strategies as st

from sagemaker_bridge import translate, validate, validate_request
from sagemaker_bridge.algorithms import xgboost_hyperparameters as spec
from sagemaker_bridge.checks import xgboost_container as container
from sagemaker_bridge.checks.view import view
from sagemaker_bridge.checks.xgboost_container import reading

XGB = dict(training_image=None, region="us-east-1")
R17 = spec.RELEASES["1.7-1"]
STATICS = {"num_round": "100", "objective": "binary:logistic"}
RANGES = {"alpha": cont(0.1, 1.0)}
C = config(RANGES, metric="validation:auc", objective="MAXIMIZE")


def tuning(ranges: dict[str, Any], metric: str = "validation:auc") -> Any:
    return config({**RANGES, **ranges}, metric=metric, objective="MAXIMIZE")


def xgb(statics: dict[str, Any] | None = None, c: Any = None, **kw: Any) -> set[tuple[str, str, str]]:
    problems = validate(xgb_job(), c if c is not None else C,
                        **{**KW, **XGB, "static_hyperparameters": {**STATICS, **(statics or {})}, **kw})
    return found(problems)


# (hyperparameter, accepted texts, refused texts): from the container's declarations
TABLE = [
    ("num_round", ["1", "400", " 7 ", "+3", "1_000"], ["0", "-1", "400.0", "1e3", "ten", ""]),
    ("max_depth", ["0", "10"], ["-1", "6.5"]),
    ("eta", ["0", "0.3", "1", "1e-3", "nan"], ["1.5", "-0.1", "inf", "x"]),
    ("subsample", ["1", "0.5", "1e-9"], ["0", "-0", "1.0001"]),  # (0, 1]
    ("sketch_eps", ["0.5"], ["0", "1"]),  # (0, 1)
    ("tweedie_variance_power", ["1.5", "1.01"], ["1", "2", "2.5"]),  # (1, 2)
    ("scale_pos_weight", ["0.001", "1e6"], ["0", "-1"]),  # (0, +inf)
    ("verbosity", ["0", "3"], ["4", "-1", "True"]),
    ("seed", ["0", "-2147483647", "2147483646"], ["2147483647", "-2147483648"]),  # open at both ends
    ("num_class", ["2", "10"], ["1", "0"]),
    ("booster", ["gbtree", "gblinear", "dart"], ["GBTree", "linear", ""]),
    ("save_model_on_termination", ["true", "false"], ["True", "False", "1"]),
    ("objective", ["binary:logistic", "reg:squarederror", "survival:aft"], ["binary:logisitc", "regression"]),
    ("eval_metric", ["auc", "auc,logloss", "error@0.7", "ndcg@5", "map@2"], ["AUC", "auc,,logloss", "rmse@3",
                                                                           "error@x", "<function f>"]),
    ("updater", ["grow_colmaker,prune", "shotgun"], ["grow_colmaker,typo"]),
    ("monotone_constraints", ["(1,0,-1)", "(0,)"], ["(2,0)", "1", "((1,0)"]),
    ("interaction_constraints", ["[[1, 2], [3]]"], ["[[0, 1]]", "[1, 2]"]),
    ("tree_method", ["auto", "hist", "gpu_hist"], ["gpu", "HIST"]),
]


@pytest.mark.parametrize(("name", "accepted", "refused"), TABLE, ids=[row[0] for row in TABLE])
def test_each_value_is_accepted_or_refused_as_the_container_does(name: str, accepted: list[str], refused: list[str]) -> None:
    h = R17.hyperparameters[name]
    for text in accepted:
        assert reading(h, text) is None, (name, text)
    for text in refused:
        reason = reading(h, text)
        assert reason is not None and reason.text, (name, text)


def container_accepts(name: str, text: str) -> bool:
    """Independent of the package's Interval: the ends as the generated table states them, compared as exact
    fractions, after the toolkit's int() or float()."""
    entry = next(h for h in spec.TABLES["releases"]["1.7-1"]["hyperparameters"] if h["name"] == name)
    try:
        value = int(text) if entry["type"] == "integer" else float(text)
    except ValueError:
        return False
    if math.isnan(value):  # the toolkit's `value < end` and friends are all false for NaN: no end refuses it
        return True
    if math.isinf(value):  # beyond every finite end
        return not any(key.startswith("max" if value > 0 else "min") for key in entry["range"])
    exact, tests = Fraction(value), {"min_open": operator.gt, "min_closed": operator.ge, "max_open": operator.lt,
                                     "max_closed": operator.le}
    return all(tests[key](exact, Fraction(end)) for key, end in entry["range"].items())


NUMERIC = sorted(n for n, h in R17.hyperparameters.items() if h.kind in (spec.INTEGER, spec.CONTINUOUS))
numbers = st.one_of(st.integers(-(2**33), 2**33), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([0, 1, 2, -1, 0.5, 1e-300, 2**31 - 1, -(2**31)]))


@given(name=st.sampled_from(NUMERIC), number=numbers, form=st.sampled_from(["int", "repr", "float", "padded"]))
def test_numbers_in_and_out_of_every_interval(name: str, number: Any, form: str) -> None:
    text = {"int": str(int(number)) if isinstance(number, int) or (isinstance(number, float) and math.isfinite(number))
            else repr(number), "repr": repr(number), "float": str(float(number)), "padded": f" {number} "}[form]
    tuned = {"lambda": cont(0.1, 1.0)} if name == "alpha" else RANGES  # never the name under test
    problems = xgb({name: text}, config(tuned, metric="validation:auc", objective="MAXIMIZE"))
    refused = {code for _, path, code in problems if path == f"static_hyperparameters.{name}"}
    assert bool(refused) == (not container_accepts(name, text)), (name, text, problems)


# ---- every rule by code name --------------------------------------------------------------------------------------

def test_a_clean_xgboost_job() -> None:
    assert xgb({"eval_metric": "auc", "subsample": "0.8", "learning_rate": "0.1"}) == set()


def test_unknown_names_static_and_tuned_with_did_you_mean() -> None:
    problems = xgb({"max_dept": "6"}, tuning({"etta": cont(0.1, 0.2)}))
    assert ("error", "static_hyperparameters.max_dept", "xgboost.unknown_hyperparameter") in problems
    assert ("error", "config.hyperparameter_ranges.etta", "xgboost.unknown_hyperparameter") in problems
    messages = validate(xgb_job(), C, **{**KW, **XGB, "static_hyperparameters": {**STATICS, "max_dept": "6"}})
    assert any('did you mean "max_depth"' in p.message for p in messages)


def test_aliases_are_their_hyperparameters() -> None:
    assert xgb({"reg_alpha": "0.5", "min_split_loss": "1"}) == set()
    assert xgb({"learning_rate": "2"}) == {("error", "static_hyperparameters.learning_rate", "xgboost.value_range")}


def test_the_sdks_python_values_are_refused_as_the_container_refuses_them() -> None:
    assert xgb({"num_round": "400.0", "save_model_on_termination": "True"}) == {
        ("error", "static_hyperparameters.num_round", "xgboost.value_format"),
        ("error", "static_hyperparameters.save_model_on_termination", "xgboost.value_range")}
    # translate() itself writes Python values as the container reads them
    assert xgb({"num_round": 400.0, "save_model_on_termination": True}) == set()


@pytest.mark.parametrize(("ranges", "path", "code"), [
    ({"max_depth": cont(1, 10)}, "config.hyperparameter_ranges.max_depth.continuous_parameter_range",
     "xgboost.range_kind"),
    ({"booster": integer(1, 3)}, "config.hyperparameter_ranges.booster.integer_parameter_range", "xgboost.range_kind"),
    ({"eta": cont(0.1, 1.5)}, "config.hyperparameter_ranges.eta.continuous_parameter_range.max_value",
     "xgboost.value_range"),
    ({"subsample": cont(0, 0.9)}, "config.hyperparameter_ranges.subsample.continuous_parameter_range.min_value",
     "xgboost.value_range"),
    ({"max_depth": integer(-1, 5)}, "config.hyperparameter_ranges.max_depth.integer_parameter_range.min_value",
     "xgboost.value_range"),
    ({"booster": cat("gbtree", "linear")}, "config.hyperparameter_ranges.booster.categorical_parameter_range.values",
     "xgboost.value_range"),
])
def test_ranges_of_each_kind(ranges: dict[str, Any], path: str, code: str) -> None:
    assert ("error", path, code) in xgb(c=tuning(ranges))


def test_a_tuned_name_not_marked_tunable_is_a_warning() -> None:
    assert xgb(c=tuning({"booster": cat("gbtree", "dart")})) == {
        ("warning", "config.hyperparameter_ranges.booster", "xgboost.not_tunable")}


@pytest.mark.parametrize(("statics", "message"), [
    ({"objective": "multi:softmax"}, "needs num_class"),
    ({"objective": "reg:squarederror", "eval_metric": "auc"}, "auc applies only"),
    ({"objective": "binary:logistic", "eval_metric": "aft-nloglik"}, "aft-nloglik applies only"),
    ({"monotone_constraints": "(1,-1)"}, "monotone_constraints needs tree_method"),
    ({"interaction_constraints": "[[1, 2]]", "tree_method": "auto"}, "interaction_constraints needs tree_method"),
    ({"booster": "gblinear", "updater": "shotgun,coord_descent"}, "exactly one updater"),
    ({"process_type": "update", "updater": "grow_colmaker"}, "only the updaters refresh, prune"),
    ({"updater": "grow_colmaker,grow_histmaker"}, "only one tree grow updater"),
])
def test_dependencies_the_container_enforces(statics: dict[str, str], message: str) -> None:
    problems = validate(xgb_job(), C, **{**KW, **XGB, "static_hyperparameters": {**STATICS, **statics}})
    [dependency] = [p for p in problems if p.code == "xgboost.dependency"]
    assert dependency.path == "static_hyperparameters" and message in dependency.message
    fixed = {"objective": "multi:softmax", "num_class": "3"}
    assert not [p for p in validate(xgb_job(), tuning({}, metric="validation:merror"),
                                    **{**KW, **XGB, "static_hyperparameters": {**STATICS, **fixed}}) if p.is_error]


def test_a_dependency_that_is_tuned_is_not_judged() -> None:
    c = tuning({"num_class": integer(2, 5)}, metric="validation:merror")
    assert not [p for p in validate(xgb_job(), c, **{**KW, **XGB, "static_hyperparameters": {
        "num_round": "10", "objective": "multi:softmax"}}) if p.code == "xgboost.dependency"]


# Names the dependency rules read, with values that trip or pass them; the rest only count as given.
DEPENDENCY_VALUES = {"objective": ["multi:softmax", "binary:logistic", "reg:squarederror", "survival:aft", "rank:map"],
                     "eval_metric": ["auc", "aft-nloglik", "rmse,auc", "aucpr"],
                     "tree_method": ["auto", "exact", "hist", "approx"],
                     "updater": ["shotgun", "coord_descent", "grow_colmaker,prune", "refresh", "grow_colmaker,grow_histmaker"],
                     "booster": ["gbtree", "gblinear", "dart"], "process_type": ["default", "update"],
                     "num_class": ["3"], "monotone_constraints": ["(1,-1)"], "interaction_constraints": ["[[1, 2]]"]}


def test_dependencies_read_only_the_values_they_name() -> None:
    """The rules parse only the values a dependency validator reads (the others count as given): parsing every value
    must change no verdict, for every pair of values above."""
    base = translate(xgb_job(), C, **{**KW, **XGB, "static_hyperparameters": STATICS})
    values = [(name, text) for name, texts in DEPENDENCY_VALUES.items() for text in texts]
    for i, first in enumerate(values):
        for second in values[i:]:
            request = copy.deepcopy(base)
            request["TrainingJobDefinition"]["StaticHyperParameters"].update([first, second])
            definition = view(request).definitions[0]
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(container, "_values_read", lambda r: frozenset(r.hyperparameters))
                parsing_all = reported(container._dependencies, definition, R17)
            assert reported(container._dependencies, definition, R17) == parsing_all, (first, second)


@pytest.mark.parametrize("metric", ["train:auc", "validation:ndcg@5", "validation:auc-roc", "loss"])
def test_the_tuning_objective_must_be_a_container_validation_metric(metric: str) -> None:
    assert ("error", "config.tuning_objective.metric_name", "xgboost.tuning_metric") in xgb(c=tuning({}, metric=metric))


def test_script_mode_runs_the_users_script_so_no_container_checks() -> None:
    script = {"sagemaker_program": "train.py", "sagemaker_submit_directory": "s3://b/src.tar.gz", "whatever": "x"}
    c = config({"anything": cont(0.1, 0.2)}, metric="validation:auc", objective="MAXIMIZE")
    assert not [p for p in validate(xgb_job(), c, **{**KW, **XGB, "static_hyperparameters": script})
                if p.code.startswith("xgboost.") and p.code != "xgboost.metric"]


def test_validate_request_applies_them_to_any_xgboost_request() -> None:
    import json

    from conftest import FIXTURES

    request = json.loads((FIXTURES / "requests" / "sdk-xgboost-builtin.json").read_text())
    request["TrainingJobDefinition"]["StaticHyperParameters"]["rate_drop"] = "1.3"
    request["HyperParameterTuningJobConfig"]["ParameterRanges"]["ContinuousParameterRanges"][0]["MaxValue"] = "2"
    assert {(p.path, p.code) for p in validate_request(request) if p.is_error} == {
        ("TrainingJobDefinition.StaticHyperParameters.rate_drop", "xgboost.value_range"),
        ("HyperParameterTuningJobConfig.ParameterRanges.ContinuousParameterRanges[0].MaxValue", "xgboost.value_range")}




RELEASE_HYPERPARAMETERS = [(r.version, name) for r in spec.RELEASES.values() for name in r.hyperparameters]
texts = st.one_of(st.text(max_size=12), st.sampled_from(["1", "0", "-1", "0.5", "1e3", "nan", "inf", " 7 ", "1_0", "true",
                                                         "auc", "error@0.5", "(1,0)", "[[1, 2]]", "gbtree", "hist"]),
                  st.floats(allow_nan=True, allow_infinity=True).map(repr), st.integers(-(2**40), 2**40).map(str))


@given(which=st.sampled_from(RELEASE_HYPERPARAMETERS), text=texts)
def test_the_quick_check_never_says_yes_where_the_full_reading_says_no(which: tuple[str, str], text: str) -> None:
    """The quick accept check is a twin of reading() (parse() + refusal()), kept because nearly every value is a number or a
    category it settles in one step: its yes must be the full reading's yes (its no only hands over to it)."""
    release = spec.RELEASES[which[0]]
    h = release.hyperparameters[which[1]]
    if container._quick_checks(release)[h.name](text):
        assert container._fully_accepted(h, text), (which, text)
