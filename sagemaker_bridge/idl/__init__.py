"""Flyte's side: the `flyteidl.plugins.sagemaker` schema as data, every form Flyte wrote it in, the typed model.

    decode.load(value, message, loc, problems)   any form (dict, JSON, bytes, message, Struct) -> normalized dict
    decode.read(...)                             the same, and whether the value could be read at all
    model.tuning_job(d), model.tuning_config(d)   normalized dicts -> frozen dataclasses
"""

from .decode import load, read, with_ranges
from .model import CategoricalRange, ContinuousRange, IntegerRange, Range, TuningConfig, TuningJob, tuning_config, tuning_job
from .proto import is_message

JOB_MESSAGE, CONFIG_MESSAGE = "HyperparameterTuningJob", "HyperparameterTuningJobConfig"

__all__ = ["CONFIG_MESSAGE", "JOB_MESSAGE", "CategoricalRange", "ContinuousRange", "IntegerRange", "Range", "TuningConfig",
           "TuningJob", "is_message", "load", "read", "tuning_config", "tuning_job", "with_ranges"]
