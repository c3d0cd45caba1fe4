"""The flytekit connector with real flytekit 1.16 classes (tox env `flyte`), AWS as moto server over HTTP.

Templates and inputs are built as historical flytekit built them (shared reference flyte-connector-facts.md, §3):
custom as MessageToDict of the job (a Struct, so every number comes back a double), the config as a Generic or a
Binary literal, ranges in the config or one input per hyperparameter, train/validation as multipart csv blobs.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any
from unittest import mock

import pytest

pytest.importorskip("flytekit", reason="the connector is tested in tox -e flyte (flytekit 1.16)")

import grpc
from botocore.stub import Stubber
from conftest import FIXTURES, ROOT, count_calls, load_spec, paths, set_moto_status, split_spec
from flyteidl.admin.agent_pb2 import CreateTaskRequest, DeleteTaskRequest, GetTaskRequest, TaskCategory
from flyteidl.core.execution_pb2 import TaskExecution
from flytekit.extend.backend.base_connector import ConnectorRegistry
from flytekit.extend.backend.connector_service import AsyncConnectorService
from flytekit.models import literals
from flytekit.models.core import identifier
from flytekit.models.core.types import BlobType
from flytekit.models.interface import TypedInterface, Variable
from flytekit.models.security import Identity
from flytekit.models.task import (
    Container,
    Resources,
    RuntimeMetadata,
    TaskExecutionMetadata,
    TaskMetadata,
    TaskTemplate,
)
from flytekit.models.types import LiteralType, SimpleType
from google.protobuf import struct_pb2
from hostile import json_values, replaced
from hypothesis import assume, given, strategies as st

from sagemaker_bridge.flyte import (
    TASK_TYPE,
    ConnectorSettings,
    SageMakerTuningConnector,
    SageMakerTuningMetadata,
)

ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution"
PB_TYPE = "flyteidl.plugins.sagemaker.hyperparameter_tuning_job_pb2.HyperparameterTuningJobConfig"
SPEC = load_spec("xgboost-flytekit.yaml")


@pytest.fixture
def settings(clean_server: str) -> ConnectorSettings:
    return ConnectorSettings(region="us-east-1", role_arn=ROLE, output_path="s3://acme-ml/flyte-local/",
                             endpoint_url=clean_server)


@pytest.fixture
def connector(settings: ConnectorSettings) -> SageMakerTuningConnector:
    return SageMakerTuningConnector(settings)


@pytest.fixture
def env_settings(settings: ConnectorSettings, monkeypatch: pytest.MonkeyPatch) -> ConnectorSettings:
    """The registered connector reads its configuration from the environment, as a deployment sets it."""
    for key in ("region", "role_arn", "output_path", "endpoint_url"):
        monkeypatch.setenv(f"SAGEMAKER_BRIDGE_{key.upper()}", str(getattr(settings, key)))
    return settings


def struct(value: dict[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(value)
    return s


def generic(value: dict[str, Any]) -> literals.Literal:
    return literals.Literal(scalar=literals.Scalar(generic=struct(value)))


def csv_directory(uri: str) -> literals.Literal:
    blob_type = BlobType(format="csv", dimensionality=BlobType.BlobDimensionality.MULTIPART)
    return literals.Literal(scalar=literals.Scalar(blob=literals.Blob(literals.BlobMetadata(blob_type), uri)))


def interface(input_names: list[str]) -> TypedInterface:
    struct_type = LiteralType(simple=SimpleType.STRUCT)
    model = LiteralType(blob=BlobType(format="", dimensionality=BlobType.BlobDimensionality.SINGLE))
    inputs = {name: Variable(struct_type, name) for name in input_names}
    for channel in ("train", "validation"):
        inputs[channel] = Variable(LiteralType(blob=BlobType("csv", BlobType.BlobDimensionality.MULTIPART)), channel)
    return TypedInterface(inputs=inputs, outputs={"model": Variable(model, "model")})


def old_template(job: dict[str, Any] | None = None, input_names: tuple[str, ...] = ()) -> TaskTemplate:
    """As legacy flytekit serialized an HPO task, and as the connector service hands it over (Struct round trip)."""
    template = TaskTemplate(
        id=identifier.Identifier(identifier.ResourceType.TASK, "project", "domain", "hpo_task", "v1"), type=TASK_TYPE,
        metadata=TaskMetadata(False, RuntimeMetadata(RuntimeMetadata.RuntimeType.FLYTE_SDK, "0.16", "python"),
                              None, literals.RetryStrategy(0), False, "", "", False, None, ()),
        interface=interface(["hyperparameter_tuning_job_config", "static_hyperparameters", *input_names]),
        custom=job if job is not None else SPEC["job"],
        container=Container(image="ghcr.io/acme/trainer:1", command=[], args=[], resources=Resources([], []), env={},
                            config={}))
    return TaskTemplate.from_flyte_idl(template.to_flyte_idl())


def old_inputs(config: Any = None, ranges_as_inputs: bool = False, statics: dict[str, Any] | None = None) -> literals.LiteralMap:
    config = SPEC["config"] if config is None else config
    values = {"train": csv_directory(SPEC["inputs"]["train"]), "validation": csv_directory(SPEC["inputs"]["validation"]),
              "static_hyperparameters": generic(statics if statics is not None else SPEC["static_hyperparameters"])}
    if ranges_as_inputs:  # later flytekit: an empty map in the config, one input per range
        for name, one_of in config["hyperparameterRanges"]["parameterRangeMap"].items():
            values[name] = generic(one_of)
        config = {**config, "hyperparameterRanges": {}}
    values["hyperparameter_tuning_job_config"] = config if isinstance(config, literals.Literal) else generic(config)
    return literals.LiteralMap(values)


def binary_config() -> literals.Literal:
    """flytekit < 0.14: the serialized message (bytes written by real flyteidl 1.5.22) with its pb_type tag."""
    value = (FIXTURES / "flyte" / "xgboost-config.pb").read_bytes()
    return literals.Literal(scalar=literals.Scalar(binary=literals.Binary(value=value, tag=f"pb_type={PB_TYPE}")))


def execution_metadata(node_id: str = "n0", attempt: int = 0, execution: str = "f6a2b4c8d0e1f2a3b4c5",
                       iam_role: str = "") -> TaskExecutionMetadata:
    task_id = identifier.Identifier(identifier.ResourceType.TASK, "project", "domain", "hpo_task", "v1")
    node = identifier.NodeExecutionIdentifier(node_id, identifier.WorkflowExecutionIdentifier("project", "domain", execution))
    return TaskExecutionMetadata(identifier.TaskExecutionIdentifier(task_id, node, attempt), "ns", {}, {}, "default", {},
                                 Identity(iam_role=iam_role or None))


def prefix(node_dir: str = "s3://flyte-data/metadata/propeller/exec/n0", attempt: int = 0) -> str:
    return f"{node_dir}/{attempt}"  # <node's directory>/<attempt>, as propeller makes it


def tuning_jobs(settings: ConnectorSettings) -> list[str]:
    from sagemaker_bridge import make_client

    client = make_client(region="us-east-1", endpoint_url=settings.endpoint_url)
    summaries = client.list_hyper_parameter_tuning_jobs()["HyperParameterTuningJobSummaries"]
    return [s["HyperParameterTuningJobName"] for s in summaries]


def test_the_connector_is_found_through_the_registry_and_the_plugin_entry_point() -> None:
    assert isinstance(ConnectorRegistry.get_connector(TASK_TYPE), SageMakerTuningConnector)
    script = ("import flytekit, sys\nfrom flytekit.extend.backend.base_connector import ConnectorRegistry\n"
              f"print(type(ConnectorRegistry.get_connector({TASK_TYPE!r})).__name__)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT / "tests")
    assert done.stdout.strip() == "SageMakerTuningConnector", done.stderr  # `import flytekit` alone loads it
    core = subprocess.run([sys.executable, "-c", "import sagemaker_bridge, sys; print('flytekit' in sys.modules)"],
                          capture_output=True, text=True, timeout=120)
    assert core.stdout.strip() == "False"


def test_create_get_delete_an_old_style_task(connector: SageMakerTuningConnector, settings: ConnectorSettings) -> None:
    meta = connector.create(old_template(), prefix(), old_inputs(), execution_metadata(iam_role=ROLE))
    assert meta.job_name and not meta.problems and meta.region == "us-east-1"
    assert len(meta.encode()) < 300 and json.loads(meta.encode())["job_name"] == meta.job_name  # JSON, no pickle
    resource = connector.get(meta)
    assert resource.phase == TaskExecution.SUCCEEDED
    model = resource.outputs.literals["model"].scalar.blob
    assert model.metadata.type.dimensionality == BlobType.BlobDimensionality.SINGLE
    assert model.uri.startswith(prefix() + "/") and model.uri.endswith("/output/model.tar.gz")
    links = {link.name: link.uri for link in resource.log_links}
    assert set(links) == {"SageMaker hyperparameter tuning job", "CloudWatch logs of the training jobs",
                          "CloudWatch logs of the best training job"}
    best = resource.custom_info["best_training_job"]["name"]
    assert f"prefix={meta.job_name}-;" in links["CloudWatch logs of the training jobs"]
    assert f"prefix={best}/;" in links["CloudWatch logs of the best training job"]
    assert resource.custom_info["status"] == "Completed" and resource.custom_info["best_training_job"]["name"]
    assert "training jobs done" in resource.message
    connector.delete(meta)  # a finished job: nothing to stop, no error
    connector.delete(meta)
    assert tuning_jobs(settings) == [meta.job_name]


def test_the_request_is_what_translate_makes_of_the_same_task(connector: SageMakerTuningConnector,
                                                              settings: ConnectorSettings) -> None:
    from sagemaker_bridge import make_client, translate

    meta = connector.create(old_template(), prefix(), old_inputs(), execution_metadata(iam_role=ROLE))
    job, config, kw = split_spec(SPEC)
    kw.update(job_name=meta.job_name, role_arn=ROLE, output_path=prefix(), region="us-east-1")
    expected = translate(job, config, **kw)
    described = make_client(region="us-east-1", endpoint_url=settings.endpoint_url).describe_hyper_parameter_tuning_job(
        HyperParameterTuningJobName=meta.job_name)
    assert described["HyperParameterTuningJobConfig"]["ParameterRanges"] == \
        expected["HyperParameterTuningJobConfig"]["ParameterRanges"]
    assert described["TrainingJobDefinition"]["StaticHyperParameters"] == \
        expected["TrainingJobDefinition"]["StaticHyperParameters"]  # 200.0 from the Struct is "200"
    assert described["TrainingJobDefinition"]["RoleArn"] == ROLE
    assert described["TrainingJobDefinition"]["AlgorithmSpecification"]["TrainingImage"].endswith("sagemaker-xgboost:1.7-1")


@pytest.mark.parametrize("layout", ["generic", "binary", "ranges_as_inputs"])
def test_every_layout_flytekit_sent_gives_the_same_job(connector: SageMakerTuningConnector,
                                                       settings: ConnectorSettings, layout: str) -> None:
    from sagemaker_bridge import make_client

    config = binary_config() if layout == "binary" else None
    inputs = old_inputs(config=config, ranges_as_inputs=layout == "ranges_as_inputs")
    names = [n for n in inputs.literals if n not in ("train", "validation", "static_hyperparameters",
                                                     "hyperparameter_tuning_job_config")]
    meta = connector.create(old_template(input_names=tuple(names)), prefix(node_dir=f"s3://d/{layout}"), inputs,
                            execution_metadata(node_id=layout, iam_role=ROLE))
    assert not meta.problems, meta.problems
    described = make_client(region="us-east-1", endpoint_url=settings.endpoint_url).describe_hyper_parameter_tuning_job(
        HyperParameterTuningJobName=meta.job_name)
    ranges = described["HyperParameterTuningJobConfig"]["ParameterRanges"]
    if layout == "binary":  # the fixture bytes hold the same ranges as SPEC
        assert ranges["ContinuousParameterRanges"][0]["Name"] == "eta"
    else:
        assert sorted(r["Name"] for kind in ranges.values() for r in kind) == sorted(
            SPEC["config"]["hyperparameterRanges"]["parameterRangeMap"])


def test_through_flytekits_grpc_service_and_a_restart(env_settings: ConnectorSettings) -> None:
    service, context = AsyncConnectorService(), mock.MagicMock(spec=grpc.ServicerContext)
    request = CreateTaskRequest(template=old_template().to_flyte_idl(), inputs=old_inputs().to_flyte_idl(),
                                output_prefix=prefix(), task_execution_metadata=execution_metadata(iam_role=ROLE).to_flyte_idl())
    created = asyncio.run(service.CreateTask(request, context))
    encoded = created.resource_meta
    assert json.loads(encoded)["job_name"]
    # a restart: a new connector in place of the registered one, and the metadata decoded from bytes
    ConnectorRegistry.register(SageMakerTuningConnector(), override=True)
    category = TaskCategory(name=TASK_TYPE, version=0)
    got = asyncio.run(service.GetTask(GetTaskRequest(task_category=category, resource_meta=encoded), context))
    assert got.resource.phase == TaskExecution.SUCCEEDED
    assert got.resource.outputs.literals["model"].scalar.blob.uri.endswith("/output/model.tar.gz")
    assert got.resource.custom_info["status"] == "Completed"
    asyncio.run(service.DeleteTask(DeleteTaskRequest(task_category=category, resource_meta=encoded), context))
    context.set_code.assert_not_called()


def test_a_repeated_or_retried_create_never_starts_a_second_job(connector: SageMakerTuningConnector,
                                                                settings: ConnectorSettings) -> None:
    template, inputs = old_template(), old_inputs()
    first = connector.create(template, prefix(attempt=0), inputs, execution_metadata(attempt=0))
    set_moto_status(first.job_name, "InProgress")
    again = connector.create(template, prefix(attempt=0), inputs, execution_metadata(attempt=0))
    retry = connector.create(template, prefix(attempt=1), inputs, execution_metadata(attempt=1))  # create timed out
    assert first.job_name == again.job_name == retry.job_name
    assert tuning_jobs(settings) == [first.job_name]
    set_moto_status(first.job_name, "Failed", failure_reason="ClientError: bad data")
    after_failure = connector.create(template, prefix(attempt=2), inputs, execution_metadata(attempt=2))
    assert after_failure.job_name != first.job_name
    set_moto_status(after_failure.job_name, "Stopped")
    after_stop = connector.create(template, prefix(attempt=3), inputs, execution_metadata(attempt=3))
    assert len({first.job_name, after_failure.job_name, after_stop.job_name}) == 3
    assert sorted(tuning_jobs(settings)) == sorted([first.job_name, after_failure.job_name, after_stop.job_name])


def test_map_task_nodes_sharing_a_node_id_get_their_own_jobs(connector: SageMakerTuningConnector,
                                                             settings: ConnectorSettings) -> None:
    template, inputs = old_template(), old_inputs()
    metas = [connector.create(template, prefix(node_dir=f"s3://flyte-data/exec/n1/{i}/n0"), inputs,
                              execution_metadata(node_id="n0")) for i in range(2)]
    other_execution = connector.create(template, prefix(), inputs, execution_metadata(execution="other-exec"))
    assert len({m.job_name for m in metas} | {other_execution.job_name}) == 3
    assert len(tuning_jobs(settings)) == 3


def test_local_runs_without_metadata_are_each_their_own_job(connector: SageMakerTuningConnector) -> None:
    a = connector.create(old_template(), "/tmp/flyte-x/raw/aaaa", old_inputs())
    b = connector.create(old_template(), "/tmp/flyte-x/raw/bbbb", old_inputs())
    assert a.job_name != b.job_name and not a.problems


def test_an_invalid_task_fails_at_create_with_every_problem_and_no_aws_call(settings: ConnectorSettings) -> None:
    from sagemaker_bridge import make_client

    clients: list[Any] = []

    def factory(region: str) -> Any:
        clients.append(make_client(region=region, endpoint_url=settings.endpoint_url))
        clients.append(count_calls(clients[-1]))
        return clients[-2]

    connector = SageMakerTuningConnector(settings, client_factory=factory)
    config = json.loads(json.dumps(SPEC["config"]))
    config["hyperparameterRanges"]["parameterRangeMap"]["eta"]["continuousParameterRange"]["scalingType"] = "LOGARITHMIC"
    config["hyperparameterRanges"]["parameterRangeMap"]["eta"]["continuousParameterRange"]["minValue"] = 0
    job = json.loads(json.dumps(SPEC["job"]))
    job["trainingJob"]["trainingJobResourceConfig"]["instanceType"] = "ml.m5.xlarg"
    meta = connector.create(old_template(job=job), prefix(), old_inputs(config=config), execution_metadata())
    assert not meta.job_name and len(meta.problems) == 2
    assert any("eta.continuous_parameter_range.min_value" in p for p in meta.problems)
    assert any("instance_type" in p and 'did you mean "ml.m5.xlarge"' in p for p in meta.problems)
    resource = connector.get(SageMakerTuningMetadata.decode(meta.encode()))
    assert resource.phase == TaskExecution.FAILED and "eta" in resource.message  # permanent: not RETRYABLE_FAILED
    connector.delete(meta)
    assert all(sum(c.values()) == 0 for c in clients[1::2])  # not one AWS call, not even a client for most


def test_a_task_without_a_role_or_an_s3_output_is_refused_plainly(clean_server: str) -> None:
    bare = SageMakerTuningConnector(ConnectorSettings(region="us-east-1", endpoint_url=clean_server))
    meta = bare.create(old_template(), prefix(), old_inputs(), execution_metadata())
    assert meta.problems and "no IAM role" in meta.problems[0]
    meta = bare.create(old_template(), "/tmp/local/raw", old_inputs(), execution_metadata(iam_role=ROLE))
    assert meta.problems and "SAGEMAKER_BRIDGE_OUTPUT_PATH" in meta.problems[0]


NAME = "hpo-stubbed"


def described(state: str, best: bool = True, reason: str = "") -> dict[str, Any]:
    from test_lifecycle_stubbed import described as stub_description

    return stub_description(state, 3, 1 if state == "InProgress" else 0, best="hpo-stubbed-003-abc" if best else None,
                            value=0.91, reason=reason or None)


@pytest.mark.parametrize(("state", "phase"), [
    ("InProgress", TaskExecution.RUNNING), ("Stopping", TaskExecution.RUNNING), ("Failed", TaskExecution.FAILED),
    ("Stopped", TaskExecution.ABORTED), ("Completed", TaskExecution.SUCCEEDED)])
def test_each_sagemaker_status_becomes_its_flyte_phase(state: str, phase: int) -> None:
    """moto cannot hold a job in these states over time; botocore's Stubber answers as SageMaker would."""
    import boto3

    client = boto3.client("sagemaker", region_name="eu-west-1")
    connector = SageMakerTuningConnector(ConnectorSettings(region="eu-west-1"), client_factory=lambda region: client)
    meta = SageMakerTuningMetadata(job_name=NAME, region="eu-west-1", outputs={"model": "model:", "best_objective": "objective"})
    with Stubber(client) as stubber:
        stubber.add_response("describe_hyper_parameter_tuning_job", described(state, reason="AlgorithmError: OOM"),
                             {"HyperParameterTuningJobName": NAME})
        if state in ("Failed", "Stopped", "Completed"):  # the best job's model: not there, and that is fine
            stubber.add_client_error("describe_training_job", "ValidationException", "Requested resource not found.")
        resource = connector.get(meta)
    assert resource.phase == phase
    if state == "Failed":
        assert "AlgorithmError: OOM" in resource.message
    if state == "Completed":
        out = resource.outputs.literals
        assert out["model"].scalar.blob.uri == "s3://b/out/hpo-stubbed-003-abc/output/model.tar.gz"
        assert out["best_objective"].scalar.primitive.float_value == pytest.approx(0.91)


def test_a_finished_job_without_a_best_job_still_succeeds() -> None:
    import boto3

    client = boto3.client("sagemaker", region_name="eu-west-1")
    connector = SageMakerTuningConnector(ConnectorSettings(region="eu-west-1"), client_factory=lambda region: client)
    meta = SageMakerTuningMetadata(job_name=NAME, region="eu-west-1",
                                   outputs={"model": "model:", "best_objective": "objective", "hp": "hyperparameters"})
    with Stubber(client) as stubber:
        stubber.add_response("describe_hyper_parameter_tuning_job", described("Completed", best=False),
                             {"HyperParameterTuningJobName": NAME})
        resource = connector.get(meta)
    assert resource.phase == TaskExecution.SUCCEEDED and resource.outputs.literals == {}


def test_delete_stops_a_running_job_and_is_quiet_for_ended_or_missing_ones() -> None:
    import boto3

    client = boto3.client("sagemaker", region_name="eu-west-1")
    connector = SageMakerTuningConnector(ConnectorSettings(region="eu-west-1"), client_factory=lambda region: client)
    meta = SageMakerTuningMetadata(job_name=NAME, region="eu-west-1")
    ask = {"HyperParameterTuningJobName": NAME}
    with Stubber(client) as stubber:
        stubber.add_response("describe_hyper_parameter_tuning_job", described("InProgress"), ask)
        stubber.add_response("stop_hyper_parameter_tuning_job", {}, ask)
        stubber.add_response("describe_hyper_parameter_tuning_job", described("Stopping"), ask)
        connector.delete(meta)  # running: stopped
        stubber.add_response("describe_hyper_parameter_tuning_job", described("Stopping"), ask)
        stubber.add_client_error("stop_hyper_parameter_tuning_job", "ValidationException", "The job is not in progress")
        stubber.add_response("describe_hyper_parameter_tuning_job", described("Stopping"), ask)
        connector.delete(meta)  # stopping already: SageMaker refuses the second stop, which is fine
        stubber.add_response("describe_hyper_parameter_tuning_job", described("Stopped"), ask)
        connector.delete(meta)  # ended: no stop call, and no DescribeTrainingJob for a model nobody reads
        stubber.add_client_error("describe_hyper_parameter_tuning_job", "ResourceNotFound", "No such job")
        connector.delete(meta)  # gone
        stubber.assert_no_pending_responses()


def test_each_call_answers_within_the_deadline_when_aws_stalls(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket
    import time

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)  # never answered
        stalled = f"http://127.0.0.1:{server.getsockname()[1]}"
        connector = SageMakerTuningConnector(ConnectorSettings(region="us-east-1", role_arn=ROLE,
                                                               output_path="s3://b/o", endpoint_url=stalled,
                                                               call_timeout=1.5))
        meta = SageMakerTuningMetadata(job_name="stalled-job", region="us-east-1")
        started = time.monotonic()
        resource = connector.get(meta)
        assert resource.phase == TaskExecution.RUNNING and "did not answer" in resource.message
        with pytest.raises(TimeoutError):
            connector.create(old_template(), prefix(), old_inputs(), execution_metadata())
        assert time.monotonic() - started < 6


def test_pyflyte_serve_connector_serves_it_over_grpc(clean_server: str, tmp_path: Any) -> None:
    """The deployment path: `pyflyte serve connector` finds the connector through the entry point, and a client
    speaks Flyte's gRPC API to it (ListAgents, then CreateTask, GetTask, DeleteTask), AWS being moto server."""
    import os
    import shutil
    import socket
    import time

    from flyteidl.admin.agent_pb2 import ListAgentsRequest
    from flyteidl.service.agent_pb2_grpc import AgentMetadataServiceStub, AsyncAgentServiceStub

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "SAGEMAKER_BRIDGE_REGION": "us-east-1", "SAGEMAKER_BRIDGE_ENDPOINT_URL": clean_server,
           "SAGEMAKER_BRIDGE_ROLE_ARN": ROLE}
    pyflyte = shutil.which("pyflyte", path=os.path.dirname(sys.executable)) or "pyflyte"
    server = subprocess.Popen([pyflyte, "serve", "connector", "--port", str(port), "--prometheus_port", "0"],
                              env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        grpc.channel_ready_future(channel).result(timeout=90)
        agents = AgentMetadataServiceStub(channel).ListAgents(ListAgentsRequest(), timeout=10).agents
        ours = [a for a in agents if TASK_TYPE in [c.name for c in a.supported_task_categories]]
        assert [a.name for a in ours] == [SageMakerTuningConnector.name]
        stub = AsyncAgentServiceStub(channel)
        created = stub.CreateTask(CreateTaskRequest(
            template=old_template().to_flyte_idl(), inputs=old_inputs().to_flyte_idl(), output_prefix=prefix(),
            task_execution_metadata=execution_metadata().to_flyte_idl()), timeout=10)
        category = TaskCategory(name=TASK_TYPE, version=0)
        deadline = time.monotonic() + 30
        while True:
            got = stub.GetTask(GetTaskRequest(task_category=category, resource_meta=created.resource_meta), timeout=10)
            if got.resource.phase != TaskExecution.RUNNING or time.monotonic() > deadline:
                break
        assert got.resource.phase == TaskExecution.SUCCEEDED, got.resource.message
        assert got.resource.outputs.literals["model"].scalar.blob.uri.endswith("/output/model.tar.gz")
        stub.DeleteTask(DeleteTaskRequest(task_category=category, resource_meta=created.resource_meta), timeout=10)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def in_process_sagemaker() -> Any:
    import boto3
    from moto import mock_aws

    with mock_aws():
        yield boto3.client("sagemaker", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")


@given(part=st.sampled_from(["job", "config", "static_hyperparameters"]), data=st.data())
def test_any_part_of_a_task_replaced_by_anything_never_crashes_create(in_process_sagemaker: Any, part: str,
                                                                     data: st.DataObject) -> None:
    """An exception from create would be retried by Flyte forever; a bad task must come back as its problems."""
    target = SPEC[part]
    changed = replaced(target, data.draw(st.sampled_from(paths(target))), data.draw(json_values))
    values = {**{k: SPEC[k] for k in ("job", "config", "static_hyperparameters")},
              part: changed if isinstance(changed, dict) else {"value": changed}}
    try:
        template = old_template(job=values["job"])
        inputs = old_inputs(config=values["config"], statics=values["static_hyperparameters"])
    except (TypeError, ValueError):  # a protobuf Struct cannot hold it: flytekit could never send such a task
        assume(False)
    connector = SageMakerTuningConnector(ConnectorSettings(region="us-east-1", role_arn=ROLE, output_path="s3://b/o"),
                                         client_factory=lambda region: in_process_sagemaker)
    meta = connector.create(template, prefix(node_dir=f"s3://d/{data.draw(st.integers(0, 10**12))}"), inputs,
                            execution_metadata())
    assert bool(meta.problems) != bool(meta.job_name)
    for problem in meta.problems:  # what the UI shows: one printable line, where and then what
        where, _, what = problem.partition(": ")
        assert where and what and problem.isprintable() and "Traceback" not in problem, problem
    resource = connector.get(SageMakerTuningMetadata.decode(meta.encode()))
    assert resource.phase == (TaskExecution.FAILED if meta.problems else TaskExecution.SUCCEEDED)
