"""Limits on what a caller or a spec file hands us, checked before anything walks, copies, encodes or prints it.

A YAML alias bomb is a few hundred bytes that stand for billions of values; a list can hold itself; a generator or a
memoryview cannot be copied; `10**5000` cannot be written as text; a lone surrogate cannot be encoded. Each would
otherwise surface as a hang or as an exception from deep inside. `check_plain_data` walks a value once, with an
explicit stack and a budget, so it never recurses, never expands more than MAX_VALUES values, and names the path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from .problems import Loc, Problem, Problems, clipped_repr, describe_type, report

MAX_DEPTH = 40  # levels of lists and objects; a CreateHyperParameterTuningJob request nests about 8 deep
MAX_VALUES = 100_000  # values as they would be written out, shared references and YAML aliases expanded
MAX_INT_BITS = 3_000  # about 900 digits; Python refuses to write ints of more than 4,300 digits as text
MAX_TEXT_BYTES = 10 * 1024 * 1024  # a spec file, or a message given as JSON text or bytes (a real one is a few KiB)
MAX_PROBLEMS = 20  # per value: enough to act on, never a flood

_SCALARS = (str, int, float, bool, type(None))


def check_plain_data(value: Any, found: Problems, loc: Loc = ()) -> bool:
    """Whether `value` is plain, bounded JSON-like data; what keeps it from being so is reported to `found`."""
    if plainly_bounded(value):
        return True
    mark = len(found)
    _explain(value, loc, found)
    return len(found) == mark


def plain_copy(value: Any) -> Any:
    """A copy of bounded plain data as JSON holds it: every Mapping a dict, every list or tuple a list. Only for a
    value check_plain_data() has passed (its depth and size are bounded)."""
    if isinstance(value, Mapping):
        return {k: plain_copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_copy(v) for v in value]
    return value


def plainly_bounded(value: Any) -> bool:
    """True when check_plain_data(value) would find nothing; fast, level by level, no paths built and no problems
    made. False may also mean "not sure" (a Mapping that is not a dict): check_plain_data() then decides and says
    where. A twin of _explain() kept for speed (nearly every input is plain); test_bounded_inputs holds the two to
    one answer."""
    level, depth, seen = [value], 0, 0
    while level:
        seen += len(level)
        if seen > MAX_VALUES or depth > MAX_DEPTH:
            return False
        below: list[Any] = []
        for item in level:
            of_type = type(item)
            if of_type is str:
                if not item.isascii() and _scalar_complaint(item):
                    return False
            elif of_type is dict:
                for key in item:
                    if (type(key) is not str or not key.isascii()) and _bad_key(key):
                        return False
                below += item.values()
            elif of_type is float or of_type is bool or item is None:
                pass
            elif of_type is list or of_type is tuple:
                below += item
            elif of_type is int:
                if item.bit_length() > MAX_INT_BITS:
                    return False
            else:  # anything else (a Mapping that is not a dict, a subclass...): _explain() decides
                return False
        level, depth = below, depth + 1
    return True


def _bad_key(key: Any) -> bool:
    return isinstance(key, (str, int)) and bool(_scalar_complaint(key))


def _explain(value: Any, loc: Loc, found: Problems) -> None:
    stack: list[tuple[Any, Loc]] = [(value, loc)]
    seen, start = 0, len(found)
    while stack and len(found) - start < MAX_PROBLEMS:
        item, here = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            where = here[: len(loc) + 1]
            found.error(where, "input.too_many_values", limit=MAX_VALUES)
            break
        if len(here) - len(loc) > MAX_DEPTH:
            found.error(here[: len(loc) + 8], "input.too_deep", limit=MAX_DEPTH)
            continue
        if isinstance(item, Mapping):
            for key, member in item.items():
                complaint = _scalar_complaint(key) if isinstance(key, (str, int)) else None
                if complaint:
                    found.error(here + (_key_text(key),), "input.bad_key", **complaint)
                    continue
                stack.append((member, here + (_key_text(key),)))
        elif isinstance(item, (list, tuple)):
            stack.extend((member, here + (i,)) for i, member in enumerate(item))
        elif isinstance(item, _SCALARS):
            complaint = _scalar_complaint(item)
            if complaint:
                found.error(here, "input.bad_value", **complaint)
        else:
            found.error(here, "input.not_plain_data", type=describe_type(item))


def _key_text(key: Any) -> str:
    """A path element for a mapping key; the key's own checks (a string, non-empty...) belong to the decoder."""
    return key if isinstance(key, str) else clipped_repr(key)


def _scalar_complaint(value: Any) -> Optional[dict[str, Any]]:
    """The reason and facts of a scalar no field can take; None (falsy) for the rest."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        return {"reason": "integer_too_large", "digits": int(value.bit_length() * 0.30103)}
    if isinstance(value, str) and not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            bad = value[exc.start:exc.end].encode("unicode_escape", "backslashreplace").decode("ascii")
            return {"reason": "lone_surrogate", "character": bad}
    return None


def check_text_size(size: int, loc: Loc, what: str, found: Problems) -> bool:
    """Whether a message given as JSON text or bytes is small enough to decode (MAX_TEXT_BYTES); if not, says so."""
    if size <= MAX_TEXT_BYTES:
        return True
    found.error(loc, "input.too_large", size=size, what=what, limit_mib=MAX_TEXT_BYTES // 1024 // 1024)
    return False


class DuplicateKey(ValueError):
    """A JSON object that gives one key twice (json.loads would keep the last without a word). It carries the problem;
    whoever knows where the text came from says so (a spec's file; a message's input, as input.json)."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.message)


def json_object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.loads' object_pairs_hook: a spec or message that says one thing twice is a mistake to name, not to guess."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKey(report("error", (), "input.duplicate_key", key=clipped_repr(key)))
        out[key] = value
    return out
