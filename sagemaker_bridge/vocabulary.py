"""Flyte's names and SageMaker's, one table each, read in both directions.

`mapping` writes requests with these tables, `checks` reads requests with them, and the way back from a request to a
Flyte spec reads them the other way. Sources: the Flyte IDL (shared reference `flyteidl-sagemaker.md`) and botocore's
SageMaker model (the enum values of HyperParameterTuningJobStrategyType, HyperParameterScalingType...).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Optional

from .problems import Loc


@dataclass(frozen=True)
class Vocabulary(Mapping[str, str]):
    """Flyte name -> SageMaker value, readable backwards with `flyte()`."""

    name: str
    to_sagemaker: Mapping[str, str]
    _to_flyte: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_to_flyte", {v: k for k, v in self.to_sagemaker.items()})

    def __getitem__(self, flyte_name: str) -> str:
        return self.to_sagemaker[flyte_name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_sagemaker)

    def __len__(self) -> int:
        return len(self.to_sagemaker)

    def flyte(self, sagemaker_value: str) -> Optional[str]:
        """The Flyte name for a SageMaker value; None when Flyte has no word for it (Hyperband, Grid...)."""
        return self._to_flyte.get(sagemaker_value)


STRATEGY = Vocabulary("HyperparameterTuningStrategy", {"BAYESIAN": "Bayesian", "RANDOM": "Random"})
OBJECTIVE_TYPE = Vocabulary("HyperparameterTuningObjectiveType", {"MINIMIZE": "Minimize", "MAXIMIZE": "Maximize"})
EARLY_STOPPING = Vocabulary("TrainingJobEarlyStoppingType", {"OFF": "Off", "AUTO": "Auto"})
# ReverseLogarithmic keeps its capital L (the old Go plugin title-cased it to "Reverselogarithmic").
SCALING = Vocabulary("HyperparameterScalingType", {"AUTO": "Auto", "LINEAR": "Linear", "LOGARITHMIC": "Logarithmic",
                                                   "REVERSELOGARITHMIC": "ReverseLogarithmic"})
INPUT_MODE = Vocabulary("InputMode", {"FILE": "File", "PIPE": "Pipe"})
CONTENT_TYPE = Vocabulary("InputContentType", {"TEXT_CSV": "text/csv"})
# A Flyte ParameterRangeOneOf member -> the request's list of that kind of range.
RANGE_LISTS = Vocabulary("ParameterRangeOneOf", {
    "integer_parameter_range": "IntegerParameterRanges",
    "continuous_parameter_range": "ContinuousParameterRanges",
    "categorical_parameter_range": "CategoricalParameterRanges",
})
NUMERIC_RANGE_LISTS = ("IntegerParameterRanges", "ContinuousParameterRanges")
# Static hyperparameters a Flyte distributed protocol asks of SageMaker's containers.
DISTRIBUTED_STATICS: Mapping[str, Mapping[str, str]] = {"UNSPECIFIED": {}, "MPI": {"sagemaker_mpi_enabled": "true"}}

# SageMaker's HyperParameterTuningJobStatus -> Flyte's TaskExecution phase. A status SageMaker adds later reads as
# RUNNING (never as a failure: the old Go plugin failed jobs on "Reconciling").
NOT_FOUND = "NotFound"
PHASES: Mapping[str, str] = {
    "InProgress": "RUNNING", "Completed": "SUCCEEDED", "Failed": "FAILED", "Stopping": "RUNNING",
    "Stopped": "ABORTED", "Deleting": "ABORTED", "DeleteFailed": "FAILED",
    NOT_FOUND: "FAILED",  # ours, not SageMaker's: statuses() reports a missing job instead of failing them all
}
TERMINAL = frozenset(status for status, phase in PHASES.items() if phase != "RUNNING")  # it will not change again
# A node's job in these phases is its job: a retry of the node attaches to it rather than start a second one (an
# unknown status reads as RUNNING, so it is attached to as well).
ATTACHED_PHASES = frozenset({"RUNNING", "SUCCEEDED"})

# Where things live in a CreateHyperParameterTuningJob request.
CONFIG: Loc = ("HyperParameterTuningJobConfig",)
DEFINITION: Loc = ("TrainingJobDefinition",)
RANGES = CONFIG + ("ParameterRanges",)
LIMITS = CONFIG + ("ResourceLimits",)
