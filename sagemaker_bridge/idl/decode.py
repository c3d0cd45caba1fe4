"""Any form Flyte produced a message in -> a normalized dict (snake_case names, every default filled in).

Forms: a proto3-JSON dict (lowerCamelCase as flytekit's MessageToDict wrote it, or snake_case; int64 as strings or
numbers; enums by name or number), that JSON as text, serialized protobuf bytes, or a protobuf message object.
Decoding is driven by schema.py and never raises for bad input: it records a Problem and uses the field's default, so
one pass reports every problem.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple, Optional

from .. import bounds
from ..problems import Loc, Problems, TranslationError, clipped_repr, describe_type, did_you_mean, printable
from . import proto, schema

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_PROTO3_JSON_FLOATS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def load(value: Any, message: str, loc: Loc, problems: Problems) -> dict[str, Any]:
    """Decode `value` (any supported form of `message`) to its normalized dict, appending problems found."""
    return read(value, message, loc, problems)[0]


def read(value: Any, message: str, loc: Loc, problems: Problems) -> tuple[dict[str, Any], bool]:
    """load(), and whether the value could be read at all (False: the dict holds only the message's defaults)."""
    mark = len(problems)
    data = _plain(value, message, loc, problems)
    if len(problems) > mark:
        return decode_message(message, {}, loc, Problems()), False
    if proto.is_message(data):  # ours, parsed from bytes: read field by field, no JSON in between
        return _read_message(data, message, loc, problems, [bounds.MAX_VALUES]), True
    return decode_message(message, data, loc, problems), True


def _plain(value: Any, message: str, loc: Loc, problems: Problems) -> Any:
    """Any form -> proto3 JSON data, bounded (bounds.py); what makes it unreadable goes to `problems`."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        if not bounds.check_text_size(len(data), loc, f"a serialized {message}", problems):
            return None
        return _from_proto(lambda: proto.parse(data, message), message, loc, problems)
    if proto.is_message(value):
        expected = schema.full_name(message)
        name = _safe(lambda: proto.message_full_name(value), "?")
        if name == "google.protobuf.Struct":  # a TaskTemplate.custom or a Generic literal, as Flyte stores them
            return _from_proto(lambda: proto.message_to_dict(value), message, loc, problems)
        if name != expected:
            problems.error(loc, "input.wrong_message", expected=expected, got=printable(name))
            return None
        return _from_proto(lambda: proto.parse(value.SerializeToString(), message), message, loc, problems)
    if isinstance(value, str):
        if not bounds.check_text_size(len(value), loc, f"a {message} as JSON text", problems):
            return None
        try:
            value = json.loads(value, object_pairs_hook=bounds.json_object_without_duplicates)
        except (ValueError, RecursionError) as exc:  # a key given twice too (bounds.DuplicateKey), as input.json
            reason = str(exc) if isinstance(exc, ValueError) else "it nests too deep"
            problems.error(loc, "input.json", message=message, why=printable(reason, 200))
            return None
    bounds.check_plain_data(value, problems, loc)
    return value


def with_ranges(config: Any, ranges: Mapping[str, Any]) -> dict[str, Any]:
    """The config with each `name -> ParameterRangeOneOf` merged into its map: later flytekit sent every tuned range
    as its own task input (any form: dict, JSON, bytes, message, Struct) and left the config's map empty.

    Raises TranslationError, naming `config` or `ranges.<name>`, when one cannot be read.
    """
    problems = Problems()
    merged = load(config, "HyperparameterTuningJobConfig", ("config",), problems)
    if not isinstance(ranges, Mapping):
        problems.error(("ranges",), "input.type", expected="a mapping of name -> range",
                               got=describe_type(ranges))
        ranges = {}
    range_map = merged["hyperparameter_ranges"]["parameter_range_map"]
    for name, one_of in ranges.items():
        if not isinstance(name, str) or not name:
            problems.error(("ranges", clipped_repr(name)), "input.map_key")
            continue
        if not bounds.check_plain_data(name, problems, ("ranges", name)):
            continue
        if name in range_map:
            problems.error(("ranges", name), "input.duplicate_range")
        range_map[name] = load(one_of, "ParameterRangeOneOf", ("ranges", name), problems)
    if problems:
        raise TranslationError(problems)
    return dict(_without_unset(merged))


def _without_unset(value: Any) -> Any:
    """Drop the None of unset oneof members: what is left is plain proto3 JSON (snake_case) for translate()."""
    if isinstance(value, dict):
        return {k: _without_unset(v) for k, v in value.items() if v is not None}
    return value


def _safe(fn: Any, default: Any) -> Any:
    try:
        return fn()
    except Exception:
        return default


def _from_proto(convert: Any, message: str, loc: Loc, problems: Problems) -> Any:
    try:
        data = convert()
    except proto.ProtobufMissing as exc:
        problems.error(loc, "input.protobuf_missing", why=str(exc))
        return None
    except Exception as exc:  # a corrupt message is the user's input, not our crash
        problems.error(loc, "input.protobuf", why=printable(str(exc), 300) or f"could not decode the {message}")
        return None
    if not proto.is_message(data):
        bounds.check_plain_data(data, problems, loc)
    return data


Reader = Callable[[Any, Loc, Problems], Any]  # (raw, where, the collector) -> the value or its default


class _Member(NamedTuple):
    """A field as a key of the input names it (snake_case or lowerCamelCase), unpacked on every key decoded."""

    field: schema.Field
    name: str  # its snake_case name, as the model holds it
    reader: Reader
    named: bool  # whether paths name it (not a field Flyte's users never see)
    usual: Optional[type]  # a value of this type is taken as it is, with no reader (double, string)...
    enum_names: frozenset[str]  # ... and so is one of these names (an enum)


class _ProtoStep(NamedTuple):
    """A field as _read_message reads it from a parsed message."""

    field: schema.Field
    name: str
    named: bool
    enum_names: tuple[str, ...]  # empty if it is no enum
    is_message: bool


@dataclass(frozen=True)
class _Table:
    """What decoding one message needs, built once per process (decoding runs on every task start)."""
    fields: tuple[schema.Field, ...]
    by_name: dict[str, _Member]  # snake_case and lowerCamelCase names
    names: list[str]  # for "did you mean"
    defaults: dict[str, Callable[[], Any]]  # a fresh default per field: callers may change what they get
    constants: dict[str, Any]  # the defaults that cannot be changed (scalars, enums, None), shared
    fresh: tuple[tuple[str, Callable[[], Any]], ...]  # the others: lists, dicts and messages, made for each call
    oneofs: tuple[schema.Field, ...]
    proto_plan: tuple[_ProtoStep, ...]  # for _read_message


_TABLES: dict[str, _Table] = {}
_IMMUTABLE = (str, int, float, type(None))


def _build_table(message: str) -> _Table:
    fields = schema.MESSAGES[message]
    readers = {f.name: _field_reader(f) for f in fields}
    defaults = {f.name: _default(f) for f in fields}
    constants = {name: made for name, make in defaults.items() if isinstance(made := make(), _IMMUTABLE)}
    taken_as_is: dict[str, tuple[Optional[type], frozenset[str]]] = {
        f.name: (None, frozenset()) if f.repeated or f.map_value else
        (None, frozenset(schema.ENUMS[f.type])) if f.is_enum else (_USUAL_TYPES.get(f.type), frozenset())
        for f in fields}
    table = _Table(fields, {name: _Member(f, f.name, readers[f.name], not f.hide_in_path, *taken_as_is[f.name])
                            for f in fields for name in (f.name, f.json_name)},
                   [f.json_name for f in fields] + [f.name for f in fields], defaults, constants,
                   tuple((name, make) for name, make in defaults.items() if name not in constants),
                   tuple(f for f in fields if f.oneof),
                   tuple(_ProtoStep(f, f.name, not f.hide_in_path, schema.ENUMS.get(f.type, ()), f.is_message)
                         for f in fields))
    return _TABLES.setdefault(message, table)


def decode_message(message: str, value: Any, loc: Loc, problems: Problems) -> dict[str, Any]:
    table = _TABLES.get(message) or _build_table(message)
    if type(value) is not dict and not isinstance(value, Mapping):
        if value is not None:
            problems.error(loc, "input.type", expected=f"an object ({message})", got=describe_type(value))
        return {name: default() for name, default in table.defaults.items()}
    decoded: dict[str, Any] = {}
    nulls: list[str] = []  # fields given as null: proto3 JSON's way of saying "the default"
    by_name = table.by_name
    for key, raw in value.items():
        found = by_name.get(key) if type(key) is str or isinstance(key, str) else None
        if found is None:
            hint = did_you_mean(key, table.names) if isinstance(key, str) else ""
            problems.error(loc + (str(key),), "input.unknown_field", message=message, suggestion=hint,
                                   fields=[f.name for f in table.fields])
            continue
        field, name, reader, named, usual, enum_names = found
        if name in decoded or (nulls and name in nulls):
            first = next(k for k in value if k != key and (other := by_name.get(k)) is not None and other.field is field)
            problems.error(loc + (name,), "input.duplicate_field", first=clipped_repr(first),
                                   second=clipped_repr(key))
        elif raw is None:
            nulls.append(name)
        elif type(raw) is usual or (type(raw) is str and raw in enum_names):  # the usual case, inline
            decoded[name] = raw
        else:
            decoded[name] = reader(raw, loc + (name,) if named else loc, problems)
    if table.oneofs and len(decoded) + len(nulls) > 1:
        _check_oneofs(table, set(decoded).union(nulls), loc, problems)
    if len(decoded) != len(table.defaults):
        filled = {**table.constants, **decoded}  # given values win
        for name, make in table.fresh:
            if name not in decoded:
                filled[name] = make()
        return filled
    return decoded


def _check_oneofs(table: _Table, seen: set[str], loc: Loc, problems: Problems) -> None:
    oneofs: dict[str, list[str]] = {}
    for f in table.oneofs:
        if f.name in seen:
            oneofs.setdefault(str(f.oneof), []).append(f.name)
    for group, members in oneofs.items():
        if len(members) > 1:
            problems.error(loc, "input.oneof", members=" and ".join(members), group=group)


def _read_message(msg: Any, message: str, loc: Loc, problems: Problems, budget: list[int]) -> dict[str, Any]:
    """A parsed message of ours -> the dict decode_message() makes of its JSON, without the JSON: protobuf has
    typed every value already; what is left to check is enum numbers it keeps open, empty map keys and how many
    values repeated fields hold (bounds.MAX_VALUES, as for any input). A twin of decode_message() kept for speed (no
    MessageToDict, no second bounds walk); test_input_forms holds the two to one answer for bytes damaged anywhere."""
    out: dict[str, Any] = {}
    table = _TABLES.get(message) or _build_table(message)
    for f, name, named, enum_names, is_message in table.proto_plan:
        if f.oneof and not msg.HasField(name):
            out[name] = None
            continue
        raw = getattr(msg, name)
        if not (f.repeated or f.map_value):  # the usual field: one value
            if is_message:
                out[name] = _read_message(raw, f.type, loc + (name,) if named else loc, problems, budget)
            elif enum_names:
                out[name] = enum_names[raw] if 0 <= raw < len(enum_names) else \
                    _decode_enum(f.type, raw, loc + (name,) if named else loc, problems)
            else:
                out[name] = raw
            continue
        here = loc + (name,) if named else loc
        budget[0] -= len(raw)
        if budget[0] < 0:
            problems.error(here, "input.too_many_values", reason="repeated", limit=bounds.MAX_VALUES)
            out[name] = table.defaults[name]()
        elif f.repeated:
            out[name] = [_read_single(f.type, item, here + (i,), problems, budget) for i, item in enumerate(raw)]
        else:
            entries = {}
            for key, item in raw.items():
                if not key:
                    problems.error(here + (str(key),), "input.map_key")
                    continue
                entries[key] = _read_single(f.type, item, here + (key,), problems, budget)
            out[name] = entries
    return out


def _read_single(type_name: str, raw: Any, loc: Loc, problems: Problems, budget: list[int]) -> Any:
    if type_name in schema.MESSAGES:
        return _read_message(raw, type_name, loc, problems, budget)
    if type_name in schema.ENUMS:  # proto3 keeps numbers it does not know
        return _decode_enum(type_name, raw, loc, problems)
    return raw


_SCALAR_DEFAULTS = {"double": 0.0, "int64": 0, "string": ""}


def _default(field: schema.Field) -> Callable[[], Any]:
    if field.repeated:
        return list
    if field.map_value:
        return dict
    if field.is_message and not field.oneof:
        return functools.partial(decode_message, field.type, None, (), Problems())
    constant = None if field.oneof else schema.ENUMS[field.type][0] if field.is_enum else _SCALAR_DEFAULTS[field.type]
    return lambda: constant  # immutable: shared safely


def _field_reader(field: schema.Field) -> Reader:
    single = _single_reader(field.type)
    if field.repeated:
        def repeated(raw: Any, loc: Loc, problems: Problems) -> Any:
            if not isinstance(raw, (list, tuple)):
                problems.error(loc, "input.type", expected="a list", got=describe_type(raw))
                return []
            return [single(item, loc + (i,), problems) for i, item in enumerate(raw)]
        return repeated
    if field.map_value:
        def entries(raw: Any, loc: Loc, problems: Problems) -> Any:
            if type(raw) is not dict and not isinstance(raw, Mapping):
                problems.error(loc, "input.type", expected=f"an object of name -> {field.type}",
                                       got=describe_type(raw))
                return {}
            out = {}
            for key, item in raw.items():
                if not (type(key) is str or isinstance(key, str)) or not key:
                    problems.error(loc + (str(key),), "input.map_key")
                    continue
                out[key] = single(item, loc + (key,), problems)
            return out
        return entries
    return single


def _single_reader(type_name: str) -> Reader:
    if type_name in schema.MESSAGES:
        return functools.partial(decode_message, type_name)
    if type_name in schema.ENUMS:
        by_name = {name: name for name in schema.ENUMS[type_name]}

        def enum(raw: Any, loc: Loc, problems: Problems) -> str:
            return by_name.get(raw) or _decode_enum(type_name, raw, loc, problems) if type(raw) is str \
                else _decode_enum(type_name, raw, loc, problems)
        return enum
    decode_scalar, usual = _SCALAR_DECODERS[type_name], _USUAL_TYPES[type_name]

    def scalar(raw: Any, loc: Loc, problems: Problems) -> Any:
        if type(raw) is usual:  # as the schema says: nothing to convert or refuse
            return raw
        return decode_scalar(raw, loc, problems)
    return scalar


def _decode_enum(enum: str, raw: Any, loc: Loc, problems: Problems) -> str:
    names = schema.ENUMS[enum]
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw < len(names):
        return names[raw]
    if isinstance(raw, str):
        for name in names:
            if raw.upper() == name:
                return name
        hint = did_you_mean(raw.upper(), names)
        problems.error(loc, "input.enum", reason="name", value=clipped_repr(raw), enum=enum,
                               suggestion=hint, allowed=list(names))
    else:
        problems.error(loc, "input.enum", reason="number", allowed=list(names), last=len(names) - 1,
                               got=describe_type(raw), value=clipped_repr(raw))
    return names[0]


def _double(raw: Any, loc: Loc, problems: Problems) -> float:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        try:
            return float(raw)
        except OverflowError:
            problems.error(loc, "input.type", reason="double_range")
            return 0.0
    if isinstance(raw, str):
        if raw in _PROTO3_JSON_FLOATS:
            return _PROTO3_JSON_FLOATS[raw]
        try:
            return float(raw.strip())
        except ValueError:
            pass
    _not_a(raw, "a number", loc, problems)
    return 0.0


def _int64(raw: Any, loc: Loc, problems: Problems) -> int:
    value: Any = None
    if isinstance(raw, bool):
        pass
    elif isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        value = int(raw)  # a Flyte Struct carries every number as a double: 100.0 means 100
    elif isinstance(raw, str):
        try:
            value = int(raw.strip())
        except ValueError:
            pass
    if value is None:
        _not_a(raw, "an integer", loc, problems)
        return 0
    if not INT64_MIN <= value <= INT64_MAX:
        problems.error(loc, "input.type", reason="int64_range")
        return 0
    return int(value)


def _string(raw: Any, loc: Loc, problems: Problems) -> str:
    if isinstance(raw, str):
        return raw
    _not_a(raw, "a string", loc, problems)
    return ""


def _not_a(raw: Any, expected: str, loc: Loc, problems: Problems) -> None:
    """A scalar field given a value of another type: a boolean is named as such (it is an int to Python)."""
    if isinstance(raw, bool):
        problems.error(loc, "input.type", reason="boolean", expected=expected)
    else:
        problems.error(loc, "input.type", reason="scalar", expected=expected, got=describe_type(raw),
                       value=clipped_repr(raw))


_SCALAR_DECODERS: dict[str, Reader] = {"double": _double, "int64": _int64, "string": _string}
# Values of these types are taken as they are; int64's (None: never) are always checked (range, text, floats).
_USUAL_TYPES: dict[str, type] = {"double": float, "int64": type(None), "string": str}
