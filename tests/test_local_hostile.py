"""Hostile requests against the local engine: any value anywhere gets a clear refusal at create, or a job that ends
(Completed, or Failed with a reason): never a traceback, a hung worker, or a job stuck InProgress."""

from __future__ import annotations

import contextlib
import copy
import os
import pathlib
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

pytest.importorskip("xgboost", reason="the local engine is tested in tox -e local (extra [local])")

from conftest import paths
from hostile import json_values, replaced
from localengine import request

from sagemaker_bridge.aws import SageMakerError, WaitTimeoutError, status, stop, submit, wait
from sagemaker_bridge.aws.errors import JobFailedError
from sagemaker_bridge.local import LocalSageMaker
from sagemaker_bridge.problems import TranslationError

pytestmark = pytest.mark.filterwarnings("ignore::sagemaker_bridge.local.LocalEngineWarning")
BASE: dict[str, Any] = {}
# Values of the right type, so that a mutation gets past the shape checks to the engine and its training jobs.
TEXTS = st.one_of(st.text(max_size=12), st.sampled_from(["0", "-1", "1e9", "0.5", "nan", "inf", "", " ", "1,2", "true",
                                                         "/nonexistent", "file:///", "text/libsvm", "validation:rmse"]))
NUMBERS = st.one_of(st.integers(min_value=-3, max_value=50), st.just(2**31), st.floats(allow_nan=True))


def value_at(data: Any, where: tuple[Any, ...]) -> Any:
    for key in where:
        data = data[key]
    return data


def same_kind(original: Any) -> Any:
    if isinstance(original, str):
        return TEXTS
    if isinstance(original, (int, float)) and not isinstance(original, bool):
        return NUMBERS
    return json_values


def base(tmp: pathlib.Path) -> dict[str, Any]:
    if not BASE:
        BASE.update(request(tmp, "hostile", jobs=2, parallel=2, rounds=3))
    return copy.deepcopy(BASE)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_value_anywhere_in_a_local_request(data: st.DataObject, tmp_path_factory: Any) -> None:
    directory = tmp_path_factory.mktemp("hostile")
    client = LocalSageMaker(directory / "jobs")
    original = base(directory)
    where = data.draw(st.sampled_from(paths(original)[1:]))
    mutated = replaced(original, where, data.draw(st.one_of(json_values, *[same_kind(value_at(original, where))] * 3)))
    with inside(directory):  # a drawn output path ("nan") is relative: it is written under the caller's directory
        try:
            submit(mutated, client=client)
        except (TranslationError, SageMakerError) as refused:  # clear, and before any job exists
            assert str(refused) and not client.store.tuning_jobs()
            return
        ends_cleanly(client, directory / "jobs", mutated["HyperParameterTuningJobName"])


@contextlib.contextmanager
def inside(directory: pathlib.Path) -> Iterator[None]:
    """The current directory, for the `with` block (contextlib.chdir is Python 3.11's)."""
    before = os.getcwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(before)


def ends_cleanly(client: Any, directory: pathlib.Path, name: str) -> None:
    """The job ends (or stops when asked) with a reason for any failure, and its worker wrote no traceback."""
    try:
        ended = wait(name, client=client, poll_seconds=1, timeout_seconds=30)
    except JobFailedError as failed:
        ended = failed.status
        assert ended.message and "Traceback" not in ended.message
    except WaitTimeoutError:  # a long job (a million rounds, say) is not a stuck one: it stops when asked
        stop(name, client=client)
        ended = wait(name, client=client, poll_seconds=1, timeout_seconds=15)
        assert ended.status == "Stopped"
    assert ended.status in ("Completed", "Failed", "Stopped") and status(name, client=client).terminal
    for job in client.list_training_jobs_for_hyper_parameter_tuning_job(HyperParameterTuningJobName=name,
                                                                         MaxResults=100)["TrainingJobSummaries"]:
        assert job["TrainingJobStatus"] != "Failed" or job["FailureReason"].split(":")[0] in ("ClientError", "AlgorithmError")
    log = (directory / "logs" / f"{name}.log").read_text()
    assert "Traceback" not in log, log


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=300), st.text(max_size=300),
                         st.lists(st.lists(st.sampled_from(["1", "0", "-1", "0.5", "", "nan", "inf", "x", "1e40", " "]),
                                           min_size=1, max_size=4), min_size=1, max_size=6)
                         .map(lambda rows: "\n".join(",".join(r) for r in rows))))
def test_any_bytes_as_the_training_data(content: Any, tmp_path_factory: Any) -> None:
    directory = tmp_path_factory.mktemp("data")
    (directory / "train").mkdir()
    (directory / "train" / "part.csv").write_bytes(content if isinstance(content, bytes) else content.encode())
    client = LocalSageMaker(directory / "jobs")
    req = base(directory)
    req["TrainingJobDefinition"]["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3Uri"] = (directory / "train").as_uri()
    with inside(directory):
        try:
            submit(req, client=client)
        except TranslationError as refused:  # empty data: refused at create, naming the channel
            assert "channel train" in str(refused)
            return
        ends_cleanly(client, directory / "jobs", req["HyperParameterTuningJobName"])
