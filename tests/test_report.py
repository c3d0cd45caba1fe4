"""The tuning report on real training jobs of the local engine, on saved AWS CLI output and on odd jobs: its records,
CSV, JSON, the Optuna study (loaded back, and served by optuna-dashboard), and the HTML opened in headless Chromium."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from typing import Any

import pytest

pytest.importorskip("xgboost", reason="the report is tested in tox -e local (extras [local] and [report])")
pytest.importorskip("plotly", reason="the report is tested in tox -e local (extras [local] and [report])")

from localengine import ROOT, request

from sagemaker_bridge.aws import submit, wait
from sagemaker_bridge.local import LocalSageMaker
from sagemaker_bridge.report import data as report_data, html, study, summary

pytestmark = pytest.mark.filterwarnings("ignore::sagemaker_bridge.local.LocalEngineWarning",
                                        "ignore::sagemaker_bridge.TranslationWarning")
SDK_COLUMNS = ["TrainingJobName", "TrainingJobStatus", "FinalObjectiveValue", "TrainingStartTime", "TrainingEndTime",
               "TrainingElapsedTimeSeconds"]  # sagemaker/analytics.py, HyperparameterTuningJobAnalytics
OBJECTIVES = ["binary:logistic", "binary:logitraw", "reg:gamma"]  # the last fails: labels of 0 are not positive
ARTIFACTS = pathlib.Path(os.environ.get("SAGEMAKER_BRIDGE_TEST_ARTIFACTS", ROOT / ".artifacts"))


@pytest.fixture(scope="module")
def finished(tmp_path_factory: Any) -> tuple[Any, str]:
    """A real tuning job: 10 training jobs, early stopping Auto, a categorical range whose reg:gamma third fails."""
    directory = tmp_path_factory.mktemp("report")
    client = LocalSageMaker(directory / "jobs")
    config = {"trainingJobEarlyStoppingType": "AUTO", "tuningStrategy": "RANDOM", "hyperparameterRanges": {
        "parameterRangeMap": {"eta": {"continuousParameterRange": {"minValue": 0.001, "maxValue": 0.5,
                                                                  "scalingType": "LOGARITHMIC"}},
                              "max_depth": {"integerParameterRange": {"minValue": "2", "maxValue": "8"}},
                              "objective": {"categoricalParameterRange": {"values": OBJECTIVES}}}}}
    req = request(directory, "report-job", jobs=10, parallel=2, rounds=15, config=config, statics={"objective": None})
    submit(req, client=client)
    wait("report-job", client=client, poll_seconds=1, timeout_seconds=120)
    return client, "report-job"


def test_the_table_has_the_sdks_columns_numbers_as_numbers_and_the_best_so_far(finished: Any) -> None:
    client, name = finished
    found = report_data.from_client(name, client)
    rows = summary.table(found)
    assert len(rows) == 10
    assert list(rows[0])[:3] == ["eta", "max_depth", "objective"]  # a column per tuned hyperparameter, first
    assert list(rows[0])[3:] == SDK_COLUMNS + ["FailureReason", "EarlyStopped", "BestSoFar"]
    assert all(isinstance(r["eta"], float) and isinstance(r["max_depth"], float) for r in rows)
    listed = client.list_training_jobs_for_hyper_parameter_tuning_job(HyperParameterTuningJobName=name, MaxResults=100)
    by_name = {j["TrainingJobName"]: j for j in listed["TrainingJobSummaries"]}
    best = None
    for row in rows:
        job = by_name[row["TrainingJobName"]]
        assert row["TrainingJobStatus"] == job["TrainingJobStatus"]
        value = job.get("FinalHyperParameterTuningJobObjectiveMetric", {}).get("Value")
        assert row["FinalObjectiveValue"] == value
        if value is not None and (best is None or value > best):
            best = value
        assert row["BestSoFar"] == best
        assert (row["FailureReason"] != "") == (job["TrainingJobStatus"] == "Failed")
    failed = [r for r in rows if r["TrainingJobStatus"] == "Failed"]
    assert failed and all(r["objective"] == "reg:gamma" for r in failed)


def test_saved_aws_cli_output_gives_the_same_report(finished: Any, tmp_path: pathlib.Path) -> None:
    client, name = finished
    described = client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)
    (tmp_path / "describe.json").write_text(json.dumps(described, default=lambda t: t.isoformat()))
    pages, token = [], None
    while True:
        page = client.list_training_jobs_for_hyper_parameter_tuning_job(
            HyperParameterTuningJobName=name, MaxResults=3, **({"NextToken": token} if token else {}))
        pages.append(tmp_path / f"page-{len(pages)}.json")
        pages[-1].write_text(json.dumps(page, default=lambda t: t.isoformat()))
        token = page.get("NextToken")
        if not token:
            break
    from_files = report_data.from_files(str(tmp_path / "describe.json"), [str(p) for p in pages])
    assert summary.table(from_files) == summary.table(report_data.from_client(name, client))
    ran = subprocess.run([sys.executable, "-m", "sagemaker_bridge", "report", "--from", str(tmp_path / "describe.json"),
                          *[a for p in pages for a in ("--training-jobs", str(p))], "--csv", str(tmp_path / "t.csv")],
                         capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    parsed = list(csv.DictReader(io.StringIO((tmp_path / "t.csv").read_text())))
    assert [r["TrainingJobName"] for r in parsed] == [r["TrainingJobName"] for r in summary.table(from_files)]


@pytest.mark.parametrize(("content", "says"), [("{not json", "not JSON"), ('{"Foo": 1}', "no HyperParameterTuningJobName")])
def test_a_damaged_from_file_is_an_error_naming_the_file(tmp_path: pathlib.Path, content: str, says: str) -> None:
    (tmp_path / "d.json").write_text(content)
    (tmp_path / "l.json").write_text('{"TrainingJobSummaries": []}')
    ran = subprocess.run([sys.executable, "-m", "sagemaker_bridge", "report", "--from", str(tmp_path / "d.json"),
                          "--training-jobs", str(tmp_path / "l.json")], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 1 and str(tmp_path / "d.json") in ran.stderr and says in ran.stderr
    assert "Traceback" not in ran.stderr


def _described(status: str = "Completed", categorical: tuple[str, ...] = ("1", "2")) -> dict[str, Any]:
    return {"HyperParameterTuningJobName": "odd", "HyperParameterTuningJobStatus": status, "HyperParameterTuningJobConfig": {
        "Strategy": "Random", "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "validation:rmse"},
        "ResourceLimits": {"MaxNumberOfTrainingJobs": 5, "MaxParallelTrainingJobs": 1},
        "ParameterRanges": {"ContinuousParameterRanges": [{"Name": "eta", "MinValue": "0.01", "MaxValue": "1",
                                                           "ScalingType": "Logarithmic"}],
                            "CategoricalParameterRanges": [{"Name": "depth", "Values": list(categorical)}]}}}


def _summary(i: int, status: str, value: Any = None, **tuned: str) -> dict[str, Any]:
    start = datetime.datetime(2026, 12, 1, 12, i, tzinfo=datetime.timezone.utc)
    job: dict[str, Any] = {"TrainingJobName": f"odd-{i:03d}", "TrainingJobStatus": status, "TunedHyperParameters": tuned,
                           "CreationTime": start, "TrainingStartTime": start}
    if status != "InProgress":
        job["TrainingEndTime"] = start + datetime.timedelta(seconds=30)
    if value is not None:
        job["FinalHyperParameterTuningJobObjectiveMetric"] = {"MetricName": "validation:rmse", "Value": value}
    if status == "Failed":
        job["FailureReason"] = "AlgorithmError: it broke"
    return job


ODD_JOBS = {
    "no training jobs": ([], "no training job has started yet"),
    "only failed ones": ([_summary(0, "Failed", eta="0.1", depth="1"), _summary(1, "Failed", eta="0.2", depth="2")],
                         "no training job has reported an objective value yet"),
    "no objective values": ([_summary(0, "Completed", eta="0.1", depth="1")], "no training job has reported an objective"),
    "hyperparameters missing from some rows": ([_summary(0, "Completed", 0.5, eta="0.1"),
                                                _summary(1, "Completed", 0.4, depth="2"),
                                                _summary(2, "Completed", float("nan"), eta="5", depth="9")], "best: odd-001"),
    "still running": ([_summary(0, "Completed", 0.5, eta="0.1", depth="1"), _summary(1, "InProgress", eta="0.3", depth="2")],
                      "still running"),
}


@pytest.mark.parametrize("case", list(ODD_JOBS))
def test_odd_jobs_get_a_report_that_says_so_in_words(case: str, tmp_path: pathlib.Path) -> None:
    jobs, says = ODD_JOBS[case]
    found = report_data.tuning_data(_described("InProgress" if case == "still running" else "Completed"), jobs)
    text = "\n".join(summary.words(found))
    assert says in text
    page = html.render(found)
    assert "<h1>Tuning job odd</h1>" in page and "Traceback" not in page
    assert json.loads(json.dumps(summary.summary(found)))  # --json is plain data
    written = study.study(found, f"sqlite:///{tmp_path / 'odd.db'}")
    assert len(written.trials) == len(jobs)


def test_the_optuna_study_is_written_once_and_read_back(finished: Any, tmp_path: pathlib.Path) -> None:
    import optuna

    client, name = finished
    found = report_data.from_client(name, client)
    storage = f"sqlite:///{tmp_path / 'tuning.db'}"
    study.study(found, storage)
    study.study(found, storage)  # again: an update, never duplicated trials
    loaded = optuna.load_study(study_name=name, storage=storage)
    assert len(loaded.trials) == 10 and loaded.direction.name == "MAXIMIZE"
    by_name = {t.user_attrs["TrainingJobName"]: t for t in loaded.trials}
    for job in found.jobs:
        trial = by_name[job.name]
        assert trial.state.name == {"Completed": "COMPLETE", "Failed": "FAIL", "Stopped": "PRUNED"}[job.status]
        assert trial.params["eta"] == pytest.approx(float(job.tuned["eta"]))
        assert trial.params["max_depth"] == int(job.tuned["max_depth"])
        assert trial.value == (job.objective if job.status == "Completed" else None)
    assert all(t.distributions["eta"].log for t in loaded.trials if "eta" in t.distributions)  # Logarithmic
    assert loaded.best_trial.value == max(j.objective for j in found.jobs if j.status == "Completed" and j.objective)


def test_optuna_dashboard_serves_the_study(finished: Any, tmp_path: pathlib.Path) -> None:
    dashboard = shutil.which("optuna-dashboard") or str(pathlib.Path(sys.executable).parent / "optuna-dashboard")
    if not pathlib.Path(dashboard).exists():
        pytest.skip("optuna-dashboard is not installed (pip install optuna-dashboard)")
    client, name = finished
    storage = f"sqlite:///{tmp_path / 'tuning.db'}"
    study.study(report_data.from_client(name, client), storage)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([dashboard, storage, "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                studies = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/studies", timeout=5).read())
                break
            except OSError:
                assert time.monotonic() < deadline, "optuna-dashboard did not answer"
                time.sleep(0.3)
        [listed] = studies["study_summaries"]
        assert listed["study_name"] == name
        detail = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/studies/{listed['study_id']}?after=0",
                                                   timeout=10).read())
        assert len(detail["trials"]) == 10
    finally:
        server.terminate()
        server.wait(10)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the browser test: .ci/run installs Debian's chromium")
        pytest.skip("no headless Chromium: install Debian's chromium package (apt-get install chromium)")
    return found


def test_the_html_report_renders_every_plot_in_a_real_browser_offline(finished: Any, tmp_path: pathlib.Path) -> None:
    browser = chromium()
    client, name = finished
    page = tmp_path / "report.html"
    page.write_text(html.render(report_data.from_client(name, client)), encoding="utf-8")
    assert "<script src=" not in page.read_text()  # plotly.js inlined: nothing from the network
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000", "--enable-logging=stderr", "--v=0"]
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.stdout.count('class="plot-container plotly"') == 5, "every plot is drawn"
    assert "Not drawn" not in dom.stdout
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line and ("Error" in line or "Uncaught" in line)]
    assert console == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = subprocess.run([*flags, "--window-size=1200,4200", f"--screenshot={ARTIFACTS / 'report.png'}", page.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert shot.returncode == 0 and (ARTIFACTS / "report.png").stat().st_size > 50_000


def test_ten_thousand_training_jobs_cost_a_hundred_listings(tmp_path: pathlib.Path) -> None:
    """Random search's maximum through a real boto3 client fed by botocore's Stubber (moto lacks the listing)."""
    from botocore.stub import Stubber

    from sagemaker_bridge import make_client

    client = make_client(region="us-east-1")
    described = {**_described(), "HyperParameterTuningJobName": "big", "HyperParameterTuningJobArn":
                 "arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/big",
                 "CreationTime": datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc),
                 "TrainingJobStatusCounters": {"Completed": 10000}, "ObjectiveStatusCounters": {"Succeeded": 10000}}
    with Stubber(client) as stub:
        stub.add_response("describe_hyper_parameter_tuning_job", described)
        for page in range(100):
            jobs = [{**_summary(0, "Completed", 1.0 / (1 + page * 100 + i), eta="0.1", depth="1"),
                     "TrainingJobName": f"big-{page * 100 + i:05d}",
                     "TrainingJobArn": f"arn:aws:sagemaker:us-east-1:123456789012:training-job/big-{page * 100 + i:05d}"}
                    for i in range(100)]
            stub.add_response("list_training_jobs_for_hyper_parameter_tuning_job",
                              {"TrainingJobSummaries": jobs, **({"NextToken": f"t{page}"} if page < 99 else {})})
        found = report_data.from_client("big", client)
        stub.assert_no_pending_responses()  # 1 description and exactly 100 listings, no call per training job
    assert len(found.jobs) == 10000 and summary.summary(found)["best"]["name"] == "big-09999"  # rmse: the least
