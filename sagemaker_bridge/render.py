"""Typed job + config + options -> the CreateHyperParameterTuningJob request, and where each part came from.

The provenance map (request location -> input location) lets the request checks speak in the user's terms
(`config.hyperparameter_ranges.eta.continuous_parameter_range.min_value`), so every rule is written once, against the
request, and serves validate_request() and validate() alike.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from . import builtin
from .model import CategoricalRange, ContinuousRange, IntegerRange, Range, TuningConfig, TuningJob
from .options import Options
from .problems import Loc, Problem, error, warning

Provenance = dict[Loc, Loc]

# Flyte enum name -> SageMaker API value. ReverseLogarithmic keeps its capital L (the old Go plugin title-cased it).
STRATEGY = {"BAYESIAN": "Bayesian", "RANDOM": "Random"}
OBJECTIVE_TYPE = {"MINIMIZE": "Minimize", "MAXIMIZE": "Maximize"}
EARLY_STOPPING = {"OFF": "Off", "AUTO": "Auto"}
SCALING = {"AUTO": "Auto", "LINEAR": "Linear", "LOGARITHMIC": "Logarithmic", "REVERSELOGARITHMIC": "ReverseLogarithmic"}
INPUT_MODE = {"FILE": "File", "PIPE": "Pipe"}
CONTENT_TYPE = {"TEXT_CSV": "text/csv"}
# Extra static hyperparameters a distributed protocol asks of SageMaker's containers.
DISTRIBUTED_STATICS: dict[str, dict[str, str]] = {"UNSPECIFIED": {}, "MPI": {"sagemaker_mpi_enabled": "true"}}
RANGE_KINDS: dict[type, tuple[str, str]] = {  # range type -> (request list, Flyte oneof member)
    IntegerRange: ("IntegerParameterRanges", "integer_parameter_range"),
    ContinuousRange: ("ContinuousParameterRanges", "continuous_parameter_range"),
    CategoricalRange: ("CategoricalParameterRanges", "categorical_parameter_range"),
}

_CONFIG, _DEFINITION = ("HyperParameterTuningJobConfig",), ("TrainingJobDefinition",)
_JOB_SPEC = ("job", "training_job", "algorithm_specification")
_JOB_RESOURCES = ("job", "training_job", "training_job_resource_config")
_RANGES = ("config", "hyperparameter_ranges")


FIXED_PROVENANCE: Provenance = {  # request location -> the input it comes from
    ("HyperParameterTuningJobName",): ("job_name",),
    _CONFIG + ("Strategy",): ("config", "tuning_strategy"),
    _CONFIG + ("HyperParameterTuningJobObjective",): ("config", "tuning_objective"),
    _CONFIG + ("HyperParameterTuningJobObjective", "Type"): ("config", "tuning_objective", "objective_type"),
    _CONFIG + ("HyperParameterTuningJobObjective", "MetricName"): ("config", "tuning_objective", "metric_name"),
    _CONFIG + ("ResourceLimits",): ("job",),
    _CONFIG + ("ResourceLimits", "MaxNumberOfTrainingJobs"): ("job", "max_number_of_training_jobs"),
    _CONFIG + ("ResourceLimits", "MaxParallelTrainingJobs"): ("job", "max_parallel_training_jobs"),
    _CONFIG + ("ParameterRanges",): _RANGES,
    _CONFIG + ("TrainingJobEarlyStoppingType",): ("config", "training_job_early_stopping_type"),
    _DEFINITION + ("AlgorithmSpecification",): _JOB_SPEC,
    _DEFINITION + ("AlgorithmSpecification", "TrainingInputMode"): _JOB_SPEC + ("input_mode",),
    _DEFINITION + ("AlgorithmSpecification", "MetricDefinitions"): _JOB_SPEC + ("metric_definitions",),
    _DEFINITION + ("RoleArn",): ("role_arn",),
    _DEFINITION + ("InputDataConfig",): ("inputs",),
    _DEFINITION + ("OutputDataConfig", "S3OutputPath"): ("output_path",),
    _DEFINITION + ("ResourceConfig",): _JOB_RESOURCES,
    _DEFINITION + ("ResourceConfig", "InstanceType"): _JOB_RESOURCES + ("instance_type",),
    _DEFINITION + ("ResourceConfig", "InstanceCount"): _JOB_RESOURCES + ("instance_count",),
    _DEFINITION + ("ResourceConfig", "VolumeSizeInGB"): _JOB_RESOURCES + ("volume_size_in_gb",),
    _DEFINITION + ("StoppingCondition", "MaxRuntimeInSeconds"): ("max_runtime_seconds",),
    _DEFINITION + ("StaticHyperParameters",): ("static_hyperparameters",),
    ("Tags",): ("tags",),
}


def render(job: TuningJob, config: TuningConfig, opts: Options,
           problems: list[Problem]) -> tuple[dict[str, Any], Provenance]:
    prov: Provenance = dict(FIXED_PROVENANCE)
    limits: dict[str, Any] = {}
    if job.max_number_of_training_jobs:  # proto3's 0 means unset; only Grid may leave it out (checked later)
        limits["MaxNumberOfTrainingJobs"] = job.max_number_of_training_jobs
    limits["MaxParallelTrainingJobs"] = job.max_parallel_training_jobs
    tuning_config = {
        "Strategy": STRATEGY[config.strategy],
        "HyperParameterTuningJobObjective": {"Type": OBJECTIVE_TYPE[config.objective_type],
                                             "MetricName": config.metric_name},
        "ResourceLimits": limits,
        "ParameterRanges": _parameter_ranges(config.ranges, prov),
        "TrainingJobEarlyStoppingType": EARLY_STOPPING[config.early_stopping],
    }
    definition: dict[str, Any] = {
        "StaticHyperParameters": _statics(job, config, opts, prov, problems),
        "AlgorithmSpecification": _algorithm_specification(job, opts, prov, problems),
        "RoleArn": opts.role_arn,
        "OutputDataConfig": {"S3OutputPath": opts.output_path},
        "ResourceConfig": {"InstanceType": job.instance_type, "InstanceCount": job.instance_count,
                           "VolumeSizeInGB": job.volume_size_in_gb},
        "StoppingCondition": {"MaxRuntimeInSeconds": opts.max_runtime_seconds},
    }
    if opts.inputs:
        definition["InputDataConfig"] = [_channel(name, uri, job, i, prov) for i, (name, uri) in enumerate(opts.inputs)]
    request: dict[str, Any] = {
        "HyperParameterTuningJobName": opts.job_name,
        "HyperParameterTuningJobConfig": tuning_config,
        "TrainingJobDefinition": definition,
    }
    if opts.tags:
        request["Tags"] = [{"Key": k, "Value": v} for k, v in opts.tags]
    return merge_overrides(request, opts.overrides, prov), prov


def _parameter_ranges(ranges: tuple[Range, ...], prov: Provenance) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {kind: [] for kind, _ in RANGE_KINDS.values()}
    for r in ranges:  # already sorted by name
        kind, member = RANGE_KINDS[type(r)]
        here = _CONFIG + ("ParameterRanges", kind, len(out[kind]))
        there = _RANGES + (r.name, member)
        prov[here] = there
        prov[here + ("Name",)] = _RANGES + (r.name,)
        if isinstance(r, CategoricalRange):
            out[kind].append({"Name": r.name, "Values": list(r.values)})
            prov[here + ("Values",)] = there + ("values",)
            continue
        out[kind].append({"Name": r.name, "MinValue": _number_text(r.min_value), "MaxValue": _number_text(r.max_value),
                          "ScalingType": SCALING[r.scaling_type]})
        prov.update({here + ("MinValue",): there + ("min_value",), here + ("MaxValue",): there + ("max_value",),
                     here + ("ScalingType",): there + ("scaling_type",)})
    return out


def _number_text(value: float) -> str:
    """Shortest text that reads back to the same number: 1e-07 stays "1e-07" (the old plugin wrote "0.000000")."""
    return str(value) if isinstance(value, int) else repr(value)


def _algorithm_specification(job: TuningJob, opts: Options, prov: Provenance,
                             problems: list[Problem]) -> dict[str, Any]:
    spec: dict[str, Any] = {"TrainingImage": _training_image(job, opts, problems),
                            "TrainingInputMode": INPUT_MODE[job.input_mode]}
    prov[_DEFINITION + ("AlgorithmSpecification", "TrainingImage")] = (
        ("training_image",) if opts.training_image is not None else _JOB_SPEC + ("algorithm_version",))
    if job.metric_definitions:
        spec["MetricDefinitions"] = [{"Name": m.name, "Regex": m.regex} for m in job.metric_definitions]
    return spec


def _training_image(job: TuningJob, opts: Options, problems: list[Problem]) -> str:
    if opts.training_image is not None:  # CUSTOM's image, or a private mirror of XGBoost
        return opts.training_image
    if job.algorithm_name == "CUSTOM":
        problems.append(error(("training_image",), "custom.image_required",
                              "algorithm CUSTOM needs training_image: the ECR URI of your training container"))
        return ""
    version = builtin.resolve_version(job.algorithm_version)
    if version is None:
        problems.append(error(_JOB_SPEC + ("algorithm_version",), "xgboost.version",
                              f"XGBoost {job.algorithm_version!r} is not a SageMaker XGBoost version; use one of "
                              + ", ".join(builtin.VERSIONS)))
    if opts.region is None or opts.region not in builtin.REGISTRY_ACCOUNTS:
        problems.append(error(("region",), "xgboost.region",
                              "built-in XGBoost needs region to find its image; " +
                              (f"{opts.region!r} has no SageMaker XGBoost image" if opts.region is not None
                               else "pass region (for example us-east-1) or training_image")))
    if version is None or opts.region not in builtin.REGISTRY_ACCOUNTS:
        return ""
    return builtin.image_uri(opts.region, version)


def _channel(name: str, uri: str, job: TuningJob, index: int, prov: Provenance) -> dict[str, Any]:
    here = _DEFINITION + ("InputDataConfig", index)
    prov.update({here: ("inputs", name), here + ("ChannelName",): ("inputs", name),
                 here + ("DataSource", "S3DataSource", "S3Uri"): ("inputs", name)})
    return {"ChannelName": name,
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": uri,
                                            "S3DataDistributionType": "FullyReplicated"}},
            "ContentType": CONTENT_TYPE[job.input_content_type]}


def _statics(job: TuningJob, config: TuningConfig, opts: Options, prov: Provenance,
             problems: list[Problem]) -> dict[str, str]:
    tuned = {r.name for r in config.ranges}
    statics = dict(DISTRIBUTED_STATICS[job.distributed_protocol])
    for name, text in opts.static_hyperparameters:
        if name in tuned:
            problems.append(warning(("static_hyperparameters", name), "static.tuned",
                                    f"{name!r} is also tuned in config.hyperparameter_ranges; the static value is dropped"))
            continue
        statics[name] = text
        prov[_DEFINITION + ("StaticHyperParameters", name)] = ("static_hyperparameters", name)
    return statics


def merge_overrides(request: dict[str, Any], overrides: Mapping[str, Any], prov: Provenance) -> dict[str, Any]:
    """Deep-merge `overrides` into a copy: mappings merge, anything else replaces, None removes the key."""
    merged = copy.deepcopy(request)
    _merge_into(merged, overrides, (), prov)
    return merged


def _merge_into(target: dict[str, Any], overrides: Mapping[str, Any], loc: Loc, prov: Provenance) -> None:
    for key, value in overrides.items():
        here = loc + (key,)
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge_into(target[key], value, here, prov)
            continue
        for stale in [p for p in prov if p[:len(here)] == here]:
            del prov[stale]  # what the override replaced no longer speaks for that part of the request
        prov[here] = ("overrides",) + here
        if value is None:
            target.pop(key, None)
        else:
            target[key] = copy.deepcopy(value)
