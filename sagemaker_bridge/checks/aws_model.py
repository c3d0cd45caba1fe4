"""Layer 1: a request checked against botocore's own model of CreateHyperParameterTuningJob.

Everything comes from botocore's installed service model: required members, unknown keys, types, and the min/max/pattern/enum
traits that botocore's ParamValidator skips (it checks only types, required and min). Nothing is copied by hand, so a
botocore upgrade brings SageMaker's new instance types and limits with it.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Mapping
from typing import Any, Callable, Optional

from ..problems import Loc, Problems, clipped_repr, describe_type, did_you_mean
from .service_model import operation_model

OPERATION = "CreateHyperParameterTuningJob"

# botocore's patterns are Java regexes; these classes have no `re` equivalent and are widened, never narrowed.
_JAVA_CLASSES = {r"\p{L}": r"\w", r"\p{N}": r"\w", r"\p{Z}": r"\s", r"\p{M}": r"\w", r"\p{P}": r"\W"}


class Shape:
    """One shape of botocore's installed SageMaker model (service_model.py), read straight from its JSON."""

    def __init__(self, shapes: Mapping[str, Any], name: str):
        self.name, data = name, shapes[name]
        self.data = data
        self.type_name: str = data["type"]
        self.metadata: dict[str, Any] = {k: data[k] for k in ("min", "max", "pattern") if k in data}
        self.enum: list[str] = list(data.get("enum", []))
        self.required_members: list[str] = list(data.get("required", []))

    @functools.cached_property
    def members(self) -> dict[str, Shape]:
        return {k: _shape(v["shape"]) for k, v in self.data.get("members", {}).items()}

    @functools.cached_property
    def member(self) -> Shape:
        return _shape(self.data["member"]["shape"])

    @functools.cached_property
    def key(self) -> Shape:
        return _shape(self.data["key"]["shape"])

    @functools.cached_property
    def value(self) -> Shape:
        return _shape(self.data["value"]["shape"])


@functools.cache
def _shape(name: str) -> Shape:
    return Shape(operation_model(OPERATION)["shapes"], name)


def operation_input_shape() -> Shape:
    return _shape(operation_model(OPERATION)["input"])


@functools.cache
def _compiled(pattern: str) -> Optional[re.Pattern[str]]:
    for java, python in _JAVA_CLASSES.items():
        pattern = pattern.replace(java, python)
    try:
        return re.compile(pattern, re.DOTALL)
    except re.error:  # a Java construct `re` cannot read: skip the check rather than refuse valid input
        return None


def check(value: Any, found: Problems, shape: Any = None, loc: Loc = ()) -> None:
    """Every way `value` breaks the model's `shape` (the operation's input when None), reported to `found`."""
    shape = operation_input_shape() if shape is None else shape
    if _validator(shape.name)(value):  # the common case: valid, known without building a problem
        return
    _explain(value, shape, loc, found)


def _explain(value: Any, shape: Any, loc: Loc, found: Problems) -> None:
    if value is None:  # botocore refuses a null anywhere; leave the member out instead
        found.error(loc, "model.null", shape=shape.name)
        return
    _CHECKERS.get(shape.type_name, _no_check)(value, shape, loc, found)


def _no_check(value: Any, shape: Any, loc: Loc, found: Problems) -> None:
    pass


Checker = Callable[[Any, Any, Loc, Problems], None]  # (value, shape, where, the collector)


def _structure(value: Any, shape: Any, loc: Loc, found: Problems) -> None:
    if not isinstance(value, Mapping):
        found.error(loc, "model.type", expected=f"an object ({shape.name})", got=describe_type(value))
        return
    for name in shape.required_members:
        if name not in value:
            found.error(loc + (name,), "model.required", shape=shape.name)
    for key, item in value.items():
        member = shape.members.get(key) if isinstance(key, str) else None
        if member is None:
            hint = did_you_mean(key, shape.members) if isinstance(key, str) else ""
            found.error(loc + (str(key),), "model.unknown", shape=shape.name, suggestion=hint)
        else:
            _explain(item, member, loc + (key,), found)


def _size(value: Any, limits: Mapping[str, Any], loc: Loc, unit: str, found: Problems) -> None:
    low, high = limits.get("min"), limits.get("max")
    if low is not None and len(value) < low:
        found.error(loc, "model.min_length", limit=low, unit=unit, size=len(value))
    if high is not None and len(value) > high:
        found.error(loc, "model.max_length", limit=high, unit=unit, size=len(value))


def _list(value: Any, shape: Any, loc: Loc, found: Problems) -> None:
    if not isinstance(value, (list, tuple)):
        found.error(loc, "model.type", expected="a list", got=describe_type(value))
        return
    _size(value, shape.metadata, loc, "items", found)
    for i, item in enumerate(value):
        _explain(item, shape.member, loc + (i,), found)


def _map(value: Any, shape: Any, loc: Loc, found: Problems) -> None:
    if not isinstance(value, Mapping):
        found.error(loc, "model.type", expected="an object", got=describe_type(value))
        return
    _size(value, shape.metadata, loc, "entries", found)
    for key, item in value.items():
        of_key = Problems()
        _explain(key, shape.key, loc + (str(key),), of_key)
        found.extend(dataclasses.replace(p, message="name " + p.message, ctx={**p.ctx, "of": "name"})
                     for p in of_key)  # the sentence of the name's own problem, said of the name
        _explain(item, shape.value, loc + (str(key),), found)


def _string(value: Any, shape: Any, loc: Loc, found: Problems) -> None:
    if not isinstance(value, str):
        found.error(loc, "model.type", expected="a string", got=describe_type(value))
        return
    if not value and shape.metadata.get("min", 0) > 0:
        found.error(loc, "model.empty")
        return
    if shape.enum:
        if value not in shape.enum:
            hint = did_you_mean(value, shape.enum)
            if len(shape.enum) <= 12:
                found.error(loc, "model.enum", reason="listed", value=clipped_repr(value, 80), suggestion=hint,
                            allowed=list(shape.enum))
            else:
                found.error(loc, "model.enum", reason="many", value=clipped_repr(value, 80), suggestion=hint,
                            count=len(shape.enum), shape=shape.name)
        return
    mark = len(found)
    _size(value, {"max": shape.metadata.get("max")}, loc, "characters", found)
    if len(found) > mark:  # many patterns bound the length too; say the plainer thing once
        return
    pattern = shape.metadata.get("pattern")
    compiled = _compiled(pattern) if pattern else None
    if compiled is not None and not compiled.fullmatch(value):  # says more than a short length would
        found.error(loc, "model.pattern", value=clipped_repr(value, 80), pattern=pattern)
        return
    _size(value, shape.metadata, loc, "characters", found)


def _number(kinds: tuple[type, ...], noun: str, bits: Optional[int] = None) -> Checker:
    """A number within the shape's min/max; `bits`: AWS's integer (32) and long (64) also bound it when the shape
    does not (botocore's ParamValidator checks neither, and SageMaker refuses what does not fit)."""
    word_low, word_high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if bits else (None, None)

    def checker(value: Any, shape: Any, loc: Loc, found: Problems) -> None:
        if isinstance(value, bool) or not isinstance(value, kinds):
            found.error(loc, "model.type", expected=noun, got=describe_type(value))
            return
        if isinstance(value, float) and not math.isfinite(value):
            found.error(loc, "model.not_finite", value=value)
            return
        low, high = shape.metadata.get("min", word_low), shape.metadata.get("max", word_high)
        if low is not None and value < low:
            found.error(loc, "model.min", limit=low, value=clipped_repr(value))
        if high is not None and value > high:
            if "max" in shape.metadata:
                found.error(loc, "model.max", limit=high, value=clipped_repr(value))
            else:
                found.error(loc, "model.max", reason="word", limit=high, bits=bits, type=shape.type_name,
                            value=clipped_repr(value))
    return checker


def _typed(kinds: tuple[type, ...], noun: str) -> Checker:
    def checker(value: Any, shape: Any, loc: Loc, found: Problems) -> None:
        if not isinstance(value, kinds):
            found.error(loc, "model.type", expected=noun, got=describe_type(value))
    return checker


def _timestamp_kinds() -> tuple[type, ...]:
    import datetime  # no shape CreateHyperParameterTuningJob reaches is a timestamp: off the dry run's import path

    return (datetime.datetime, datetime.date, str, int, float)


_CHECKERS: dict[str, Checker] = {
    "structure": _structure,
    "list": _list,
    "map": _map,
    "string": _string,
    "integer": _number((int,), "an integer", bits=32),
    "long": _number((int,), "an integer", bits=64),
    "float": _number((int, float), "a number"),
    "double": _number((int, float), "a number"),
    "boolean": _typed((bool,), "a boolean (true or false)"),
    "timestamp": lambda value, shape, loc, found: _typed(_timestamp_kinds(), "a timestamp")(value, shape, loc, found),
    "blob": _typed((bytes, bytearray), "bytes"),
}


# Compiled validators: the same rules as the checkers above, as one closure per shape built once per process, saying
# only whether a value is valid. A valid request (nearly every one) is checked without walking the model; an invalid
# one is explained by the checkers above, which say what and where. Each closure compiles the shapes below it (and
# their patterns) when a value first reaches them, so a process pays only for the parts of the model it meets. A twin
# of the checkers kept for speed (on a valid request of the fixtures, 24 us against 87 us for the checkers' walk with a
# stop-at-first collector, which still builds every path); test_aws_model holds the two to one answer on any value
# anywhere in a request.
Validator = Callable[[Any], bool]


@functools.cache
def _validator(name: str) -> Validator:
    shape = _shape(name)
    return _COMPILERS.get(shape.type_name, _compile_anything)(shape)


def _compile_anything(shape: Shape) -> Validator:
    return lambda value: value is not None


def _compile_structure(shape: Shape) -> Validator:
    required = tuple(shape.required_members)
    member_shapes = {key: member["shape"] for key, member in shape.data.get("members", {}).items()}
    members: dict[str, Validator] = {}  # filled as members are met

    def valid(value: Any) -> bool:
        if type(value) is not dict and not isinstance(value, Mapping):
            return False
        for name in required:
            if name not in value:
                return False
        for key, item in value.items():
            member = members.get(key) if type(key) is str else None
            if member is None:
                if type(key) is not str or key not in member_shapes:
                    return False
                member = members[key] = _validator(member_shapes[key])
            if item is None or not member(item):
                return False
        return True
    return valid


def _bounded_size(shape: Shape) -> tuple[float, float]:
    return shape.metadata.get("min", 0), shape.metadata.get("max", math.inf)


def _compile_list(shape: Shape) -> Validator:
    (low, high), member_name = _bounded_size(shape), shape.data["member"]["shape"]
    member: Optional[Validator] = None  # compiled at the first list: the model's shapes refer to each other

    def valid(value: Any) -> bool:
        nonlocal member
        if not isinstance(value, (list, tuple)) or not low <= len(value) <= high:
            return False
        if member is None:
            member = _validator(member_name)
        for item in value:  # noqa: SIM110 - a plain loop: all() over a generator costs twice as much here
            if item is None or not member(item):
                return False
        return True
    return valid


def _compile_map(shape: Shape) -> Validator:
    low, high = _bounded_size(shape)
    key_name, value_name = shape.data["key"]["shape"], shape.data["value"]["shape"]
    key_ok: Optional[Validator] = None  # as for lists
    value_ok: Validator = _compile_anything(shape)

    def valid(value: Any) -> bool:
        nonlocal key_ok, value_ok
        if (type(value) is not dict and not isinstance(value, Mapping)) or not low <= len(value) <= high:
            return False
        if key_ok is None:
            key_ok, value_ok = _validator(key_name), _validator(value_name)
        for key, item in value.items():  # noqa: SIM110 - as above
            if key is None or item is None or not key_ok(key) or not value_ok(item):
                return False
        return True
    return valid


def _compile_string(shape: Shape) -> Validator:
    if shape.enum:
        allowed = frozenset(shape.enum)
        return lambda value: isinstance(value, str) and value in allowed
    low, high = _bounded_size(shape)
    pattern = shape.metadata.get("pattern")
    if pattern in _ANY_TEXT:  # most of the model's patterns (ParameterValue, HyperParameterKey...)
        low, pattern = max(low, _ANY_TEXT[pattern]), None
    compiled = _compiled(pattern) if pattern else None  # compiled when a value first reaches this shape
    if compiled is None:
        return lambda value: isinstance(value, str) and low <= len(value) <= high
    matches = compiled.fullmatch
    return lambda value: isinstance(value, str) and low <= len(value) <= high and matches(value) is not None


# Patterns that, matched with DOTALL as above, take any text of at least so many characters: no regex needed.
_ANY_TEXT = {".*": 0, "^.*$": 0, ".+": 1, "^.+$": 1}


def _compile_number(kinds: tuple[type, ...], bits: Optional[int] = None) -> Callable[[Shape], Validator]:
    def compile_shape(shape: Shape) -> Validator:
        word_low, word_high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if bits else (-math.inf, math.inf)
        low, high = shape.metadata.get("min", word_low), shape.metadata.get("max", word_high)
        return lambda value: (isinstance(value, kinds) and not isinstance(value, bool)
                              and (not isinstance(value, float) or math.isfinite(value)) and low <= value <= high)
    return compile_shape


def _compile_typed(kinds: tuple[type, ...]) -> Callable[[Shape], Validator]:
    return lambda shape: lambda value: isinstance(value, kinds)


_COMPILERS: dict[str, Callable[[Shape], Validator]] = {
    "structure": _compile_structure,
    "list": _compile_list,
    "map": _compile_map,
    "string": _compile_string,
    "integer": _compile_number((int,), bits=32),
    "long": _compile_number((int,), bits=64),
    "float": _compile_number((int, float)),
    "double": _compile_number((int, float)),
    "boolean": _compile_typed((bool,)),
    "timestamp": lambda shape: _compile_typed(_timestamp_kinds())(shape),
    "blob": _compile_typed((bytes, bytearray)),
}
