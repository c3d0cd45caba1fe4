"""sagemaker-bridge: Flyte's SageMaker hyperparameter tuning messages -> a checked CreateHyperParameterTuningJob request.

The parts, each importing only those above it in this list (tests/test_layout.py RANK holds them to it):
    wording, lazy, files   each problem code's sentence, worded once; exports loaded on first use; the cache
                           folder and atomic writes
    problems               what can be wrong and where
    vocabulary, bounds, botocore_data   Flyte's names <-> SageMaker's; limits on any input; botocore's data files
    idl, algorithms        any form of Flyte's messages -> typed model; built-in algorithms as data (XGBoost's
                           images, versions, and each container release's hyperparameters)
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

from .idl import with_ranges as with_ranges
from .lazy import exports
from .mapping import translate as translate, validate as validate, validate_request as validate_request
from .problems import Problem as Problem, TranslationError as TranslationError, TranslationWarning as TranslationWarning

# Imported on first use (lazy.py): a dry run never loads boto3's side or the way back. The names are listed here once;
# the TYPE_CHECKING imports below repeat them only for type checkers, and tests/test_layout.py holds the two equal.
LAZY = {
    ".aws": ("AccessDeniedError", "ConnectionFailedError", "CredentialsError", "JobConflictError", "JobFailedError",
             "JobNotFoundError", "JobStatus", "RequestRejectedError", "ResourceLimitError", "SageMakerError",
             "ThrottledError", "WaitTimeoutError", "job_name", "make_client", "status", "statuses", "stop", "submit",
             "wait"),
    ".mapping": ("from_request",),
}
EAGER = ("Problem", "TranslationError", "TranslationWarning", "translate", "validate", "validate_request", "with_ranges")
__getattr__, __dir__ = exports(__name__, LAZY)
__all__ = sorted(EAGER + tuple(name for names in LAZY.values() for name in names))

if TYPE_CHECKING:
    from .aws import (
        AccessDeniedError as AccessDeniedError,
        ConnectionFailedError as ConnectionFailedError,
        CredentialsError as CredentialsError,
        JobConflictError as JobConflictError,
        JobFailedError as JobFailedError,
        JobNotFoundError as JobNotFoundError,
        JobStatus as JobStatus,
        RequestRejectedError as RequestRejectedError,
        ResourceLimitError as ResourceLimitError,
        SageMakerError as SageMakerError,
        ThrottledError as ThrottledError,
        WaitTimeoutError as WaitTimeoutError,
        job_name as job_name,
        make_client as make_client,
        status as status,
        statuses as statuses,
        stop as stop,
        submit as submit,
        wait as wait,
    )
    from .mapping import from_request as from_request
