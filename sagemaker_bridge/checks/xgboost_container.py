"""Layer 2 for built-in XGBoost in algorithm mode: what its container refuses when each training job starts.

SageMaker's API takes any string as a hyperparameter value; the container parses and checks them only once a job
has started, so a bad value fails every training job of a tuning job after instances are paid for. The rules come
from algorithms/xgboost_hyperparameters.py (the container's own table). Script mode (a `sagemaker_program` static)
runs the user's script instead, so these checks are skipped there.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Callable, Optional

from ..algorithms import images, xgboost
from ..algorithms import xgboost_hyperparameters as spec
from ..problems import Loc, Problem, clipped_repr, did_you_mean, error, warning
from .lenient import items, mapping

if TYPE_CHECKING:
    from .rules import Definition, View

SOURCE = "(source: sagemaker-xgboost-container, algorithm_mode/hyperparameter_validation.py)"
KINDS_FOR_RANGES = {  # request range list -> hyperparameter kinds it can feed
    "IntegerParameterRanges": (spec.INTEGER, spec.CONTINUOUS),
    "ContinuousParameterRanges": (spec.CONTINUOUS,),
    "CategoricalParameterRanges": (spec.INTEGER, spec.CONTINUOUS, spec.CATEGORICAL, spec.LIST, spec.TUPLE,
                                   spec.NESTED_LIST),
}


_PARSERS: dict[str, Callable[[str], Any]] = {spec.INTEGER: int, spec.CONTINUOUS: float,
                                              spec.LIST: lambda text: text.split(",")}


def parse(h: spec.Hyperparameter, text: str) -> tuple[Any, str]:
    """The value as the container parses it, or ("", why it cannot)."""
    try:
        simple = _PARSERS.get(h.kind)
        if simple is not None:
            return simple(text), ""
        if h.kind in (spec.TUPLE, spec.NESTED_LIST):
            value = ast.literal_eval(text)
            shape_ok = isinstance(value, (tuple, list)) and (
                h.kind == spec.TUPLE or all(isinstance(inner, (tuple, list)) for inner in value))
            return (value, "") if shape_ok else ("", f"is not a {h.kind}")
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        how = {spec.INTEGER: "int()", spec.CONTINUOUS: "float()"}.get(h.kind, "as a Python literal")
        return "", f"cannot be read as {h.allowed_form().split(' in ')[0]} (the container parses it with {how})"
    return text, ""


def refusal(h: spec.Hyperparameter, value: Any) -> str:
    """Why the container refuses a parsed value ("" when it accepts it)."""
    if type(h.allowed) is spec.Interval and h.kind != spec.NESTED_LIST:  # most values: one number
        ok = type(value) in (int, float) and value in h.allowed
    elif isinstance(h.allowed, spec.Interval):
        values = [e for inner in value for e in inner]
        ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) and v in h.allowed for v in values)
    elif h.name == "eval_metric":
        return next((why for m in value if (why := _eval_metric_refusal(m))), "")
    elif h.kind in (spec.LIST, spec.TUPLE):
        ok = all(v in (h.allowed or ()) for v in value)
    else:
        ok = value in (h.allowed or ())
    return "" if ok else f"{clipped_repr(value)} is not {h.allowed_form()}"


_ACCEPTS: dict[str, Callable[[str], bool]] = {}  # by name: hashing a Hyperparameter costs more than the check


def _accepts(h: spec.Hyperparameter) -> Callable[[str], bool]:
    """A quick yes for the values the container takes (nearly all); a no only sends the text to parse() and
    refusal(), which say why. Built once per hyperparameter."""
    simple = _PARSERS.get(h.kind)
    if simple is not None and type(h.allowed) is spec.Interval and h.kind != spec.LIST:
        convert = simple
        # Interval.__contains__ inlined; NaN stands for a missing end, as no comparison with it holds.
        low_open, low_closed, high_open, high_closed = (
            math.nan if end is None else end
            for end in (h.allowed.min_open, h.allowed.min_closed, h.allowed.max_open, h.allowed.max_closed))

        def number_inside(text: str) -> bool:
            try:
                value = convert(text)
            except ValueError:
                return False
            return not (value <= low_open or value < low_closed or value >= high_open or value > high_closed)
        return number_inside
    if h.kind == spec.CATEGORICAL and isinstance(h.allowed, tuple):
        return frozenset(h.allowed).__contains__
    return lambda text: False


def _eval_metric_refusal(metric: str) -> str:
    if "@" in metric:
        name, threshold = metric.split("@")[0].strip(), metric.split("@")[1].strip()
        if name not in spec.THRESHOLD_METRICS:
            return f"{clipped_repr(metric)}: a threshold (@t) goes only with " + ", ".join(spec.THRESHOLD_METRICS)
        try:
            float(threshold)
        except ValueError:
            return f"{clipped_repr(metric)}: the threshold after @ must be a number"
        return ""
    metrics = spec.MAXIMIZE_METRICS + spec.MINIMIZE_METRICS
    if metric not in metrics:
        return f"{clipped_repr(metric)} is not a metric XGBoost's container computes{did_you_mean(metric, metrics)}"
    return ""


_BY_ANY_NAME = {**spec.HYPERPARAMETERS, **{alias: spec.HYPERPARAMETERS[name] for alias, name in spec.ALIASES.items()}}


def canonical(name: str) -> Optional[spec.Hyperparameter]:
    return _BY_ANY_NAME.get(name)


def xgboost_hyperparameters(v: View) -> Iterator[Problem]:
    for d in v.definitions:
        if d.kind.xgboost and "sagemaker_program" not in d.statics:
            yield from _statics(d)
            yield from _ranges(d)
            yield from _dependencies(d)
            yield from _tuning_metric(d)
            yield from _versions(d)


_VERSIONED_NAMES = frozenset(n for n in (*spec.HYPERPARAMETERS, *spec.ALIASES) if spec.ALIASES.get(n, n) in spec.SINCE)


def _versions(d: Definition) -> Iterator[Problem]:
    """Values that the image's container version (read from its tag) is too old for (spec.SINCE)."""
    kind = "CategoricalParameterRanges"
    uses: list[tuple[Loc, Any, Any]] = [(d.loc + ("StaticHyperParameters", name), name, text)
                                        for name, text in d.statics.items()
                                        if isinstance(name, str) and name in _VERSIONED_NAMES]
    for i, r in enumerate(map(mapping, items(d.ranges.get(kind)))):
        name = r.get("Name")
        if isinstance(name, str) and name in _VERSIONED_NAMES:
            uses += [(d.ranges_loc + (kind, i, "Values", j), name, text)
                     for j, text in enumerate(items(r.get("Values")))]
    image = mapping(d.body.get("AlgorithmSpecification")).get("TrainingImage") if uses else None
    version = images.xgboost_version(image) if isinstance(image, str) else None
    if version is None:  # a digest, a mirror's own tag...: the version is unknown, and so is what it takes
        return
    for loc, name, text in uses:
        first = spec.SINCE[spec.ALIASES.get(name, name)].get(text) if isinstance(text, str) else None
        if first is not None and xgboost.version_key(version) < xgboost.version_key(first[0]):
            yield error(loc, "xgboost.version", f"{name} {text} needs XGBoost container {first[0]} or later; the image "
                                                f"is {version} ({first[1]})")


def _unknown(name: str, loc: Loc) -> Problem:
    hint = did_you_mean(name, list(spec.HYPERPARAMETERS) + list(spec.ALIASES))
    return error(loc, "xgboost.unknown_hyperparameter",
                 f"{clipped_repr(name)} is not a hyperparameter of built-in XGBoost{hint} {SOURCE}")


def _statics(d: Definition) -> Iterator[Problem]:
    for name, text in d.statics.items():
        h = canonical(name) if isinstance(name, str) else None
        if h is None:
            if isinstance(name, str) and not name.startswith("sagemaker_"):  # SageMaker's own, for any container
                yield _unknown(name, d.loc + ("StaticHyperParameters", name))
        elif isinstance(text, str) and not _accepted(h, text):  # not a string: layer 1 says so
            yield _refused(h, text, d.loc + ("StaticHyperParameters", name))


def _quick_check(h: spec.Hyperparameter) -> Callable[[str], bool]:
    return _ACCEPTS.get(h.name) or _ACCEPTS.setdefault(h.name, _accepts(h))


def _accepted(h: spec.Hyperparameter, text: str) -> bool:
    return _quick_check(h)(text) or _fully_accepted(h, text)


def _fully_accepted(h: spec.Hyperparameter, text: str) -> bool:
    """What the quick check said no to: lists, tuples, eval_metric... the full reading decides."""
    value, unreadable = parse(h, text)
    return not unreadable and not refusal(h, value)


def _refused(h: spec.Hyperparameter, text: str, loc: Loc) -> Problem:
    """The problem with a value _accepted() refused: it cannot be read, or it is out of the allowed form."""
    value, unreadable = parse(h, text)
    if unreadable:
        return error(loc, "xgboost.value_format", f"{clipped_repr(text)} {unreadable}; {h.name} takes "
                                                  f"{h.allowed_form()} {SOURCE}")
    return error(loc, "xgboost.value_range", f"{refusal(h, value)}: the container refuses it {SOURCE}")


def _ranges(d: Definition) -> Iterator[Problem]:
    for kind, feeds in KINDS_FOR_RANGES.items():
        categorical = kind == "CategoricalParameterRanges"
        for i, r in enumerate(items(d.ranges.get(kind))):
            name = r.get("Name") if type(r) is dict or isinstance(r, Mapping) else None
            h = _BY_ANY_NAME.get(name) if isinstance(name, str) else None
            if h is None:  # SageMaker itself refuses these for XGBoost images (aws/sagemaker-python-sdk issue 2226)
                if isinstance(name, str):
                    yield _unknown(name, d.ranges_loc + (kind, i, "Name"))
                continue
            if h.kind not in feeds:
                yield error(d.ranges_loc + (kind, i), "xgboost.range_kind",
                            f"{name} is {h.allowed_form()}; a {kind[:-6]} range cannot feed it {SOURCE}")
                continue
            if not h.tunable:
                yield warning(d.ranges_loc + (kind, i, "Name"), "xgboost.not_tunable",
                              f"the XGBoost container's metadata does not list {name} as tunable {SOURCE}")
            texts = enumerate(items(r.get("Values"))) if categorical \
                else (("MinValue", r.get("MinValue")), ("MaxValue", r.get("MaxValue")))
            accepts = _quick_check(h)
            for key, text in texts:
                if isinstance(text, str) and not accepts(text) and not _fully_accepted(h, text):
                    yield _refused(h, text, d.ranges_loc + (kind, i) + (("Values", key) if categorical else (key,)))


def _known_statics(d: Definition) -> dict[str, Any]:
    """Static values by canonical name, parsed; names that are tuned map to None (unknown until a job starts).
    Only the values DEPENDENCIES read are parsed: for the others, being given is all that counts."""
    known: dict[str, Any] = {}
    for name, text in d.statics.items():
        h = canonical(name) if isinstance(name, str) else None
        if h is not None and isinstance(text, str):
            if h.name in VALUES_READ:
                value, unreadable = parse(h, text)
                known[h.name] = None if unreadable else value
            else:
                known[h.name] = text
    for name in d.tuned_names:
        h = canonical(name)
        if h is not None:
            known[h.name] = None
    return known


def _dependencies(d: Definition) -> Iterator[Problem]:
    known = _known_statics(d)
    loc = d.loc + ("StaticHyperParameters",)
    objective = known.get("objective")
    for rule in DEPENDENCIES:
        why = rule(known, objective)
        if why:
            yield error(loc, "xgboost.dependency", f"{why} {SOURCE}")


def _multi_class(known: Mapping[str, Any], objective: Any) -> str:
    if objective in spec.MULTI_CLASS_OBJECTIVES and "num_class" not in known:
        return f"objective {objective} needs num_class"
    return ""


def _auc(known: Mapping[str, Any], objective: Any) -> str:
    metrics = known.get("eval_metric") or []
    if "auc" in metrics and "objective" in known and objective is not None \
            and not str(objective).startswith(spec.AUC_OBJECTIVE_PREFIXES):
        return f"eval_metric auc applies only to classification and ranking objectives (binary:, rank:), not {objective}"
    if "auc" in metrics and "objective" not in known:
        return "eval_metric auc needs an objective (binary: or rank:); without one the container fails"
    if "aft-nloglik" in metrics and "objective" in known and objective not in (None, "survival:aft"):
        return f"eval_metric aft-nloglik applies only to objective survival:aft, not {objective}"
    return ""


def _tree_method(known: Mapping[str, Any], objective: Any) -> str:
    method = known.get("tree_method", "")
    for name, methods in (("monotone_constraints", spec.MONOTONE_TREE_METHODS),
                          ("interaction_constraints", spec.INTERACTION_TREE_METHODS)):
        if name in known and method is not None and method not in methods:
            return f"{name} needs tree_method set to " + " or ".join(methods)
    return ""


def _updater(known: Mapping[str, Any], objective: Any) -> str:
    updater = known.get("updater")
    if not updater or known.get("booster", "") is None or known.get("process_type", "") is None:
        return ""
    if known.get("booster") == "gblinear":
        ok = len(updater) == 1 and updater[0] in spec.LINEAR_PLUGINS
        return "" if ok else "booster gblinear takes exactly one updater: " + " or ".join(spec.LINEAR_PLUGINS)
    if known.get("process_type") == "update":
        ok = all(u in spec.UPDATE_PLUGINS for u in updater)
        return "" if ok else "process_type update takes only the updaters refresh and prune"
    if not all(u in spec.TREE_PLUGINS for u in updater):
        return "a tree booster takes only the tree updaters " + ", ".join(spec.TREE_PLUGINS)
    if sum(u in spec.TREE_BUILD_PLUGINS for u in updater) > 1:
        return "only one tree grow updater may be selected"
    return ""


DEPENDENCIES = (_multi_class, _auc, _tree_method, _updater)
VALUES_READ = frozenset({"objective", "eval_metric", "tree_method", "updater", "booster", "process_type"})  # by them


def _tuning_metric(d: Definition) -> Iterator[Problem]:
    metric = d.objective.get("MetricName")
    if isinstance(metric, str) and metric and metric not in spec.TUNING_METRICS:
        hint = did_you_mean(metric, spec.TUNING_METRICS)
        yield error(d.objective_loc + ("MetricName",), "xgboost.tuning_metric",
                    f"{clipped_repr(metric)} is not a metric the XGBoost container can tune on{hint}: SageMaker hands "
                    "it over as _tuning_objective_metric, which takes only validation:<metric> names (validation:auc, "
                    f"validation:rmse...) {SOURCE}")
