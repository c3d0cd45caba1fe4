"""Hostile inputs: no exception but TranslationError ever escapes, and validate() never raises."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping
from typing import Any

import pytest
from conftest import FIXTURES, SPECS, load_spec, paths, split_spec
from hostile import OddMapping, json_values, python_values, replaced
from hypothesis import example, given, settings, strategies as st

from sagemaker_bridge import Problem, TranslationError, from_request, translate, validate, validate_request, with_ranges
from sagemaker_bridge.checks import service_model
from sagemaker_bridge.mapping.options import OPTION_NAMES
from sagemaker_bridge.problems import MAX_MESSAGE, clipped_repr

SETTINGS = settings()  # examples per test: the profile's (conftest: "ci", derandomized; or "explore")
REQUESTS = sorted((FIXTURES / "requests").glob("*.json"))


CODE = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)+")  # "layer.reason": stable, what tools match on
SPEC_ROOTS = frozenset({"job", "config", "ranges", *OPTION_NAMES})  # where a translate() problem can point
_MODEL = service_model.operation_model("CreateHyperParameterTuningJob")
REQUEST_ROOTS = frozenset(_MODEL["shapes"][_MODEL["input"]]["members"])  # a request's own members
# translate()'s problems point at what the user gave, or at a request member nothing they gave set (README: its
# request path, which `overrides` takes; found by `tox -e explore`: spot training with StoppingCondition replaced)
SPEC_ROOTS = SPEC_ROOTS | REQUEST_ROOTS


def clipped(key: Any) -> str:
    """A key as a problem's path holds it (a long or odd one is quoted, clipped)."""
    return key if isinstance(key, str) and len(key) <= 60 else clipped_repr(key)


def reported_well(p: Problem, roots: frozenset[str], given: Any = ()) -> None:
    """What a user and a tool read off a problem: a stable code, a path into what they gave (a known field, or a key
    of their own that is not one), one printable line."""
    assert CODE.fullmatch(p.code), p
    keys = {clipped(k) for k in given} if isinstance(given, (dict, Mapping)) else \
        set(range(len(given))) if isinstance(given, (list, tuple)) else set()
    assert not p.loc or str(p.loc[0]) in roots or p.loc[0] in keys or str(p.loc[0]) in keys, p
    assert p.message and p.message.isprintable() and len(p.message) <= MAX_MESSAGE, p


def must_not_escape(job: Any, config: Any, kw: dict[str, Any]) -> None:
    problems = validate(job, config, **kw)
    for p in problems:
        reported_well(p, SPEC_ROOTS, kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = translate(job, config, **kw)
        except TranslationError as exc:
            assert sorted(map(str, exc.errors)) == sorted(str(p) for p in problems if p.is_error), \
                "translate and validate disagree"
        else:
            assert not [p for p in problems if p.is_error], "translate accepted what validate refused"
            json.dumps(out)  # plain data
            # what translate() returns, SageMaker's rules (as we know them) accept
            assert not [p for p in validate_request(dict(out)) if p.is_error], out


@SETTINGS
@given(spec=st.sampled_from(SPECS), data=st.data())
def test_any_part_of_a_spec_replaced_by_anything(spec: str, data: st.DataObject) -> None:
    full = load_spec(spec)
    where = data.draw(st.sampled_from(paths(full)[1:]))
    job, config, kw = split_spec(replaced(full, where, data.draw(json_values)))
    must_not_escape(job, config, kw)


@SETTINGS
@given(job=json_values, config=json_values)
def test_anything_as_the_messages(job: Any, config: Any) -> None:
    _, _, kw = split_spec(load_spec("xgboost-flytekit.yaml"))
    must_not_escape(job, config, kw)


@SETTINGS
@given(job=st.binary(max_size=64), config=st.one_of(st.binary(max_size=64), st.text(max_size=64)))
def test_random_bytes_and_text(job: bytes, config: Any) -> None:
    pytest.importorskip("google.protobuf")
    _, _, kw = split_spec(load_spec("custom-image.json"))
    must_not_escape(job, config, kw)


@SETTINGS
@given(kw=st.dictionaries(st.sampled_from(["job_name", "role_arn", "inputs", "output_path", "region", "training_image",
                                           "static_hyperparameters", "max_runtime_seconds", "tags", "overrides"]),
                          json_values, max_size=6))
def test_anything_as_the_options(kw: dict[str, Any]) -> None:
    job, config, base = split_spec(load_spec("custom-image.json"))
    must_not_escape(job, config, {**base, **kw})


@pytest.mark.parametrize("values", [json_values, python_values], ids=["json", "python"])
@SETTINGS
@given(request_file=st.sampled_from(REQUESTS), data=st.data())
def test_validate_request_on_mutated_sdk_requests(values: Any, request_file: Any, data: st.DataObject) -> None:
    request = json.loads(request_file.read_text())
    where = data.draw(st.sampled_from(paths(request)))
    changed = replaced(request, where, data.draw(values))
    for p in validate_request(changed):
        reported_well(p, REQUEST_ROOTS, changed)


@SETTINGS
@given(spec=st.sampled_from(SPECS), data=st.data())
def test_python_values_as_overrides_anywhere(spec: str, data: st.DataObject) -> None:
    job, config, kw = split_spec(load_spec(spec))
    request = translate(job, config, **kw)
    where = data.draw(st.sampled_from([p for p in paths(request) if p and all(isinstance(k, str) for k in p)]))
    overrides: Any = data.draw(python_values)
    for key in reversed(where):
        overrides = {key: overrides}
    must_not_escape(job, config, {**kw, "overrides": overrides})


@SETTINGS
@given(job=python_values, config=python_values, kw=st.dictionaries(st.sampled_from(
    ["job_name", "role_arn", "inputs", "output_path", "region", "training_image", "static_hyperparameters",
     "max_runtime_seconds", "tags"]), python_values, max_size=4))
def test_python_values_as_the_messages_and_options(job: Any, config: Any, kw: dict[str, Any]) -> None:
    real_job, real_config, base = split_spec(load_spec("xgboost-flytekit.yaml"))
    must_not_escape(job, real_config, {**base, **kw})
    must_not_escape(real_job, config, base)


@SETTINGS
@given(spec=st.sampled_from(SPECS), data=st.data())
def test_python_values_anywhere_in_the_messages(spec: str, data: st.DataObject) -> None:
    job, config, kw = split_spec(load_spec(spec))
    which = data.draw(st.sampled_from(["job", "config"]))
    message = job if which == "job" else config
    changed = replaced(message, data.draw(st.sampled_from(paths(message))), data.draw(python_values))
    must_not_escape(changed if which == "job" else job, changed if which == "config" else config, kw)


READ_BACK = json.loads(REQUESTS[0].read_text())


@SETTINGS
@given(where=st.sampled_from(paths(READ_BACK)), value=python_values)
@example(where=(), value=OddMapping([([0], 0)]))  # found by `tox -e explore`: a request keyed by a list (unhashable)
@example(where=("HyperParameterTuningJobConfig",), value=OddMapping([([0], 0), ("Strategy", "Random")]))
@example(where=("TrainingJobDefinition", "StoppingCondition"), value=OddMapping([]))  # explore: came back as itself
def test_python_values_anywhere_in_a_request_read_back(where: tuple[Any, ...], value: Any) -> None:
    changed = replaced(READ_BACK, where, value)
    try:
        back = from_request(changed)
    except TranslationError as exc:
        assert exc.errors and all(p.code and p.is_error for p in exc.errors)
        if isinstance(value, OddMapping) and any(not isinstance(k, str) for k in value):
            assert any(tuple(p.loc[:len(where)]) == where for p in exc.errors), exc.errors  # at its path
    else:  # a spec translate() reads: its job and config decode, and its keys are translate()'s
        json.dumps(back)  # plain data, all of it
        assert set(back) - {"job", "config"} <= set(OPTION_NAMES), back
        try:
            translate(back["job"], back["config"], **{k: v for k, v in back.items() if k not in ("job", "config")})
        except TranslationError as exc:  # the request's own mistakes, named in the spec's terms
            assert all(not p.loc or str(p.loc[0]) in SPEC_ROOTS for p in exc.errors), exc.errors


@SETTINGS
@given(ranges=st.one_of(python_values, st.dictionaries(st.text(max_size=8), python_values, max_size=3)))
def test_python_values_as_separate_ranges(ranges: Any) -> None:
    _, config, _ = split_spec(load_spec("xgboost-flytekit.yaml"))
    try:
        merged = with_ranges(config, ranges)
    except TranslationError as exc:
        for p in exc.errors:
            reported_well(p, SPEC_ROOTS)
    else:  # every range is in the config's map, under its name
        assert set(ranges) <= set(merged["hyperparameter_ranges"]["parameter_range_map"]), merged


@SETTINGS
@given(value=json_values)
def test_validate_request_on_anything(value: Any) -> None:
    problems = validate_request(value)
    for p in problems:
        reported_well(p, REQUEST_ROOTS, value)
    if not isinstance(value, dict):
        assert problems and problems[0].is_error


@SETTINGS
@given(spec=st.sampled_from(SPECS), data=st.data())
def test_the_cli_on_hostile_spec_files(spec: str, data: st.DataObject, tmp_path_factory: Any,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    from sagemaker_bridge.cli import main

    full = load_spec(spec)
    mutated = replaced(full, data.draw(st.sampled_from(paths(full))), data.draw(json_values))
    path = tmp_path_factory.mktemp("spec") / "spec.json"
    path.write_text(json.dumps(mutated, default=str))  # NaN and friends as JSON allows them
    for verb in ("translate", "validate"):
        code = main([verb, str(path)])
        err = capsys.readouterr().err
        assert code in (0, 1), err
        assert "unexpected" not in err and "Traceback" not in err
