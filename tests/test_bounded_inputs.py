"""Hostile values anywhere: a clear answer at their path, in bounded time, and never another exception.

Each class of input that once escaped or hung (issue "Hostile input and stalled networks") has a test here, and the
property tests put any of them anywhere in a spec or a request.
"""

from __future__ import annotations

import contextlib
import json
import signal
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import FIXTURES, SPECS, load_spec, paths, reported, split_spec
from hostile import json_values, python_values, replaced
from hypothesis import given, strategies as st

from sagemaker_bridge import TranslationError, bounds, job_name, translate, validate, validate_request, with_ranges
from sagemaker_bridge.bounds import MAX_DEPTH, MAX_VALUES
from sagemaker_bridge.problems import Problems

SDK_REQUEST = json.loads((FIXTURES / "requests" / "sdk-xgboost-builtin.json").read_text())


@contextlib.contextmanager
def answers_within(seconds: int) -> Iterator[None]:
    """A guard, not a benchmark: code that expands an alias bomb would run for minutes; this fails it instead."""
    def interrupt(*_: Any) -> None:
        raise TimeoutError(f"no answer within {seconds} s")
    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def alias_bomb(levels: int = 30) -> Any:
    """What yaml.safe_load makes of a billion-laughs document: 10**levels values from a few dozen objects."""
    value: Any = "lol"
    for _ in range(levels):
        value = [value] * 10
    return value


def self_holding() -> list[Any]:
    value: list[Any] = []
    value.append(value)
    return value


def deep(levels: int) -> Any:
    value: Any = "bottom"
    for _ in range(levels):
        value = {"x": value}
    return value


def spec(**over: Any) -> tuple[Any, Any, dict[str, Any]]:
    job, config, kw = split_spec(load_spec("xgboost-flytekit.yaml"))
    kw.update(over)
    return job, config, kw


def errors(problems: list[Any]) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in problems if p.is_error]


def test_an_alias_bomb_in_static_hyperparameters_is_refused_at_its_path() -> None:
    job, config, kw = spec(static_hyperparameters={"num_round": 10, "lol": alias_bomb()})
    with answers_within(10):
        problems = validate(job, config, **kw)
        with pytest.raises(TranslationError) as info:
            translate(job, config, **kw)
    assert errors(problems) == [("static_hyperparameters.lol", "input.too_many_values")]
    assert f"more than {MAX_VALUES:,} values" in str(info.value) and len(str(info.value)) < 500


def test_an_alias_bomb_in_a_categorical_range() -> None:
    job, config, kw = spec()
    config["hyperparameterRanges"]["parameterRangeMap"]["booster"] = {
        "categoricalParameterRange": {"values": alias_bomb()}}
    with answers_within(10):
        assert errors(validate(job, config, **kw)) == [("config.hyperparameterRanges", "input.too_many_values")]


@pytest.mark.parametrize("where", ["overrides", "static_hyperparameters", "tags"])
def test_a_value_that_holds_itself(where: str) -> None:
    job, config, kw = spec(**{where: {"loop": self_holding()}})
    [(path, code)] = errors(validate(job, config, **kw))
    assert path.startswith(f"{where}.loop[0]") and code == "input.too_deep"


@pytest.mark.parametrize("levels", [MAX_DEPTH + 5, 500, 100_000])
def test_nesting_hundreds_to_a_hundred_thousand_deep(levels: int) -> None:
    job, config, kw = spec(overrides={"HyperParameterTuningJobConfig": deep(levels)})
    assert [c for _, c in errors(validate(job, config, **kw))] == ["input.too_deep"]
    as_text = '{"a":' * levels + "1" + "}" * levels
    [(path, code)] = errors(validate(as_text, config, **spec()[2]))  # json.loads' own limit, or ours
    assert (path, code) == ("job", "input.json") or (path.startswith("job.a.a") and code == "input.too_deep")
    with pytest.raises(TranslationError, match=r"ranges\.eta"):
        with_ranges(config, {"eta": deep(levels)})


@pytest.mark.parametrize("poison", [(x for x in [1]), memoryview(b"x"), {1, 2}, object(), b"bytes", 10**5000],
                         ids=["generator", "memoryview", "set", "object", "bytes", "10**5000"])
def test_values_that_are_not_plain_data_in_overrides(poison: Any) -> None:
    job, config, kw = spec(overrides={"HyperParameterTuningJobConfig": {"RandomSeed": poison}})
    [(path, code)] = errors(validate(job, config, **kw))
    assert path == "overrides.HyperParameterTuningJobConfig.RandomSeed"
    assert code in ("input.not_plain_data", "input.bad_value")


@pytest.mark.parametrize("key", [5, ("Tags",), None, 1.5], ids=["int", "tuple", "None", "float"])
def test_an_override_keyed_by_anything_but_text_names_nothing(key: Any) -> None:
    """Every key of the request is a member's name; a Python caller's other keys are refused where they are."""
    job, config, kw = spec(overrides={"Tags": [{"Key": "a", "Value": "b", key: "c"}], key: "x"})
    found = errors(validate(job, config, **kw))
    assert {code for _, code in found} == {"option.type"} and len(found) == 2
    assert {path.split(".")[0] for path, _ in found} == {"overrides"}
    assert any(path.startswith("overrides.Tags[0].") for path, _ in found)


def test_a_huge_integer_anywhere_is_an_error_at_its_path() -> None:
    job, config, kw = spec()
    job["maxNumberOfTrainingJobs"] = 10**5000
    config["hyperparameterRanges"]["parameterRangeMap"]["max_depth"]["integerParameterRange"]["maxValue"] = -(10**5000)
    assert errors(validate(job, config, **kw)) == [
        ("job.maxNumberOfTrainingJobs", "input.bad_value"),
        ("config.hyperparameterRanges.parameterRangeMap.max_depth.integerParameterRange.maxValue", "input.bad_value")]
    request = json.loads(json.dumps(SDK_REQUEST))
    request["HyperParameterTuningJobConfig"]["ResourceLimits"]["MaxNumberOfTrainingJobs"] = 10**5000
    assert errors(validate_request(request)) == [
        ("HyperParameterTuningJobConfig.ResourceLimits.MaxNumberOfTrainingJobs", "input.bad_value")]


def test_a_lone_surrogate_in_a_key_or_a_value() -> None:
    job, config, kw = spec(static_hyperparameters={"num_round": 10, "eta\ud800": "1"}, tags={"team": "a\udc80"})
    problems = validate(job, config, **kw)
    assert errors(problems) == [("static_hyperparameters.eta\\ud800", "input.bad_key"), ("tags.team", "input.bad_value")]
    assert all(p.path.isascii() and p.message.isascii() for p in problems)
    str(TranslationError(problems)).encode("utf-8")  # printable on any terminal


def test_a_fifty_megabyte_enum_value_and_unknown_key_are_answered_short() -> None:
    job, config, kw = spec()
    config["tuningStrategy"] = "R" * 50_000_000
    config["X" * 50_000_000] = 1
    with answers_within(10):
        problems = validate(job, config, **kw)
    assert {p.code for p in problems if p.is_error} == {"input.enum", "input.unknown_field"}
    assert all(len(p.path) < 100 and len(p.message) < 400 for p in problems)


def test_message_text_and_bytes_beyond_ten_megabytes_are_refused_unread() -> None:
    job, config, kw = spec()
    big = " " * (10 * 1024 * 1024 + 1)
    assert errors(validate(big, config, **kw)) == [("job", "input.too_large")]
    assert errors(validate(job, big.encode(), **kw)) == [("config", "input.too_large")]


def test_a_key_given_twice_in_message_json() -> None:
    job, _, kw = spec()
    text = '{"tuningStrategy": "RANDOM", "tuningStrategy": "BAYESIAN"}'
    [problem] = [p for p in validate(job, text, **kw) if p.is_error]
    assert (problem.path, problem.code) == ("config", "input.json")
    assert "the key 'tuningStrategy' is given twice" in problem.message


@pytest.mark.parametrize(("option", "value", "path"), [
    ("max_runtime_seconds", 2**31, "max_runtime_seconds"),
    ("overrides", {"HyperParameterTuningJobConfig": {"RandomSeed": 2**40}},
     "overrides.HyperParameterTuningJobConfig.RandomSeed"),
])
def test_integers_fit_aws_32_bit_integer_shapes(option: str, value: Any, path: str) -> None:
    job, config, kw = spec(**{option: value})
    [problem] = [p for p in validate(job, config, **kw) if p.is_error]
    assert (problem.path, problem.code) == (path, "model.max") and "2147483647 (a 32-bit integer)" in problem.message
    assert not errors(validate(job, config, **spec(max_runtime_seconds=2**31 - 1)[2]))


def test_null_anywhere_in_a_request_is_an_error_at_its_path() -> None:
    request = json.loads(json.dumps(SDK_REQUEST))
    request["WarmStartConfig"] = None
    request["TrainingJobDefinition"]["StoppingCondition"]["MaxWaitTimeInSeconds"] = None
    assert set(errors(validate_request(request))) == {
        ("WarmStartConfig", "model.null"), ("TrainingJobDefinition.StoppingCondition.MaxWaitTimeInSeconds", "model.null")}
    job, config, kw = spec(overrides={"TrainingJobDefinition": {"EnableManagedSpotTraining": None}})
    assert not errors(validate(job, config, **kw))  # an override of None removes the key before rendering


def test_job_names_keep_their_parts_apart() -> None:
    assert job_name("a\x1fb") != job_name("a", "b")
    assert job_name("a", "") != job_name("a") != job_name("", "a")


@given(st.lists(st.text(max_size=8), min_size=1, max_size=4), st.lists(st.text(max_size=8), min_size=1, max_size=4))
def test_different_parts_give_different_names(a: list[str], b: list[str]) -> None:
    assert (job_name(*a) == job_name(*b)) == (a == b)


POISON = st.sampled_from([
    "alias_bomb", "self_holding", "deep", "huge_int", "surrogate", "generator", "memoryview", "set", "bytes", "none",
    "nan", "big_int64", "big_text"])


def poison(kind: str) -> Any:
    return {"alias_bomb": alias_bomb, "self_holding": self_holding, "deep": lambda: deep(200),
            "huge_int": lambda: 10**5000, "surrogate": lambda: "x\ud83dy", "generator": lambda: (i for i in [1]),
            "memoryview": lambda: memoryview(b"\x08\x01"), "set": lambda: {1}, "bytes": lambda: b"\xff",
            "none": lambda: None, "nan": lambda: float("nan"), "big_int64": lambda: 2**63,
            "big_text": lambda: "T" * 200_000}[kind]()


@given(spec_name=st.sampled_from(SPECS), kind=POISON, data=st.data())
def test_any_hostile_value_anywhere_in_a_spec(spec_name: str, kind: str, data: st.DataObject) -> None:
    full = load_spec(spec_name)
    where = data.draw(st.sampled_from(paths(full)[1:]))
    kw = replaced(full, where, poison(kind))  # a copy; the poison itself cannot be copied (a generator)
    job, config = kw.pop("job"), kw.pop("config")
    with answers_within(20):
        problems = validate(job, config, **kw)
        assert all(p.message and p.path.isprintable() and len(p.path) < 400 for p in problems)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                translate(job, config, **kw)
            except TranslationError as exc:
                assert exc.errors and len(str(exc)) < 20_000
            else:
                assert not [p for p in problems if p.is_error]


@given(kind=POISON, data=st.data())
def test_any_hostile_value_anywhere_in_a_request(kind: str, data: st.DataObject) -> None:
    request = json.loads(json.dumps(SDK_REQUEST))
    where = data.draw(st.sampled_from(paths(request)[1:]))
    with answers_within(20):
        problems = validate_request(replaced(request, where, poison(kind)))
    assert all(p.message and p.path.isprintable() for p in problems)
    assert "internal" not in {p.code for p in problems}


@given(value=st.one_of(json_values, python_values))
def test_the_quick_yes_is_the_explaining_walks_yes(value: Any) -> None:
    """bounds.plainly_bounded() is the fast path of check_plain_data(), kept because nearly every input is plain:
    when it says yes, the walk that explains finds nothing."""
    explained = reported(bounds._explain, value, ())
    if bounds.plainly_bounded(value):
        assert explained == []
    assert bounds.check_plain_data(value, Problems()) == (explained == [])
    assert reported(bounds.check_plain_data, value) == explained
