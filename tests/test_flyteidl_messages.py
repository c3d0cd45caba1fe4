"""Real messages from flyteidl==1.5.22 (the last generated classes; tox env `flyteidl`, protobuf<5)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import FIXTURES, SPECS, load_spec, split_spec

from sagemaker_bridge import TranslationWarning, translate, validate

pytest.importorskip("flyteidl.plugins.sagemaker.hyperparameter_tuning_job_pb2",
                    reason="real flyteidl messages are tested in tox -e flyteidl")
from flyteidl.plugins.sagemaker import hyperparameter_tuning_job_pb2 as hpo, parameter_ranges_pb2 as pr, training_job_pb2 as tj
from google.protobuf import json_format


def canonical(request: Any) -> str:
    return json.dumps(request, sort_keys=True)


@pytest.mark.parametrize("name", SPECS)
def test_flyteidl_objects_bytes_and_flytekit_json_agree(name: str) -> None:
    job, config, kw = split_spec(load_spec(name))
    job_msg = json_format.ParseDict(job, hpo.HyperparameterTuningJob())
    config_msg = json_format.ParseDict(config, hpo.HyperparameterTuningJobConfig())
    expected = canonical(translate(job, config, **kw))
    assert canonical(translate(job_msg, config_msg, **kw)) == expected
    assert canonical(translate(job_msg.SerializeToString(), config_msg.SerializeToString(), **kw)) == expected
    flytekit_json = json_format.MessageToDict(job_msg), json_format.MessageToDict(config_msg)
    assert canonical(translate(*flytekit_json, **kw)) == expected


def test_messages_built_field_by_field_as_flytekit_did() -> None:
    job = hpo.HyperparameterTuningJob(
        training_job=tj.TrainingJob(
            algorithm_specification=tj.AlgorithmSpecification(
                algorithm_name=tj.AlgorithmName.XGBOOST, algorithm_version="0.90",
                input_mode=tj.InputMode.FILE, input_content_type=tj.InputContentType.TEXT_CSV),
            training_job_resource_config=tj.TrainingJobResourceConfig(
                instance_count=1, instance_type="ml.m4.xlarge", volume_size_in_gb=25)),
        max_number_of_training_jobs=10, max_parallel_training_jobs=5)
    ranges = pr.ParameterRanges(parameter_range_map={
        "eta": pr.ParameterRangeOneOf(continuous_parameter_range=pr.ContinuousParameterRange(
            min_value=1e-7, max_value=0.9, scaling_type=pr.HyperparameterScalingType.REVERSELOGARITHMIC)),
        "num_round": pr.ParameterRangeOneOf(integer_parameter_range=pr.IntegerParameterRange(
            min_value=10, max_value=200, scaling_type=pr.HyperparameterScalingType.LINEAR)),
        "booster": pr.ParameterRangeOneOf(categorical_parameter_range=pr.CategoricalParameterRange(
            values=["gbtree", "dart"])),
    })
    config = hpo.HyperparameterTuningJobConfig(
        hyperparameter_ranges=ranges, tuning_strategy=hpo.HyperparameterTuningStrategy.RANDOM,
        tuning_objective=hpo.HyperparameterTuningObjective(
            objective_type=hpo.HyperparameterTuningObjectiveType.MAXIMIZE, metric_name="validation:auc"),
        training_job_early_stopping_type=hpo.TrainingJobEarlyStoppingType.AUTO)
    with pytest.warns(TranslationWarning, match="booster"):  # the container does not list it as tunable
        out = translate(job, config, job_name="flyte-xgb", role_arn="arn:aws:iam::123456789012:role/R",
                        inputs={"train": "s3://b/train", "validation": "s3://b/val"}, output_path="s3://b/out",
                        region="us-east-1")
    cfg = out["HyperParameterTuningJobConfig"]
    assert cfg["Strategy"] == "Random" and cfg["TrainingJobEarlyStoppingType"] == "Auto"
    assert cfg["ParameterRanges"]["ContinuousParameterRanges"] == [
        {"Name": "eta", "MinValue": "1e-07", "MaxValue": "0.9", "ScalingType": "ReverseLogarithmic"}]
    assert out["TrainingJobDefinition"]["AlgorithmSpecification"]["TrainingImage"] == \
        "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:0.90-2-cpu-py3"


def test_a_config_message_passed_as_the_job_is_refused() -> None:
    _, config, kw = split_spec(load_spec("xgboost-flytekit.yaml"))
    config_msg = json_format.ParseDict(config, hpo.HyperparameterTuningJobConfig())
    problems = validate(config_msg, config, **kw)
    assert [(p.path, p.code) for p in problems] == [("job", "input.wrong_message")]


def test_later_flytekit_ranges_as_flyteidl_messages() -> None:
    from sagemaker_bridge import with_ranges

    job, config, kw = split_spec(load_spec("xgboost-flytekit.yaml"))
    ranges = {name: json_format.ParseDict(one_of, pr.ParameterRangeOneOf())
              for name, one_of in config["hyperparameterRanges"]["parameterRangeMap"].items()}
    empty_config = json_format.ParseDict({**config, "hyperparameterRanges": {}}, hpo.HyperparameterTuningJobConfig())
    merged = with_ranges(empty_config.SerializeToString(), ranges)
    assert canonical(translate(job, merged, **kw)) == canonical(translate(job, config, **kw))


def every_field_messages() -> dict[str, Any]:
    """The messages behind fixtures/flyte/every-field-*: every field set away from its proto3 default where it can be
    (AlgorithmName CUSTOM and InputContentType TEXT_CSV are 0, so xgboost-job pins algorithm_name instead)."""
    job = hpo.HyperparameterTuningJob(
        training_job=tj.TrainingJob(
            algorithm_specification=tj.AlgorithmSpecification(
                input_mode=tj.InputMode.PIPE, algorithm_name=tj.AlgorithmName.CUSTOM, algorithm_version="2.1",
                metric_definitions=[tj.MetricDefinition(name="val:loss", regex="val_loss=([0-9.]+)"),
                                    tj.MetricDefinition(name="val:acc", regex="val_acc=([0-9.]+)")],
                input_content_type=tj.InputContentType.TEXT_CSV),
            training_job_resource_config=tj.TrainingJobResourceConfig(
                instance_count=3, instance_type="ml.p3.2xlarge", volume_size_in_gb=75,
                distributed_protocol=tj.DistributedProtocol.MPI)),
        max_number_of_training_jobs=40, max_parallel_training_jobs=4)
    config = hpo.HyperparameterTuningJobConfig(
        hyperparameter_ranges=pr.ParameterRanges(parameter_range_map={
            "lr": pr.ParameterRangeOneOf(continuous_parameter_range=pr.ContinuousParameterRange(
                max_value=0.5, min_value=1e-05, scaling_type=pr.HyperparameterScalingType.LOGARITHMIC)),
            "momentum": pr.ParameterRangeOneOf(continuous_parameter_range=pr.ContinuousParameterRange(
                max_value=0.99, min_value=0.5, scaling_type=pr.HyperparameterScalingType.REVERSELOGARITHMIC)),
            "batch_size": pr.ParameterRangeOneOf(integer_parameter_range=pr.IntegerParameterRange(
                max_value=512, min_value=16, scaling_type=pr.HyperparameterScalingType.LINEAR)),
            "optimizer": pr.ParameterRangeOneOf(categorical_parameter_range=pr.CategoricalParameterRange(
                values=["sgd", "adam", "adamw"])),
        }),
        tuning_strategy=hpo.HyperparameterTuningStrategy.RANDOM,
        tuning_objective=hpo.HyperparameterTuningObjective(
            objective_type=hpo.HyperparameterTuningObjectiveType.MAXIMIZE, metric_name="val:acc"),
        training_job_early_stopping_type=hpo.TrainingJobEarlyStoppingType.AUTO)
    return {"every-field-job": job, "every-field-config": config}


@pytest.mark.parametrize("stem", ["every-field-job", "every-field-config"])
def test_the_committed_fixtures_are_what_flyteidl_writes(stem: str) -> None:
    """The default env pins our descriptor to these bytes; here they are re-made by flyteidl itself."""
    message = every_field_messages()[stem]
    assert (FIXTURES / "flyte" / f"{stem}.pb").read_bytes() == message.SerializeToString(deterministic=True)
    assert json.loads((FIXTURES / "flyte" / f"{stem}.json").read_text()) == json_format.MessageToDict(message)
