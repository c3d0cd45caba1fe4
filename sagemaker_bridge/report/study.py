"""A tuning job as an Optuna study: one trial per training job, a distribution per range from its type and scaling.

So Optuna's own tools read it: `optuna.visualization` draws the report's pictures from it, and written to a storage
(`--optuna-storage sqlite:///tuning.db`), `optuna-dashboard` shows it and `optuna.load_study` reads it. Source:
optuna 5's `create_study`, `trial.create_trial`, `Study.add_trials`, `delete_study` (read in the installed package).
"""

from __future__ import annotations

import math
from typing import Any, Optional

from .data import Range, TrainingJob, TuningData

# Training job status -> Optuna's trial state. A stopped job with an objective is PRUNED (stopped early, its last
# value kept as its intermediate value); a Completed job with no objective value is FAIL.
STATES = {"Completed": "COMPLETE", "Stopped": "PRUNED", "Failed": "FAIL", "InProgress": "RUNNING", "Stopping": "RUNNING"}


def distribution(r: Range) -> Optional[Any]:
    from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

    if r.kind == "categorical":
        return CategoricalDistribution(list(r.values)) if r.values else None
    if r.low is None or r.high is None or r.high < r.low:
        return None
    if r.kind == "integer":
        low, high = math.ceil(r.low), math.floor(r.high)
        return IntDistribution(low, high, log=r.log and low >= 1) if low <= high else None
    return FloatDistribution(r.low, r.high, log=r.log)


def _value(r: Range, dist: Any, text: str) -> Optional[Any]:
    """The tuned text as the distribution's value, or None when it is not one (the trial then leaves it out)."""
    if r.kind == "categorical":
        return text if text in dist.choices else None
    try:
        number = float(text)
    except ValueError:
        return None
    value: Any = int(number) if r.kind == "integer" and number.is_integer() else number
    return value if dist._contains(dist.to_internal_repr(value)) else None


def _trial(job: TrainingJob, distributions: dict[str, Any], ranges: dict[str, Range], number: int) -> Any:
    import optuna
    from optuna.trial import TrialState

    params, dists = {}, {}
    for name, dist in distributions.items():
        value = _value(ranges[name], dist, job.tuned[name]) if name in job.tuned else None
        if value is not None:
            params[name], dists[name] = value, dist
    state = TrialState[STATES.get(job.status, "FAIL")]
    if state == TrialState.COMPLETE and job.objective is None:
        state = TrialState.FAIL
    running = state == TrialState.RUNNING
    return optuna.trial.create_trial(
        state=state, value=job.objective if state == TrialState.COMPLETE else None, params=params, distributions=dists,
        intermediate_values={0: job.objective} if state == TrialState.PRUNED and job.objective is not None else None,
        user_attrs={"TrainingJobName": job.name, "TrainingJobStatus": job.status, "FailureReason": job.failure_reason,
                    "EarlyStopped": job.early_stopped, "number": number},
        system_attrs=None) if not running else _running(job, params, dists)


def _running(job: TrainingJob, params: dict[str, Any], dists: dict[str, Any]) -> Any:
    import optuna
    from optuna.trial import TrialState

    return optuna.trial.FrozenTrial(
        number=0, state=TrialState.RUNNING, value=None, datetime_start=job.started or job.created, datetime_complete=None,
        params=params, distributions=dists, user_attrs={"TrainingJobName": job.name, "TrainingJobStatus": job.status},
        system_attrs={}, intermediate_values={}, trial_id=0)


def study(data: TuningData, storage: Optional[str] = None) -> Any:
    """The study; in `storage` it replaces the study of the same name, so writing a job again never duplicates."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    name = data.name or "tuning-job"
    if storage is not None:
        try:
            optuna.delete_study(study_name=name, storage=storage)
        except KeyError:  # not written before
            pass
    created = optuna.create_study(study_name=name, storage=storage, direction="maximize" if data.maximize else "minimize")
    created.set_user_attr("HyperParameterTuningJobName", data.name)
    created.set_user_attr("HyperParameterTuningJobStatus", data.status)
    created.set_user_attr("Strategy", data.strategy)
    created.set_user_attr("MetricName", data.metric)
    ranges = {r.name: r for r in data.ranges}
    distributions = {n: d for n, r in ranges.items() if (d := distribution(r)) is not None}
    trials = []
    for number, job in enumerate(data.jobs):
        trial = _trial(job, distributions, ranges, number)
        if job.started or job.created:
            trial.datetime_start = job.started or job.created
        if job.ended and trial.state.is_finished():
            trial.datetime_complete = job.ended
        trials.append(trial)
    created.add_trials(trials)
    return created
