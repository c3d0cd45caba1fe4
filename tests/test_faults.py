"""Faults at the HTTP layer between boto3 and moto server: a retry never creates a second job, nor loses one."""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN, fixture_request
from faultproxy import FaultProxy

from sagemaker_bridge import (
    CredentialsError,
    JobConflictError,
    ThrottledError,
    make_client,
    status,
    statuses,
    submit,
    wait,
)

CREATE, DESCRIBE = "CreateHyperParameterTuningJob", "DescribeHyperParameterTuningJob"


@pytest.fixture
def proxy(clean_server: str) -> Iterator[FaultProxy]:
    with FaultProxy(clean_server) as p:
        yield p


@pytest.fixture
def client(proxy: FaultProxy) -> Any:
    return make_client(region="us-east-1", endpoint_url=proxy.url)


def request(name: str = "fault-job", spec: str = "custom-image.json") -> dict[str, Any]:
    return fixture_request(spec, job_name=name)


def jobs_named(client: Any, name: str) -> int:
    listed = client.list_hyper_parameter_tuning_jobs(NameContains=name, MaxResults=100)
    return sum(1 for s in listed["HyperParameterTuningJobSummaries"] if s["HyperParameterTuningJobName"] == name)


@pytest.mark.parametrize("faults", [("throttle", "throttle"), ("500", "500", "500"), ("reset",), ("throttle", "reset", "500")])
def test_create_retried_through_transient_faults(proxy: FaultProxy, client: Any, faults: tuple[str, ...]) -> None:
    proxy.inject(CREATE, *faults)
    arn = submit(request(), client=client)
    assert arn.endswith("/fault-job") and jobs_named(client, "fault-job") == 1
    assert sum(proxy.injected.values()) == len(faults)


def test_the_answer_to_a_successful_create_is_lost(proxy: FaultProxy, client: Any) -> None:
    proxy.inject(CREATE, "lose_response")
    arn = submit(request(), client=client)
    assert proxy.forwarded[CREATE] == 2  # the lost one (done by moto), then botocore's retry: ResourceInUse
    described = client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="fault-job")
    assert arn == described["HyperParameterTuningJobArn"]
    assert jobs_named(client, "fault-job") == 1


def test_faults_on_the_describe_after_a_lost_answer(proxy: FaultProxy, client: Any) -> None:
    proxy.inject(CREATE, "lose_response")
    proxy.inject(DESCRIBE, "throttle", "500", "reset")
    arn = submit(request(), client=client)
    assert arn.endswith("/fault-job") and jobs_named(client, "fault-job") == 1


def test_describe_and_wait_through_faults(proxy: FaultProxy, client: Any) -> None:
    submit(request(), client=client)
    proxy.inject(DESCRIBE, "500", "throttle", "reset", "throttle")
    assert wait("fault-job", client=client, poll_seconds=1).phase == "SUCCEEDED"


def test_throttled_beyond_the_retries_is_a_clear_error(proxy: FaultProxy, clean_server: str) -> None:
    import boto3
    from botocore.config import Config

    impatient = boto3.client("sagemaker", region_name="us-east-1", endpoint_url=proxy.url,
                             config=Config(retries={"mode": "standard", "total_max_attempts": 2}))
    proxy.inject(DESCRIBE, "throttle", "throttle")
    with pytest.raises(ThrottledError) as info:
        status("anything", client=impatient)
    assert info.value.code == "ThrottlingException"


def test_twenty_threads_submitting_the_same_request(proxy: FaultProxy, clean_server: str) -> None:
    import boto3
    from botocore.config import Config

    session = boto3.session.Session(region_name="us-east-1")  # 20 clients, each with its own connections
    config = Config(retries={"mode": "standard", "total_max_attempts": 5})
    clients = [session.client("sagemaker", endpoint_url=proxy.url, config=config) for _ in range(20)]
    the_request = request("race-job")
    barrier = threading.Barrier(20)
    arns: list[str] = []
    errors: list[BaseException] = []

    def go(c: Any) -> None:
        barrier.wait()
        try:
            arns.append(submit(the_request, client=c))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == [] and len(arns) == 20 and len(set(arns)) == 1
    assert jobs_named(clients[0], "race-job") == 1


def test_a_conflicting_request_under_an_existing_name_is_refused(proxy: FaultProxy, client: Any) -> None:
    submit(request("taken"), client=client)
    other = request("taken", spec="scaling-types.json")
    proxy.inject(CREATE, "throttle")
    with pytest.raises(JobConflictError) as info:
        submit(other, client=client)
    assert "HyperParameterTuningJobConfig.Strategy" not in info.value.differences  # both Random
    assert "TrainingJobDefinition.AlgorithmSpecification.TrainingImage" in info.value.differences
    assert jobs_named(client, "taken") == 1


def test_a_server_that_quotes_credentials_back_never_makes_us_print_them(
        proxy: FaultProxy, client: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="sagemaker_bridge")
    proxy.inject(DESCRIBE, "echo_auth")
    with pytest.raises(CredentialsError) as info:
        status("anything", client=client)
    assert "Credential=" in str(info.value)  # the quoted header is there, its secrets are not
    text = str(info.value) + repr(info.value.args) + caplog.text
    for secret in (FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN):
        assert secret not in text


def test_a_mix_of_faults_never_duplicates_or_loses_a_job(proxy: FaultProxy, client: Any) -> None:
    """Every fault kind on the create, some on the describe after it, and each caller retrying on its own too.
    bench/faults.py runs the same campaign at a larger size and prints its figures."""
    kinds = ("throttle", "500", "reset", "lose_response")
    names = [f"campaign-{i:02d}" for i in range(8)]
    for i, name in enumerate(names):
        proxy.inject(CREATE, kinds[i % len(kinds)])
        if i % 3 == 0:
            proxy.inject(DESCRIBE, kinds[i % 3])
        assert submit(request(name), client=client).endswith("/" + name)
        assert submit(request(name), client=client).endswith("/" + name)  # and a plain retry of the caller
    created = collections.Counter(s["HyperParameterTuningJobName"] for s in client.list_hyper_parameter_tuning_jobs(
        NameContains="campaign-", MaxResults=100)["HyperParameterTuningJobSummaries"])
    assert created == dict.fromkeys(names, 1)
    assert set(proxy.injected) == set(kinds) and proxy.forwarded[CREATE] > len(names)
    assert all(st.phase == "SUCCEEDED" for st in statuses(names, client=client).values())
