"""Submit, track and stop tuning jobs: idempotent by job name, retried by botocore, failures as clear exceptions."""

from __future__ import annotations

import logging
import math
import os
import random
import time
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any, Callable, Optional

from ..checks import check_request
from ..problems import TranslationError, describe_type
from ..vocabulary import NOT_FOUND, TERMINAL
from . import job_status
from .client import client_region, resolve
from .compare import differences
from .deadline import DeadlineExceeded, within
from .errors import (
    JobConflictError,
    JobFailedError,
    JobNotFoundError,
    RequestRejectedError,
    SageMakerError,
    WaitTimeoutError,
    aws_call,
)
from .job_status import JobStatus

log = logging.getLogger("sagemaker_bridge")
PAGE_SIZE = 100  # ListHyperParameterTuningJobs' largest page
MAX_POLL_FACTOR = 4  # wait() backs off to at most this many times poll_seconds while nothing changes
JITTER = 0.2  # wait() sleeps a random 80% to 120% of its delay, so many waiters do not poll in step
MIN_POLL_SECONDS = 1.0  # however small poll_seconds is, SageMaker is not asked more often than this
MIN_SHARED_PREFIX = 4  # statuses() filters the list by the names' common prefix when it is at least this long


def submit(request: Mapping[str, Any], *, client: Any = None, region: Optional[str] = None,
           endpoint_url: Optional[str] = None, profile: Optional[str] = None, check: bool = True) -> str:
    """Create the tuning job and return its ARN; a retry of the same request returns the same ARN, never a 2nd job.

    With `check` (the default) the request is validated first (validate_request) and refused with TranslationError
    before any call is made; a client that runs jobs elsewhere (LocalSageMaker) checks with its `request_problems`.
    """
    if check or not isinstance(request, Mapping):  # not even a mapping: nothing could be sent
        problems = getattr(client, "request_problems", check_request)(request)
        if any(p.is_error for p in problems):
            raise TranslationError(problems)
    name = str(request.get("HyperParameterTuningJobName", ""))
    client = resolve(client, region, endpoint_url, profile)
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
           profile: Optional[str] = None, read_model: bool = True) -> JobStatus:
    """The job's JobStatus. `read_model=False` skips DescribeTrainingJob for an ended job's best model: model_uri is
    then where SageMaker writes it (`<S3OutputPath>/<best job>/output/model.tar.gz`)."""
    client = resolve(client, region, endpoint_url, profile)
    return _describe(client, name, read_model)


def describe(name: str, *, client: Any = None, region: Optional[str] = None, endpoint_url: Optional[str] = None,
             profile: Optional[str] = None) -> dict[str, Any]:
    """DescribeHyperParameterTuningJob's answer, with the job's Tags (which a description leaves out) from ListTags:
    all of the request that made the job, for from_request() to turn into a Flyte spec."""
    client = resolve(client, region, endpoint_url, profile)
    with aws_call(name, "DescribeHyperParameterTuningJob"):
        described = dict(client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name))
    tags: list[dict[str, Any]] = []
    with aws_call(name, "ListTags"):
        for page in client.get_paginator("list_tags").paginate(ResourceArn=described["HyperParameterTuningJobArn"]):
            tags += page.get("Tags", [])
    if tags:
        described["Tags"] = tags
    return described


def _describe(client: Any, name: str, read_model: bool = True) -> JobStatus:
    with aws_call(name, "DescribeHyperParameterTuningJob"):
        described = client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)
    region = client_region(client)
    ended = described.get("HyperParameterTuningJobStatus") in TERMINAL
    best = (described.get("BestTrainingJob") or {}).get("TrainingJobName") if ended and read_model else None
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
             endpoint_url: Optional[str] = None, profile: Optional[str] = None, read_model: bool = True,
             ended: Optional[MutableMapping[str, JobStatus]] = None) -> dict[str, JobStatus]:
    """Many jobs for about one call per 100 in flight: in-progress jobs come from ListHyperParameterTuningJobs pages
    (filtered to the names' common prefix, when they share one of 4 characters or more, so other jobs in flight
    cost nothing); only the others (ended, stopping, or not listed yet) are described, to get their best job.

    `ended`: a dict the caller keeps between rounds. Jobs that have ended are stored in it and, in later rounds,
    answered from it without any call: an ended job never changes.
    """
    wanted = list(dict.fromkeys(_job_names(names)))
    client = resolve(client, region, endpoint_url, profile)
    region = client_region(client, region)
    known = ended if ended is not None else {}
    pending: dict[str, list[str]] = {}  # SageMaker's names are unique without regard to case: one job, all its spellings
    for name in wanted:
        if name.lower() not in known:
            pending.setdefault(name.lower(), []).append(name)
    found: dict[str, JobStatus] = {key: known[key] for key in {n.lower() for n in wanted} if key in known}
    if pending:
        filters = {"StatusEquals": "InProgress"}
        prefix = os.path.commonprefix([spellings[0] for spellings in pending.values()])  # noqa: RUF071 - by character, as wanted
        if len(prefix) >= MIN_SHARED_PREFIX:
            filters["NameContains"] = prefix
        for summary in _summaries(client, filters):
            key = str(summary.get("HyperParameterTuningJobName", "")).lower()
            if key in pending:
                found[key] = job_status.from_description(summary, region=region)
                del pending[key]
            if not pending:
                break
    for key, spellings in pending.items():
        try:
            found[key] = _describe(client, spellings[0], read_model)
        except JobNotFoundError as exc:  # one deleted job must not hide the others
            found[key] = job_status.not_found(spellings[0], exc.aws_message, region)
        if ended is not None and found[key].terminal and found[key].status != NOT_FOUND:
            ended[key] = found[key]
    return {name: found[name.lower()] for name in wanted}


def _job_names(names: Any) -> list[str]:
    """`names` as a list of text, or the same error botocore gives a name that is not text (before any call)."""
    if isinstance(names, (str, bytes)) or not isinstance(names, Iterable):
        raise SageMakerError(f"names must be a collection of tuning job names, got {describe_type(names)} "
                             "(status() takes one name)", code="ParamValidationError")
    listed = list(names)
    for i, name in enumerate(listed):
        if not isinstance(name, str):
            raise SageMakerError(f"names[{i}] must be a tuning job name (text), got {describe_type(name)}",
                                 code="ParamValidationError")
    return listed


def list_jobs(*, status_equals: Optional[str] = None, name_contains: Optional[str] = None, limit: int = 100,
              client: Any = None, region: Optional[str] = None, endpoint_url: Optional[str] = None,
              profile: Optional[str] = None) -> list[JobStatus]:
    """The newest tuning jobs first, from ListHyperParameterTuningJobs (no best job: a summary has none)."""
    client = resolve(client, region, endpoint_url, profile)
    region = client_region(client, region)
    filters = {k: v for k, v in (("StatusEquals", status_equals), ("NameContains", name_contains)) if v}
    summaries = _summaries(client, filters, max_items=limit)
    return [job_status.from_description(s, region=region) for s in summaries][:limit]


def _summaries(client: Any, filters: Mapping[str, Any], max_items: Optional[int] = None) -> Iterator[dict[str, Any]]:
    """Newest first."""
    return pages(client, "list_hyper_parameter_tuning_jobs", "HyperParameterTuningJobSummaries", SortBy="CreationTime",
                 SortOrder="Descending", **filters,
                 PaginationConfig={"PageSize": PAGE_SIZE, **({"MaxItems": max_items} if max_items else {})})


def pages(client: Any, operation: str, key: str, name: str = "", **params: Any) -> Iterator[dict[str, Any]]:
    """Every item under `key` of every page, with botocore's own paginator (it follows NextToken); each page's call
    fails as our exceptions (aws_call), naming the job."""
    iterator = iter(client.get_paginator(operation).paginate(**params))
    model_name = "".join(part.capitalize() for part in operation.split("_"))
    while True:
        with aws_call(name, model_name):
            page = next(iterator, None)
        if page is None:
            return
        yield from page.get(key, [])


def wait(name: str, *, client: Any = None, poll_seconds: float = 30, timeout_seconds: Optional[float] = None,
         on_progress: Optional[Callable[[JobStatus], None]] = None, region: Optional[str] = None,
         endpoint_url: Optional[str] = None, profile: Optional[str] = None,
         sleep: Callable[[float], None] = time.sleep) -> JobStatus:
    """Poll until the job ends; back off (with jitter) while nothing changes; raise JobFailedError on Failed.

    `timeout_seconds` is a deadline that includes the calls in flight: a stalled endpoint cannot stretch it.
    """
    if not (isinstance(poll_seconds, (int, float)) and math.isfinite(poll_seconds) and poll_seconds > 0):
        raise ValueError(f"poll_seconds must be a positive number of seconds, got {poll_seconds!r}")
    started, delay, last_key = time.monotonic(), float(poll_seconds), None
    deadline = None if timeout_seconds is None else started + timeout_seconds
    client = resolve(client, region, endpoint_url, profile)
    current = job_status.unknown(name, "SageMaker has not answered yet", client_region(client, region))
    while True:
        try:
            current = within(deadline, lambda: _describe(client, name))
        except DeadlineExceeded:
            raise WaitTimeoutError(current, float(timeout_seconds or 0)) from None
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
        pause = max(delay * random.uniform(1 - JITTER, 1 + JITTER), MIN_POLL_SECONDS)
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WaitTimeoutError(current, float(timeout_seconds or 0))
            pause = min(pause, left)
        sleep(pause)


def stop(name: str, *, client: Any = None, region: Optional[str] = None, endpoint_url: Optional[str] = None,
         profile: Optional[str] = None) -> JobStatus:
    """Stop the job; stopping one that is already stopping, stopped or finished is success. Returns its status."""
    client = resolve(client, region, endpoint_url, profile)
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
