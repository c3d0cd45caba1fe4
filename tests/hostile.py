"""Hostile values for the property tests: anything JSON can hold, anything a Python caller may hand over, and the
way to put one anywhere in a request or spec. A helpers module, shared by the test modules that draw them."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

from hypothesis import strategies as st

scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
                    st.sampled_from(["NaN", "Infinity", "-1", "1e400", "XGBOOST", "REVERSELOGARITHMIC", "",
                                     "s3://b/x", "ml.m5.xlarge", "9" * 30]))
json_values = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)), max_leaves=20)

class OddMapping(Mapping[Any, Any]):
    """A Mapping that is not a dict, whose keys may be anything a caller's own class yields, even unhashable."""

    def __init__(self, pairs: list[tuple[Any, Any]]) -> None:
        self.pairs = pairs

    def __getitem__(self, key: Any) -> Any:
        for k, v in self.pairs:
            if k == key:
                return v
        raise KeyError(key)

    def __iter__(self) -> Iterator[Any]:
        return (k for k, _ in self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


odd_keys = st.one_of(st.text(max_size=8), st.integers(), st.none(), st.tuples(st.integers()),
                     st.lists(st.integers(), max_size=2))
python_values = st.recursive(  # what a Python caller (a connector, a notebook) may hand over: no JSON has these
    st.one_of(scalars, st.binary(max_size=8), st.just(object()), st.frozensets(st.integers(), max_size=3)),
    lambda children: st.one_of(st.lists(children, max_size=3), st.tuples(children),
                               st.dictionaries(st.text(max_size=8), children, max_size=3),
                               st.lists(st.tuples(odd_keys, children), max_size=3).map(OddMapping)),
    max_leaves=12)


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    value = copy.deepcopy(value)
    target = value
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return value


