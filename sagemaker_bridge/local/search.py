"""The request's search space, strategy and early stopping, in Optuna's terms: Optuna proposes, the engine runs.

Sources: AWS, API_ContinuousParameterRange / API_IntegerParameterRange and the guide's "Define hyperparameter
ranges" (scaling types), "Early stopping" ("How Early Stopping Works") and "Hyperband"; Optuna 5's samplers and
pruners (read from the installed package).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

# Auto scaling: AWS says only that "SageMaker hyperparameter tuning chooses the best scale". We choose Logarithmic for
# a range of positive values spanning at least this ratio (two orders of magnitude, where a linear search would
# spend 99% of its samples in the top decade), else Linear.
AUTO_LOG_RATIO = 100.0


@dataclass(frozen=True)
class Dimension:
    """One tuned hyperparameter. Optuna samples `low..high` (log-uniformly when `log`); ReverseLogarithmic samples
    1 - x log-uniformly, so values crowd toward 1 as AWS defines it; `reverse` says to map the sample back."""

    name: str
    kind: str  # "continuous", "integer", "categorical"
    low: float = 0.0
    high: float = 0.0
    log: bool = False
    reverse: bool = False
    choices: tuple[str, ...] = ()

    def distribution(self) -> Any:
        from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

        if self.kind == "categorical":
            return CategoricalDistribution(self.choices)
        if self.kind == "integer":
            return IntDistribution(int(self.low), int(self.high), log=self.log)
        if self.reverse:
            return FloatDistribution(1.0 - self.high, 1.0 - self.low, log=True)
        return FloatDistribution(self.low, self.high, log=self.log)

    def value_text(self, sampled: Any) -> str:
        """The value as SageMaker hands it to the container: text."""
        if self.kind == "categorical":
            return str(sampled)
        if self.kind == "integer":
            return str(int(sampled))
        value = 1.0 - float(sampled) if self.reverse else float(sampled)
        return repr(min(max(value, self.low), self.high))  # 1 - (1 - x) may step out by an ulp


def _scaled(scaling: str, low: float, high: float) -> tuple[bool, bool]:
    """(log, reverse) for a range's ScalingType."""
    if scaling == "Logarithmic":
        return True, False
    if scaling == "ReverseLogarithmic":
        return False, True
    if scaling == "Auto":
        return low > 0 and high / low >= AUTO_LOG_RATIO, False
    return False, False


def dimensions(ranges: Mapping[str, Any]) -> list[Dimension]:
    """The request's ParameterRanges (already checked: bounds are numbers, min <= max) as Optuna dimensions."""
    found = []
    for r in ranges.get("ContinuousParameterRanges", ()):
        low, high = float(r["MinValue"]), float(r["MaxValue"])
        log, reverse = _scaled(r.get("ScalingType", "Auto"), low, high)
        found.append(Dimension(r["Name"], "continuous", low, high, log=log and low < high, reverse=reverse and low < high))
    for r in ranges.get("IntegerParameterRanges", ()):
        low, high = int(float(r["MinValue"])), int(float(r["MaxValue"]))
        log, _ = _scaled(r.get("ScalingType", "Auto"), low, high)
        found.append(Dimension(r["Name"], "integer", low, high, log=log and low < high))
    for r in ranges.get("CategoricalParameterRanges", ()):
        found.append(Dimension(r["Name"], "categorical", choices=tuple(dict.fromkeys(r["Values"]))))
    return sorted(found, key=lambda d: d.name)


def grid_size(dims: Sequence[Dimension]) -> int:
    return math.prod(len(d.choices) if d.kind == "categorical" else int(d.high - d.low) + 1 for d in dims)


def sampler(strategy: str, dims: Sequence[Dimension], seed: Optional[int]) -> Any:
    """Random -> RandomSampler; Bayesian -> TPESampler (Optuna's GPSampler needs PyTorch, which the [local] extra
    does not bring; TPE is Optuna's default Bayesian optimizer); Grid -> GridSampler over every combination;
    Hyperband -> RandomSampler (Hyperband draws its configurations at random; its pruner stops the weak ones)."""
    import optuna

    if strategy == "Bayesian":
        return optuna.samplers.TPESampler(seed=seed)
    if strategy == "Grid":
        space = {d.name: list(d.choices) if d.kind == "categorical" else list(range(int(d.low), int(d.high) + 1))
                 for d in dims}
        return optuna.samplers.GridSampler(space, seed=seed)
    return optuna.samplers.RandomSampler(seed=seed)


def pruner(strategy: str, config: Mapping[str, Any], num_round: int) -> Any:
    """Hyperband's pruner on boosting rounds (StrategyConfig's MinResource and MaxResource); none otherwise."""
    import optuna

    if strategy != "Hyperband":
        return optuna.pruners.NopPruner()
    settings = (config.get("StrategyConfig") or {}).get("HyperbandStrategyConfig") or {}
    high = int(settings.get("MaxResource") or num_round)
    low = min(int(settings.get("MinResource") or 1), high)
    return optuna.pruners.HyperbandPruner(min_resource=low, max_resource=high, reduction_factor=3)


def worse_than_median(value: float, round_index: int, earlier: Sequence[Sequence[float]], maximize: bool) -> bool:
    """SageMaker's early stopping rule (guide, "How Early Stopping Works"): after each round, take the running
    average of the objective of every earlier training job up to this round, then the median of those; stop this
    job when its value is worse. Earlier jobs that did not reach this round do not count."""
    averages = [statistics.fmean(values[: round_index + 1]) for values in earlier if len(values) > round_index]
    if not averages:
        return False
    median = statistics.median(averages)
    return value < median if maximize else value > median
