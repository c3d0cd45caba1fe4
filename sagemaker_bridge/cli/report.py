"""`sagemaker-bridge report NAME`: how a tuning job's search went, in the terminal, as CSV or JSON, as one HTML file,
or as an Optuna study; from AWS, --local, or saved AWS CLI output (--from and --training-jobs)."""

from __future__ import annotations

import argparse
import pathlib
import sys
from typing import Any

from . import output as cli_output
from .connect import aws_args
from .specs import UsageError


def report_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", nargs="?", help="the tuning job")
    p.add_argument("--html", metavar="FILE", help="write the report as one HTML file that opens offline")
    p.add_argument("--csv", metavar="FILE", help="write one row per training job (the SageMaker SDK's analytics "
                                                 "columns, plus FailureReason, EarlyStopped and BestSoFar)")
    p.add_argument("--json", action="store_true", help="print the summary and the rows as JSON instead of text")
    p.add_argument("--optuna-storage", metavar="URL", help="write the job as an Optuna study to this storage "
                                                           "(sqlite:///tuning.db), for optuna-dashboard")
    p.add_argument("--from", dest="from_file", metavar="DESCRIBE.json",
                   help="instead of a name: the output of `aws sagemaker describe-hyper-parameter-tuning-job`")
    p.add_argument("--training-jobs", action="append", default=[], metavar="LIST.json",
                   help="with --from: the output of `aws sagemaker list-training-jobs-for-hyper-parameter-tuning-job` "
                        "(repeatable, a page per file)")
    aws_args(p)


class _Pages:
    """A counter on stderr while a long listing pages: live on a terminal, a line per 10 pages otherwise."""

    def __init__(self) -> None:
        self.live, self.pages = sys.stderr.isatty(), 0

    def __call__(self, listed: int) -> None:
        self.pages += 1
        if self.live:
            sys.stderr.write(f"\rlisted {listed:,} training jobs\x1b[K")
        elif self.pages % 10 == 0:
            sys.stderr.write(f"listed {listed:,} training jobs\n")

    def done(self) -> None:
        if self.live and self.pages:
            sys.stderr.write("\n")


def cmd_report(args: argparse.Namespace) -> int:
    from ..report import data as report_data, summary

    if bool(args.name) == bool(args.from_file):
        raise UsageError("give a tuning job name, or --from DESCRIBE.json with --training-jobs LIST.json")
    if args.from_file:
        if not args.training_jobs:
            raise UsageError("--from needs --training-jobs LIST.json (the listing of its training jobs)")
        found = report_data.from_files(args.from_file, args.training_jobs)
    else:
        from .connect import connect

        pages = _Pages()
        with connect(args) as (client, _):
            found = report_data.from_client(args.name, client, on_page=pages)
        pages.done()
    written = []
    if args.csv:
        pathlib.Path(args.csv).write_text(summary.to_csv(found))
        written.append(f"csv: {args.csv}")
    if args.html:
        from ..report.html import render

        pathlib.Path(args.html).write_text(render(found), encoding="utf-8")
        written.append(f"html: {args.html}")
    if args.optuna_storage:
        from ..report.study import study

        study(found, args.optuna_storage)
        written.append(f"optuna study {found.name!r}: {args.optuna_storage} (optuna-dashboard {args.optuna_storage})")
    if args.json:
        record: dict[str, Any] = {"summary": summary.summary(found), "rows": summary.table(found)}
        sys.stdout.write(cli_output.dump(record, "json"))
    elif not written:
        sys.stdout.write("\n".join(summary.words(found)) + "\n")
    for line in written:
        print(line, file=sys.stderr if args.json else sys.stdout)
    return 0
