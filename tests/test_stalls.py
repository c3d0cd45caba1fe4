"""Networks that stall and state that must not be lost: timeouts, deadlines, one answer per name, the mock's file."""

from __future__ import annotations

import json
import multiprocessing
import pathlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from conftest import FAKE_TOKEN, fixture_request, set_moto_status
from faultproxy import FaultProxy

from sagemaker_bridge import ConnectionFailedError, CredentialsError, WaitTimeoutError, make_client, status, statuses, wait
from sagemaker_bridge.aws.errors import one_line, redact, remember_secrets


@pytest.fixture
def stalled_endpoint() -> Iterator[str]:
    """An endpoint on 127.0.0.1 that accepts every connection and never answers a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.1)
    held: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        while not done.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        done.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        server.close()


def test_clients_get_timeouts_for_sagemakers_control_plane(monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_client(region="us-east-1").meta.config
    assert (config.connect_timeout, config.read_timeout) == (5.0, 10.0)  # botocore's own: 60 s each
    monkeypatch.setenv("SAGEMAKER_BRIDGE_READ_TIMEOUT", "2.5")
    monkeypatch.setenv("SAGEMAKER_BRIDGE_CONNECT_TIMEOUT", "-1")  # not a timeout: the default stays
    config = make_client(region="us-east-1").meta.config
    assert (config.connect_timeout, config.read_timeout) == (5.0, 2.5)
    assert make_client(region="us-east-1", read_timeout=1, max_attempts=2).meta.config.read_timeout == 1


def test_a_stalled_endpoint_is_a_connection_error_not_a_hang(stalled_endpoint: str) -> None:
    client = make_client(region="us-east-1", endpoint_url=stalled_endpoint, read_timeout=0.5, max_attempts=2)
    started = time.monotonic()
    with pytest.raises(ConnectionFailedError) as info:
        status("any-job", client=client)
    assert time.monotonic() - started < 10  # two attempts of 0.5 s and a short back-off; botocore's default: 120 s
    assert "Read timeout" in str(info.value) or "timed out" in str(info.value)


def test_wait_timeout_is_a_deadline_that_includes_the_call_in_flight(stalled_endpoint: str) -> None:
    client = make_client(region="us-east-1", endpoint_url=stalled_endpoint)  # 10 s read timeout, 5 attempts
    started = time.monotonic()
    with pytest.raises(WaitTimeoutError) as info:
        wait("any-job", client=client, timeout_seconds=1)
    assert time.monotonic() - started < 5
    assert (info.value.status.status, info.value.status.phase) == ("Unknown", "RUNNING")


@pytest.mark.parametrize("poll", [0, -1, float("nan"), float("inf")])
def test_wait_refuses_a_poll_interval_that_is_not_a_positive_number(poll: float) -> None:
    with pytest.raises(ValueError, match="poll_seconds must be a positive number"):
        wait("any-job", client=object(), poll_seconds=poll)


def test_statuses_answers_every_name_asked_even_in_two_cases(mock_client: Any) -> None:
    request = fixture_request("custom-image.json", job_name="job-a")
    mock_client.create_hyper_parameter_tuning_job(**request)
    mock_client.create_hyper_parameter_tuning_job(**{**request, "HyperParameterTuningJobName": "job-b"})
    set_moto_status("job-b", "InProgress")
    result = statuses(["job-a", "JOB-A", "job-b", "ghost"], client=mock_client)
    assert list(result) == ["job-a", "JOB-A", "job-b", "ghost"]
    assert result["job-a"] is result["JOB-A"] and result["job-a"].phase == "SUCCEEDED"
    assert (result["job-b"].phase, result["ghost"].status) == ("RUNNING", "NotFound")


def _record(path: str, prefix: str) -> None:
    from sagemaker_bridge.cli.mock import MockSageMaker

    for k in range(10):
        MockSageMaker(None, pathlib.Path(path)).record({"HyperParameterTuningJobName": f"{prefix}-{k}"})


def test_concurrent_mock_submissions_all_survive_in_the_state_file(tmp_path: Any) -> None:
    """Eight processes record their jobs at once (each --mock command is its own process): none is lost."""
    path = str(tmp_path / "mock.json")
    processes = [multiprocessing.get_context("fork").Process(target=_record, args=(path, f"job-{i}")) for i in range(8)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=30)
    assert all(p.exitcode == 0 for p in processes)
    saved = json.loads((tmp_path / "mock.json").read_text())
    assert sorted(r["HyperParameterTuningJobName"] for r in saved) == sorted(f"job-{i}-{k}" for i in range(8) for k in range(10))
    assert not list(tmp_path.glob("*.tmp"))


def test_a_url_encoded_token_echoed_by_a_server_is_hidden(clean_server: str) -> None:
    with FaultProxy(clean_server) as proxy:
        client = make_client(region="us-east-1", endpoint_url=proxy.url)
        proxy.inject("DescribeHyperParameterTuningJob", "echo_auth_encoded")
        with pytest.raises(CredentialsError) as info:
            status("anything", client=client)
    assert "token=" in str(info.value) and quote(FAKE_TOKEN, safe="") not in str(info.value)
    secret = "abc/def+ghi=jkl"
    remember_secrets(secret)
    for form in (secret, quote(secret, safe=""), quote(secret, safe="").lower(), secret.replace("/", "%2f")):
        assert redact(f"echo {form} end") == "echo *** end"


def test_one_line_keeps_botocores_own_angle_brackets() -> None:
    message = "Invalid type for parameter X, value: 1, type: <class 'int'>, valid types: <class 'str'>"
    assert one_line(message) == message
    assert one_line("<!DOCTYPE html>\n<html><body><h1>500</h1>\n<p>Not yet implemented</p></body></html>") == \
        "500 Not yet implemented"
