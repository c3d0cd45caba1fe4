"""The XGBoost container's validators, which are code: one rule per fingerprint that tools/xgboost_tables.py records.

The container (hyperparameter_validation.py of each release) decorates a function with `hpv.range_validator(list)`
or `hpv.dependencies_validator([names])`. The tables name each by its logic's fingerprint and carry its lists as data;
here is what each fingerprint does, written from the release that first has it. tests/test_xgboost_tables.py fails on
a fingerprint in the tables with no rule here, naming it.

A dependency rule is called, as the container calls it, only for a hyperparameter the job gives, with what is known of
the others: canonical name -> parsed value, None for one that is tuned (unknown until a training job starts); an
absent name is not given. It says why the container stops ("" when it goes on, or when a tuned value decides).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable

from ..algorithms import xgboost_hyperparameters as spec
from ..problems import clipped_repr, did_you_mean

Known = Mapping[str, Any]
DependencyRule = Callable[[spec.Hyperparameter, Any, Known], str]
RangeCheck = Callable[[spec.Hyperparameter, Any], str]


def member(h: spec.Hyperparameter, value: Any) -> str:
    """`return value in CATEGORIES` (0.90-1's also raise for "gpu" in the value, which no category of theirs holds)."""
    return "" if value in (h.allowed or ()) else f"{clipped_repr(value)} is not {h.allowed_form()}"


THRESHOLD_METRICS = ("error", "ndcg", "map")  # eval_metric_range_validator's "name@t" (its code, not a list it assigns)


def _eval_metric(h: spec.Hyperparameter, metric: Any) -> str:
    """eval_metric_range_validator: a metric of the release's lists, or error@t, ndcg@t, map@t with a float t."""
    metric = str(metric)
    if "<function" in metric:
        return f"{clipped_repr(metric)}: user-defined evaluation metrics are not supported"
    if "@" in metric:
        name, threshold = metric.split("@")[0].strip(), metric.split("@")[1].strip()
        if name not in THRESHOLD_METRICS:
            return f"{clipped_repr(metric)}: a threshold (@t) goes only with " + ", ".join(THRESHOLD_METRICS)
        try:
            float(threshold)
        except ValueError:
            return f"{clipped_repr(metric)}: the threshold after @ must be a number"
        return ""
    metrics = tuple(map(str, h.allowed)) if isinstance(h.allowed, tuple) else ()
    if metric not in metrics:
        return f"{clipped_repr(metric)} is not a metric this container computes{did_you_mean(metric, metrics)}"
    return ""


RANGE_CHECKS: dict[str, RangeCheck] = {
    "tree_method_range_validator:ee34cf1d0d": member,  # 0.90-1 to 1.0-1 (with the "gpu" raise)
    "tree_method_range_validator:d42a6f5f35": member,  # 1.2-1 on
    "predictor_validator:53fdb45914": member,  # 0.90-1 to 1.0-1 (with the "gpu" raise)
    "predictor_validator:b10b22c83a": member,  # 1.2-1 on
    "eval_metric_range_validator:a101a08424": _eval_metric,
}


def _updater(h: spec.Hyperparameter, value: Any, known: Known) -> str:
    """updater_validator: the lists are the release's own (1.7-1 dropped grow_local_histmaker)."""
    if value is None or known.get("booster", "") is None or known.get("process_type", "") is None:
        return ""
    lists = dict(h.lists)
    if known.get("booster") == "gblinear":
        linear = lists["valid_linear_plugins"]
        return "" if len(value) == 1 and value[0] in linear else \
            "booster gblinear takes exactly one updater: " + " or ".join(linear)
    if known.get("process_type") == "update":
        update = lists["valid_process_update_plugins"]
        return "" if all(u in update for u in value) else "process_type update takes only the updaters " + \
            " and ".join(update)
    tree, build = lists["valid_tree_plugins"], lists["valid_tree_build_plugins"]
    if not all(u in tree for u in value):
        return "a tree booster takes only the tree updaters " + ", ".join(tree)
    if sum(u in build for u in value) > 1:
        return "only one tree grow updater may be selected: " + ", ".join(build)
    return ""


MULTI_CLASS_OBJECTIVES = ("multi:softmax", "multi:softprob")
AUC_OBJECTIVE_PREFIXES = ("binary:", "rank:")


def _objective(h: spec.Hyperparameter, value: Any, known: Known) -> str:
    """objective_validator: a multi-class objective needs num_class."""
    return f"objective {value} needs num_class" if value in MULTI_CLASS_OBJECTIVES and "num_class" not in known else ""


def _auc(value: Any, objective: Any) -> str:
    if value is not None and "auc" in value and objective is not None \
            and not str(objective).startswith(AUC_OBJECTIVE_PREFIXES):
        return f"eval_metric auc applies only to classification and ranking objectives (binary:, rank:), not {objective}"
    return ""


def _eval_metric_auc_only(h: spec.Hyperparameter, value: Any, known: Known) -> str:
    """eval_metric_dep_validator of 0.90-1 to 1.0-1: reads the objective only for auc (a KeyError without one)."""
    if value is not None and "auc" in value and "objective" not in known:
        return "eval_metric auc needs an objective (binary: or rank:); without one the container fails"
    return _auc(value, known.get("objective"))


def _eval_metric_reads_objective(h: spec.Hyperparameter, value: Any, known: Known) -> str:
    """eval_metric_dep_validator of 1.2-1 on: reads dependencies["objective"] first, whatever the metrics, so an
    eval_metric without an objective stops the container (KeyError); auc and aft-nloglik need their objectives."""
    if "objective" not in known:
        return "eval_metric needs an objective: this container reads it for any eval_metric and fails without one"
    objective = known["objective"]
    if value is not None and "aft-nloglik" in value and objective not in (None, "survival:aft"):
        return f"eval_metric aft-nloglik applies only to objective survival:aft, not {objective}"
    return _auc(value, objective)


def _needs_tree_method(*methods: str) -> DependencyRule:
    def rule(h: spec.Hyperparameter, value: Any, known: Known) -> str:
        method = known.get("tree_method")
        if "tree_method" in known and method is None:  # tuned: decided per training job
            return ""
        return "" if method in methods else f"{h.name} needs tree_method set to " + " or ".join(methods)
    return rule


DEPENDENCY_RULES: dict[str, DependencyRule] = {
    "updater_validator:7d3f858655": _updater,
    "objective_validator:0e419686c0": _objective,
    "eval_metric_dep_validator:111d2f8a47": _eval_metric_auc_only,
    "eval_metric_dep_validator:0bce292fd6": _eval_metric_reads_objective,
    "monotone_constraints_validator:d01980ad54": _needs_tree_method("exact", "hist"),
    "interaction_constraints_validator:db8f4e667a": _needs_tree_method("exact", "hist", "approx"),
}

# What parse() and refusal() in xgboost_container.py are written from, by fingerprint: the toolkit's parse() and
# validate_range() of each type and Hyperparameters.validate() (sagemaker_algorithm_toolkit/hyperparameter_validation
# .py: 0.90-1's validate() has no aliases, 0.90-2 adds them; 1.0-1 adds the tuple and nested-list types), and
# algorithm_mode/metrics.py's initialize(), which names the tuning metrics "validation:<metric>" for every metric of
# XGB_MAXIMIZE_METRICS and XGB_MINIMIZE_METRICS.
TOOLKIT_LOGIC = frozenset({
    "parse:28cde87cf1", "parse:459d6621cd", "parse:58dba55105", "parse:673051e718", "parse:8a26dd1709",
    "parse:ba7dd34ae5", "validate:c96142b39e", "validate:fee22a2734", "validate_range:5fc71960da",
    "validate_range:a053cc0d17", "validate_range:e0433e44d3", "validate_range:ffb38dd721"})
TUNING_METRICS_LOGIC = frozenset({"initialize:577ee2dc57"})
