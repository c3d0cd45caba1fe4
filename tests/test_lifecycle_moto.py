"""submit / status / statuses / wait against moto: over HTTP (ThreadedMotoServer) and in-process."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from conftest import SPECS, count_calls, fixture_request, set_moto_status

from sagemaker_bridge import (
    JobConflictError,
    JobNotFoundError,
    SageMakerError,
    TranslationError,
    make_client,
    status,
    statuses,
    submit,
    wait,
)


@pytest.fixture
def client(clean_server: str) -> Any:
    return make_client(region="us-east-1", endpoint_url=clean_server)


@pytest.mark.parametrize("name", SPECS)
def test_submit_every_fixture_then_track_it_to_the_best_model(client: Any, name: str) -> None:
    request = fixture_request(name)
    arn = submit(request, client=client)
    assert arn.endswith("/" + request["HyperParameterTuningJobName"])
    st = wait(request["HyperParameterTuningJobName"], client=client, poll_seconds=1)
    assert (st.status, st.phase, st.terminal, st.arn, st.region) == ("Completed", "SUCCEEDED", True, arn, "us-east-1")
    assert st.best_training_job is not None
    best = st.best_training_job.name
    # moto has no such training job to describe, so the model URI falls back to where SageMaker writes it
    output = request["TrainingJobDefinition"]["OutputDataConfig"]["S3OutputPath"].rstrip("/")
    assert st.model_uri == f"{output}/{best}/output/model.tar.gz"
    assert st.console_url == ("https://console.aws.amazon.com/sagemaker/home?region=us-east-1"
                              f"#/hyper-tuning-jobs/{request['HyperParameterTuningJobName']}")
    assert st.logs_url and "/aws/sagemaker/TrainingJobs" in st.logs_url and best in st.logs_url


def test_resubmitting_the_same_request_returns_the_same_arn_and_one_job(client: Any) -> None:
    request = fixture_request("xgboost-flytekit.yaml")
    calls = count_calls(client)
    first = submit(request, client=client)
    assert submit(request, client=client) == first == submit(dict(request), client=client)
    assert calls["CreateHyperParameterTuningJob"] == 3 and calls["DescribeHyperParameterTuningJob"] == 2
    listed = client.list_hyper_parameter_tuning_jobs(NameContains=request["HyperParameterTuningJobName"])
    assert len(listed["HyperParameterTuningJobSummaries"]) == 1


def test_a_different_job_under_the_same_name_is_refused_naming_the_fields(client: Any) -> None:
    request = fixture_request("xgboost-flytekit.yaml")
    submit(request, client=client)
    other = fixture_request("xgboost-flytekit.yaml")
    other["HyperParameterTuningJobConfig"]["ResourceLimits"]["MaxNumberOfTrainingJobs"] = 99
    other["TrainingJobDefinition"]["StaticHyperParameters"]["num_round"] = "500"
    with pytest.raises(JobConflictError) as info:
        submit(other, client=client)
    assert info.value.differences == ["HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs",
                                      "TrainingJobDefinition.StaticHyperParameters.num_round"]
    assert "MaxNumberOfTrainingJobs" in str(info.value) and info.value.job_name == request["HyperParameterTuningJobName"]


def test_submit_refuses_an_invalid_request_before_any_call(client: Any) -> None:
    request = fixture_request("custom-image.json")
    request["HyperParameterTuningJobName"] = "not_valid!"
    calls = count_calls(client)
    with pytest.raises(TranslationError, match="HyperParameterTuningJobName"):
        submit(request, client=client)
    assert sum(calls.values()) == 0


@pytest.mark.parametrize("request_", ["text", [1], None, 5], ids=["text", "list", "None", "int"])
@pytest.mark.parametrize("check", [True, False])
def test_submit_refuses_what_is_not_a_request_at_all_before_any_call(mock_client: Any, request_: Any,
                                                                    check: bool) -> None:
    calls = count_calls(mock_client)
    with pytest.raises(TranslationError) as info:
        submit(request_, client=mock_client, check=check)  # not even check=False can send it
    assert info.value.errors and info.value.errors[0].loc == () and "<root>" in str(info.value)
    assert sum(calls.values()) == 0


@pytest.mark.parametrize(("names", "said"), [("churn-sweep-1", "names must be a collection"), (5, "got an integer"),
                                             (["ok-job", None], "names[1]"), ([["a"]], "names[0]")])
def test_statuses_refuses_names_that_are_not_text_before_any_call(mock_client: Any, names: Any, said: str) -> None:
    calls = count_calls(mock_client)
    with pytest.raises(SageMakerError, match=re.escape(said)) as info:
        statuses(names, client=mock_client)
    assert info.value.code == "ParamValidationError" and sum(calls.values()) == 0


def test_unknown_job_is_a_clear_error(client: Any) -> None:
    with pytest.raises(JobNotFoundError) as info:
        status("no-such-job", client=client)
    assert info.value.code == "ResourceNotFound" and info.value.job_name == "no-such-job"


def _create_many(client: Any, count: int) -> list[str]:
    base = fixture_request("custom-image.json")
    names = []
    for i in range(count):
        base["HyperParameterTuningJobName"] = f"many-{i:04d}"
        client.create_hyper_parameter_tuning_job(**base)
        names.append(base["HyperParameterTuningJobName"])
    return names


def test_statuses_over_http_list_the_jobs_in_flight_and_describe_the_ended(client: Any) -> None:
    names = _create_many(client, 150)
    ended = set(names[::15])  # 10 jobs have ended; 140 are in flight
    for name in names:
        if name not in ended:
            set_moto_status(name, "InProgress")
    calls = count_calls(client)
    result = statuses(names, client=client)
    assert list(result) == names
    assert {n for n, st in result.items() if st.phase == "RUNNING"} == set(names) - ended
    assert {n for n, st in result.items() if st.phase == "SUCCEEDED" and st.best_training_job} == ended
    assert calls["ListHyperParameterTuningJobs"] == math.ceil(140 / 100)
    assert calls["DescribeHyperParameterTuningJob"] == len(ended)
    assert result[names[1]].training_jobs.completed == 1 and result[names[1]].max_training_jobs == 12


def test_statuses_for_hundreds_of_in_flight_jobs_cost_one_list_call_per_hundred(mock_client: Any) -> None:
    names = _create_many(mock_client, 250)
    for name in names:
        set_moto_status(name, "InProgress")
    calls = count_calls(mock_client)
    result = statuses(names, client=mock_client)
    assert all(st.status == "InProgress" for st in result.values())
    assert dict(calls) == {"ListHyperParameterTuningJobs": 3}  # versus 250 DescribeHyperParameterTuningJob calls


def test_a_missing_job_does_not_hide_the_others(client: Any) -> None:
    [name] = _create_many(client, 1)
    result = statuses(["ghost-job", name], client=client)
    assert (result["ghost-job"].status, result["ghost-job"].phase, result["ghost-job"].terminal) == ("NotFound", "FAILED", True)
    assert "ghost-job" in result["ghost-job"].message
    assert result[name].phase == "SUCCEEDED"


def _in_flight(client: Any, prefix: str, count: int) -> list[str]:
    base = fixture_request("custom-image.json")
    names = []
    for i in range(count):
        base["HyperParameterTuningJobName"] = f"{prefix}-{i:04d}"
        client.create_hyper_parameter_tuning_job(**base)
        set_moto_status(base["HyperParameterTuningJobName"], "InProgress")
        names.append(base["HyperParameterTuningJobName"])
    return names


def test_other_jobs_in_flight_cost_nothing_when_ours_share_a_prefix(mock_client: Any) -> None:
    others = _in_flight(mock_client, "someone-else", 300)
    ours = _in_flight(mock_client, "flyte-exec1", 150)
    calls = count_calls(mock_client)
    result = statuses(ours, client=mock_client)
    assert all(st.phase == "RUNNING" for st in result.values()) and len(result) == 150
    assert dict(calls) == {"ListHyperParameterTuningJobs": 2}  # 150 of ours; without the filter 5 pages of 450
    assert others  # still in flight, never listed


def test_jobs_that_ended_are_never_described_again_by_the_same_caller(mock_client: Any) -> None:
    names = _in_flight(mock_client, "round", 20)
    for name in names[:5]:
        set_moto_status(name, "Completed")
    ended: dict[str, Any] = {}
    calls = count_calls(mock_client)
    first = statuses(names, client=mock_client, ended=ended)
    assert calls["DescribeHyperParameterTuningJob"] == 5 and set(ended) == set(names[:5])
    calls.clear()
    second = statuses(names, client=mock_client, ended=ended)
    assert calls["DescribeHyperParameterTuningJob"] == 0 and second == first


def test_reading_the_best_jobs_model_can_be_turned_off(mock_client: Any) -> None:
    [name] = _create_many(mock_client, 1)  # moto completes it at once, with a best training job
    calls = count_calls(mock_client)
    st = status(name, client=mock_client, read_model=False)
    assert "DescribeTrainingJob" not in calls and st.model_uri and st.model_uri.endswith("/output/model.tar.gz")
    statuses([name], client=mock_client, read_model=False)
    assert "DescribeTrainingJob" not in calls
    status(name, client=mock_client)
    assert calls["DescribeTrainingJob"] == 1
