"""Every form Flyte produced the messages in gives the same request."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from conftest import FIXTURES, ROOT, SPECS, load_spec, split_spec
from hypothesis import given, settings, strategies as st

from sagemaker_bridge import translate, validate
from sagemaker_bridge.problems import Problems

JOB, CONFIG = "HyperparameterTuningJob", "HyperparameterTuningJobConfig"
SNAKE = {  # the proto field names for the camelCase ones flytekit wrote
    "maxNumberOfTrainingJobs": "max_number_of_training_jobs", "maxParallelTrainingJobs": "max_parallel_training_jobs",
    "trainingJob": "training_job", "algorithmSpecification": "algorithm_specification",
    "algorithmName": "algorithm_name", "algorithmVersion": "algorithm_version", "inputMode": "input_mode",
    "inputContentType": "input_content_type", "metricDefinitions": "metric_definitions",
    "trainingJobResourceConfig": "training_job_resource_config", "instanceCount": "instance_count",
    "instanceType": "instance_type", "volumeSizeInGb": "volume_size_in_gb", "distributedProtocol": "distributed_protocol",
    "hyperparameterRanges": "hyperparameter_ranges", "parameterRangeMap": "parameter_range_map",
    "continuousParameterRange": "continuous_parameter_range", "integerParameterRange": "integer_parameter_range",
    "categoricalParameterRange": "categorical_parameter_range", "minValue": "min_value", "maxValue": "max_value",
    "scalingType": "scaling_type", "tuningStrategy": "tuning_strategy", "tuningObjective": "tuning_objective",
    "objectiveType": "objective_type", "metricName": "metric_name",
    "trainingJobEarlyStoppingType": "training_job_early_stopping_type",
}


def snake(value: Any, in_map: bool = False) -> Any:
    if isinstance(value, dict):
        return {(k if in_map else SNAKE.get(k, k)): snake(v, k == "parameterRangeMap") for k, v in value.items()}
    if isinstance(value, list):
        return [snake(v) for v in value]
    return value


def canonical(request: Any) -> str:
    return json.dumps(request, sort_keys=True)


@pytest.fixture(params=SPECS)
def spec(request: pytest.FixtureRequest) -> tuple[Any, Any, dict[str, Any]]:
    return split_spec(load_spec(request.param))


def test_camel_snake_and_json_text_agree(spec: tuple[Any, Any, dict[str, Any]]) -> None:
    job, config, kw = spec
    expected = canonical(translate(job, config, **kw))
    assert canonical(translate(snake(job), snake(config), **kw)) == expected
    assert canonical(translate(json.dumps(job), json.dumps(config), **kw)) == expected


def test_protobuf_bytes_and_message_objects_agree(spec: tuple[Any, Any, dict[str, Any]]) -> None:
    pytest.importorskip("google.protobuf")
    from sagemaker_bridge.idl import proto

    job, config, kw = spec
    expected = canonical(translate(job, config, **kw))
    job_bytes, config_bytes = proto.dict_to_bytes(job, JOB), proto.dict_to_bytes(config, CONFIG)
    assert canonical(translate(job_bytes, config_bytes, **kw)) == expected
    assert canonical(translate(bytearray(job_bytes), memoryview(config_bytes), **kw)) == expected
    job_msg = proto.message_class(JOB).FromString(job_bytes)
    config_msg = proto.message_class(CONFIG).FromString(config_bytes)
    assert canonical(translate(job_msg, config_msg, **kw)) == expected


def test_a_struct_message_as_flyte_stored_it() -> None:
    pytest.importorskip("google.protobuf")
    from google.protobuf import struct_pb2

    job, config, kw = split_spec(load_spec("xgboost-flytekit.yaml"))
    custom, literal = struct_pb2.Struct(), struct_pb2.Struct()
    custom.update(job)
    literal.update(config)
    assert canonical(translate(custom, literal, **kw)) == canonical(translate(job, config, **kw))


def test_bytes_of_the_wrong_message_are_refused_by_name() -> None:
    pytest.importorskip("google.protobuf")
    job, _, kw = split_spec(load_spec("xgboost-flytekit.yaml"))
    job_bytes = (FIXTURES / "flyte" / "xgboost-job.pb").read_bytes()
    problems = validate(job, job_bytes, **kw)
    assert [(p.path, p.code) for p in problems] == [("config", "input.protobuf")]
    assert "HyperparameterTuningJobConfig" in problems[0].message


def test_the_binary_fixtures_flyteidl_wrote() -> None:
    pytest.importorskip("google.protobuf")
    job, config, kw = split_spec(load_spec("xgboost-flytekit.yaml"))
    flyte = FIXTURES / "flyte"
    from_bytes = translate((flyte / "xgboost-job.pb").read_bytes(), (flyte / "xgboost-config.pb").read_bytes(), **kw)
    from_json = translate(json.loads((flyte / "xgboost-job.json").read_text()),
                          json.loads((flyte / "xgboost-config.json").read_text()), **kw)
    assert canonical(from_bytes) == canonical(from_json) == canonical(translate(job, config, **kw))


def test_enums_by_name_number_and_case() -> None:
    _, _, kw = split_spec(load_spec("scaling-types.json"))
    job, config, _ = split_spec(load_spec("scaling-types.json"))
    by_number = canonical(translate(job, config, **kw))
    job["trainingJob"]["algorithmSpecification"].update(algorithmName="XGBOOST", inputMode="PIPE")
    config["tuningStrategy"] = "random"
    config["hyperparameterRanges"]["parameterRangeMap"]["lambda"]["continuousParameterRange"]["scalingType"] = "LOGARITHMIC"
    assert canonical(translate(job, config, **kw)) == by_number


def test_dicts_and_json_work_without_protobuf_installed() -> None:
    """A subprocess where `google.protobuf` cannot be imported: dicts and JSON still translate; bytes say why not."""
    script = f"""
import sys, json, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "google.protobuf" or name.startswith("google.protobuf."):
            raise ImportError("blocked for this test")
sys.meta_path.insert(0, Block())
sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / 'tests')!r})
from conftest import load_spec, split_spec
from sagemaker_bridge import translate, validate
job, config, kw = split_spec(load_spec("xgboost-flytekit.yaml"))
out = translate(job, json.dumps(config), **kw)
assert out["HyperParameterTuningJobConfig"]["Strategy"] == "Bayesian"
problems = validate(b"\\x08\\x01", config, **kw)
assert [p.code for p in problems] == ["input.protobuf_missing"], problems
print("ok", problems[0].message)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "pip install" in done.stdout



def test_ranges_given_as_separate_inputs_as_later_flytekit_sent_them() -> None:
    from sagemaker_bridge import TranslationError, with_ranges

    job, config, kw = split_spec(load_spec("xgboost-flytekit.yaml"))
    ranges = config["hyperparameterRanges"]["parameterRangeMap"]
    emptied = {**config, "hyperparameterRanges": {}}
    separate: dict[str, Any] = dict(ranges)
    separate["eta"] = json.dumps(ranges["eta"])  # any form per range
    merged = with_ranges(emptied, separate)
    assert canonical(translate(job, merged, **kw)) == canonical(translate(job, config, **kw))
    with pytest.raises(TranslationError) as info:
        with_ranges(config, {"eta": ranges["eta"], "bad": {"continuousParameterRange": {"minValue": "x"}}})
    assert {p.path for p in info.value.errors} == {"ranges.eta", "ranges.bad.continuous_parameter_range.min_value"}


def test_ranges_as_protobuf_and_struct_messages() -> None:
    pytest.importorskip("google.protobuf")
    from google.protobuf import struct_pb2

    from sagemaker_bridge import with_ranges
    from sagemaker_bridge.idl import proto

    job, config, kw = split_spec(load_spec("xgboost-flytekit.yaml"))
    ranges = config["hyperparameterRanges"]["parameterRangeMap"]
    as_messages: dict[str, Any] = {}
    for i, (name, one_of) in enumerate(ranges.items()):
        if i % 2:
            as_messages[name] = proto.message_class("ParameterRangeOneOf").FromString(
                proto.dict_to_bytes(one_of, "ParameterRangeOneOf"))
        else:
            as_messages[name] = struct_pb2.Struct()
            as_messages[name].update(one_of)  # a Generic literal
    merged = with_ranges({**config, "hyperparameterRanges": {}}, as_messages)
    assert canonical(translate(job, merged, **kw)) == canonical(translate(job, config, **kw))


FLYTEIDL_WRITTEN = [("every-field-job", JOB), ("every-field-config", CONFIG), ("xgboost-job", JOB),
                    ("xgboost-config", CONFIG)]


@pytest.mark.parametrize(("stem", "message"), FLYTEIDL_WRITTEN)
def test_our_descriptor_reads_and_writes_exactly_what_flyteidl_wrote(stem: str, message: str) -> None:
    """Bytes written by real flyteidl 1.5.22 (tests/test_flyteidl_messages.py re-creates them) pin every field number."""
    pytest.importorskip("google.protobuf")
    from sagemaker_bridge import idl
    from sagemaker_bridge.idl import proto

    written = (FIXTURES / "flyte" / f"{stem}.pb").read_bytes()
    as_json = json.loads((FIXTURES / "flyte" / f"{stem}.json").read_text())
    assert proto.dict_to_bytes(as_json, message) == written
    problems = Problems()
    assert idl.load(written, message, (), problems) == idl.load(as_json, message, (), problems)
    assert list(problems) == []


def test_every_field_of_the_flyteidl_fixture_reaches_the_request() -> None:
    pytest.importorskip("google.protobuf")
    flyte = FIXTURES / "flyte"
    _, _, kw = split_spec(load_spec("custom-image.json"))
    request = translate((flyte / "every-field-job.pb").read_bytes(), (flyte / "every-field-config.pb").read_bytes(), **kw)
    definition, config = request["TrainingJobDefinition"], request["HyperParameterTuningJobConfig"]
    assert definition["AlgorithmSpecification"]["TrainingInputMode"] == "Pipe"
    assert [m["Name"] for m in definition["AlgorithmSpecification"]["MetricDefinitions"]] == ["val:loss", "val:acc"]
    assert definition["ResourceConfig"] == {"InstanceType": "ml.p3.2xlarge", "InstanceCount": 3, "VolumeSizeInGB": 75}
    assert definition["StaticHyperParameters"]["sagemaker_mpi_enabled"] == "true"  # distributed_protocol MPI
    assert config["ResourceLimits"] == {"MaxNumberOfTrainingJobs": 40, "MaxParallelTrainingJobs": 4}
    assert (config["Strategy"], config["TrainingJobEarlyStoppingType"]) == ("Random", "Auto")
    assert config["HyperParameterTuningJobObjective"] == {"Type": "Maximize", "MetricName": "val:acc"}
    ranges = config["ParameterRanges"]
    assert [(r["Name"], r["ScalingType"]) for r in ranges["ContinuousParameterRanges"]] == [
        ("lr", "Logarithmic"), ("momentum", "ReverseLogarithmic")]
    assert ranges["IntegerParameterRanges"] == [{"Name": "batch_size", "MinValue": "16", "MaxValue": "512",
                                                 "ScalingType": "Linear"}]
    assert ranges["CategoricalParameterRanges"] == [{"Name": "optimizer", "Values": ["sgd", "adam", "adamw"]}]


def test_a_struct_carries_every_number_as_a_double() -> None:
    """TaskTemplate.custom is a Struct: flytekit's int64 strings survive, but a dict of numbers arrives as doubles."""
    pytest.importorskip("google.protobuf")
    from google.protobuf import struct_pb2

    job, config, kw = split_spec(load_spec("xgboost-flytekit.yaml"))
    as_numbers = json.loads(json.dumps(job).replace('"20"', "20").replace('"4"', "4").replace('"25"', "25"))
    custom = struct_pb2.Struct()
    custom.update(as_numbers)
    assert custom["maxNumberOfTrainingJobs"] == 20.0  # a double, as Flyte stores it
    limits = translate(custom, config, **kw)["HyperParameterTuningJobConfig"]["ResourceLimits"]
    assert limits == translate(job, config, **kw)["HyperParameterTuningJobConfig"]["ResourceLimits"]
    assert all(type(v) is int for v in limits.values())
    custom["maxNumberOfTrainingJobs"] = 10.5
    problems = validate(custom, config, **kw)
    assert [(p.path, p.code) for p in problems if p.is_error] == [("job.max_number_of_training_jobs", "input.type")]


def test_bytes_are_read_field_by_field_into_the_same_model_as_their_json(spec: tuple[Any, Any, dict[str, Any]]) -> None:
    """Protobuf bytes skip JSON (idl/decode.py reads the parsed message): the normalized dict must be the JSON's."""
    pytest.importorskip("google.protobuf")
    from sagemaker_bridge import idl
    from sagemaker_bridge.idl import proto

    job, config, _ = spec
    for value, message in ((job, JOB), (config, CONFIG)):
        from_json = Problems()
        from_bytes = Problems()
        assert idl.load(proto.dict_to_bytes(value, message), message, ("x",), from_bytes) == \
            idl.load(value, message, ("x",), from_json)
        assert list(from_bytes) == list(from_json)


def test_what_only_bytes_can_say_is_refused_at_its_path() -> None:
    """Bytes carry enum numbers proto3 keeps though it has no name for them, empty map keys, and (within 10 MiB)
    more values than any job needs; each is a problem at its path, as in JSON."""
    pytest.importorskip("google.protobuf")
    from sagemaker_bridge.idl import proto

    config = proto.message_class(CONFIG)()
    config.tuning_strategy = 7  # an open enum: kept as a number
    config.hyperparameter_ranges.parameter_range_map["eta"].continuous_parameter_range.scaling_type = 9
    config.hyperparameter_ranges.parameter_range_map[""].categorical_parameter_range.values.append("a")
    problems = validate({}, config.SerializeToString(), job_name="j", role_arn="r", inputs={}, output_path="s3://b/o")
    found = {(p.path, p.code) for p in problems}
    assert ("config.tuning_strategy", "input.enum") in found
    assert ("config.hyperparameter_ranges.eta.continuous_parameter_range.scaling_type", "input.enum") in found
    assert ("config.hyperparameter_ranges.", "input.map_key") in found

    many = proto.message_class(CONFIG)()
    many.hyperparameter_ranges.parameter_range_map["c"].categorical_parameter_range.values.extend(["v"] * 100_001)
    problems = validate({}, many.SerializeToString(), job_name="j", role_arn="r", inputs={}, output_path="s3://b/o")
    assert [p.path for p in problems if p.code == "input.too_many_values"] == \
        ["config.hyperparameter_ranges.c.categorical_parameter_range.values"]


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        out.append((value & 0x7F) | (0x80 if value > 0x7F else 0))
        value >>= 7
        if not value:
            return bytes(out)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_message_bytes_damaged_anywhere_read_as_their_json_would(data: st.DataObject) -> None:
    """Bytes are read from the parsed message, not through JSON: damage a real message's bytes anywhere and, when
    protobuf still parses them, the model and the problems are those of the same message as proto3 JSON."""
    pytest.importorskip("google.protobuf")
    from sagemaker_bridge import idl
    from sagemaker_bridge.idl import proto

    job, config, _ = split_spec(load_spec(data.draw(st.sampled_from(SPECS))))
    value, message = data.draw(st.sampled_from([(job, JOB), (config, CONFIG)]))
    raw = bytearray(proto.dict_to_bytes(value, message))
    for _ in range(data.draw(st.integers(min_value=0, max_value=2))):  # damage anywhere
        at = data.draw(st.integers(min_value=0, max_value=len(raw)))
        edit = data.draw(st.sampled_from(["flip", "insert", "delete"]))
        if edit == "insert" or not raw:
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=3))
        elif edit == "delete":
            del raw[at:at + data.draw(st.integers(min_value=1, max_value=3))]
        else:
            raw[min(at, len(raw) - 1)] ^= data.draw(st.integers(min_value=1, max_value=255))
    for _ in range(data.draw(st.integers(min_value=0, max_value=2))):  # a field of its own numbers, any varint value
        raw += bytes([data.draw(st.integers(min_value=1, max_value=5)) << 3]) + varint(data.draw(st.integers(0, 2**14)))
    try:
        as_json = proto.bytes_to_dict(bytes(raw), message)
    except ValueError:
        as_json = None
    from_bytes = Problems()
    model = idl.load(bytes(raw), message, ("x",), from_bytes)
    if as_json is None:  # protobuf refuses them: one clear problem, and the message's defaults
        assert [p.code for p in from_bytes] == ["input.protobuf"]
        return
    from_json = Problems()
    assert model == idl.load(as_json, message, ("x",), from_json)
    assert list(from_bytes) == list(from_json)
