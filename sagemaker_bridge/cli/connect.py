"""Where a command's calls go: AWS (boto3's configuration), an endpoint, the embedded moto (--mock), or the local
engine (--local), which really trains. One client each: everything above it runs the same."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Optional

from .specs import UsageError

TARGETS = ("--mock", "--local", "--endpoint-url")
LOCAL_LIBRARIES = ("xgboost", "optuna", "sklearn", "numpy", "scipy")  # the [local] extra, by import name


def aws_args(p: argparse.ArgumentParser, spec: bool = False) -> None:
    """Where the calls go; with `spec`, the spec's own --region flag is already there."""
    if not spec:
        p.add_argument("--region", help="AWS region (default: boto3's configuration: AWS_REGION, "
                                        "AWS_DEFAULT_REGION or the profile's region)")
    p.add_argument("--endpoint-url", metavar="URL", help="a SageMaker endpoint, such as a moto server "
                                                         "(default: AWS's endpoint for the region)")
    p.add_argument("--profile", help="an AWS profile from your configuration (default: boto3's credential chain)")
    p.add_argument("--mock", action="store_true", help="use an embedded moto SageMaker: no AWS account needed "
                                                       "(it stores jobs; it runs nothing)")
    p.add_argument("--local", action="store_true",
                   help="use the local engine: built-in XGBoost tuning jobs that really train on this machine, on "
                        "local data (pip install 'sagemaker-bridge[local]'; jobs kept in $SAGEMAKER_BRIDGE_LOCAL_DIR)")


def chosen(args: argparse.Namespace) -> None:
    given = [flag for flag, on in zip(TARGETS, (args.mock, getattr(args, "local", False), args.endpoint_url)) if on]
    if len(given) > 1:
        raise UsageError(f"{' and '.join(given)} name two places for the calls; give one")


@contextmanager
def connect(args: argparse.Namespace, region: Optional[str] = None) -> Iterator[tuple[Any, Any]]:
    """(client, the mock or None) for the command's flags; what the client warns of is printed as a warning line."""
    chosen(args)
    region = args.region or region
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        if args.mock:
            from .mock import embedded_sagemaker

            with embedded_sagemaker(region) as mock:
                yield mock.client, mock
        elif args.local:
            yield local_client(), None
        else:
            from ..aws import make_client

            yield make_client(region=region, endpoint_url=args.endpoint_url, profile=args.profile), None


def _show_warning(message: Any, *_: Any, **__: Any) -> None:
    print(f"warning: {message}", file=sys.stderr)


def local_client() -> Any:
    import importlib.util

    missing = [name for name in LOCAL_LIBRARIES if importlib.util.find_spec(name) is None]  # found, not imported
    if missing:
        raise LocalUnavailable(f"--local needs the local engine's libraries ({', '.join(missing)} missing): "
                               "pip install 'sagemaker-bridge[local]'")
    from ..local import LocalSageMaker

    return LocalSageMaker()


class LocalUnavailable(UsageError):
    pass
