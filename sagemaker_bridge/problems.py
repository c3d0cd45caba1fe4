"""Problems found on the way from Flyte's messages to a SageMaker request, and the errors that carry them."""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Union

from .wording import WORDING

Key = Union[str, int]
Loc = tuple[Key, ...]
Severity = Literal["error", "warning"]


MAX_ECHO = 60  # characters of a user's key or value quoted back in a message
MAX_SUGGESTED_WORD = 64  # "did you mean" compares only words this short (difflib is quadratic)


def printable(text: str, limit: int = MAX_ECHO) -> str:
    """A user's text as it can be shown on any terminal: clipped, lone surrogates and controls escaped."""
    clipped = text if len(text) <= limit else text[: limit - 3] + "..."
    if clipped.isprintable():
        return clipped
    return clipped.encode("unicode_escape", "backslashreplace").decode("ascii")


def format_loc(loc: Sequence[Key]) -> str:
    """`("config", "ranges", 0, "MinValue")` -> `config.ranges[0].MinValue`, like pydantic's loc but readable."""
    out = ""
    for key in loc:
        if isinstance(key, int) and not isinstance(key, bool):
            out += f"[{key}]"
        else:
            text = printable(str(key))
            out += f".{text}" if out else text
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error) or suspicious (warning): where (`loc`), what (a stable `code`), the facts (`ctx`: the
    value, the limit, the allowed values, the source...), and the sentence made of them, as pydantic's error list has
    loc, type, ctx and msg. A UI or a script reads the code and the facts; people read the message."""

    severity: Severity
    loc: Loc
    message: str
    code: str
    ctx: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def path(self) -> str:
        return format_loc(self.loc)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def line(self, within: str = "") -> str:
        """The one way a problem is printed: `path: message`; `within` a file, `file: path: message`, and a problem
        of the file as a whole `file: message`."""
        if within:
            return f"{within}: {self.path}: {self.message}" if self.loc else f"{within}: {self.message}"
        return f"{self.path or '<root>'}: {self.message}"

    def __str__(self) -> str:
        return f"{self.severity}: {self.line()}"

    def to_dict(self) -> dict[str, Any]:
        return {"severity": self.severity, "path": self.path, "message": self.message, "code": self.code,
                "ctx": dict(self.ctx)}


MAX_MESSAGE = 500  # characters: a message quotes a user's values, which can be megabytes


def report(severity: Severity, loc: Loc, code: str, **ctx: Any) -> Problem:
    """A problem worded from its code's sentence in wording.WORDING (`code/reason` when the facts give a reason),
    filled in with its facts; a list among them reads as its items joined by commas."""
    template = WORDING[f"{code}/{ctx['reason']}" if f"{code}/{ctx.get('reason')}" in WORDING else code]
    return Problem(severity, loc, printable(_filled(template, ctx), MAX_MESSAGE), code, ctx)


def _filled(template: str, facts: Mapping[str, Any]) -> str:
    return template.format(**{k: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v
                              for k, v in facts.items()})


@dataclass(frozen=True)
class Reason:
    """Why one value is refused, before anyone knows where it stands: a rule that judges a value (the XGBoost
    container's validators) returns one, or None for a value it takes, and its caller reports it at the value's
    place (as the problem's `reason`, `why` and `reason_facts`) or, in the local engine, fails a training job with
    it as the container would. Worded by WORDING's `why.<code>`."""

    code: str
    facts: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return _filled(WORDING[f"why.{self.code}"], self.facts)

    def as_facts(self) -> dict[str, Any]:
        return {"reason": self.code, "why": self.text, "reason_facts": dict(self.facts)}


def why(code: str, **facts: Any) -> Reason:
    return Reason(code, facts)


class Problems:
    """The one collector every check reports to: a location, a stable code and its facts, worded by report() from
    wording.WORDING. Threaded through decoding, the options, render, the three layers of checks, the way back and
    the local engine, so a problem is found one way wherever it is found.

    `stop_at_first_error`: a gate that needs only "any error?" (any_error()) stops the walk at the first error rather
    than wording every one; the stop is a BaseException, so no check's `except Exception` can swallow it."""

    __slots__ = ("_stop", "found")

    def __init__(self, found: Iterable[Problem] = (), *, stop_at_first_error: bool = False):
        self.found: list[Problem] = []
        self._stop = stop_at_first_error
        self.extend(found)

    def error(self, loc: Loc, code: str, **facts: Any) -> None:
        self.add(report("error", loc, code, **facts))

    def warning(self, loc: Loc, code: str, **facts: Any) -> None:
        self.add(report("warning", loc, code, **facts))

    def add(self, problem: Problem) -> None:
        self.found.append(problem)
        if self._stop and problem.is_error:
            raise _FirstError

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.found)

    def __len__(self) -> int:
        return len(self.found)

    def __bool__(self) -> bool:
        return bool(self.found)

    def __repr__(self) -> str:
        return f"Problems({self.found!r})"

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.found)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.found if p.is_error]

    def since(self, mark: int) -> list[Problem]:
        """What was reported after len() read `mark`: what one step of a longer walk found."""
        return self.found[mark:]


class _FirstError(BaseException):
    """Raised by a stop_at_first_error collector at its first error; caught only by any_error()."""


def any_error(check: Callable[[Problems], object]) -> bool:
    """Whether `check`, run on a fresh collector, reports an error; it stops at the first one found."""
    found = Problems(stop_at_first_error=True)
    try:
        check(found)
    except _FirstError:
        return True
    return found.has_errors


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean "x"?)' suffix when one of the choices is close, else '' (and '' for long words)."""
    if len(word) > MAX_SUGGESTED_WORD:
        return ""
    import difflib  # only when there is a word to suggest for: a dry run of a valid spec never needs it

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


class _ClippedRepr(reprlib.Repr):
    """reprlib's bounded repr (it never walks more than a few items of a few levels), safe for any int too."""

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 3000:  # str() of an int refuses more than 4300 digits
            return f"<an integer of about {int(x.bit_length() * 0.30103)} digits>"
        return super().repr_int(x, level)


_REPR = _ClippedRepr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother, _REPR.maxlong = 3, MAX_ECHO, MAX_ECHO, MAX_ECHO


def clipped_repr(value: object, limit: int = MAX_ECHO) -> str:
    """repr() short enough for a one-line message, however big or deep the value (a user's can be megabytes)."""
    try:
        text = _REPR.repr(value)
    except Exception:  # a user's object whose __repr__ fails
        text = f"<{type(value).__name__}>"
    text = printable(text, limit=10**6)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_type(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
            tuple: "a list", dict: "an object", bytes: "bytes"}.get(type(value), type(value).__name__)


class TranslationError(ValueError):
    """Raised by translate() with every error found; `problems` holds them all (warnings too)."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        errors = [p for p in self.problems if p.is_error]
        lines = "\n".join(f"  {p.line()}" for p in errors)
        noun = "error" if len(errors) == 1 else "errors"
        super().__init__(f"{len(errors)} {noun} in the tuning job:\n{lines}")

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)


class TranslationWarning(UserWarning):
    """A likely mistake that SageMaker would accept (a metric minimized that should be maximized, say)."""


def unique(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once, in the order first found (two checks may say the same thing at the same place)."""
    seen: set[tuple[str, Loc, str]] = set()
    out = []
    for p in problems:
        if (p.severity, p.loc, p.message) not in seen:
            seen.add((p.severity, p.loc, p.message))
            out.append(p)
    return out
