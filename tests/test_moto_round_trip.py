"""Every fixture's request passes botocore's own validation (boto3 runs it), and moto, in-process and over HTTP,
stores it and describes back exactly what was sent. Moto applies none of SageMaker's server-side rules, so this shows
the request's shape and the round trip through a real client, not that SageMaker would accept it: that is what
layers 1 to 3 check (test_rules.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import FIXTURES, SPECS, fixture_request

from sagemaker_bridge import validate_request

REQUESTS = sorted(p.name for p in (FIXTURES / "requests").glob("*.json"))


def submit_and_describe(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    arn = client.create_hyper_parameter_tuning_job(**request)["HyperParameterTuningJobArn"]
    assert arn.endswith(":hyper-parameter-tuning-job/" + request["HyperParameterTuningJobName"])
    return dict(client.describe_hyper_parameter_tuning_job(
        HyperParameterTuningJobName=request["HyperParameterTuningJobName"]))


def assert_described_as_sent(described: dict[str, Any], request: dict[str, Any]) -> None:
    for key in ("HyperParameterTuningJobConfig", "TrainingJobDefinition", "TrainingJobDefinitions"):
        if key in request:
            assert json.loads(json.dumps(described[key], default=str)) == request[key]


@pytest.mark.parametrize("name", SPECS)
def test_fixture_is_described_back_as_sent_in_process(mock_client: Any, name: str) -> None:
    request = fixture_request(name)
    assert_described_as_sent(submit_and_describe(mock_client, request), request)


@pytest.mark.parametrize("name", SPECS)
def test_fixture_is_described_back_as_sent_over_http(server_client: Any, name: str) -> None:
    request = fixture_request(name)
    request["HyperParameterTuningJobName"] += "-http"
    assert_described_as_sent(submit_and_describe(server_client, request), request)


# What the XGBoost container refuses in requests the SageMaker SDK writes: str(400.0) and str(True) (issue: built-in
# algorithm checks). SageMaker takes them (and moto stores them); every training job would fail.
CONTAINER_REFUSALS = {"sdk-xgboost-python-values.json": {
    ("TrainingJobDefinition.StaticHyperParameters.num_round", "xgboost.value_format"),
    ("TrainingJobDefinition.StaticHyperParameters.save_model_on_termination", "xgboost.value_range")}}


@pytest.mark.parametrize("name", REQUESTS)
def test_sdk_requests_report_exactly_their_refusals_and_are_described_back(mock_client: Any, name: str) -> None:
    request = json.loads((FIXTURES / "requests" / name).read_text())
    assert {(p.path, p.code) for p in validate_request(request)} == CONTAINER_REFUSALS.get(name, set())
    assert_described_as_sent(submit_and_describe(mock_client, request), request)


def test_botocore_alone_lets_through_what_we_refuse(mock_client: Any) -> None:
    """Why layer 1 exists: botocore's validator and moto accept a request SageMaker would refuse."""
    request = fixture_request("custom-image.json")
    request["HyperParameterTuningJobName"] = "this_name_is_far_too_long_and_has_underscores!"
    request["HyperParameterTuningJobConfig"]["Strategy"] = "Nope"
    submit_and_describe(mock_client, request)
    assert {p.code for p in validate_request(request)} == {"model.max_length", "model.enum"}
