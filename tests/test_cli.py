"""The command line as a user runs it: every verb and exit code, stdin, YAML and JSON.

Most cases run in this process through main(argv) (fast, and the same code path); the subprocess smoke tests at the
end run the installed entry point as a shell would, once per verb family.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any, Callable

import pytest
import yaml
from conftest import FAKE_KEY_ID, FAKE_SECRET, FIXTURES, ROOT, Ran, fixture_request, load_spec, run_cli, set_moto_status

XGB = "fixtures/xgboost-flytekit.yaml"
Cli = Callable[..., Ran]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Cli:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SAGEMAKER_BRIDGE_MOCK_STATE", str(tmp_path / "mock.json"))
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")

    def run(*args: str, stdin: str | bytes | None = None) -> Ran:
        return run_cli(capsys, monkeypatch, *args, stdin=stdin)
    return run


@pytest.fixture
def env(tmp_path: Any) -> dict[str, str]:
    """The environment of a subprocess: fake credentials, no AWS configuration, a private mock state."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    e.update(SAGEMAKER_BRIDGE_MOCK_STATE=str(tmp_path / "mock.json"), PYTHONPATH=str(ROOT), AWS_MAX_ATTEMPTS="2",
             AWS_ACCESS_KEY_ID=FAKE_KEY_ID, AWS_SECRET_ACCESS_KEY=FAKE_SECRET,
             AWS_CONFIG_FILE=str(tmp_path / "none"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"))
    return e


def shell(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "sagemaker_bridge", *args], cwd=ROOT, env=env, timeout=120,
                          input=stdin, capture_output=True, text=True)
    assert "Traceback" not in done.stderr or "--debug" in args, done.stderr
    return done


def expected(name: str = "xgboost-flytekit.yaml", **over: Any) -> dict[str, Any]:
    return fixture_request(name, **over)


def parser_verbs() -> list[str]:
    """The verbs as the parser knows them, so a new one is tested without an edit here."""
    import argparse

    from sagemaker_bridge.cli.app import _parser

    return list(next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)).choices)


def test_version_and_help_for_every_verb(cli: Cli) -> None:
    assert cli("--version").stdout.startswith("sagemaker-bridge ")
    verbs = parser_verbs()
    assert {"translate", "validate", "submit", "status", "wait", "stop", "list", "import", "report"} <= set(verbs)
    for verb in verbs:
        done = cli(verb, "--help")
        assert done.code == 0 and "example:" in done.stdout and f"sagemaker-bridge {verb}" in done.stdout


def test_translate_prints_the_request_as_json_or_yaml(cli: Cli, tmp_path: Any) -> None:
    done = cli("translate", XGB)
    assert done.code == 0 and json.loads(done.stdout) == expected()
    assert yaml.safe_load(cli("translate", XGB, "--output", "yaml").stdout) == expected()
    out = tmp_path / "request.json"
    done = cli("translate", "fixtures/custom-image.json", "--out", str(out))
    assert done.stdout == "" and json.loads(out.read_text()) == expected("custom-image.json")


def test_translate_from_standard_input_in_yaml_and_json(cli: Cli) -> None:
    text = (FIXTURES / "xgboost-flytekit.yaml").read_text()
    assert json.loads(cli("translate", "-", stdin=text).stdout) == expected()
    as_json = json.dumps(load_spec("xgboost-flytekit.yaml"))
    assert json.loads(cli("translate", "-", stdin=as_json).stdout) == expected()


def test_raw_flyte_files_with_flags(cli: Cli) -> None:
    spec = load_spec("xgboost-flytekit.yaml")
    flags = ["--job-name", spec["job_name"], "--role-arn", spec["role_arn"], "--region", "us-east-1",
             "--output-path", spec["output_path"], "--input", f"train={spec['inputs']['train']}",
             "--input", f"validation={spec['inputs']['validation']}"]
    for ext in ("pb", "json"):
        done = cli("translate", "--job", f"fixtures/flyte/xgboost-job.{ext}",
                   "--config", f"fixtures/flyte/xgboost-config.{ext}", *flags)
        # the raw files carry no statics: XGBoost's num_round is missing, and the CLI says so by path
        assert done.code == 1 and "static_hyperparameters: built-in XGBoost needs num_round" in done.stderr
    spec_with_files = cli("translate", XGB, "--job", "fixtures/flyte/xgboost-job.pb",
                          "--config", "fixtures/flyte/xgboost-config.pb")
    assert json.loads(spec_with_files.stdout) == expected()


def test_flags_override_the_spec(cli: Cli) -> None:
    done = cli("translate", XGB, "--job-name", "other-name", "--input", "test=s3://acme-ml/churn/test/",
               "--region", "eu-west-1")
    request = json.loads(done.stdout)
    assert request["HyperParameterTuningJobName"] == "other-name"
    assert [c["ChannelName"] for c in request["TrainingJobDefinition"]["InputDataConfig"]] == ["test", "train", "validation"]
    assert "eu-west-1" in request["TrainingJobDefinition"]["AlgorithmSpecification"]["TrainingImage"]


def test_invalid_spec_exits_1_with_every_problem_by_path(cli: Cli, tmp_path: Any) -> None:
    spec = load_spec("xgboost-flytekit.yaml")
    spec["job_name"] = "bad_name!"
    spec["config"]["hyperparameterRanges"]["parameterRangeMap"]["eta"]["continuousParameterRange"]["minValue"] = -1
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(spec))
    done = cli("translate", str(path))
    assert done.code == 1 and done.stdout == ""
    assert "job_name:" in done.stderr
    assert "config.hyperparameter_ranges.eta.continuous_parameter_range.min_value:" in done.stderr


def test_validate_exit_codes(cli: Cli, tmp_path: Any) -> None:
    clean = cli("validate", XGB)
    assert (clean.code, clean.stdout) == (0, "")
    spec = load_spec("xgboost-flytekit.yaml")
    spec["config"]["tuningObjective"]["objectiveType"] = "MINIMIZE"
    path = tmp_path / "warn.yaml"
    path.write_text(yaml.safe_dump(spec))
    warned = cli("validate", str(path))
    assert warned.code == 0
    assert warned.stdout.startswith("warning config.tuning_objective.objective_type: Minimize validation:auc")
    assert cli("validate", str(path), "--strict").code == 1
    spec["job"]["maxParallelTrainingJobs"] = "0"
    path.write_text(yaml.safe_dump(spec))
    failed = cli("validate", str(path), "--json")
    assert failed.code == 1
    assert {(p["severity"], p["path"]) for p in json.loads(failed.stdout)} == {
        ("warning", "config.tuning_objective.objective_type"), ("error", "job.max_parallel_training_jobs")}


def test_validate_a_raw_request(cli: Cli, tmp_path: Any) -> None:
    assert cli("validate", "--request", "fixtures/requests/sdk-pytorch-script-mode.json").code == 0
    request = json.loads((FIXTURES / "requests" / "sdk-xgboost-builtin.json").read_text())
    ranges = request["HyperParameterTuningJobConfig"]["ParameterRanges"]
    ranges["ContinuousParameterRanges"][0]["ScalingType"] = "Reverselogarithmic"
    path = tmp_path / "request.yaml"
    path.write_text(yaml.safe_dump(request))
    done = cli("validate", "--request", str(path))
    assert done.code == 1
    assert "HyperParameterTuningJobConfig.ParameterRanges.ContinuousParameterRanges[0].ScalingType" in done.stdout


@pytest.mark.parametrize(("args", "code"), [
    (("frobnicate",), 2), (("translate",), 2), (("translate", "no/such/file.yaml"), 2),
    (("translate", XGB, "--input", "no-equals-sign"), 2), (("status",), 2), (("list", "--status", "Nope"), 2)])
def test_usage_errors_exit_2(cli: Cli, args: tuple[str, ...], code: int) -> None:
    done = cli(*args)
    assert done.code == code and done.stderr.strip()


def test_a_spec_that_is_not_a_spec_exits_1(cli: Cli) -> None:
    done = cli("translate", "-", stdin="just a string")
    assert done.code == 1 and "a spec is a mapping" in done.stderr
    done = cli("translate", "-", stdin=json.dumps({"job": {}, "config": {}, "jobname": "x"}))
    assert done.code == 1 and "unknown key(s) 'jobname'" in done.stderr


def test_mock_end_to_end_across_commands(cli: Cli) -> None:
    done = cli("submit", XGB, "--mock", "--wait", "--poll-seconds", "0.1")
    assert done.code == 0, done.stderr
    arn, *summary = done.stdout.splitlines()
    assert arn == "arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/xgb-churn-20261130"
    assert any(line.startswith("status:") and "Completed (SUCCEEDED)" in line for line in summary)
    assert any(line.startswith("model:") and line.endswith("/output/model.tar.gz") for line in summary)
    assert "Completed: 1/20 training jobs done" in done.stderr  # plain progress lines: stderr is not a terminal
    # a later command starts a new embedded moto, and still sees the job through the mock's state file
    listed = cli("list", "--mock")
    assert listed.code == 0
    assert listed.stdout.splitlines()[0].split() == ["NAME", "STATUS", "TRAINING", "JOBS", "CREATED"]
    assert "xgb-churn-20261130" in listed.stdout
    st = json.loads(cli("status", "xgb-churn-20261130", "--mock", "--json").stdout)
    assert (st["status"], st["phase"], st["terminal"]) == ("Completed", "SUCCEEDED", True)
    assert cli("wait", "xgb-churn-20261130", "--mock", "--poll-seconds", "0.1").code == 0
    resubmit = cli("submit", XGB, "--mock")
    assert resubmit.code == 0 and resubmit.stdout.strip() == arn
    stop = cli("stop", "xgb-churn-20261130", "--mock")
    assert stop.code == 3 and "mock" in stop.stderr and "stop_hyper_parameter_tuning_job" in stop.stderr
    report = cli("report", "xgb-churn-20261130", "--mock")  # moto lacks the listing: one line, exit 3
    assert report.code == 3 and report.stderr.strip().count("\n") == 0
    assert "list_training_jobs_for_hyper_parameter_tuning_job" in report.stderr


REPORT_DESCRIBE = {"HyperParameterTuningJobName": "saved", "HyperParameterTuningJobStatus": "Completed",
                   "HyperParameterTuningJobConfig": {
                       "Strategy": "Bayesian", "HyperParameterTuningJobObjective": {"Type": "Maximize",
                                                                                    "MetricName": "validation:auc"},
                       "ParameterRanges": {"IntegerParameterRanges": [{"Name": "max_depth", "MinValue": "2",
                                                                       "MaxValue": "8", "ScalingType": "Linear"}]}}}


def report_list(*objectives: float | None) -> dict[str, Any]:
    return {"TrainingJobSummaries": [
        {"TrainingJobName": f"saved-{i:03d}", "TrainingJobStatus": "Completed" if value is not None else "Failed",
         "TunedHyperParameters": {"max_depth": str(2 + i)}, "TrainingStartTime": f"2026-12-01T12:0{i}:00+00:00",
         "TrainingEndTime": f"2026-12-01T12:0{i}:30+00:00", **({"FailureReason": "AlgorithmError: bad"} if value is None else
                                                              {"FinalHyperParameterTuningJobObjectiveMetric": {
                                                                  "MetricName": "validation:auc", "Value": value}})}
        for i, value in enumerate(objectives)]}


def test_report_from_saved_aws_cli_output_as_text_csv_and_json(cli: Cli, tmp_path: Any) -> None:
    (tmp_path / "d.json").write_text(json.dumps(REPORT_DESCRIBE))
    (tmp_path / "l.json").write_text(json.dumps(report_list(0.7, None, 0.9, 0.8)))
    saved = ("--from", str(tmp_path / "d.json"), "--training-jobs", str(tmp_path / "l.json"))
    text = cli("report", *saved)
    assert text.code == 0, text.stderr
    assert "best: saved-002 validation:auc=0.9" in text.stdout and "failed: 1 (AlgorithmError)" in text.stdout
    assert "max_depth: 2 to 5" in text.stdout  # the 3 jobs with an objective: depths 2, 4 and 5
    record = json.loads(cli("report", *saved, "--json").stdout)
    assert [r["BestSoFar"] for r in record["rows"]] == [0.7, 0.7, 0.9, 0.9]
    assert [r["max_depth"] for r in record["rows"]] == [2.0, 3.0, 4.0, 5.0]  # numbers as numbers, as the SDK's
    assert record["summary"]["by_status"] == {"Completed": 3, "Failed": 1}
    assert cli("report", *saved, "--csv", str(tmp_path / "t.csv")).code == 0
    lines = (tmp_path / "t.csv").read_text().splitlines()
    assert lines[0] == ("max_depth,TrainingJobName,TrainingJobStatus,FinalObjectiveValue,TrainingStartTime,"
                        "TrainingEndTime,TrainingElapsedTimeSeconds,FailureReason,EarlyStopped,BestSoFar")
    assert len(lines) == 5 and lines[2].split(",")[-3:] == ["AlgorithmError: bad", "False", "0.7"]
    assert cli("report", "--from", str(tmp_path / "d.json")).code == 2  # --training-jobs is needed
    (tmp_path / "bad.json").write_text('{"TrainingJobSummaries": [{"no": "name"}]}')
    bad = cli("report", "--from", str(tmp_path / "d.json"), "--training-jobs", str(tmp_path / "bad.json"))
    assert bad.code == 1 and "no TrainingJobName" in bad.stderr


def test_endpoint_url_against_moto_server(cli: Cli, clean_server: str) -> None:
    at = ("--endpoint-url", clean_server, "--region", "us-east-1")
    done = cli("submit", "fixtures/custom-image.json", *at)
    assert done.code == 0 and done.stdout.strip().endswith("/resnet-finetune-a1")
    assert json.loads(cli("status", "resnet-finetune-a1", *at, "--json").stdout)["phase"] == "SUCCEEDED"
    assert json.loads(cli("list", *at, "--json").stdout)[0]["name"] == "resnet-finetune-a1"
    assert cli("list", *at, "--status", "InProgress").stdout.strip() == "NAME  STATUS  TRAINING JOBS  CREATED"
    set_moto_status("resnet-finetune-a1", "Failed", failure_reason="AlgorithmError: out of memory")
    failed = cli("wait", "resnet-finetune-a1", *at, "--poll-seconds", "0.1")
    assert failed.code == 1 and "AlgorithmError: out of memory" in failed.stderr
    missing = cli("status", "no-such-job", *at)
    assert missing.code == 3 and "ResourceNotFound" in missing.stderr
    stop = cli("stop", "resnet-finetune-a1", *at)  # moto server answers an HTML 500: not implemented
    assert stop.code == 3 and len(stop.stderr.strip().splitlines()) == 1 and "<" not in stop.stderr
    conflict = cli("submit", "fixtures/custom-image.json", *at, "--input", "extra=s3://b/x")
    assert conflict.code == 1 and "TrainingJobDefinition.InputDataConfig" in conflict.stderr


def test_network_errors_exit_3_and_debug_only_adds_the_traceback(cli: Cli) -> None:
    down = ("--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1")
    done = cli("status", "any", *down)
    assert done.code == 3 and done.stderr.startswith("error: ") and len(done.stderr.strip().splitlines()) == 1
    for debug in (cli("status", "any", *down, "--debug"), cli("--debug", "status", "any", *down)):
        assert debug.code == 3 and "Traceback" in debug.stderr and done.stderr.strip() in debug.stderr
    missing = cli("translate", "no/such/file.yaml", "--debug")
    assert missing.code == 2 and "Traceback" in missing.stderr


def test_no_credentials_is_a_clear_aws_error(cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    done = cli("status", "any", "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:9")
    assert done.code == 3 and "credentials" in done.stderr.lower()


@pytest.mark.parametrize("args", [
    ("wait", "j", "--poll-seconds", "0"), ("wait", "j", "--poll-seconds", "-1"), ("wait", "j", "--poll-seconds", "nan"),
    ("wait", "j", "--timeout", "inf"), ("submit", XGB, "--poll-seconds", "x"), ("list", "--max", "0"),
    ("list", "--max", "-5"), ("validate", XGB, "--request", "fixtures/requests/sdk-xgboost-builtin.json")])
def test_values_a_flag_cannot_take_are_usage_errors(cli: Cli, args: tuple[str, ...]) -> None:
    done = cli(*args)
    assert done.code == 2 and "error" in done.stderr and "unexpected" not in done.stderr


def test_every_flag_says_what_it_does_and_its_default() -> None:
    import argparse

    from sagemaker_bridge.cli.app import _parser

    verbs = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in verbs.choices.items():
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help, f"{name} {action.dest} has no help"
            takes_value = action.option_strings and action.nargs != 0 and action.choices is None
            if (takes_value and action.default not in (None, [], argparse.SUPPRESS)) or action.dest in ("region", "profile"):
                assert "default" in action.help, f"{name} {action.option_strings} does not say its default"
        if name in ("status", "wait", "stop"):
            region = next(a for a in sub._actions if a.dest == "region")
            assert "spec" not in region.help


def test_static_flag_makes_raw_flyte_files_usable_for_builtin_xgboost(cli: Cli) -> None:
    spec = load_spec("xgboost-flytekit.yaml")
    done = cli("translate", "--job", "fixtures/flyte/xgboost-job.json", "--config", "fixtures/flyte/xgboost-config.json",
               "--job-name", "raw-xgb", "--role-arn", spec["role_arn"], "--region", "us-east-1",
               "--output-path", spec["output_path"], "--input", f"train={spec['inputs']['train']}",
               "--input", f"validation={spec['inputs']['validation']}", "--static", "num_round=100",
               "--static", "objective=binary:logistic")
    assert done.code == 0, done.stderr
    statics = json.loads(done.stdout)["TrainingJobDefinition"]["StaticHyperParameters"]
    assert statics == {"num_round": "100", "objective": "binary:logistic"}


@pytest.mark.parametrize(("text", "key"), [
    ('{"job": {}, "config": {}, "job_name": "a", "job_name": "b"}', "'job_name'"),
    ("job: {}\nconfig: {}\nrole_arn: a\nrole_arn: b\n", "'role_arn'"),
    ("job: {}\nconfig:\n  tuningStrategy: RANDOM\n  tuningStrategy: BAYESIAN\n", "'tuningStrategy'")])
def test_a_key_given_twice_in_a_spec_is_named(cli: Cli, text: str, key: str) -> None:
    done = cli("validate", "-", stdin=text)
    assert done.code == 1 and f"the key {key} is given twice" in done.stderr


def test_a_yaml_alias_bomb_is_refused_not_expanded(cli: Cli) -> None:
    """Billion laughs: twelve levels of nine aliases each stand for 9**12 values in a few hundred bytes."""
    levels = ["  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 12)]
    text = (FIXTURES / "xgboost-flytekit.yaml").read_text()
    bomb = text.replace("static_hyperparameters:\n", "static_hyperparameters:\n" + "\n".join(levels) + "\n", 1)
    done = cli("translate", "-", stdin=bomb)
    assert done.code == 1 and len(done.stderr) < 1000
    assert "static_hyperparameters: holds more than 100,000 values" in done.stderr


@pytest.mark.parametrize("text", ['{"job": {"maxNumberOfTrainingJobs": 9999}, "config": {}}'.replace("9999", "9" * 5000),
                                  "job:\n  maxNumberOfTrainingJobs: " + "9" * 5000 + "\nconfig: {}\n"])
def test_a_number_too_long_to_read_is_about_the_input(cli: Cli, text: str) -> None:
    done = cli("validate", "-", stdin=text)
    assert done.code == 1 and "unexpected" not in done.stderr and "4300 digits" in done.stderr


@pytest.mark.parametrize(("text", "said"), [
    ("{[1]: 2}\n", "found unhashable key, line 1"),  # YAML keys may be lists or mappings; Python's may not
    ("job: {}\nconfig: {}\noverrides:\n  Tags:\n    - {? [1] : 2}\n", "found unhashable key, line 5"),
    ("job: !!binary aGVsbG8=\nconfig: {}\n", "job: must be plain data"),
    ("job: {}\nconfig: {}\njob_name: 2026-11-30\n", "job_name: must be plain data (text, numbers, booleans, null, "
                                                    "lists and objects), got date"),
    ("job: {}\nconfig: {}\nstatic_hyperparameters: !!set {a, b}\n", "static_hyperparameters: must be plain data"),
    ("job: !!python/object:os.system {}\n", "could not determine a constructor"),
])
def test_what_only_yaml_can_say_is_a_spec_error_naming_it(cli: Cli, text: str, said: str) -> None:
    done = cli("validate", "-", stdin=text)
    assert done.code == 1 and said in done.stderr and "unexpected" not in done.stderr, done.stderr


def test_input_beyond_ten_megabytes_is_refused(cli: Cli) -> None:
    done = cli("translate", "/dev/zero")
    assert done.code == 1 and "larger than 10 MiB" in done.stderr


def test_an_exception_of_ours_is_unexpected_not_blamed_on_moto(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from sagemaker_bridge.cli import app

    def not_ready(args: Any) -> int:
        raise NotImplementedError("not yet")

    monkeypatch.setitem(app.VERBS, "status", (not_ready, *app.VERBS["status"][1:]))
    done = cli("status", "any")
    assert done.code == 1 and "unexpected NotImplementedError" in done.stderr and "moto" not in done.stderr


def test_wait_with_a_timeout_ends_on_time_against_a_stalled_endpoint(cli: Cli) -> None:
    import socket
    import time

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)  # connections queue up and are never answered
        started = time.monotonic()
        done = cli("wait", "any", "--endpoint-url", f"http://127.0.0.1:{server.getsockname()[1]}",
                   "--region", "us-east-1", "--timeout", "1")
    assert time.monotonic() - started < 6
    assert done.code == 1 and "after 1 seconds" in done.stderr


# Subprocess smoke tests: the real entry point, a fresh interpreter, one per verb family.

def test_smoke_the_dry_run_opens_no_socket_needs_no_credentials_and_no_boto3(env: dict[str, str]) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        env.pop(name)
    script = """
import sys
opened = []
sys.addaudithook(lambda event, args: opened.append(event) if event.startswith("socket.") else None)
from sagemaker_bridge.cli import main
code = main(sys.argv[1:])
assert not opened, f"the dry run used sockets: {opened}"
assert "boto3" not in sys.modules, "boto3 was imported"
sys.exit(code)
"""
    for verb in ("translate", "validate"):
        done = subprocess.run([sys.executable, "-c", script, verb, XGB], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        if verb == "translate":
            assert json.loads(done.stdout) == expected()


def test_smoke_the_entry_point_translates_from_stdin(env: dict[str, str]) -> None:
    assert shell(env, "--version").stdout.startswith("sagemaker-bridge ")
    done = shell(env, "translate", "-", "--output", "yaml", stdin=(FIXTURES / "xgboost-flytekit.yaml").read_text())
    assert done.returncode == 0 and yaml.safe_load(done.stdout) == expected()
    bad = shell(env, "validate", "-", stdin="just a string")
    assert bad.returncode == 1 and "a spec is a mapping" in bad.stderr


def test_smoke_mock_jobs_outlive_the_process(env: dict[str, str]) -> None:
    done = shell(env, "submit", XGB, "--mock")
    assert done.returncode == 0 and done.stdout.strip().endswith("/xgb-churn-20261130")
    st = shell(env, "status", "xgb-churn-20261130", "--mock", "--json")
    assert st.returncode == 0 and json.loads(st.stdout)["phase"] == "SUCCEEDED"


def test_smoke_a_closed_pipe_ends_quietly(env: dict[str, str]) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "sagemaker_bridge", "list", "--mock", "--max", "5"], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `| head -1` does once it has its line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141 and err == ""


def test_smoke_against_moto_server(env: dict[str, str], clean_server: str) -> None:
    at = ("--endpoint-url", clean_server, "--region", "us-east-1")
    assert shell(env, "submit", "fixtures/custom-image.json", *at).returncode == 0
    listed = shell(env, "list", *at, "--json")
    assert listed.returncode == 0 and json.loads(listed.stdout)[0]["name"] == "resnet-finetune-a1"


@pytest.mark.parametrize(("redirect", "code", "says"), [("<&-", 2, "standard input is closed"),
                                                         (">&-", 141, "standard output is closed")])
def test_closed_standard_streams_get_one_line_and_a_documented_exit_code(redirect: str, code: int, says: str) -> None:
    spec = "-" if redirect == "<&-" else XGB
    ran = subprocess.run(["bash", "-c", f"'{sys.executable}' -m sagemaker_bridge translate {spec} {redirect}"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert ran.returncode == code and ran.stderr.strip().splitlines() == [f"error: {says}" + ran.stderr.split(says)[1].strip()]
    assert "Traceback" not in ran.stderr and "unexpected" not in ran.stderr


def test_a_huge_unknown_spec_key_is_clipped_in_the_error(cli: Cli) -> None:
    done = cli("translate", "-", stdin=json.dumps({"job": {}, "config": {}, "k" * 5000: 1}))
    [line] = [line for line in done.stderr.splitlines() if "unknown key(s)" in line]  # the missing parts follow it
    assert done.code == 1 and "unknown key(s) 'kkk" in line and len(line) < 400


def test_a_spec_missing_translates_arguments_names_each_and_its_flag(cli: Cli) -> None:
    done = cli("translate", "-", stdin=json.dumps({"job": {}, "config": {}, "role_arn": "arn:aws:iam::1:role/r"}))
    assert done.code == 1 and "unexpected" not in done.stderr
    assert done.stderr.splitlines() == [
        "error: standard input: job_name: is missing: give it in the spec, or --job-name",
        "error: standard input: inputs: is missing: give it in the spec, or --input",
        "error: standard input: output_path: is missing: give it in the spec, or --output-path"]


def test_every_unusable_value_of_a_spec_is_named_not_just_the_first(cli: Cli) -> None:
    text = '{"job": {"a\\ud800": 1}, "config": {"b\\udc00": 2}}'
    done = cli("translate", "-", stdin=text)
    lines = done.stderr.splitlines()
    assert done.code == 1 and len(lines) == 2 and all("lone surrogate" in line for line in lines), lines
    assert sorted(line.split(": ")[2].split(".")[0] for line in lines) == ["config", "job"], lines
    assert all(line.startswith("error: standard input: ") for line in lines), lines
