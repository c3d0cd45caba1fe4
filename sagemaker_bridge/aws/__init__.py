"""Talking to SageMaker: submit (idempotent by name), status, statuses, wait, stop, and failures as clear exceptions.

    client      make_client: boto3's credential chain with botocore's standard retries (boto3 imported only here)
    lifecycle   submit, status, statuses, list_jobs, wait, stop
    job_status  JobStatus: SageMaker's status, Flyte's phase, counters, best job, model, links
    errors      one exception hierarchy under SageMakerError, scrubbed of credentials
    compare     is the described job the one this request asks for?
    naming      job_name(): valid, deterministic, distinct per execution
    deadline    within(): a deadline for a whole call, retries and all, on a small shared pool of threads

Each name is imported on first use (lazy.py), so the command line's dry run never loads this side.
"""

from typing import TYPE_CHECKING

from ..lazy import exports

EXPORTS = {
    ".client": ("make_client",),
    ".deadline": ("DeadlineExceeded", "within"),
    ".errors": ("AccessDeniedError", "ConnectionFailedError", "CredentialsError", "JobConflictError", "JobFailedError",
                "JobNotFoundError", "RequestRejectedError", "ResourceLimitError", "SageMakerError", "ThrottledError",
                "WaitTimeoutError"),
    ".lifecycle": ("describe", "list_jobs", "status", "statuses", "stop", "submit", "wait"),
    ".naming": ("job_name",),
    ".job_status": ("JobStatus",),
}
__getattr__, __dir__ = exports(__name__, EXPORTS)
__all__ = sorted(name for names in EXPORTS.values() for name in names)

if TYPE_CHECKING:
    from .client import make_client as make_client
    from .deadline import DeadlineExceeded as DeadlineExceeded, within as within
    from .errors import (
        AccessDeniedError as AccessDeniedError,
        ConnectionFailedError as ConnectionFailedError,
        CredentialsError as CredentialsError,
        JobConflictError as JobConflictError,
        JobFailedError as JobFailedError,
        JobNotFoundError as JobNotFoundError,
        RequestRejectedError as RequestRejectedError,
        ResourceLimitError as ResourceLimitError,
        SageMakerError as SageMakerError,
        ThrottledError as ThrottledError,
        WaitTimeoutError as WaitTimeoutError,
    )
    from .job_status import JobStatus as JobStatus
    from .lifecycle import (
        describe as describe,
        list_jobs as list_jobs,
        status as status,
        statuses as statuses,
        stop as stop,
        submit as submit,
        wait as wait,
    )
    from .naming import job_name as job_name
