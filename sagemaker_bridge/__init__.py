"""sagemaker-bridge: Flyte's SageMaker hyperparameter tuning messages -> a checked CreateHyperParameterTuningJob request.

The flow, one module a step:
    parse.load      any form of the Flyte messages (dict, JSON, bytes, message) -> normalized dict -> model.py
    render.render   model + options (options.py) -> request dict, with where each part came from
    aws_model.check the request against botocore's model (layer 1)
    rules.check     SageMaker's server-side rules and likely mistakes (layers 2 and 3)
translate.py strings them together. Then, talking to SageMaker (boto3 is imported only here):
    lifecycle       submit (idempotent by name), status, statuses, wait, stop -> status.JobStatus
    aws_errors      AWS failures as a small hierarchy of exceptions, scrubbed of credentials
"""

from .aws_errors import (
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
from .job_status import JobStatus
from .lifecycle import make_client, status, statuses, stop, submit, wait
from .naming import job_name
from .parse import with_ranges
from .problems import Problem, TranslationError, TranslationWarning
from .translate import translate, validate, validate_request

__all__ = [
    "AccessDeniedError", "ConnectionFailedError", "CredentialsError", "JobConflictError", "JobFailedError",
    "JobNotFoundError", "JobStatus", "Problem", "RequestRejectedError", "ResourceLimitError", "SageMakerError",
    "ThrottledError", "TranslationError", "TranslationWarning", "WaitTimeoutError", "job_name", "make_client",
    "status", "statuses", "stop", "submit", "translate", "validate", "validate_request", "wait", "with_ranges",
]
__version__ = "0.1.0"
