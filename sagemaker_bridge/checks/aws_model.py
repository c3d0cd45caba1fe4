"""Layer 1: a request checked against botocore's own model of CreateHyperParameterTuningJob.

Everything comes from botocore's installed service model: required members, unknown keys, types, and the min/max/pattern/enum
traits that botocore's ParamValidator skips (it checks only types, required and min). Nothing is copied by hand, so a
botocore upgrade brings SageMaker's new instance types and limits with it.
"""

from __future__ import annotations

import datetime
import functools
import gzip
import importlib.util
import json
import math
import pathlib
import re
from collections.abc import Iterator, Mapping
from typing import Any, Callable, Optional

from ..problems import Loc, Problem, clipped_repr, describe_type, did_you_mean, error

OPERATION = "CreateHyperParameterTuningJob"

# botocore's patterns are Java regexes; these classes have no `re` equivalent and are widened, never narrowed.
_JAVA_CLASSES = {r"\p{L}": r"\w", r"\p{N}": r"\w", r"\p{Z}": r"\s", r"\p{M}": r"\w", r"\p{P}": r"\W"}


class Shape:
    """One shape of botocore's installed SageMaker model, read straight from its JSON.

    The model is botocore's own file (botocore/data/sagemaker/<version>/service-2.json[.gz]), found without importing
    botocore: its import chain (urllib3) probes sockets, and a dry run opens none.
    """

    def __init__(self, shapes: Mapping[str, Any], name: str):
        self.name, data = name, shapes[name]
        self._data = data
        self.type_name: str = data["type"]
        self.metadata: dict[str, Any] = {k: data[k] for k in ("min", "max", "pattern") if k in data}
        self.enum: list[str] = list(data.get("enum", []))
        self.required_members: list[str] = list(data.get("required", []))

    @functools.cached_property
    def members(self) -> dict[str, Shape]:
        return {k: _shape(v["shape"]) for k, v in self._data.get("members", {}).items()}

    @functools.cached_property
    def member(self) -> Shape:
        return _shape(self._data["member"]["shape"])

    @functools.cached_property
    def key(self) -> Shape:
        return _shape(self._data["key"]["shape"])

    @functools.cached_property
    def value(self) -> Shape:
        return _shape(self._data["value"]["shape"])


def model_file() -> pathlib.Path:
    spec = importlib.util.find_spec("botocore")
    for base in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(pathlib.Path(base, "data", "sagemaker").glob("*/service-2.json*"))
        if found:
            return found[-1]  # the newest API version botocore ships
    raise RuntimeError("botocore's SageMaker model was not found: pip install botocore")


@functools.cache
def _service_model() -> dict[str, Any]:
    path = model_file()
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return dict(json.loads(raw))


@functools.cache
def _shape(name: str) -> Shape:
    return Shape(_service_model()["shapes"], name)


def operation_input_shape(operation: str = OPERATION) -> Shape:
    return _shape(_service_model()["operations"][operation]["input"]["shape"])


@functools.cache
def _compiled(pattern: str) -> Optional[re.Pattern[str]]:
    for java, python in _JAVA_CLASSES.items():
        pattern = pattern.replace(java, python)
    try:
        return re.compile(pattern, re.DOTALL)
    except re.error:  # a Java construct `re` cannot read: skip the check rather than refuse valid input
        return None


def check(value: Any, shape: Any = None, loc: Loc = ()) -> Iterator[Problem]:
    """Every way `value` breaks the model's `shape` (the operation's input when None)."""
    shape = operation_input_shape() if shape is None else shape
    if value is None:  # botocore refuses a null anywhere; leave the member out instead
        yield error(loc, "model.null", f"is null, which SageMaker refuses; leave it out or give a value ({shape.name})")
        return
    yield from _CHECKERS.get(shape.type_name, _no_check)(value, shape, loc)


def _no_check(value: Any, shape: Any, loc: Loc) -> Iterator[Problem]:
    return iter(())


def _structure(value: Any, shape: Any, loc: Loc) -> Iterator[Problem]:
    if not isinstance(value, Mapping):
        yield error(loc, "model.type", f"must be an object ({shape.name}), got {describe_type(value)}")
        return
    for name in shape.required_members:
        if name not in value:
            yield error(loc + (name,), "model.required", f"is required by {shape.name}")
    for key, item in value.items():
        member = shape.members.get(key) if isinstance(key, str) else None
        if member is None:
            hint = did_you_mean(key, shape.members) if isinstance(key, str) else ""
            yield error(loc + (str(key),), "model.unknown", f"is not a member of {shape.name}{hint}")
        else:
            yield from check(item, member, loc + (key,))


def _size(value: Any, limits: Mapping[str, Any], loc: Loc, unit: str) -> Iterator[Problem]:
    low, high = limits.get("min"), limits.get("max")
    if low is not None and len(value) < low:
        yield error(loc, "model.min_length", f"must have at least {low} {unit}, has {len(value)}")
    if high is not None and len(value) > high:
        yield error(loc, "model.max_length", f"must have at most {high} {unit}, has {len(value)}")


def _list(value: Any, shape: Any, loc: Loc) -> Iterator[Problem]:
    if not isinstance(value, (list, tuple)):
        yield error(loc, "model.type", f"must be a list, got {describe_type(value)}")
        return
    yield from _size(value, shape.metadata, loc, "items")
    for i, item in enumerate(value):
        yield from check(item, shape.member, loc + (i,))


def _map(value: Any, shape: Any, loc: Loc) -> Iterator[Problem]:
    if not isinstance(value, Mapping):
        yield error(loc, "model.type", f"must be an object, got {describe_type(value)}")
        return
    yield from _size(value, shape.metadata, loc, "entries")
    for key, item in value.items():
        key_problems = list(check(key, shape.key, loc + (str(key),)))
        yield from (Problem(p.severity, p.loc, "name " + p.message, p.code) for p in key_problems)
        yield from check(item, shape.value, loc + (str(key),))


def _string(value: Any, shape: Any, loc: Loc) -> Iterator[Problem]:
    if not isinstance(value, str):
        yield error(loc, "model.type", f"must be a string, got {describe_type(value)}")
        return
    if not value and shape.metadata.get("min", 0) > 0:
        yield error(loc, "model.empty", "is empty; give a value")
        return
    if shape.enum:
        if value not in shape.enum:
            shown = ", ".join(shape.enum) if len(shape.enum) <= 12 else f"one of the {len(shape.enum)} {shape.name} values"
            hint = did_you_mean(value, shape.enum)
            yield error(loc, "model.enum", f"{clipped_repr(value, 80)} is not valid{hint}; use {shown}")
        return
    too_long = list(_size(value, {"max": shape.metadata.get("max")}, loc, "characters"))
    if too_long:  # many patterns bound the length too; say the plainer thing once
        yield from too_long
        return
    pattern = shape.metadata.get("pattern")
    compiled = _compiled(pattern) if pattern else None
    if compiled is not None and not compiled.fullmatch(value):  # says more than a short length would
        yield error(loc, "model.pattern", f"{clipped_repr(value, 80)} does not match the pattern SageMaker requires: {pattern}")
        return
    yield from _size(value, shape.metadata, loc, "characters")


def _number(kinds: tuple[type, ...], noun: str, bits: Optional[int] = None) -> Callable[[Any, Any, Loc], Iterator[Problem]]:
    """A number within the shape's min/max; `bits`: AWS's integer (32) and long (64) also bound it when the shape
    does not (botocore's ParamValidator checks neither, and SageMaker refuses what does not fit)."""
    word_low, word_high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if bits else (None, None)

    def checker(value: Any, shape: Any, loc: Loc) -> Iterator[Problem]:
        if isinstance(value, bool) or not isinstance(value, kinds):
            yield error(loc, "model.type", f"must be {noun}, got {describe_type(value)}")
            return
        if isinstance(value, float) and not math.isfinite(value):
            yield error(loc, "model.not_finite", f"must be a finite number, got {value}")
            return
        low, high = shape.metadata.get("min", word_low), shape.metadata.get("max", word_high)
        if low is not None and value < low:
            yield error(loc, "model.min", f"must be at least {low}, got {clipped_repr(value)}")
        if high is not None and value > high:
            where = "" if "max" in shape.metadata else f" (a {bits}-bit {shape.type_name})"
            yield error(loc, "model.max", f"must be at most {high}{where}, got {clipped_repr(value)}")
    return checker


def _typed(kinds: tuple[type, ...], noun: str) -> Callable[[Any, Any, Loc], Iterator[Problem]]:
    def checker(value: Any, shape: Any, loc: Loc) -> Iterator[Problem]:
        if not isinstance(value, kinds):
            yield error(loc, "model.type", f"must be {noun}, got {describe_type(value)}")
    return checker


_CHECKERS: dict[str, Callable[[Any, Any, Loc], Iterator[Problem]]] = {
    "structure": _structure,
    "list": _list,
    "map": _map,
    "string": _string,
    "integer": _number((int,), "an integer", bits=32),
    "long": _number((int,), "an integer", bits=64),
    "float": _number((int, float), "a number"),
    "double": _number((int, float), "a number"),
    "boolean": _typed((bool,), "a boolean (true or false)"),
    "timestamp": _typed((datetime.datetime, datetime.date, str, int, float), "a timestamp"),
    "blob": _typed((bytes, bytearray), "bytes"),
}
