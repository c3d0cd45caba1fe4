"""Spec files for the command line: `job` and `config` (any proto3-JSON form) plus translate()'s keyword arguments.

YAML or JSON, from a path or `-` for standard input. Raw Flyte files (`--job FILE --config FILE`) may be JSON or
serialized protobuf. Flags override what the spec says.
"""

from __future__ import annotations

import json
import pathlib
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Optional

from ..bounds import MAX_TEXT_BYTES, DuplicateKey, check_plain_data, json_object_without_duplicates
from ..mapping.options import OPTION_NAMES, REQUIRED_OPTIONS
from ..problems import Problem, Problems, clipped_repr, printable, report

SPEC_KEYS = ("job", "config") + OPTION_NAMES


class SpecError(ValueError):
    """The spec cannot be used as given: every problem found, each at its place in the spec (`source`: the file)."""

    def __init__(self, problems: Iterable[Problem], source: str = ""):
        self.problems, self.source = tuple(problems), source
        super().__init__("\n".join(self.lines()))

    @classmethod
    def one(cls, source: str, code: str, **facts: Any) -> SpecError:
        return cls([report("error", (), code, **facts)], source)

    def lines(self) -> list[str]:
        return [p.line(within=self.source) for p in self.problems]


class UsageError(ValueError):
    """The command line names something unusable (a missing file, a malformed flag): exit code 2."""


def read_bytes(path: str) -> bytes:
    """A file or standard input, at most bounds.MAX_TEXT_BYTES: `translate /dev/zero` is refused, not read forever."""
    try:
        if path == "-":
            if sys.stdin is None:  # started with standard input closed (`... <&-`)
                raise UsageError("standard input is closed: give a spec file, or pipe one in")
            data = sys.stdin.buffer.read(MAX_TEXT_BYTES + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"{printable(path)}: cannot read it ({exc.strerror or exc})") from None
    if len(data) > MAX_TEXT_BYTES:
        raise SpecError.one(_source(path), "spec.too_large", limit_mib=MAX_TEXT_BYTES // 1024 // 1024)
    return data


def _source(path: str) -> str:
    return "standard input" if path == "-" else printable(path, 200)  # a file name is kept whole, however deep


def parse_document(data: bytes, source: str) -> Any:
    """JSON, else YAML (a superset; PyYAML is imported only for it). A key given twice is an error, and the result is
    bounded (bounds.py) before anything walks it: a YAML alias bomb is refused, not expanded."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpecError.one(source, "spec.not_text") from None
    try:
        document = json.loads(text, object_pairs_hook=json_object_without_duplicates)
    except DuplicateKey as exc:
        raise SpecError([exc.problem], source) from None
    except RecursionError:
        raise SpecError.one(source, "spec.too_deep") from None
    except ValueError:
        document = _yaml(text, source)
    found = Problems()
    if not check_plain_data(document, found):  # every one, a line each, as translate()'s problems are printed
        raise SpecError(found, source)
    return document


def _yaml(text: str, source: str) -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        """SafeLoader that refuses a key given twice (PyYAML keeps the last without a word)."""

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, (str, int, float, bool)):
                    continue  # a list as a key, say: PyYAML's own construct_mapping refuses what cannot be one
                if key in seen:
                    mark = key_node.start_mark
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {clipped_repr(key)} is given twice in one mapping (line {mark.line + 1}); "
                        "keep one", mark)
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    try:
        return yaml.load(text, Loader=Loader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:  # its problem ("found unhashable key"...) and where, not its context
        problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [""])[0]
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None and "(line " not in problem else ""
        raise SpecError.one(source, "spec.not_yaml", why=printable(problem + where, 200)) from None
    except RecursionError:
        raise SpecError.one(source, "spec.too_deep") from None
    except ValueError as exc:  # a constructor's own refusal, such as an integer of more than 4,300 digits
        raise SpecError.one(source, "spec.unreadable", why=printable(str(exc), 200)) from None


def load_spec(path: str, found: Optional[Problems] = None) -> dict[str, Any]:
    """The spec's keys it knows; the others are reported to `found`, or, without one, raised at once."""
    source = _source(path)
    spec = parse_document(read_bytes(path), source)
    if not isinstance(spec, Mapping):
        raise SpecError.one(source, "spec.not_a_mapping")
    unknown = [clipped_repr(k) for k in spec if k not in SPEC_KEYS]  # a user's key is clipped like any echo
    if unknown:
        here = Problems() if found is None else found
        here.error((), "spec.unknown_keys", keys=unknown, allowed=list(SPEC_KEYS))
        if found is None:
            raise SpecError(here, source)
    return {k: v for k, v in spec.items() if k in SPEC_KEYS}


def load_message_file(path: str) -> Any:
    """A raw Flyte message file: JSON text becomes a dict, anything else is passed on as protobuf bytes."""
    data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data
    if not text.lstrip().startswith(("{", "[")):
        return data  # protobuf bytes that happen to be valid UTF-8
    return parse_document(data, _source(path))


def parse_pairs(pairs: Sequence[str], flag: str) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"{flag} takes NAME=VALUE, got {clipped_repr(pair)}")
        out[name] = value
    return out


def build(spec_path: Optional[str], *, job: Optional[str] = None, config: Optional[str] = None,
          flags: Mapping[str, Any], local: bool = False) -> tuple[Any, Any, dict[str, Any]]:
    """(job, config, translate kwargs) from a spec and/or raw files, flags last. `local`: the spec's local paths
    (channels, output path) are relative to the spec file's directory; a flag's, to the current directory."""
    missing = Problems()  # every problem of the spec at once: unknown keys, the messages, translate()'s arguments
    spec = load_spec(spec_path, missing) if spec_path else {}
    if local and spec_path and spec_path != "-":
        _resolve_local_paths(spec, pathlib.Path(spec_path).absolute().parent)
    if job:
        spec["job"] = load_message_file(job)
    if config:
        spec["config"] = load_message_file(config)
    for key in ("job", "config"):
        if key not in spec:
            missing.error((key,), "spec.no_message", key=key)
    for key, value in flags.items():
        if value is None or value == {}:
            continue
        if isinstance(value, Mapping) and isinstance(spec.get(key), Mapping):
            value = {**spec[key], **value}  # --input and --static add to the spec's or replace by name
        spec[key] = value
    for name in REQUIRED_OPTIONS:  # translate() needs them: say which, and how to give each, not its TypeError
        if name not in spec:
            missing.error((name,), "spec.no_option", flag=FLAGS.get(name, name).replace("_", "-"))
    if missing:
        raise SpecError(missing, _source(spec_path) if spec_path else "")
    return spec.pop("job"), spec.pop("config"), spec


FLAGS = {"inputs": "input", "static_hyperparameters": "static"}  # a translate() argument -> its flag, where they differ


def _resolve_local_paths(spec: dict[str, Any], base: pathlib.Path) -> None:
    from ..local.paths import resolved

    if isinstance(spec.get("inputs"), Mapping):
        spec["inputs"] = {k: resolved(v, base) if isinstance(v, str) else v for k, v in spec["inputs"].items()}
    if isinstance(spec.get("output_path"), str):
        spec["output_path"] = resolved(spec["output_path"], base)
