"""Each XGBoost container release is held to its own table, chosen by the image's tag.

The cases below are the releases' differences as their branches of aws/sagemaker-xgboost-container show them
(hyperparameter_validation.py, constants/xgb_constants.py); the last tests walk the tables themselves, so a new
release's differences are held the same way without a new case here.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Optional

import pytest
from conftest import FIXTURES

from sagemaker_bridge import validate_request
from sagemaker_bridge.algorithms import xgboost, xgboost_hyperparameters as spec
from sagemaker_bridge.local import training

REQUEST = json.loads((FIXTURES / "requests" / "sdk-xgboost-builtin.json").read_text())
STATICS = "TrainingJobDefinition.StaticHyperParameters"
BASE = {"num_round": "10", "objective": "reg:squarederror", "eval_metric": "rmse"}


def request_on(tag: str, statics: Optional[dict[str, str]] = None, metric: str = "validation:rmse",
               categorical: Optional[dict[str, list[str]]] = None) -> dict[str, Any]:
    request = copy.deepcopy(REQUEST)
    definition = request["TrainingJobDefinition"]
    definition["AlgorithmSpecification"]["TrainingImage"] = (
        tag if "/" in tag else f"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:{tag}")
    # a static given as "" is left out
    definition["StaticHyperParameters"] = {k: v for k, v in {**BASE, **(statics or {})}.items() if v != ""}
    config = request["HyperParameterTuningJobConfig"]
    config["HyperParameterTuningJobObjective"] = {"Type": "Minimize", "MetricName": metric}
    config["ParameterRanges"]["CategoricalParameterRanges"] = [
        {"Name": name, "Values": values} for name, values in (categorical or {}).items()]
    return request


def errors(request: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {(p.path, p.code): p.message for p in validate_request(request) if p.is_error}


def tag(version: str) -> str:
    return xgboost.image_uri("us-east-1", version).rsplit(":", 1)[1]


# (statics, the releases that refuse them, the path and code of the refusal)
DIFFERENCES = [
    ({"save_model_on_termination": "true"}, ("0.90-1", "0.90-2"),
     (f"{STATICS}.save_model_on_termination", "xgboost.unknown_hyperparameter")),  # added in 1.0-1
    ({"objective": "reg:absoluteerror", "eval_metric": "mae"}, ("0.90-1", "0.90-2", "1.0-1", "1.2-1", "1.2-2", "1.3-1",
                                                               "1.5-1"),
     (f"{STATICS}.objective", "xgboost.value_range")),  # 90a17b8: "Add Absolute Error Objective to version 1.7-1"
    ({"tree_method": "gpu_hist"}, ("0.90-1", "0.90-2", "1.0-1"), (f"{STATICS}.tree_method", "xgboost.value_range")),
    ({"predictor": "auto"}, ("0.90-1", "0.90-2", "1.0-1"), (f"{STATICS}.predictor", "xgboost.value_range")),
    ({"single_precision_histogram": "true"}, ("0.90-1", "0.90-2", "1.0-1", "1.7-1", "3.0-5"),
     (f"{STATICS}.single_precision_histogram", "xgboost.unknown_hyperparameter")),  # 1.2-1 to 1.5-1 only
    ({"learning_rate": "0.1"}, ("0.90-1",), (f"{STATICS}.learning_rate", "xgboost.unknown_hyperparameter")),  # aliases
    ({"silent": "1"}, ("1.2-1", "1.2-2", "1.3-1", "1.5-1", "1.7-1", "3.0-5"),
     (f"{STATICS}.silent", "xgboost.unknown_hyperparameter")),
    ({"_kfold": "3"}, ("0.90-1", "0.90-2", "1.0-1", "1.2-1"), (f"{STATICS}._kfold", "xgboost.unknown_hyperparameter")),
    ({"updater": "grow_local_histmaker"}, ("1.7-1", "3.0-5"), (f"{STATICS}.updater", "xgboost.value_range")),
    ({"objective": "", "eval_metric": "rmse"}, ("1.2-1", "1.2-2", "1.3-1", "1.5-1", "1.7-1", "3.0-5"),
     (STATICS, "xgboost.dependency")),  # 1.2-1 on read dependencies["objective"] for any eval_metric
    ({"use_dask_gpu_training": "false"}, ("0.90-1", "0.90-2", "1.0-1", "1.2-1", "1.2-2", "1.3-1"),
     (f"{STATICS}.use_dask_gpu_training", "xgboost.unknown_hyperparameter")),
]


@pytest.mark.parametrize(("statics", "refusing", "problem"), DIFFERENCES, ids=[str(d[0]) for d in DIFFERENCES])
@pytest.mark.parametrize("version", list(spec.RELEASES))
def test_each_release_refuses_what_its_own_container_refuses(statics: dict[str, str], refusing: tuple[str, ...],
                                                               problem: tuple[str, str], version: str) -> None:
    found = errors(request_on(tag(version), statics))
    assert (problem in found) == (version in refusing), (version, found)
    if version not in refusing:
        assert found == {}, found
    else:  # the refusal says which releases would take it
        assert "would take it" in found[problem] and spec.RELEASES[version].ref in found[problem]


def test_the_tuning_metric_is_the_releases_own() -> None:
    """validation:mape entered XGB_MINIMIZE_METRICS in 1.3-1: _tuning_objective_metric refuses it before."""
    assert ("HyperParameterTuningJobConfig.HyperParameterTuningJobObjective.MetricName", "xgboost.tuning_metric") \
        in errors(request_on("1.2-2", metric="validation:mape"))
    assert errors(request_on("1.3-1", metric="validation:mape")) == {}


DIGEST = "@sha256:" + "0" * 64
UNKNOWN_TAGS = ["latest", "3.2-0", "9.9-1", "1.7-1" + DIGEST,
                "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost" + DIGEST,
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/mirror/sagemaker-xgboost:prod"]


@pytest.mark.parametrize("image_tag", UNKNOWN_TAGS)
def test_a_tag_that_names_no_release_refuses_only_what_every_release_refuses(image_tag: str) -> None:
    for statics, _, _ in DIFFERENCES:
        assert errors(request_on(image_tag, statics)) == {}, statics
    found = errors(request_on(image_tag, {"max_dept": "6", "eta": "2"}))
    assert set(found) == {(f"{STATICS}.max_dept", "xgboost.unknown_hyperparameter"),
                          (f"{STATICS}.eta", "xgboost.value_range")}
    assert all("every release refuses this" in message for message in found.values())


def test_versions_of_the_image_table_without_a_release_table_are_known_images() -> None:
    """3.2-0 is in the SDK's image table but has no branch or tag in the container's repository."""
    assert "3.2-0" in xgboost.VERSIONS and spec.release("3.2-0") is None
    assert set(spec.RELEASES) <= set(xgboost.VERSIONS)


# ---- the tables walked: every name and value one release declares and another does not -------------------------

def declared_values(h: spec.Hyperparameter) -> list[str]:
    return [str(v) for v in h.allowed] if h.kind == spec.CATEGORICAL and isinstance(h.allowed, tuple) else []


NAMES = sorted({n for r in spec.RELEASES.values() for n in r.hyperparameters} - {"num_round", "objective", "eval_metric"})


@pytest.mark.parametrize("name", NAMES)
def test_a_name_is_refused_exactly_by_the_releases_that_do_not_declare_it(name: str) -> None:
    declaring = [r for r in spec.RELEASES.values() if name in r.hyperparameters]
    h = declaring[-1].hyperparameters[name]
    value = (declared_values(h) or ["1"])[0]
    if h.kind == spec.TUPLE:
        value = "(0,)"
    elif h.kind == spec.NESTED_LIST:
        value = "[[1, 2]]"
    elif h.kind == spec.LIST:
        value = str(h.allowed[0]) if isinstance(h.allowed, tuple) else "1"
    for r in spec.RELEASES.values():
        found = errors(request_on(tag(r.version), {name: value}))
        unknown = (f"{STATICS}.{name}", "xgboost.unknown_hyperparameter") in found
        assert unknown == (name not in r.hyperparameters), (r.version, name, found)


CATEGORICAL = sorted({(n, v) for r in spec.RELEASES.values() for n, h in r.hyperparameters.items()
                      for v in declared_values(h) if n != "_tuning_objective_metric"})


@pytest.mark.parametrize(("name", "value"), CATEGORICAL, ids=[f"{n}={v}" for n, v in CATEGORICAL])
def test_a_categorical_value_is_refused_exactly_by_the_releases_that_do_not_list_it(name: str, value: str) -> None:
    for r in spec.RELEASES.values():
        if name not in r.hyperparameters:
            continue
        found = errors(request_on(tag(r.version), {name: value}))
        refused = (f"{STATICS}.{name}", "xgboost.value_range") in found
        assert refused == (value not in declared_values(r.hyperparameters[name])), (r.version, name, value)


def test_the_local_engine_validates_as_the_images_release_does() -> None:
    statics = {"num_round": "5", "save_model_on_termination": "true"}
    with pytest.raises(training.TrainingFailed, match="Extraneous hyperparameter found: save_model_on_termination"):
        training.container_params(statics, training.release_of(xgboost.image_uri("us-east-1", "0.90-2")))
    assert training.container_params(statics, training.release_of(xgboost.image_uri("us-east-1", "1.0-1")))[
        "save_model_on_termination"] == "true"
    assert training.release_of("my-mirror/xgboost:prod") is spec.NEWEST


def test_a_refusal_carries_its_facts_and_its_sentence_is_made_of_them() -> None:
    """Problem.ctx: what a UI or a script reads without parsing English; the message is the code's one sentence."""
    from sagemaker_bridge.wording import WORDING

    [p] = [p for p in validate_request(request_on(tag("0.90-2"), {"save_model_on_termination": "true"})) if p.is_error]
    assert p.ctx["name"] == "'save_model_on_termination'" and p.ctx["release"] == "XGBoost 0.90-2"
    assert p.ctx["source"].startswith("sagemaker-xgboost-container 0.90-2 (") and "1.0-1 to 3.0-5" in p.ctx["hint"]
    assert p.message == WORDING[p.code].format(**p.ctx)
    assert p.to_dict()["ctx"] == dict(p.ctx) and json.loads(json.dumps(p.to_dict())) == p.to_dict()
    [range_error] = [p for p in validate_request(request_on(tag("1.7-1"), {"eta": "2"})) if p.is_error]
    assert (range_error.ctx["value"], range_error.ctx["hyperparameter"], range_error.ctx["allowed"]) == (
        "'2'", "eta", "a number in [0, 1]")
