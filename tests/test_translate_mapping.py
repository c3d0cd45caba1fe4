"""Every mapping row of the Flyte IDL -> CreateHyperParameterTuningJob, by the values users see."""

from __future__ import annotations

import copy
import json
import warnings
from typing import Any

import pytest
from conftest import SPECS, load_spec, split_spec

from sagemaker_bridge import TranslationError, TranslationWarning, translate, validate, validate_request
from sagemaker_bridge.algorithms import xgboost

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
BASE = dict(job_name="hpo-1", role_arn=ROLE, inputs={"train": "s3://b/train", "validation": "s3://b/val"},
            output_path="s3://b/out",
            training_image="123456789012.dkr.ecr.us-east-1.amazonaws.com/trainer:1")


def job(**over: Any) -> dict[str, Any]:
    j: dict[str, Any] = {
        "maxNumberOfTrainingJobs": "10", "maxParallelTrainingJobs": "2",
        "trainingJob": {
            "algorithmSpecification": {"algorithmName": "CUSTOM",
                                       "metricDefinitions": [{"name": "loss", "regex": "loss=([0-9.]+)"}]},
            "trainingJobResourceConfig": {"instanceCount": "1", "instanceType": "ml.m5.xlarge", "volumeSizeInGb": "10"},
        },
    }
    j.update(over)
    return j


def config(ranges: dict[str, Any] | None = None, **over: Any) -> dict[str, Any]:
    c: dict[str, Any] = {
        "hyperparameterRanges": {"parameterRangeMap": ranges if ranges is not None else {
            "lr": {"continuousParameterRange": {"minValue": 0.001, "maxValue": 0.1}}}},
        "tuningObjective": {"metricName": "loss"},
    }
    c.update(over)
    return c


def run(j: Any = None, c: Any = None, **kw: Any) -> dict[str, Any]:
    return dict(translate(job() if j is None else j, config() if c is None else c, **{**BASE, **kw}))


def test_resource_limits_come_from_the_job() -> None:
    out = run(job(maxNumberOfTrainingJobs="40", maxParallelTrainingJobs="8"))
    limits = out["HyperParameterTuningJobConfig"]["ResourceLimits"]
    assert limits == {"MaxNumberOfTrainingJobs": 40, "MaxParallelTrainingJobs": 8}


@pytest.mark.parametrize(("flyte", "aws"), [("BAYESIAN", "Bayesian"), ("RANDOM", "Random"), (None, "Bayesian")])
def test_strategy(flyte: str | None, aws: str) -> None:
    c = config(**({"tuningStrategy": flyte} if flyte else {}))
    assert run(c=c)["HyperParameterTuningJobConfig"]["Strategy"] == aws


@pytest.mark.parametrize(("flyte", "aws"), [("MINIMIZE", "Minimize"), ("MAXIMIZE", "Maximize"), (None, "Minimize")])
def test_objective(flyte: str | None, aws: str) -> None:
    c = config(tuningObjective={"metricName": "loss", **({"objectiveType": flyte} if flyte else {})})
    assert run(c=c)["HyperParameterTuningJobConfig"]["HyperParameterTuningJobObjective"] == {"Type": aws, "MetricName": "loss"}


@pytest.mark.parametrize(("flyte", "aws"), [("OFF", "Off"), ("AUTO", "Auto"), (None, "Off")])
def test_early_stopping(flyte: str | None, aws: str) -> None:
    c = config(**({"trainingJobEarlyStoppingType": flyte} if flyte else {}))
    assert run(c=c)["HyperParameterTuningJobConfig"]["TrainingJobEarlyStoppingType"] == aws


@pytest.mark.parametrize(("flyte", "aws"), [("AUTO", "Auto"), ("LINEAR", "Linear"), ("LOGARITHMIC", "Logarithmic"),
                                            ("REVERSELOGARITHMIC", "ReverseLogarithmic"), (None, "Auto")])
def test_scaling_types_keep_the_api_spelling(flyte: str | None, aws: str) -> None:
    rng = {"minValue": 0.001, "maxValue": 0.5, **({"scalingType": flyte} if flyte else {})}
    out = run(c=config({"lr": {"continuousParameterRange": rng}}))
    assert out["HyperParameterTuningJobConfig"]["ParameterRanges"]["ContinuousParameterRanges"][0]["ScalingType"] == aws


@pytest.mark.parametrize("value", [1e-07, 1e-300, 0.1, 1 / 3, 123456.789e10, 5e-324, 0.30000000000000004])
def test_continuous_bounds_lose_no_bit(value: float) -> None:
    out = run(c=config({"x": {"continuousParameterRange": {"minValue": value, "maxValue": value}}}))
    rendered = out["HyperParameterTuningJobConfig"]["ParameterRanges"]["ContinuousParameterRanges"][0]
    assert float(rendered["MinValue"]) == value and float(rendered["MaxValue"]) == value
    if value == 1e-07:
        assert rendered["MinValue"] == "1e-07"  # the old Go plugin printed "0.000000"


def test_integer_and_categorical_ranges_sorted_by_name_within_kind() -> None:
    ranges = {
        "z_int": {"integerParameterRange": {"minValue": "1", "maxValue": "9", "scalingType": "LOGARITHMIC"}},
        "a_int": {"integerParameterRange": {"minValue": "-3", "maxValue": "3"}},
        "opt": {"categoricalParameterRange": {"values": ["adam", "sgd"]}},
        "lr": {"continuousParameterRange": {"minValue": 0.1, "maxValue": 0.2}},
    }
    pr = run(c=config(ranges))["HyperParameterTuningJobConfig"]["ParameterRanges"]
    assert pr["IntegerParameterRanges"] == [
        {"Name": "a_int", "MinValue": "-3", "MaxValue": "3", "ScalingType": "Auto"},
        {"Name": "z_int", "MinValue": "1", "MaxValue": "9", "ScalingType": "Logarithmic"}]
    assert pr["CategoricalParameterRanges"] == [{"Name": "opt", "Values": ["adam", "sgd"]}]
    assert [r["Name"] for r in pr["ContinuousParameterRanges"]] == ["lr"]


def test_map_order_never_changes_the_request() -> None:
    ranges = {f"p{i}": {"integerParameterRange": {"minValue": "1", "maxValue": "100"}} for i in range(8)}
    forward = run(c=config(ranges), inputs={"train": "s3://b/t", "validation": "s3://b/v", "aux": "s3://b/a"},
                  tags={"b": "2", "a": "1"}, static_hyperparameters={"x": 1, "y": 2})
    backward = run(c=config(dict(reversed(list(ranges.items())))),
                   inputs={"aux": "s3://b/a", "validation": "s3://b/v", "train": "s3://b/t"},
                   tags={"a": "1", "b": "2"}, static_hyperparameters={"y": 2, "x": 1})
    assert json.dumps(forward, sort_keys=True) == json.dumps(backward, sort_keys=True)
    assert [c["ChannelName"] for c in forward["TrainingJobDefinition"]["InputDataConfig"]] == ["aux", "train", "validation"]


@pytest.mark.parametrize("region", sorted(xgboost.REGISTRY_ACCOUNTS))
def test_xgboost_image_in_every_region(region: str) -> None:
    j = job()
    j["trainingJob"]["algorithmSpecification"] = {"algorithmName": "XGBOOST", "algorithmVersion": "1.7-1"}
    c = config({"num_round": {"integerParameterRange": {"minValue": "10", "maxValue": "100"}}},
               tuningObjective={"metricName": "validation:rmse"})
    image = run(j, c, training_image=None, region=region)["TrainingJobDefinition"]["AlgorithmSpecification"]["TrainingImage"]
    # The partitions' ECR domains, as the SageMaker SDK writes these images (air-gapped ones: its image_uris module).
    domain = next(d for prefix, d in (("cn-", "amazonaws.com.cn"), ("us-isob-", "sc2s.sgov.gov"),
                                      ("us-isof-", "csp.hci.ic.gov"), ("us-iso-", "c2s.ic.gov"), ("", "amazonaws.com"))
                  if region.startswith(prefix))
    assert image == f"{xgboost.REGISTRY_ACCOUNTS[region]}.dkr.ecr.{region}.{domain}/sagemaker-xgboost:1.7-1"
    assert validate_request(run(j, c, training_image=None, region=region)) == []


@pytest.mark.parametrize(("version", "tag"), [
    ("0.90", "0.90-2-cpu-py3"), ("0.90-1", "0.90-1-cpu-py3"), ("1.0", "1.0-1-cpu-py3"), ("1.2", "1.2-2"),
    ("1.3-1", "1.3-1"), ("1.5", "1.5-1"), ("1.7", "1.7-1"), ("3.0", "3.0-5"), ("3.0-5", "3.0-5"), ("3.2", "3.2-0"),
    ("", "3.2-0")])
def test_xgboost_versions_resolve_to_their_newest_build(version: str, tag: str) -> None:
    j = job()
    j["trainingJob"]["algorithmSpecification"] = {"algorithmName": "XGBOOST", "algorithmVersion": version}
    c = config({"num_round": {"integerParameterRange": {"minValue": "10", "maxValue": "100"}}},
               tuningObjective={"metricName": "validation:rmse"})
    image = run(j, c, training_image=None, region="eu-west-1")["TrainingJobDefinition"]["AlgorithmSpecification"]["TrainingImage"]
    assert image == f"141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:{tag}"


def test_a_version_newer_than_the_table_is_a_warning_naming_the_newest_known_not_a_refusal() -> None:
    j = job()
    j["trainingJob"]["algorithmSpecification"] = {"algorithmName": "XGBOOST", "algorithmVersion": "3.4-1"}
    c = config({"num_round": {"integerParameterRange": {"minValue": "10", "maxValue": "100"}}},
               tuningObjective={"metricName": "validation:rmse"})
    with pytest.warns(TranslationWarning, match=r"3.4-1 is newer than the newest .* knows \(3.2-0\)"):
        out = run(j, c, training_image=None, region="eu-west-1")
    assert out["TrainingJobDefinition"]["AlgorithmSpecification"]["TrainingImage"].endswith("/sagemaker-xgboost:3.4-1")
    j["trainingJob"]["algorithmSpecification"]["algorithmVersion"] = "9.9"  # no build: no image tag can be named
    with pytest.raises(TranslationError, match="not a SageMaker XGBoost version"):
        run(j, c, training_image=None, region="eu-west-1")


def test_training_image_overrides_xgboost_lookup_for_private_mirrors() -> None:
    j = job()
    j["trainingJob"]["algorithmSpecification"] = {"algorithmName": "XGBOOST"}
    c = config({"num_round": {"integerParameterRange": {"minValue": "10", "maxValue": "100"}}},
               tuningObjective={"metricName": "validation:logloss"})
    mirror = "999999999999.dkr.ecr.us-east-1.amazonaws.com/mirror/sagemaker-xgboost:1.7-1"
    out = run(j, c, training_image=mirror)  # no region needed
    assert out["TrainingJobDefinition"]["AlgorithmSpecification"]["TrainingImage"] == mirror
    # still XGBoost: its metric rules apply even though the URI is a mirror
    c_bad = config({"num_round": {"integerParameterRange": {"minValue": "10", "maxValue": "100"}}},
                   tuningObjective={"metricName": "my-metric"})
    assert [p.code for p in validate(j, c_bad, **{**BASE, "training_image": mirror})] == ["xgboost.tuning_metric"]


@pytest.mark.parametrize(("mode", "aws"), [("FILE", "File"), ("PIPE", "Pipe"), (None, "File")])
def test_input_mode_and_metric_definitions(mode: str | None, aws: str) -> None:
    j = job()
    if mode:
        j["trainingJob"]["algorithmSpecification"]["inputMode"] = mode
    spec = run(j)["TrainingJobDefinition"]["AlgorithmSpecification"]
    assert spec == {"TrainingImage": BASE["training_image"], "TrainingInputMode": aws,
                    "MetricDefinitions": [{"Name": "loss", "Regex": "loss=([0-9.]+)"}]}


def test_training_definition_fields() -> None:
    j = job()
    j["trainingJob"]["trainingJobResourceConfig"] = {"instanceCount": "4", "instanceType": "ml.p3.2xlarge",
                                                     "volumeSizeInGb": "200", "distributedProtocol": "MPI"}
    d = run(j, max_runtime_seconds=3600, inputs={"train": "s3://b/t", "validation": "s3://b/v"},
            static_hyperparameters={"epochs": 3})["TrainingJobDefinition"]
    assert d["ResourceConfig"] == {"InstanceType": "ml.p3.2xlarge", "InstanceCount": 4, "VolumeSizeInGB": 200}
    assert d["StaticHyperParameters"] == {"sagemaker_mpi_enabled": "true", "epochs": "3"}
    assert d["StoppingCondition"] == {"MaxRuntimeInSeconds": 3600}
    assert d["OutputDataConfig"] == {"S3OutputPath": "s3://b/out"}
    assert d["RoleArn"] == ROLE
    assert d["InputDataConfig"][1] == {
        "ChannelName": "validation", "ContentType": "text/csv",
        "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://b/v",
                                        "S3DataDistributionType": "FullyReplicated"}}}


def test_max_runtime_defaults_to_one_day() -> None:
    assert run()["TrainingJobDefinition"]["StoppingCondition"] == {"MaxRuntimeInSeconds": 86400}


@pytest.mark.parametrize(("value", "text"), [
    ("binary:logistic", "binary:logistic"), (True, "true"), (False, "false"), (100, "100"), (100.0, "100"),
    (-0.0, "0"), (0.1, "0.1"), (1e-07, "1e-07"), (2.5e20, "250000000000000000000"), ([1, "a", None], '[1, "a", null]'),
    ({"b": 1, "a": [True]}, '{"a": [true], "b": 1}'), ("", "")])
def test_static_hyperparameters_render_as_sagemaker_strings(value: Any, text: str) -> None:
    assert run(static_hyperparameters={"h": value})["TrainingJobDefinition"]["StaticHyperParameters"] == {"h": text}


@pytest.mark.parametrize(("value", "code"), [
    (None, "static.value"), (float("nan"), "static.value"), (float("inf"), "static.value"),
    ([float("nan")], "static.value"), ({1, 2}, "input.not_plain_data"), (object(), "input.not_plain_data")])
def test_static_hyperparameters_without_a_string_form_are_errors(value: Any, code: str) -> None:
    problems = validate(job(), config(), **BASE, static_hyperparameters={"h": value})
    assert [(p.path, p.code) for p in problems] == [("static_hyperparameters.h", code)]


def test_a_tuned_name_is_dropped_from_statics_with_a_warning() -> None:
    with pytest.warns(TranslationWarning, match="static_hyperparameters.lr"):
        out = run(static_hyperparameters={"lr": 0.01, "epochs": 5})
    assert out["TrainingJobDefinition"]["StaticHyperParameters"] == {"epochs": "5"}


@pytest.mark.parametrize("tags", [{"team": "ml", "env": "dev"}, [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "ml"}]])
def test_tags_from_a_dict_or_a_list(tags: Any) -> None:
    assert run(tags=tags)["Tags"] == [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "ml"}]


def test_no_tags_means_no_tags_key() -> None:
    assert "Tags" not in run()


def test_overrides_deep_merge_last_and_none_removes() -> None:
    out = run(overrides={
        "HyperParameterTuningJobConfig": {"RandomSeed": 7, "ResourceLimits": {"MaxRuntimeInSeconds": 3600},
                                          "TrainingJobEarlyStoppingType": None},
        "TrainingJobDefinition": {"Environment": {"LOG_LEVEL": "debug"}, "StoppingCondition": {"MaxRuntimeInSeconds": 600}},
    })
    cfg = out["HyperParameterTuningJobConfig"]
    assert cfg["RandomSeed"] == 7 and "TrainingJobEarlyStoppingType" not in cfg
    assert cfg["ResourceLimits"] == {"MaxNumberOfTrainingJobs": 10, "MaxParallelTrainingJobs": 2, "MaxRuntimeInSeconds": 3600}
    assert out["TrainingJobDefinition"]["Environment"] == {"LOG_LEVEL": "debug"}
    assert out["TrainingJobDefinition"]["StoppingCondition"] == {"MaxRuntimeInSeconds": 600}


def test_the_merged_request_is_validated_with_paths_into_overrides() -> None:
    retries = {"TrainingJobDefinition": {"RetryStrategy": {"MaximumRetryAttempts": 99}}}
    problems = validate(job(), config(), **BASE, overrides=retries)
    assert [(p.path, p.code) for p in problems] == [
        ("overrides.TrainingJobDefinition.RetryStrategy.MaximumRetryAttempts", "model.max")]


def test_the_callers_objects_are_never_mutated() -> None:
    j, c = job(), config()
    overrides = {"TrainingJobDefinition": {"Environment": {"A": "1"}}}
    statics = {"lr": 0.5, "epochs": 2.0}
    before = copy.deepcopy((j, c, overrides, statics))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = run(j, c, overrides=overrides, static_hyperparameters=statics)
    out["TrainingJobDefinition"]["Environment"]["A"] = "changed"
    assert (j, c, overrides, statics) == before


@pytest.mark.parametrize("name", SPECS)
def test_every_fixture_translates_to_json_serializable_output(name: str) -> None:
    j, c, kw = split_spec(load_spec(name))
    out = translate(j, c, **kw)
    assert json.loads(json.dumps(out)) == out


def test_translation_error_lists_every_error_and_is_a_value_error() -> None:
    with pytest.raises(ValueError) as info:
        run(job(maxParallelTrainingJobs="0"), job_name="bad_name!", role_arn="nope")
    assert isinstance(info.value, TranslationError)
    paths = {p.path for p in info.value.errors}
    assert paths == {"job.max_parallel_training_jobs", "job_name", "role_arn"}
    for path in paths:
        assert path in str(info.value)


def _rendered(name: str) -> Any:
    from sagemaker_bridge import idl
    from sagemaker_bridge.mapping.options import parse_options
    from sagemaker_bridge.mapping.render import render
    from sagemaker_bridge.problems import Problems

    job, config, kw = split_spec(load_spec(name))
    kw.pop("overrides", None)  # what render() itself writes; an override speaks for itself
    found = Problems()
    job_model = idl.tuning_job(idl.load(job, idl.JOB_MESSAGE, ("job",), found))
    config_model = idl.tuning_config(idl.load(config, idl.CONFIG_MESSAGE, ("config",), found), found)
    return render(job_model, config_model, parse_options(kw, found), found)


def _leaves(value: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict) and value:
        return [leaf for key, item in value.items() for leaf in _leaves(item, loc + (key,))]
    if isinstance(value, list) and value:
        return [leaf for i, item in enumerate(value) for leaf in _leaves(item, loc + (i,))]
    return [loc]


def test_the_provenance_table_and_render_state_one_layout() -> None:
    """render() writes the request as a literal and FIXED_PROVENANCE says where each part came from: a twin kept
    for speed (a writer driven by one table measured 3 us, a sixth of render(), slower per call). Held to one
    layout: every part render() writes is placed at an input, and every place the table names is one render() writes
    for some spec."""
    from sagemaker_bridge.mapping.pipeline import relocate
    from sagemaker_bridge.mapping.render import FIXED_PROVENANCE

    written: set[tuple[Any, ...]] = set()
    for name in SPECS:
        rendered = _rendered(name)
        for leaf in _leaves(rendered.request):
            assert relocate(leaf, rendered.provenance) != leaf, (name, leaf)  # placed at what the user gave
            written.update(leaf[:cut] for cut in range(1, len(leaf) + 1))
    assert set(FIXED_PROVENANCE) - written == set()
