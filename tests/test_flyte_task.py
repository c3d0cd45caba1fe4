"""SageMakerTuningTask as a Flyte user writes it: checked when declared, serialized for the connector, and run in a
local workflow end to end against moto server (tox env `flyte`)."""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

import pytest

pytest.importorskip("flytekit", reason="the authoring task is tested in tox -e flyte (flytekit 1.16)")

from conftest import load_spec, split_spec
from flytekit import workflow
from flytekit.configuration import Image, ImageConfig, SerializationSettings
from flytekit.tools.translator import get_serializable
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

from sagemaker_bridge import TranslationError, TranslationWarning, translate
from sagemaker_bridge.flyte import (
    TASK_TYPE,
    CategoricalRange,
    ContinuousRange,
    CustomImage,
    IntegerRange,
    Objective,
    SageMakerTuningTask,
    XGBoost,
)
from sagemaker_bridge.flyte.inputs import read_task

ROLE = "arn:aws:iam::123456789012:role/SageMakerExecution"
SETTINGS = SerializationSettings(image_config=ImageConfig(default_image=Image(name="default", fqn="ghcr.io/acme/app",
                                                                              tag="1")))


def xgboost_task(name: str = "churn_hpo", **over: Any) -> SageMakerTuningTask:
    kwargs: dict[str, Any] = dict(
        algorithm=XGBoost("1.7"), instance_type="ml.m5.xlarge", volume_size_in_gb=25,
        max_number_of_training_jobs=20, max_parallel_training_jobs=4,
        ranges={"eta": ContinuousRange(0.01, 0.3, "LOGARITHMIC"), "max_depth": IntegerRange(3, 10, "LINEAR"),
                "booster": CategoricalRange(["gbtree", "dart"])},
        objective=Objective("validation:auc", "MAXIMIZE"), strategy="RANDOM",
        static_hyperparameters={"num_round": 200, "objective": "binary:logistic"}, tags={"team": "growth"})
    kwargs.update(over)
    return SageMakerTuningTask(name, **kwargs)


def test_the_task_serializes_to_a_template_the_connector_reads() -> None:
    template = get_serializable(OrderedDict(), SETTINGS, xgboost_task()).template
    assert template.type == TASK_TYPE
    assert template.custom["maxNumberOfTrainingJobs"] == "20"  # proto3 JSON, int64 as text, as flytekit wrote it
    assert template.custom["trainingJob"]["algorithmSpecification"]["algorithmName"] == "XGBOOST"
    assert set(template.interface.inputs) == {"train", "validation"}
    assert set(template.interface.outputs) == {"model", "best_objective", "best_hyperparameters"}
    spec = read_task(template, None)
    with pytest.warns(TranslationWarning, match="booster"):  # tuned, though the container does not list it tunable
        request = translate(spec.job, spec.config, job_name="j", role_arn=ROLE,
                            inputs={"train": "s3://b/t/", "validation": "s3://b/v/"}, output_path="s3://b/o",
                            region="eu-west-1", static_hyperparameters=spec.static_hyperparameters, **spec.options)
    ranges = request["HyperParameterTuningJobConfig"]["ParameterRanges"]
    assert ranges["ContinuousParameterRanges"] == [{"Name": "eta", "MinValue": "0.01", "MaxValue": "0.3",
                                                    "ScalingType": "Logarithmic"}]
    assert request["TrainingJobDefinition"]["StaticHyperParameters"]["num_round"] == "200"
    assert request["Tags"] == [{"Key": "team", "Value": "growth"}]


def test_a_custom_image_task_keeps_its_image_and_metrics() -> None:
    task = SageMakerTuningTask(
        "resnet_hpo", algorithm=CustomImage("123456789012.dkr.ecr.us-east-1.amazonaws.com/resnet:2",
                                            {"val:acc": "val_acc=([0-9.]+)"}),
        instance_type="ml.p3.2xlarge", max_number_of_training_jobs=8, max_parallel_training_jobs=2,
        ranges={"lr": ContinuousRange(1e-5, 1e-1, "LOGARITHMIC")}, objective=Objective("val:acc"), channels=("train",))
    template = get_serializable(OrderedDict(), SETTINGS, task).template
    spec = read_task(template, None)
    assert spec.options["training_image"].endswith("/resnet:2")
    assert template.custom["trainingJob"]["algorithmSpecification"]["metricDefinitions"] == [
        {"name": "val:acc", "regex": "val_acc=([0-9.]+)"}]


@pytest.mark.parametrize(("over", "path"), [
    ({"ranges": {"eta": ContinuousRange(0, 0.3, "LOGARITHMIC")}},
     "config.hyperparameter_ranges.eta.continuous_parameter_range.min_value"),
    ({"instance_type": "ml.m5.xlarg"}, "job.training_job.training_job_resource_config.instance_type"),
    ({"objective": Objective("validation:aucc")}, "config.tuning_objective.metric_name"),
    ({"static_hyperparameters": {"objective": "binary:logistic"}}, "static_hyperparameters"),
    ({"max_runtime_seconds": 2**31}, "max_runtime_seconds"),
])
def test_a_task_translate_would_refuse_is_refused_when_declared(over: dict[str, Any], path: str) -> None:
    with pytest.raises(TranslationError) as info:
        xgboost_task(**over)
    assert path in {p.path for p in info.value.errors}


def test_a_workflow_runs_locally_end_to_end_against_moto_server(clean_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {"REGION": "us-east-1", "ROLE_ARN": ROLE, "OUTPUT_PATH": "s3://acme-ml/flyte-local/",
                       "ENDPOINT_URL": clean_server}.items():
        monkeypatch.setenv(f"SAGEMAKER_BRIDGE_{key}", value)
    hpo = xgboost_task("local_hpo")

    @workflow
    def tune(train: FlyteDirectory, validation: FlyteDirectory) -> tuple[FlyteFile, float, dict[str, str]]:
        return hpo(train=train, validation=validation)

    spec = load_spec("xgboost-flytekit.yaml")
    model, best, hyperparameters = tune(train=FlyteDirectory(spec["inputs"]["train"]),
                                        validation=FlyteDirectory(spec["inputs"]["validation"]))
    assert model.remote_source.startswith("s3://acme-ml/flyte-local/") and model.remote_source.endswith("/model.tar.gz")
    assert isinstance(best, float) and isinstance(hyperparameters, dict)
    from sagemaker_bridge import make_client

    client = make_client(region="us-east-1", endpoint_url=clean_server)
    [summary] = client.list_hyper_parameter_tuning_jobs()["HyperParameterTuningJobSummaries"]
    described = client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=summary["HyperParameterTuningJobName"])
    channels = {c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"]
                for c in described["TrainingJobDefinition"]["InputDataConfig"]}
    assert channels == spec["inputs"]
    _, _, kw = split_spec(spec)
    assert json.loads(json.dumps(described["TrainingJobDefinition"]["StaticHyperParameters"])) == {
        "num_round": "200", "objective": "binary:logistic"}
    assert kw["role_arn"] != described["TrainingJobDefinition"]["RoleArn"] == ROLE


def test_a_workflow_runs_locally_on_the_local_engine_with_real_outputs(local_dir: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """SAGEMAKER_BRIDGE_LOCAL=1: the connector's client is LocalSageMaker, the inputs are local directories, and the
    typed outputs are the real best model, its objective and its hyperparameters."""
    pytest.importorskip("xgboost")
    import tarfile

    import xgboost
    from localengine import SAMPLE, read_csv
    from sklearn.metrics import roc_auc_score

    monkeypatch.setenv("SAGEMAKER_BRIDGE_LOCAL", "1")
    hpo = SageMakerTuningTask(
        "local_engine_hpo", algorithm=XGBoost("1.7"), instance_type="ml.m5.large", max_number_of_training_jobs=4,
        max_parallel_training_jobs=2, ranges={"eta": ContinuousRange(0.05, 0.5, "LOGARITHMIC"),
                                              "max_depth": IntegerRange(2, 6, "LINEAR")},
        objective=Objective("validation:auc", "MAXIMIZE"),
        static_hyperparameters={"num_round": 20, "objective": "binary:logistic", "eval_metric": "auc"})

    @workflow
    def tune(train: FlyteDirectory, validation: FlyteDirectory) -> tuple[FlyteFile, float, dict[str, str]]:
        return hpo(train=train, validation=validation)

    model, best, hyperparameters = tune(train=FlyteDirectory(str(SAMPLE / "train")),
                                        validation=FlyteDirectory(str(SAMPLE / "validation")))
    with tarfile.open(model.download()) as tar:
        booster = xgboost.Booster()
        booster.load_model(bytearray(tar.extractfile("xgboost-model").read()))  # type: ignore[union-attr]
    features, labels = read_csv(SAMPLE / "validation")
    assert best == pytest.approx(roc_auc_score(labels, booster.predict(xgboost.DMatrix(features))), abs=1e-6)
    assert set(hyperparameters) == {"eta", "max_depth"} and 2 <= int(hyperparameters["max_depth"]) <= 6


def test_enable_deck_writes_the_tuning_report_as_the_tasks_deck(local_dir: Any, monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Any) -> None:
    """The template of SageMakerTuningTask(enable_deck=True) generates a deck; the connector's get() writes the report
    to <output prefix>/deck.html, and at the end it lists every training job."""
    pytest.importorskip("plotly")
    import time

    from localengine import SAMPLE

    from sagemaker_bridge.flyte import SageMakerTuningConnector
    from sagemaker_bridge.local import LocalSageMaker

    monkeypatch.setenv("SAGEMAKER_BRIDGE_LOCAL", "1")
    task = SageMakerTuningTask(
        "deck_hpo", algorithm=XGBoost("1.7"), instance_type="ml.m5.large", max_number_of_training_jobs=3,
        max_parallel_training_jobs=1, ranges={"max_depth": IntegerRange(2, 6, "LINEAR")},
        objective=Objective("validation:auc", "MAXIMIZE"), enable_deck=True,
        static_hyperparameters={"num_round": 5, "objective": "binary:logistic", "eval_metric": "auc"})
    template = get_serializable(OrderedDict(), SETTINGS, task).template
    assert template.metadata.generates_deck
    from flytekit.core.context_manager import FlyteContextManager
    from flytekit.core.type_engine import TypeEngine

    ctx = FlyteContextManager.current_context()
    inputs = TypeEngine.dict_to_literal_map(ctx, {"train": FlyteDirectory(str(SAMPLE / "train")),
                                                  "validation": FlyteDirectory(str(SAMPLE / "validation"))},
                                            {"train": FlyteDirectory, "validation": FlyteDirectory})
    connector = SageMakerTuningConnector()
    prefix = tmp_path / "outputs"
    prefix.mkdir()
    meta = connector.create(template, str(prefix), inputs)
    assert meta.deck_prefix == str(prefix) and not meta.problems
    deadline = time.monotonic() + 120
    from flyteidl.core.execution_pb2 import TaskExecution

    while connector.get(meta).phase == TaskExecution.RUNNING:
        assert time.monotonic() < deadline
        time.sleep(1)
    deck = (prefix / "deck.html").read_text()
    jobs = LocalSageMaker().list_training_jobs_for_hyper_parameter_tuning_job(HyperParameterTuningJobName=meta.job_name)
    assert len(jobs["TrainingJobSummaries"]) == 3
    assert all(j["TrainingJobName"] in deck for j in jobs["TrainingJobSummaries"])
    assert deck.count("<div class='figure'>") == 5 - deck.count("Not drawn") >= 4


def test_a_deck_that_cannot_be_written_is_logged_and_get_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    from sagemaker_bridge.flyte.deck import Decks

    class Gone:
        def describe_hyper_parameter_tuning_job(self, **_: Any) -> Any:
            raise ConnectionError("the endpoint went away")

    decks = Decks()
    decks.write(Gone(), "job", "/nonexistent/prefix", terminal=True)  # no exception
    assert "could not write its deck" in caplog.text
    assert decks.due("job", terminal=True)  # tried again at the next get()
