"""Layers 2 and 3: SageMaker's server-side rules that no model states, and warnings for likely mistakes.

Each rule reads the request (however it was built) and reports to the collector; RULES lists them. Sources are SageMaker's
developer guide pages, summarized in the shared reference `sagemaker-hpo-facts.md`:
  [limits]   https://docs.aws.amazon.com/sagemaker/latest/dg/automatic-model-tuning-limits.html
  [ranges]   https://docs.aws.amazon.com/sagemaker/latest/dg/automatic-model-tuning-define-ranges.html
  [metrics]  https://docs.aws.amazon.com/sagemaker/latest/dg/automatic-model-tuning-define-metrics-variables.html
  [strategy] https://docs.aws.amazon.com/sagemaker/latest/dg/automatic-model-tuning-how-it-works.html (Hyperband, Grid)
  [spot]     https://docs.aws.amazon.com/sagemaker/latest/dg/model-managed-spot-training.html
  [xgboost]  https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost-tuning.html
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any, Callable, Optional

from ..algorithms import ImageKind, xgboost
from ..problems import Loc, Problems, clipped_repr
from ..vocabulary import CONFIG, LIMITS, NUMERIC_RANGE_LISTS
from .lenient import items, mapping
from .view import ALL_RANGE_LISTS, Definition, View, view
from .xgboost_container import xgboost_channels, xgboost_hyperparameters, xgboost_num_round

MAX_RANGES = 30  # [limits] hyperparameters searched at once, all kinds together
MAX_HYPERPARAMETERS = 100  # [limits] static + tunable
DEFAULT_MAX_PARALLEL, DEFAULT_MAX_JOBS = 10, 750  # [limits] default quotas, raisable
HYPERBAND_EPOCH_NAMES = ("epochs", "numepochs", "n-epochs", "n_epochs", "num_epochs")  # [strategy] MaxResource


def _integer_or_none(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


Rule = Callable[[View, Problems], None]  # reads the view, reports what it finds


def ranges_total(v: View, found: Problems) -> None:
    for d in v.definitions:
        count = sum(len(items(d.ranges.get(range_list))) for range_list in ALL_RANGE_LISTS)
        if count > MAX_RANGES:
            found.error(d.ranges_loc, "ranges.too_many", count=count, limit=MAX_RANGES, source="limits")


def _numeric_ranges(v: View) -> Iterator[tuple[Loc, str, Mapping[str, Any]]]:
    for d in v.definitions:
        for range_list in NUMERIC_RANGE_LISTS:
            for i, r in enumerate(items(d.ranges.get(range_list))):
                yield d.ranges_loc + (range_list, i), range_list, mapping(r)


def _bound(text: Any, range_list: str) -> Optional[float]:
    if not isinstance(text, str):
        return None
    try:
        return float(int(text)) if range_list == "IntegerParameterRanges" else float(text)  # both skip outer whitespace
    except (ValueError, OverflowError):
        return None


def _bounds(low: Any, high: Any, range_list: str) -> tuple[Optional[float], Optional[float]]:
    """Both bounds read at once (the usual case: two numbers as text); one by one when one is not a number."""
    if type(low) is str and type(high) is str:
        read = int if range_list == "IntegerParameterRanges" else float
        try:
            return float(read(low)), float(read(high))
        except (ValueError, OverflowError):
            pass
    return _bound(low, range_list), _bound(high, range_list)


def range_bounds(v: View, found: Problems) -> None:
    """[ranges] bounds are numbers, finite, min <= max; Logarithmic needs > 0; ReverseLogarithmic 0 <= x < 1."""
    for loc, range_list, r in _numeric_ranges(v):
        low, high = _bounds(r.get("MinValue"), r.get("MaxValue"), range_list)
        if low is None or high is None or not math.isfinite(low) or not math.isfinite(high):
            _unusable_bounds(loc, range_list, r, {"MinValue": low, "MaxValue": high}, found)
            low = low if low is not None and math.isfinite(low) else None
            high = high if high is not None and math.isfinite(high) else None
        if low is not None and high is not None and low > high:
            found.error(loc + ("MinValue",), "range.min_above_max", low=r["MinValue"], high=r["MaxValue"],
                         source="ranges")
        scaling = r.get("ScalingType")
        if scaling == "Logarithmic" and low is not None and low <= 0:
            found.error(loc + ("MinValue",), "range.log_not_positive", low=r["MinValue"], source="ranges")
        if scaling == "ReverseLogarithmic":
            if range_list == "IntegerParameterRanges":
                found.error(loc + ("ScalingType",), "range.reverse_log_integer", source="ranges")
            elif (low is not None and low < 0) or (high is not None and high >= 1):
                found.error(loc, "range.reverse_log_bounds", low=r.get("MinValue"), high=r.get("MaxValue"),
                             source="ranges")


def _unusable_bounds(loc: Loc, range_list: str, r: Mapping[str, Any], read: dict[str, Optional[float]], found: Problems) -> None:
    """Bounds that are text but not numbers, or not finite (a bound that is not text at all: layer 1 says so)."""
    noun = "an integer" if range_list == "IntegerParameterRanges" else "a number"
    for key, value in read.items():
        if value is None and isinstance(r.get(key), str):
            found.error(loc + (key,), "range.not_a_number", value=clipped_repr(r.get(key)), expected=noun)
        elif value is not None and not math.isfinite(value):
            found.error(loc + (key,), "range.not_finite", value=r.get(key))


def hyperparameter_count(v: View, found: Problems) -> None:
    for d in v.definitions:
        names = set(d.tuned_names) | set(d.statics)
        if len(names) > MAX_HYPERPARAMETERS:
            found.error(d.loc + ("StaticHyperParameters",), "hyperparameters.too_many", count=len(names),
                         limit=MAX_HYPERPARAMETERS, source="limits")


def resource_limits(v: View, found: Problems) -> None:
    """[strategy] every strategy but Grid needs MaxNumberOfTrainingJobs."""
    if "MaxNumberOfTrainingJobs" not in v.limits and v.strategy != "Grid" and "ResourceLimits" in v.config:
        found.error(LIMITS + ("MaxNumberOfTrainingJobs",), "limits.max_jobs_required", strategy=v.strategy,
                     source="strategy")


def _combinations(d: Definition) -> Optional[int]:
    """How many distinct training jobs the ranges allow; None when a continuous range makes it unbounded."""
    if items(d.ranges.get("ContinuousParameterRanges")):
        return None
    total = 1
    for r in map(mapping, items(d.ranges.get("CategoricalParameterRanges"))):
        total *= max(len(set(v for v in items(r.get("Values")) if isinstance(v, str))), 1)
    for r in map(mapping, items(d.ranges.get("IntegerParameterRanges"))):
        low, high = _bounds(r.get("MinValue"), r.get("MaxValue"), "IntegerParameterRanges")
        if low is None or high is None or not math.isfinite(high - low) or high < low:
            return None  # reported by range_bounds
        total *= int(high - low) + 1
    return total


def enough_combinations(v: View, found: Problems) -> None:
    """[ranges] with only discrete ranges, SageMaker refuses fewer combinations than MaxNumberOfTrainingJobs."""
    counts = [_combinations(d) for d in v.definitions]
    max_jobs = _integer_or_none(v.limits.get("MaxNumberOfTrainingJobs"))
    chosen_by_sagemaker = mapping(v.config.get("ParameterRanges")).get("AutoParameters") or v.request.get("Autotune")
    if not counts or None in counts or max_jobs is None or chosen_by_sagemaker:
        return
    total = sum(c for c in counts if c is not None)
    loc = LIMITS + ("MaxNumberOfTrainingJobs",)
    if total < max_jobs:
        reason = "no_ranges" if not any(d.tuned_names for d in v.definitions) else "few"
        found.error(loc, "ranges.not_enough_combinations", reason=reason, max_jobs=max_jobs, total=total,
                     source="ranges")
    elif v.strategy == "Grid" and total != max_jobs:
        found.warning(loc, "grid.max_jobs", max_jobs=max_jobs, total=total, source="strategy")


def objective_metric(v: View, found: Problems) -> None:
    """[metrics] custom images define their objective metric; built-in XGBoost emits a fixed set [xgboost]."""
    for d in v.definitions:
        metric = d.objective.get("MetricName")
        if not isinstance(metric, str) or not metric or metric in d.metric_names:
            continue
        loc = d.objective_loc + ("MetricName",)
        if d.image.xgboost and xgboost.algorithm_mode(d.statics):
            continue  # algorithm mode: the container's own list decides (xgboost_container.xgboost_hyperparameters)
        if d.image.xgboost and xgboost.metric_direction(metric) is None:
            found.error(loc, "xgboost.metric", metric=clipped_repr(metric), source="xgboost")
        elif not d.image.builtin:
            found.error(loc, "custom.metric_undefined", metric=clipped_repr(metric), source="metrics")


def hyperband(v: View, found: Problems) -> None:
    """[strategy] Hyperband: early stopping Off, StrategyConfig only with it, MaxResource given or inferable."""
    config = mapping(v.config.get("StrategyConfig")).get("HyperbandStrategyConfig")
    if v.strategy != "Hyperband":
        if "StrategyConfig" in v.config:
            found.error(CONFIG + ("StrategyConfig",), "hyperband.config_without_hyperband",
                         strategy=v.strategy, source="strategy")
        return
    if v.config.get("TrainingJobEarlyStoppingType") == "Auto":
        found.error(CONFIG + ("TrainingJobEarlyStoppingType",), "hyperband.early_stopping", source="strategy")
    low, high = _integer_or_none(mapping(config).get("MinResource")), _integer_or_none(mapping(config).get("MaxResource"))
    if low is not None and high is not None and low > high:
        found.error(CONFIG + ("StrategyConfig", "HyperbandStrategyConfig", "MinResource"),
                     "hyperband.min_above_max", low=low, high=high, source="strategy")
    if high is None and not any(any(n in d.statics for n in HYPERBAND_EPOCH_NAMES) for d in v.definitions):
        found.error(CONFIG + ("StrategyConfig", "HyperbandStrategyConfig", "MaxResource"),
                     "hyperband.max_resource", epoch_names=list(HYPERBAND_EPOCH_NAMES), source="strategy")


def grid_categorical_only(v: View, found: Problems) -> None:
    if v.strategy != "Grid":
        return
    for d in v.definitions:
        for range_list in NUMERIC_RANGE_LISTS:
            if items(d.ranges.get(range_list)):
                found.error(d.ranges_loc + (range_list,), "grid.numeric_range", source="strategy")


def spot_wait_time(v: View, found: Problems) -> None:
    """[spot] managed spot needs MaxWaitTimeInSeconds >= MaxRuntimeInSeconds."""
    for d in v.definitions:
        if d.body.get("EnableManagedSpotTraining") is not True:
            continue
        stopping = mapping(d.body.get("StoppingCondition"))
        wait, run = _integer_or_none(stopping.get("MaxWaitTimeInSeconds")), _integer_or_none(stopping.get("MaxRuntimeInSeconds"))
        loc = d.loc + ("StoppingCondition", "MaxWaitTimeInSeconds")
        if wait is None:
            found.error(loc, "spot.max_wait_required", source="spot")
        elif run is not None and wait < run:
            found.error(loc, "spot.max_wait_too_short", wait=wait, runtime=run, source="spot")


def metric_direction(v: View, found: Problems) -> None:
    for d in v.definitions:
        metric, direction = d.objective.get("MetricName"), d.objective.get("Type")
        expected = xgboost.metric_direction(metric) if d.image.xgboost and isinstance(metric, str) else None
        if expected and direction in ("Minimize", "Maximize") and direction != expected and metric not in d.metric_names:
            found.warning(d.objective_loc + ("Type",), "objective.direction", reason=expected.lower(),
                         given=direction, metric=metric, expected=expected, source="xgboost")


def limits_sanity(v: View, found: Problems) -> None:
    parallel = _integer_or_none(v.limits.get("MaxParallelTrainingJobs"))
    total = _integer_or_none(v.limits.get("MaxNumberOfTrainingJobs"))
    loc = LIMITS
    if parallel is not None and total is not None and parallel > total >= 1:
        found.warning(loc + ("MaxParallelTrainingJobs",), "limits.parallel_above_total", parallel=parallel,
                     total=total)
    if parallel is not None and parallel > DEFAULT_MAX_PARALLEL:
        found.warning(loc + ("MaxParallelTrainingJobs",), "limits.quota_parallel", parallel=parallel,
                     quota=DEFAULT_MAX_PARALLEL, source="limits")
    if total is not None and total > DEFAULT_MAX_JOBS:
        found.warning(loc + ("MaxNumberOfTrainingJobs",), "limits.quota_jobs", total=total,
                     quota=DEFAULT_MAX_JOBS, source="limits")


RULES: tuple[Rule, ...] = (
    ranges_total, range_bounds, hyperparameter_count, resource_limits, enough_combinations, objective_metric,
    xgboost_num_round, xgboost_hyperparameters, hyperband, grid_categorical_only, spot_wait_time, metric_direction,
    xgboost_channels, limits_sanity,
)


def check(request: Any, found: Problems, image_kind: Optional[ImageKind] = None) -> None:
    if not isinstance(request, Mapping):
        return
    v = view(request, image_kind)
    for rule in RULES:
        rule(v, found)
