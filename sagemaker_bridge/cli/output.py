"""What the command line prints: requests, problems, tables, live progress and the final summary."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Optional, TextIO

from ..problems import Problem

if TYPE_CHECKING:
    from ..aws.job_status import JobStatus


def dump(data: Any, fmt: str) -> str:
    if fmt == "yaml":
        import yaml

        return str(yaml.safe_dump(data, sort_keys=False, default_flow_style=False, allow_unicode=True))
    return json.dumps(data, indent=2, default=str) + "\n"


def problem_lines(problems: Iterable[Problem]) -> list[str]:
    return [f"{p.severity:<7} {p.line()}" for p in problems]


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    return "\n".join(lines) + "\n"


def jobs_done(st: JobStatus) -> str:
    done = st.training_jobs.finished
    return f"{done}/{st.max_training_jobs}" if st.max_training_jobs else str(done)


def best_objective(st: JobStatus) -> str:
    best = st.best_training_job
    if best is None or best.objective_value is None:
        return "-"
    return f"{best.metric_name or 'objective'}={best.objective_value:.6g}"


def elapsed(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """A live bar on a terminal; plain lines (one per change) when stderr is a file or a pipe."""

    WIDTH = 24

    def __init__(self, stream: Optional[TextIO] = None, started: Optional[float] = None):
        self.stream: TextIO = sys.stderr if stream is None else stream  # the stderr of the call, not of the import
        self.started = time.monotonic() if started is None else started
        self.live = hasattr(self.stream, "isatty") and self.stream.isatty()

    def __call__(self, st: JobStatus) -> None:
        took = elapsed(time.monotonic() - self.started)
        counts = f"{jobs_done(st)} training jobs"
        if self.live:
            total = st.max_training_jobs or 0
            done = st.training_jobs.finished
            filled = int(self.WIDTH * min(done / total, 1)) if total else 0
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.stream.write(f"\r[{bar}] {counts}  best {best_objective(st)}  {took}  {st.status}\x1b[K")
            if st.terminal:
                self.stream.write("\n")
        else:
            self.stream.write(f"{st.status}: {counts} done, best {best_objective(st)}, {took} elapsed\n")
        self.stream.flush()


def summary(st: JobStatus) -> str:
    best = st.best_training_job
    rows = [("job", st.name), ("status", f"{st.status} ({st.phase})")]
    if st.message:
        rows.append(("reason", st.message))
    rows += [("progress", st.progress())]
    if best is not None:
        rows += [("best job", best.name), ("objective", best_objective(st))]
        if best.tuned_hyperparameters:
            rows.append(("hyperparameters", ", ".join(f"{k}={v}" for k, v in sorted(best.tuned_hyperparameters.items()))))
    if st.model_uri:
        rows.append(("model", st.model_uri))
    if st.console_url:
        rows.append(("console", st.console_url))
    width = max(len(k) for k, _ in rows)
    return "".join(f"{k + ':':<{width + 1}} {v}\n" for k, v in rows)


def raised_by_moto(exc: BaseException) -> bool:
    """The embedded mock (moto) lacks the operation: its own NotImplementedError, raised in its code, and no other."""
    import pathlib
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    return isinstance(exc, NotImplementedError) and bool(frames) and "moto" in pathlib.PurePath(frames[-1].filename).parts


def silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush at exit does not fail on the closed pipe too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a real file (captured, in-process)
        pass
