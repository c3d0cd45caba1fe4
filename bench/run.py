"""Benchmarks: CLI cold start against `python -c pass`, and translate()/validate_request() speed and memory.

Run: python bench/run.py [--repeat N]   (prints a Markdown table; the README quotes it)
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time
import timeit
import tracemalloc
import warnings

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def run_once(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one fresh process, read with wait4 for exactly that child."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd} failed with {proc.returncode}")
    return wall, usage.ru_maxrss / 1024


def cold_start(repeat: int) -> list[tuple[str, float, float, float]]:
    python = sys.executable
    spec = "fixtures/xgboost-flytekit.yaml"
    commands = {
        "python -c pass": [python, "-c", "pass"],
        "python -c 'import boto3' (for scale)": [python, "-c", "import boto3"],
        "sagemaker-bridge translate (dry run)": [python, "-m", "sagemaker_bridge", "translate", spec],
        "sagemaker-bridge validate": [python, "-m", "sagemaker_bridge", "validate", spec],
        "sagemaker-bridge --help": [python, "-m", "sagemaker_bridge", "--help"],
    }
    rows = []
    for name, cmd in commands.items():
        run_once(cmd)  # warm the page cache and .pyc files
        samples = [run_once(cmd) for _ in range(repeat)]
        walls = [w for w, _ in samples]
        rows.append((name, statistics.median(walls) * 1000, min(walls) * 1000, max(r for _, r in samples)))
    return rows


def in_process(repeat: int) -> list[tuple[str, float, float]]:
    from conftest import load_spec, split_spec

    from sagemaker_bridge import translate, validate_request

    rows = []
    for name in ("xgboost-flytekit.yaml", "custom-image.json", "scaling-types.json", "hyperband-overrides.yaml"):
        job, config, kw = split_spec(load_spec(name))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            translate(job, config, **kw)  # first call loads botocore's model once per process
            seconds = min(timeit.repeat(lambda j=job, c=config, k=kw: translate(j, c, **k), number=200,
                                        repeat=repeat)) / 200
            tracemalloc.start()
            translate(job, config, **kw)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        rows.append((f"translate({name})", seconds * 1e6, peak / 1024))
    request = json.loads((ROOT / "fixtures/requests/sdk-multi-algorithm.json").read_text())
    seconds = min(timeit.repeat(lambda: validate_request(request), number=200, repeat=repeat)) / 200
    rows.append(("validate_request(sdk-multi-algorithm)", seconds * 1e6, 0.0))
    return rows


def first_call() -> float:
    code = ("import time,sys; sys.path[:0]=['.','tests']; from conftest import load_spec, split_spec; "
            "from sagemaker_bridge import translate; j,c,k=split_spec(load_spec('xgboost-flytekit.yaml')); "
            "t=time.perf_counter(); translate(j,c,**k); print(time.perf_counter()-t)")
    return float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; median of {args.repeat} fresh processes\n")
    print("| command | wall median (ms) | wall min (ms) | peak RSS (MiB) |\n|---|---:|---:|---:|")
    for name, median, low, rss in cold_start(args.repeat):
        print(f"| {name} | {median:.0f} | {low:.0f} | {rss:.1f} |")
    print(f"\nfirst translate() in a fresh process (loads botocore's SageMaker model): {first_call():.0f} ms\n")
    print("| in-process call | time per call (µs) | peak traced memory (KiB) |\n|---|---:|---:|")
    for name, micros, kib in in_process(max(3, args.repeat // 5)):
        print(f"| {name} | {micros:.0f} | {kib:.0f} |" if kib else f"| {name} | {micros:.0f} | - |")


if __name__ == "__main__":
    main()
