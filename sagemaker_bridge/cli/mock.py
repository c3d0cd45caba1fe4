"""`--mock`: an embedded, in-process moto SageMaker, so the whole flow runs with no AWS account.

Each command is its own process, so the requests submitted under --mock are kept in a small state file and replayed
into moto at the start of the next --mock command (SAGEMAKER_BRIDGE_MOCK_STATE, else the user's cache directory).
moto completes tuning jobs at once and does not implement StopHyperParameterTuningJob.
"""

from __future__ import annotations

import json
import os
import pathlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from ..files import cache_dir, write_atomically

DEFAULT_REGION = "us-east-1"


class MockUnavailable(RuntimeError):
    pass


def state_path() -> pathlib.Path:
    explicit = os.environ.get("SAGEMAKER_BRIDGE_MOCK_STATE")
    if explicit:
        return pathlib.Path(explicit)
    return pathlib.Path(cache_dir()) / "mock-jobs.json"


class MockSageMaker:
    def __init__(self, client: Any, path: pathlib.Path):
        self.client, self.path = client, path

    def _saved(self) -> list[dict[str, Any]]:
        try:
            saved = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return []
        return [r for r in saved if isinstance(r, dict)] if isinstance(saved, list) else []

    def replay(self) -> None:
        for request in self._saved():
            try:
                self.client.create_hyper_parameter_tuning_job(**request)
            except Exception:  # a stale or foreign entry must not stop the demo
                continue

    def record(self, request: Mapping[str, Any]) -> None:
        """Add the request to the state file. Concurrent --mock commands each add theirs: the read-modify-write is
        done under an exclusive lock, and the file is replaced atomically so a reader never sees half of it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(self.path.with_name(self.path.name + ".lock")):
            name = request["HyperParameterTuningJobName"]
            saved = [r for r in self._saved() if r.get("HyperParameterTuningJobName") != name]
            write_atomically(str(self.path), json.dumps(saved + [dict(request)], default=str))


@contextmanager
def _locked(lock_path: pathlib.Path) -> Iterator[None]:
    with open(lock_path, "a") as lock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock, the atomic replace still holds
            yield
            return
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def embedded_sagemaker(region: str | None) -> Iterator[MockSageMaker]:
    try:
        from moto import mock_aws
    except ImportError:
        raise MockUnavailable("--mock needs moto: pip install 'sagemaker-bridge[mock]'") from None
    from ..aws import make_client

    keys = {"AWS_ACCESS_KEY_ID": "mock-access-key", "AWS_SECRET_ACCESS_KEY": "mock-secret-key"}
    saved_env = {k: os.environ.get(k) for k in (*keys, "AWS_SESSION_TOKEN", "AWS_PROFILE")}
    os.environ.update(keys)  # the mock never sees the user's real credentials
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE"):
        os.environ.pop(name, None)
    try:
        with mock_aws():
            mock = MockSageMaker(make_client(region=region or DEFAULT_REGION), state_path())
            mock.replay()
            yield mock
    finally:
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

