"""Built-in XGBoost's hyperparameters as its container validates them when each training job starts, as data.

Source: aws/sagemaker-xgboost-container, src/sagemaker_xgboost_container/algorithm_mode/hyperparameter_validation.py
and constants/xgb_constants.py, with the types' parsing and Interval semantics of
src/sagemaker_algorithm_toolkit/hyperparameter_validation.py. Two stored versions of the file were read:
commit 6d8752c1 (older: has `silent`; no `survival:aft`; refuses GPU tree methods and predictors) and commit 13a194f0
(newer: `aft_loss_distribution`, `_num_cv_round`, `prob_buffer_row`, ... ; GPU allowed). Which container release
ships which commit is not recorded in what we could read, so this table is their union: a name or value either
version accepts is accepted, and only what both refuse is an error. VERSIONED marks the differences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

SOURCE = ("aws/sagemaker-xgboost-container src/sagemaker_xgboost_container/algorithm_mode/"
          "hyperparameter_validation.py (commits 6d8752c1, 13a194f0)")
INF = float("inf")


@dataclass(frozen=True)
class Interval:
    """The toolkit's Interval: each end open, closed or unbounded (None)."""

    min_open: Optional[float] = None
    min_closed: Optional[float] = None
    max_open: Optional[float] = None
    max_closed: Optional[float] = None

    def __contains__(self, value: float) -> bool:  # the toolkit's own expression: NaN passes every end
        return not ((self.min_open is not None and value <= self.min_open)
                    or (self.min_closed is not None and value < self.min_closed)
                    or (self.max_open is not None and value >= self.max_open)
                    or (self.max_closed is not None and value > self.max_closed))

    def __str__(self) -> str:
        low = (f"({_n(self.min_open)}" if self.min_open is not None else
               f"[{_n(self.min_closed)}" if self.min_closed is not None else "(-inf")
        high = (f"{_n(self.max_open)})" if self.max_open is not None else
                f"{_n(self.max_closed)}]" if self.max_closed is not None else "+inf)")
        return f"{low}, {high}"


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


INTEGER, CONTINUOUS, CATEGORICAL, LIST, TUPLE, NESTED_LIST = (
    "integer", "continuous", "categorical", "comma-separated list", "tuple", "nested list")


@dataclass(frozen=True)
class Hyperparameter:
    """One of the container's hpv.*Hyperparameter declarations."""

    name: str
    kind: str  # INTEGER (parsed with int()), CONTINUOUS (float()), CATEGORICAL, LIST, TUPLE, NESTED_LIST
    allowed: Union[Interval, tuple[str, ...], tuple[int, ...], None]
    required: bool = False
    tunable: bool = False

    def allowed_form(self) -> str:
        if isinstance(self.allowed, Interval):
            noun = {INTEGER: "an integer", CONTINUOUS: "a number"}.get(self.kind, "integers")
            return f"{noun} in {self.allowed}"
        if self.kind == LIST:
            return "a comma-separated list of " + ", ".join(map(str, self.allowed or ()))
        if self.kind == TUPLE:
            return "a tuple of " + ", ".join(map(str, self.allowed or ()))
        return "one of " + ", ".join(map(str, self.allowed or ()))


H, Iv = Hyperparameter, Interval
UNIT = Iv(min_closed=0, max_closed=1)
NON_NEGATIVE = Iv(min_closed=0)
MAXIMIZE_METRICS = ("accuracy", "auc", "aucpr", "balanced_accuracy", "f1", "f1_binary", "f1_macro", "map", "ndcg",
                    "precision", "r2", "recall", "precision_macro", "precision_micro", "recall_macro", "recall_micro")
MINIMIZE_METRICS = ("aft-nloglik", "cox-nloglik", "error", "gamma-deviance", "gamma-nloglik",
                    "interval-regression-accuracy", "logloss", "mae", "mape", "merror", "mlogloss", "mphe", "mse",
                    "poisson-nloglik", "rmse", "rmsle", "tweedie-nloglik")  # constants/xgb_constants.py
# algorithm_mode/metrics.py: the names _tuning_objective_metric accepts, which SageMaker sets to the objective.
TUNING_METRICS = tuple(f"validation:{m}" for m in MAXIMIZE_METRICS + MINIMIZE_METRICS)
OBJECTIVES = ("aft_loss_distribution", "binary:logistic", "binary:logitraw", "binary:hinge", "count:poisson",
              "multi:softmax", "multi:softprob", "rank:pairwise", "rank:ndcg", "rank:map", "reg:linear",
              "reg:squarederror", "reg:logistic", "reg:gamma", "reg:pseudohubererror", "reg:squaredlogerror",
              "reg:tweedie", "survival:aft", "survival:cox")
TREE_PLUGINS = ("grow_colmaker", "distcol", "grow_histmaker", "grow_local_histmaker", "grow_skmaker", "sync", "refresh",
                "prune", "grow_quantile_histmaker")
TREE_BUILD_PLUGINS = ("grow_colmaker", "distcol", "grow_histmaker", "grow_local_histmaker", "grow_quantile_histmaker")
LINEAR_PLUGINS = ("shotgun", "coord_descent")
UPDATE_PLUGINS = ("refresh", "prune")
BOOLEAN_TEXT = ("true", "false")
VERSIONED = {  # name or value -> which stored version has it
    "silent": "6d8752c1 only", "_num_cv_round": "13a194f0 only", "aft_loss_distribution": "13a194f0 only",
    "aft_loss_distribution_scale": "13a194f0 only", "prob_buffer_row": "13a194f0 only",
    "gpu_hist": "13a194f0 only (6d8752c1: GPU training is not supported)", "survival:aft": "13a194f0 only",
}

# Values the container takes only from a release on, checked against the version in the image's tag (when it has
# one): name -> value -> (first version, source). The union above accepts them; these say since when.
SINCE: dict[str, dict[str, tuple[str, str]]] = {
    "tree_method": {"gpu_hist": ("1.2-2", "AWS Machine Learning Blog, \"Amazon SageMaker XGBoost now offers fully "
                                          "distributed GPU training\": GPU training (tree_method gpu_hist) from "
                                          "version 1.2-2; commit 6d8752c1 refuses it")},
}

HYPERPARAMETERS: dict[str, Hyperparameter] = {h.name: h for h in (
    H("num_round", INTEGER, Iv(min_closed=1), required=True, tunable=True),
    H("csv_weights", INTEGER, UNIT),
    H("early_stopping_rounds", INTEGER, Iv(min_closed=1)),
    H("booster", CATEGORICAL, ("gbtree", "gblinear", "dart")),
    H("silent", INTEGER, UNIT),
    H("verbosity", INTEGER, Iv(min_closed=0, max_closed=3)),
    H("nthread", INTEGER, Iv(min_closed=1)),
    H("eta", CONTINUOUS, UNIT, tunable=True),
    H("gamma", CONTINUOUS, NON_NEGATIVE, tunable=True),
    H("max_depth", INTEGER, NON_NEGATIVE, tunable=True),
    H("min_child_weight", CONTINUOUS, NON_NEGATIVE, tunable=True),
    H("max_delta_step", CONTINUOUS, NON_NEGATIVE, tunable=True),
    H("subsample", CONTINUOUS, Iv(min_open=0, max_closed=1), tunable=True),
    H("colsample_bytree", CONTINUOUS, Iv(min_open=0, max_closed=1), tunable=True),
    H("colsample_bylevel", CONTINUOUS, Iv(min_open=0, max_closed=1), tunable=True),
    H("colsample_bynode", CONTINUOUS, Iv(min_open=0, max_closed=1), tunable=True),
    H("lambda", CONTINUOUS, NON_NEGATIVE, tunable=True),
    H("alpha", CONTINUOUS, NON_NEGATIVE, tunable=True),
    H("tree_method", CATEGORICAL, ("auto", "exact", "approx", "hist", "gpu_hist")),
    H("sketch_eps", CONTINUOUS, Iv(min_open=0, max_open=1)),
    H("scale_pos_weight", CONTINUOUS, Iv(min_open=0)),
    H("updater", LIST, TREE_PLUGINS + LINEAR_PLUGINS),
    H("dsplit", CATEGORICAL, ("row", "col")),
    H("refresh_leaf", INTEGER, UNIT),
    H("process_type", CATEGORICAL, ("default", "update")),
    H("grow_policy", CATEGORICAL, ("depthwise", "lossguide")),
    H("max_leaves", INTEGER, NON_NEGATIVE),
    H("max_bin", INTEGER, NON_NEGATIVE),
    H("predictor", CATEGORICAL, ("auto", "cpu_predictor", "gpu_predictor")),
    H("monotone_constraints", TUPLE, (-1, 0, 1)),
    H("interaction_constraints", NESTED_LIST, Iv(min_closed=1)),
    H("sample_type", CATEGORICAL, ("uniform", "weighted")),
    H("normalize_type", CATEGORICAL, ("tree", "forest")),
    H("rate_drop", CONTINUOUS, UNIT),
    H("one_drop", INTEGER, UNIT),
    H("skip_drop", CONTINUOUS, UNIT),
    H("lambda_bias", CONTINUOUS, UNIT),
    H("tweedie_variance_power", CONTINUOUS, Iv(min_open=1, max_open=2)),
    H("objective", CATEGORICAL, OBJECTIVES),
    H("num_class", INTEGER, Iv(min_closed=2)),
    H("base_score", CONTINUOUS, NON_NEGATIVE),
    H("_kfold", INTEGER, Iv(min_closed=2)),
    H("_num_cv_round", INTEGER, Iv(min_closed=1)),
    H("_tuning_objective_metric", CATEGORICAL, TUNING_METRICS),
    H("eval_metric", LIST, MAXIMIZE_METRICS + MINIMIZE_METRICS),  # also error@t, ndcg@t, map@t (t a float)
    H("seed", INTEGER, Iv(min_open=-(2**31), max_open=2**31 - 1)),
    H("num_parallel_tree", INTEGER, Iv(min_closed=1)),
    H("save_model_on_termination", CATEGORICAL, BOOLEAN_TEXT),
    H("aft_loss_distribution", CATEGORICAL, ("normal", "logistic", "extreme")),
    H("aft_loss_distribution_scale", CONTINUOUS, NON_NEGATIVE),
    H("single_precision_histogram", CATEGORICAL, BOOLEAN_TEXT),
    H("deterministic_histogram", CATEGORICAL, BOOLEAN_TEXT),
    H("sampling_method", CATEGORICAL, ("uniform", "gradient_based")),
    H("prob_buffer_row", INTEGER, Iv(min_open=1)),
)}
ALIASES = {"learning_rate": "eta", "min_split_loss": "gamma", "reg_lambda": "lambda", "reg_alpha": "alpha"}
THRESHOLD_METRICS = ("error", "ndcg", "map")  # eval_metric "name@t"
MULTI_CLASS_OBJECTIVES = ("multi:softmax", "multi:softprob")  # need num_class
AUC_OBJECTIVE_PREFIXES = ("binary:", "rank:")  # eval_metric auc needs one
MONOTONE_TREE_METHODS = ("exact", "hist")  # monotone_constraints needs tree_method set to one
INTERACTION_TREE_METHODS = ("exact", "hist", "approx")
del H, Iv
