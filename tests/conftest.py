from __future__ import annotations

import copy
import io
import json
import os
import pathlib
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings

# Property tests. The test command (tox, CI) runs profile "ci": derandomized, so one commit always draws the same
# examples and gets the same verdict; no example database, so nothing a previous run saw changes what this one draws.
# Random exploration is its own command (`tox -e explore`, profile "explore": 10x the examples, new seeds each run,
# never run by CI); what it finds becomes an @example beside the test it broke.
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_QUIET, print_blob=True)
settings.register_profile("explore", max_examples=600, deadline=None, suppress_health_check=_QUIET, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# botocore's model, cut to the operation, is cached between runs (checks/service_model.py): in the tests, in a folder
# of their own rather than the user's ~/.cache, shared by the subprocesses they start.
os.environ.setdefault("SAGEMAKER_BRIDGE_CACHE_DIR", tempfile.mkdtemp(prefix="sagemaker-bridge-test-cache-"))

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# Specs for SageMaker; the local engine's (*-local.yaml) name local paths, which only its translate() takes.
SPECS = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".yaml", ".json") and not p.stem.endswith("-local"))
# Fake credentials: set so boto3 never looks further, and so tests can prove they never leak.
FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN = "AKIAFAKEFAKEFAKE1234", "fakeSecretValue/DoNotLeak+1234567890abcd", "FakeSessionToken0987"


def reported(check: Any, *args: Any, **kwargs: Any) -> list[Any]:
    """What a check that reports to a collector (`found=`) finds, as a list: check(*args, found=..., **kwargs)."""
    from sagemaker_bridge.problems import Problems

    found = Problems()
    check(*args, found=found, **kwargs)
    return list(found)


def load_spec(name: str) -> dict[str, Any]:
    text = (FIXTURES / name).read_text()
    return copy.deepcopy(json.loads(text) if name.endswith(".json") else yaml.safe_load(text))


def split_spec(spec: dict[str, Any]) -> tuple[Any, Any, dict[str, Any]]:
    spec = copy.deepcopy(spec)
    return spec.pop("job"), spec.pop("config"), spec


def fixture_request(name: str, **over: Any) -> dict[str, Any]:
    """The request a fixture spec translates to, with some keyword arguments replaced."""
    from sagemaker_bridge import translate

    job, config, kw = split_spec(load_spec(name))
    return dict(translate(job, config, **{**kw, **over}))


@pytest.fixture(autouse=True)
def fake_aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", FAKE_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", FAKE_TOKEN)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def quick_retry_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's retries run as they do against AWS (same attempts, same decisions); only their back-off sleeps,
    up to 20 s each, are cut to at most 10 ms, so a fault test costs milliseconds instead of seconds."""
    from botocore.retries import standard

    original = standard.ExponentialBackoff.delay_amount
    monkeypatch.setattr(standard.ExponentialBackoff, "delay_amount", lambda self, ctx: min(original(self, ctx), 0.01))


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str


def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str,
            stdin: str | bytes | None = None) -> Ran:
    """The command line in this process, through main(argv), as a user's shell would run it (stdin, exit code)."""
    from sagemaker_bridge.cli import main

    capsys.readouterr()
    data = stdin.encode() if isinstance(stdin, str) else (stdin or b"")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse: --help, --version and usage errors
        code = exc.code if isinstance(exc.code, int) else 2
    out = capsys.readouterr()
    assert "Traceback" not in out.err or "--debug" in args, out.err
    return Ran(code, out.out, out.err)


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """A real moto server on 127.0.0.1 (HTTP, its own thread): the endpoint_url for real boto3 clients."""
    from motoserver import running_moto_server

    with running_moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def server_client(moto_server: str) -> Any:
    from sagemaker_bridge import make_client

    return make_client(region="us-east-1", endpoint_url=moto_server)


@pytest.fixture
def mock_client() -> Iterator[Any]:
    """moto in-process (mock_aws) behind a real boto3 client."""
    from moto import mock_aws

    from sagemaker_bridge import make_client

    with mock_aws():
        yield make_client(region="us-east-1")


@pytest.fixture
def clean_server(moto_server: str) -> str:
    """The moto server with no jobs left from other tests."""
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST"), timeout=10).read()
    return moto_server


def set_moto_status(name: str, status: str, region: str = "us-east-1", failure_reason: str = "") -> None:
    """Move a job in moto's own state (moto completes jobs at once): the stand-in for SageMaker making progress."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sagemaker.models import sagemaker_backends

    job = sagemaker_backends[DEFAULT_ACCOUNT_ID][region].hyper_parameter_tuning_jobs[name]
    job.hyper_parameter_tuning_job_status = status
    job.failure_reason = failure_reason


def count_calls(client: Any) -> dict[str, int]:
    """Every API call the client makes, by operation, counted with botocore's own event hooks."""
    import collections

    counts: dict[str, int] = collections.Counter()

    def hook(model: Any, **_: Any) -> None:
        counts[model.name] += 1

    client.meta.events.register("before-call.sagemaker", hook)
    return counts


def paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into plain data (its keys and list indexes), the value itself included: where a property test puts
    what it draws."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += paths(item, path + (i,))
    return found


@pytest.fixture(scope="session", autouse=True)
def no_local_worker_outlives_the_session() -> Iterator[None]:
    """Every local-engine worker this session started is gone when it ends (killed if it still runs)."""
    yield
    client = sys.modules.get("sagemaker_bridge.local.client")
    for worker in getattr(client, "WORKERS", []):
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)


@pytest.fixture
def local_dir(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[pathlib.Path]:
    """A fresh directory for the local engine's jobs, named by $SAGEMAKER_BRIDGE_LOCAL_DIR (as a user sets it). At the
    end, every worker of its jobs is gone: those a command line started too (killed if one still runs)."""
    directory = tmp_path / "local-jobs"
    monkeypatch.setenv("SAGEMAKER_BRIDGE_LOCAL_DIR", str(directory))
    yield directory
    if not (directory / "jobs.sqlite").exists():
        return
    import signal
    import sqlite3

    with sqlite3.connect(directory / "jobs.sqlite") as db:
        pids = [pid for (pid,) in db.execute("SELECT worker_pid FROM tuning_jobs WHERE worker_pid IS NOT NULL")]
    for pid in pids:
        try:
            if b"sagemaker_bridge.local.worker" in pathlib.Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGKILL)
        except OSError:  # ended already
            pass
