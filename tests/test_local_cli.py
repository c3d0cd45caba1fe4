"""The command line with --local, from subprocesses as a user runs it: submit, wait, status, list, import, stop and
Ctrl-C, and what the local engine refuses at submit (exit 1, naming the field)."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys
import time
from typing import Any

import pytest

pytest.importorskip("xgboost", reason="the local engine is tested in tox -e local (extra [local])")

from localengine import ROOT, SAMPLE, load_model

SPEC = "fixtures/xgboost-local.yaml"
LONG = ("--static", "num_round=100000", "--static", "early_stopping_rounds=100000")  # runs until stopped


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    ran = subprocess.run([sys.executable, "-m", "sagemaker_bridge", *args], cwd=ROOT, capture_output=True, text=True,
                         timeout=timeout, env=os.environ.copy())
    assert "Traceback" not in ran.stderr, ran.stderr
    return ran


def small(tmp_path: pathlib.Path, *more: str) -> list[str]:
    return [SPEC, "--local", "--output-path", str(tmp_path / "models"), "--static", "num_round=10", *more]


def test_submit_wait_shows_the_real_best_job_and_its_model(local_dir: Any, tmp_path: pathlib.Path) -> None:
    ran = cli("submit", *small(tmp_path), "--wait")
    assert ran.returncode == 0, ran.stderr
    lines = dict(line.split(":", 1) for line in ran.stdout.splitlines()[1:] if ":" in line)
    assert ran.stdout.startswith("arn:aws:sagemaker:local:")
    assert lines["status"].strip() == "Completed (SUCCEEDED)" and lines["progress"].strip().startswith("20/20 training jobs done")
    assert lines["best job"].strip().startswith("xgb-local-sample-")
    assert lines["objective"].strip().startswith("validation:auc=0.9")
    model = lines["model"].strip()
    assert model.startswith((tmp_path / "models").as_uri()) and load_model(model).num_boosted_rounds() <= 10
    assert "Completed: 20/20 training jobs done, best validation:auc=" in ran.stderr  # the progress, line by line

    status = json.loads(cli("status", "xgb-local-sample", "--local", "--json").stdout)
    assert status["status"] == "Completed" and status["best_training_job"]["name"] == lines["best job"].strip()
    assert "xgb-local-sample  Completed  20/20" in cli("list", "--local").stdout
    spec = tmp_path / "spec.yaml"
    spec.write_text(cli("import", "xgb-local-sample", "--local").stdout)
    again = cli("submit", str(spec), "--local")  # the way back: the same job, found again, not a second one
    assert again.returncode == 0 and again.stdout.strip() == ran.stdout.splitlines()[0]


def test_submit_returns_at_once_and_stop_from_another_process_ends_the_job(local_dir: Any, tmp_path: pathlib.Path) -> None:
    ran = cli("submit", *small(tmp_path, *LONG))
    assert ran.returncode == 0
    assert json.loads(cli("status", "xgb-local-sample", "--local", "--json").stdout)["status"] == "InProgress"
    stopped = cli("stop", "xgb-local-sample", "--local")
    assert stopped.returncode == 0 and "status:" in stopped.stdout
    waited = cli("wait", "xgb-local-sample", "--local", "--timeout", "20")
    assert "Stopped (ABORTED)" in waited.stdout and waited.returncode == 1


def test_ctrl_c_during_wait_leaves_the_job_running_and_says_how_to_stop_it(local_dir: Any, tmp_path: pathlib.Path) -> None:
    assert cli("submit", *small(tmp_path, *LONG)).returncode == 0
    waiting = subprocess.Popen([sys.executable, "-m", "sagemaker_bridge", "wait", "xgb-local-sample", "--local"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    waiting.send_signal(signal.SIGINT)
    _, err = waiting.communicate(timeout=30)
    assert waiting.returncode == 130
    assert "goes on. Stop it with: sagemaker-bridge stop xgb-local-sample --local" in err
    assert json.loads(cli("status", "xgb-local-sample", "--local", "--json").stdout)["status"] == "InProgress"
    cli("stop", "xgb-local-sample", "--local")


@pytest.mark.parametrize(("flags", "where", "says"), [
    (["--input", "train=s3://acme/train/"], "InputDataConfig[0].DataSource.S3DataSource.S3Uri", "--input train=./data/train"),
    (["--output-path", "s3://acme/models"], "OutputDataConfig.S3OutputPath", "--output-path ./models"),
    (["--training-image", "382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1"], "AlgorithmSpecification",
     "built-in XGBoost only"),
    (["--static", "sagemaker_program=train.py"], "StaticHyperParameters.sagemaker_program", "script mode"),
    (["--input", "validation=EMPTY"], "InputDataConfig[1].DataSource.S3DataSource.S3Uri", "holds no files"),
    (["--input", "train=MISSING"], "InputDataConfig[0].DataSource.S3DataSource.S3Uri", "does not exist"),
])
def test_what_the_local_engine_cannot_run_is_refused_at_submit_naming_the_field(
        local_dir: Any, tmp_path: pathlib.Path, flags: list[str], where: str, says: str) -> None:
    (tmp_path / "empty").mkdir()
    flags = [f.replace("EMPTY", str(tmp_path / "empty")).replace("MISSING", str(tmp_path / "missing")) for f in flags]
    ran = cli("submit", SPEC, "--local", "--output-path", str(tmp_path / "models"), *flags)
    assert ran.returncode == 1, ran.stderr
    assert where in ran.stderr and says in ran.stderr
    assert not (local_dir / "jobs.sqlite").exists() or "xgb-local-sample" not in cli("list", "--local").stdout


def test_a_spec_without_the_channels_the_objective_needs_is_refused(local_dir: Any, tmp_path: pathlib.Path) -> None:
    spec = (ROOT / SPEC).read_text().replace("  validation: sample-data/validation\n", "")
    spec = spec.replace("train: sample-data/train", f"train: {SAMPLE / 'train'}")
    (tmp_path / "spec.yaml").write_text(spec)
    ran = cli("submit", str(tmp_path / "spec.yaml"), "--local", "--output-path", str(tmp_path / "models"))
    assert ran.returncode == 1
    assert "HyperParameterTuningJobObjective.MetricName" in ran.stderr and "validation channel" in ran.stderr


def test_local_and_mock_together_is_a_usage_error(local_dir: Any) -> None:
    ran = cli("status", "x", "--local", "--mock")
    assert ran.returncode == 2 and "--mock and --local" in ran.stderr


def test_the_libraries_local_looks_for_are_the_local_extras() -> None:
    """--local names what it needs before starting (cli/connect.LOCAL_LIBRARIES, import names); each comes from a
    distribution of the [local] extra in setup.cfg, and each of those distributions gives one of them."""
    import configparser
    import importlib.metadata
    import re

    from conftest import ROOT

    from sagemaker_bridge.cli.connect import LOCAL_LIBRARIES

    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    lines = setup["options.extras_require"]["local"].splitlines()
    extra = {re.split(r"[<>=!~;\[ ]", line.strip(), maxsplit=1)[0].lower() for line in lines if line.strip()}
    providers = importlib.metadata.packages_distributions()
    given = {name: {d.lower() for d in providers.get(name, [])} for name in LOCAL_LIBRARIES}
    assert all(dists & extra for dists in given.values()), given
    assert extra <= set().union(*given.values()), extra
