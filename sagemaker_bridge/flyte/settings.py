"""The connector's configuration, from environment variables (a connector Deployment sets them; see the README).

Every create/get/delete must answer within Flyte's 10 s RPC deadline (flytepropeller's webApi defaultTimeout), so
each AWS call gets short per-attempt timeouts and few attempts, and each whole operation a deadline under 10 s.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Optional

PREFIX = "SAGEMAKER_BRIDGE_"


@dataclass(frozen=True)
class ConnectorSettings:
    region: Optional[str] = None  # REGION; else boto3's (AWS_REGION, AWS_DEFAULT_REGION, the profile)
    role_arn: Optional[str] = None  # ROLE_ARN: used when the execution's identity names no IAM role
    output_path: Optional[str] = None  # OUTPUT_PATH: S3 prefix for models when the task's output prefix is not S3
    endpoint_url: Optional[str] = None  # ENDPOINT_URL: a VPC endpoint, or a moto server in tests
    max_attempts: int = 2  # MAX_ATTEMPTS: per AWS call (botocore standard retries)
    connect_timeout: float = 2.0  # CONNECT_TIMEOUT, seconds, per attempt
    read_timeout: float = 4.0  # READ_TIMEOUT, seconds, per attempt
    call_timeout: float = 8.0  # CALL_TIMEOUT, seconds: the whole create/get/delete, retries and all
    local: bool = False  # LOCAL=1: run the jobs in the local engine on this machine (extra [local]), not SageMaker

    @classmethod
    def from_environment(cls) -> ConnectorSettings:
        env = os.environ
        defaults = cls()

        def text(name: str) -> Optional[str]:
            value = env.get(PREFIX + name, "").strip()
            return value or None

        def seconds(name: str, default: float) -> float:
            try:
                value = float(env.get(PREFIX + name, default))
            except ValueError:
                return default
            return value if math.isfinite(value) and value > 0 else default

        try:
            attempts = max(1, int(env.get(PREFIX + "MAX_ATTEMPTS", defaults.max_attempts)))
        except ValueError:
            attempts = defaults.max_attempts
        return cls(region=text("REGION"), role_arn=text("ROLE_ARN"), output_path=text("OUTPUT_PATH"),
                   endpoint_url=text("ENDPOINT_URL"), max_attempts=attempts,
                   connect_timeout=seconds("CONNECT_TIMEOUT", defaults.connect_timeout),
                   read_timeout=seconds("READ_TIMEOUT", defaults.read_timeout),
                   call_timeout=seconds("CALL_TIMEOUT", defaults.call_timeout),
                   local=env.get(PREFIX + "LOCAL", "").strip().lower() in ("1", "true", "yes", "on"))
