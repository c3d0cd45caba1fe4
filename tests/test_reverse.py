"""The way back: from_request() turns a SageMaker request or description into a Flyte spec, proven by round trips.

Normalisation (the issue's): number text may differ only where the number is equal, "True" may come back "true",
an integral "400.0" as "400"; the resource config slot, list order and SageMaker's defaults as SageMaker reads them.
"""

from __future__ import annotations

import copy
import datetime
import json
import math
import warnings
from typing import Any

import pytest
from conftest import FIXTURES, SPECS, load_spec, paths, run_cli, split_spec
from hostile import json_values, replaced
from hypothesis import assume, given, strategies as st

from sagemaker_bridge import TranslationError, from_request, make_client, submit, translate
from sagemaker_bridge.algorithms import xgboost
from sagemaker_bridge.aws.compare import differences
from sagemaker_bridge.idl import decode
from sagemaker_bridge.mapping.options import hyperparameter_text
from sagemaker_bridge.problems import Problems

REQUESTS = {p.stem: json.loads(p.read_text()) for p in sorted((FIXTURES / "requests").glob("*.json"))}
SINGLE = [name for name, r in REQUESTS.items() if "TrainingJobDefinition" in r]
DEFAULTS = {"ScalingType": "Auto"}


def static_text(text: str) -> str:
    if text.lower() in ("true", "false"):
        return text.lower()
    try:
        value = float(text)
    except ValueError:
        return text
    return str(int(value)) if math.isfinite(value) and value.is_integer() and "." in text else text


def normalise(request: dict[str, Any]) -> dict[str, Any]:
    """A request as SageMaker reads it."""
    r = copy.deepcopy(request)
    config = r["HyperParameterTuningJobConfig"]
    config.setdefault("TrainingJobEarlyStoppingType", "Off")
    ranges = config.get("ParameterRanges") or {}
    for kind in list(ranges):
        if isinstance(ranges[kind], list):
            for item in ranges[kind]:
                for key in ("MinValue", "MaxValue"):
                    if key in item:
                        item[key] = float(item[key])
                if kind != "CategoricalParameterRanges":
                    item.setdefault("ScalingType", "Auto")
            ranges[kind] = sorted(ranges[kind], key=lambda i: i["Name"])
            if not ranges[kind]:
                del ranges[kind]
    definition = r["TrainingJobDefinition"]
    slot = definition.pop("HyperParameterTuningResourceConfig", None)
    if slot is not None and set(slot) == {"InstanceType", "InstanceCount", "VolumeSizeInGB"}:
        definition["ResourceConfig"] = slot
    elif slot is not None:
        definition["HyperParameterTuningResourceConfig"] = slot
    statics = {k: static_text(v) for k, v in (definition.pop("StaticHyperParameters", None) or {}).items()}
    if statics:
        definition["StaticHyperParameters"] = statics
    if "InputDataConfig" in definition:
        definition["InputDataConfig"] = sorted(definition["InputDataConfig"], key=lambda c: c["ChannelName"])
    if "Tags" in r:
        r["Tags"] = sorted(r["Tags"], key=lambda t: t["Key"])
    return r


def rebuilt(spec: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dict(translate(spec.pop("job"), spec.pop("config"), **spec))


@pytest.mark.parametrize("name", SINGLE)
def test_requests_as_the_sdk_writes_them_come_back(name: str) -> None:
    request = REQUESTS[name]
    spec = from_request(request)
    assert set(spec) >= {"job", "config", "job_name", "role_arn", "inputs", "output_path"}
    assert normalise(rebuilt(spec)) == normalise(request)
    as_read = copy.deepcopy(request)  # statics as the containers read them ("True" is "true", "400.0" is "400")
    statics = as_read["TrainingJobDefinition"].get("StaticHyperParameters") or {}
    statics.update({k: static_text(v) for k, v in statics.items()})
    assert differences(as_read, rebuilt(spec)) == []


def test_the_builtin_xgboost_image_becomes_algorithm_and_version() -> None:
    spec = from_request(REQUESTS["sdk-xgboost-builtin"])
    algorithm = spec["job"]["training_job"]["algorithm_specification"]
    assert (algorithm["algorithm_name"], algorithm["algorithm_version"], spec["region"]) == ("XGBOOST", "1.7-1", "us-east-1")
    assert "training_image" not in spec


@pytest.mark.parametrize("region", sorted(xgboost.REGISTRY_ACCOUNTS))
@pytest.mark.parametrize("version", xgboost.VERSIONS)
def test_every_regional_xgboost_image_in_the_table(region: str, version: str) -> None:
    request = copy.deepcopy(REQUESTS["sdk-xgboost-builtin"])
    request["TrainingJobDefinition"]["AlgorithmSpecification"]["TrainingImage"] = xgboost.image_uri(region, version)
    spec = from_request(request)
    assert spec["region"] == region
    assert spec["job"]["training_job"]["algorithm_specification"]["algorithm_version"] == version


@pytest.mark.parametrize(("image", "name"), [
    ("123456789012.dkr.ecr.us-east-1.amazonaws.com/mirror/sagemaker-xgboost:1.7-1", "XGBOOST"),  # a private mirror
    ("763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.2.0-cpu-py310", "CUSTOM"),
    ("683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1-cpu-py3", "XGBOOST")])  # a tag AWS never made
def test_other_images_are_kept_as_training_image(image: str, name: str) -> None:
    request = copy.deepcopy(REQUESTS["sdk-xgboost-builtin"])
    request["TrainingJobDefinition"]["AlgorithmSpecification"]["TrainingImage"] = image
    if name == "CUSTOM":  # a custom image defines its objective metric
        request["TrainingJobDefinition"]["AlgorithmSpecification"]["MetricDefinitions"] = [
            {"Name": "validation:auc", "Regex": "auc=([0-9.]+)"}]
    spec = from_request(request)
    assert spec["training_image"] == image and "region" not in spec
    assert spec["job"]["training_job"]["algorithm_specification"]["algorithm_name"] == name
    assert normalise(rebuilt(spec)) == normalise(request)


def test_a_version_newer_than_the_table_comes_back_as_that_version_as_translate_takes_it() -> None:
    """translate() takes 9.9-1 with a warning and names its image by that tag; the way back reads the same table."""
    request = copy.deepcopy(REQUESTS["sdk-xgboost-builtin"])
    image = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:9.9-1"
    request["TrainingJobDefinition"]["AlgorithmSpecification"]["TrainingImage"] = image
    spec = from_request(request)
    algorithm = spec["job"]["training_job"]["algorithm_specification"]
    assert (algorithm["algorithm_name"], algorithm["algorithm_version"], spec["region"]) == ("XGBOOST", "9.9-1", "us-east-1")
    with pytest.warns(UserWarning, match="9.9-1 is newer than the newest"):
        again = translate(copy.deepcopy(spec["job"]), spec["config"],
                          **{k: v for k, v in spec.items() if k not in ("job", "config")})
    assert normalise(dict(again)) == normalise(request)


def test_static_strings_come_back_as_the_values_they_stand_for() -> None:
    request = copy.deepcopy(REQUESTS["sdk-xgboost-builtin"])
    request["TrainingJobDefinition"]["StaticHyperParameters"].update(
        num_round="400.0", save_model_on_termination="True", eta="0.1", sagemaker_mpi_enabled="true")
    spec = from_request(request)
    statics = spec["static_hyperparameters"]
    assert (statics["num_round"], statics["save_model_on_termination"], statics["eta"]) == (400, True, "0.1")
    assert spec["job"]["training_job"]["training_job_resource_config"]["distributed_protocol"] == "MPI"
    written = rebuilt(spec)["TrainingJobDefinition"]["StaticHyperParameters"]
    assert (written["num_round"], written["save_model_on_termination"], written["sagemaker_mpi_enabled"]) == (
        "400", "true", "true")  # as the XGBoost container reads them: the request as sent would fail every job


def test_what_the_idl_cannot_hold_lands_in_overrides() -> None:
    spec = from_request(REQUESTS["sdk-linear-learner-grid"])
    assert spec["overrides"]["HyperParameterTuningJobConfig"]["Strategy"] == "Grid"
    assert "tuning_strategy" not in spec["config"]
    hyperband = load_spec("hyperband-overrides.yaml")
    request = rebuilt(hyperband)
    back = from_request(request)
    config = back["overrides"]["HyperParameterTuningJobConfig"]
    assert config["Strategy"] == "Hyperband" and "StrategyConfig" in config and "RandomSeed" in config
    definition = back["overrides"]["TrainingJobDefinition"]
    assert {"EnableManagedSpotTraining", "CheckpointConfig", "VpcConfig"} <= set(definition)
    assert rebuilt(back) == request


def test_the_sdks_resource_config_slot_is_read_as_sagemaker_reads_it() -> None:
    request = copy.deepcopy(REQUESTS["sdk-xgboost-builtin"])
    definition = request["TrainingJobDefinition"]
    definition["HyperParameterTuningResourceConfig"] = definition.pop("ResourceConfig")
    spec = from_request(request)
    assert spec["job"]["training_job"]["training_job_resource_config"]["instance_type"] == "ml.m5.xlarge"
    assert normalise(rebuilt(spec)) == normalise(request)
    definition["HyperParameterTuningResourceConfig"]["AllocationStrategy"] = "Prioritized"
    definition["HyperParameterTuningResourceConfig"].pop("InstanceType")
    definition["HyperParameterTuningResourceConfig"]["InstanceConfigs"] = [
        {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30}]
    spec = from_request(request)
    assert "HyperParameterTuningResourceConfig" in spec["overrides"]["TrainingJobDefinition"]
    assert "ResourceConfig" not in rebuilt(spec)["TrainingJobDefinition"]


def test_a_describe_response_is_read_and_its_own_fields_ignored() -> None:
    described = copy.deepcopy(REQUESTS["sdk-xgboost-builtin"])
    now = datetime.datetime(2026, 11, 30, tzinfo=datetime.timezone.utc)
    described.update(HyperParameterTuningJobArn="arn:aws:sagemaker:us-east-1:1:hyper-parameter-tuning-job/x",
                     HyperParameterTuningJobStatus="Completed", CreationTime=now, LastModifiedTime=now,
                     TrainingJobStatusCounters={"Completed": 20}, BestTrainingJob={"TrainingJobName": "t",
                                                                                   "CreationTime": now})
    metric = described["HyperParameterTuningJobConfig"]["HyperParameterTuningJobObjective"]["MetricName"]
    described["TrainingJobDefinition"]["StaticHyperParameters"]["_tuning_objective_metric"] = metric  # as SageMaker adds it
    assert from_request(described) == from_request(REQUESTS["sdk-xgboost-builtin"])


def test_a_requests_own_tuning_objective_metric_is_the_users_and_kept() -> None:
    request = copy.deepcopy(REQUESTS["sdk-xgboost-builtin"])
    metric = request["HyperParameterTuningJobConfig"]["HyperParameterTuningJobObjective"]["MetricName"]
    request["TrainingJobDefinition"]["StaticHyperParameters"]["_tuning_objective_metric"] = metric
    assert from_request(request)["static_hyperparameters"]["_tuning_objective_metric"] == metric


@pytest.mark.parametrize(("change", "path"), [
    (lambda r: r.update(TrainingJobDefinitions=[r.pop("TrainingJobDefinition")] * 2), "TrainingJobDefinitions"),
    (lambda r: r.update(Autotune={"Mode": "Enabled"}), "Autotune"),
    (lambda r: r["TrainingJobDefinition"]["InputDataConfig"][0].update(DataSource={"FileSystemDataSource": {
        "FileSystemId": "fs-0123456789abcdef0", "FileSystemAccessMode": "ro", "FileSystemType": "EFS",
        "DirectoryPath": "/data"}}), "TrainingJobDefinition.InputDataConfig[0].DataSource"),
    (lambda r: r["TrainingJobDefinition"].update(RoleArn=7), "TrainingJobDefinition.RoleArn"),
])
def test_what_cannot_be_represented_is_an_error_naming_the_field(change: Any, path: str) -> None:
    request = copy.deepcopy(REQUESTS["sdk-xgboost-builtin"])
    change(request)
    with pytest.raises(TranslationError) as info:
        from_request(request)
    assert path in {p.path for p in info.value.errors}


@pytest.mark.parametrize("value", [None, "text", [1], {"a": [[[]]] * 1}])
def test_anything_else_is_an_error_not_a_crash(value: Any) -> None:
    with pytest.raises(TranslationError):
        from_request(value)


# Property tests: random valid specs, translated, come back; and requests come back through the spec.

names = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)
bounds = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False, allow_infinity=False)


XGB_RANGES = {"eta": "continuous", "gamma": "continuous", "alpha": "continuous", "lambda": "continuous",
              "max_delta_step": "continuous", "min_child_weight": "continuous", "max_depth": "integer",
              "num_round": "integer", "booster": "categorical"}
XGB_STATICS = st.fixed_dictionaries({}, optional={
    "objective": st.sampled_from(["binary:logistic", "reg:squarederror"]), "verbosity": st.integers(0, 3),
    "subsample": st.floats(0.01, 1), "save_model_on_termination": st.booleans(), "max_bin": st.integers(0, 512),
    "scale_pos_weight": st.sampled_from(["0.5", "2", "400.0"])})


@st.composite
def ranges(draw: st.DrawFn, xgboost_names: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {}
    pool = st.sampled_from(sorted(XGB_RANGES)) if xgboost_names else names
    for name in draw(st.lists(pool, min_size=1, max_size=6, unique=True)):
        kind = XGB_RANGES[name] if xgboost_names else draw(st.sampled_from(["continuous", "integer", "categorical"]))
        if xgboost_names and kind == "categorical":
            out[name] = {"categoricalParameterRange": {"values": draw(st.lists(
                st.sampled_from(["gbtree", "gblinear", "dart"]), min_size=1, max_size=3, unique=True))}}
            continue
        if kind == "categorical":
            out[name] = {"categoricalParameterRange": {"values": draw(st.lists(names, min_size=1, max_size=4, unique=True))}}
            continue
        low, high = sorted([draw(bounds), draw(bounds)])
        if xgboost_names:
            low, high = low / 1e6, high / 1e6  # within every XGBoost interval that applies: [0, 1]
        scaling = draw(st.sampled_from(["AUTO", "LINEAR", "LOGARITHMIC"]))
        if kind == "integer":
            out[name] = {"integerParameterRange": {"minValue": str(int(low)), "maxValue": str(int(high) + 1),
                                                   "scalingType": scaling}}
        else:
            out[name] = {"continuousParameterRange": {"minValue": low, "maxValue": high, "scalingType": scaling}}
    return out


static_values = st.one_of(names, st.integers(-10**6, 10**6), st.booleans(), bounds,
                          st.sampled_from(["True", "400.0", "0.1", "[1, 2]"]))


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    name = draw(st.sampled_from(["xgboost-flytekit.yaml", "custom-image.json"]))
    spec = load_spec(name)
    builtin = name.startswith("xgboost")  # the container knows its names: draw from them
    for message, keys in (("config", ("hyperparameter_ranges", "tuning_strategy", "training_job_early_stopping_type")),
                          ("job", ("max_number_of_training_jobs", "max_parallel_training_jobs"))):
        for key in keys:  # custom-image.json says these in snake_case; the draws below use camelCase
            spec[message].pop(key, None)
    spec["config"]["hyperparameterRanges"] = {"parameterRangeMap": draw(ranges(xgboost_names=builtin))}
    spec["config"]["tuningStrategy"] = draw(st.sampled_from(["BAYESIAN", "RANDOM"]))
    spec["config"]["trainingJobEarlyStoppingType"] = draw(st.sampled_from(["OFF", "AUTO"]))
    spec["job"]["maxNumberOfTrainingJobs"] = draw(st.integers(1, 500))
    spec["job"]["maxParallelTrainingJobs"] = draw(st.integers(1, 10))
    statics = draw(XGB_STATICS if builtin else st.dictionaries(names, static_values, max_size=5))
    spec["static_hyperparameters"] = {**(spec.get("static_hyperparameters") or {}), **statics}
    spec["inputs"] = draw(st.dictionaries(names, st.sampled_from(["s3://b/x/", "s3://acme/y"]), min_size=1, max_size=3))
    spec["tags"] = draw(st.dictionaries(names, names, max_size=3))
    spec["max_runtime_seconds"] = draw(st.sampled_from([3600, 86400, 432000]))
    if draw(st.booleans()):
        spec["overrides"] = {"HyperParameterTuningJobConfig": {"RandomSeed": draw(st.integers(0, 1000))}}
    return spec


def valid(spec: dict[str, Any]) -> dict[str, Any]:
    try:
        return rebuilt(spec)
    except TranslationError:
        assume(False)
        raise


@given(specs())
def test_translate_of_from_request_gives_the_request_back(spec: dict[str, Any]) -> None:
    request = valid(spec)
    assert normalise(rebuilt(from_request(request))) == normalise(request)


def normal_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A spec as translate() reads it: messages decoded, statics as their text, defaults and no-ops dropped."""
    job, config, kw = split_spec(spec)
    out: dict[str, Any] = {"job": decode.load(job, "HyperparameterTuningJob", (), Problems()),
                           "config": decode.load(config, "HyperparameterTuningJobConfig", (), Problems())}
    algorithm = out["job"]["training_job"]["algorithm_specification"]
    if algorithm["algorithm_name"] == "XGBOOST" and "training_image" not in kw:
        algorithm["algorithm_version"] = xgboost.resolve_version(algorithm["algorithm_version"])
    else:
        kw.pop("region", None)  # a custom image's region says nothing the request holds
    for r in out["config"]["hyperparameter_ranges"]["parameter_range_map"].values():
        for member in r.values():
            if isinstance(member, dict) and "min_value" in member:
                member["min_value"], member["max_value"] = float(member["min_value"]), float(member["max_value"])
    tuned = out["config"]["hyperparameter_ranges"]["parameter_range_map"]  # translate() drops a tuned static
    kw["static_hyperparameters"] = {k: static_text(hyperparameter_text(v, (), Problems()) or "")
                                    for k, v in (kw.get("static_hyperparameters") or {}).items() if k not in tuned}
    if kw.get("max_runtime_seconds") == 86400:
        del kw["max_runtime_seconds"]
    if isinstance(kw.get("tags"), list):
        kw["tags"] = {t["Key"]: t["Value"] for t in kw["tags"]}
    return {k: v for k, v in {**out, **kw}.items() if v not in ({}, None)}


@given(specs())
def test_from_request_of_translate_gives_the_spec_back(spec: dict[str, Any]) -> None:
    valid(spec)
    assert normal_spec(from_request(rebuilt(spec))) == normal_spec(spec)


@given(name=st.sampled_from(SINGLE), data=st.data())
def test_sdk_requests_with_changed_values_still_come_back(name: str, data: st.DataObject) -> None:
    request = copy.deepcopy(REQUESTS[name])
    limits = request["HyperParameterTuningJobConfig"]["ResourceLimits"]
    limits["MaxParallelTrainingJobs"] = data.draw(st.integers(1, 10))
    statics = request["TrainingJobDefinition"].setdefault("StaticHyperParameters", {})
    statics.update(data.draw(st.dictionaries(names, st.sampled_from(["True", "false", "400.0", "1e-3", "x"]), max_size=3)))
    request["TrainingJobDefinition"]["StoppingCondition"]["MaxRuntimeInSeconds"] = data.draw(st.integers(60, 10**6))
    try:
        spec = from_request(request)
    except TranslationError:
        assume(False)
    try:
        back = rebuilt(spec)
    except TranslationError:  # a static rendered as the container reads it may now be judged; not our concern here
        assume(False)
    assert normalise(back) == normalise(request)


def test_a_job_another_tool_made_on_moto_server_imports_and_resubmits_as_an_equal_job(clean_server: str) -> None:
    import boto3

    other_tool = boto3.client("sagemaker", region_name="us-east-1", endpoint_url=clean_server)
    request = copy.deepcopy(REQUESTS["sdk-xgboost-builtin"])
    request["HyperParameterTuningJobName"] = "made-by-the-sdk"
    definition = request["TrainingJobDefinition"]
    definition["HyperParameterTuningResourceConfig"] = definition.pop("ResourceConfig")  # the SDK's slot
    other_tool.create_hyper_parameter_tuning_job(**request)
    from sagemaker_bridge.aws import describe

    described = describe("made-by-the-sdk", client=other_tool)  # with its Tags, which a description leaves out
    assert described["Tags"] == request["Tags"]
    spec = from_request(described)
    spec["job_name"] = "imported-again"
    resubmitted = rebuilt(spec)
    client = make_client(region="us-east-1", endpoint_url=clean_server)
    submit(resubmitted, client=client)
    again = client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="imported-again")
    assert differences(resubmitted, again) == []
    original = normalise({**request, "HyperParameterTuningJobName": "imported-again"})
    tags = client.list_tags(ResourceArn=again["HyperParameterTuningJobArn"])["Tags"]
    assert normalise({**{k: again[k] for k in original if k in again}, "Tags": tags}) == original


def test_the_cli_imports_by_name_and_from_a_file(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                                 clean_server: str, tmp_path: Any) -> None:
    import yaml

    at = ("--endpoint-url", clean_server, "--region", "us-east-1")
    request = json.loads(json.dumps(REQUESTS["sdk-pytorch-script-mode"]))
    make_client(region="us-east-1", endpoint_url=clean_server).create_hyper_parameter_tuning_job(**request)
    done = run_cli(capsys, monkeypatch, "import", request["HyperParameterTuningJobName"], *at)
    assert done.code == 0, done.stderr
    spec_file = tmp_path / "spec.yaml"
    spec_file.write_text(done.stdout)
    assert yaml.safe_load(done.stdout)["job_name"] == request["HyperParameterTuningJobName"]
    assert run_cli(capsys, monkeypatch, "validate", str(spec_file)).code == 0
    resubmitted = run_cli(capsys, monkeypatch, "submit", str(spec_file), "--job-name", "via-cli", *at)
    assert resubmitted.code == 0 and resubmitted.stdout.strip().endswith("/via-cli")
    from_file = run_cli(capsys, monkeypatch, "import", "--request", str(FIXTURES / "requests" / "sdk-xgboost-builtin.json"),
                        "--json")
    assert from_file.code == 0 and json.loads(from_file.stdout) == from_request(REQUESTS["sdk-xgboost-builtin"])
    assert run_cli(capsys, monkeypatch, "import").code == 2
    refused = run_cli(capsys, monkeypatch, "import", "--request", str(FIXTURES / "requests" / "sdk-multi-algorithm.json"))
    assert refused.code == 1 and "TrainingJobDefinitions" in refused.stderr


def test_every_fixture_spec_survives_the_way_back() -> None:
    for name in SPECS:
        spec = load_spec(name)
        request = rebuilt(spec)
        assert rebuilt(from_request(request)) == request, name


@given(name=st.sampled_from(sorted(REQUESTS)), data=st.data())
def test_any_part_of_a_request_replaced_by_anything(name: str, data: st.DataObject) -> None:
    """Only TranslationError escapes from_request(), and whatever it returns translate() reads."""
    request = replaced(REQUESTS[name], data.draw(st.sampled_from(paths(REQUESTS[name]))), data.draw(json_values))
    try:
        spec = from_request(request)
    except TranslationError as exc:
        assert exc.errors and all(p.path or p.code == "request.type" for p in exc.errors)
        return
    try:
        rebuilt(spec)
    except TranslationError as exc:
        assert exc.errors
