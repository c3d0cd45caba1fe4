"""AWS failures as a small hierarchy of clear exceptions, carrying the AWS code, message and job name.

Messages are scrubbed of anything that looks like a credential before they are stored, so no exception text or log
line built from one can leak a key or token.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Optional

from ..problems import clipped_repr


class SageMakerError(Exception):
    """Something SageMaker (or the way to it) refused; `code` is AWS's error code when there is one."""

    def __init__(self, message: str, *, code: str = "", job_name: str = "", operation: str = ""):
        self.code, self.job_name, self.operation = code, job_name, operation
        self.aws_message = redact(one_line(message))
        where = f" for tuning job {clipped_repr(job_name)}" if job_name else ""
        super().__init__(f"{code + ': ' if code else ''}{self.aws_message}{where}")


class AccessDeniedError(SageMakerError):
    """The credentials work but lack a permission (IAM policy, SCP, or the job role's trust)."""


class CredentialsError(SageMakerError):
    """No credentials, expired ones, or ones AWS does not recognize."""


class ResourceLimitError(SageMakerError):
    """A quota (concurrent tuning jobs, instances) is exhausted."""


class RequestRejectedError(SageMakerError):
    """SageMaker refused the request (ValidationException)."""


class ThrottledError(SageMakerError):
    """Still throttled after botocore's retries."""


class JobNotFoundError(SageMakerError):
    """No tuning job has this name in this account and region."""


class ConnectionFailedError(SageMakerError):
    """SageMaker could not be reached, or the connection broke, after retries."""


class JobConflictError(SageMakerError):
    """A different tuning job already has this name; `differences` names the fields that differ."""

    def __init__(self, job_name: str, differences: list[str]):
        self.differences = differences
        shown = ", ".join(differences[:10]) + (f" and {len(differences) - 10} more" if len(differences) > 10 else "")
        super().__init__(f"a different tuning job already has this name (differs in {shown}); "
                         "choose another job name", code="ResourceInUse", job_name=job_name)


class JobFailedError(SageMakerError):
    """wait() saw the tuning job fail; `status` is its last JobStatus."""

    def __init__(self, status: Any):
        self.status = status
        super().__init__(status.message or "the tuning job failed", code="Failed", job_name=status.name)


class WaitTimeoutError(SageMakerError, TimeoutError):
    """wait() gave up before the tuning job ended (the job goes on); `status` is the last one seen."""

    def __init__(self, status: Any, seconds: float):
        self.status = status
        super().__init__(f"still {status.status} after {seconds:g} seconds; the job goes on", job_name=status.name)


# AWS error code -> exception class; anything else is a plain SageMakerError.
ERROR_CODES: dict[str, type[SageMakerError]] = {
    **dict.fromkeys(("AccessDenied", "AccessDeniedException", "UnauthorizedOperation"), AccessDeniedError),
    **dict.fromkeys(("ExpiredToken", "ExpiredTokenException", "UnrecognizedClientException", "InvalidClientTokenId",
                     "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignature",
                     "MissingAuthenticationToken", "RequestExpired"), CredentialsError),
    "ResourceLimitExceeded": ResourceLimitError,
    "ValidationException": RequestRejectedError,
    **dict.fromkeys(("ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded",
                     "ProvisionedThroughputExceededException", "SlowDown"), ThrottledError),
    "ResourceNotFound": JobNotFoundError,
}
# botocore's own exceptions (no AWS answer) by class name, so botocore is imported only when a call fails.
BOTOCORE_ERRORS: dict[str, type[SageMakerError]] = {
    **dict.fromkeys(("NoCredentialsError", "PartialCredentialsError", "ProfileNotFound", "CredentialRetrievalError",
                     "TokenRetrievalError", "SSOTokenLoadError", "UnauthorizedSSOTokenError"), CredentialsError),
    **dict.fromkeys(("EndpointConnectionError", "ConnectionClosedError", "ReadTimeoutError", "ConnectTimeoutError",
                     "ConnectionError", "HTTPClientError", "ProxyConnectionError"), ConnectionFailedError),
}

_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA|ANPA|AGPA)[A-Z0-9]{12,}\b")
_SECRET_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
_known_secrets: set[str] = set()


_MARKUP = re.compile(r"<[^>]*>")
_HTML_PAGE = re.compile(r"\s*(?:<!doctype html|<html|<head|<body|<\?xml)", re.IGNORECASE)
MAX_AWS_MESSAGE = 400


def one_line(message: str) -> str:
    """An error body as one readable line, clipped. Only an HTML page (a proxy's, moto server's) loses its markup:
    botocore's own messages say things like "type: <class 'str'>" that must survive."""
    if _HTML_PAGE.match(message):
        message = _MARKUP.sub(" ", message)
    text = " ".join(message.split())
    return text if len(text) <= MAX_AWS_MESSAGE else text[: MAX_AWS_MESSAGE - 3] + "..."


def remember_secrets(*values: Optional[str]) -> None:
    """Values redact() must hide wherever they appear (the credentials of clients we make)."""
    _known_secrets.update(v for v in values if v and len(v) >= 8)


def redact(text: str) -> str:
    """The text without any credential we know of, as written or URL-encoded in any mix (a server may echo a query
    string), and without anything shaped like an access key id."""
    secrets = _known_secrets | {v for name in _SECRET_ENV if len(v := os.environ.get(name, "")) >= 8}
    for secret in sorted(secrets, key=len, reverse=True):
        text = _secret_pattern(secret).sub("***", text)
    return _KEY_ID.sub("***", text)


@functools.lru_cache(maxsize=64)
def _secret_pattern(secret: str) -> re.Pattern[str]:
    """Each character as itself or its %XX escape (hex digits in either case); a space also as '+'."""
    parts = []
    for char in secret:
        if char.isalnum():
            parts.append(re.escape(char))
            continue
        escaped = "".join(f"%(?i:{byte:02x})" for byte in char.encode("utf-8"))
        parts.append(f"(?:{re.escape(char)}|{escaped}{'|[+]' if char == ' ' else ''})")
    return re.compile("".join(parts))


def from_exception(exc: BaseException, job_name: str = "", operation: str = "") -> Optional[SageMakerError]:
    """Our exception for a botocore/AWS one; None when `exc` is not from AWS or botocore."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict) and "Error" in response:
        err = response.get("Error") or {}
        code = str(err.get("Code", "")) or "Unknown"
        message = str(err.get("Message", "")) or code
        return ERROR_CODES.get(code, SageMakerError)(message, code=code, job_name=job_name, operation=operation)
    for cls in type(exc).__mro__:
        if cls.__name__ in BOTOCORE_ERRORS and cls.__module__.startswith("botocore"):
            return BOTOCORE_ERRORS[cls.__name__](str(exc), code=type(exc).__name__, job_name=job_name,
                                                 operation=operation)
    if type(exc).__module__.startswith("botocore"):
        return SageMakerError(str(exc), code=type(exc).__name__, job_name=job_name, operation=operation)
    return None


@contextmanager
def aws_call(job_name: str = "", operation: str = "") -> Iterator[None]:
    """Turn whatever boto3 raises inside into our hierarchy (`from None`: the original may quote credentials)."""
    try:
        yield
    except SageMakerError:
        raise
    except Exception as exc:
        ours = from_exception(exc, job_name, operation)
        if ours is None:
            raise
        raise ours from None
