"""LocalSageMaker: the SageMaker calls the lifecycle makes, answered by a tuning engine on this machine.

Requests are validated by botocore's own ParamValidator against the SageMaker model, errors are botocore
ClientErrors with SageMaker's codes, listings page through botocore's own Paginator: code written for boto3's
client runs on this one unchanged. Jobs live in a Store; each runs in a background worker process.
"""

from __future__ import annotations

import operator
import os
import pathlib
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Mapping
from typing import Any, Optional

from ..problems import Problem
from . import plan, responses
from .store import Store, TuningRow, local_dir

REGION = "local"  # not an AWS region: no console or log links are made for it
STALE_SECONDS = 30.0  # a worker silent this long (its heartbeat is every second) is dead
SORT_KEYS = {"Name": lambda j: j.name, "CreationTime": lambda j: (j.created, j.number),
             "Status": lambda j: (j.status, j.number), "FinalObjectiveMetricValue": lambda j: (j.objective, j.number)}
TIME_FILTERS = {"CreationTimeAfter": ("created", operator.gt), "CreationTimeBefore": ("created", operator.lt),
                "LastModifiedTimeAfter": ("modified", operator.gt), "LastModifiedTimeBefore": ("modified", operator.lt)}
WORKERS: list[subprocess.Popen[bytes]] = []  # spawned by this process (the test session stops them all)
_warned: set[str] = set()


class LocalEngineWarning(UserWarning):
    """Something the local engine does differently from SageMaker, said once."""


def _client_error(code: str, message: str, operation: str) -> Exception:
    from botocore.exceptions import ClientError

    answer: Any = {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": 400}}
    return ClientError(answer, operation)


class _Meta:
    def __init__(self, region: str, service_model: Any):
        self.region_name, self.service_model = region, service_model


class LocalSageMaker:
    def __init__(self, directory: Optional[os.PathLike[str] | str] = None, *, region: str = REGION):
        from ..aws.client import _botocore_session

        self.store = Store(pathlib.Path(directory) if directory is not None else local_dir())
        self._session = _botocore_session()
        self.meta = _Meta(region, self._session.get_service_model("sagemaker"))

    # the seam submit() asks: what this client refuses, before any call

    def request_problems(self, request: Any) -> list[Problem]:
        return plan.problems(request)

    def _validated(self, operation: str, params: Mapping[str, Any]) -> None:
        from botocore.exceptions import ParamValidationError
        from botocore.validate import ParamValidator

        shape = self.meta.service_model.operation_model(operation).input_shape
        report = ParamValidator().validate(dict(params), shape)
        if report.has_errors():
            raise ParamValidationError(report=report.generate_report())
        for name, member in shape.members.items():  # botocore checks minimums only; SageMaker checks the maximums
            limit = member.metadata.get("max")
            if member.type_name == "integer" and limit is not None and params.get(name, limit) > limit:
                raise _client_error("ValidationException", f"1 validation error detected: Value '{params[name]}' at "
                                    f"'{name[0].lower() + name[1:]}' failed to satisfy constraint: Member must have value "
                                    f"less than or equal to {limit}", operation)

    def _tuning(self, name: str, operation: str) -> TuningRow:
        row = self.store.tuning_job(name)
        if row is None:
            raise _client_error("ResourceNotFound", f"Amazon SageMaker can't find a tuning job with name {name}",
                                operation)
        return self._checked_alive(row)

    # tuning jobs

    def create_hyper_parameter_tuning_job(self, **request: Any) -> dict[str, Any]:
        operation = "CreateHyperParameterTuningJob"
        self._validated(operation, request)
        errors = [p for p in plan.problems(request) if p.is_error]
        if errors:
            raise _client_error("ValidationException", "; ".join(p.line() for p in errors), operation)
        name = request["HyperParameterTuningJobName"]
        if not self.store.insert_tuning_job(name, request):
            raise _client_error("ResourceInUse", f"Hyperparameter tuning job with name {name} already exists. "
                                "Choose a different name.", operation)
        self._warn_version(plan.read_plan(request).image)
        self._spawn(name)
        return {"HyperParameterTuningJobArn": responses.arn(self.meta.region_name, "hyper-parameter-tuning-job", name)}

    def _spawn(self, name: str) -> None:
        logs = self.store.directory / "logs"
        logs.mkdir(exist_ok=True)
        package_root = str(pathlib.Path(__file__).resolve().parents[2])
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}  # the worker needs no credential
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        with open(logs / f"{name}.log", "ab") as log:
            worker = subprocess.Popen([sys.executable, "-m", "sagemaker_bridge.local.worker", str(self.store.directory),
                                       name], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True, env=env)
        WORKERS.append(worker)
        threading.Thread(target=worker.wait, name=f"reap-{name}", daemon=True).start()  # no zombie left behind
        self.store.update_tuning_job(name, worker_pid=worker.pid)

    def _warn_version(self, image: str) -> None:
        import xgboost

        from ..algorithms.images import xgboost_version

        wanted = xgboost_version(image) or ""
        installed = ".".join(xgboost.__version__.split(".")[:2])
        key = f"{wanted}/{installed}"
        if wanted and not wanted.startswith(installed + "-") and key not in _warned:
            _warned.add(key)
            warnings.warn(f"the job asks for SageMaker's XGBoost {wanted}; the local engine trains with the installed "
                          f"xgboost {xgboost.__version__}", LocalEngineWarning, stacklevel=3)

    def describe_hyper_parameter_tuning_job(self, **params: Any) -> dict[str, Any]:
        operation = "DescribeHyperParameterTuningJob"
        self._validated(operation, params)
        row = self._tuning(params["HyperParameterTuningJobName"], operation)
        return responses.describe_tuning_job(row, self.store.training_jobs(row.name), self.meta.region_name)

    def list_hyper_parameter_tuning_jobs(self, **params: Any) -> dict[str, Any]:
        self._validated("ListHyperParameterTuningJobs", params)
        rows = [self._checked_alive(r) for r in self.store.tuning_jobs()]
        if params.get("NameContains"):
            rows = [r for r in rows if params["NameContains"].lower() in r.name.lower()]
        if params.get("StatusEquals"):
            rows = [r for r in rows if r.status == params["StatusEquals"]]
        for key, (column, keep) in TIME_FILTERS.items():
            if key in params:
                rows = [r for r in rows if keep(getattr(r, column), _seconds(params[key]))]
        order = {"Name": lambda r: r.name, "Status": lambda r: (r.status, r.created)}.get(
            params.get("SortBy", "Name"), lambda r: r.created)
        rows.sort(key=order, reverse=params.get("SortOrder", "Ascending") == "Descending")
        page, token = _page(rows, params)
        summaries = [responses.tuning_summary(r, self.store.training_jobs(r.name), self.meta.region_name) for r in page]
        return {"HyperParameterTuningJobSummaries": summaries, **token}

    def stop_hyper_parameter_tuning_job(self, **params: Any) -> dict[str, Any]:
        operation = "StopHyperParameterTuningJob"
        self._validated(operation, params)
        row = self._tuning(params["HyperParameterTuningJobName"], operation)
        if not self.store.update_tuning_job(row.name, status="Stopping", stop_requested=1, only_if_status=("InProgress",)):
            raise _client_error("ValidationException", f"The hyperparameter tuning job {row.name} is in status "
                                f"{row.status}; only a job InProgress can be stopped", operation)
        return {}

    def list_training_jobs_for_hyper_parameter_tuning_job(self, **params: Any) -> dict[str, Any]:
        operation = "ListTrainingJobsForHyperParameterTuningJob"
        self._validated(operation, params)
        row = self._tuning(params["HyperParameterTuningJobName"], operation)
        jobs = self.store.training_jobs(row.name)
        if params.get("StatusEquals"):
            jobs = [j for j in jobs if j.status == params["StatusEquals"]]
        sort_by = params.get("SortBy", "Name")
        if sort_by == "FinalObjectiveMetricValue":  # that sort leaves out jobs that reported no objective (boto3 docs)
            jobs = [j for j in jobs if responses.objective_status(j) == "Succeeded"]
        jobs.sort(key=SORT_KEYS[sort_by], reverse=params.get("SortOrder", "Ascending") == "Descending")
        page, token = _page(jobs, params)
        return {"TrainingJobSummaries": [responses.training_summary(j, row, self.meta.region_name) for j in page],
                **token}

    def describe_training_job(self, **params: Any) -> dict[str, Any]:
        operation = "DescribeTrainingJob"
        self._validated(operation, params)
        job = self.store.training_job(params["TrainingJobName"])
        tuning = self.store.tuning_job(job.tuning_key) if job else None
        if job is None or tuning is None:
            raise _client_error("ResourceNotFound", "Requested resource not found.", operation)
        return responses.describe_training_job(job, tuning, self.meta.region_name)

    def list_tags(self, **params: Any) -> dict[str, Any]:
        self._validated("ListTags", params)
        row = self.store.tuning_job(responses.name_of(params["ResourceArn"]))
        tags = list(row.request.get("Tags") or []) if row else []
        page, token = _page(tags, params)
        return {"Tags": page, **token}

    def get_paginator(self, operation_name: str) -> Any:
        """botocore's own Paginator, over this client's method, with SageMaker's pagination model."""
        from botocore.paginate import Paginator

        model = self.meta.service_model
        operation = model.operation_model(next(n for n in model.operation_names
                                               if _snake(n) == operation_name))
        config = self._session.get_paginator_model("sagemaker").get_paginator(operation.name)
        return Paginator(getattr(self, operation_name), config, operation)  # type: ignore[no-untyped-call]

    def can_paginate(self, operation_name: str) -> bool:
        return operation_name in ("list_hyper_parameter_tuning_jobs", "list_tags",
                                  "list_training_jobs_for_hyper_parameter_tuning_job")

    # a worker that died

    def _checked_alive(self, row: TuningRow) -> TuningRow:
        """A job whose worker is gone (killed, the machine restarted) ends now: Failed with the reason, or Stopped
        when a stop was asked. Never InProgress forever."""
        if row.status not in ("InProgress", "Stopping"):
            return row
        last_sign = row.heartbeat or row.created
        if _alive(row.worker_pid) and time.time() - last_sign < STALE_SECONDS:
            return row
        if row.worker_pid is None and time.time() - row.created < STALE_SECONDS:
            return row  # being started
        log = self.store.directory / "logs" / f"{row.name}.log"
        reason = (f"the local worker (pid {row.worker_pid}) ended without finishing the job (killed, or the machine "
                  f"restarted); its log: {log}")
        status = "Stopped" if row.stop_requested else "Failed"
        if self.store.update_tuning_job(row.name, status=status, ended=time.time(), only_if_status=("InProgress", "Stopping"),
                                        failure_reason=None if row.stop_requested else reason):
            self.store.end_unfinished_training_jobs(row.name, status, status, None if row.stop_requested else reason)
        return self.store.tuning_job(row.name) or row


def _alive(pid: Optional[int]) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process took the number
        return False
    try:  # a zombie is dead: its parent has not reaped it yet
        return pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _seconds(value: Any) -> float:
    return value.timestamp() if hasattr(value, "timestamp") else float(value)


def _snake(operation: str) -> str:
    from botocore import xform_name

    return str(xform_name(operation))


def _page(items: list[Any], params: Mapping[str, Any]) -> tuple[list[Any], dict[str, str]]:
    """One page and the NextToken of the next (an offset: opaque to the caller, as SageMaker's)."""
    try:
        start = int(params.get("NextToken") or 0)
    except ValueError:
        start = -1
    if start < 0:
        raise _client_error("ValidationException", "Invalid pagination token", "List")
    size = int(params.get("MaxResults") or 10)
    page = items[start:start + size]
    return page, ({"NextToken": str(start + size)} if start + size < len(items) else {})
