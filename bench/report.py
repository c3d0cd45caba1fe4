"""The report's reading of a big tuning job, beside the SageMaker SDK's analytics reading the same pages in the same
run: 10,000 training jobs (Random search's maximum) answered in process (as botocore's Stubber answers) through a
real boto3 client (moto lacks the listing). Counted: the calls each makes. Timed: reading the pages into rows (ours:
records and the table; the SDK's: `HyperparameterTuningJobAnalytics.dataframe()`), then our HTML report (its size,
time, and getrusage's peak RSS). The SDK (sagemaker 2.x, with pandas) is installed by `tox -e bench` only; without
it, its row says so.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from typing import Any, Callable

ARN = "arn:aws:sagemaker:us-east-1:123456789012"


def _described(jobs: int) -> dict[str, Any]:
    return {"HyperParameterTuningJobName": "big", "HyperParameterTuningJobArn": f"{ARN}:hyper-parameter-tuning-job/big",
            "HyperParameterTuningJobStatus": "Completed",
            "CreationTime": datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc),
            "TrainingJobStatusCounters": {"Completed": jobs}, "ObjectiveStatusCounters": {"Succeeded": jobs},
            "HyperParameterTuningJobConfig": {
                "Strategy": "Random", "HyperParameterTuningJobObjective": {"Type": "Maximize", "MetricName": "validation:auc"},
                "ResourceLimits": {"MaxNumberOfTrainingJobs": jobs, "MaxParallelTrainingJobs": 100},
                "ParameterRanges": {
                    "ContinuousParameterRanges": [{"Name": n, "MinValue": "0.001", "MaxValue": "1",
                                                   "ScalingType": "Logarithmic"} for n in ("eta", "alpha", "lambda")],
                    "IntegerParameterRanges": [{"Name": "max_depth", "MinValue": "1", "MaxValue": "10",
                                                "ScalingType": "Linear"}],
                    "CategoricalParameterRanges": [{"Name": "booster", "Values": ["gbtree", "dart"]}]}}}


def _pages(jobs: int) -> list[dict[str, Any]]:
    rng = random.Random(1)
    start = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)
    summaries = []
    for i in range(jobs):
        status = rng.choice(["Completed"] * 8 + ["Failed", "Stopped"])
        began = start + datetime.timedelta(seconds=i * 10)
        job: dict[str, Any] = {
            "TrainingJobName": f"big-{i:05d}", "TrainingJobArn": f"{ARN}:training-job/big-{i:05d}",
            "TrainingJobStatus": status, "CreationTime": began, "TrainingStartTime": began,
            "TrainingEndTime": began + datetime.timedelta(seconds=300),
            "TunedHyperParameters": {"eta": str(10 ** rng.uniform(-3, 0)), "alpha": str(10 ** rng.uniform(-3, 0)),
                                     "lambda": str(10 ** rng.uniform(-3, 0)), "max_depth": str(rng.randint(1, 10)),
                                     "booster": rng.choice(["gbtree", "dart"])}}
        if status != "Failed":
            job["FinalHyperParameterTuningJobObjectiveMetric"] = {"MetricName": "validation:auc", "Value": rng.random()}
        else:
            job["FailureReason"] = "AlgorithmError: it broke"
        summaries.append(job)
    pages = [summaries[i:i + 100] for i in range(0, jobs, 100)]
    return [{"TrainingJobSummaries": p, **({"NextToken": f"t{n}"} if n < len(pages) - 1 else {})}
            for n, p in enumerate(pages)]


def _served(jobs: int) -> tuple[Any, Callable[[], int]]:
    """A real boto3 client whose calls are answered in process, as botocore's Stubber answers them (a before-call
    handler returns the parsed answer), but by operation and NextToken, in whatever order the caller asks; and how
    many calls it has made. Each answer passes botocore's parameter validation of the request first."""
    from sagemaker_bridge import make_client

    client = make_client(region="us-east-1")
    described, pages = _described(jobs), _pages(jobs)
    calls = [0]

    def answer(model: Any, params: Any, **_: Any) -> Any:
        calls[0] += 1
        if model.name == "DescribeHyperParameterTuningJob":
            return _http(), described
        token = json.loads(params["body"] or b"{}").get("NextToken")  # the serialized request (JSON protocol)
        return _http(), pages[int(token[1:]) + 1 if token else 0]

    client.meta.events.register("before-call.sagemaker", answer)
    return client, lambda: calls[0]


def _http() -> Any:
    from botocore.awsrequest import AWSResponse

    return AWSResponse(None, 200, {}, None)


def _ours(jobs: int) -> dict[str, Any]:
    from sagemaker_bridge.report import data, html, summary

    client, calls = _served(jobs)
    started = time.perf_counter()
    found = data.from_client("big", client)
    rows = summary.table(found)
    read_s = time.perf_counter() - started
    before = _peak_rss_mib()
    started = time.perf_counter()
    page = html.render(found)
    html_s = time.perf_counter() - started
    return {"rows": len(rows), "calls": calls(), "read_s": read_s, "html_s": html_s, "html_mb": len(page) / 2**20,
            "peak_rss_mib": _peak_rss_mib(), "rss_growth_mib": _peak_rss_mib() - before}


def _peak_rss_mib() -> float:
    """The process's peak resident memory (getrusage; Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sdk(jobs: int) -> dict[str, Any]:
    try:
        import boto3
        from sagemaker.analytics import HyperparameterTuningJobAnalytics
        from sagemaker.session import Session
    except ImportError:
        return {"missing": "the SageMaker SDK is not installed here (tox -e bench installs it)"}
    client, calls = _served(jobs)
    session = Session(boto_session=boto3.session.Session(region_name="us-east-1"), sagemaker_client=client)
    started = time.perf_counter()
    frame = HyperparameterTuningJobAnalytics("big", sagemaker_session=session).dataframe()
    return {"rows": len(frame), "calls": calls(), "read_s": time.perf_counter() - started}


def measure(smoke: bool) -> dict[str, Any]:
    jobs = 1000 if smoke else 10000
    return {"jobs": jobs, "ours": _ours(jobs), "sdk": _sdk(jobs)}
