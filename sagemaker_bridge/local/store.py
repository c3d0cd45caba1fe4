"""The local engine's state: one SQLite database, shared by every process that uses the same directory.

SQLite in WAL mode lets the worker write while any number of readers (status, wait, the report, another
LocalSageMaker) read; each write is one short transaction, so a crash never leaves half of one. The directory is
`$SAGEMAKER_BRIDGE_LOCAL_DIR`, else `$XDG_CACHE_HOME/sagemaker-bridge/local` (`~/.cache/...`).
"""

from __future__ import annotations

import json
import os
import pathlib
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Optional

DIR_VARIABLE = "SAGEMAKER_BRIDGE_LOCAL_DIR"
SCHEMA = """
CREATE TABLE IF NOT EXISTS tuning_jobs (
    key TEXT PRIMARY KEY,              -- the name in lower case: SageMaker's names ignore case
    name TEXT NOT NULL,
    request TEXT NOT NULL,             -- the CreateHyperParameterTuningJob request, JSON
    status TEXT NOT NULL,
    failure_reason TEXT,
    created REAL NOT NULL,
    modified REAL NOT NULL,
    ended REAL,
    worker_pid INTEGER,
    heartbeat REAL,
    stop_requested INTEGER NOT NULL DEFAULT 0,
    completion TEXT                    -- TuningJobCompletionDetails, JSON
);
CREATE TABLE IF NOT EXISTS training_jobs (
    name TEXT PRIMARY KEY,
    tuning_key TEXT NOT NULL,
    number INTEGER NOT NULL,
    status TEXT NOT NULL,
    secondary TEXT NOT NULL,
    failure_reason TEXT,
    tuned TEXT NOT NULL,               -- the tuned hyperparameters, JSON, as text
    objective REAL,
    created REAL NOT NULL,
    started REAL,
    ended REAL,
    model TEXT,
    early_stopped INTEGER NOT NULL DEFAULT 0,
    curve TEXT NOT NULL DEFAULT '[]'   -- the objective metric round by round, JSON
);
CREATE INDEX IF NOT EXISTS training_by_tuning_job ON training_jobs (tuning_key, number);
"""


def local_dir() -> pathlib.Path:
    explicit = os.environ.get(DIR_VARIABLE)
    if explicit:
        return pathlib.Path(explicit)
    cache = os.environ.get("XDG_CACHE_HOME") or str(pathlib.Path.home() / ".cache")
    return pathlib.Path(cache) / "sagemaker-bridge" / "local"


@dataclass(frozen=True)
class TuningRow:
    key: str
    name: str
    request: dict[str, Any]
    status: str
    failure_reason: Optional[str]
    created: float
    modified: float
    ended: Optional[float]
    worker_pid: Optional[int]
    heartbeat: Optional[float]
    stop_requested: bool
    completion: Optional[dict[str, Any]]


@dataclass(frozen=True)
class TrainingRow:
    name: str
    tuning_key: str
    number: int
    status: str
    secondary: str
    failure_reason: Optional[str]
    tuned: dict[str, str]
    objective: Optional[float]
    created: float
    started: Optional[float]
    ended: Optional[float]
    model: Optional[str]
    early_stopped: bool
    curve: list[float]


class Store:
    def __init__(self, directory: pathlib.Path):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "jobs.sqlite"
        with self.connection() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # WAL: a commit survives a crash of any process; fsync at checkpoints
            db.execute("PRAGMA busy_timeout=30000")
            yield db
        finally:
            db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write, all or nothing; IMMEDIATE takes the write lock first, so two writers queue instead of failing."""
        with self.connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # tuning jobs

    def insert_tuning_job(self, name: str, request: Mapping[str, Any]) -> bool:
        """False when the name is taken (in any case)."""
        now = time.time()
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM tuning_jobs WHERE key = ?", (name.lower(),)).fetchone():
                return False
            db.execute("INSERT INTO tuning_jobs (key, name, request, status, created, modified) VALUES (?,?,?,?,?,?)",
                       (name.lower(), name, json.dumps(request), "InProgress", now, now))
        return True

    def tuning_job(self, name: str) -> Optional[TuningRow]:
        with self.connection() as db:
            row = db.execute(f"SELECT {_TUNING_COLUMNS} FROM tuning_jobs WHERE key = ?", (name.lower(),)).fetchone()
        return _tuning(row) if row else None

    def tuning_jobs(self) -> list[TuningRow]:
        with self.connection() as db:
            rows = db.execute(f"SELECT {_TUNING_COLUMNS} FROM tuning_jobs ORDER BY created DESC").fetchall()
        return [_tuning(r) for r in rows]

    def update_tuning_job(self, name: str, *, only_if_status: Optional[tuple[str, ...]] = None, **values: Any) -> bool:
        """Set columns (status, failure_reason, ended, worker_pid, heartbeat, stop_requested, completion); with
        `only_if_status`, only while the job is in one of them. True when a row changed."""
        if "completion" in values and values["completion"] is not None:
            values["completion"] = json.dumps(values["completion"])
        values["modified"] = time.time()
        columns = ", ".join(f"{k} = ?" for k in values)
        where, args = "key = ?", [name.lower()]
        if only_if_status:
            where += f" AND status IN ({', '.join('?' * len(only_if_status))})"
            args += list(only_if_status)
        with self.transaction() as db:
            changed = db.execute(f"UPDATE tuning_jobs SET {columns} WHERE {where}", [*values.values(), *args]).rowcount
        return bool(changed)

    # training jobs

    def insert_training_job(self, tuning_name: str, name: str, number: int, tuned: Mapping[str, str]) -> None:
        now = time.time()
        with self.transaction() as db:
            db.execute("INSERT INTO training_jobs (name, tuning_key, number, status, secondary, tuned, created, started)"
                       " VALUES (?,?,?,?,?,?,?,?)",
                       (name, tuning_name.lower(), number, "InProgress", "Training", json.dumps(dict(tuned)), now, now))

    def update_training_job(self, name: str, **values: Any) -> None:
        if "curve" in values:
            values["curve"] = json.dumps(values["curve"])
        columns = ", ".join(f"{k} = ?" for k in values)
        with self.transaction() as db:
            db.execute(f"UPDATE training_jobs SET {columns} WHERE name = ?", [*values.values(), name])

    def training_jobs(self, tuning_name: str) -> list[TrainingRow]:
        with self.connection() as db:
            rows = db.execute(f"SELECT {_TRAINING_COLUMNS} FROM training_jobs WHERE tuning_key = ? ORDER BY number",
                              (tuning_name.lower(),)).fetchall()
        return [_training(r) for r in rows]

    def training_job(self, name: str) -> Optional[TrainingRow]:
        with self.connection() as db:
            row = db.execute(f"SELECT {_TRAINING_COLUMNS} FROM training_jobs WHERE name = ?", (name,)).fetchone()
        return _training(row) if row else None

    def end_unfinished_training_jobs(self, tuning_name: str, status: str, secondary: str,
                                     reason: Optional[str]) -> None:
        with self.transaction() as db:
            db.execute("UPDATE training_jobs SET status = ?, secondary = ?, failure_reason = ?, ended = ? "
                       "WHERE tuning_key = ? AND status = 'InProgress'",
                       (status, secondary, reason, time.time(), tuning_name.lower()))


_TUNING_COLUMNS = ("key, name, request, status, failure_reason, created, modified, ended, worker_pid, heartbeat, "
                   "stop_requested, completion")
_TRAINING_COLUMNS = ("name, tuning_key, number, status, secondary, failure_reason, tuned, objective, created, started, "
                     "ended, model, early_stopped, curve")


def _tuning(row: tuple[Any, ...]) -> TuningRow:
    values = list(row)
    values[2] = json.loads(values[2])
    values[10] = bool(values[10])
    values[11] = json.loads(values[11]) if values[11] else None
    return TuningRow(*values)


def _training(row: tuple[Any, ...]) -> TrainingRow:
    values = list(row)
    values[6] = json.loads(values[6])
    values[12] = bool(values[12])
    values[13] = json.loads(values[13])
    return TrainingRow(*values)
