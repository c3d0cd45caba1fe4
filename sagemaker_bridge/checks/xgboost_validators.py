"""The XGBoost container's validators, which are code: one rule per fingerprint that tools/xgboost_tables.py records.

The container (hyperparameter_validation.py of each release) decorates a function with `hpv.range_validator(list)`
or `hpv.dependencies_validator([names])`. The tables name each by its logic's fingerprint and carry its lists as data;
here is what each fingerprint does, written from the release that first has it. tests/test_xgboost_tables.py fails on
a fingerprint in the tables with no rule here, naming it.

A dependency rule is called, as the container calls it, only for a hyperparameter the job gives, with what is known of
the others: canonical name -> parsed value, None for one that is tuned (unknown until a training job starts); an
absent name is not given. It says why the container stops (a Reason, worded in wording.py; None when it goes on, or
when a tuned value decides).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, Optional

from ..algorithms import xgboost_hyperparameters as table
from ..problems import Reason, clipped_repr, did_you_mean, why

Known = Mapping[str, Any]
DependencyRule = Callable[[table.Hyperparameter, Any, Known], Optional[Reason]]
RangeCheck = Callable[[table.Hyperparameter, Any], Optional[Reason]]


def member(h: table.Hyperparameter, value: Any) -> Optional[Reason]:
    """`return value in CATEGORIES` (0.90-1's also raise for "gpu" in the value, which no category of theirs holds)."""
    return None if value in (h.allowed or ()) else why("not_allowed", value=clipped_repr(value),
                                                       allowed=h.allowed_form())


THRESHOLD_METRICS = ("error", "ndcg", "map")  # eval_metric_range_validator's "name@t" (its code, not a list it assigns)


def _eval_metric(h: table.Hyperparameter, metric: Any) -> Optional[Reason]:
    """eval_metric_range_validator: a metric of the release's lists, or error@t, ndcg@t, map@t with a float t."""
    metric = str(metric)
    if "<function" in metric:
        return why("user_metric", metric=clipped_repr(metric))
    if "@" in metric:
        name, threshold = metric.split("@")[0].strip(), metric.split("@")[1].strip()
        if name not in THRESHOLD_METRICS:
            return why("threshold_metric", metric=clipped_repr(metric), metrics=list(THRESHOLD_METRICS))
        try:
            float(threshold)
        except ValueError:
            return why("threshold_number", metric=clipped_repr(metric))
        return None
    metrics = tuple(map(str, h.allowed)) if isinstance(h.allowed, tuple) else ()
    if metric not in metrics:
        return why("unknown_metric", metric=clipped_repr(metric), suggestion=did_you_mean(metric, metrics))
    return None


RANGE_CHECKS: dict[str, RangeCheck] = {
    "tree_method_range_validator:ee34cf1d0d": member,  # 0.90-1 to 1.0-1 (with the "gpu" raise)
    "tree_method_range_validator:d42a6f5f35": member,  # 1.2-1 on
    "predictor_validator:53fdb45914": member,  # 0.90-1 to 1.0-1 (with the "gpu" raise)
    "predictor_validator:b10b22c83a": member,  # 1.2-1 on
    "eval_metric_range_validator:a101a08424": _eval_metric,
}


def _updater(h: table.Hyperparameter, value: Any, known: Known) -> Optional[Reason]:
    """updater_validator: the lists are the release's own (1.7-1 dropped grow_local_histmaker)."""
    if value is None or known.get("booster", "") is None or known.get("process_type", "") is None:
        return None
    lists = dict(h.lists)
    if known.get("booster") == "gblinear":
        linear = lists["valid_linear_plugins"]
        return None if len(value) == 1 and value[0] in linear else why("linear_updater", updaters=list(linear))
    if known.get("process_type") == "update":
        update = lists["valid_process_update_plugins"]
        return None if all(u in update for u in value) else why("update_updaters", updaters=list(update))
    tree, build = lists["valid_tree_plugins"], lists["valid_tree_build_plugins"]
    if not all(u in tree for u in value):
        return why("tree_updaters", updaters=list(tree))
    if sum(u in build for u in value) > 1:
        return why("one_grow_updater", updaters=list(build))
    return None


MULTI_CLASS_OBJECTIVES = ("multi:softmax", "multi:softprob")
AUC_OBJECTIVE_PREFIXES = ("binary:", "rank:")


def _objective(h: table.Hyperparameter, value: Any, known: Known) -> Optional[Reason]:
    """objective_validator: a multi-class objective needs num_class."""
    needs = value in MULTI_CLASS_OBJECTIVES and "num_class" not in known
    return why("num_class", objective=value) if needs else None


def _auc(value: Any, objective: Any) -> Optional[Reason]:
    if value is not None and "auc" in value and objective is not None \
            and not str(objective).startswith(AUC_OBJECTIVE_PREFIXES):
        return why("auc_objective", objective=objective)
    return None


def _eval_metric_auc_only(h: table.Hyperparameter, value: Any, known: Known) -> Optional[Reason]:
    """eval_metric_dep_validator of 0.90-1 to 1.0-1: reads the objective only for auc (a KeyError without one)."""
    if value is not None and "auc" in value and "objective" not in known:
        return why("auc_needs_objective")
    return _auc(value, known.get("objective"))


def _eval_metric_reads_objective(h: table.Hyperparameter, value: Any, known: Known) -> Optional[Reason]:
    """eval_metric_dep_validator of 1.2-1 on: reads dependencies["objective"] first, whatever the metrics, so an
    eval_metric without an objective stops the container (KeyError); auc and aft-nloglik need their objectives."""
    if "objective" not in known:
        return why("eval_metric_needs_objective")
    objective = known["objective"]
    if value is not None and "aft-nloglik" in value and objective not in (None, "survival:aft"):
        return why("aft_objective", objective=objective)
    return _auc(value, objective)


def _needs_tree_method(*methods: str) -> DependencyRule:
    def rule(h: table.Hyperparameter, value: Any, known: Known) -> Optional[Reason]:
        method = known.get("tree_method")
        if "tree_method" in known and method is None:  # tuned: decided per training job
            return None
        return None if method in methods else why("tree_method", hyperparameter=h.name, methods=" or ".join(methods))
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
