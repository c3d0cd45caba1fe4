"""The HTML report: one self-contained file (plotly.js inlined: it opens offline), its pictures drawn by
`optuna.visualization` from the study of the tuning job (study.py), its tables and words from the same records as the
terminal summary (summary.py). A picture that cannot be drawn for this job says why in words, never a blank frame.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, Callable

from . import summary
from .data import TuningData
from .study import study

WEBGL_FROM = 1000  # points in a trace: from here on it is drawn with WebGL (Scattergl), which stays responsive


def _webgl(figure: Any) -> Any:
    import plotly.graph_objects as go

    for i, trace in enumerate(figure.data):
        if isinstance(trace, go.Scatter) and trace.x is not None and len(trace.x) >= WEBGL_FROM:
            figure.data = (*figure.data[:i], go.Scattergl(trace.to_plotly_json()), *figure.data[i + 1:])
    return figure


def _figures(data: TuningData, s: Any) -> list[tuple[str, Callable[[], Any], str]]:
    """(title, how to draw it, why it cannot be drawn, when it cannot) for each picture."""
    from optuna import visualization as v

    completed = sum(1 for t in s.trials if t.state.name == "COMPLETE")
    tuned = [r.name for r in data.ranges]
    none = "no training job has completed with an objective value yet"
    return [
        ("Objective of each training job, with the best so far", lambda: v.plot_optimization_history(s),
         none if not completed else ""),
        ("Objective against each hyperparameter (on its range's scale)", lambda: v.plot_slice(s),
         none if not completed else "no tuned hyperparameters" if not tuned else ""),
        ("Parallel coordinates", lambda: v.plot_parallel_coordinate(s), none if not completed else ""),
        ("Hyperparameter importance (Optuna's fANOVA)", lambda: v.plot_param_importances(s, evaluator=_evaluator()),
         "importance needs two completed training jobs and a tuned hyperparameter" if completed < 2 or not tuned else ""),
        ("Timeline of the training jobs (status, concurrency, early stops)", lambda: v.plot_timeline(s),
         "" if s.trials else "no training jobs yet"),
    ]


def _evaluator() -> Any:
    """fANOVA with a fixed seed (the same report for the same job), 16 trees of depth 8 (Optuna's default, 64 trees of
    depth 64, took 200 s of a 10,000-job report here, its trees fitting every job's noise)."""
    from optuna.importance import FanovaImportanceEvaluator

    return FanovaImportanceEvaluator(n_trees=16, max_depth=8, seed=0)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if c is None else str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(data: TuningData) -> str:
    import plotly.offline

    s = study(data)
    record = summary.summary(data)
    parts = [f"<h1>Tuning job {html.escape(data.name)}</h1>",
             "<pre class='summary'>" + html.escape("\n".join(summary.words(data))) + "</pre>",
             "<h2>Training jobs by status</h2>",
             _table(("status", "training jobs"), sorted(record["by_status"].items()) or [("none", 0)])]
    if record["top"]:
        parts += [f"<h2>Top {len(record['top'])}</h2>", _table(
            ("training job", data.metric, "status", "hyperparameters"),
            [(t["name"], f"{t['objective']:.6g}", t["status"],
              ", ".join(f"{k}={v}" for k, v in sorted(t["hyperparameters"].items()))) for t in record["top"]])]
    unfinished = [j for j in data.jobs if j.status in ("Failed", "Stopped")]
    if unfinished:  # shown apart, never dropped
        parts += ["<h2>Failed and stopped training jobs</h2>", _table(
            ("training job", "status", "stopped early", "reason"),
            [(j.name, j.status, "yes" if j.early_stopped else "", j.failure_reason) for j in unfinished])]
    for title, draw, why_not in _figures(data, s):
        parts.append(f"<h2>{html.escape(title)}</h2>")
        if why_not:
            parts.append(f"<p class='missing'>Not drawn: {html.escape(why_not)}.</p>")
            continue
        try:
            figure = _webgl(draw())
        except Exception as exc:  # Optuna refuses this study for that picture: say so, keep the others
            parts.append(f"<p class='missing'>Not drawn: {html.escape(str(exc) or type(exc).__name__)}.</p>")
            continue
        parts.append("<div class='figure'>" + figure.to_html(full_html=False, include_plotlyjs=False) + "</div>")
    return _PAGE.format(title=html.escape(data.name), plotly=plotly.offline.get_plotlyjs(), body="\n".join(parts))


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Tuning job {title}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1200px}} table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #ccc;padding:.2em .6em;text-align:left;font-size:90%}} .missing{{color:#a00}}
pre.summary{{background:#f6f6f6;padding:1em;white-space:pre-wrap}}</style>
<script type="text/javascript">{plotly}</script></head>
<body>
{body}
</body></html>
"""
