"""sagemaker-bridge: dry-run, validate, submit and watch SageMaker tuning jobs described by Flyte's messages.

Exit codes: 0 ok, 1 invalid spec or the job failed, 2 usage, 3 AWS or network error.
"""

from __future__ import annotations

import argparse
import math
import sys
import warnings
from collections.abc import Sequence
from typing import Any, Callable, Optional

from .. import __version__
from ..mapping import translate, validate, validate_request
from ..problems import TranslationError
from ..vocabulary import NOT_FOUND, PHASES
from . import output as cli_output, specs
from .connect import aws_args, connect
from .report import cmd_report, report_flags

OK, INVALID, USAGE, AWS = 0, 1, 2, 3
SIGPIPE_EXIT = 141  # what a shell reports for a tool ended by a closed pipe (128 + SIGPIPE)
STATUSES = tuple(s for s in PHASES if s != NOT_FOUND)  # SageMaker's HyperParameterTuningJobStatus values
SPEC_EXAMPLE = "fixtures/xgboost-flytekit.yaml"
LOCAL_EXAMPLE = "fixtures/xgboost-local.yaml"
POLL_SECONDS, LOCAL_POLL_SECONDS = 30, 1  # SageMaker's jobs take minutes; the local engine's, seconds


def _parser(argv: Optional[Sequence[str]] = None) -> argparse.ArgumentParser:
    """The whole command line; given argv naming a verb (and no --help before it), only that verb's parser is built:
    a dry run does not pay for the others' (the verb list and its help need them all)."""
    parser = argparse.ArgumentParser(
        prog="sagemaker-bridge", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Turn Flyte's SageMaker tuning job messages into a checked CreateHyperParameterTuningJob "
                    "request, submit it and watch it.",
        epilog=f"examples:\n  sagemaker-bridge submit {LOCAL_EXAMPLE} --local --wait\n"
               f"  sagemaker-bridge submit {SPEC_EXAMPLE} --mock --wait\n\n"
               "exit codes: 0 ok, 1 invalid spec or job failed, 2 usage, 3 AWS or network error")
    parser.add_argument("--version", action="version", version=f"sagemaker-bridge {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="also print the traceback of an error; the exit code stays the same")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    words = list(argv or ())
    chosen = next((i for i, word in enumerate(words) if word in VERBS), None)
    only = words[chosen] if chosen is not None and not {"-h", "--help"} & set(words[:chosen]) else None
    for name, (handler, help, example, note, flags) in VERBS.items():
        if only not in (None, name):
            continue
        p = verbs.add_parser(name, help=help, description=help + (f"\n\n{note}" if note else ""),
                             formatter_class=argparse.RawDescriptionHelpFormatter,
                             epilog=f"example:\n  sagemaker-bridge {example}")
        p.set_defaults(handler=handler)
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="also print the traceback of an error; the exit code stays the same")
        flags(p)
    return parser


def _spec_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("spec", nargs="?", help="spec file (YAML or JSON, at most 10 MiB), - for standard input")
    p.add_argument("--job", metavar="FILE", help="a raw Flyte HyperparameterTuningJob (JSON or protobuf)")
    p.add_argument("--config", metavar="FILE", help="a raw Flyte HyperparameterTuningJobConfig (JSON or protobuf)")
    p.add_argument("--job-name", metavar="NAME", help="the tuning job name (default: the spec's job_name)")
    p.add_argument("--role-arn", metavar="ARN", help="the IAM role SageMaker runs the training jobs as "
                                                     "(default: the spec's role_arn)")
    p.add_argument("--output-path", metavar="URI", help="where models are written: an S3 URI, or under --local a "
                                                         "directory (default: the spec's)")
    p.add_argument("--training-image", metavar="IMAGE_URI",
                   help="the training container (default: the spec's; built-in XGBoost finds its own)")
    p.add_argument("--input", action="append", default=[], metavar="CHANNEL=URI",
                   help="a data channel, added to the spec's (repeatable): an S3 URI, or under --local a file or "
                        "directory (train=./data/train)")
    p.add_argument("--static", action="append", default=[], metavar="NAME=VALUE",
                   help="a static hyperparameter, as text, added to the spec's (repeatable)")
    p.add_argument("--region", help="AWS region; finds the built-in XGBoost image and, for submit, where the job "
                                    "goes (default: the spec's region, then boto3's configuration)")


def _json_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def _translate_flags(p: argparse.ArgumentParser) -> None:
    _spec_args(p)
    p.add_argument("--output", choices=("json", "yaml"), default="json", help="the request's format (default: json)")
    p.add_argument("--out", metavar="FILE", help="write the request here (default: standard output)")


def _validate_flags(p: argparse.ArgumentParser) -> None:
    _spec_args(p)
    p.add_argument("--request", metavar="FILE",
                   help="instead of a spec: check a CreateHyperParameterTuningJob request (JSON or YAML)")
    p.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    _json_arg(p)


def _submit_flags(p: argparse.ArgumentParser) -> None:
    _spec_args(p)
    aws_args(p, spec=True)
    p.add_argument("--wait", action="store_true", help="follow the job to its end, then print a summary")
    wait_args(p)


def _job_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", help="the tuning job name")
    aws_args(p)
    _json_arg(p)


def _wait_flags(p: argparse.ArgumentParser) -> None:
    _job_flags(p)
    wait_args(p)


def _import_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", nargs="?", help="the tuning job to describe on SageMaker")
    p.add_argument("--request", metavar="FILE",
                   help="instead of a name: a CreateHyperParameterTuningJob request or a Describe response (JSON or YAML)")
    p.add_argument("--json", action="store_true", help="print JSON instead of YAML")
    aws_args(p)


def _list_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--status", choices=STATUSES, help="only jobs with this status (default: any)")
    p.add_argument("--name-contains", metavar="TEXT", help="only jobs whose name contains TEXT, ignoring case")
    p.add_argument("--max", type=_positive_int, default=50, metavar="N", help="at most N jobs (default: 50)")
    aws_args(p)
    _json_arg(p)


def wait_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--poll-seconds", type=_positive_seconds, metavar="S",
                   help="seconds between polls while the job changes, backing off to 4x while it does not; at least "
                        f"1 (default: {POLL_SECONDS}, under --local {LOCAL_POLL_SECONDS})")
    p.add_argument("--timeout", type=_positive_seconds, metavar="S",
                   help="give up waiting after S seconds, calls in flight included; the job goes on (default: none)")


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return value


def _request(args: argparse.Namespace) -> tuple[Any, Any, dict[str, Any]]:
    if not args.spec and not (args.job and args.config):
        raise specs.UsageError("give a spec file (or -), or both --job FILE and --config FILE")
    flags = {"job_name": args.job_name, "role_arn": args.role_arn, "output_path": args.output_path,
             "training_image": args.training_image, "region": args.region,
             "inputs": specs.parse_pairs(args.input, "--input"),
             "static_hyperparameters": specs.parse_pairs(args.static, "--static")}
    return specs.build(args.spec, job=args.job, config=args.config, flags=flags, local=getattr(args, "local", False))


def _translate(args: argparse.Namespace) -> tuple[dict[str, Any], Optional[str]]:
    """The request, and the region the spec or flags name (where `submit` goes, as the image lives there)."""
    job, config, kwargs = _request(args)
    translate_request: Callable[..., Any] = translate
    if getattr(args, "local", False):
        from ..local import translate as translate_request  # local paths in, file:// URIs out
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        request = dict(translate_request(job, config, **kwargs))
    for w in caught:
        print(f"warning {w.message}", file=sys.stderr)
    region = kwargs.get("region")
    return request, region if isinstance(region, str) else None


def cmd_translate(args: argparse.Namespace) -> int:
    text = cli_output.dump(_translate(args)[0], args.output)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return OK


def cmd_validate(args: argparse.Namespace) -> int:
    if args.request and (args.spec or args.job or args.config):
        raise specs.UsageError("--request FILE checks a request on its own; give it without a spec, --job or --config")
    if args.request:
        problems = validate_request(specs.parse_document(specs.read_bytes(args.request), args.request))
    else:
        job, config, kwargs = _request(args)
        problems = validate(job, config, **kwargs)
    if args.json:
        sys.stdout.write(cli_output.dump([p.to_dict() for p in problems], "json"))
    else:
        sys.stdout.write("".join(line + "\n" for line in cli_output.problem_lines(problems)))
    errors = [p for p in problems if p.is_error]
    if not args.json:
        print(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)", file=sys.stderr)
    return INVALID if errors or (args.strict and problems) else OK


def _follow(args: argparse.Namespace, client: Any, name: str) -> int:
    from ..aws import wait

    try:
        poll = args.poll_seconds or (LOCAL_POLL_SECONDS if getattr(args, "local", False) else POLL_SECONDS)
        st = wait(name, client=client, poll_seconds=poll, timeout_seconds=args.timeout,
                  on_progress=None if getattr(args, "json", False) else cli_output.Progress())
    except KeyboardInterrupt:  # only the waiting ends: say so, and how to end the job
        where = " --local" if getattr(args, "local", False) else ""
        print(f"\nstopped waiting; the tuning job {name} goes on. Stop it with: sagemaker-bridge stop {name}{where}",
              file=sys.stderr)
        raise
    _show(args, st)
    return OK if st.phase == "SUCCEEDED" else INVALID


def _show(args: argparse.Namespace, st: Any) -> None:
    sys.stdout.write(cli_output.dump(st.to_dict(), "json") if getattr(args, "json", False) else cli_output.summary(st))


def cmd_submit(args: argparse.Namespace) -> int:
    from ..aws import submit

    request, region = _translate(args)
    with connect(args, region) as (client, mock):
        # translate() has just checked it as SageMaker will; the local engine checks what it can run
        arn = submit(request, client=client, check=bool(getattr(args, "local", False)))
        if mock is not None:
            mock.record(request)
        print(arn)
        return _follow(args, client, request["HyperParameterTuningJobName"]) if args.wait else OK


def cmd_status(args: argparse.Namespace) -> int:
    return _on_job(args, "status")


def cmd_stop(args: argparse.Namespace) -> int:
    return _on_job(args, "stop")


def _on_job(args: argparse.Namespace, action: str) -> int:
    """status/stop NAME: call lifecycle's function of that name and show the JobStatus it returns."""
    from ..aws import lifecycle

    with connect(args) as (client, _):
        _show(args, getattr(lifecycle, action)(args.name, client=client))
    return OK


def cmd_wait(args: argparse.Namespace) -> int:
    with connect(args) as (client, _):
        return _follow(args, client, args.name)


def cmd_import(args: argparse.Namespace) -> int:
    if bool(args.name) == bool(args.request):
        raise specs.UsageError("give a tuning job name, or --request FILE (not both)")
    if args.request:
        described = specs.parse_document(specs.read_bytes(args.request), args.request)
    else:
        from ..aws import describe

        with connect(args) as (client, _):
            described = describe(args.name, client=client)
    from ..mapping import from_request

    spec_of: Callable[[Any], dict[str, Any]] = from_request
    if args.local:
        from ..local.paths import from_request as spec_of  # the spec keeps the job's file:// URIs
    sys.stdout.write(cli_output.dump(spec_of(described), "json" if args.json else "yaml"))
    return OK


def cmd_list(args: argparse.Namespace) -> int:
    from ..aws import list_jobs

    with connect(args) as (client, _):
        jobs = list_jobs(status_equals=args.status, name_contains=args.name_contains, limit=args.max, client=client)
    if args.json:
        sys.stdout.write(cli_output.dump([j.to_dict() for j in jobs], "json"))
    else:
        rows = [(j.name, j.status, cli_output.jobs_done(j), (j.created or "")[:19].replace("T", " ")) for j in jobs]
        sys.stdout.write(cli_output.table(rows, ("NAME", "STATUS", "TRAINING JOBS", "CREATED")))
    return OK


Flags = Callable[[argparse.ArgumentParser], None]
# verb -> (handler, help, example, note for its --help, its flags)
VERBS: dict[str, tuple[Callable[[argparse.Namespace], int], str, str, str, Flags]] = {
    "translate": (cmd_translate, "print the request (the dry run: no network, no credentials)",
                  f"translate {SPEC_EXAMPLE} --output yaml", "", _translate_flags),
    "validate": (cmd_validate, "list every problem, one per line with severity and path",
                 f"validate {SPEC_EXAMPLE} --strict", "", _validate_flags),
    "submit": (cmd_submit, "submit the tuning job and print its ARN", f"submit {SPEC_EXAMPLE} --mock --wait", "",
               _submit_flags),
    "status": (cmd_status, "show a tuning job's status", "status xgb-churn-20261130 --mock", "", _job_flags),
    "wait": (cmd_wait, "follow a tuning job to its end", "wait xgb-churn-20261130 --timeout 3600", "", _wait_flags),
    "stop": (cmd_stop, "stop a tuning job (one already ended or stopping is fine)",
             "stop xgb-churn-20261130 --region us-east-1",
             "Under --mock, moto completes jobs at once and cannot stop them: stop --mock says so and exits 3.",
             _job_flags),
    "import": (cmd_import, "print a spec file for an existing tuning job, or for a request file",
               "import sagemaker-xgboost-261130-0712 --region us-east-1 > spec.yaml",
               "The spec holds what Flyte's messages can say in job and config, translate()'s arguments beside them, "
               "and the rest\nin overrides: translate, validate and submit accept it as it is.", _import_flags),
    "list": (cmd_list, "list tuning jobs, newest first", "list --status InProgress", "", _list_flags),
    "report": (cmd_report, "how a tuning job's search went: summary, CSV, JSON, HTML, Optuna study",
               "report xgb-local-sample --local --html report.html", "", report_flags),
}


def main(argv: Optional[Sequence[str]] = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = _parser(words).parse_args(words)
    if sys.stdout is None:  # started with standard output closed (`... >&-`): nowhere to answer, as a closed pipe
        print("error: standard output is closed; nothing can be printed", file=sys.stderr)
        return SIGPIPE_EXIT
    try:
        code = int(args.handler(args))
        sys.stdout.flush()  # a closed pipe shows here, not as a failed flush at exit (Python's exit code 120)
        return code
    except BrokenPipeError:  # `... | head -1` closed the pipe: end quietly, as Unix tools do
        cli_output.silence_stdout()
        return SIGPIPE_EXIT
    except Exception as exc:  # every failure becomes one clear line and an exit code; --debug shows the rest
        code, lines = _exit_code_and_lines(exc)
        if args.debug:
            import traceback

            traceback.print_exc(file=sys.stderr)
        for line in lines:
            print(line, file=sys.stderr)
        return code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _exit_code_and_lines(exc: Exception) -> tuple[int, list[str]]:
    """The exit code and the lines to print, from the first row whose exception type matches (order matters)."""
    from ..aws import errors as aws_errors
    from ..report.data import ReportInputError
    from .mock import MockUnavailable

    if cli_output.raised_by_moto(exc):  # --mock
        return AWS, [f"error: the embedded mock (moto) cannot do this: {exc}"]

    def one_line(e: Any) -> list[str]:
        return [f"error: {e}"]

    def each_line(e: Any) -> list[str]:  # a spec's problems: one line each
        return [f"error: {line}" for line in e.lines()]

    rows: tuple[tuple[Any, int, Callable[[Any], list[str]]], ...] = (
        (TranslationError, INVALID, lambda e: cli_output.problem_lines(e.errors)),
        ((specs.UsageError, MockUnavailable), USAGE, one_line),
        (specs.SpecError, INVALID, each_line),
        (ReportInputError, INVALID, one_line),
        ((aws_errors.JobFailedError, aws_errors.WaitTimeoutError), INVALID,
         lambda e: [cli_output.summary(e.status).rstrip(), f"error: {e}"]),
        (aws_errors.JobConflictError, INVALID, one_line),
        (aws_errors.SageMakerError, AWS, one_line),
        (OSError, USAGE, one_line),
    )
    for kinds, code, lines in rows:
        if isinstance(exc, kinds):
            return code, lines(exc)
    return INVALID, [f"error: unexpected {type(exc).__name__}: {exc} (run with --debug for details)"]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
