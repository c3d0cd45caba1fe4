"""sagemaker-bridge: Flyte's SageMaker hyperparameter tuning messages -> a checked CreateHyperParameterTuningJob request.

The parts, each importing only those above it in this list:
    problems, vocabulary   what can be wrong and where; Flyte's names <-> SageMaker's
    idl                    any form of Flyte's messages (dict, JSON, bytes, message, Struct) -> typed model
    algorithms             built-in algorithms as data: XGBoost's images, versions and metrics
    checks                 a request against botocore's model (layer 1) and SageMaker's rules (layers 2 and 3)
    mapping                translate(): decode -> render -> check, problems reported at the user's input; and back
    aws                    submit (idempotent by name), status, statuses, wait, stop (boto3 is imported only here)
    local                  the local engine: LocalSageMaker, tuning jobs that really train here (extra [local])
    report                 the tuning report: records, CSV, HTML, an Optuna study (extra [report])
    cli, flyte             the sagemaker-bridge command line; the flytekit connector and authoring task
The core (problems to mapping) never imports boto3, PyYAML, moto or flytekit.
"""

__version__ = "0.1.0"

from typing import TYPE_CHECKING

from .idl import with_ranges
from .lazy import exports
from .mapping import translate, validate, validate_request
from .problems import Problem, TranslationError, TranslationWarning

# Imported on first use (lazy.py): a dry run never loads boto3's side or the way back.
LAZY = {
    ".aws": ("AccessDeniedError", "ConnectionFailedError", "CredentialsError", "JobConflictError", "JobFailedError",
             "JobNotFoundError", "JobStatus", "RequestRejectedError", "ResourceLimitError", "SageMakerError",
             "ThrottledError", "WaitTimeoutError", "job_name", "make_client", "status", "statuses", "stop", "submit",
             "wait"),
    ".mapping": ("from_request",),
}
__getattr__, __dir__ = exports(__name__, LAZY)

__all__ = [
    "AccessDeniedError", "ConnectionFailedError", "CredentialsError", "JobConflictError", "JobFailedError",
    "JobNotFoundError", "JobStatus", "Problem", "RequestRejectedError", "ResourceLimitError", "SageMakerError",
    "ThrottledError", "TranslationError", "TranslationWarning", "WaitTimeoutError", "from_request", "job_name", "make_client",
    "status", "statuses", "stop", "submit", "translate", "validate", "validate_request", "wait", "with_ranges",
]

if TYPE_CHECKING:
    from .aws import (
        AccessDeniedError as AccessDeniedError,
    )
    from .aws import (
        ConnectionFailedError as ConnectionFailedError,
    )
    from .aws import (
        CredentialsError as CredentialsError,
    )
    from .aws import (
        JobConflictError as JobConflictError,
    )
    from .aws import (
        JobFailedError as JobFailedError,
    )
    from .aws import (
        JobNotFoundError as JobNotFoundError,
    )
    from .aws import (
        JobStatus as JobStatus,
    )
    from .aws import (
        RequestRejectedError as RequestRejectedError,
    )
    from .aws import (
        ResourceLimitError as ResourceLimitError,
    )
    from .aws import (
        SageMakerError as SageMakerError,
    )
    from .aws import (
        ThrottledError as ThrottledError,
    )
    from .aws import (
        WaitTimeoutError as WaitTimeoutError,
    )
    from .aws import (
        job_name as job_name,
    )
    from .aws import (
        make_client as make_client,
    )
    from .aws import (
        status as status,
    )
    from .aws import (
        statuses as statuses,
    )
    from .aws import (
        stop as stop,
    )
    from .aws import (
        submit as submit,
    )
    from .aws import (
        wait as wait,
    )
    from .mapping import from_request as from_request
