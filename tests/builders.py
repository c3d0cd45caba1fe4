"""Small builders of Flyte messages and translate() arguments, shared by the rule tests."""

from __future__ import annotations

from typing import Any

from sagemaker_bridge.problems import Problem

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
CUSTOM_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/trainer:1"
XGB_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
KW: dict[str, Any] = dict(job_name="hpo-1", role_arn=ROLE, inputs={"train": "s3://b/train", "validation": "s3://b/v"},
                          output_path="s3://b/out",
                          training_image=CUSTOM_IMAGE)


def job(max_jobs: int = 10, parallel: int = 2, algorithm: str = "CUSTOM", **resources: Any) -> dict[str, Any]:
    return {"max_number_of_training_jobs": max_jobs, "max_parallel_training_jobs": parallel, "training_job": {
        "algorithm_specification": {"algorithm_name": algorithm,
                                    "metric_definitions": [{"name": "loss", "regex": "loss=(.*)"}]},
        "training_job_resource_config": {"instance_count": 1, "instance_type": "ml.m5.xlarge", "volume_size_in_gb": 10,
                                         **resources}}}


def config(ranges: dict[str, Any] | None = None, metric: str = "loss", objective: str = "MINIMIZE",
           **over: Any) -> dict[str, Any]:
    return {"hyperparameter_ranges": {"parameter_range_map": ranges or {
        "lr": {"continuous_parameter_range": {"min_value": 0.001, "max_value": 0.1}}}},
        "tuning_objective": {"objective_type": objective, "metric_name": metric}, **over}


def cont(low: float, high: float, scaling: str = "LINEAR") -> dict[str, Any]:
    return {"continuous_parameter_range": {"min_value": low, "max_value": high, "scaling_type": scaling}}


def integer(low: int, high: int, scaling: str = "LINEAR") -> dict[str, Any]:
    return {"integer_parameter_range": {"min_value": low, "max_value": high, "scaling_type": scaling}}


def cat(*values: str) -> dict[str, Any]:
    return {"categorical_parameter_range": {"values": list(values)}}


def found(problems: list[Problem]) -> set[tuple[str, str, str]]:
    return {(p.severity, p.path, p.code) for p in problems}


def xgb_job(version: str = "1.7") -> dict[str, Any]:
    j = job(algorithm="XGBOOST")
    j["training_job"]["algorithm_specification"] = {"algorithm_name": "XGBOOST", "algorithm_version": version}
    return j
