"""Talking to SageMaker: submit (idempotent by name), status, statuses, wait, stop, and failures as clear exceptions.

    client      make_client: boto3's credential chain with botocore's standard retries (boto3 imported only here)
    lifecycle   submit, status, statuses, list_jobs, wait, stop
    job_status  JobStatus: SageMaker's status, Flyte's phase, counters, best job, model, links
    errors      one exception hierarchy under SageMakerError, scrubbed of credentials
    compare     is the described job the one this request asks for?
    naming      job_name(): valid, deterministic, distinct per execution

Each name is imported on first use (lazy.py), so the command line's dry run never loads this side.
"""

from typing import TYPE_CHECKING

from ..lazy import exports

EXPORTS = {
    ".client": ("make_client",),
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
    from .errors import (
        AccessDeniedError as AccessDeniedError,
    )
    from .errors import (
        ConnectionFailedError as ConnectionFailedError,
    )
    from .errors import (
        CredentialsError as CredentialsError,
    )
    from .errors import (
        JobConflictError as JobConflictError,
    )
    from .errors import (
        JobFailedError as JobFailedError,
    )
    from .errors import (
        JobNotFoundError as JobNotFoundError,
    )
    from .errors import (
        RequestRejectedError as RequestRejectedError,
    )
    from .errors import (
        ResourceLimitError as ResourceLimitError,
    )
    from .errors import (
        SageMakerError as SageMakerError,
    )
    from .errors import (
        ThrottledError as ThrottledError,
    )
    from .errors import (
        WaitTimeoutError as WaitTimeoutError,
    )
    from .job_status import JobStatus as JobStatus
    from .lifecycle import describe as describe
    from .lifecycle import list_jobs as list_jobs
    from .lifecycle import status as status
    from .lifecycle import statuses as statuses
    from .lifecycle import stop as stop
    from .lifecycle import submit as submit
    from .lifecycle import wait as wait
    from .naming import job_name as job_name
