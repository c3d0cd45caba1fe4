"""A CreateHyperParameterTuningJob request checked the way SageMaker will, however it was built.

    aws_model   layer 1: botocore's own model of the operation (types, required, enums, lengths, patterns)
    rules       layer 2: SageMaker's server-side rules; layer 3: warnings for likely mistakes
"""

from __future__ import annotations

from typing import Any, Optional

from ..algorithms import ImageKind
from ..bounds import plain_data_problems
from ..problems import Problem, report, unique
from . import aws_model, rules


def check_request(request: Any, kind: Optional[ImageKind] = None, *, bounded: bool = False) -> list[Problem]:
    """Every problem of `request`, paths into it. `kind` says what the image is when the caller knows better than
    its URI (a private XGBoost mirror); None classifies each definition by its image. `bounded`: the caller built
    the request from inputs it has already bounded (bounds.py), so it is not walked for that again."""
    unbounded = [] if bounded else plain_data_problems(request)
    if unbounded:  # nothing below may walk, compare or print it
        return unbounded
    shape_problems = list(aws_model.check(request))
    try:
        rule_problems = list(rules.check(request, kind))
    except Exception as exc:  # a rule tripping over a shape layer 1 already refused must not hide those problems
        if any(p.is_error for p in shape_problems):
            rule_problems = []
        else:  # pragma: no cover - a bug in a rule; say so plainly rather than lose the request
            rule_problems = [report("error", (), "internal", exception=repr(exc))]
    return unique(shape_problems + rule_problems)


__all__ = ["aws_model", "check_request", "rules"]
