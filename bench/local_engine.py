"""The local engine's overhead, beside a plain Optuna + xgboost loop doing the same training jobs in the same run, and
the speedup of 2 parallel training jobs over 1.

The plain loop asks Optuna's TPESampler (same seed, same distributions), trains with xgboost.train on the same data
(read once, as the engine does) and tells the objective, one trial after another: with one job at a time the engine
asks the same trials in the same order, so both do the same training jobs (checked: their hyperparameters must
match). The engine's time runs from create_hyper_parameter_tuning_job to the moment a reader sees the job ended
(polled every 50 ms, so `wait`'s own poll interval is not counted); it includes the worker's start (a new Python
process importing xgboost, Optuna and scikit-learn), its SQLite writes and writing each model.
"""

from __future__ import annotations

import os
import pathlib
import sys
import tempfile
import time
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

OVERHEAD_TARGET_X = 1.15


def _data(directory: pathlib.Path, rows: int) -> None:
    import numpy as np
    from sklearn.datasets import make_classification

    features, labels = make_classification(n_samples=rows, n_features=40, n_informative=12, flip_y=0.05,
                                           random_state=20261202)
    split = int(rows * 0.8)
    for name, part in (("train", slice(0, split)), ("validation", slice(split, rows))):
        (directory / name).mkdir(parents=True)
        np.savetxt(directory / name / f"{name}.csv", np.column_stack([labels[part], features[part]]), delimiter=",",
                   fmt="%.6g")


def _request(directory: pathlib.Path, name: str, jobs: int, parallel: int, rounds: int) -> dict[str, Any]:
    from localengine import request

    return request(directory, name, jobs=jobs, parallel=parallel, rounds=rounds,
                   inputs={"train": str(directory / "train"), "validation": str(directory / "validation")})


def _engine(client: Any, req: dict[str, Any]) -> tuple[float, list[dict[str, Any]]]:
    started = time.perf_counter()
    client.create_hyper_parameter_tuning_job(**req)
    name = req["HyperParameterTuningJobName"]
    while client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)[
            "HyperParameterTuningJobStatus"] == "InProgress":
        time.sleep(0.05)
    took = time.perf_counter() - started
    jobs = client.list_training_jobs_for_hyper_parameter_tuning_job(HyperParameterTuningJobName=name, MaxResults=100,
                                                                     SortBy="Name", SortOrder="Ascending")
    return took, jobs["TrainingJobSummaries"]


def _plain_loop(req: dict[str, Any], directory: pathlib.Path, jobs: int, rounds: int) -> tuple[float, list[dict[str, str]]]:
    """Optuna's ask and tell around xgboost.train: what a user would write by hand."""
    import numpy as np
    import optuna
    import xgboost as xgb

    from sagemaker_bridge.local.search import dimensions

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    started = time.perf_counter()
    data = {name: np.loadtxt(directory / name / f"{name}.csv", delimiter=",", ndmin=2, dtype=np.float32)
            for name in ("train", "validation")}
    matrices = {name: xgb.DMatrix(d[:, 1:], label=d[:, 0]) for name, d in data.items()}
    dims = dimensions(req["HyperParameterTuningJobConfig"]["ParameterRanges"])
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=7))
    tuned = []
    for _ in range(jobs):
        trial = study.ask({d.name: d.distribution() for d in dims})
        params = {"objective": "binary:logistic", "eval_metric": ["auc"], "nthread": os.cpu_count(), **trial.params}
        booster = xgb.train(params, matrices["train"], num_boost_round=rounds,
                            evals=[(matrices["train"], "train"), (matrices["validation"], "validation")],
                            early_stopping_rounds=10, verbose_eval=False)
        study.tell(trial, float(booster.best_score))
        booster.save_model(str(directory / "plain-model.ubj"))  # the engine writes each model too
        tuned.append({d.name: d.value_text(trial.params[d.name]) for d in dims})
    return time.perf_counter() - started, tuned


def measure(smoke: bool) -> dict[str, Any]:
    """Each of the three runs `repeat` times, taking turns; the fastest of each is kept (the least disturbed)."""
    import warnings

    from sagemaker_bridge.local import LocalEngineWarning, LocalSageMaker

    warnings.simplefilter("ignore", LocalEngineWarning)
    jobs, rounds, rows, repeat = (6, 20, 4000, 1) if smoke else (20, 100, 40000, 2)
    times: dict[str, list[float]] = {"plain": [], "serial": [], "parallel": []}
    same = True
    with tempfile.TemporaryDirectory(prefix="bench-local-") as work:
        directory = pathlib.Path(work)
        _data(directory, rows)
        client = LocalSageMaker(directory / "jobs")
        for i in range(repeat):
            serial = _request(directory, f"bench-serial-{i}", jobs, 1, rounds)
            seconds, plain_tuned = _plain_loop(serial, directory, jobs, rounds)
            times["plain"].append(seconds)
            seconds, serial_jobs = _engine(client, serial)
            times["serial"].append(seconds)
            same = same and [j["TunedHyperParameters"] for j in serial_jobs] == plain_tuned
            times["parallel"].append(_engine(client, _request(directory, f"bench-parallel-{i}", jobs, 2, rounds))[0])
    best = {k: min(v) for k, v in times.items()}
    return {"jobs": jobs, "rounds": rounds, "rows": rows, "repeat": repeat, "cores": os.cpu_count(),
            "plain_s": best["plain"], "serial_s": best["serial"], "parallel_s": best["parallel"],
            "overhead_x": best["serial"] / best["plain"], "speedup_x": best["serial"] / best["parallel"],
            "same_training_jobs": same}
