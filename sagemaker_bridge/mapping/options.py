"""translate()'s keyword arguments, checked and normalized, and static hyperparameters rendered as SageMaker strings."""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields
from typing import Any, Callable, Optional

from ..problems import Loc, Problems, clipped_repr, describe_type

DEFAULT_MAX_RUNTIME_SECONDS = 86400  # SageMaker's own default: one day


@dataclass(frozen=True)
class Options:
    """translate()'s keyword arguments, checked; the field order is the order of the signature."""

    job_name: str
    role_arn: str
    inputs: tuple[tuple[str, str], ...]  # sorted by channel name
    output_path: str
    region: Optional[str]
    training_image: Optional[str]
    static_hyperparameters: tuple[tuple[str, str], ...]  # already rendered as strings, in the caller's order
    max_runtime_seconds: int
    tags: tuple[tuple[str, str], ...]
    overrides: Mapping[str, Any]


OPTION_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Options))
OPTION_DEFAULTS: Mapping[str, Any] = {"region": None, "training_image": None, "static_hyperparameters": None,
                               "max_runtime_seconds": DEFAULT_MAX_RUNTIME_SECONDS, "tags": None, "overrides": None}
REQUIRED_OPTIONS = tuple(name for name in OPTION_NAMES if name not in OPTION_DEFAULTS)


def parse_options(options: Mapping[str, Any], problems: Problems,
                  already_reported: Collection[str] = ()) -> Options:
    """Options from keyword arguments, reporting unknown, missing and ill-typed ones at their names."""
    for key in options:
        if key not in OPTION_NAMES:
            problems.error((str(key),), "option.unknown", options=list(OPTION_NAMES))
    values = {}
    for name in OPTION_NAMES:
        if name in options:
            values[name] = _PARSERS[name](options[name], (name,), problems)
        elif name in OPTION_DEFAULTS or name in already_reported:
            values[name] = _PARSERS[name](OPTION_DEFAULTS.get(name), (name,), Problems())
        else:
            problems.error((name,), "option.required")
            values[name] = _PARSERS[name](None, (name,), Problems())
    return Options(**values)


def _text(value: Any, loc: Loc, problems: Problems) -> str:
    if isinstance(value, str):
        return value
    problems.error(loc, "option.type", expected="a string", got=describe_type(value))
    return ""


def _whole_number(value: Any, loc: Loc, problems: Problems) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    problems.error(loc, "option.type", expected="a whole number of seconds", got=describe_type(value))
    return DEFAULT_MAX_RUNTIME_SECONDS


def _optional_text(value: Any, loc: Loc, problems: Problems) -> Optional[str]:
    return None if value is None else _text(value, loc, problems)


def _channels(value: Any, loc: Loc, problems: Problems) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(_string_map(value, loc, problems, "channel name -> S3 URI")))


def _string_map(value: Any, loc: Loc, problems: Problems, what: str) -> list[tuple[str, str]]:
    if value is None:
        return []
    if not isinstance(value, Mapping):
        problems.error(loc, "option.type", expected=f"a mapping of {what}", got=describe_type(value))
        return []
    pairs = []
    for key, item in value.items():
        if not isinstance(key, str):
            problems.error(loc + (str(key),), "option.type", reason="name", got=describe_type(key))
        elif not isinstance(item, str):
            problems.error(loc + (key,), "option.type", expected="a string", got=describe_type(item))
        else:
            pairs.append((key, item))
    return pairs


def _tags(value: Any, loc: Loc, problems: Problems) -> tuple[tuple[str, str], ...]:
    if value is None or isinstance(value, Mapping):
        return tuple(sorted(_string_map(value, loc, problems, "key -> value")))
    if not isinstance(value, (list, tuple)):
        problems.error(loc, "option.type", expected="a mapping or a list of Key/Value",
                       got=describe_type(value))
        return ()
    pairs = []
    for i, tag in enumerate(value):
        if (isinstance(tag, Mapping) and len(tag) == 2 and all(isinstance(key, str) for key in tag)
                and set(tag) == {"Key", "Value"} and isinstance(tag["Key"], str) and isinstance(tag["Value"], str)):
            pairs.append((tag["Key"], tag["Value"]))
        else:
            problems.error(loc + (i,), "option.type", reason="tag")
    return tuple(pairs)


def _overrides(value: Any, loc: Loc, problems: Problems) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.error(loc, "option.type", expected="a mapping merged into the request",
                       got=describe_type(value))
        return {}
    return value if _keys_are_text(value, loc, problems) else {}


def _keys_are_text(value: Mapping[Any, Any], loc: Loc, found: Problems) -> bool:
    """Every key of the request is a member's name: an override keyed by anything else (a Python caller's int, tuple
    or list) names nothing. The caller bounded the value already (bounds.py), so this walk ends."""
    mark = len(found)
    stack: list[tuple[Any, Loc]] = [(value, loc)]
    while stack:
        item, here = stack.pop()
        if isinstance(item, Mapping):
            for key, member in item.items():
                if isinstance(key, str):
                    stack.append((member, here + (key,)))
                else:
                    found.error(here + (clipped_repr(key),), "option.type", reason="member_name",
                                got=describe_type(key))
        elif isinstance(item, (list, tuple)):
            stack.extend((member, here + (i,)) for i, member in enumerate(item))
    return len(found) == mark


def _static_texts(value: Any, loc: Loc, problems: Problems) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        problems.error(loc, "option.type", expected="a mapping of name -> value",
                       got=describe_type(value))
        return ()
    rendered = []
    for name, item in value.items():
        here = loc + (str(name),)
        if not isinstance(name, str):
            problems.error(here, "static.name", got=describe_type(name))
            continue
        text = hyperparameter_text(item, here, problems)
        if text is not None:
            rendered.append((name, text))
    return tuple(rendered)


_PARSERS: Mapping[str, Callable[[Any, Loc, Problems], Any]] = {
    "job_name": _text, "role_arn": _text, "inputs": _channels, "output_path": _text, "region": _optional_text,
    "training_image": _optional_text, "static_hyperparameters": _static_texts, "max_runtime_seconds": _whole_number,
    "tags": _tags, "overrides": _overrides,
}


def hyperparameter_text(value: Any, loc: Loc, problems: Problems) -> Optional[str]:
    """SageMaker's string for a static hyperparameter value; None (and a problem at `loc`) when it has none.

    A Flyte Struct delivers every number as a double, so an integral float is written as an integer (100.0 -> "100").
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return str(int(value)) if value.is_integer() else repr(value)
        problems.error(loc, "static.value", reason="not_finite", value=repr(value))
    elif value is None:
        problems.error(loc, "static.value", reason="null")
    elif isinstance(value, (list, tuple, Mapping)):
        try:
            return json.dumps(value, sort_keys=True, allow_nan=False)
        except (TypeError, ValueError, RecursionError) as exc:
            problems.error(loc, "static.value", reason="not_json", why=str(exc))
    else:
        problems.error(loc, "static.value", reason="type", got=describe_type(value))
    return None
