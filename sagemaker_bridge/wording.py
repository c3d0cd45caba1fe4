"""The sentence of each problem code, worded once: a check reports a location, a code and its facts (problems.report),
and the message is made here from the facts, as botocore's ValidationErrors words each (reason, name, **kwargs) in
one _format_error. Each template names the facts it uses; `source` says where the rule comes from.

Codes still worded at their check sites (problems.error/warning with a message) are moving here family by family;
the XGBoost family is the first.
"""

from __future__ import annotations

# The XGBoost container's refusals (checks/xgboost_container.py). Every one ends with {hint}, the releases that would
# take it or why no release of the tables was chosen, and the source release of the rule.
_XGBOOST_END = "{hint} (source: {source})"
WORDING: dict[str, str] = {
    "xgboost.unknown_hyperparameter": "{name} is not a hyperparameter of built-in {release}{suggestion}; the container "
                                      "stops with \"Extraneous hyperparameter found\"" + _XGBOOST_END,
    "xgboost.value_format": "{value} {reason}; {hyperparameter} takes {allowed}" + _XGBOOST_END,
    "xgboost.value_range": "{reason}: the container of {release} refuses it" + _XGBOOST_END,
    "xgboost.range_kind": "{name} is {allowed}; a {range_kind} range cannot feed it" + _XGBOOST_END,
    "xgboost.not_tunable": "the container's metadata of {release} does not list {name} as tunable" + _XGBOOST_END,
    "xgboost.dependency": "{reason}" + _XGBOOST_END,
    "xgboost.tuning_metric": "{metric} is not a metric the container of {release} can tune on{suggestion}: SageMaker "
                             "hands it over as _tuning_objective_metric, which takes only validation:<metric> names "
                             "(validation:auc, validation:rmse...)" + _XGBOOST_END,
}
