"""A tuning job's training jobs, as plain records: from any client (AWS, the local engine) or from saved AWS CLI output.

The listing is ListTrainingJobsForHyperParameterTuningJob, 100 summaries a call (10,000 jobs: 100 calls), never a
DescribeTrainingJob each; the ranges, objective and strategy come from one DescribeHyperParameterTuningJob. Every
picture, table and file of the report reads these records, as Optuna's visualization code computes a plain record of
what each plot shows before drawing it.
"""

from __future__ import annotations

import datetime
import json
import math
import pathlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ..local.search import AUTO_LOG_RATIO

PAGE_SIZE = 100  # the listing's largest page


class ReportInputError(ValueError):
    """A saved file cannot be read as the AWS CLI's output; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Range:
    name: str
    kind: str  # "continuous", "integer", "categorical"
    low: Optional[float] = None
    high: Optional[float] = None
    scaling: str = "Auto"
    values: tuple[str, ...] = ()

    @property
    def log(self) -> bool:
        """Drawn on a log axis: Logarithmic, or Auto over two orders of magnitude (the local engine's reading)."""
        if self.low is None or self.high is None or self.low <= 0:
            return False
        return self.scaling == "Logarithmic" or (self.scaling == "Auto" and self.high / self.low >= AUTO_LOG_RATIO)


@dataclass(frozen=True)
class TrainingJob:
    name: str
    status: str
    objective: Optional[float]  # FinalHyperParameterTuningJobObjectiveMetric.Value, when finite
    tuned: Mapping[str, str]
    created: Optional[datetime.datetime] = None
    started: Optional[datetime.datetime] = None
    ended: Optional[datetime.datetime] = None
    failure_reason: str = ""
    early_stopped: bool = False
    definition: Optional[str] = None

    @property
    def elapsed(self) -> Optional[float]:
        return (self.ended - self.started).total_seconds() if self.started and self.ended else None


@dataclass(frozen=True)
class TuningData:
    name: str
    status: str
    strategy: str
    metric: str
    maximize: bool
    ranges: tuple[Range, ...]
    jobs: tuple[TrainingJob, ...]  # in the order they started
    counters: Mapping[str, int] = field(default_factory=dict)
    max_jobs: Optional[int] = None
    failure_reason: str = ""

    def better(self, a: float, b: float) -> bool:
        return a > b if self.maximize else a < b


def from_client(name: str, client: Any, on_page: Optional[Callable[[int], None]] = None) -> TuningData:
    """The tuning job's description and every training job, through the client's own paginator."""
    from ..aws.errors import aws_call
    from ..aws.lifecycle import pages

    with aws_call(name, "DescribeHyperParameterTuningJob"):
        described = client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)
    summaries: list[dict[str, Any]] = []
    for summary in pages(client, "list_training_jobs_for_hyper_parameter_tuning_job", "TrainingJobSummaries", name,
                         HyperParameterTuningJobName=name, PaginationConfig={"PageSize": PAGE_SIZE}):
        summaries.append(summary)
        if on_page is not None and len(summaries) % PAGE_SIZE == 0:
            on_page(len(summaries))
    return tuning_data(described, summaries)


def from_files(describe_file: str, list_files: Sequence[str]) -> TuningData:
    """`aws sagemaker describe-hyper-parameter-tuning-job` and `list-training-jobs-for-hyper-parameter-tuning-job`
    output: one list file with every summary (the CLI pages for you), or one page per file."""
    described = _json_object(describe_file, "HyperParameterTuningJobName")
    summaries: list[Any] = []
    for path in list_files:
        page = _json_object(path, "TrainingJobSummaries")
        if not isinstance(page["TrainingJobSummaries"], list):
            raise ReportInputError(f"{path}: TrainingJobSummaries must be a list")
        summaries += page["TrainingJobSummaries"]
    for i, summary in enumerate(summaries):
        if not isinstance(summary, Mapping) or not isinstance(summary.get("TrainingJobName"), str):
            raise ReportInputError(f"training job summary {i} has no TrainingJobName: not the AWS CLI's output")
    return tuning_data(described, summaries)


def _json_object(path: str, key: str) -> dict[str, Any]:
    try:
        data = json.loads(pathlib.Path(path).read_bytes())
    except OSError as exc:
        raise ReportInputError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise ReportInputError(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, dict) or key not in data:
        raise ReportInputError(f"{path}: no {key}: not the output of the AWS CLI command this flag takes")
    return data


def tuning_data(described: Mapping[str, Any], summaries: Iterable[Mapping[str, Any]]) -> TuningData:
    config = _mapping(described.get("HyperParameterTuningJobConfig"))
    objective = _mapping(config.get("HyperParameterTuningJobObjective"))
    strategy = str(config.get("Strategy") or "Bayesian")
    status = str(described.get("HyperParameterTuningJobStatus") or "Unknown")
    early = config.get("TrainingJobEarlyStoppingType") == "Auto" or strategy == "Hyperband"
    jobs = [_job(s, early and status != "Stopped") for s in summaries]
    jobs.sort(key=lambda j: (j.started or j.created or _EPOCH, j.name))
    limits = _mapping(config.get("ResourceLimits"))
    counters = _mapping(described.get("TrainingJobStatusCounters"))
    return TuningData(
        name=str(described.get("HyperParameterTuningJobName") or ""), status=status, strategy=strategy,
        metric=str(objective.get("MetricName") or "objective"), maximize=objective.get("Type") == "Maximize",
        ranges=tuple(_ranges(_mapping(config.get("ParameterRanges")))), jobs=tuple(jobs),
        counters={str(k): v for k, v in counters.items() if isinstance(v, int)},
        max_jobs=limits.get("MaxNumberOfTrainingJobs") if isinstance(limits.get("MaxNumberOfTrainingJobs"), int) else None,
        failure_reason=str(described.get("FailureReason") or ""))


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def number(value: Any) -> Optional[float]:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _time(value: Any) -> Optional[datetime.datetime]:
    """A boto3 datetime, the AWS CLI's ISO 8601 text, or epoch seconds."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return datetime.datetime.fromtimestamp(value, tz=datetime.timezone.utc)
    if isinstance(value, str):
        try:
            return _time(datetime.datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return None
    return None


def _job(summary: Mapping[str, Any], may_be_early_stopped: bool) -> TrainingJob:
    final = _mapping(summary.get("FinalHyperParameterTuningJobObjectiveMetric"))
    status = str(summary.get("TrainingJobStatus") or "Unknown")
    tuned = _mapping(summary.get("TunedHyperParameters"))
    return TrainingJob(
        name=str(summary.get("TrainingJobName")), status=status, objective=number(final.get("Value")),
        tuned={str(k): str(v) for k, v in tuned.items()}, created=_time(summary.get("CreationTime")),
        started=_time(summary.get("TrainingStartTime")), ended=_time(summary.get("TrainingEndTime")),
        failure_reason=str(summary.get("FailureReason") or ""),
        early_stopped=may_be_early_stopped and status == "Stopped",
        definition=summary.get("TrainingJobDefinitionName") if isinstance(summary.get("TrainingJobDefinitionName"), str)
        else None)


def _ranges(ranges: Mapping[str, Any]) -> list[Range]:
    found = []
    for kind, key in (("continuous", "ContinuousParameterRanges"), ("integer", "IntegerParameterRanges")):
        for r in ranges.get(key) or []:
            if isinstance(r, Mapping) and isinstance(r.get("Name"), str):
                found.append(Range(r["Name"], kind, number(r.get("MinValue")), number(r.get("MaxValue")),
                                   str(r.get("ScalingType") or "Auto")))
    for r in ranges.get("CategoricalParameterRanges") or []:
        if isinstance(r, Mapping) and isinstance(r.get("Name"), str):
            found.append(Range(r["Name"], "categorical", values=tuple(str(v) for v in r.get("Values") or [])))
    return sorted(found, key=lambda r: r.name)
