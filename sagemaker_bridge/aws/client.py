"""The SageMaker client: boto3's credential chain, botocore's `standard` retries, and what we read back from a client.

boto3 is imported here, on first use, and nowhere in the core: a dry run never loads it.
"""

from __future__ import annotations

import os
from typing import Any, Optional

from .errors import aws_call, remember_secrets

DEFAULT_MAX_ATTEMPTS = 5  # botocore standard retry mode (throttling, 5xx, broken connections); AWS_MAX_ATTEMPTS wins


def make_client(*, region: Optional[str] = None, endpoint_url: Optional[str] = None,
                profile: Optional[str] = None) -> Any:
    """A SageMaker client from boto3's standard credential chain, with botocore's `standard` retry mode."""
    with aws_call(operation="CreateClient"):
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(profile_name=profile, region_name=region)
        client = session.client("sagemaker", endpoint_url=endpoint_url, config=Config(
            retries={"mode": "standard", "total_max_attempts": max_attempts()}, user_agent_extra="sagemaker-bridge"))
        credentials = session.get_credentials()
        if credentials is not None:
            frozen = credentials.get_frozen_credentials()
            remember_secrets(frozen.access_key, frozen.secret_key, frozen.token)
        return client


def max_attempts() -> int:
    try:
        return max(1, int(os.environ.get("AWS_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)))
    except ValueError:
        return DEFAULT_MAX_ATTEMPTS


def resolve(client: Any, region: Optional[str], endpoint_url: Optional[str], profile: Optional[str]) -> Any:
    """The caller's client, or a new one from the connection arguments."""
    return client if client is not None else make_client(region=region, endpoint_url=endpoint_url, profile=profile)


def client_region(client: Any, fallback: Optional[str] = None) -> Optional[str]:
    """The region a client talks to (any object with botocore's `meta.region_name`), else `fallback`."""
    region = getattr(getattr(client, "meta", None), "region_name", None)
    return region if isinstance(region, str) and region else fallback
