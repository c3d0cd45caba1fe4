"""A deadline for a whole call, retries and all: botocore's timeouts apply per attempt, and Flyte's RPCs have 10 s.

Contract of within(deadline, call):
- it returns call()'s value or raises its exception when call() ends before `deadline` (a time.monotonic() value;
  None: no deadline, call() runs in the caller's thread);
- otherwise it raises DeadlineExceeded at the deadline, and call() goes on in the background: its answer, or its
  exception, is dropped. The caller must treat the call's effect as unknown (a create may still land: submit() by
  name is idempotent for this reason);
- calls run in one shared pool of at most MAX_RUNNING threads, so a stalled endpoint cannot make a thread per call: a
  call waiting for a free thread still ends at its deadline. The calls given must end by themselves (botocore's own
  connect and read timeouts times its attempts bound every SageMaker call: aws/client.py TIMEOUT_SETTINGS), so a
  stalled call holds its thread for that long at most;
- the threads are daemons: a process that exits does not wait for an abandoned call.
"""

from __future__ import annotations

import queue
import threading
import time
from concurrent.futures import Future, TimeoutError as FutureTimeout
from typing import Any, Callable, Optional, TypeVar

T = TypeVar("T")
MAX_RUNNING = 8  # calls at once: a connector's few operations in flight, with room for some that stalled


class DeadlineExceeded(TimeoutError):
    """within(): the call did not return before the deadline (it may still finish, unseen)."""


class _Pool:
    """At most MAX_RUNNING daemon threads, started as calls need them and reused. concurrent.futures' own pool joins
    its threads at interpreter exit, which a stalled call would hold up; these are never joined."""

    def __init__(self, size: int) -> None:
        self.size, self.idle, self.threads = size, 0, 0
        self.work: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = queue.SimpleQueue()
        self.lock = threading.Lock()

    def submit(self, call: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        with self.lock:
            if self.idle == 0 and self.threads < self.size:
                self.threads += 1
                threading.Thread(target=self._serve, name=f"sagemaker-bridge-call-{self.threads}", daemon=True).start()
            else:
                self.idle = max(0, self.idle - 1)
        self.work.put((call, future))
        return future

    def _serve(self) -> None:
        while True:
            call, future = self.work.get()
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(call())
                except BaseException as exc:  # handed to the caller's thread
                    future.set_exception(exc)
            with self.lock:
                self.idle += 1


_POOL = _Pool(MAX_RUNNING)


def within(deadline: Optional[float], call: Callable[[], T]) -> T:
    if deadline is None:
        return call()
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded
    future = _POOL.submit(call)
    try:
        return future.result(timeout=left)
    except FutureTimeout:
        future.cancel()  # not started yet (every thread busy): it never will be
        raise DeadlineExceeded from None
