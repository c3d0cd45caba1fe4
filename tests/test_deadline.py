"""within(): a deadline for a whole call, on a bounded pool of reused threads (aws/deadline.py's contract)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from sagemaker_bridge.aws import DeadlineExceeded, deadline as module, within


def pool_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("sagemaker-bridge-call-")]


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Stalled calls wait on this; set at the end, so no thread stays stalled after the test."""
    event = threading.Event()
    yield event
    event.set()


def test_the_answer_or_the_exception_of_a_call_that_ends_in_time() -> None:
    assert within(time.monotonic() + 30, lambda: 42) == 42
    with pytest.raises(KeyError, match="boom"):
        within(time.monotonic() + 30, lambda: {}["boom"])


def test_no_deadline_runs_the_call_in_the_callers_thread() -> None:
    assert within(None, threading.current_thread) is threading.current_thread()


def test_a_deadline_already_past_runs_nothing() -> None:
    ran: list[int] = []
    with pytest.raises(DeadlineExceeded):
        within(time.monotonic() - 1, lambda: ran.append(1))
    assert ran == []


def test_a_stalled_call_ends_at_its_deadline_and_threads_are_bounded_and_reused(release: threading.Event) -> None:
    for _ in range(module.MAX_RUNNING * 2):  # more stalled calls than the pool has threads
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded):
            within(time.monotonic() + 0.05, release.wait)
        assert time.monotonic() - started < 5  # the deadline, not the call, decides (a loaded machine is slow)
    assert len(pool_threads()) <= module.MAX_RUNNING
    ran: list[int] = []  # every thread stalled: a new call waits its deadline out and never runs
    with pytest.raises(DeadlineExceeded):
        within(time.monotonic() + 0.05, lambda: ran.append(1))
    release.set()
    time.sleep(0.2)
    assert ran == []
    before = len(pool_threads())  # the released threads serve again, and no new one is started
    assert [within(time.monotonic() + 30, lambda i=i: i) for i in range(20)] == list(range(20))
    assert len(pool_threads()) == before
    assert all(t.daemon for t in pool_threads())  # an abandoned call never holds up the interpreter's exit
