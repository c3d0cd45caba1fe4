"""Spec files for the command line: `job` and `config` (any proto3-JSON form) plus translate()'s keyword arguments.

YAML or JSON, from a path or `-` for standard input. Raw Flyte files (`--job FILE --config FILE`) may be JSON or
serialized protobuf. Flags override what the spec says.
"""

from __future__ import annotations

import json
import pathlib
import sys
from collections.abc import Mapping, Sequence
from typing import Any, Optional

from ..mapping.options import OPTION_NAMES

SPEC_KEYS = ("job", "config") + OPTION_NAMES


class SpecError(ValueError):
    """The spec cannot be used as given; the message says why and where."""


class UsageError(SpecError):
    """The command line names something unusable (a missing file, a malformed flag): exit code 2."""


def read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return pathlib.Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror or exc})") from None


def parse_document(data: bytes, source: str) -> Any:
    """JSON, else YAML (a superset; PyYAML is imported only for it)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpecError(f"{source}: not text (YAML or JSON expected)") from None
    try:
        return json.loads(text)
    except ValueError:
        pass
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SpecError(f"{source}: neither JSON nor YAML ({str(exc).splitlines()[0]})") from None


def load_spec(path: str) -> dict[str, Any]:
    spec = parse_document(read_bytes(path), "standard input" if path == "-" else path)
    if not isinstance(spec, Mapping):
        raise SpecError(f"{path}: a spec is a mapping with keys job, config, job_name, role_arn, ...")
    unknown = [str(k) for k in spec if k not in SPEC_KEYS]
    if unknown:
        raise SpecError(f"{path}: unknown key(s) {', '.join(unknown)}; a spec may hold {', '.join(SPEC_KEYS)}")
    return dict(spec)


def load_message_file(path: str) -> Any:
    """A raw Flyte message file: JSON text becomes a dict, anything else is passed on as protobuf bytes."""
    data = read_bytes(path)
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return data


def parse_pairs(pairs: Sequence[str], flag: str) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"{flag} takes NAME=VALUE, got {pair!r}")
        out[name] = value
    return out


def build(spec_path: Optional[str], *, job: Optional[str] = None, config: Optional[str] = None,
          flags: Mapping[str, Any]) -> tuple[Any, Any, dict[str, Any]]:
    """(job, config, translate kwargs) from a spec and/or raw files, flags last."""
    spec = load_spec(spec_path) if spec_path else {}
    if job:
        spec["job"] = load_message_file(job)
    if config:
        spec["config"] = load_message_file(config)
    for key in ("job", "config"):
        if key not in spec:
            raise SpecError(f"no {key}: give a spec with a {key!r} key, or --{key} FILE")
    for key, value in flags.items():
        if value is None or value == {}:
            continue
        if key == "inputs" and isinstance(spec.get("inputs"), Mapping):
            value = {**spec["inputs"], **value}  # --input adds or replaces channels
        spec[key] = value
    return spec.pop("job"), spec.pop("config"), spec
