"""The command line's dry run in a fresh process, beside `python -c pass` from the same interpreter and run.

Wall time and peak RSS (read with wait4 for exactly that child) of `sagemaker-bridge translate` with a JSON spec and
a YAML spec, installed as a user installs it (the console script beside the interpreter; `python -m` when there is
none). The first run writes the cut of botocore's model to the cache (checks/service_model.py); it is measured
apart, with a cache folder of its own.
"""

from __future__ import annotations

import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
SPECS = {"JSON": "fixtures/custom-image.json", "YAML": "fixtures/xgboost-flytekit.yaml"}
STDLIB = "python -c 'import re, json, argparse, typing, dataclasses' (for scale: what the dry run needs of the stdlib)"


def command() -> list[str]:
    script = pathlib.Path(sys.executable).with_name("sagemaker-bridge")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sagemaker_bridge"]


GNU_TIME = "/usr/bin/time"  # its %M is the child's own peak; wait4 from here would count this process's memory too
# (Linux carries a process's high-water mark across fork and exec into the child's ru_maxrss).


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall milliseconds and peak RSS (MiB) of one fresh process."""
    measured = os.access(GNU_TIME, os.X_OK)
    with tempfile.NamedTemporaryFile("r") as report:
        full = [GNU_TIME, "-f", "%M", "-o", report.name, *cmd] if measured else cmd
        started = time.perf_counter()
        proc = subprocess.Popen(full, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = (time.perf_counter() - started) * 1000
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
        peak_kib = int(report.read().split()[-1]) if measured else usage.ru_maxrss
    return wall, peak_kib / 1024


def measure(repeat: int) -> dict[str, Any]:
    """Median wall and peak RSS of each command, the baseline's runs interleaved with theirs (a slow spell of the
    machine falls on both)."""
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as cache:
        env["SAGEMAKER_BRIDGE_CACHE_DIR"] = cache
        commands = {"python -c pass": [sys.executable, "-c", "pass"],
                    STDLIB: [sys.executable, "-c", "import re, json, argparse, typing, dataclasses"]}
        commands |= {f"translate ({kind} spec)": command() + ["translate", spec] for kind, spec in SPECS.items()}
        first = run_once(commands["translate (JSON spec)"], env)  # writes the cache: measured apart
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for cmd in commands.values():
            run_once(cmd, env)  # warm the page cache and .pyc files
        for _ in range(repeat):
            for name, cmd in commands.items():
                samples[name].append(run_once(cmd, env))
    rows = {name: {"wall_ms": statistics.median(w for w, _ in runs), "peak_rss_mib": max(r for _, r in runs)}
            for name, runs in samples.items()}
    base = rows["python -c pass"]
    for row in rows.values():
        row["wall_x"] = row["wall_ms"] / base["wall_ms"]
        row["rss_x"] = row["peak_rss_mib"] / base["peak_rss_mib"]
    return {"command": " ".join(command()), "rows": rows, "rss_by": "GNU time" if os.access(GNU_TIME, os.X_OK) else
            "wait4 (counts the benchmark's own memory too)",
            "first_run_ms": first[0], "first_run_rss_mib": first[1]}
