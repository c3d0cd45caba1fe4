"""Flyte's `flyteidl.plugins.sagemaker` schema, as data.

Field numbers and types come from flyteidl v0.18-v1.10 (see shared reference `flyteidl-sagemaker.md`). This one table
drives both the dict decoder (decode.py) and the private protobuf descriptor (proto.py), so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Optional

PACKAGE = "flyteidl.plugins.sagemaker"

# Each enum lives in an empty wrapper message as a nested `Value`, e.g. HyperparameterScalingType.Value.
ENUMS: dict[str, tuple[str, ...]] = {
    "HyperparameterScalingType": ("AUTO", "LINEAR", "LOGARITHMIC", "REVERSELOGARITHMIC"),
    "InputMode": ("FILE", "PIPE"),
    "AlgorithmName": ("CUSTOM", "XGBOOST"),
    "InputContentType": ("TEXT_CSV",),
    "DistributedProtocol": ("UNSPECIFIED", "MPI"),
    "HyperparameterTuningObjectiveType": ("MINIMIZE", "MAXIMIZE"),
    "HyperparameterTuningStrategy": ("BAYESIAN", "RANDOM"),
    "TrainingJobEarlyStoppingType": ("OFF", "AUTO"),
}

@dataclass(frozen=True)
class Field:
    """One field of a Flyte message, as its .proto declares it."""

    name: str
    number: int
    type: str  # a scalar (double, int64, string), an ENUMS key, or a MESSAGES key
    repeated: bool = False
    map_value: bool = False  # map<string, type>
    oneof: Optional[str] = None
    # Paths name map entries without the map's own field (config.hyperparameter_ranges.eta...), as users think of them.
    hide_in_path: bool = False

    @cached_property
    def json_name(self) -> str:
        head, *rest = self.name.split("_")
        return head + "".join(part.capitalize() for part in rest)

    @property
    def is_enum(self) -> bool:
        return self.type in ENUMS

    @property
    def is_message(self) -> bool:
        return self.type in MESSAGES


F = Field
MESSAGES: dict[str, tuple[Field, ...]] = {
    "ContinuousParameterRange": (
        F("max_value", 1, "double"), F("min_value", 2, "double"),
        F("scaling_type", 3, "HyperparameterScalingType"),
    ),
    "IntegerParameterRange": (
        F("max_value", 1, "int64"), F("min_value", 2, "int64"),
        F("scaling_type", 3, "HyperparameterScalingType"),
    ),
    "CategoricalParameterRange": (F("values", 1, "string", repeated=True),),
    "ParameterRangeOneOf": (
        F("continuous_parameter_range", 1, "ContinuousParameterRange", oneof="parameter_range_type"),
        F("integer_parameter_range", 2, "IntegerParameterRange", oneof="parameter_range_type"),
        F("categorical_parameter_range", 3, "CategoricalParameterRange", oneof="parameter_range_type"),
    ),
    "ParameterRanges": (F("parameter_range_map", 1, "ParameterRangeOneOf", map_value=True, hide_in_path=True),),
    "MetricDefinition": (F("name", 1, "string"), F("regex", 2, "string")),
    "AlgorithmSpecification": (
        F("input_mode", 1, "InputMode"), F("algorithm_name", 2, "AlgorithmName"),
        F("algorithm_version", 3, "string"), F("metric_definitions", 4, "MetricDefinition", repeated=True),
        F("input_content_type", 5, "InputContentType"),
    ),
    "TrainingJobResourceConfig": (
        F("instance_count", 1, "int64"), F("instance_type", 2, "string"),
        F("volume_size_in_gb", 3, "int64"), F("distributed_protocol", 4, "DistributedProtocol"),
    ),
    "TrainingJob": (
        F("algorithm_specification", 1, "AlgorithmSpecification"),
        F("training_job_resource_config", 2, "TrainingJobResourceConfig"),
    ),
    "HyperparameterTuningJob": (
        F("training_job", 1, "TrainingJob"), F("max_number_of_training_jobs", 2, "int64"),
        F("max_parallel_training_jobs", 3, "int64"),
    ),
    "HyperparameterTuningObjective": (
        F("objective_type", 1, "HyperparameterTuningObjectiveType"), F("metric_name", 2, "string"),
    ),
    "HyperparameterTuningJobConfig": (
        F("hyperparameter_ranges", 1, "ParameterRanges"),
        F("tuning_strategy", 2, "HyperparameterTuningStrategy"),
        F("tuning_objective", 3, "HyperparameterTuningObjective"),
        F("training_job_early_stopping_type", 4, "TrainingJobEarlyStoppingType"),
    ),
}
del F


def full_name(message: str) -> str:
    return f"{PACKAGE}.{message}"
