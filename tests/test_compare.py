"""Is a described job the one a request asks for? By meaning: what SageMaker adds, reorders or leaves out is not news."""

from __future__ import annotations

import copy
from typing import Any

from conftest import fixture_request

from sagemaker_bridge.aws.compare import differences


def described_as_sagemaker_might(request: dict[str, Any]) -> dict[str, Any]:
    d = copy.deepcopy(request)
    cfg = d["HyperParameterTuningJobConfig"]
    ranges = cfg["ParameterRanges"]
    for kind in ("ContinuousParameterRanges", "IntegerParameterRanges"):
        ranges[kind].reverse()  # reordered
        for r in ranges[kind]:
            if r["ScalingType"] == "Auto":
                del r["ScalingType"]  # a default left out
            r["MinValue"] = str(float(r["MinValue"])) if kind == "ContinuousParameterRanges" else r["MinValue"]
    del ranges["CategoricalParameterRanges"]  # empty, dropped
    del cfg["TrainingJobEarlyStoppingType"]
    d["TrainingJobDefinition"]["StaticHyperParameters"]["_tuning_objective_metric"] = "validation:auc"  # added
    d["TrainingJobDefinition"]["EnableNetworkIsolation"] = False  # added
    d["TrainingJobDefinition"]["InputDataConfig"].reverse()
    d.pop("Tags")  # not part of a description
    return d


def test_what_sagemaker_adds_reorders_or_leaves_out_is_the_same_job() -> None:
    request = fixture_request("xgboost-flytekit.yaml")
    request["HyperParameterTuningJobConfig"]["TrainingJobEarlyStoppingType"] = "Off"
    assert differences(request, described_as_sagemaker_might(request)) == []


def test_real_differences_are_named() -> None:
    request = fixture_request("scaling-types.json")
    described = copy.deepcopy(request)
    described["HyperParameterTuningJobConfig"]["ParameterRanges"]["ContinuousParameterRanges"][0]["MaxValue"] = "3"
    described["HyperParameterTuningJobConfig"]["ParameterRanges"]["IntegerParameterRanges"][0]["MinValue"] = "3"
    described["TrainingJobDefinition"]["ResourceConfig"]["InstanceType"] = "ml.c5.4xlarge"
    del described["TrainingJobDefinition"]["InputDataConfig"][1]
    assert differences(request, described) == [
        "HyperParameterTuningJobConfig.ParameterRanges.IntegerParameterRanges[0].MinValue",
        "HyperParameterTuningJobConfig.ParameterRanges.ContinuousParameterRanges[0].MaxValue",
        "TrainingJobDefinition.ResourceConfig.InstanceType",
        "TrainingJobDefinition.InputDataConfig",
    ]


def test_a_non_default_value_left_out_is_a_difference() -> None:
    request = fixture_request("xgboost-flytekit.yaml")  # early stopping Auto
    described = copy.deepcopy(request)
    del described["HyperParameterTuningJobConfig"]["TrainingJobEarlyStoppingType"]
    assert differences(request, described) == ["HyperParameterTuningJobConfig.TrainingJobEarlyStoppingType"]
