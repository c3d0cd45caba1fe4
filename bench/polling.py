"""statuses() against moto server: API calls and time per polling round, for our jobs among other jobs in flight.

Our jobs are named as a caller names a sweep (job_name("churn-sweep", i): they share the readable prefix
"churn-sweep-"); the other jobs are anyone else's. moto completes jobs at once, so every job is put in flight in
moto's own state (the stand-in for SageMaker making progress), and some of ours are then completed between rounds.
"""

from __future__ import annotations

import collections
import json
import pathlib
import time
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
TARGET_CALLS = 12  # per round, for 1,000 of ours among 4,000 other jobs in flight


def _set_status(name: str, status: str) -> None:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sagemaker.models import sagemaker_backends

    job = sagemaker_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].hyper_parameter_tuning_jobs[name]
    job.hyper_parameter_tuning_job_status = status


def _counter(client: Any) -> collections.Counter[str]:
    counts: collections.Counter[str] = collections.Counter()
    client.meta.events.register("before-call.sagemaker", lambda model, **_: counts.update([model.name]))
    return counts


def measure(steps: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """For each (ours, others) in `steps` (growing): three rounds of statuses(), as a poller runs them.

    Round 1: all in flight (the target: at most TARGET_CALLS). Then a tenth of ours complete; round 2 describes
    each of them once (the best job is in no list); round 3 answers them from the caller's `ended` dict without a
    call. A fourth call with read_model=False shows the model read
    (DescribeTrainingJob) turned off.
    """
    from motoserver import running_moto_server

    from sagemaker_bridge import job_name, make_client, statuses, translate

    with running_moto_server() as endpoint:
        client = make_client(region="us-east-1", endpoint_url=endpoint)
        spec = json.loads((ROOT / "fixtures" / "custom-image.json").read_text())
        job, config = spec.pop("job"), spec.pop("config")
        request = dict(translate(job, config, **spec))
        ours: list[str] = []
        others: list[str] = []
        rows = []
        for want_ours, want_others in steps:
            for names, want, make in ((ours, want_ours, lambda i: job_name("churn-sweep", i)),
                                      (others, want_others, lambda i: f"team{i % 37}-exp-{i:05d}")):
                while len(names) < want:
                    names.append(make(len(names)))
                    client.create_hyper_parameter_tuning_job(**{**request, "HyperParameterTuningJobName": names[-1]})
            for name in ours + others:
                _set_status(name, "InProgress")
            rows.append(_rounds(client, statuses, ours, len(others)))
        return rows


def _rounds(client: Any, statuses: Any, ours: list[str], others: int) -> dict[str, Any]:
    counts = _counter(client)
    ended: dict[str, Any] = {}
    row: dict[str, Any] = {"ours": len(ours), "others_in_flight": others}
    for number in (1, 2, 3):
        if number == 2:
            for name in ours[::10]:
                _set_status(name, "Completed")
        counts.clear()
        started = time.perf_counter()
        result = statuses(ours, client=client, ended=ended)
        row[f"round{number}_ms"] = (time.perf_counter() - started) * 1000
        row[f"round{number}_calls"] = dict(counts)
        if len(result) != len(ours):
            raise SystemExit(f"statuses() answered {len(result)} of {len(ours)} names")
    counts.clear()
    statuses(ours[::10], client=client, read_model=False)  # the completed ones, afresh: no ended dict
    row["read_model_off_calls"] = dict(counts)
    row["calls_all_in_flight"] = max(sum(row[f"round{n}_calls"].values()) for n in (1, 3))
    return row
