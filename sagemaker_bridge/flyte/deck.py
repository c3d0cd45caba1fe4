"""The tuning report as the task's Flyte Deck: `<output prefix>/deck.html`, which Propeller shows as the task's Deck
while it runs and at the end when the template says `generates_deck` (flytekit: `enable_deck=True`).

Source: flyteorg/flyte v1.16.8, flytepropeller `ioutils/paths.go` (deckSuffix) and `nodes/task/handler.go` (the deck
URI is checked at terminal phases). Written through flytekit's own file access, so any blob store Flyte uses works.
Refreshed at most once a minute per job while it runs, and once at its end: the cost is the listing, 100 training
jobs a call. A deck that cannot be written is logged: get() must not fail for it (Propeller counts every error).
"""

from __future__ import annotations

import logging
import pathlib
import tempfile
import threading
import time
from typing import Any

log = logging.getLogger("sagemaker_bridge.flyte")
DECK_NAME = "deck.html"
REFRESH_SECONDS = 60.0


class Decks:
    """When each job's deck was last written, in this connector process (a replica that has not written one yet
    writes it at its first get(): at most one extra listing per replica)."""

    def __init__(self) -> None:
        self._written: dict[str, float] = {}
        self._ended: set[str] = set()
        self._lock = threading.Lock()

    def due(self, job: str, terminal: bool) -> bool:
        with self._lock:
            if job in self._ended:
                return False
            if terminal:
                self._ended.add(job)
                return True
            last = self._written.get(job)
            if last is not None and time.monotonic() - last < REFRESH_SECONDS:
                return False
            self._written[job] = time.monotonic()
            return True

    def write(self, client: Any, job: str, prefix: str, terminal: bool) -> None:
        """While the job runs, in the background (get() answers within its deadline); at its end, before get()
        reports the end (a local run's process may exit right after)."""
        if not prefix or not self.due(job, terminal):
            return
        if terminal:
            self._write(client, job, prefix)
        else:
            threading.Thread(target=self._write, args=(client, job, prefix), name=f"deck-{job}", daemon=True).start()

    def _write(self, client: Any, job: str, prefix: str) -> None:
        try:
            from ..report.data import from_client
            from ..report.html import render

            page = render(from_client(job, client))
            target = f"{prefix.rstrip('/')}/{DECK_NAME}"
            with tempfile.TemporaryDirectory() as work:
                local = pathlib.Path(work) / DECK_NAME
                local.write_text(page, encoding="utf-8")
                _put(str(local), target)
            log.info("tuning job %s: deck written to %s", job, target)
        except Exception as exc:  # the phase stands; the next refresh (or the end) tries again
            log.warning("tuning job %s: could not write its deck: %s", job, exc)
            with self._lock:
                self._ended.discard(job)
                self._written.pop(job, None)


def _put(local: str, remote: str) -> None:
    from flytekit.core.context_manager import FlyteContextManager

    FlyteContextManager.current_context().file_access.put_data(local, remote)
