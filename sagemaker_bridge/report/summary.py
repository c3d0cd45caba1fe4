"""The report's records: the table (the SageMaker SDK's analytics DataFrame columns, plus a few), and the summary a
user reads first: counts, the best job, the top jobs, whether the search still improved, where the top jobs lie."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Optional

from .data import Range, TrainingJob, TuningData, number

TOP = 10
EDGE = 0.1  # the outer tenth of a range, on its own scale
LAST_PART = 0.25  # "still improving": the best-so-far moved in the last quarter of the jobs


def best_so_far(data: TuningData) -> list[Optional[float]]:
    """After each job (in the order they started), the best objective of it and the jobs before it."""
    out: list[Optional[float]] = []
    best: Optional[float] = None
    for job in data.jobs:
        if job.objective is not None and (best is None or data.better(job.objective, best)):
            best = job.objective
        out.append(best)
    return out


def _typed(text: str) -> Any:
    """As the SDK's analytics do: a number where the text is one (float()), else the text."""
    try:
        return float(text)
    except ValueError:
        return text


def table(data: TuningData) -> list[dict[str, Any]]:
    """One row per training job: HyperparameterTuningJobAnalytics.dataframe()'s columns, then FailureReason,
    EarlyStopped and BestSoFar."""
    names = sorted({r.name for r in data.ranges} | {k for j in data.jobs for k in j.tuned})
    rows = []
    for job, best in zip(data.jobs, best_so_far(data)):
        row: dict[str, Any] = {name: _typed(job.tuned[name]) if name in job.tuned else None for name in names}
        row.update({"TrainingJobName": job.name, "TrainingJobStatus": job.status, "FinalObjectiveValue": job.objective,
                    "TrainingStartTime": job.started, "TrainingEndTime": job.ended,
                    "TrainingElapsedTimeSeconds": job.elapsed})
        if job.definition is not None:
            row["TrainingJobDefinitionName"] = job.definition
        row.update({"FailureReason": job.failure_reason, "EarlyStopped": job.early_stopped, "BestSoFar": best})
        rows.append(row)
    return rows


def ranked(data: TuningData) -> list[TrainingJob]:
    scored = [j for j in data.jobs if j.objective is not None]
    return sorted(scored, key=lambda j: -(j.objective or 0.0) if data.maximize else (j.objective or 0.0))


@dataclass(frozen=True)
class Placement:
    """Where the top jobs' values lie in one range."""

    name: str
    text: str
    near_edge: Optional[str] = None  # "MinValue" or "MaxValue": widen it


def _position(r: Range, value: float) -> Optional[float]:
    if r.low is None or r.high is None or r.high <= r.low:
        return None
    if r.log and value > 0:
        return (math.log(value) - math.log(r.low)) / (math.log(r.high) - math.log(r.low))
    return (value - r.low) / (r.high - r.low)


def placements(data: TuningData, top: Sequence[TrainingJob]) -> list[Placement]:
    out = []
    for r in data.ranges:
        values = [j.tuned[r.name] for j in top if r.name in j.tuned]
        if not values:
            out.append(Placement(r.name, "no top job has a value"))
            continue
        if r.kind == "categorical":
            counts = Counter(values).most_common()
            out.append(Placement(r.name, ", ".join(f"{v} ({n})" for v, n in counts)))
            continue
        positions = [p for v in values if (n := number(v)) is not None and (p := _position(r, n)) is not None]
        if not positions:
            out.append(Placement(r.name, "values not within a numeric range"))
            continue
        low, high = sum(p <= EDGE for p in positions), sum(p >= 1 - EDGE for p in positions)
        shown = [number(v) for v in values]
        text = f"{min(v for v in shown if v is not None):g} to {max(v for v in shown if v is not None):g}"
        edge = "MaxValue" if high * 2 > len(positions) else "MinValue" if low * 2 > len(positions) else None
        if edge:
            text += (f": {max(high, low)} of {len(positions)} top jobs in the {'upper' if edge == 'MaxValue' else 'lower'}"
                     f" tenth of the range; consider widening {edge}")
        out.append(Placement(r.name, text, edge))
    return out


def summary(data: TuningData) -> dict[str, Any]:
    """What the terminal summary and --json say, as a record."""
    statuses = Counter(j.status for j in data.jobs)
    top = ranked(data)[:TOP]
    history = best_so_far(data)
    finished = [b for b in history if b is not None]
    cut = math.ceil(len(history) * (1 - LAST_PART))
    improving = bool(finished) and any(b is not None and (history[i - 1] is None or b != history[i - 1])
                                       for i, b in enumerate(history) if i >= max(cut, 1))
    return {
        "name": data.name, "status": data.status, "strategy": data.strategy, "metric": data.metric,
        "direction": "Maximize" if data.maximize else "Minimize", "training_jobs": len(data.jobs),
        "max_training_jobs": data.max_jobs, "by_status": dict(sorted(statuses.items())),
        "early_stopped": sum(j.early_stopped for j in data.jobs),
        "with_objective": sum(j.objective is not None for j in data.jobs), "failure_reason": data.failure_reason,
        "best": None if not top else {"name": top[0].name, "objective": top[0].objective, "hyperparameters": dict(top[0].tuned)},
        "top": [{"name": j.name, "objective": j.objective, "status": j.status, "hyperparameters": dict(j.tuned)} for j in top],
        "improved_in_last_quarter": improving,
        "placements": [{"name": p.name, "top_jobs": p.text, "near_edge": p.near_edge} for p in placements(data, top)],
        "failures": dict(Counter(j.failure_reason.split(":", 1)[0] or "no reason" for j in data.jobs if j.status == "Failed")),
    }


def to_csv(data: TuningData) -> str:
    rows = table(data)
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()})
    return out.getvalue()


def words(data: TuningData) -> list[str]:
    """The summary, as a user reads it in a terminal; every case (no jobs, no objective, still running) in words."""
    s = summary(data)
    lines = [f"tuning job {s['name']}: {s['status']}, {s['strategy']}, {s['direction'].lower()} {s['metric']}"]
    if s["failure_reason"]:
        lines.append(f"reason: {s['failure_reason']}")
    counts = ", ".join(f"{n} {status}" for status, n in s["by_status"].items()) or "none yet"
    total = f" of {s['max_training_jobs']}" if s["max_training_jobs"] else ""
    lines.append(f"training jobs: {s['training_jobs']}{total} ({counts}; {s['early_stopped']} stopped early)")
    if s["status"] == "InProgress":
        lines.append("the job is still running: this report shows the training jobs so far")
    for reason, n in s["failures"].items():
        lines.append(f"failed: {n} ({reason})")
    if s["best"] is None:
        lines.append("no training job has reported an objective value yet" if s["training_jobs"] else
                     "no training job has started yet")
        return lines
    best = s["best"]
    lines.append(f"best: {best['name']} {s['metric']}={best['objective']:.6g}")
    lines.append("hyperparameters: " + (", ".join(f"{k}={v}" for k, v in sorted(best["hyperparameters"].items())) or "none"))
    lines.append("the best so far " + ("still improved in the last quarter of the jobs: more jobs may help"
                                        if s["improved_in_last_quarter"] else
                                        "did not improve in the last quarter of the jobs"))
    lines.append("")
    lines.append(f"top {len(s['top'])}:")
    width = max(len(t["name"]) for t in s["top"])
    for t in s["top"]:
        tuned = " ".join(f"{k}={v}" for k, v in sorted(t["hyperparameters"].items()))
        lines.append(f"  {t['name']:<{width}}  {t['objective']:<10.6g} {t['status']:<9} {tuned}")
    lines.append("")
    lines.append(f"where the top {len(s['top'])} lie:")
    for p in s["placements"]:
        lines.append(f"  {p['name']}: {p['top_jobs']}")
    return lines
