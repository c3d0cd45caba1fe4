from __future__ import annotations

import re

import pytest
from hypothesis import given, strategies as st

from sagemaker_bridge import job_name, validate_request

NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}")  # SageMaker's pattern for HyperParameterTuningJobName


def test_flyte_ids_make_a_readable_stable_name() -> None:
    name = job_name("f6a2b4c8d0e1f2a3b4c5", "n0", 0)
    assert name == job_name("f6a2b4c8d0e1f2a3b4c5", "n0", 0)
    assert name.startswith("f6a2b4c8d0e1f2a3b4c") and len(name) <= 32 and NAME.fullmatch(name)


@pytest.mark.parametrize(("a", "b"), [
    (("exec", "n0", 0), ("exec", "n0", 1)),
    (("a-b", "c"), ("a", "b-c")),  # the same text once joined
    (("A_B",), ("a.b",)),  # the same text once cleaned up
    (("x" * 40, "n0"), ("x" * 40, "n1")),  # differ only past the cut
    (("Exec",), ("exec",)),  # SageMaker compares names without case
])
def test_different_parts_never_share_a_name(a: tuple[object, ...], b: tuple[object, ...]) -> None:
    assert job_name(*a).lower() != job_name(*b).lower()


@given(st.lists(st.one_of(st.text(), st.integers()), min_size=1, max_size=5))
def test_every_name_is_valid_for_sagemaker(parts: list[object]) -> None:
    name = job_name(*parts)
    assert NAME.fullmatch(name), name
    request = {"HyperParameterTuningJobName": name}
    assert not [p for p in validate_request(request) if p.path == "HyperParameterTuningJobName"]


def test_needs_a_part() -> None:
    with pytest.raises(ValueError, match="at least one part"):
        job_name()
