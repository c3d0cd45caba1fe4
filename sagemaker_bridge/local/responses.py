"""SageMaker's answers, shaped as botocore's output shapes say, from the local engine's rows.

Shapes: botocore's SageMaker model, DescribeHyperParameterTuningJobResponse, HyperParameterTuningJobSummary,
HyperParameterTrainingJobSummary and DescribeTrainingJobResponse (the tests check every answer against them).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping
from typing import Any, Optional

from .plan import TUNING_METRIC
from .store import TrainingRow, TuningRow

ACCOUNT = "000000000000"  # local jobs belong to no AWS account


def arn(region: str, kind: str, name: str) -> str:
    return f"arn:aws:sagemaker:{region}:{ACCOUNT}:{kind}/{name.lower()}"


def name_of(resource_arn: str) -> str:
    return resource_arn.rsplit("/", 1)[-1]


def when(seconds: Optional[float]) -> Optional[datetime.datetime]:
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc) if seconds is not None else None


def _without_none(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def _has_objective(job: TrainingRow) -> bool:
    return job.status != "InProgress" and job.objective is not None and math.isfinite(job.objective)


def counters(jobs: Iterable[TrainingRow]) -> tuple[dict[str, int], dict[str, int]]:
    """TrainingJobStatusCounters and ObjectiveStatusCounters. A failed job is a NonRetryableError (the engine never
    retries); a stopped job that reported its objective counts as Succeeded."""
    listed = list(jobs)
    status = [j.status for j in listed]
    training = {"Completed": status.count("Completed"), "InProgress": status.count("InProgress"),
                "RetryableError": 0, "NonRetryableError": status.count("Failed"), "Stopped": status.count("Stopped")}
    succeeded = sum(_has_objective(j) for j in listed)
    pending = status.count("InProgress")
    return training, {"Succeeded": succeeded, "Pending": pending, "Failed": len(listed) - succeeded - pending}


def objective_status(job: TrainingRow) -> str:
    return "Pending" if job.status == "InProgress" else "Succeeded" if _has_objective(job) else "Failed"


def best(jobs: Iterable[TrainingRow], maximize: bool) -> Optional[TrainingRow]:
    """The completed job with the best finite objective; the earlier one on a tie."""
    ranked = [j for j in jobs if j.status == "Completed" and _has_objective(j)]
    if not ranked:
        return None
    return sorted(ranked, key=lambda j: (-(j.objective or 0.0) if maximize else (j.objective or 0.0), j.number))[0]


def training_summary(job: TrainingRow, tuning: TuningRow, region: str) -> dict[str, Any]:
    objective = tuning.request["HyperParameterTuningJobConfig"]["HyperParameterTuningJobObjective"]
    final = ({"Type": objective["Type"], "MetricName": objective["MetricName"], "Value": job.objective}
             if _has_objective(job) else None)
    return _without_none({
        "TrainingJobName": job.name, "TrainingJobArn": arn(region, "training-job", job.name),
        "TuningJobName": tuning.name, "CreationTime": when(job.created), "TrainingStartTime": when(job.started),
        "TrainingEndTime": when(job.ended), "TrainingJobStatus": job.status, "TunedHyperParameters": dict(job.tuned),
        "FailureReason": job.failure_reason, "FinalHyperParameterTuningJobObjectiveMetric": final,
        "ObjectiveStatus": objective_status(job),
    })


def definition(tuning: TuningRow) -> dict[str, Any]:
    """The TrainingJobDefinition as sent, with the static SageMaker adds: `_tuning_objective_metric`."""
    d = dict(tuning.request["TrainingJobDefinition"])
    metric = tuning.request["HyperParameterTuningJobConfig"]["HyperParameterTuningJobObjective"]["MetricName"]
    d["StaticHyperParameters"] = {**(d.get("StaticHyperParameters") or {}), TUNING_METRIC: metric}
    return d


def describe_tuning_job(tuning: TuningRow, jobs: list[TrainingRow], region: str) -> dict[str, Any]:
    training, objectives = counters(jobs)
    config = tuning.request["HyperParameterTuningJobConfig"]
    top = best(jobs, config["HyperParameterTuningJobObjective"]["Type"] == "Maximize")
    return _without_none({
        "HyperParameterTuningJobName": tuning.name,
        "HyperParameterTuningJobArn": arn(region, "hyper-parameter-tuning-job", tuning.name),
        "HyperParameterTuningJobConfig": config, "TrainingJobDefinition": definition(tuning),
        "WarmStartConfig": tuning.request.get("WarmStartConfig"), "Autotune": tuning.request.get("Autotune"),
        "HyperParameterTuningJobStatus": tuning.status, "CreationTime": when(tuning.created),
        "HyperParameterTuningEndTime": when(tuning.ended), "LastModifiedTime": when(tuning.modified),
        "TrainingJobStatusCounters": training, "ObjectiveStatusCounters": objectives,
        "BestTrainingJob": training_summary(top, tuning, region) if top else None,
        "FailureReason": tuning.failure_reason, "TuningJobCompletionDetails": tuning.completion,
    })


def tuning_summary(tuning: TuningRow, jobs: list[TrainingRow], region: str) -> dict[str, Any]:
    training, objectives = counters(jobs)
    config = tuning.request["HyperParameterTuningJobConfig"]
    return _without_none({
        "HyperParameterTuningJobName": tuning.name,
        "HyperParameterTuningJobArn": arn(region, "hyper-parameter-tuning-job", tuning.name),
        "HyperParameterTuningJobStatus": tuning.status, "Strategy": config.get("Strategy", "Bayesian"),
        "CreationTime": when(tuning.created), "HyperParameterTuningEndTime": when(tuning.ended),
        "LastModifiedTime": when(tuning.modified), "TrainingJobStatusCounters": training,
        "ObjectiveStatusCounters": objectives, "ResourceLimits": config.get("ResourceLimits"),
    })


def describe_training_job(job: TrainingRow, tuning: TuningRow, region: str) -> dict[str, Any]:
    d = definition(tuning)
    objective = tuning.request["HyperParameterTuningJobConfig"]["HyperParameterTuningJobObjective"]
    metrics = ([{"MetricName": objective["MetricName"], "Value": job.objective, "Timestamp": when(job.ended)}]
               if _has_objective(job) else None)
    return _without_none({
        "TrainingJobName": job.name, "TrainingJobArn": arn(region, "training-job", job.name),
        "TuningJobArn": arn(region, "hyper-parameter-tuning-job", tuning.name),
        "ModelArtifacts": {"S3ModelArtifacts": job.model or ""},
        "TrainingJobStatus": job.status, "SecondaryStatus": job.secondary, "FailureReason": job.failure_reason,
        "HyperParameters": {**d["StaticHyperParameters"], **job.tuned},
        "AlgorithmSpecification": d["AlgorithmSpecification"], "RoleArn": d.get("RoleArn"),
        "InputDataConfig": d.get("InputDataConfig"), "OutputDataConfig": d.get("OutputDataConfig"),
        "ResourceConfig": d["ResourceConfig"], "StoppingCondition": d["StoppingCondition"],
        "CreationTime": when(job.created), "TrainingStartTime": when(job.started), "TrainingEndTime": when(job.ended),
        "LastModifiedTime": when(job.ended or job.started), "FinalMetricDataList": metrics,
    })
