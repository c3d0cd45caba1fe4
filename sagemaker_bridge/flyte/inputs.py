"""A Flyte task (template + input literals) -> the arguments of translate(), in every layout flytekit ever sent.

Layouts (shared reference `flyte-connector-facts.md`, section 3):
- `TaskTemplate.custom`: the HyperparameterTuningJob as proto3 JSON in a Struct (every number a double);
- input `hyperparameter_tuning_job_config`: a Generic Struct, or (flytekit < 0.14) a Binary of serialized protobuf
  with a `pb_type` tag; later flytekit left its range map empty and sent each range as its own input, a Generic
  Struct holding a ParameterRangeOneOf named after the hyperparameter;
- input `static_hyperparameters`: a Generic Struct (or, from flytekit 1.14's dict encoding, a msgpack Binary);
- blob and directory inputs (`train`, `validation`, ...): the data channels, by input name.
Our own authoring task (task.py) also puts what the IDL cannot hold in `TaskTemplate.config[CONFIG_KEY]`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import idl
from ..problems import Loc, Problems, TranslationError, report

CONFIG_INPUT = "hyperparameter_tuning_job_config"
STATICS_INPUT = "static_hyperparameters"
CONFIG_KEY = "sagemaker_bridge"  # TaskTemplate.config key: JSON written by SageMakerTuningTask
RANGE_MEMBERS = frozenset({"continuousParameterRange", "integerParameterRange", "categoricalParameterRange",
                           "continuous_parameter_range", "integer_parameter_range", "categorical_parameter_range"})
TEMPLATE_OPTIONS = ("training_image", "overrides", "max_runtime_seconds", "tags")


@dataclass
class TaskSpec:
    """What the task says, before the connector adds job name, role, output path and region."""

    job: Any
    config: Any
    channels: dict[str, str] = field(default_factory=dict)
    static_hyperparameters: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)  # training_image, overrides, max_runtime_seconds, tags


class UnreadableTask(TranslationError):
    """The template or an input cannot be read at all: a TranslationError whose problem names the part."""

    @classmethod
    def at(cls, loc: Loc, code: str, **facts: Any) -> UnreadableTask:
        return cls([report("error", loc, code, **facts)])


def read_task(template: Any, inputs: Any) -> TaskSpec:
    """TaskSpec from a flytekit TaskTemplate and LiteralMap (either may come from any flytekit version)."""
    extras = _template_extras(template)
    literals: Mapping[str, Any] = getattr(inputs, "literals", None) or {}
    spec = TaskSpec(job=template.custom if template.custom is not None else {}, config=extras.pop("config", None),
                    static_hyperparameters=dict(extras.pop("static_hyperparameters", None) or {}),
                    options={k: extras[k] for k in TEMPLATE_OPTIONS if k in extras})
    ranges: dict[str, Any] = {}
    for name, literal in literals.items():
        try:
            value = _literal_value(literal)
        except Exception as exc:  # a literal this flytekit cannot decode is the task's input, not our crash
            raise UnreadableTask.at(("inputs", str(name)), "task.input", error=f"{type(exc).__name__}: {exc}") \
                from None
        if name == CONFIG_INPUT:
            spec.config = value
        elif name == STATICS_INPUT:
            if not isinstance(value, Mapping):
                raise UnreadableTask.at(("inputs", STATICS_INPUT), "task.statics")
            spec.static_hyperparameters.update(value)
        elif isinstance(value, _Channel):
            spec.channels[name] = value.uri
        elif isinstance(value, Mapping) and len(value) == 1 and set(value) <= RANGE_MEMBERS:
            ranges[name] = value  # later flytekit: one ParameterRangeOneOf input per tuned hyperparameter
        # any other input is the workflow's own, not a part of the tuning job
    if spec.config is None:
        raise UnreadableTask.at(("inputs", CONFIG_INPUT), "task.no_config")
    if ranges:
        spec.config = idl.with_ranges(spec.config, ranges)
    if "training_image" not in spec.options and _algorithm(spec.job) == "CUSTOM":
        image = getattr(getattr(template, "container", None), "image", None)
        if image:  # a custom training task ran in its own task image
            spec.options["training_image"] = image
    return spec


@dataclass(frozen=True)
class _Channel:
    uri: str


def _literal_value(literal: Any) -> Any:
    """A literal's value as plain data: Struct -> dict, Binary -> bytes (or msgpack data), blob -> _Channel."""
    scalar = getattr(literal, "scalar", None)
    union = getattr(scalar, "union", None)
    if union is not None:
        return _literal_value(union.value)
    if scalar is None:
        mapped = getattr(literal, "map", None)
        if mapped is not None:  # a map literal of primitives (dict[str, str] and the like)
            return {k: _literal_value(v) for k, v in mapped.literals.items()}
        return None
    if scalar.blob is not None:
        return _Channel(scalar.blob.uri)
    if scalar.generic is not None:
        return _struct(scalar.generic)
    if scalar.binary is not None:
        if scalar.binary.tag == "msgpack":
            import msgpack

            return msgpack.unpackb(scalar.binary.value)
        return bytes(scalar.binary.value)  # older flytekit's serialized protobuf (tag "pb_type=...")
    if scalar.primitive is not None:
        return scalar.primitive.value
    return None


def _struct(struct: Any) -> dict[str, Any]:
    """A google.protobuf.Struct as plain data. Unlike json_format, this keeps NaN and infinities, so the checks
    name the field that holds one instead of the conversion failing as a whole."""
    return {key: _struct_value(value) for key, value in struct.fields.items()}


def _struct_value(value: Any) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        return _struct(value.struct_value)
    if kind == "list_value":
        return [_struct_value(item) for item in value.list_value.values]
    return None if kind in (None, "null_value") else getattr(value, kind)


def _template_extras(template: Any) -> dict[str, Any]:
    raw = (getattr(template, "config", None) or {}).get(CONFIG_KEY)
    if not raw:
        return {}
    try:
        extras = json.loads(raw)
    except ValueError as exc:
        raise UnreadableTask.at(("TaskTemplate", "config", CONFIG_KEY), "task.extras", reason="json", why=str(exc)) \
            from None
    if not isinstance(extras, dict):
        raise UnreadableTask.at(("TaskTemplate", "config", CONFIG_KEY), "task.extras", reason="object")
    return extras


def _algorithm(job: Any) -> str:
    decoded = idl.load(job, idl.JOB_MESSAGE, ("job",), Problems())
    return str(decoded["training_job"]["algorithm_specification"]["algorithm_name"])
