"""The way back: a CreateHyperParameterTuningJob request (or a Describe response) -> a Flyte spec for translate().

Everything the Flyte IDL can say goes to `job` and `config` (snake_case proto3 JSON); what only translate()'s
keyword arguments can say goes to them; everything else stays in `overrides`, at its place in the request. The
request is consumed field by field from a copy, and what is left over is the overrides, so nothing is lost.
`translate(spec.pop("job"), spec.pop("config"), **spec)` rebuilds the request.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from typing import Any, Optional

from ..algorithms import images, xgboost
from ..bounds import check_plain_data, plain_copy
from ..checks import aws_model
from ..problems import Problems, TranslationError, clipped_repr, describe_type, report
from ..vocabulary import (
    CONTENT_TYPE,
    DISTRIBUTED_STATICS,
    EARLY_STOPPING,
    INPUT_MODE,
    OBJECTIVE_TYPE,
    RANGE_LISTS,
    SCALING,
    STRATEGY,
)
from .options import DEFAULT_MAX_RUNTIME_SECONDS
from .render import channel_entry

_INTEGRAL_TEXT = re.compile(r"[+-]?\d+\.0*")  # "400.0": an integer the SDK wrote through float()


# Members only a DescribeHyperParameterTuningJob answer has (botocore's output shape; not in the request).
DESCRIPTION_ONLY = ("HyperParameterTuningJobArn", "HyperParameterTuningJobStatus", "CreationTime")


def from_request(request: Any) -> dict[str, Any]:
    """{"job": ..., "config": ..., **translate_kwargs} for a request with one TrainingJobDefinition.

    Raises TranslationError, naming the field, for what Flyte's description cannot hold at all.
    """
    if not isinstance(request, Mapping):
        raise TranslationError([report("error", (), "request.type", got=describe_type(request))])
    shape = aws_model.operation_input_shape()
    # Names are text before anything is looked up by them (a caller's Mapping may be keyed by a list: unhashable).
    found = Problems()  # each step reads only what the steps before it passed, so a step's errors end the reading
    for k in request:
        if not isinstance(k, str):
            found.error((clipped_repr(k),), "input.bad_key", reason="not_text", got=describe_type(k))
    _refuse(found)
    # A Describe response adds ARNs, statuses, counters and timestamps (datetime objects): only the request's members.
    members = {k: v for k, v in request.items() if k in shape.members}
    check_plain_data(members, found)
    _refuse(found)
    aws_model.check(members, found)
    _refuse(found)  # what follows reads a request of the right shape (its names text, so a dict can hold them)
    left = plain_copy(members)  # a caller's own Mapping or tuple reads back as JSON's dict and list
    _unrepresentable(left, found)
    _refuse(found)
    reading = _Reading(left, described=any(k in request for k in DESCRIPTION_ONLY))
    spec = reading.spec()
    overrides = _pruned(left) or {}
    _merge(overrides, reading.removals)
    if overrides:
        spec["overrides"] = overrides
    return spec


def _refuse(found: Problems) -> None:
    if found.has_errors:
        raise TranslationError(found.errors)


def _unrepresentable(request: Mapping[str, Any], found: Problems) -> None:
    """What Flyte's description cannot hold at all."""
    if "TrainingJobDefinitions" in request:
        found.error(("TrainingJobDefinitions",), "reverse.several_definitions")
    elif "TrainingJobDefinition" not in request:
        found.error(("TrainingJobDefinition",), "reverse.no_definition")
    if "Autotune" in request:
        found.error(("Autotune",), "reverse.autotune")
    definition = request.get("TrainingJobDefinition") or {}
    algorithm = definition.get("AlgorithmSpecification") or {}
    if "AlgorithmName" in algorithm:
        found.error(("TrainingJobDefinition", "AlgorithmSpecification", "AlgorithmName"), "reverse.algorithm_name")
    elif definition and "TrainingImage" not in algorithm:
        found.error(("TrainingJobDefinition", "AlgorithmSpecification", "TrainingImage"), "reverse.no_image")
    for i, channel in enumerate(definition.get("InputDataConfig") or []):
        if "S3DataSource" not in (channel.get("DataSource") or {}):
            found.error(("TrainingJobDefinition", "InputDataConfig", i, "DataSource"), "reverse.channel_source")


class _Reading:
    """Takes what the IDL and translate()'s arguments can say out of the request, leaving the rest behind."""

    def __init__(self, request: dict[str, Any], described: bool = False):
        self.request, self.described = request, described
        self.config = request.setdefault("HyperParameterTuningJobConfig", {})
        self.definition = request["TrainingJobDefinition"]
        self.removals: dict[str, Any] = {}  # what translate() writes that this request does not have: None removes it
        self.metric = (self.config.get("HyperParameterTuningJobObjective") or {}).get("MetricName")

    def spec(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"job_name": self.request.pop("HyperParameterTuningJobName")}
        job = {"training_job": {"algorithm_specification": self._algorithm(kwargs),
                                "training_job_resource_config": self._resources(kwargs)}, **self._limits()}
        config = self._config()
        kwargs["role_arn"] = self.definition.pop("RoleArn")
        kwargs["inputs"] = self._channels()
        kwargs["output_path"] = _take(self.definition, ("OutputDataConfig", "S3OutputPath"))
        runtime = _take(self.definition, ("StoppingCondition", "MaxRuntimeInSeconds"))
        if runtime is not None and runtime != DEFAULT_MAX_RUNTIME_SECONDS:
            kwargs["max_runtime_seconds"] = runtime
        statics = self._statics(job)
        if statics:
            kwargs["static_hyperparameters"] = statics
        tags = self.request.pop("Tags", None)
        if tags:
            keys = [t["Key"] for t in tags]
            kwargs["tags"] = {t["Key"]: t["Value"] for t in tags} if len(set(keys)) == len(keys) else tags
        return {"job": job, "config": config, **kwargs}

    def _algorithm(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        spec = self.definition["AlgorithmSpecification"]
        image = spec.pop("TrainingImage")
        mode = INPUT_MODE.flyte(spec.get("TrainingInputMode", ""))
        if mode is not None:  # else FastFile, which Flyte's InputMode has no word for: it stays in overrides
            spec.pop("TrainingInputMode")
        out: dict[str, Any] = {"input_mode": mode or "FILE", "input_content_type": "TEXT_CSV"}
        region, version = _builtin_xgboost(image)
        if version is not None:
            out.update(algorithm_name="XGBOOST", algorithm_version=version)
            kwargs["region"] = region
        else:  # any other image; a mirror of XGBoost keeps XGBoost's own checks
            out.update(algorithm_name="XGBOOST" if images.classify_image(image).xgboost else "CUSTOM")
            kwargs["training_image"] = image
        definitions = spec.pop("MetricDefinitions", None)
        if definitions:
            out["metric_definitions"] = [{"name": m["Name"], "regex": m["Regex"]} for m in definitions]
        return out

    def _resources(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """ResourceConfig, or the HyperParameterTuningResourceConfig slot the SageMaker SDK writes, as SageMaker reads
        either; a slot holding more than Flyte can say (instance configs, allocation) stays in overrides whole."""
        flyte_keys = {"InstanceType", "InstanceCount", "VolumeSizeInGB"}
        for slot in ("ResourceConfig", "HyperParameterTuningResourceConfig"):
            resources = self.definition.get(slot)
            if resources is None or not flyte_keys <= set(resources):
                continue
            if slot == "HyperParameterTuningResourceConfig" and set(resources) != flyte_keys:
                continue  # instance configs or an allocation strategy: the SDK's slot stays as it is
            if set(resources) == flyte_keys:
                self.definition.pop(slot)  # the rest of a ResourceConfig (a KMS key...) merges back from overrides
            return {"instance_type": resources.pop("InstanceType"), "instance_count": resources.pop("InstanceCount"),
                    "volume_size_in_gb": resources.pop("VolumeSizeInGB"), "distributed_protocol": "UNSPECIFIED"}
        # nothing Flyte can hold: translate() writes a ResourceConfig, which the overrides then remove
        self.removals.setdefault("TrainingJobDefinition", {})["ResourceConfig"] = None
        return {}

    def _limits(self) -> dict[str, Any]:
        limits = self.config.get("ResourceLimits") or {}
        out = {"max_parallel_training_jobs": limits.pop("MaxParallelTrainingJobs", 0)}
        if "MaxNumberOfTrainingJobs" in limits:
            out["max_number_of_training_jobs"] = limits.pop("MaxNumberOfTrainingJobs")
        return out

    def _config(self) -> dict[str, Any]:
        config: dict[str, Any] = {}
        strategy = STRATEGY.flyte(self.config.get("Strategy", ""))
        if strategy is not None:
            self.config.pop("Strategy")
            config["tuning_strategy"] = strategy
        objective = self.config.get("HyperParameterTuningJobObjective")
        if objective is None:
            self.removals.setdefault("HyperParameterTuningJobConfig", {})["HyperParameterTuningJobObjective"] = None
        elif OBJECTIVE_TYPE.flyte(objective.get("Type", "")) is not None and "MetricName" in objective:
            config["tuning_objective"] = {"objective_type": OBJECTIVE_TYPE.flyte(objective.pop("Type")),
                                          "metric_name": objective.pop("MetricName")}
        stopping = EARLY_STOPPING.flyte(self.config.get("TrainingJobEarlyStoppingType", "Off"))
        if stopping is not None:
            self.config.pop("TrainingJobEarlyStoppingType", None)
            config["training_job_early_stopping_type"] = stopping
        config["hyperparameter_ranges"] = {"parameter_range_map": self._ranges()}
        return config

    def _ranges(self) -> dict[str, Any]:
        """Each range list, when Flyte's map can hold every range of it exactly; else the list stays whole in
        overrides (an override replaces a list, so a list is taken all or not at all)."""
        ranges = self.config.get("ParameterRanges") or {}
        out: dict[str, Any] = {}
        for member, range_list in RANGE_LISTS.items():
            listed = ranges.get(range_list) or []
            one_ofs = [_range(member, r) for r in listed]
            names = [r["Name"] for r in listed]
            if None in one_ofs or len(set(names)) < len(names) or set(names) & set(out):
                continue
            ranges.pop(range_list, None)
            out.update({name: {member: one_of} for name, one_of in zip(names, one_ofs)})
        return out

    def _channels(self) -> dict[str, str]:
        """Channels as translate() writes them become inputs; if any is not, all stay in overrides (a list)."""
        channels = self.definition.get("InputDataConfig")
        if not channels:
            return {}
        content = CONTENT_TYPE["TEXT_CSV"]
        inputs = {}
        for channel in channels:
            source = channel["DataSource"]["S3DataSource"]
            plain = channel == channel_entry(channel["ChannelName"], source.get("S3Uri"), content)  # as translate() writes
            if not plain or channel["ChannelName"] in inputs:
                return {}
            inputs[channel["ChannelName"]] = source["S3Uri"]
        self.definition.pop("InputDataConfig")
        return inputs

    def _statics(self, job: dict[str, Any]) -> dict[str, Any]:
        statics = self.definition.pop("StaticHyperParameters", None) or {}
        if self.described and statics.get("_tuning_objective_metric") == self.metric:  # SageMaker adds it to every
            del statics["_tuning_objective_metric"]  # description; the SDK's tuner.py removes it too ("Remove
            # hyperparameter reserved by SageMaker for tuning jobs"). In a request, it is the user's.
        if all(statics.get(k) == v for k, v in DISTRIBUTED_STATICS["MPI"].items()):
            job["training_job"]["training_job_resource_config"]["distributed_protocol"] = "MPI"
            for name in DISTRIBUTED_STATICS["MPI"]:
                statics.pop(name)
        return {name: _static_value(text) for name, text in statics.items()}


def _builtin_xgboost(image: str) -> tuple[Optional[str], Optional[str]]:
    """(region, version) when `image` is exactly the regional XGBoost image of our table; else (None, None)."""
    match = images.ECR_IMAGE.fullmatch(image)
    if not match or match["region"] not in xgboost.REGISTRY_ACCOUNTS or not match["tag"]:
        return None, None
    region, version = match["region"], xgboost.tag_version(match["tag"])
    known = version is not None and (version in xgboost.VERSIONS or xgboost.newer_version(version) is not None)
    if version is not None and known and xgboost.image_uri(region, version) == image:  # a newer one: as translate()
        return region, version
    return None, None


def _range(member: str, r: Mapping[str, Any]) -> Optional[dict[str, Any]]:
    """The ParameterRangeOneOf member for a request range, when translate() writes it back the same."""
    if member == "categorical_parameter_range":
        return {"values": list(r["Values"])} if set(r) == {"Name", "Values"} else None
    if set(r) - {"Name", "MinValue", "MaxValue", "ScalingType"}:
        return None
    scaling = SCALING.flyte(r.get("ScalingType", "Auto"))
    bounds = [_number(r["MinValue"], member), _number(r["MaxValue"], member)]
    if scaling is None or None in bounds:
        return None  # not a number Flyte's double or int64 can hold: kept as written
    return {"min_value": bounds[0], "max_value": bounds[1], "scaling_type": scaling}


def _number(text: str, member: str) -> Optional[float]:
    try:
        value = int(text.strip()) if member == "integer_parameter_range" else float(text.strip())
    except ValueError:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _static_value(text: str) -> Any:
    """The value a static hyperparameter's text stands for, where that is unambiguous: "True" is true and "400.0" is
    400, so that translate() writes them as the built-in containers read them ("true", "400"); else the text."""
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if _INTEGRAL_TEXT.fullmatch(text.strip()) and "." in text:
        return int(float(text))
    return text


def _take(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    """Pop data[path...]; None when absent. Empty parents are pruned later."""
    for key in path[:-1]:
        data = data.get(key) or {}
    return data.pop(path[-1], None) if isinstance(data, dict) else None


def _pruned(value: Any) -> Any:
    """The request's leftovers without the empty objects consuming left behind (None when nothing is left)."""
    if isinstance(value, dict):
        kept = {k: p for k, v in value.items() if (p := _pruned(v)) is not None}
        return kept or None
    return value


def _merge(target: dict[str, Any], extra: Mapping[str, Any]) -> None:
    """Add `extra` (the removals, None each) to the overrides being built, keeping what is there. Not
    render.merge_overrides(): that one applies overrides to a request (a None removes a key, the override wins);
    this one writes an overrides value (a None is kept: it is the override that removes)."""
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        elif key not in target:
            target[key] = copy.deepcopy(value) if isinstance(value, Mapping) else value

