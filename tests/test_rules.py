"""Every SageMaker rule by name: layer 1 (botocore's model), layer 2 (server-side rules), layer 3 (warnings)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from builders import KW, XGB_IMAGE, cat, config, cont, found, integer, job, xgb_job

from sagemaker_bridge import translate, validate, validate_request


def check(j: Any = None, c: Any = None, **kw: Any) -> set[tuple[str, str, str]]:
    return found(validate(job() if j is None else j, config() if c is None else c, **{**KW, **kw}))


def good_request() -> dict[str, Any]:
    return copy.deepcopy(dict(translate(job(), config(), **KW)))


def as_xgboost(r: dict[str, Any], image: str) -> dict[str, Any]:
    """A request whose image is built-in XGBoost, tuning names the container knows."""
    r["TrainingJobDefinition"]["AlgorithmSpecification"] = {"TrainingImage": image, "TrainingInputMode": "File"}
    r["HyperParameterTuningJobConfig"]["ParameterRanges"] = {"ContinuousParameterRanges": [
        {"Name": "eta", "MinValue": "0.1", "MaxValue": "0.5", "ScalingType": "Auto"}]}
    return r


def test_a_clean_job_has_no_problems() -> None:
    assert check() == set()
    assert validate_request(good_request()) == []


# ---- layer 1: botocore's model, including what botocore's own validator skips -------------------------------------

@pytest.mark.parametrize(("kw", "path", "code"), [
    ({"job_name": "x" * 45}, "job_name", "model.max_length"),
    ({"job_name": "my_job!"}, "job_name", "model.pattern"),
    ({"job_name": "-starts-with-hyphen"}, "job_name", "model.pattern"),
    ({"job_name": ""}, "job_name", "model.empty"),
    ({"role_arn": "arn:aws:iam::12345:role/short-account"}, "role_arn", "model.pattern"),
    ({"output_path": "not-a-uri"}, "output_path", "model.pattern"),
    ({"inputs": {"train": "gs://bucket/x"}}, "inputs.train", "model.pattern"),
    ({"inputs": {"bad channel": "s3://b/x"}}, "inputs.bad channel", "model.pattern"),
    ({"max_runtime_seconds": 0}, "max_runtime_seconds", "model.min"),
    ({"tags": {"k" * 129: "v"}}, "tags", "model.max_length"),
])
def test_model_constraints_botocore_does_not_check(kw: dict[str, Any], path: str, code: str) -> None:
    problems = check(**kw)
    assert any(p[1].startswith(path) and p[2] == code for p in problems), problems


def test_enum_with_did_you_mean_for_instance_types() -> None:
    problems = validate(job(instance_type="ml.m5.xlarg"), config(), **KW)
    [p] = problems
    assert (p.path, p.code) == ("job.training_job.training_job_resource_config.instance_type", "model.enum")
    assert 'did you mean "ml.m5.xlarge"' in p.message


def test_request_enums_are_checked_with_request_paths() -> None:
    r = good_request()
    r["HyperParameterTuningJobConfig"]["Strategy"] = "Nope"
    r["HyperParameterTuningJobConfig"]["ParameterRanges"]["ContinuousParameterRanges"][0]["ScalingType"] = "Reverselogarithmic"
    assert found(validate_request(r)) == {
        ("error", "HyperParameterTuningJobConfig.Strategy", "model.enum"),
        ("error", "HyperParameterTuningJobConfig.ParameterRanges.ContinuousParameterRanges[0].ScalingType", "model.enum")}
    scaling = next(p for p in validate_request(r) if p.path.endswith("ScalingType"))
    assert "ReverseLogarithmic" in scaling.message


def test_types_required_and_unknown_members() -> None:
    r = good_request()
    r["HyperParameterTuningJobConfig"]["ParameterRanges"]["ContinuousParameterRanges"][0]["MinValue"] = 0.1
    del r["TrainingJobDefinition"]["RoleArn"]
    r["TrainingJobDefinition"]["StoppingConditions"] = {}
    assert found(validate_request(r)) == {
        ("error", "HyperParameterTuningJobConfig.ParameterRanges.ContinuousParameterRanges[0].MinValue", "model.type"),
        ("error", "TrainingJobDefinition.RoleArn", "model.required"),
        ("error", "TrainingJobDefinition.StoppingConditions", "model.unknown")}


# ---- layer 2: SageMaker's server-side rules -----------------------------------------------------------------------

def test_at_most_30_ranges_in_total() -> None:
    ranges = {f"c{i}": cont(0, 1) for i in range(15)} | {f"i{i}": integer(0, 9) for i in range(10)} | \
             {f"k{i}": cat("a", "b") for i in range(6)}
    assert ("error", "config.hyperparameter_ranges", "ranges.too_many") in check(c=config(ranges))
    del ranges["k0"]
    assert check(c=config(ranges)) == set()


def test_categorical_takes_1_to_30_values() -> None:
    too_many = check(j=job(max_jobs=5), c=config({"k": cat(*[str(i) for i in range(31)])}))
    assert ("error", "config.hyperparameter_ranges.k.categorical_parameter_range.values", "model.max_length") in too_many
    empty = check(j=job(max_jobs=1), c=config({"k": cat()}))
    assert ("error", "config.hyperparameter_ranges.k.categorical_parameter_range.values", "model.min_length") in empty


def test_min_must_not_exceed_max() -> None:
    assert check(c=config({"lr": cont(0.5, 0.1)})) == {
        ("error", "config.hyperparameter_ranges.lr.continuous_parameter_range.min_value", "range.min_above_max")}
    assert check(c=config({"n": integer(9, 3), "lr": cont(0, 1)})) == {
        ("error", "config.hyperparameter_ranges.n.integer_parameter_range.min_value", "range.min_above_max")}


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", float("nan"), float("inf")])
def test_bounds_must_be_finite(bad: Any) -> None:
    assert check(c=config({"lr": cont(0.0, bad)})) == {
        ("error", "config.hyperparameter_ranges.lr.continuous_parameter_range.max_value", "range.not_finite")}


def test_bounds_must_be_numbers_in_a_request() -> None:
    r = good_request()
    r["HyperParameterTuningJobConfig"]["ParameterRanges"]["IntegerParameterRanges"] = [
        {"Name": "n", "MinValue": "1.5", "MaxValue": "ten"}]
    assert found(validate_request(r)) == {
        ("error", "HyperParameterTuningJobConfig.ParameterRanges.IntegerParameterRanges[0].MinValue", "range.not_a_number"),
        ("error", "HyperParameterTuningJobConfig.ParameterRanges.IntegerParameterRanges[0].MaxValue", "range.not_a_number")}


@pytest.mark.parametrize("rng", [cont(0.0, 1.0, "LOGARITHMIC"), cont(-1.0, 1.0, "LOGARITHMIC"), integer(0, 10, "LOGARITHMIC")])
def test_logarithmic_needs_positive_values(rng: dict[str, Any]) -> None:
    kind = next(iter(rng))
    assert check(c=config({"x": rng, "lr": cont(0, 1)})) == {
        ("error", f"config.hyperparameter_ranges.x.{kind}.min_value", "range.log_not_positive")}


def test_reverse_logarithmic_only_continuous_and_within_0_1() -> None:
    assert check(c=config({"x": cont(0.0, 0.999, "REVERSELOGARITHMIC")})) == set()
    assert check(c=config({"x": cont(0.5, 1.0, "REVERSELOGARITHMIC")})) == {
        ("error", "config.hyperparameter_ranges.x.continuous_parameter_range", "range.reverse_log_bounds")}
    assert check(c=config({"x": cont(-0.1, 0.5, "REVERSELOGARITHMIC")})) == {
        ("error", "config.hyperparameter_ranges.x.continuous_parameter_range", "range.reverse_log_bounds")}
    assert check(c=config({"n": integer(0, 5, "REVERSELOGARITHMIC"), "lr": cont(0, 1)})) == {
        ("error", "config.hyperparameter_ranges.n.integer_parameter_range.scaling_type", "range.reverse_log_integer")}


def test_static_plus_tuned_at_most_100() -> None:
    statics = {f"s{i}": i for i in range(99)}
    assert check(static_hyperparameters=statics) == set()  # 99 + lr
    statics["s99"] = 1
    assert check(static_hyperparameters=statics) == {
        ("error", "static_hyperparameters", "hyperparameters.too_many")}


def test_static_values_at_most_2500_characters() -> None:
    assert check(static_hyperparameters={"blob": "x" * 2500}) == set()
    assert check(static_hyperparameters={"blob": "x" * 2501}) == {
        ("error", "static_hyperparameters.blob", "model.max_length")}


def test_max_parallel_and_max_number_at_least_one() -> None:
    assert check(j=job(parallel=0)) == {("error", "job.max_parallel_training_jobs", "model.min")}
    assert check(j=job(max_jobs=0)) == {("error", "job.max_number_of_training_jobs", "limits.max_jobs_required")}
    r = good_request()
    r["HyperParameterTuningJobConfig"]["ResourceLimits"]["MaxNumberOfTrainingJobs"] = -3
    assert found(validate_request(r)) == {
        ("error", "HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs", "model.min")}


def test_max_number_optional_only_for_grid() -> None:
    grid = {"HyperParameterTuningJobConfig": {"Strategy": "Grid"}}
    assert check(j=job(max_jobs=0), c=config({"k": cat("a", "b")}), overrides=grid) == set()


def test_discrete_ranges_need_enough_combinations() -> None:
    assert check(j=job(max_jobs=10), c=config({"k": cat("a", "b", "c")})) == {
        ("error", "job.max_number_of_training_jobs", "ranges.not_enough_combinations")}
    assert check(j=job(max_jobs=12), c=config({"k": cat("a", "b", "c"), "n": integer(1, 4)})) == set()
    assert check(j=job(max_jobs=13), c=config({"k": cat("a", "b", "c"), "n": integer(1, 4)})) == {
        ("error", "job.max_number_of_training_jobs", "ranges.not_enough_combinations")}
    # a continuous range makes the space unbounded
    assert check(j=job(max_jobs=500), c=config({"k": cat("a"), "lr": cont(0, 1)})) == set()


def test_custom_needs_training_image() -> None:
    assert check(training_image=None) == {("error", "training_image", "custom.image_required")}


def test_custom_needs_its_objective_metric_defined() -> None:
    assert check(c=config(metric="accuracy")) == {
        ("error", "config.tuning_objective.metric_name", "custom.metric_undefined")}


XGB_RANGES = {"num_round": integer(10, 200), "eta": cont(0.01, 0.3)}


def test_xgboost_needs_a_known_version_and_region() -> None:
    c = config(XGB_RANGES, metric="validation:auc", objective="MAXIMIZE")
    assert check(xgb_job(), c, training_image=None, region="us-east-1") == set()
    assert check(xgb_job("2.5"), c, training_image=None, region="us-east-1") == {
        ("error", "job.training_job.algorithm_specification.algorithm_version", "xgboost.version")}
    assert check(xgb_job(), c, training_image=None) == {("error", "region", "xgboost.region")}
    assert check(xgb_job(), c, training_image=None, region="eu-isoe-west-1") == {("error", "region", "xgboost.region")}


def test_xgboost_needs_a_builtin_metric_and_num_round() -> None:
    c = config({"eta": cont(0.01, 0.3)}, metric="loss")
    assert check(xgb_job(), c, training_image=None, region="us-east-1") == {
        ("error", "config.tuning_objective.metric_name", "xgboost.tuning_metric"),  # algorithm mode: the container's list
        ("error", "static_hyperparameters", "xgboost.num_round")}
    script = {"sagemaker_program": "train.py"}  # script mode: the user's script logs its own metrics
    assert check(xgb_job(), c, training_image=None, region="us-east-1", static_hyperparameters=script) == {
        ("error", "config.tuning_objective.metric_name", "xgboost.metric")}
    ok = config({"eta": cont(0.01, 0.3)}, metric="validation:rmse")
    assert check(xgb_job(), ok, training_image=None, region="us-east-1", static_hyperparameters={"num_round": 100}) == set()


def test_xgboost_image_in_any_request_is_recognized() -> None:
    r = as_xgboost(good_request(), XGB_IMAGE)
    r["HyperParameterTuningJobConfig"]["HyperParameterTuningJobObjective"] = {"Type": "Minimize", "MetricName": "loss"}
    assert found(validate_request(r)) == {
        ("error", "HyperParameterTuningJobConfig.HyperParameterTuningJobObjective.MetricName", "xgboost.tuning_metric"),
        ("error", "TrainingJobDefinition.StaticHyperParameters", "xgboost.num_round")}


def test_hyperband_rules() -> None:
    hyperband = {"HyperParameterTuningJobConfig": {"Strategy": "Hyperband",
                                                   "StrategyConfig": {"HyperbandStrategyConfig": {"MaxResource": 10}}}}
    assert check(overrides=hyperband) == set()
    assert check(c=config(training_job_early_stopping_type="AUTO"), overrides=hyperband) == {
        ("error", "config.training_job_early_stopping_type", "hyperband.early_stopping")}
    no_max = {"HyperParameterTuningJobConfig": {"Strategy": "Hyperband"}}
    assert check(overrides=no_max) == {
        ("error", "HyperParameterTuningJobConfig.StrategyConfig.HyperbandStrategyConfig.MaxResource", "hyperband.max_resource")}
    assert check(overrides=no_max, static_hyperparameters={"epochs": 10}) == set()
    config_only = {"HyperParameterTuningJobConfig": {"StrategyConfig": {"HyperbandStrategyConfig": {"MaxResource": 10}}}}
    assert check(overrides=config_only) == {
        ("error", "overrides.HyperParameterTuningJobConfig.StrategyConfig", "hyperband.config_without_hyperband")}


def test_grid_takes_only_categorical_ranges() -> None:
    grid = {"HyperParameterTuningJobConfig": {"Strategy": "Grid"}}
    assert check(j=job(max_jobs=0), overrides=grid) == {
        ("error", "config.hyperparameter_ranges", "grid.numeric_range")}


def test_spot_needs_max_wait_at_least_max_runtime() -> None:
    spot = {"TrainingJobDefinition": {"EnableManagedSpotTraining": True}}
    assert check(overrides=spot) == {
        ("error", "TrainingJobDefinition.StoppingCondition.MaxWaitTimeInSeconds", "spot.max_wait_required")}
    short = {"TrainingJobDefinition": {"EnableManagedSpotTraining": True,
                                       "StoppingCondition": {"MaxWaitTimeInSeconds": 3600}}}
    assert check(overrides=short, max_runtime_seconds=7200) == {
        ("error", "overrides.TrainingJobDefinition.StoppingCondition.MaxWaitTimeInSeconds", "spot.max_wait_too_short")}
    assert check(overrides=short, max_runtime_seconds=3600) == set()


@pytest.mark.parametrize(("parents", "code"), [(0, "model.min_length"), (6, "model.max_length"), (5, None)])
def test_warm_start_takes_1_to_5_parents(parents: int, code: str | None) -> None:
    warm = {"WarmStartConfig": {"WarmStartType": "TransferLearning", "ParentHyperParameterTuningJobs": [
        {"HyperParameterTuningJobName": f"parent-{i}"} for i in range(parents)]}}
    expected = {("error", "overrides.WarmStartConfig.ParentHyperParameterTuningJobs", code)} if code else set()
    assert check(overrides=warm) == expected


# ---- layer 3: warnings --------------------------------------------------------------------------------------------

def test_builtin_metric_in_the_wrong_direction() -> None:
    c = config(XGB_RANGES, metric="validation:auc")  # MINIMIZE: the proto3 default
    assert check(xgb_job(), c, training_image=None, region="us-east-1") == {
        ("warning", "config.tuning_objective.objective_type", "objective.direction")}
    c = config(XGB_RANGES, metric="validation:rmse", objective="MAXIMIZE")
    assert check(xgb_job(), c, training_image=None, region="us-east-1") == {
        ("warning", "config.tuning_objective.objective_type", "objective.direction")}


@pytest.mark.parametrize(("metric", "right"), [("precision_macro", "MAXIMIZE"), ("recall_micro", "MAXIMIZE"),
                                               ("aft-nloglik", "MINIMIZE"), ("mphe", "MINIMIZE"),
                                               ("interval-regression-accuracy", "MINIMIZE")])
def test_every_metric_the_container_computes_has_its_direction(metric: str, right: str) -> None:
    wrong = "MINIMIZE" if right == "MAXIMIZE" else "MAXIMIZE"
    c = config(XGB_RANGES, metric=f"validation:{metric}", objective=wrong)
    assert ("warning", "config.tuning_objective.objective_type", "objective.direction") in check(
        xgb_job(), c, training_image=None, region="us-east-1")


def test_limit_warnings() -> None:
    assert check(j=job(max_jobs=3, parallel=5)) == {
        ("warning", "job.max_parallel_training_jobs", "limits.parallel_above_total")}
    assert check(j=job(max_jobs=800, parallel=20)) == {
        ("warning", "job.max_parallel_training_jobs", "limits.quota_parallel"),
        ("warning", "job.max_number_of_training_jobs", "limits.quota_jobs")}


def test_warnings_do_not_stop_translate() -> None:
    with pytest.warns(UserWarning, match="parallel"):
        translate(job(max_jobs=3, parallel=5), config(), **KW)


def test_autotune_lets_sagemaker_choose_the_ranges() -> None:
    r = good_request()
    r["HyperParameterTuningJobConfig"]["ParameterRanges"] = {}
    r["Autotune"] = {"Mode": "Enabled"}
    assert validate_request(r) == []
    del r["Autotune"]
    assert found(validate_request(r)) == {
        ("error", "HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs", "ranges.not_enough_combinations")}


def test_builtin_xgboost_needs_train_and_validation_channels() -> None:
    c = config(XGB_RANGES, metric="validation:auc", objective="MAXIMIZE")
    xgb = dict(training_image=None, region="us-east-1")
    assert check(xgb_job(), c, **xgb, inputs={"train": "s3://b/t", "validation": "s3://b/v"}) == set()
    assert check(xgb_job(), c, **xgb, inputs={"train": "s3://b/t"}) == {("warning", "inputs", "xgboost.channel")}
    both = validate(xgb_job(), c, **{**KW, **xgb, "inputs": {"training": "s3://b/t"}})
    assert sorted(p.message.split(";")[0] for p in both) == ["has no 'train' channel", "has no 'validation' channel"]
    assert check(xgb_job(), c, **xgb, inputs={}) == {("warning", "inputs", "xgboost.channel")}
    train_metric = config(XGB_RANGES, metric="train:rmse")  # needs no validation channel, but the container refuses
    assert check(xgb_job(), train_metric, **xgb, inputs={"train": "s3://b/t"}) == {  # it as _tuning_objective_metric
        ("error", "config.tuning_objective.metric_name", "xgboost.tuning_metric")}


@pytest.mark.parametrize("image", [
    "123456789012.dkr.ecr.ap-southeast-7.amazonaws.com/sagemaker-xgboost:1.7-1",  # a region newer than our table
    "999999999999.dkr.ecr.eu-west-1.amazonaws.com/mirrors/sagemaker-xgboost:1.7-1",  # a private mirror
])
def test_xgboost_images_are_recognized_by_repository(image: str) -> None:
    r = as_xgboost(good_request(), image)
    r["TrainingJobDefinition"]["StaticHyperParameters"] = {"num_round": "10"}
    r["HyperParameterTuningJobConfig"]["HyperParameterTuningJobObjective"] = {"Type": "Minimize", "MetricName": "validation:rmse"}
    assert validate_request(r) == []
