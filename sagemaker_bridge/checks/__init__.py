"""A CreateHyperParameterTuningJob request checked the way SageMaker will, however it was built.

    aws_model   layer 1: botocore's own model of the operation (types, required, enums, lengths, patterns)
    rules       layer 2: SageMaker's server-side rules; layer 3: warnings for likely mistakes
"""

from __future__ import annotations

from typing import Any, Optional

from ..algorithms import ImageKind
from ..bounds import check_plain_data
from ..problems import Problem, Problems, report, unique
from . import aws_model, rules


def check_request(request: Any, image_kind: Optional[ImageKind] = None, *, bounded: bool = False) -> list[Problem]:
    """Every problem of `request`, paths into it. `image_kind` says what the image is when the caller knows better than
    its URI (a private XGBoost mirror); None classifies each definition by its image. `bounded`: the caller built
    the request from inputs it has already bounded (bounds.py), so it is not walked for that again."""
    found = Problems()
    check_into(request, found, image_kind, bounded=bounded)
    return unique(found)


def check_into(request: Any, found: Problems, image_kind: Optional[ImageKind] = None, *, bounded: bool = False) -> None:
    """check_request() on the caller's collector (a stop_at_first_error one answers "any error?" sooner)."""
    if not bounded and not check_plain_data(request, found):  # nothing below may walk, compare or print it
        return
    mark = len(found)
    aws_model.check(request, found)
    try:
        rules.check(request, found, image_kind)
    except Exception as exc:  # a rule tripping over a shape layer 1 already refused must not hide those problems
        if not any(p.is_error for p in found.since(mark)):  # pragma: no cover - a bug in a rule: say so plainly
            found.add(report("error", (), "internal", exception=repr(exc)))


__all__ = ["aws_model", "check_into", "check_request", "rules"]
