"""Fault campaign: many submissions through a fault-injecting loopback proxy in front of moto server.

Run: python bench/faults.py [--jobs N]   (prints the figures as JSON; the README quotes them)
Every create meets a fault (throttle, HTTP 500, connection reset, or its answer lost after moto created the job),
every third describe too, and every caller also retries on its own. The figures: jobs created, duplicates, callers
told their ARN. botocore's real back-off is kept, so this takes a while.
"""

from __future__ import annotations

import argparse
import collections
import json
import pathlib
import sys
import time
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

CREATE, DESCRIBE = "CreateHyperParameterTuningJob", "DescribeHyperParameterTuningJob"
KINDS = ("throttle", "500", "reset", "lose_response")


def campaign(jobs: int) -> dict[str, Any]:
    from faultproxy import FaultProxy
    from motoserver import running_moto_server

    from sagemaker_bridge import make_client, statuses, submit, translate

    spec = json.loads((ROOT / "fixtures" / "custom-image.json").read_text())
    job, config = spec.pop("job"), spec.pop("config")
    with running_moto_server() as endpoint, FaultProxy(endpoint) as proxy:
        client = make_client(region="us-east-1", endpoint_url=proxy.url)
        names = [f"campaign-{i:03d}" for i in range(jobs)]
        told, started = 0, time.perf_counter()
        for i, name in enumerate(names):
            request = dict(translate(job, config, **{**spec, "job_name": name}))
            proxy.inject(CREATE, KINDS[i % len(KINDS)])
            if i % 3 == 0:
                proxy.inject(DESCRIBE, KINDS[i % 3])
            told += submit(request, client=client).endswith("/" + name)
            told += submit(request, client=client).endswith("/" + name)  # the caller's own retry
        took = time.perf_counter() - started
        created = collections.Counter(
            s["HyperParameterTuningJobName"]
            for page in client.get_paginator("list_hyper_parameter_tuning_jobs").paginate(NameContains="campaign-")
            for s in page["HyperParameterTuningJobSummaries"])
        succeeded = sum(st.phase == "SUCCEEDED" for st in statuses(names, client=client).values())
        return {"submissions": 2 * jobs, "faults_injected": dict(proxy.injected),
                "creates_forwarded_to_moto": proxy.forwarded[CREATE], "jobs_created": len(created),
                "duplicates": sum(n - 1 for n in created.values()), "callers_told_their_arn": told,
                "jobs_succeeded": succeeded, "seconds": round(took, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=24, help="tuning jobs to submit, each twice (default 24)")
    figures = campaign(parser.parse_args().jobs)
    print(json.dumps(figures, indent=2))
    if figures["duplicates"] or figures["jobs_created"] != figures["submissions"] // 2:
        raise SystemExit("FAILED: a job was duplicated or lost")


if __name__ == "__main__":
    main()
