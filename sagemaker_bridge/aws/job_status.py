"""A tuning job's state as users and Flyte need it, from DescribeHyperParameterTuningJob or a list summary."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Optional
from urllib.parse import quote

from ..problems import clipped_repr
from ..vocabulary import NOT_FOUND, PHASES, TERMINAL

# Console host per partition (region prefix).
CONSOLE_HOSTS = (("cn-", "console.amazonaws.cn"), ("us-gov-", "console.amazonaws-us-gov.com"), ("", "console.aws.amazon.com"))
LOG_GROUP = "/aws/sagemaker/TrainingJobs"
AWS_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+")  # us-east-1, us-gov-west-1; not the local engine's "local"


@dataclass(frozen=True)
class TrainingJobCounts:
    completed: int = 0
    in_progress: int = 0
    retryable_error: int = 0
    non_retryable_error: int = 0
    stopped: int = 0

    @property
    def finished(self) -> int:
        """Training jobs that will not run again: completed, failed for good, or stopped."""
        return self.completed + self.non_retryable_error + self.stopped


@dataclass(frozen=True)
class ObjectiveCounts:
    succeeded: int = 0
    pending: int = 0
    failed: int = 0


@dataclass(frozen=True)
class BestTrainingJob:
    name: str
    metric_name: Optional[str]
    objective_value: Optional[float]
    tuned_hyperparameters: Mapping[str, str] = field(default_factory=dict)
    definition_name: Optional[str] = None


@dataclass(frozen=True)
class JobStatus:
    name: str
    status: str  # SageMaker's HyperParameterTuningJobStatus
    phase: str  # Flyte's task execution phase
    message: str = ""  # FailureReason, or why the phase is what it is
    arn: Optional[str] = None
    region: Optional[str] = None
    training_jobs: TrainingJobCounts = TrainingJobCounts()
    objectives: ObjectiveCounts = ObjectiveCounts()
    max_training_jobs: Optional[int] = None
    best_training_job: Optional[BestTrainingJob] = None
    model_uri: Optional[str] = None
    console_url: Optional[str] = None
    logs_url: Optional[str] = None  # the best training job's CloudWatch logs; until there is one, training_logs_url
    training_logs_url: Optional[str] = None  # every training job's: SageMaker names them "<tuning job>-NNN-<hash>"
    created: Optional[str] = None  # ISO 8601

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL

    def progress(self) -> str:
        """How far it is, as the command line and Flyte's console both say it: "3/10 training jobs done, 2 running,
        1 failed"."""
        t = self.training_jobs
        done = f"{t.finished}/{self.max_training_jobs}" if self.max_training_jobs else str(t.finished)
        return f"{done} training jobs done, {t.in_progress} running, {t.non_retryable_error + t.retryable_error} failed"

    def progress_key(self) -> tuple[Any, ...]:
        """What changes when there is news for on_progress."""
        best = self.best_training_job
        return (self.status, self.training_jobs, self.objectives, best.name if best else None,
                best.objective_value if best else None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"terminal": self.terminal}


def _count(value: Any) -> int:
    """A counter as SageMaker reports it; 0 for one it leaves out (or a stub gives as anything else)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _counts(data: Mapping[str, Any]) -> tuple[TrainingJobCounts, ObjectiveCounts]:
    t, o = data.get("TrainingJobStatusCounters") or {}, data.get("ObjectiveStatusCounters") or {}
    return (TrainingJobCounts(_count(t.get("Completed")), _count(t.get("InProgress")), _count(t.get("RetryableError")),
                              _count(t.get("NonRetryableError")), _count(t.get("Stopped"))),
            ObjectiveCounts(_count(o.get("Succeeded")), _count(o.get("Pending")), _count(o.get("Failed"))))


def region_of(arn: Optional[str], fallback: Optional[str] = None) -> Optional[str]:
    parts = (arn or "").split(":")
    return parts[3] if len(parts) > 4 and parts[3] else fallback


def console_url(region: str, name: str) -> str:
    host = next(h for prefix, h in CONSOLE_HOSTS if region.startswith(prefix))
    return f"https://{host}/sagemaker/home?region={region}#/hyper-tuning-jobs/{quote(name)}"


def logs_url(region: str, prefix: str) -> str:
    """The CloudWatch page of the training jobs' log streams whose names start with `prefix`."""
    host = next(h for prefix, h in CONSOLE_HOSTS if region.startswith(prefix))
    return (f"https://{host}/cloudwatch/home?region={region}#logStream:group={LOG_GROUP};"
            f"prefix={quote(prefix)};streamFilter=typeLogStreamPrefix")


def best_training_job(data: Mapping[str, Any]) -> Optional[BestTrainingJob]:
    best = data.get("BestTrainingJob") or {}
    name = best.get("TrainingJobName")
    if not isinstance(name, str) or not name:
        return None
    metric = best.get("FinalHyperParameterTuningJobObjectiveMetric") or {}
    value = metric.get("Value")
    return BestTrainingJob(name=name, metric_name=metric.get("MetricName"),
                           objective_value=float(value) if isinstance(value, (int, float)) else None,
                           tuned_hyperparameters=dict(best.get("TunedHyperParameters") or {}),
                           definition_name=best.get("TrainingJobDefinitionName"))


def output_path(data: Mapping[str, Any], best: BestTrainingJob) -> Optional[str]:
    """S3OutputPath of the definition that trained the best job."""
    definitions = [data.get("TrainingJobDefinition") or {}] + list(data.get("TrainingJobDefinitions") or [])
    for d in definitions:
        if len(definitions) == 1 or d.get("DefinitionName") == best.definition_name:
            path = (d.get("OutputDataConfig") or {}).get("S3OutputPath")
            if isinstance(path, str) and path:
                return path
    return None


def from_description(data: Mapping[str, Any], *, region: Optional[str] = None,
                     model_artifacts: Optional[str] = None) -> JobStatus:
    """JobStatus from DescribeHyperParameterTuningJob or a ListHyperParameterTuningJobs summary (which has no best
    job); `model_artifacts` comes from DescribeTrainingJob when it could be read."""
    name = str(data.get("HyperParameterTuningJobName", ""))
    status = str(data.get("HyperParameterTuningJobStatus", "Unknown"))
    arn = data.get("HyperParameterTuningJobArn")
    region = region_of(arn, region)
    best = best_training_job(data)
    model = model_artifacts
    if best and not model and (path := output_path(data, best)):
        model = f"{path.rstrip('/')}/{best.name}/output/model.tar.gz"  # where SageMaker writes it
    training, objectives = _counts(data)
    linked = bool(region and AWS_REGION.fullmatch(region))
    every_job = logs_url(region, f"{name}-") if region and linked else None
    limits = (data.get("HyperParameterTuningJobConfig") or {}).get("ResourceLimits") or data.get("ResourceLimits") or {}
    return JobStatus(
        name=name, status=status, phase=PHASES.get(status, "RUNNING"), message=_message(status, data), arn=arn,
        region=region, training_jobs=training, objectives=objectives,
        max_training_jobs=limits.get("MaxNumberOfTrainingJobs"), best_training_job=best,
        model_uri=model,
        console_url=console_url(region, name) if region and linked else None,
        logs_url=logs_url(region, f"{best.name}/") if region and linked and best else every_job,
        training_logs_url=every_job,
        created=_iso(data.get("CreationTime")),
    )


def unknown(name: str, message: str, region: Optional[str] = None) -> JobStatus:
    """Before SageMaker's first answer: running, as far as anyone knows."""
    return JobStatus(name=name, status="Unknown", phase="RUNNING", message=message, region=region)


def not_found(name: str, message: str, region: Optional[str] = None) -> JobStatus:
    return JobStatus(name=name, status=NOT_FOUND, phase=PHASES[NOT_FOUND], message=message, region=region)


def _iso(value: Any) -> Optional[str]:
    return value.isoformat() if isinstance(value, (datetime.datetime, datetime.date)) else None


def _message(status: str, data: Mapping[str, Any]) -> str:
    reason = data.get("FailureReason")
    if isinstance(reason, str) and reason:
        return reason
    if status not in PHASES:
        return f"SageMaker reports status {clipped_repr(status)}, which this version does not know; treating it as running"
    return ""
