"""Reading a request that may be any shape: the rules run beside layer 1, so a part of the wrong type reads as empty
(layer 1 reports it) instead of raising. Exact type checks first: most requests are plain dicts and lists."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_EMPTY: Mapping[str, Any] = {}


def mapping(value: Any) -> Mapping[str, Any]:
    return value if type(value) is dict or isinstance(value, Mapping) else _EMPTY


def items(value: Any) -> list[Any] | tuple[Any, ...]:
    return value if type(value) is list or isinstance(value, (list, tuple)) else ()
