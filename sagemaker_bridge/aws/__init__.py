"""Talking to SageMaker: submit (idempotent by name), status, statuses, wait, stop, and failures as clear exceptions.

    client      make_client: boto3's credential chain with botocore's standard retries (boto3 imported only here)
    lifecycle   submit, status, statuses, list_jobs, wait, stop
    status      JobStatus: SageMaker's status, Flyte's phase, counters, best job, model, links
    errors      one exception hierarchy under SageMakerError, scrubbed of credentials
    compare     is the described job the one this request asks for?
    naming      job_name(): valid, deterministic, distinct per execution
"""

from .client import make_client
from .errors import (
    AccessDeniedError,
    ConnectionFailedError,
    CredentialsError,
    JobConflictError,
    JobFailedError,
    JobNotFoundError,
    RequestRejectedError,
    ResourceLimitError,
    SageMakerError,
    ThrottledError,
    WaitTimeoutError,
)
from .lifecycle import describe, list_jobs, status, statuses, stop, submit, wait
from .naming import job_name
from .status import JobStatus

__all__ = [
    "AccessDeniedError", "ConnectionFailedError", "CredentialsError", "JobConflictError", "JobFailedError",
    "JobNotFoundError", "JobStatus", "RequestRejectedError", "ResourceLimitError", "SageMakerError", "ThrottledError",
    "WaitTimeoutError", "describe", "job_name", "list_jobs", "make_client", "status", "statuses", "stop", "submit", "wait",
]
