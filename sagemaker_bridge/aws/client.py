"""The SageMaker client: boto3's credential chain, botocore's `standard` retries, and what we read back from a client.

boto3 is imported here, on first use, and nowhere in the core: a dry run never loads it.
"""

from __future__ import annotations

import math
import os
from typing import Any, Optional, TypeVar

from .errors import aws_call, remember_secrets

T = TypeVar("T")

DEFAULT_MAX_ATTEMPTS = 5  # botocore standard retry mode (throttling, 5xx, broken connections); AWS_MAX_ATTEMPTS wins
# SageMaker's control plane answers in well under a second; botocore's 60 s read timeout times 5 attempts let a
# stalled endpoint hold a call for 5 minutes. Environment variables override these; so do make_client's arguments.
TIMEOUT_SETTINGS = {"connect_timeout": ("SAGEMAKER_BRIDGE_CONNECT_TIMEOUT", 5.0),
                    "read_timeout": ("SAGEMAKER_BRIDGE_READ_TIMEOUT", 10.0)}


def make_client(*, region: Optional[str] = None, endpoint_url: Optional[str] = None, profile: Optional[str] = None,
                connect_timeout: Optional[float] = None, read_timeout: Optional[float] = None,
                max_attempts: Optional[int] = None) -> Any:
    """A SageMaker client from boto3's standard credential chain, with botocore's `standard` retry mode and timeouts
    suited to SageMaker's control plane (seconds; defaults in TIMEOUT_SETTINGS, or their environment variables)."""
    with aws_call(operation="CreateClient"):
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(botocore_session=_botocore_session(), profile_name=profile, region_name=region)
        client = session.client("sagemaker", endpoint_url=endpoint_url, config=Config(
            retries={"mode": "standard", "total_max_attempts": max_attempts or configured_attempts()},
            user_agent_extra="sagemaker-bridge",
            connect_timeout=connect_timeout if connect_timeout is not None else configured_seconds("connect_timeout"),
            read_timeout=read_timeout if read_timeout is not None else configured_seconds("read_timeout")))
        credentials = session.get_credentials()
        if credentials is not None:
            frozen = credentials.get_frozen_credentials()
            remember_secrets(frozen.access_key, frozen.secret_key, frozen.token)
        return client


_loader: Any = None


def _botocore_session() -> Any:
    """A new botocore session (its own credentials and configuration) sharing one data loader per process, so
    botocore's 2.6 MB SageMaker model and endpoint data are read once, not for every client (about 250 ms each)."""
    global _loader
    import botocore.loaders
    import botocore.session

    if _loader is None:
        _loader = botocore.loaders.create_loader()
    session = botocore.session.get_session()
    session.register_component("data_loader", _loader)
    return session


def configured_attempts() -> int:
    try:
        return max(1, int(os.environ.get("AWS_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)))
    except ValueError:
        return DEFAULT_MAX_ATTEMPTS


def configured_seconds(setting: str) -> float:
    """A timeout from its environment variable when that is a positive number of seconds, else the default."""
    variable, default = TIMEOUT_SETTINGS[setting]
    try:
        value = float(os.environ.get(variable, default))
    except ValueError:
        return default
    return value if math.isfinite(value) and value > 0 else default


def resolve(client: Any, region: Optional[str], endpoint_url: Optional[str], profile: Optional[str]) -> Any:
    """The caller's client, or a new one from the connection arguments."""
    return client if client is not None else make_client(region=region, endpoint_url=endpoint_url, profile=profile)


def client_region(client: Any, fallback: Optional[str] = None) -> Optional[str]:
    """The region a client talks to (any object with botocore's `meta.region_name`), else `fallback`."""
    region = getattr(getattr(client, "meta", None), "region_name", None)
    return region if isinstance(region, str) and region else fallback
