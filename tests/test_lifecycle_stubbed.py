"""What moto lacks (StopHyperParameterTuningJob, jobs that take time, AWS error codes), with botocore's Stubber.

The Stubber checks our parameters and its canned responses against botocore's real SageMaker model, so these tests
cannot drift from the API; nothing here fakes AWS inside the package.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from conftest import FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN

from sagemaker_bridge import (
    AccessDeniedError,
    CredentialsError,
    JobFailedError,
    JobNotFoundError,
    RequestRejectedError,
    ResourceLimitError,
    SageMakerError,
    ThrottledError,
    WaitTimeoutError,
    make_client,
    status,
    stop,
    submit,
    wait,
)

NAME = "hpo-stubbed"
NOW = datetime.datetime(2026, 11, 30, tzinfo=datetime.timezone.utc)
CONFIG = {"Strategy": "Bayesian", "ResourceLimits": {"MaxNumberOfTrainingJobs": 10, "MaxParallelTrainingJobs": 2}}
DEFINITION = {"AlgorithmSpecification": {"TrainingImage": "img", "TrainingInputMode": "File"},
              "RoleArn": "arn:aws:iam::123456789012:role/R", "OutputDataConfig": {"S3OutputPath": "s3://b/out/"},
              "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}


def described(state: str, done: int = 0, running: int = 0, best: str | None = None, value: float = 0.0,
              reason: str | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "HyperParameterTuningJobName": NAME,
        "HyperParameterTuningJobArn": f"arn:aws:sagemaker:eu-west-1:123456789012:hyper-parameter-tuning-job/{NAME}",
        "HyperParameterTuningJobConfig": CONFIG, "TrainingJobDefinition": DEFINITION,
        "HyperParameterTuningJobStatus": state, "CreationTime": NOW,
        "TrainingJobStatusCounters": {"Completed": done, "InProgress": running, "RetryableError": 0,
                                      "NonRetryableError": 0, "Stopped": 0},
        "ObjectiveStatusCounters": {"Succeeded": done, "Pending": running, "Failed": 0},
    }
    if best:
        response["BestTrainingJob"] = {
            "TrainingJobName": best, "TrainingJobArn": f"arn:aws:sagemaker:eu-west-1:123456789012:training-job/{best}",
            "CreationTime": NOW, "TrainingJobStatus": "Completed", "TunedHyperParameters": {"eta": "0.1"},
            "FinalHyperParameterTuningJobObjectiveMetric": {"MetricName": "validation:auc", "Value": value}}
    if reason:
        response["FailureReason"] = reason
    return response


def training_job(name: str, model: str) -> dict[str, Any]:
    return {"TrainingJobName": name, "TrainingJobArn": f"arn:aws:sagemaker:eu-west-1:123456789012:training-job/{name}",
            "ModelArtifacts": {"S3ModelArtifacts": model}, "TrainingJobStatus": "Completed",
            "SecondaryStatus": "Completed", "AlgorithmSpecification": {"TrainingInputMode": "File"},
            "ResourceConfig": {"VolumeSizeInGB": 10}, "StoppingCondition": {}, "CreationTime": NOW}


ASK = {"HyperParameterTuningJobName": NAME}


def no_sleep(seconds: float) -> None:
    assert seconds >= 1  # wait() never polls faster than MIN_POLL_SECONDS


@pytest.fixture
def stub() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("sagemaker", region_name="eu-west-1")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_wait_follows_a_job_from_in_progress_to_completed(stub: tuple[Any, Stubber]) -> None:
    client, stubber = stub
    for response in (described("InProgress", 0, 2), described("InProgress", 0, 2),
                     described("InProgress", 3, 2, best="hpo-003", value=0.81),
                     described("InProgress", 6, 2, best="hpo-005", value=0.88),
                     described("Completed", 10, 0, best="hpo-005", value=0.88)):
        stubber.add_response("describe_hyper_parameter_tuning_job", response, ASK)
    stubber.add_response("describe_training_job", training_job("hpo-005", "s3://b/out/hpo-005/output/model.tar.gz"),
                         {"TrainingJobName": "hpo-005"})
    seen: list[Any] = []
    final = wait(NAME, client=client, poll_seconds=1, on_progress=seen.append, sleep=no_sleep)
    assert [(s.status, s.training_jobs.completed, s.best_training_job.name if s.best_training_job else None)
            for s in seen] == [("InProgress", 0, None), ("InProgress", 3, "hpo-003"), ("InProgress", 6, "hpo-005"),
                               ("Completed", 10, "hpo-005")]
    assert final.phase == "SUCCEEDED" and final.model_uri == "s3://b/out/hpo-005/output/model.tar.gz"
    assert final.best_training_job is not None and final.best_training_job.objective_value == 0.88
    assert final.best_training_job.tuned_hyperparameters == {"eta": "0.1"}
    assert final.region == "eu-west-1" and "region=eu-west-1" in (final.console_url or "")


def test_wait_raises_with_the_failure_reason_and_no_best_job(stub: tuple[Any, Stubber]) -> None:
    client, stubber = stub
    stubber.add_response("describe_hyper_parameter_tuning_job", described("InProgress", 0, 1), ASK)
    stubber.add_response("describe_hyper_parameter_tuning_job",
                         described("Failed", reason="ClientError: No training job succeeded"), ASK)
    with pytest.raises(JobFailedError, match="No training job succeeded") as info:
        wait(NAME, client=client, poll_seconds=1, sleep=no_sleep)
    assert info.value.status.phase == "FAILED" and info.value.status.best_training_job is None
    assert info.value.status.model_uri is None


@pytest.mark.parametrize(("state", "phase", "terminal"), [
    ("InProgress", "RUNNING", False), ("Completed", "SUCCEEDED", True), ("Failed", "FAILED", True),
    ("Stopping", "RUNNING", False), ("Stopped", "ABORTED", True), ("Deleting", "ABORTED", True),
    ("DeleteFailed", "FAILED", True)])
def test_every_status_maps_to_a_flyte_phase(stub: tuple[Any, Stubber], state: str, phase: str, terminal: bool) -> None:
    client, stubber = stub
    stubber.add_response("describe_hyper_parameter_tuning_job", described(state), ASK)
    st = status(NAME, client=client)
    assert (st.status, st.phase, st.terminal) == (state, phase, terminal)


def test_a_stopped_job_ends_the_wait_as_aborted(stub: tuple[Any, Stubber]) -> None:
    client, stubber = stub
    stubber.add_response("describe_hyper_parameter_tuning_job", described("Stopping", 2, 1), ASK)
    stubber.add_response("describe_hyper_parameter_tuning_job", described("Stopped", 2, 0, best="hpo-1", value=0.5), ASK)
    stubber.add_client_error("describe_training_job", "ValidationException", "Requested resource not found.")
    final = wait(NAME, client=client, poll_seconds=1, sleep=no_sleep)
    assert final.phase == "ABORTED" and final.model_uri == "s3://b/out/hpo-1/output/model.tar.gz"


def test_wait_backs_off_with_jitter_and_honours_its_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    import sagemaker_bridge.aws.lifecycle as lifecycle

    client = boto3.client("sagemaker", region_name="eu-west-1")
    clock = [0.0]
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(lifecycle.time, "monotonic", lambda: clock[0])
    with Stubber(client) as stubber:
        for _ in range(12):
            stubber.add_response("describe_hyper_parameter_tuning_job", described("InProgress", 1, 1), ASK)
        with pytest.raises(WaitTimeoutError) as info:
            wait(NAME, client=client, poll_seconds=10, timeout_seconds=100, sleep=sleep)
    assert isinstance(info.value, TimeoutError) and info.value.status.status == "InProgress"
    assert clock[0] == pytest.approx(100) and len(pauses) >= 5
    for pause, base in zip(pauses[:4], [10, 15, 22.5, 33.75]):  # x1.5 while nothing changes, +-20% jitter
        assert 0.8 * base <= pause <= 1.2 * base
    assert len({round(p, 6) for p in pauses[:4]}) == 4 and max(pauses) <= 40 * 1.2


def test_wait_backs_off_to_its_cap_and_jitters_every_pause() -> None:
    client = boto3.client("sagemaker", region_name="eu-west-1")
    pauses: list[float] = []
    with Stubber(client) as stubber:
        for _ in range(15):  # nothing changes for 15 polls: the delay grows x1.5 up to 4x poll_seconds
            stubber.add_response("describe_hyper_parameter_tuning_job", described("InProgress", 1, 1), ASK)
        stubber.add_response("describe_hyper_parameter_tuning_job", described("Completed", 2, 0), ASK)
        wait(NAME, client=client, poll_seconds=10, sleep=pauses.append)
    bases = [min(10 * 1.5 ** i, 40) for i in range(len(pauses))]
    assert len(pauses) == 15
    assert all(0.8 * base <= pause <= 1.2 * base for pause, base in zip(pauses, bases))
    assert max(pauses) <= 48 and all(p >= 32 for p in pauses[-8:])  # capped at 40 +-20%, and stays there
    off_base = [abs(pause / base - 1) > 0.005 for pause, base in zip(pauses, bases)]
    assert sum(off_base) >= 10  # jittered: 6 of 15 uniform draws within 0.5% of the base has odds of about 1e-6


def test_an_unknown_status_is_running_not_a_failure(stub: tuple[Any, Stubber]) -> None:
    client, stubber = stub
    response = described("InProgress")
    response["HyperParameterTuningJobStatus"] = "Reconciling"  # a status newer than our table
    stubber.add_response("describe_hyper_parameter_tuning_job", response, ASK)
    st = status(NAME, client=client)
    assert (st.phase, st.terminal) == ("RUNNING", False) and "Reconciling" in st.message


def test_stop_an_in_progress_job(stub: tuple[Any, Stubber]) -> None:
    client, stubber = stub
    stubber.add_response("stop_hyper_parameter_tuning_job", {}, ASK)
    stubber.add_response("describe_hyper_parameter_tuning_job", described("Stopping", 1, 1), ASK)
    assert stop(NAME, client=client).status == "Stopping"


@pytest.mark.parametrize("state", ["Stopping", "Stopped", "Completed", "Failed"])
def test_stop_is_idempotent(stub: tuple[Any, Stubber], state: str) -> None:
    client, stubber = stub
    stubber.add_client_error("stop_hyper_parameter_tuning_job", "ValidationException",
                             f"The hyperparameter tuning job {NAME} is not in progress.", expected_params=ASK)
    stubber.add_response("describe_hyper_parameter_tuning_job", described(state), ASK)
    assert stop(NAME, client=client).status == state


def test_stop_a_missing_job(stub: tuple[Any, Stubber]) -> None:
    client, stubber = stub
    stubber.add_client_error("stop_hyper_parameter_tuning_job", "ResourceNotFound", "Amazon SageMaker can't find it")
    with pytest.raises(JobNotFoundError):
        stop(NAME, client=client)


@pytest.mark.parametrize(("code", "cls"), [
    ("AccessDeniedException", AccessDeniedError), ("ExpiredTokenException", CredentialsError),
    ("UnrecognizedClientException", CredentialsError), ("ResourceLimitExceeded", ResourceLimitError),
    ("ValidationException", RequestRejectedError), ("ThrottlingException", ThrottledError),
    ("InternalFailure", SageMakerError)])
def test_aws_errors_become_clear_exceptions_without_credentials(
        stub: tuple[Any, Stubber], caplog: pytest.LogCaptureFixture, code: str, cls: type) -> None:
    client, stubber = stub
    leak = f"Credential={FAKE_KEY_ID}/20261130/eu-west-1/sagemaker/aws4_request secret={FAKE_SECRET} token={FAKE_TOKEN}"
    stubber.add_client_error("create_hyper_parameter_tuning_job", code, f"Refused. {leak}")
    request = {"HyperParameterTuningJobName": NAME, "HyperParameterTuningJobConfig": CONFIG,
               "TrainingJobDefinition": DEFINITION}
    caplog.set_level(logging.DEBUG, logger="sagemaker_bridge")
    with pytest.raises(cls) as info:
        submit(request, client=client, check=False)
    assert type(info.value) is cls and info.value.code == code and info.value.job_name == NAME
    assert info.value.__cause__ is None and info.value.__suppress_context__
    text = str(info.value) + repr(info.value.args) + caplog.text
    for secret in (FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN):
        assert secret not in text


@pytest.mark.parametrize("key_id", ["AKIAIOSFODNN7EXAMPLE", "ASIAY34FZKBOKMUTVV7A"])
def test_an_access_key_id_we_never_saw_is_still_hidden(stub: tuple[Any, Stubber], key_id: str) -> None:
    """Another principal's key id (a role's, quoted by an IAM error) is in no variable we know: the pattern hides it."""
    client, stubber = stub
    stubber.add_client_error("describe_hyper_parameter_tuning_job", "AccessDeniedException",
                             f"User with access key {key_id} is not authorized to perform DescribeHyperParameterTuningJob")
    with pytest.raises(AccessDeniedError) as info:
        status(NAME, client=client)
    assert key_id not in str(info.value) and "access key *** is not authorized" in str(info.value)


def test_missing_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(CredentialsError, match="credentials") as info:
        status(NAME, client=make_client(region="eu-west-1", endpoint_url="http://127.0.0.1:9"))
    assert info.value.code == "NoCredentialsError"


def test_an_unknown_profile_is_a_credentials_error() -> None:
    with pytest.raises(CredentialsError, match="no-such-profile"):
        make_client(profile="no-such-profile")


def test_an_html_error_page_becomes_one_readable_line(stub: tuple[Any, Stubber]) -> None:
    client, stubber = stub
    page = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n" \
           + "<p>" + "The server encountered an internal error. " * 30 + "</p>"
    stubber.add_client_error("describe_hyper_parameter_tuning_job", "500", page, http_status_code=500)
    with pytest.raises(SageMakerError) as info:
        status(NAME, client=client)
    text = str(info.value)
    assert "\n" not in text and "<" not in text and text.startswith("500: 500 Internal Server Error")
    assert len(info.value.aws_message) <= 400
