"""One collector for every problem: a check reports a location, a code and its facts; the sentence is made once from
wording.WORDING; a gate that needs only "any error?" stops at the first."""

from __future__ import annotations

import json
import pathlib

import pytest
from conftest import FIXTURES, SPECS, fixture_request, load_spec, paths, split_spec
from hostile import replaced, scalars
from hypothesis import given, strategies as st

from sagemaker_bridge import validate, validate_request
from sagemaker_bridge.checks import check_into, check_request
from sagemaker_bridge.cli import specs
from sagemaker_bridge.problems import Problems, TranslationError, any_error, report

REQUESTS = sorted((FIXTURES / "requests").glob("*.json"))


def test_a_collector_words_each_problem_from_its_code_and_keeps_the_facts() -> None:
    found = Problems()
    found.error(("config", "ranges"), "ranges.too_many", count=31, limit=30, source="limits")
    found.warning(("job",), "limits.quota_jobs", total=900, quota=750, source="limits")
    [error, warning] = found
    assert (error.severity, error.path, error.code) == ("error", "config.ranges", "ranges.too_many")
    assert error.message == "has 31 hyperparameter ranges; SageMaker searches at most 30 at once"
    assert error.ctx == {"count": 31, "limit": 30, "source": "limits"}
    assert warning.severity == "warning" and not warning.is_error
    assert found.has_errors and found.errors == [error] and len(found) == 2
    assert found.since(1) == [warning]


def test_a_collector_that_needs_only_a_yes_stops_at_the_first_error() -> None:
    reached: list[str] = []

    def check(found: Problems) -> None:
        found.warning(("a",), "grid.max_jobs", max_jobs=3, total=2, source="strategy")
        reached.append("after the warning")
        found.error(("b",), "option.required")
        reached.append("after the first error")  # never: the walk ends at the first error
        found.error(("c",), "option.required")

    assert any_error(check) is True
    assert reached == ["after the warning"]
    assert any_error(lambda found: found.warning(("a",), "grid.max_jobs", max_jobs=3, total=2, source="strategy")) \
        is False


def test_no_check_can_swallow_the_stop() -> None:
    """check_into() wraps the rules in `except Exception` (a rule tripping over a refused shape): the stop passes it."""
    def careless(found: Problems) -> None:
        try:
            found.error(("x",), "option.required")
        except Exception:  # what a careless check might write
            pass
        raise AssertionError("the stop was swallowed")

    assert any_error(careless) is True


@pytest.mark.parametrize("path", REQUESTS, ids=lambda p: p.stem)
def test_the_stopping_gate_agrees_with_the_full_list_on_real_requests(path: pathlib.Path) -> None:
    request = json.loads(path.read_text())
    assert any_error(lambda found: check_into(request, found)) == any(p.is_error for p in check_request(request))


@given(data=st.data())
def test_the_stopping_gate_agrees_with_the_full_list_on_any_value_anywhere(data: st.DataObject) -> None:
    request = fixture_request(data.draw(st.sampled_from(sorted(SPECS))))
    where = data.draw(st.sampled_from(paths(request)[1:]))
    broken = replaced(request, where, data.draw(scalars))
    full = check_request(broken)
    assert any_error(lambda found: check_into(broken, found)) == any(p.is_error for p in full)
    assert all(p.code and p.message for p in full)


def test_validate_and_validate_request_give_the_facts_beside_the_sentence() -> None:
    job, config, kw = split_spec(load_spec("xgboost-flytekit.yaml"))
    [strategy] = validate(job, dict(config, tuningStrategy="GRID"), **kw)  # Flyte's enum has no Grid
    assert (strategy.path, strategy.code) == ("config.tuning_strategy", "input.enum")
    assert strategy.ctx["allowed"] == ["BAYESIAN", "RANDOM"] and strategy.ctx["value"] == "'GRID'"
    request = fixture_request("xgboost-flytekit.yaml")
    request["HyperParameterTuningJobConfig"]["ResourceLimits"]["MaxParallelTrainingJobs"] = 2**31
    by_code = {p.code: p for p in validate_request(request)}
    assert by_code["model.max"].ctx == {"reason": "word", "limit": 2**31 - 1, "bits": 32, "type": "integer",
                                        "value": str(2**31)}
    assert by_code["limits.quota_parallel"].ctx == {"parallel": 2**31, "quota": 10, "source": "limits"}
    assert by_code["model.max"].to_dict()["ctx"] == dict(by_code["model.max"].ctx)


def test_a_spec_missing_parts_names_every_one_at_once(tmp_path: pathlib.Path) -> None:
    empty = tmp_path / "spec.yaml"
    empty.write_text("{}\n")
    with pytest.raises(specs.SpecError) as raised:
        specs.build(str(empty), flags={})
    codes = [(p.path, p.code) for p in raised.value.problems]
    assert codes == [("job", "spec.no_message"), ("config", "spec.no_message"), ("job_name", "spec.no_option"),
                     ("role_arn", "spec.no_option"), ("inputs", "spec.no_option"), ("output_path", "spec.no_option")]
    assert raised.value.lines()[0] == f"{empty}: job: is missing: give a spec with a 'job' key, or --job FILE"


def test_a_spec_error_names_its_file_and_the_place_inside_it(tmp_path: pathlib.Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text(json.dumps({"job": {"x": "\ud800"}}, ensure_ascii=True))
    with pytest.raises(specs.SpecError) as raised:
        specs.load_spec(str(deep))
    [problem] = raised.value.problems
    assert (problem.path, problem.code) == ("job.x", "input.bad_value")
    [line] = raised.value.lines()
    assert line.endswith("deep.json: job.x: holds a lone surrogate (\\ud800), which is not valid Unicode text"), line


def test_a_translation_error_takes_a_collector_and_lists_its_errors() -> None:
    found = Problems([report("warning", ("a",), "grid.max_jobs", max_jobs=3, total=2, source="strategy")])
    found.error(("job_name",), "option.required")
    error = TranslationError(found)
    assert [p.code for p in error.errors] == ["option.required"] and len(error.problems) == 2
    assert str(error) == "1 error in the tuning job:\n  job_name: is required"


def test_a_code_with_no_sentence_fails_where_it_is_reported() -> None:
    """A misspelled code is a bug to see at once, not a message to guess (test_wording finds every literal one)."""
    with pytest.raises(KeyError):
        Problems().error((), "no.such.code")


def test_a_spec_with_an_unknown_key_and_a_missing_one_names_both(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(json.dumps({"job": {}, "config": {}, "jobname": "x", "role_arn": "r", "inputs": {},
                                "output_path": "s3://b/o"}))
    with pytest.raises(specs.SpecError) as raised:
        specs.build(str(path), flags={})
    assert [(p.path, p.code) for p in raised.value.problems] == [("", "spec.unknown_keys"),
                                                                   ("job_name", "spec.no_option")]
    assert "unknown key(s) 'jobname'" in raised.value.lines()[0]
