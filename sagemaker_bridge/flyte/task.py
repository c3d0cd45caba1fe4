"""SageMakerTuningTask: declare a SageMaker tuning job in Python; Flyte runs it through the connector.

It serializes to a TaskTemplate of the connector's task type: `custom` is the HyperparameterTuningJob as proto3
JSON (as flytekit wrote it), and `config[CONFIG_KEY]` holds the HyperparameterTuningJobConfig and what the IDL
cannot say (static hyperparameters, training image, overrides...). A task translate() would refuse is refused
when it is declared, not at run time on the cluster. Locally (`pyflyte run`, or calling it in Python) the
connector runs in-process against SageMaker or the configured endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional, Union

from flytekit.core.base_task import PythonTask
from flytekit.core.interface import Interface
from flytekit.extend.backend.base_connector import AsyncConnectorExecutorMixin
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

from ..mapping import validate
from ..mapping.options import DEFAULT_MAX_RUNTIME_SECONDS
from ..problems import TranslationError
from .connector import TASK_TYPE
from .inputs import CONFIG_KEY


@dataclass(frozen=True)
class ContinuousRange:
    min_value: float
    max_value: float
    scaling: str = "AUTO"  # AUTO, LINEAR, LOGARITHMIC, REVERSELOGARITHMIC

    def to_flyte(self) -> dict[str, Any]:
        return {"continuousParameterRange": {"minValue": self.min_value, "maxValue": self.max_value,
                                             "scalingType": self.scaling}}


@dataclass(frozen=True)
class IntegerRange:
    min_value: int
    max_value: int
    scaling: str = "AUTO"

    def to_flyte(self) -> dict[str, Any]:
        return {"integerParameterRange": {"minValue": str(self.min_value), "maxValue": str(self.max_value),
                                          "scalingType": self.scaling}}


@dataclass(frozen=True)
class CategoricalRange:
    values: Sequence[str]

    def to_flyte(self) -> dict[str, Any]:
        return {"categoricalParameterRange": {"values": list(self.values)}}


Range = Union[ContinuousRange, IntegerRange, CategoricalRange]


@dataclass(frozen=True)
class Objective:
    metric_name: str
    direction: str = "MAXIMIZE"  # or MINIMIZE


@dataclass(frozen=True)
class XGBoost:
    """SageMaker's built-in XGBoost; its image is found by region and version ("1.7" means the newest 1.7 build)."""

    version: str = ""


@dataclass(frozen=True)
class CustomImage:
    """Your own training container; SageMaker reads each metric from its logs with the regex given here."""

    image: str
    metric_definitions: Mapping[str, str]  # metric name -> regex


class SageMakerTuningTask(AsyncConnectorExecutorMixin, PythonTask):  # type: ignore[misc]
    """Inputs: one FlyteDirectory per data channel (`train`, `validation` by default). Outputs: `model` (the best
    training job's model.tar.gz), `best_objective` and `best_hyperparameters`."""

    def __init__(self, name: str, *, algorithm: Union[XGBoost, CustomImage], instance_type: str,
                 max_number_of_training_jobs: int, max_parallel_training_jobs: int, ranges: Mapping[str, Range],
                 objective: Objective, instance_count: int = 1, volume_size_in_gb: int = 30,
                 strategy: str = "BAYESIAN", early_stopping: str = "OFF", input_mode: str = "FILE",
                 static_hyperparameters: Optional[Mapping[str, Any]] = None,
                 channels: Sequence[str] = ("train", "validation"), max_runtime_seconds: int = DEFAULT_MAX_RUNTIME_SECONDS,
                 tags: Optional[Mapping[str, str]] = None, overrides: Optional[Mapping[str, Any]] = None,
                 region: Optional[str] = None, **kwargs: Any) -> None:
        if isinstance(algorithm, CustomImage):
            name_and_version = {"algorithmName": "CUSTOM", "metricDefinitions": [
                {"name": n, "regex": r} for n, r in algorithm.metric_definitions.items()]}
        else:
            name_and_version = {"algorithmName": "XGBOOST", "algorithmVersion": algorithm.version}
        self._job = {
            "trainingJob": {
                "algorithmSpecification": {"inputMode": input_mode, "inputContentType": "TEXT_CSV", **name_and_version},
                "trainingJobResourceConfig": {"instanceCount": str(instance_count), "instanceType": instance_type,
                                              "volumeSizeInGb": str(volume_size_in_gb)}},
            "maxNumberOfTrainingJobs": str(max_number_of_training_jobs),
            "maxParallelTrainingJobs": str(max_parallel_training_jobs)}
        self._config = {
            "hyperparameterRanges": {"parameterRangeMap": {n: r.to_flyte() for n, r in ranges.items()}},
            "tuningStrategy": strategy,
            "tuningObjective": {"objectiveType": objective.direction, "metricName": objective.metric_name},
            "trainingJobEarlyStoppingType": early_stopping}
        self._extras: dict[str, Any] = {
            "config": self._config, "static_hyperparameters": dict(static_hyperparameters or {}),
            "max_runtime_seconds": max_runtime_seconds, "tags": dict(tags or {}), "overrides": dict(overrides or {})}
        if isinstance(algorithm, CustomImage):
            self._extras["training_image"] = algorithm.image
        _refuse_what_translate_would(self._job, self._extras, channels, region)
        interface = Interface(inputs={c: FlyteDirectory for c in channels},
                              outputs={"model": FlyteFile, "best_objective": float, "best_hyperparameters": dict[str, str]})
        super().__init__(task_type=TASK_TYPE, name=name, task_config=None, interface=interface, **kwargs)

    def get_custom(self, settings: Any) -> dict[str, Any]:
        return self._job

    def get_config(self, settings: Any) -> dict[str, str]:
        return {CONFIG_KEY: json.dumps(self._extras, sort_keys=True)}


def _refuse_what_translate_would(job: Mapping[str, Any], extras: Mapping[str, Any], channels: Sequence[str],
                                 region: Optional[str]) -> None:
    """Run every check now, with stand-ins for what only a run knows (job name, role, S3 paths, region)."""
    options = {k: v for k, v in extras.items() if k != "config"}
    problems = validate(job, extras["config"], job_name="declared-task", role_arn="arn:aws:iam::000000000000:role/declared",
                        inputs={c: f"s3://declared-bucket/{c}/" for c in channels},
                        output_path="s3://declared-bucket/output", region=region or "us-east-1", **options)
    if any(p.is_error for p in problems):
        raise TranslationError(problems)
