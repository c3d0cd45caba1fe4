"""The benchmark: every figure of the README's performance section, each beside its baseline from the same run.

Run:  python bench/run.py            (or: tox -e bench; about 3 minutes)
      python bench/run.py --smoke    (CI: small sizes, few repeats; checks the output is whole, not the timings)
      python bench/run.py --json FILE  (the figures as JSON too)

Sections: translate()/validate() against the floor, interleaved, and warm beside the floor and botocore's
ParamValidator (inprocess.py), the command line's cold start against
`python -c pass` (coldstart.py), statuses() against moto server (polling.py), the local engine against a plain
Optuna + xgboost loop (local_engine.py), the report of 10,000 training jobs beside the SDK's analytics (report.py).
The faults campaign is apart: bench/faults.py. Timings are reported with their targets, never asserted: a shared
machine is too noisy for that. Call counts are exact, so a polling target that is missed fails the run.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(1, str(ROOT / "tests"))  # motoserver.py, shared with the tests

import coldstart  # noqa: E402
import inprocess  # noqa: E402
import local_engine  # noqa: E402
import polling  # noqa: E402
import report as report_bench  # noqa: E402

TRANSLATE_TARGET_X = 8  # translate() of the 10-range job, p50, against the floor
BYTES_TARGET_X = 1.3  # from protobuf bytes, against the same call from a dict
WALL_TARGET_X = {"JSON": 3, "YAML": 4}  # the dry run against `python -c pass`
RSS_TARGET_X = 2


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "not met"


def report(figures: dict[str, Any]) -> list[str]:
    out = [f"Python {sys.version.split()[0]} on {os.cpu_count()} cores; {figures['mode']} run.", ""]
    rows = figures["inprocess"]
    out += ["Interleaved call by call (the floor after each call, its caches cold):", "",
            "| call | form | ranges | p50 (µs) | p99 (µs) | floor p50 (µs) | × floor | target |",
            "|---|---|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        ratio = r["p50_us"] / r["floor_us"]
        target = ""
        if r["form"] == "dict" and r["ranges"] == 10:
            target = f"≤ {TRANSLATE_TARGET_X}×: {verdict(ratio, TRANSLATE_TARGET_X)}"
        if r["form"] == "bytes":
            vs_dict = r["p50_us"] / r["dict_us"]
            target = f"{vs_dict:.2f}× dict (≤ {BYTES_TARGET_X}×: {verdict(vs_dict, BYTES_TARGET_X)})"
        out.append(f"| {r['call']} | {r['form']} | {r['ranges']} | {r['p50_us']:.0f} | {r['p99_us']:.0f} | "
                   f"{r['floor_us']:.1f} | {ratio:.1f} | {target} |")
    w = figures["warm"]
    out += ["", f"The 10-range translate() warm: the fastest of {w['blocks']} blocks of {w['calls']} calls each, the "
                "blocks taking turns:", "", "| call | µs | translate() × |", "|---|---:|---:|"]
    for name, label in (("translate", "translate() with every check"), ("ParamValidator",
                        "botocore's ParamValidator on the finished request (boto3 runs it on every create call)"),
                        ("floor", "the floor, warm")):
        out.append(f"| {label} | {w['us'][name]:.1f} | {w['us']['translate'] / w['us'][name]:.2f} |")
    cold = figures["coldstart"]
    out += ["", f"Cold start of `{cold['command']}` (median of {figures['repeat']} runs each, interleaved; peak RSS by "
                f"{cold['rss_by']}):", "",
            "| command | wall (ms) | × python -c pass | peak RSS (MiB) | × | target |", "|---|---:|---:|---:|---:|---|"]
    for name, r in cold["rows"].items():
        kind = next((k for k in WALL_TARGET_X if k in name), None)
        target = (f"wall ≤ {WALL_TARGET_X[kind]}×: {verdict(r['wall_x'], WALL_TARGET_X[kind])}; "
                  f"RSS ≤ {RSS_TARGET_X}×: {verdict(r['rss_x'], RSS_TARGET_X)}") if kind else \
            "baseline" if name == "python -c pass" else ""
        out.append(f"| {name} | {r['wall_ms']:.0f} | {r['wall_x']:.1f} | {r['peak_rss_mib']:.1f} | {r['rss_x']:.2f} | "
                   f"{target} |")
    out += ["", f"The first run on a machine (it writes the cut of botocore's model to the cache): "
                f"{cold['first_run_ms']:.0f} ms, {cold['first_run_rss_mib']:.1f} MiB.", "",
            "| our jobs in flight | others in flight | calls, all in flight | ms | round after 1 in 10 ended | "
            "ms | next round | read_model=False on the ended | target |", "|---:|---:|---:|---:|---|---:|---|---|---|"]
    for r in figures["polling"]:
        target = f"≤ {polling.TARGET_CALLS}: {verdict(r['calls_all_in_flight'], polling.TARGET_CALLS)}" \
            if r["ours"] >= 1000 else ""
        out.append(f"| {r['ours']:,} | {r['others_in_flight']:,} | {sum(r['round1_calls'].values())} | "
                   f"{r['round1_ms']:.0f} | {_calls(r['round2_calls'])} | {r['round2_ms']:.0f} | "
                   f"{_calls(r['round3_calls'])} | {_calls(r['read_model_off_calls'])} | {target} |")
    local = figures["local"]
    out += ["", f"Local engine: {local['jobs']} training jobs of {local['rounds']} rounds on {local['rows']:,} rows "
                f"(fastest of {local['repeat']}, taking turns):", "",
            "| run | wall (s) | × plain loop | target |", "|---|---:|---:|---|",
            f"| plain Optuna + xgboost loop, 1 at a time | {local['plain_s']:.1f} | 1.00 | baseline |",
            f"| local engine, 1 at a time | {local['serial_s']:.1f} | {local['overhead_x']:.2f} | "
            f"≤ {local_engine.OVERHEAD_TARGET_X}×: {verdict(local['overhead_x'], local_engine.OVERHEAD_TARGET_X)} |",
            f"| local engine, 2 at a time | {local['parallel_s']:.1f} | {local['parallel_s'] / local['plain_s']:.2f} | "
            f"{local['speedup_x']:.2f}× faster than 1 at a time on {local['cores']} cores |",
            "", f"Same training jobs in the plain loop and the engine: {'yes' if local['same_training_jobs'] else 'NO'}."]
    big = figures["report"]
    ours, sdk = big["ours"], big["sdk"]
    out += ["", f"Reading a tuning job of {big['jobs']:,} training jobs (answers in process, through a real boto3 client):",
            "", "| reader | API calls | rows | read (ms) |", "|---|---:|---:|---:|",
            f"| sagemaker-bridge report (records and the table) | {ours['calls']} | {ours['rows']:,} | "
            f"{ours['read_s'] * 1000:.0f} |"]
    out.append(f"| SageMaker SDK HyperparameterTuningJobAnalytics.dataframe() | {sdk['calls']} | {sdk['rows']:,} | "
               f"{sdk['read_s'] * 1000:.0f} |" if "missing" not in sdk else f"| SageMaker SDK | {sdk['missing']} | | |")
    out += ["", f"The HTML report of it: {ours['html_mb']:.1f} MB, {ours['html_s']:.1f} s, the process's peak RSS "
                f"{ours['peak_rss_mib']:.0f} MiB ({ours['rss_growth_mib']:.0f} MiB more than before it)."]
    return out


def _calls(counts: dict[str, int]) -> str:
    short = {"ListHyperParameterTuningJobs": "List", "DescribeHyperParameterTuningJob": "Describe",
             "DescribeTrainingJob": "DescribeTrainingJob"}
    return ", ".join(f"{n} {short.get(op, op)}" for op, n in counts.items()) or "none"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="small sizes and few repeats: is every figure there?")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    repeat = 3 if args.smoke else 15
    figures: dict[str, Any] = {"mode": "smoke" if args.smoke else "full", "repeat": repeat}
    figures["inprocess"] = inprocess.measure(calls=30 if args.smoke else 2000)
    figures["warm"] = inprocess.warm(blocks=3 if args.smoke else 11, calls=20 if args.smoke else 200)
    figures["coldstart"] = coldstart.measure(repeat)
    steps = [(100, 0), (100, 400)] if args.smoke else [(100, 0), (1000, 0), (1000, 4000)]
    figures["polling"] = polling.measure(steps)
    figures["local"] = local_engine.measure(args.smoke)
    figures["report"] = report_bench.measure(args.smoke)
    print("\n".join(report(figures)))
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(figures, indent=1))
    # Exact figures are checked; timings are only reported (see the docstring).
    missed = [r for r in figures["polling"] if r["ours"] >= 1000 and r["calls_all_in_flight"] > polling.TARGET_CALLS]
    smoke_bound = [r for r in figures["polling"] if r["calls_all_in_flight"] > -(-r["ours"] // 100) + 1]
    if missed or smoke_bound:
        print(f"polling made more calls than its target: {missed or smoke_bound}", file=sys.stderr)
        return 1
    if figures["report"]["ours"]["calls"] != figures["report"]["jobs"] // 100 + 1:  # exact: one describe, 100 a page
        print(f"the report made {figures['report']['ours']['calls']} calls", file=sys.stderr)
        return 1
    if not figures["local"]["same_training_jobs"]:  # exact: the comparison is only fair on the same jobs
        print("the local engine and the plain loop did different training jobs", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
