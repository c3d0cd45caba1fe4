"""What the local engine reads from a CreateHyperParameterTuningJob request, and what it refuses to run.

The request is first checked as SageMaker checks it (check_request, with each local URI standing in as an S3 URI);
then the engine's own limits: built-in XGBoost only, data and output on this machine, the channels the objective
needs, data it can read.
"""

from __future__ import annotations

import copy
import os
import pathlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import unquote, urlparse

from ..algorithms import XGBOOST, classify_image, xgboost
from ..checks import check_into, check_request
from ..problems import Loc, Problem, Problems, printable, unique
from ..vocabulary import CONFIG, DEFINITION, LIMITS
from .search import Dimension, dimensions, grid_size

PLACEHOLDER_BUCKET = "sagemaker-bridge-local"  # stands in for a local path while the request is checked as AWS's
SCRIPT_MODE = (xgboost.SCRIPT_PROGRAM, "sagemaker_submit_directory")  # the SageMaker SDK's script mode statics
CHANNELS_AT = DEFINITION + ("InputDataConfig",)
OUTPUT_AT = DEFINITION + ("OutputDataConfig", "S3OutputPath")
TUNING_METRIC = "_tuning_objective_metric"  # SageMaker adds it to the statics (DescribeHyperParameterTuningJob)


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    path: pathlib.Path
    content_type: Optional[str]


@dataclass(frozen=True)
class Plan:
    """One tuning job as the engine runs it."""

    strategy: str
    dims: tuple[Dimension, ...]
    max_jobs: int
    parallel: int
    metric: str  # "validation:auc"
    maximize: bool
    statics: Mapping[str, str]
    channels: tuple[ChannelSpec, ...]
    output: pathlib.Path
    max_runtime: Optional[float]
    early_stopping: bool  # TrainingJobEarlyStoppingType Auto
    target: Optional[float]  # TuningJobCompletionCriteria.TargetObjectiveMetricValue
    seed: Optional[int]
    config: Mapping[str, Any] = field(default_factory=dict)  # HyperParameterTuningJobConfig
    image: str = ""

    def reached(self, value: Optional[float]) -> bool:
        if self.target is None or value is None:
            return False
        return value >= self.target if self.maximize else value <= self.target


def local_path(uri: str) -> Optional[pathlib.Path]:
    """A `file://` URI or a plain path, absolute (a relative one from the current directory); None for s3:// etc."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return pathlib.Path(os.path.abspath(unquote(parsed.netloc + parsed.path)))
    if parsed.scheme and len(parsed.scheme) > 1:  # s3://, https:// ("C:" is a drive, not a scheme)
        return None
    return pathlib.Path(os.path.abspath(os.path.expanduser(uri)))


def as_aws(request: Mapping[str, Any]) -> dict[str, Any]:
    """A copy with each local URI replaced by a placeholder S3 URI, for check_request."""
    return stand_ins(request)[0]


def stand_ins(request: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """as_aws(), and each placeholder with the local URI it stands for."""
    copied: dict[str, Any] = copy.deepcopy(dict(request))
    uris: dict[str, str] = {}
    definition = copied.get("TrainingJobDefinition")
    if not isinstance(definition, dict):
        return copied, uris
    places = [(_at(channel, "DataSource", "S3DataSource"), "S3Uri") for channel in definition.get("InputDataConfig") or []]
    places.append((definition.get("OutputDataConfig"), "S3OutputPath"))
    for i, (holder, key) in enumerate(places):
        if isinstance(holder, dict) and isinstance(holder.get(key), str) and local_path(holder[key]) is not None:
            uris[placeholder(i)] = holder[key]
            holder[key] = placeholder(i)
    return copied, uris


def placeholder(index: int) -> str:
    return f"s3://{PLACEHOLDER_BUCKET}/path-{index}/"


def _at(data: Any, *keys: Any) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, Mapping) else None
    return data


def problems(request: Any) -> list[Problem]:
    """Everything SageMaker would refuse, then everything the local engine cannot run."""
    if not isinstance(request, Mapping):
        return check_request(request)
    found = Problems()
    check_into(as_aws(request), found)
    if not found.has_errors:
        _local_problems(request, found)
    return unique(found)


def _local_problems(request: Mapping[str, Any], found: Problems) -> None:
    if request.get("TrainingJobDefinitions"):
        found.error(("TrainingJobDefinitions",), "local.definitions")
        return
    for member, what in (("WarmStartConfig", "warm start (parent tuning jobs)"), ("Autotune", "Autotune")):
        if request.get(member):
            found.error((member,), "local.unsupported", reason="afresh", what=what)
    d = request.get("TrainingJobDefinition") or {}
    algorithm = d.get("AlgorithmSpecification") or {}
    image = algorithm.get("TrainingImage")
    if not isinstance(image, str) or classify_image(image) != XGBOOST:
        found.error(DEFINITION + ("AlgorithmSpecification",), "local.image", reason="not_xgboost",
                    image=printable(str(image or algorithm.get("AlgorithmName"))))
    statics = d.get("StaticHyperParameters") or {}
    for name in SCRIPT_MODE:
        if name in statics:
            found.error(DEFINITION + ("StaticHyperParameters", name), "local.image", reason="script_mode")
    if "_kfold" in statics:
        found.error(DEFINITION + ("StaticHyperParameters", "_kfold"), "local.unsupported", reason="kfold")
    mark = len(found)
    channels = _channels(d, found)
    output = d.get("OutputDataConfig", {}).get("S3OutputPath", "")
    if local_path(output) is None:
        found.error(OUTPUT_AT, "local.s3", reason="output", uri=printable(output))
    metric = str(_at(request, *CONFIG, "HyperParameterTuningJobObjective", "MetricName") or "")
    data_name = metric.split(":", 1)[0]
    if data_name in ("train", "validation") and data_name not in {c.name for c in channels}:
        found.error(CONFIG + ("HyperParameterTuningJobObjective", "MetricName"), "local.channel",
                    reason="objective", metric=printable(metric), channel=data_name)
    if not any(c.name == "train" for c in channels) and not any(p.code == "local.s3" for p in found.since(mark)):
        found.error(CHANNELS_AT, "local.channel", reason="train")


def _channels(d: Mapping[str, Any], found: Problems) -> list[ChannelSpec]:
    out = []
    for i, channel in enumerate(d.get("InputDataConfig") or []):
        loc: Loc = CHANNELS_AT + (i, "DataSource", "S3DataSource", "S3Uri")
        name = str(channel.get("ChannelName"))
        uri = str(_at(channel, "DataSource", "S3DataSource", "S3Uri") or "")
        path = local_path(uri)
        if path is None:
            found.error(loc, "local.s3", reason="channel", channel=printable(name), uri=printable(uri))
            continue
        if name in ("train", "validation"):
            why = _unreadable(path)
            if why:
                found.error(loc, "local.data", channel=printable(name), path=printable(str(path), 200), **why)
        out.append(ChannelSpec(name, path, channel.get("ContentType")))
    return out


def _unreadable(path: pathlib.Path) -> dict[str, str]:
    """The reason (and its facts) a channel's data cannot be read; {} when it can."""
    from .training import data_files

    if not path.exists():
        return {"reason": "missing"}
    try:
        files = data_files(path)
        if not files:
            return {"reason": "no_files"}
        if not any(f.stat().st_size for f in files):
            return {"reason": "empty"}
        for f in files:
            with open(f, "rb") as handle:
                handle.read(1)
    except OSError as exc:
        return {"reason": "unreadable", "why": str(exc.strerror or exc)}
    return {}


def read_plan(request: Mapping[str, Any]) -> Plan:
    """The plan of a request problems() accepted."""
    config = request["HyperParameterTuningJobConfig"]
    d = request["TrainingJobDefinition"]
    objective = config["HyperParameterTuningJobObjective"]
    metric = objective["MetricName"]
    maximize = objective["Type"] == "Maximize"
    dims = tuple(dimensions(config.get("ParameterRanges") or {}))
    strategy = config.get("Strategy", "Bayesian")
    limits = _at(request, *LIMITS) or {}
    max_jobs = int(limits.get("MaxNumberOfTrainingJobs") or 0)
    if strategy == "Grid":
        max_jobs = min(max_jobs, grid_size(dims)) if max_jobs else grid_size(dims)
    statics = {str(k): str(v) for k, v in (d.get("StaticHyperParameters") or {}).items()}
    statics[TUNING_METRIC] = metric
    criteria = config.get("TuningJobCompletionCriteria") or {}
    runtime = (d.get("StoppingCondition") or {}).get("MaxRuntimeInSeconds")
    seed = config.get("RandomSeed")
    return Plan(
        strategy=strategy, dims=dims, max_jobs=max(max_jobs, 1), parallel=max(int(limits.get("MaxParallelTrainingJobs") or 1), 1),
        metric=metric, maximize=maximize, statics=statics,
        channels=tuple(_channels(d, Problems())), output=local_path(d["OutputDataConfig"]["S3OutputPath"]) or pathlib.Path(),
        max_runtime=float(runtime) if runtime else None,
        early_stopping=config.get("TrainingJobEarlyStoppingType") == "Auto",
        target=float(criteria["TargetObjectiveMetricValue"]) if "TargetObjectiveMetricValue" in criteria else None,
        seed=int(seed) if seed is not None else None, config=config,
        image=str((d.get("AlgorithmSpecification") or {}).get("TrainingImage", "")),
    )
