"""The background worker that runs one local tuning job: `python -m sagemaker_bridge.local.worker DIR NAME`.

It outlives the command that submitted the job, as a SageMaker job does. Optuna only proposes values and learns
results (ask and tell); the worker owns the training jobs, their states and their threads (xgboost releases the GIL,
so jobs train truly in parallel). Reproducible: trial k is asked only once trials 0..k-P have ended, and Optuna is
told of them then, in number order: with the same RandomSeed every ask sees the same history, whatever the timing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pathlib
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Optional

from . import search, training
from .plan import Plan, read_plan
from .store import Store

log = logging.getLogger("sagemaker_bridge.local")
HEARTBEAT_SECONDS = 1.0
# stop reason -> (training job status, secondary status, early-stopped)
ENDINGS = {None: ("Completed", "Completed", False), "stopped": ("Stopped", "Stopped", False),
           "max_runtime": ("Stopped", "MaxRuntimeExceeded", False), "early_stopped": ("Stopped", "Stopped", True),
           "pruned": ("Stopped", "Stopped", True)}


def training_job_name(tuning_job: str, number: int) -> str:
    """`<tuning job>-<NNN>-<8 hex>` as SageMaker names them; the hex is a hash, so a rerun names its jobs the same."""
    digest = hashlib.sha256(f"{tuning_job}/{number}".encode()).hexdigest()[:8]
    return f"{tuning_job}-{number:03d}-{digest}"


@dataclass
class Result:
    status: str
    objective: Optional[float]
    curve: list[float]


class JobMonitor:
    """Decides after each boosting round whether the training job goes on (training.Monitor)."""

    def __init__(self, run: TuningRun, trial: Any, earlier: list[list[float]]):
        self.run, self.trial, self.earlier = run, trial, earlier
        self.deadline = time.monotonic() + run.plan.max_runtime if run.plan.max_runtime else None

    def after_round(self, round_index: int, value: float) -> Optional[str]:
        plan = self.run.plan
        if self.run.stopping.is_set():
            return "stopped"
        if self.deadline is not None and time.monotonic() > self.deadline:
            return "max_runtime"
        if plan.strategy == "Hyperband":
            self.trial.report(value, round_index)
            if self.trial.should_prune():
                return "pruned"
        if plan.early_stopping and search.worse_than_median(value, round_index, self.earlier, plan.maximize):
            return "early_stopped"
        return None


class TuningRun:
    def __init__(self, store: Store, name: str):
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        self.store, self.name = store, name
        row = store.tuning_job(name)
        if row is None:
            raise SystemExit(f"no local tuning job {name}")
        self.plan: Plan = read_plan(row.request)
        num_round = int(float(self.plan.statics.get("num_round", "1") or 1))
        self.study = optuna.create_study(
            direction="maximize" if self.plan.maximize else "minimize",
            sampler=search.sampler(self.plan.strategy, self.plan.dims, self.plan.seed),
            pruner=search.pruner(self.plan.strategy, self.plan.config, num_round))
        self.stopping = threading.Event()
        self.changed = threading.Condition()
        self.results: dict[int, Result] = {}
        self.curves: list[list[float]] = []  # of the jobs Optuna has been told of, in number order
        self.data: dict[bool, dict[str, training.Channel]] = {}
        self.data_lock = threading.Lock()
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        self.nthread = max(1, cpus // min(self.plan.parallel, self.plan.max_jobs))

    def channels(self, csv_weights: bool) -> dict[str, training.Channel]:
        with self.data_lock:  # read once per layout, shared by every training job
            if csv_weights not in self.data:
                self.data[csv_weights] = {
                    c.name: training.read_channel(c.name, c.path, c.content_type, csv_weights)
                    for c in self.plan.channels if c.name in training.CHANNELS}
            return self.data[csv_weights]

    def train(self, number: int, job: str, trial: Any, hyperparameters: dict[str, str],
              earlier: list[list[float]]) -> None:
        result = Result("Failed", None, [])
        values: dict[str, Any] = {}
        try:
            weights = hyperparameters.get("csv_weights", "0").strip() == "1"
            outcome = training.train(hyperparameters, self.channels(weights), self.plan.metric,
                                     JobMonitor(self, trial, earlier), self.nthread,
                                     training.release_of(self.plan.image))
            status, secondary, early = ENDINGS[outcome.stop_reason]
            result = Result(status, outcome.objective, outcome.values)
            values = {"status": status, "secondary": secondary, "early_stopped": int(early),
                      "objective": outcome.objective, "curve": outcome.values}
            keep = hyperparameters.get("save_model_on_termination", "false").lower() == "true"
            if status == "Completed" or keep:
                values["model"] = training.write_model(outcome.booster, self.plan.output, job).as_uri()
        except training.TrainingFailed as exc:
            values = {"status": "Failed", "secondary": "Failed", "failure_reason": str(exc)}
        except Exception as exc:  # never a traceback out of the worker: the job fails with the reason
            values = {"status": "Failed", "secondary": "Failed",
                      "failure_reason": f"AlgorithmError: {type(exc).__name__}: {training.first_line(exc)}"}
        self.store.update_training_job(job, ended=time.time(), **values)
        log.info("%s: %s %s", job, values.get("status"), values.get("objective", values.get("failure_reason", "")))
        with self.changed:
            self.results[number] = result
            self.changed.notify_all()

    def tell(self, number: int, trial: Any) -> None:
        import optuna

        result = self.results[number]
        self.curves.append(result.curve)
        if result.status == "Completed" and result.objective is not None:
            self.study.tell(trial, result.objective)
        elif result.status == "Stopped":
            self.study.tell(trial, state=optuna.trial.TrialState.PRUNED)
        else:
            self.study.tell(trial, state=optuna.trial.TrialState.FAIL)

    def run(self) -> None:
        plan = self.plan
        trials: list[Any] = []
        # P threads for the whole run, each training one job after another: xgboost's OpenMP team of each thread is
        # made once and reused, not made again for every job
        pool = ThreadPoolExecutor(max_workers=min(plan.parallel, plan.max_jobs), thread_name_prefix=self.name)
        told, target_met, beat = 0, False, 0.0
        while True:
            now = time.monotonic()
            if now - beat >= HEARTBEAT_SECONDS:
                beat = now
                self.store.update_tuning_job(self.name, heartbeat=time.time())
                row = self.store.tuning_job(self.name)
                if row is not None and row.stop_requested:
                    self.stopping.set()
            with self.changed:
                # tell, in number order, the jobs the next ask must know of: those P or more before it
                while told <= len(trials) - plan.parallel and told in self.results:
                    self.tell(told, trials[told])
                    target_met = target_met or plan.reached(self.results[told].objective
                                                           if self.results[told].status == "Completed" else None)
                    told += 1
                may_ask = (not self.stopping.is_set() and not target_met and len(trials) < plan.max_jobs
                           and told >= len(trials) - plan.parallel + 1)
                finished = len(self.results) == len(trials)
                if not may_ask and finished and (len(trials) >= plan.max_jobs or self.stopping.is_set() or target_met):
                    break
                if not may_ask:
                    self.changed.wait(HEARTBEAT_SECONDS)
                    continue
            number = len(trials)
            trial = self.study.ask({d.name: d.distribution() for d in plan.dims})
            tuned = {d.name: d.value_text(trial.params[d.name]) for d in plan.dims}
            job = training_job_name(self.name, number + 1)
            self.store.insert_training_job(self.name, job, number + 1, tuned)
            trials.append(trial)
            pool.submit(self.train, number, job, trial, {**plan.statics, **tuned}, list(self.curves))
        pool.shutdown(wait=True)
        self.finish(target_met)

    def finish(self, target_met: bool) -> None:
        statuses = [r.status for r in self.results.values()]
        ended = time.time()
        if self.stopping.is_set() and not target_met:
            self.store.update_tuning_job(self.name, status="Stopped", ended=ended, only_if_status=("Stopping", "InProgress"))
        elif statuses and all(s == "Failed" for s in statuses):
            first = next(r.failure_reason for r in self.store.training_jobs(self.name) if r.failure_reason)
            self.store.update_tuning_job(self.name, status="Failed", ended=ended,
                                         failure_reason=f"All training jobs failed. First failure: {first}")
        else:
            self.store.update_tuning_job(self.name, status="Completed", ended=ended,
                                         only_if_status=("InProgress", "Stopping"))


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout)
    directory, name = pathlib.Path(argv[0]), argv[1]
    store = Store(directory)
    try:
        run = TuningRun(store, name)
        log.info("tuning job %s: %s, %d training jobs, %d at a time, %d threads each", name, run.plan.strategy,
                 run.plan.max_jobs, run.plan.parallel, run.nthread)
        run.run()
    except BaseException as exc:  # the job never stays InProgress: Failed, with the reason
        reason = f"the local worker failed: {type(exc).__name__}: {training.first_line(exc)}"
        log.exception(reason)
        store.end_unfinished_training_jobs(name, "Failed", "Failed", reason)
        store.update_tuning_job(name, status="Failed", failure_reason=reason, ended=time.time(),
                                only_if_status=("InProgress", "Stopping"))
        return 1
    ended = store.tuning_job(name)
    log.info("tuning job %s: %s", name, ended.status if ended else "gone")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
