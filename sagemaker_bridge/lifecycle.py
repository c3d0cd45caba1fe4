"""Submit, track and stop tuning jobs: idempotent by job name, retried by botocore, failures as clear exceptions."""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Iterable, Mapping
from typing import Any, Callable, Optional

from . import job_status
from .aws_errors import (
    JobConflictError,
    JobFailedError,
    JobNotFoundError,
    RequestRejectedError,
    SageMakerError,
    WaitTimeoutError,
    aws_call,
    remember_secrets,
)
from .compare import differences
from .job_status import JobStatus

log = logging.getLogger("sagemaker_bridge")
PAGE_SIZE = 100  # ListHyperParameterTuningJobs' largest page
DEFAULT_MAX_ATTEMPTS = 5  # botocore standard retry mode (throttling, 5xx, broken connections); AWS_MAX_ATTEMPTS wins
MAX_POLL_FACTOR = 4  # wait() backs off to at most this many times poll_seconds while nothing changes


def make_client(*, region: Optional[str] = None, endpoint_url: Optional[str] = None,
                profile: Optional[str] = None) -> Any:
    """A SageMaker client from boto3's standard credential chain, with botocore's `standard` retry mode."""
    with aws_call(operation="CreateClient"):
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(profile_name=profile, region_name=region)
        client = session.client("sagemaker", endpoint_url=endpoint_url, config=Config(
            retries={"mode": "standard", "total_max_attempts": _max_attempts()}, user_agent_extra="sagemaker-bridge"))
        credentials = session.get_credentials()
        if credentials is not None:
            frozen = credentials.get_frozen_credentials()
            remember_secrets(frozen.access_key, frozen.secret_key, frozen.token)
        return client


def _max_attempts() -> int:
    try:
        return max(1, int(os.environ.get("AWS_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)))
    except ValueError:
        return DEFAULT_MAX_ATTEMPTS


def _client(client: Any, region: Optional[str], endpoint_url: Optional[str], profile: Optional[str]) -> Any:
    return client if client is not None else make_client(region=region, endpoint_url=endpoint_url, profile=profile)


def submit(request: Mapping[str, Any], *, client: Any = None, region: Optional[str] = None,
           endpoint_url: Optional[str] = None, profile: Optional[str] = None, check: bool = True) -> str:
    """Create the tuning job and return its ARN; a retry of the same request returns the same ARN, never a 2nd job.

    With `check` (the default) the request is validated first (validate_request) and refused with TranslationError
    before any call is made.
    """
    name = str(request.get("HyperParameterTuningJobName", ""))
    if check:
        from .problems import TranslationError
        from .translate import validate_request

        problems = validate_request(request)
        if any(p.is_error for p in problems):
            raise TranslationError(problems)
    client = _client(client, region, endpoint_url, profile)
    try:
        with aws_call(name, "CreateHyperParameterTuningJob"):
            arn = str(client.create_hyper_parameter_tuning_job(**request)["HyperParameterTuningJobArn"])
        log.info("created tuning job %s: %s", name, arn)
        return arn
    except SageMakerError as exc:
        if exc.code != "ResourceInUse":
            raise
    # The name is taken: by this very request (an earlier attempt whose answer was lost), or by another job.
    with aws_call(name, "DescribeHyperParameterTuningJob"):
        described = client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)
    diff = differences(request, described)
    if diff:
        raise JobConflictError(name, diff)
    log.info("tuning job %s already exists with this request; reusing it", name)
    return str(described["HyperParameterTuningJobArn"])


def status(name: str, *, client: Any = None, region: Optional[str] = None, endpoint_url: Optional[str] = None,
           profile: Optional[str] = None) -> JobStatus:
    client = _client(client, region, endpoint_url, profile)
    return _describe(client, name)


def _describe(client: Any, name: str) -> JobStatus:
    with aws_call(name, "DescribeHyperParameterTuningJob"):
        described = client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)
    region = getattr(getattr(client, "meta", None), "region_name", None)
    ended = described.get("HyperParameterTuningJobStatus") in job_status.TERMINAL
    best = (described.get("BestTrainingJob") or {}).get("TrainingJobName") if ended else None  # final model only
    return job_status.from_description(described, region=region, model_artifacts=_model_artifacts(client, best))


def _model_artifacts(client: Any, training_job: Optional[str]) -> Optional[str]:
    """The best job's model from DescribeTrainingJob; None when it cannot be read (status falls back to the path)."""
    if not training_job:
        return None
    try:
        with aws_call(training_job, "DescribeTrainingJob"):
            described = client.describe_training_job(TrainingJobName=training_job)
    except SageMakerError as exc:
        log.debug("could not read the model of training job %s: %s", training_job, exc)
        return None
    uri = (described.get("ModelArtifacts") or {}).get("S3ModelArtifacts")
    return uri if isinstance(uri, str) and uri else None


def statuses(names: Iterable[str], *, client: Any = None, region: Optional[str] = None,
             endpoint_url: Optional[str] = None, profile: Optional[str] = None) -> dict[str, JobStatus]:
    """Many jobs for about one call per 100 in flight: in-progress jobs come from ListHyperParameterTuningJobs pages;
    only the others (ended, stopping, or not listed yet) are described, to get their best training job."""
    wanted = list(dict.fromkeys(names))
    client = _client(client, region, endpoint_url, profile)
    region = getattr(getattr(client, "meta", None), "region_name", region)
    pending = {n.lower(): n for n in wanted}  # SageMaker's names are unique without regard to case
    found: dict[str, JobStatus] = {}
    token: Optional[str] = None
    while pending:
        kwargs: dict[str, Any] = {"MaxResults": PAGE_SIZE, "StatusEquals": "InProgress",
                                  "SortBy": "CreationTime", "SortOrder": "Descending"}
        if token:
            kwargs["NextToken"] = token
        with aws_call(operation="ListHyperParameterTuningJobs"):
            page = client.list_hyper_parameter_tuning_jobs(**kwargs)
        for summary in page.get("HyperParameterTuningJobSummaries", []):
            asked = pending.pop(str(summary.get("HyperParameterTuningJobName", "")).lower(), None)
            if asked is not None:
                found[asked] = job_status.from_description(summary, region=region)
        token = page.get("NextToken")
        if not token:
            break
    for name in pending.values():
        try:
            found[name] = _describe(client, name)
        except JobNotFoundError as exc:  # one deleted job must not hide the others
            found[name] = job_status.not_found(name, exc.aws_message, region)
    return {name: found[name] for name in wanted}


def list_jobs(*, status_equals: Optional[str] = None, name_contains: Optional[str] = None, limit: int = 100,
              client: Any = None, region: Optional[str] = None, endpoint_url: Optional[str] = None,
              profile: Optional[str] = None) -> list[JobStatus]:
    """The newest tuning jobs first, from ListHyperParameterTuningJobs (no best job: a summary has none)."""
    client = _client(client, region, endpoint_url, profile)
    region = getattr(getattr(client, "meta", None), "region_name", region)
    kwargs: dict[str, Any] = {"SortBy": "CreationTime", "SortOrder": "Descending"}
    kwargs.update({k: v for k, v in (("StatusEquals", status_equals), ("NameContains", name_contains)) if v})
    jobs: list[JobStatus] = []
    token: Optional[str] = None
    while len(jobs) < limit:
        with aws_call(operation="ListHyperParameterTuningJobs"):
            page = client.list_hyper_parameter_tuning_jobs(MaxResults=min(PAGE_SIZE, limit - len(jobs)), **kwargs,
                                                           **({"NextToken": token} if token else {}))
        jobs += [job_status.from_description(s, region=region) for s in page.get("HyperParameterTuningJobSummaries", [])]
        token = page.get("NextToken")
        if not token:
            break
    return jobs[:limit]


def wait(name: str, *, client: Any = None, poll_seconds: float = 30, timeout_seconds: Optional[float] = None,
         on_progress: Optional[Callable[[JobStatus], None]] = None, region: Optional[str] = None,
         endpoint_url: Optional[str] = None, profile: Optional[str] = None,
         sleep: Callable[[float], None] = time.sleep) -> JobStatus:
    """Poll until the job ends; back off (with jitter) while nothing changes; raise JobFailedError on Failed."""
    client = _client(client, region, endpoint_url, profile)
    started, delay, last_key = time.monotonic(), poll_seconds, None
    while True:
        current = _describe(client, name)
        if current.progress_key() != last_key:
            last_key, delay = current.progress_key(), poll_seconds
            if on_progress is not None:
                on_progress(current)
        else:
            delay = min(delay * 1.5, poll_seconds * MAX_POLL_FACTOR)
        if current.terminal:
            if current.phase == "FAILED":
                raise JobFailedError(current)
            return current
        pause = delay * random.uniform(0.8, 1.2)
        if timeout_seconds is not None:
            left = timeout_seconds - (time.monotonic() - started)
            if left <= 0:
                raise WaitTimeoutError(current, timeout_seconds)
            pause = min(pause, left)
        sleep(pause)


def stop(name: str, *, client: Any = None, region: Optional[str] = None, endpoint_url: Optional[str] = None,
         profile: Optional[str] = None) -> JobStatus:
    """Stop the job; stopping one that is already stopping, stopped or finished is success. Returns its status."""
    client = _client(client, region, endpoint_url, profile)
    try:
        with aws_call(name, "StopHyperParameterTuningJob"):
            client.stop_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)
    except RequestRejectedError:  # SageMaker refuses to stop a job that is not InProgress
        current = _describe(client, name)
        if current.status == "InProgress":
            raise
        return current
    log.info("asked SageMaker to stop tuning job %s", name)
    return _describe(client, name)
