"""Layer 1 reads botocore's installed model file directly; it must see exactly what botocore's ServiceModel sees."""

from __future__ import annotations

from typing import Any

from botocore.loaders import Loader
from botocore.model import ServiceModel

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
    assert list(aws_model.check("team-ä ü:1", tags)) == []
    assert [p.code for p in aws_model.check("bad#key", tags)] == ["model.pattern"]
