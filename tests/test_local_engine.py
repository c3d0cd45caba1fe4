"""The local engine as users meet it through the lifecycle: real training jobs, checked against an independent
computation (scikit-learn on the saved model), SageMaker's limits and states, and botocore's output shapes."""

from __future__ import annotations

import math
import os
import pathlib
import signal
import statistics
from typing import Any

import pytest

pytest.importorskip("xgboost", reason="the local engine is tested in tox -e local (extra [local])")

from localengine import SAMPLE, load_model, output_problems, read_csv, request, wait_for

from sagemaker_bridge.aws import JobConflictError, JobFailedError, JobNotFoundError, status, stop, submit, wait
from sagemaker_bridge.local import LocalSageMaker
from sagemaker_bridge.problems import TranslationError

pytestmark = pytest.mark.filterwarnings("ignore::sagemaker_bridge.local.LocalEngineWarning")  # its own test below


def run(client: Any, req: dict[str, Any]) -> Any:
    submit(req, client=client)
    return wait(req["HyperParameterTuningJobName"], client=client, poll_seconds=1, timeout_seconds=120)


def training_jobs(client: Any, name: str, **kw: Any) -> list[dict[str, Any]]:
    pages = client.get_paginator("list_training_jobs_for_hyper_parameter_tuning_job").paginate(
        HyperParameterTuningJobName=name, **kw)
    return [job for page in pages for job in page["TrainingJobSummaries"]]


@pytest.fixture
def client(local_dir: pathlib.Path) -> LocalSageMaker:
    return LocalSageMaker()


def test_the_best_objective_is_the_metric_scikit_learn_computes_from_the_saved_model(client: Any, tmp_path: Any) -> None:
    from sklearn.metrics import roc_auc_score

    st = run(client, request(tmp_path, jobs=4, rounds=40, statics={"early_stopping_rounds": "5"}))
    assert st.status == "Completed" and st.best_training_job is not None
    features, labels = read_csv(SAMPLE / "validation")
    import xgboost

    predicted = load_model(st.model_uri).predict(xgboost.DMatrix(features))
    assert st.best_training_job.objective_value == pytest.approx(roc_auc_score(labels, predicted), abs=1e-6)
    listed = training_jobs(client, st.name, SortBy="FinalObjectiveMetricValue", SortOrder="Descending")
    assert listed[0]["TrainingJobName"] == st.best_training_job.name  # the best is the best of all of them


def test_a_regression_objective_is_minimized_and_matches_scikit_learn(client: Any, tmp_path: Any) -> None:
    import xgboost
    from sklearn.metrics import mean_squared_error

    config = {"tuningObjective": {"objectiveType": "MINIMIZE", "metricName": "validation:rmse"}}
    st = run(client, request(tmp_path, jobs=3, rounds=15, config=config,
                             statics={"objective": "reg:squarederror", "eval_metric": "rmse"}))
    features, labels = read_csv(SAMPLE / "validation")
    predicted = load_model(st.model_uri).predict(xgboost.DMatrix(features))
    assert st.best_training_job.objective_value == pytest.approx(math.sqrt(mean_squared_error(labels, predicted)), rel=1e-5)
    objectives = [j["FinalHyperParameterTuningJobObjectiveMetric"]["Value"] for j in training_jobs(client, st.name)]
    assert st.best_training_job.objective_value == min(objectives)


def test_every_sampled_value_lies_in_its_range_with_its_type(client: Any, tmp_path: Any) -> None:
    req = request(tmp_path, jobs=6, parallel=3, rounds=5, config={"tuningStrategy": "RANDOM"})
    run(client, req)
    ranges = req["HyperParameterTuningJobConfig"]["ParameterRanges"]
    jobs = training_jobs(client, req["HyperParameterTuningJobName"])
    assert len(jobs) == 6
    for job in jobs:
        tuned = job["TunedHyperParameters"]
        for r in ranges["ContinuousParameterRanges"]:
            assert float(r["MinValue"]) <= float(tuned[r["Name"]]) <= float(r["MaxValue"])
        for r in ranges["IntegerParameterRanges"]:
            assert tuned[r["Name"]] == str(int(tuned[r["Name"]]))
            assert int(r["MinValue"]) <= int(tuned[r["Name"]]) <= int(r["MaxValue"])


def test_parallel_training_jobs_never_exceed_the_limit_and_do_run_together(client: Any, tmp_path: Any) -> None:
    run(client, request(tmp_path, jobs=6, parallel=2, rounds=30))
    jobs = training_jobs(client, "local-test")
    events = sorted([(j["TrainingStartTime"], 1) for j in jobs] + [(j["TrainingEndTime"], -1) for j in jobs])
    running, most = 0, 0
    for _, step in events:
        running += step
        most = max(most, running)
    assert most == 2


@pytest.mark.parametrize("strategy", ["BAYESIAN", "RANDOM"])
def test_the_same_seed_gives_the_same_trials(client: Any, tmp_path: Any, strategy: str) -> None:
    def trials(name: str) -> list[tuple[Any, ...]]:
        run(client, request(tmp_path, name, jobs=6, parallel=2, rounds=10, config={"tuningStrategy": strategy}))
        return [(j["TunedHyperParameters"], j["FinalHyperParameterTuningJobObjectiveMetric"]["Value"])
                for j in sorted(training_jobs(client, name), key=lambda j: j["TrainingJobName"])]

    assert trials("seeded-a") == trials("seeded-b")


@pytest.mark.filterwarnings("ignore::sagemaker_bridge.TranslationWarning")  # objective is not in the tunable list
def test_a_training_job_xgboost_refuses_fails_with_the_reason_and_the_others_go_on(client: Any, tmp_path: Any) -> None:
    config = {"hyperparameterRanges": {"parameterRangeMap": {
        "objective": {"categoricalParameterRange": {"values": ["binary:logistic", "reg:gamma"]}},
        "max_depth": {"categoricalParameterRange": {"values": ["2", "3", "4", "5", "6"]}}}}}
    req = request(tmp_path, jobs=10, rounds=5, config=config, overrides={"HyperParameterTuningJobConfig": {"Strategy": "Grid"}},
                  statics={"objective": None})
    st = run(client, req)
    jobs = training_jobs(client, st.name)
    assert len(jobs) == 10  # the grid: every combination, once
    assert {(j["TunedHyperParameters"]["objective"], j["TunedHyperParameters"]["max_depth"]) for j in jobs} == {
        (o, str(d)) for o in ("binary:logistic", "reg:gamma") for d in range(2, 7)}
    failed = [j for j in jobs if j["TrainingJobStatus"] == "Failed"]
    assert {j["TunedHyperParameters"]["objective"] for j in failed} == {"reg:gamma"}
    assert all("label must be positive for gamma regression" in j["FailureReason"] for j in failed)
    assert st.status == "Completed" and st.training_jobs.completed == 5 and st.training_jobs.non_retryable_error == 5
    assert st.best_training_job.tuned_hyperparameters["objective"] == "binary:logistic"


def test_a_job_whose_training_jobs_all_fail_is_failed_with_the_first_reason(client: Any, tmp_path: Any) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "data.csv").write_text("1,0.5,0.25\n0,x,0.1\n")
    req = request(tmp_path, jobs=2, rounds=5, inputs={"train": str(bad), "validation": str(SAMPLE / "validation")})
    with pytest.raises(JobFailedError) as failed:
        run(client, req)
    assert failed.value.status.status == "Failed"
    assert "All training jobs failed" in failed.value.status.message and "data.csv" in failed.value.status.message


def test_stop_ends_the_job_within_seconds_and_running_training_jobs_are_stopped(client: Any, tmp_path: Any) -> None:
    req = request(tmp_path, jobs=50, rounds=100000, statics={"early_stopping_rounds": "100000"})
    submit(req, client=client)
    wait_for(lambda: training_jobs(client, "local-test", StatusEquals="InProgress"))
    assert stop("local-test", client=client).status in ("Stopping", "Stopped")
    ended = wait_for(lambda: (s := status("local-test", client=client)).terminal and s, seconds=15)
    assert ended.status == "Stopped"
    jobs = training_jobs(client, "local-test")
    assert jobs and {j["TrainingJobStatus"] for j in jobs} == {"Stopped"}
    assert stop("local-test", client=client).status == "Stopped"  # stopping a stopped job is fine


def test_a_killed_worker_leaves_the_job_failed_with_a_reason_not_in_progress(client: Any, tmp_path: Any) -> None:
    submit(request(tmp_path, jobs=50, rounds=100000), client=client)
    wait_for(lambda: training_jobs(client, "local-test", StatusEquals="InProgress"))
    row = client.store.tuning_job("local-test")
    os.kill(row.worker_pid, signal.SIGKILL)
    ended = wait_for(lambda: (s := status("local-test", client=client)).terminal and s, seconds=10)
    assert ended.status == "Failed" and "worker" in ended.message and "killed" in ended.message
    assert {j["TrainingJobStatus"] for j in training_jobs(client, "local-test")} == {"Failed"}


def test_early_stopping_auto_stops_jobs_worse_than_the_median_as_sagemaker_documents(client: Any, tmp_path: Any) -> None:
    config = {"trainingJobEarlyStoppingType": "AUTO", "tuningStrategy": "RANDOM", "hyperparameterRanges": {
        "parameterRangeMap": {"eta": {"continuousParameterRange": {"minValue": 0.001, "maxValue": 0.5,
                                                                  "scalingType": "LOGARITHMIC"}},
                              "max_depth": {"integerParameterRange": {"minValue": "1", "maxValue": "8"}}}}}
    st = run(client, request(tmp_path, jobs=10, parallel=1, rounds=30, config=config))
    rows = client.store.training_jobs(st.name)
    stopped = [r for r in rows if r.status == "Stopped"]
    assert stopped and all(r.early_stopped and len(r.curve) < 30 for r in stopped)
    for row in rows:  # the rule, computed again: worse than the median of the earlier jobs' running averages
        earlier = [r.curve for r in rows if r.number < row.number]
        stops = [i for i, value in enumerate(row.curve)
                 if (averages := [statistics.fmean(c[: i + 1]) for c in earlier if len(c) > i])
                 and value < statistics.median(averages)]
        assert (row.status == "Stopped") == bool(stops)
        if stops:
            assert len(row.curve) == stops[0] + 1  # stopped at the first round the rule fired


def test_max_runtime_stops_a_training_job_as_max_runtime_exceeded(client: Any, tmp_path: Any) -> None:
    st = run(client, request(tmp_path, jobs=1, parallel=1, rounds=100000, max_runtime_seconds=1))
    job = client.describe_training_job(TrainingJobName=st.name and training_jobs(client, st.name)[0]["TrainingJobName"])
    assert (job["TrainingJobStatus"], job["SecondaryStatus"]) == ("Stopped", "MaxRuntimeExceeded")
    assert job["ModelArtifacts"]["S3ModelArtifacts"] == ""  # no model without save_model_on_termination


def test_reaching_the_target_objective_ends_the_tuning_job_early(client: Any, tmp_path: Any) -> None:
    overrides = {"HyperParameterTuningJobConfig": {"RandomSeed": 7,
                                                   "TuningJobCompletionCriteria": {"TargetObjectiveMetricValue": 0.5}}}
    st = run(client, request(tmp_path, jobs=20, parallel=2, rounds=5, overrides=overrides))
    assert st.status == "Completed"
    assert len(training_jobs(client, st.name)) == 2  # job 1 met it; job 2 was already running; none was asked after


def test_answers_have_botocores_output_shapes(client: Any, tmp_path: Any) -> None:
    req = request(tmp_path, jobs=3, rounds=5, tags={"team": "growth"})
    answers = {"CreateHyperParameterTuningJob": client.create_hyper_parameter_tuning_job(**req)}
    wait("local-test", client=client, poll_seconds=1, timeout_seconds=60)
    name = {"HyperParameterTuningJobName": "local-test"}
    answers["DescribeHyperParameterTuningJob"] = described = client.describe_hyper_parameter_tuning_job(**name)
    answers["ListHyperParameterTuningJobs"] = client.list_hyper_parameter_tuning_jobs()
    answers["ListTrainingJobsForHyperParameterTuningJob"] = client.list_training_jobs_for_hyper_parameter_tuning_job(**name)
    answers["DescribeTrainingJob"] = client.describe_training_job(TrainingJobName=described["BestTrainingJob"]["TrainingJobName"])
    answers["ListTags"] = tags = client.list_tags(ResourceArn=described["HyperParameterTuningJobArn"])
    for operation, answer in answers.items():
        assert output_problems(client, operation, answer) == [], operation
    assert tags["Tags"] == [{"Key": "team", "Value": "growth"}]
    assert described["TrainingJobDefinition"]["StaticHyperParameters"]["_tuning_objective_metric"] == "validation:auc"


def test_errors_are_sagemakers_client_errors(client: Any, tmp_path: Any) -> None:
    from botocore.exceptions import ClientError

    with pytest.raises(JobNotFoundError, match="can't find a tuning job with name nope"):
        status("nope", client=client)
    with pytest.raises(ClientError) as missing:
        client.describe_training_job(TrainingJobName="nope")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFound"
    with pytest.raises(ClientError, match="less than or equal to 100"):
        client.list_training_jobs_for_hyper_parameter_tuning_job(HyperParameterTuningJobName="x", MaxResults=101)
    req = request(tmp_path, jobs=2, rounds=5)
    arn = submit(req, client=client)
    assert submit(req, client=client) == arn  # a retry of the same request: the same job, never a second
    with pytest.raises(JobConflictError):
        submit(request(tmp_path, jobs=3, rounds=5), client=client)
    wait("local-test", client=client, poll_seconds=1, timeout_seconds=60)
    warm = request(tmp_path, "warm", jobs=2, rounds=5, overrides={"WarmStartConfig": {
        "ParentHyperParameterTuningJobs": [{"HyperParameterTuningJobName": "local-test"}],
        "WarmStartType": "IdenticalDataAndAlgorithm"}})
    with pytest.raises(TranslationError) as refused:  # the engine would ignore it: refused, not silently dropped
        submit(warm, client=client)
    assert [(p.path, p.code) for p in refused.value.errors] == [("WarmStartConfig", "local.unsupported")]
    with pytest.raises(ClientError) as not_running:
        client.stop_hyper_parameter_tuning_job(HyperParameterTuningJobName="local-test")
    assert not_running.value.response["Error"]["Code"] == "ValidationException"


def test_listings_page_and_sort_as_sagemakers(client: Any, tmp_path: Any) -> None:
    run(client, request(tmp_path, jobs=7, parallel=3, rounds=5))
    first = client.list_training_jobs_for_hyper_parameter_tuning_job(HyperParameterTuningJobName="local-test", MaxResults=3)
    assert len(first["TrainingJobSummaries"]) == 3 and "NextToken" in first
    names = [j["TrainingJobName"] for j in training_jobs(client, "local-test", PaginationConfig={"PageSize": 2})]
    assert names == sorted(names) and len(names) == 7 and names[0].startswith("local-test-001-")
    values = [j["FinalHyperParameterTuningJobObjectiveMetric"]["Value"]
              for j in training_jobs(client, "local-test", SortBy="FinalObjectiveMetricValue", SortOrder="Descending")]
    assert values == sorted(values, reverse=True)
    newest = training_jobs(client, "local-test", SortBy="CreationTime", SortOrder="Descending")
    assert newest[0]["TrainingJobName"].startswith("local-test-007-")


def test_two_clients_on_one_directory_see_the_same_jobs(local_dir: pathlib.Path, tmp_path: Any) -> None:
    run(LocalSageMaker(), request(tmp_path, jobs=2, rounds=5))
    assert status("local-test", client=LocalSageMaker(local_dir)).status == "Completed"
    assert [s["HyperParameterTuningJobName"] for s in
            LocalSageMaker().list_hyper_parameter_tuning_jobs()["HyperParameterTuningJobSummaries"]] == ["local-test"]


def test_libsvm_channels_train_as_csv_ones_do(client: Any, tmp_path: Any) -> None:
    from sklearn.datasets import dump_svmlight_file

    inputs = {}
    for name in ("train", "validation"):
        features, labels = read_csv(SAMPLE / name)
        (tmp_path / name).mkdir()
        dump_svmlight_file(features, labels, str(tmp_path / name / "part.libsvm"), zero_based=True)
        inputs[name] = str(tmp_path / name)
    csv = run(client, request(tmp_path, "as-csv", jobs=2, rounds=10))
    req = request(tmp_path, "as-libsvm", jobs=2, rounds=10, inputs=inputs)
    for channel in req["TrainingJobDefinition"]["InputDataConfig"]:  # Flyte's messages know only text/csv
        channel["ContentType"] = "text/libsvm"
    libsvm = run(client, req)
    assert libsvm.best_training_job.objective_value == pytest.approx(csv.best_training_job.objective_value, abs=1e-9)


def test_a_different_xgboost_than_the_images_is_said_once(client: Any, tmp_path: Any) -> None:
    from sagemaker_bridge.local import LocalEngineWarning, client as engine

    engine._warned.clear()
    with pytest.warns(LocalEngineWarning, match="SageMaker's XGBoost 1.7-1; the local engine trains with the installed"):
        submit(request(tmp_path, "warned-1", jobs=1, parallel=1, rounds=2), client=client)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        submit(request(tmp_path, "warned-2", jobs=1, parallel=1, rounds=2), client=client)


def test_a_described_local_job_imports_to_the_spec_that_makes_its_request_again(client: Any, tmp_path: Any) -> None:
    """translate(from_request(describe(job))) is the request that created the job: the `_tuning_objective_metric`
    SageMaker adds to every description is not carried into the spec (issue 19, part 4)."""
    from sagemaker_bridge.aws import describe
    from sagemaker_bridge.local import translate
    from sagemaker_bridge.local.paths import from_request

    req = request(tmp_path, jobs=2, rounds=3, tags={"team": "growth"})
    run(client, req)
    described = describe("local-test", client=client)
    assert described["TrainingJobDefinition"]["StaticHyperParameters"]["_tuning_objective_metric"] == "validation:auc"
    spec = from_request(described)
    assert "_tuning_objective_metric" not in spec["static_hyperparameters"]
    job, config = spec.pop("job"), spec.pop("config")
    assert translate(job, config, **spec) == req
