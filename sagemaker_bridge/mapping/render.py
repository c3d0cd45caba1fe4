"""Typed job + config + options -> the CreateHyperParameterTuningJob request, and where each part came from.

The provenance map (request location -> input location) lets the request checks speak in the user's terms
(`config.hyperparameter_ranges.eta.continuous_parameter_range.min_value`), so every rule is written once, against the
request, and serves validate_request() and validate() alike.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable, Optional

from .. import algorithms
from ..algorithms import ImageKind, xgboost
from ..idl import CategoricalRange, Range, TuningConfig, TuningJob
from ..problems import Loc, Problems, clipped_repr
from ..vocabulary import (
    CONFIG,
    CONTENT_TYPE,
    DEFINITION,
    DISTRIBUTED_STATICS,
    EARLY_STOPPING,
    INPUT_MODE,
    LIMITS,
    OBJECTIVE_TYPE,
    RANGE_LISTS,
    RANGES,
    SCALING,
    STRATEGY,
)
from .options import Options

Provenance = dict[Loc, Loc]

_JOB_SPEC = ("job", "training_job", "algorithm_specification")
_JOB_RESOURCES = ("job", "training_job", "training_job_resource_config")
_INPUT_RANGES = ("config", "hyperparameter_ranges")
# Inputs whose request parts the two messages decide: when a message cannot be read at all, what its defaults make
# the checks say there is a consequence, not news to the user.
DERIVED_FROM_MESSAGES: tuple[Loc, ...] = (("job",), ("config",), ("training_image",), ("region",))


@dataclass(frozen=True)
class Rendered:
    """render()'s request, what its image is, and how to find where each part came from."""

    request: dict[str, Any]
    image_kind: Optional[ImageKind]  # what the training image is, as Flyte said it; None: several definitions, each by its URI
    sources: Callable[[], Provenance]  # builds the provenance: only a request with a problem to place needs it

    @functools.cached_property
    def provenance(self) -> Provenance:
        """Request location -> the input it came from."""
        return self.sources()


# Request location -> the input it comes from. A twin of render()'s literal request, kept for speed (a render() driven
# by one table of parts measured 3 us slower per call, a sixth of it); test_translate_mapping holds the two to one
# layout (every part render() writes is placed at an input, and every place named here is one it writes).
FIXED_PROVENANCE: Provenance = {
    ("HyperParameterTuningJobName",): ("job_name",),
    CONFIG + ("Strategy",): ("config", "tuning_strategy"),
    CONFIG + ("HyperParameterTuningJobObjective",): ("config", "tuning_objective"),
    CONFIG + ("HyperParameterTuningJobObjective", "Type"): ("config", "tuning_objective", "objective_type"),
    CONFIG + ("HyperParameterTuningJobObjective", "MetricName"): ("config", "tuning_objective", "metric_name"),
    LIMITS: ("job",),
    LIMITS + ("MaxNumberOfTrainingJobs",): ("job", "max_number_of_training_jobs"),
    LIMITS + ("MaxParallelTrainingJobs",): ("job", "max_parallel_training_jobs"),
    RANGES: _INPUT_RANGES,
    CONFIG + ("TrainingJobEarlyStoppingType",): ("config", "training_job_early_stopping_type"),
    DEFINITION + ("AlgorithmSpecification",): _JOB_SPEC,
    DEFINITION + ("AlgorithmSpecification", "TrainingInputMode"): _JOB_SPEC + ("input_mode",),
    DEFINITION + ("AlgorithmSpecification", "MetricDefinitions"): _JOB_SPEC + ("metric_definitions",),
    DEFINITION + ("RoleArn",): ("role_arn",),
    DEFINITION + ("InputDataConfig",): ("inputs",),
    DEFINITION + ("OutputDataConfig", "S3OutputPath"): ("output_path",),
    DEFINITION + ("ResourceConfig",): _JOB_RESOURCES,
    DEFINITION + ("ResourceConfig", "InstanceType"): _JOB_RESOURCES + ("instance_type",),
    DEFINITION + ("ResourceConfig", "InstanceCount"): _JOB_RESOURCES + ("instance_count",),
    DEFINITION + ("ResourceConfig", "VolumeSizeInGB"): _JOB_RESOURCES + ("volume_size_in_gb",),
    DEFINITION + ("StoppingCondition", "MaxRuntimeInSeconds"): ("max_runtime_seconds",),
    DEFINITION + ("StaticHyperParameters",): ("static_hyperparameters",),
    ("Tags",): ("tags",),
}


def render(job: TuningJob, config: TuningConfig, opts: Options, problems: Problems) -> Rendered:
    limits: dict[str, Any] = {}
    if job.max_number_of_training_jobs:  # proto3's 0 means unset; only Grid may leave it out (checked later)
        limits["MaxNumberOfTrainingJobs"] = job.max_number_of_training_jobs
    limits["MaxParallelTrainingJobs"] = job.max_parallel_training_jobs
    tuning_config = {
        "Strategy": STRATEGY[config.strategy],
        "HyperParameterTuningJobObjective": {"Type": OBJECTIVE_TYPE[config.objective_type],
                                             "MetricName": config.metric_name},
        "ResourceLimits": limits,
        "ParameterRanges": _parameter_ranges(config.ranges),
        "TrainingJobEarlyStoppingType": EARLY_STOPPING[config.early_stopping],
    }
    definition: dict[str, Any] = {
        "StaticHyperParameters": _kept_statics(job, config, opts, problems),
        "AlgorithmSpecification": _algorithm_specification(job, opts, problems),
        "RoleArn": opts.role_arn,
        "OutputDataConfig": {"S3OutputPath": opts.output_path},
        "ResourceConfig": {"InstanceType": job.instance_type, "InstanceCount": job.instance_count,
                           "VolumeSizeInGB": job.volume_size_in_gb},
        "StoppingCondition": {"MaxRuntimeInSeconds": opts.max_runtime_seconds},
    }
    if opts.inputs:
        content_type = CONTENT_TYPE[job.input_content_type]
        definition["InputDataConfig"] = [channel_entry(name, uri, content_type) for name, uri in opts.inputs]
    request: dict[str, Any] = {
        "HyperParameterTuningJobName": opts.job_name,
        "HyperParameterTuningJobConfig": tuning_config,
        "TrainingJobDefinition": definition,
    }
    if opts.tags:
        request["Tags"] = [{"Key": k, "Value": v} for k, v in opts.tags]
    kept = [name for name, _ in opts.static_hyperparameters if name in definition["StaticHyperParameters"]]
    sources = functools.partial(provenance, config, opts, kept)
    if opts.overrides:  # the overrides speak for the parts they replace: the provenance is needed now
        prov = sources()
        merge_overrides(request, opts.overrides, prov)
        sources = functools.partial(dict, prov)
    several = request.get("TrainingJobDefinitions") is not None  # each definition classified by its own image
    return Rendered(request, None if several else algorithms.for_flyte_algorithm(job.algorithm_name,
                                                                                   opts.training_image), sources)


def provenance(config: TuningConfig, opts: Options, statics: list[str]) -> Provenance:
    """Where each part of render()'s request came from, in the order render() writes them; `statics`: the caller's
    static names render() kept (a tuned one is dropped)."""
    prov: Provenance = dict(FIXED_PROVENANCE)
    counts = dict.fromkeys(RANGE_LISTS.to_sagemaker.values(), 0)
    for r in config.ranges:  # sorted by name, as in the request
        range_list = RANGE_LISTS.to_sagemaker[r.flyte_member]
        here, there = RANGES + (range_list, counts[range_list]), _INPUT_RANGES + (r.name, r.flyte_member)
        counts[range_list] += 1
        prov[here], prov[here + ("Name",)] = there, _INPUT_RANGES + (r.name,)
        for request_key, flyte_field in _RANGE_FIELDS[isinstance(r, CategoricalRange)]:
            prov[here + (request_key,)] = there + (flyte_field,)
    prov[DEFINITION + ("AlgorithmSpecification", "TrainingImage")] = (
        ("training_image",) if opts.training_image is not None else _JOB_SPEC + ("algorithm_version",))
    for index, (name, _) in enumerate(opts.inputs):
        here = DEFINITION + ("InputDataConfig", index)
        for part in ((), ("ChannelName",), ("DataSource", "S3DataSource", "S3Uri")):
            prov[here + part] = ("inputs", name)
    for name in statics:
        prov[DEFINITION + ("StaticHyperParameters", name)] = ("static_hyperparameters", name)
    return prov


# A request range's keys -> its Flyte message's fields: (numeric, categorical)
_RANGE_FIELDS = ((("MinValue", "min_value"), ("MaxValue", "max_value"), ("ScalingType", "scaling_type")),
                 (("Values", "values"),))


def _parameter_ranges(ranges: tuple[Range, ...]) -> dict[str, list[dict[str, Any]]]:
    to_list, scaling = RANGE_LISTS.to_sagemaker, SCALING.to_sagemaker  # plain dicts: this runs per range
    out: dict[str, list[dict[str, Any]]] = {range_list: [] for range_list in to_list.values()}
    for r in ranges:  # already sorted by name
        if isinstance(r, CategoricalRange):
            out[to_list[r.flyte_member]].append({"Name": r.name, "Values": list(r.values)})
        else:
            out[to_list[r.flyte_member]].append({"Name": r.name, "MinValue": _number_text(r.min_value),
                                                 "MaxValue": _number_text(r.max_value),
                                                 "ScalingType": scaling[r.scaling_type]})
    return out


def _number_text(value: float) -> str:
    """Shortest text that reads back to the same number: 1e-07 stays "1e-07" (the old plugin wrote "0.000000")."""
    return str(value) if isinstance(value, int) else repr(value)


def _algorithm_specification(job: TuningJob, opts: Options, problems: Problems) -> dict[str, Any]:
    algorithm: dict[str, Any] = {"TrainingImage": _training_image(job, opts, problems),
                                 "TrainingInputMode": INPUT_MODE[job.input_mode]}
    if job.metric_definitions:
        algorithm["MetricDefinitions"] = [{"Name": m.name, "Regex": m.regex} for m in job.metric_definitions]
    return algorithm


def _training_image(job: TuningJob, opts: Options, problems: Problems) -> str:
    if opts.training_image is not None:  # CUSTOM's image, or a private mirror of XGBoost
        return opts.training_image
    if job.algorithm_name == "CUSTOM":
        problems.error(("training_image",), "custom.image_required")
        return ""
    version = xgboost.resolve_version(job.algorithm_version)
    if version is None and (version := xgboost.newer_version(job.algorithm_version)) is not None:
        problems.warning(_JOB_SPEC + ("algorithm_version",), "xgboost.version_newer", version=version,
                         newest=xgboost.VERSIONS[-1])
    if version is None:
        problems.error(_JOB_SPEC + ("algorithm_version",), "xgboost.version",
                       version=clipped_repr(job.algorithm_version), known=list(xgboost.VERSIONS))
    published = opts.region is not None and xgboost.has_region(version or xgboost.VERSIONS[-1], opts.region)
    if not published:
        if opts.region is None:
            problems.error(("region",), "xgboost.region", reason="missing")
        else:
            problems.error(("region",), "xgboost.region", reason="unpublished", region=clipped_repr(opts.region))
    if version is None or opts.region is None or not published:
        return ""
    return xgboost.image_uri(opts.region, version)


def channel_entry(name: str, uri: str, content_type: str) -> dict[str, Any]:
    """An input channel as translate() writes it; the way back reads a channel as an input only when it is this."""
    return {"ChannelName": name,
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": uri,
                                            "S3DataDistributionType": "FullyReplicated"}},
            "ContentType": content_type}


def _kept_statics(job: TuningJob, config: TuningConfig, opts: Options, problems: Problems) -> dict[str, str]:
    tuned = {r.name for r in config.ranges}
    statics = dict(DISTRIBUTED_STATICS[job.distributed_protocol])
    for name, text in opts.static_hyperparameters:
        if name in tuned:
            problems.warning(("static_hyperparameters", name), "static.tuned",
                             name=clipped_repr(name))
            continue
        statics[name] = text
    return statics


def merge_overrides(request: dict[str, Any], overrides: Mapping[str, Any], prov: Provenance) -> None:
    """Deep-merge `overrides` into the request render() just built (it shares nothing with the caller's input):
    mappings merge, anything else replaces (with a copy, so the caller's overrides stay theirs), None removes."""
    _merge_into(request, overrides, (), prov)


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
