"""One training job of built-in XGBoost in algorithm mode, as its container runs it, with the installed xgboost.

Source: aws/sagemaker-xgboost-container, branch 1.7-1: `algorithm_mode/train.py` (train_job: which hyperparameters
are the container's own, the watchlist `train` and `validation`, EarlyStopping with save_best=True on the tuning
metric, `xgboost-model` written with Booster.save_model), `algorithm_mode/train_utils.py` (get_eval_metrics_and_feval:
the tuning metric joins eval_metric), `metrics/custom_metrics.py` (the metrics it computes itself with scikit-learn,
from margins), `data_utils.py` (CSV: label in column 0, no header, the delimiter sniffed from the first line;
`csv_weights=1`: weights in column 1; no ContentType means libsvm).
"""

from __future__ import annotations

import csv
import io
import os
import pathlib
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Protocol

from ..algorithms import xgboost_hyperparameters as table
from ..algorithms.images import xgboost_version
from ..algorithms.xgboost import MAXIMIZE, METRIC_DIRECTIONS
from ..checks.xgboost_container import parse, reading

MODEL_NAME = "xgboost-model"  # constants/xgb_constants.py
# Hyperparameters the container consumes itself rather than passing to xgboost.train (train.py, train_job).
CONTAINER_ONLY = frozenset({"num_round", "early_stopping_rounds", "csv_weights", "save_model_on_termination",
                            "_tuning_objective_metric", "_kfold", "_num_cv_round"})
CHANNELS = ("train", "validation")  # the watchlist, in the container's order


class TrainingFailed(Exception):
    """The training job fails, with SageMaker's FailureReason."""


@dataclass(frozen=True)
class Channel:
    features: Any  # numpy array or scipy CSR matrix
    labels: Any
    weights: Any = None


def data_files(path: pathlib.Path) -> list[pathlib.Path]:
    """A file, or every file under a directory as an S3 prefix is read (hidden files left out), in name order."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in
                                                                        p.relative_to(path).parts))


def content_kind(content_type: Optional[str]) -> str:
    """'csv' or 'libsvm' (data_utils.get_content_type); TrainingFailed for what the local engine cannot read."""
    main = (content_type or "libsvm").split(";")[0].strip().lower()
    kinds = {"csv": "csv", "text/csv": "csv", "libsvm": "libsvm", "text/libsvm": "libsvm", "text/x-libsvm": "libsvm"}
    if main not in kinds:
        raise TrainingFailed(f"ClientError: content type {content_type!r} is not one the local engine reads "
                             "(text/csv or text/libsvm)")
    return kinds[main]


def read_channel(name: str, path: pathlib.Path, content_type: Optional[str], csv_weights: bool) -> Channel:
    import numpy as np

    files = data_files(path)
    if not files or not sum(f.stat().st_size for f in files):
        raise TrainingFailed(f"ClientError: no data in {name} channel path {path}")
    if content_kind(content_type) == "libsvm":
        return _libsvm(files)
    parts = []
    for f in files:
        try:
            text = f.read_text(encoding="utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise TrainingFailed(f"ClientError: {f.name} is not CSV text ({exc.reason} at byte {exc.start})") from None
        if not text.strip():
            continue
        first = text.lstrip().splitlines()[0]
        try:
            delimiter = csv.Sniffer().sniff(first, delimiters=",;\t| ").delimiter if "," not in first else ","
            parts.append(np.loadtxt(io.StringIO(text), delimiter=delimiter, ndmin=2, dtype=np.float32))
        except (ValueError, csv.Error) as exc:
            raise TrainingFailed(f"ClientError: {f.name}: {str(exc).splitlines()[0][:200]}") from None
    try:
        data = np.concatenate(parts)
    except ValueError:
        raise TrainingFailed(f"ClientError: the files of channel {name} have different numbers of columns") from None
    first_feature = 2 if csv_weights else 1
    if data.shape[1] <= first_feature:
        raise TrainingFailed(f"ClientError: channel {name} has no feature columns beside the label")
    return Channel(data[:, first_feature:], data[:, 0], data[:, 1] if csv_weights else None)


def _libsvm(files: list[pathlib.Path]) -> Channel:
    import scipy.sparse
    from sklearn.datasets import load_svmlight_files

    try:
        loaded = load_svmlight_files([str(f) for f in files], zero_based=True)  # indexes as written, as xgboost's
    except (ValueError, OSError) as exc:
        raise TrainingFailed(f"ClientError: libsvm data: {str(exc).splitlines()[0][:200]}") from None
    import numpy as np

    return Channel(scipy.sparse.vstack(loaded[0::2]).tocsr(), np.concatenate(loaded[1::2]))


def container_params(hyperparameters: Mapping[str, str], release: table.Release) -> dict[str, Any]:
    """The hyperparameters as the release's container validation reads them (hyperparameter_validation.py), by
    their canonical names; TrainingFailed with the container's complaint for one it refuses."""
    params: dict[str, Any] = {}
    for name, text in hyperparameters.items():
        h = release.canonical(name)
        if h is None:
            raise TrainingFailed(f"ClientError: Extraneous hyperparameter found: {name}")
        refused = reading(h, text)
        if refused is not None:
            raise TrainingFailed(f"ClientError: Hyperparameter {name}: {refused.text}")
        value = parse(h, text)
        if h.kind in (table.TUPLE, table.NESTED_LIST):
            value = text  # xgboost reads these from their text, as the container hands them over
        params[h.name] = ",".join(value) if h.name == "updater" else value
    if "num_round" not in params:
        raise TrainingFailed("ClientError: Missing required hyperparameter: num_round")
    return params


class Monitor(Protocol):
    def after_round(self, round_index: int, value: float) -> Optional[str]:
        """A reason to stop the job now (the engine's stop codes), or None to go on."""


@dataclass
class Outcome:
    stop_reason: Optional[str]  # None: trained all its rounds
    objective: Optional[float]
    values: list[float] = field(default_factory=list)  # the objective metric, round by round
    booster: Any = None


def _classes(margins: Any) -> Any:
    import numpy as np

    return np.argmax(margins, axis=-1) if margins.ndim > 1 else (margins > 0.0).astype(int)


def _custom_metrics() -> dict[str, Callable[[Any, Any], float]]:
    """metrics/custom_metrics.py: (labels, margins) -> value, with scikit-learn as the container computes them."""
    import numpy as np
    from sklearn import metrics as m

    def on_classes(score: Callable[..., float], **kw: Any) -> Callable[[Any, Any], float]:
        return lambda y, margins: float(score(y, _classes(margins), **kw)) if margins.size else 0.0

    return {
        "accuracy": on_classes(m.accuracy_score), "balanced_accuracy": on_classes(m.balanced_accuracy_score),
        "f1": on_classes(m.f1_score, average="macro"), "f1_binary": on_classes(m.f1_score, average="binary"),
        "f1_macro": on_classes(m.f1_score, average="macro"), "precision": on_classes(m.precision_score),
        "precision_macro": on_classes(m.precision_score, average="macro"),
        "precision_micro": on_classes(m.precision_score, average="micro"), "recall": on_classes(m.recall_score),
        "recall_macro": on_classes(m.recall_score, average="macro"),
        "recall_micro": on_classes(m.recall_score, average="micro"),
        "mse": lambda y, p: float(m.mean_squared_error(y, p)),
        "rmse": lambda y, p: float(np.sqrt(m.mean_squared_error(y, p))),
        "mae": lambda y, p: float(m.mean_absolute_error(y, p)), "r2": lambda y, p: float(m.r2_score(y, p)),
    }


CUSTOM_METRIC_NAMES = ("accuracy", "balanced_accuracy", "f1", "f1_binary", "f1_macro", "mse", "rmse", "mae",
                       "precision", "precision_macro", "precision_micro", "r2", "recall", "recall_macro",
                       "recall_micro")  # custom_metrics.CUSTOM_METRICS


def release_of(image: str) -> table.Release:
    """The container release whose validation the engine applies: the image tag's, else the newest we have (closest
    to the installed xgboost)."""
    return table.release(xgboost_version(image)) or table.NEWEST


def train(hyperparameters: Mapping[str, str], channels: Mapping[str, Channel], objective_metric: str,
          monitor: Monitor, nthread: int, release: table.Release = table.NEWEST) -> Outcome:
    """Train as train_job() does; the objective is the metric's value at the model's last round: the last boosting
    round, or the best one under early_stopping_rounds (the container keeps that model: save_best=True)."""
    import xgboost as xgb

    params = container_params(hyperparameters, release)
    num_round = int(params.pop("num_round"))
    early_stopping_rounds = params.pop("early_stopping_rounds", None)
    for name in CONTAINER_ONLY:
        params.pop(name, None)
    params.setdefault("nthread", nthread)
    data_name, metric = objective_metric.split(":", 1)
    eval_metric = params.pop("eval_metric", None)
    union = sorted(set([metric] + list(eval_metric or ())))  # train_utils.get_union_metrics
    custom = [m for m in union if m in CUSTOM_METRIC_NAMES]
    builtin = [m for m in union if m not in CUSTOM_METRIC_NAMES]
    if builtin:
        params["eval_metric"] = builtin
    matrices = {name: xgb.DMatrix(c.features, label=c.labels, weight=c.weights) for name, c in channels.items()}
    watchlist = [(matrices[name], name) for name in CHANNELS if name in matrices]
    outcome = Outcome(stop_reason=None, objective=None)
    scorers = {name: fn for name, fn in _custom_metrics().items() if name in custom} if custom else {}

    class Reporter(xgb.callback.TrainingCallback):  # type: ignore[misc]
        def after_iteration(self, model: Any, epoch: int, evals_log: dict[str, Any]) -> bool:
            for dmatrix, name in watchlist:
                if scorers:
                    margins = model.predict(dmatrix, output_margin=True, iteration_range=(0, epoch + 1))
                    for metric_name, score in scorers.items():
                        evals_log.setdefault(name, {}).setdefault(metric_name, []).append(score(dmatrix.get_label(), margins))
            value = float(evals_log[data_name][metric][-1])
            outcome.values.append(value)
            outcome.stop_reason = monitor.after_round(epoch, value)
            return False  # Stopper ends the training, after EarlyStopping has seen this round

    class Stopper(xgb.callback.TrainingCallback):  # type: ignore[misc]
        def after_iteration(self, model: Any, epoch: int, evals_log: dict[str, Any]) -> bool:
            return outcome.stop_reason is not None

    # xgboost calls each callback in turn and stops at the first that says stop: the metrics first (EarlyStopping
    # may watch a custom one), EarlyStopping next, so it has seen every round its save_best model cuts at.
    callbacks: list[Any] = [Reporter()]
    if early_stopping_rounds and data_name in matrices:
        callbacks.append(xgb.callback.EarlyStopping(rounds=int(early_stopping_rounds), data_name=data_name,
                                                    metric_name=metric, save_best=True,
                                                    maximize=METRIC_DIRECTIONS.get(metric) == MAXIMIZE))
    callbacks.append(Stopper())
    try:
        booster = xgb.train(params, matrices["train"], num_boost_round=num_round, evals=watchlist,
                            callbacks=callbacks, verbose_eval=False)
    except xgb.core.XGBoostError as exc:
        raise TrainingFailed("AlgorithmError: XGB train call failed with exception: " + first_line(exc)) from None
    except (ValueError, TypeError, KeyError) as exc:
        raise TrainingFailed(f"AlgorithmError: {type(exc).__name__}: {first_line(exc)}") from None
    outcome.booster = booster
    best = booster.attr("best_iteration") if early_stopping_rounds and outcome.stop_reason is None else None
    if outcome.values:
        outcome.objective = outcome.values[int(best)] if best is not None else outcome.values[-1]
    return outcome


def first_line(exc: BaseException) -> str:
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return (lines[0] if lines else type(exc).__name__)[:300]


def write_model(booster: Any, output_path: pathlib.Path, training_job: str) -> pathlib.Path:
    """`<S3OutputPath>/<training job>/output/model.tar.gz` holding `xgboost-model`, as SageMaker leaves it; written
    under a temporary name and renamed, so a reader never sees half of it."""
    target = output_path / training_job / "output" / "model.tar.gz"
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        model = pathlib.Path(work) / "model.ubj"  # xgboost's own format (it warns on a name without extension)
        booster.save_model(str(model))
        packed = pathlib.Path(work) / "model.tar.gz"
        with tarfile.open(packed, "w:gz", compresslevel=6) as tar:  # gzip's default; 9 costs 6x the time for 2%
            tar.add(model, arcname=MODEL_NAME)
        os.replace(packed, target)
    return target
