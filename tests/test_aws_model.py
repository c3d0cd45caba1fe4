"""Layer 1 reads botocore's installed model file directly; it must see exactly what botocore's ServiceModel sees."""

from __future__ import annotations

import copy
from typing import Any

from botocore.loaders import Loader
from botocore.model import ServiceModel
from conftest import SPECS, fixture_request, paths, reported
from hypothesis import given, settings, strategies as st

from sagemaker_bridge.checks import aws_model


def test_every_reachable_shape_matches_botocores_own_model() -> None:
    botocore_model = ServiceModel(Loader().load_service_model("sagemaker", "service-2"), "sagemaker")
    theirs = botocore_model.operation_model(aws_model.OPERATION).input_shape
    ours = aws_model.operation_input_shape()
    seen: set[str] = set()

    def compare(a: Any, b: Any) -> None:
        if a.name in seen:
            return
        seen.add(a.name)
        assert (a.name, a.type_name) == (b.name, b.type_name)
        assert {k: v for k, v in a.metadata.items() if k in ("min", "max", "pattern")} == b.metadata, a.name
        assert list(getattr(a, "enum", []) or []) == b.enum
        if a.type_name == "structure":
            assert list(a.required_members) == b.required_members and list(a.members) == list(b.members)
            for name in a.members:
                compare(a.members[name], b.members[name])
        elif a.type_name == "list":
            compare(a.member, b.member)
        elif a.type_name == "map":
            compare(a.key, b.key)
            compare(a.value, b.value)

    compare(theirs, ours)
    assert len(seen) > 100


def test_java_only_pattern_classes_are_widened_not_dropped() -> None:
    tags = aws_model.operation_input_shape().members["Tags"].member.members["Key"]
    assert r"\p{L}" in tags.metadata["pattern"]
    assert reported(aws_model.check, "team-ä ü:1", shape=tags) == []
    assert [p.code for p in reported(aws_model.check, "bad#key", shape=tags)] == ["model.pattern"]


# Anything a caller could put at any place of a request: each kind layer 1 tells apart.
HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=3), st.text(min_size=300, max_size=400),
    st.sampled_from(["Bayesian", "Grid", "Logarithmic", "ml.m5.xlarge", "File", "s3://b/k", "x" * 257, ""]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def near(value: Any) -> st.SearchStrategy[Any]:
    """Values like the one in place but just past a limit: longer, shorter, bigger, smaller, one wrong character."""
    if isinstance(value, str):
        return st.sampled_from([value * 40, value * 400, value[:1], value + "#", value.upper(), value + " ",
                                value[: len(value) // 2]])
    if isinstance(value, int) and not isinstance(value, bool):
        return st.sampled_from([value * 1000, -value, 0, value + 2**31, value - 1, float(value)])
    if isinstance(value, list):
        return st.sampled_from([value * 60, [], value + value])
    return st.just(value)


@settings(max_examples=200)
@given(data=st.data())
def test_the_compiled_validator_says_valid_exactly_when_the_walk_finds_nothing(data: st.DataObject) -> None:
    """The fast path (one closure per shape) and the explaining walk are two readings of one model: a request passes
    the first exactly when the second has nothing to say, so speed never lets a problem through."""
    request = copy.deepcopy(fixture_request(data.draw(st.sampled_from(SPECS))))
    for _ in range(data.draw(st.integers(min_value=0, max_value=3))):
        path = data.draw(st.sampled_from(paths(request)))
        if not path:
            continue
        parent = request
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            parent.pop(path[-1])
        else:
            parent[path[-1]] = data.draw(st.one_of(HOSTILE, near(parent[path[-1]])))
    shape = aws_model.operation_input_shape()
    walked = reported(aws_model._explain, request, shape, ())
    assert aws_model._validator(shape.name)(request) == (walked == []), walked
    assert reported(aws_model.check, request) == walked
