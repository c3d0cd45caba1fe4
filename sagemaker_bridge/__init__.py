"""sagemaker-bridge: Flyte's SageMaker hyperparameter tuning messages -> a checked CreateHyperParameterTuningJob request.

The parts, each importing only those above it in this list:
    problems, vocabulary   what can be wrong and where; Flyte's names <-> SageMaker's
    idl                    any form of Flyte's messages (dict, JSON, bytes, message, Struct) -> typed model
    algorithms             built-in algorithms as data: XGBoost's images, versions and metrics
    checks                 a request against botocore's model (layer 1) and SageMaker's rules (layers 2 and 3)
    mapping                translate(): decode -> render -> check, problems reported at the user's input; and back
    aws                    submit (idempotent by name), status, statuses, wait, stop (boto3 is imported only here)
    cli                    the sagemaker-bridge command line
The core (problems to mapping) never imports boto3, PyYAML, moto or flytekit.
"""

__version__ = "0.1.0"

from .aws import (
    AccessDeniedError,
    ConnectionFailedError,
    CredentialsError,
    JobConflictError,
    JobFailedError,
    JobNotFoundError,
    JobStatus,
    RequestRejectedError,
    ResourceLimitError,
    SageMakerError,
    ThrottledError,
    WaitTimeoutError,
    job_name,
    make_client,
    status,
    statuses,
    stop,
    submit,
    wait,
)
from .idl import with_ranges
from .mapping import from_request, translate, validate, validate_request
from .problems import Problem, TranslationError, TranslationWarning

__all__ = [
    "AccessDeniedError", "ConnectionFailedError", "CredentialsError", "JobConflictError", "JobFailedError",
    "JobNotFoundError", "JobStatus", "Problem", "RequestRejectedError", "ResourceLimitError", "SageMakerError",
    "ThrottledError", "TranslationError", "TranslationWarning", "WaitTimeoutError", "from_request", "job_name", "make_client",
    "status", "statuses", "stop", "submit", "translate", "validate", "validate_request", "wait", "with_ranges",
]
