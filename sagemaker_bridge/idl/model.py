"""The typed domain: Flyte's tuning job and config as small frozen dataclasses (enum values keep Flyte's names)."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, ClassVar, Union

from ..problems import Problems


@dataclass(frozen=True)
class ContinuousRange:
    """A ContinuousParameterRange of the config's map, with the name it is keyed by."""

    flyte_member: ClassVar[str] = "continuous_parameter_range"
    name: str
    min_value: float
    max_value: float
    scaling_type: str


@dataclass(frozen=True)
class IntegerRange:
    """An IntegerParameterRange (int64 bounds) with its name."""

    flyte_member: ClassVar[str] = "integer_parameter_range"
    name: str
    min_value: int
    max_value: int
    scaling_type: str


@dataclass(frozen=True)
class CategoricalRange:
    """A CategoricalParameterRange: its values as Flyte gave them, in order."""

    flyte_member: ClassVar[str] = "categorical_parameter_range"
    name: str
    values: tuple[str, ...]


Range = Union[ContinuousRange, IntegerRange, CategoricalRange]


@dataclass(frozen=True)
class MetricDefinition:
    """A custom image's metric: its name and the regex SageMaker reads it from the logs with."""

    name: str
    regex: str


@dataclass(frozen=True)
class TuningJob:
    """HyperparameterTuningJob, flattened: what render() needs of its TrainingJob and limits."""

    algorithm_name: str
    algorithm_version: str
    input_mode: str
    input_content_type: str
    metric_definitions: tuple[MetricDefinition, ...]
    instance_count: int
    instance_type: str
    volume_size_in_gb: int
    distributed_protocol: str
    max_number_of_training_jobs: int
    max_parallel_training_jobs: int


@dataclass(frozen=True)
class TuningConfig:
    """HyperparameterTuningJobConfig: ranges, strategy, objective, early stopping (Flyte's enum names)."""

    ranges: tuple[Range, ...]  # sorted by name: map order never changes the request
    strategy: str
    objective_type: str
    metric_name: str
    early_stopping: str


_by_name = operator.attrgetter("name")


def tuning_job(d: dict[str, Any]) -> TuningJob:
    algorithm = d["training_job"]["algorithm_specification"]
    resources = d["training_job"]["training_job_resource_config"]
    return TuningJob(
        algorithm_name=algorithm["algorithm_name"],
        algorithm_version=algorithm["algorithm_version"],
        input_mode=algorithm["input_mode"],
        input_content_type=algorithm["input_content_type"],
        metric_definitions=tuple(MetricDefinition(m["name"], m["regex"]) for m in algorithm["metric_definitions"]),
        instance_count=resources["instance_count"],
        instance_type=resources["instance_type"],
        volume_size_in_gb=resources["volume_size_in_gb"],
        distributed_protocol=resources["distributed_protocol"],
        max_number_of_training_jobs=d["max_number_of_training_jobs"],
        max_parallel_training_jobs=d["max_parallel_training_jobs"],
    )


def tuning_config(d: dict[str, Any], problems: Problems) -> TuningConfig:
    ranges = []
    for name, one_of in d["hyperparameter_ranges"]["parameter_range_map"].items():
        r = parameter_range(name, one_of)
        if r is None:
            problems.error(("config", "hyperparameter_ranges", name), "input.empty_range")
        else:
            ranges.append(r)
    objective = d["tuning_objective"]
    return TuningConfig(
        ranges=tuple(sorted(ranges, key=_by_name)),
        strategy=d["tuning_strategy"],
        objective_type=objective["objective_type"],
        metric_name=objective["metric_name"],
        early_stopping=d["training_job_early_stopping_type"],
    )


def parameter_range(name: str, one_of: dict[str, Any]) -> Range | None:
    """The set member of a ParameterRangeOneOf; None when none is set (reported by the checks)."""
    if one_of.get("continuous_parameter_range") is not None:
        c = one_of["continuous_parameter_range"]
        return ContinuousRange(name, c["min_value"], c["max_value"], c["scaling_type"])
    if one_of.get("integer_parameter_range") is not None:
        i = one_of["integer_parameter_range"]
        return IntegerRange(name, i["min_value"], i["max_value"], i["scaling_type"])
    if one_of.get("categorical_parameter_range") is not None:
        return CategoricalRange(name, tuple(one_of["categorical_parameter_range"]["values"]))
    return None
