"""parse -> check -> render, as the three public entry points: translate(), validate(), validate_request()."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional

from . import aws_model, builtin, model, parse, rules
from .options import DEFAULT_MAX_RUNTIME_SECONDS, OPTION_NAMES, REQUIRED_OPTIONS, Options, parse_options
from .problems import Loc, Problem, TranslationError, TranslationWarning, error
from .render import Provenance, render

if TYPE_CHECKING:
    from types_boto3_sagemaker.type_defs import CreateHyperParameterTuningJobRequestTypeDef as Request
else:
    Request = dict

JOB_MESSAGE, CONFIG_MESSAGE = "HyperparameterTuningJob", "HyperparameterTuningJobConfig"


def translate(job: Any, config: Any, *, job_name: str, role_arn: str, inputs: Mapping[str, str], output_path: str,
              region: Optional[str] = None, training_image: Optional[str] = None,
              static_hyperparameters: Optional[Mapping[str, Any]] = None,
              max_runtime_seconds: int = DEFAULT_MAX_RUNTIME_SECONDS,
              tags: Any = None, overrides: Optional[Mapping[str, Any]] = None) -> Request:
    """Flyte's HyperparameterTuningJob + Config -> the kwargs of boto3's create_hyper_parameter_tuning_job.

    Raises TranslationError listing every error; warns (TranslationWarning) about each likely mistake.
    """
    request, problems = _run(job, config, dict(
        job_name=job_name, role_arn=role_arn, inputs=inputs, output_path=output_path, region=region,
        training_image=training_image, static_hyperparameters=static_hyperparameters,
        max_runtime_seconds=max_runtime_seconds, tags=tags, overrides=overrides))
    if any(p.is_error for p in problems):
        raise TranslationError(problems)
    for p in problems:
        warnings.warn(f"{p.path}: {p.message}", TranslationWarning, stacklevel=2)
    return request  # type: ignore[return-value]


def validate(job: Any, config: Any, **options: Any) -> list[Problem]:
    """Every problem translate() would raise or warn about, with paths into the inputs; never raises for bad input."""
    return _run(job, config, options)[1]


def validate_request(request: Any) -> list[Problem]:
    """Layers 1 and 2 (and the warnings) for any CreateHyperParameterTuningJob request, however it was built."""
    return _check_request(request, kind=None)


def _check_request(request: Any, kind: Optional[builtin.ImageKind]) -> list[Problem]:
    shape_problems = list(aws_model.check(request))
    try:
        rule_problems = list(rules.check(request, kind))
    except Exception as exc:  # a rule tripping over a shape layer 1 already refused must not hide those problems
        if any(p.is_error for p in shape_problems):
            rule_problems = []
        else:  # pragma: no cover - a bug in a rule; say so plainly rather than lose the request
            rule_problems = [error((), "internal", f"sagemaker-bridge could not check this request ({exc!r})")]
    return _dedupe(shape_problems + rule_problems)


def _run(job: Any, config: Any, options: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    problems: list[Problem] = []
    opts = _options(options, problems)
    job_data = parse.load(job, JOB_MESSAGE, ("job",), problems)
    config_data = parse.load(config, CONFIG_MESSAGE, ("config",), problems)
    tuning_job, tuning_config = model.tuning_job(job_data), model.tuning_config(config_data, problems)
    unreadable = any(p.loc in (("job",), ("config",)) and p.is_error for p in problems)
    rendered: list[Problem] = []
    request, prov = render(tuning_job, tuning_config, opts, rendered)
    xgboost = tuning_job.algorithm_name == "XGBOOST"  # a private mirror's URI would not say so
    several = opts.overrides.get("TrainingJobDefinitions") is not None  # each definition classified by its image
    kind = None if several else builtin.ImageKind(xgboost=xgboost, builtin=xgboost)
    for p in _check_request(request, kind):
        rendered.append(type(p)(p.severity, relocate(p.loc, prov), p.message, p.code))
    reported = [p.loc for p in problems]
    for p in rendered:
        if unreadable and p.loc[:1] in (("job",), ("config",), ("training_image",), ("region",)):
            continue  # a consequence of the message we could not read, not news to the user
        if not any(p.loc[:len(r)] == r for r in reported):  # already said, in the user's terms, by parse
            problems.append(p)
    return request, _dedupe(problems)


def _options(options: Mapping[str, Any], problems: list[Problem]) -> Options:
    known = {k: v for k, v in options.items() if k in OPTION_NAMES}
    for key in options:
        if key not in OPTION_NAMES:
            problems.append(error((str(key),), "option.unknown", "is not an option of translate(); options are "
                                  + ", ".join(OPTION_NAMES)))
    for key in REQUIRED_OPTIONS:
        if key not in known:
            problems.append(error((key,), "option.required", "is required"))
            known[key] = {} if key == "inputs" else ""
    return parse_options(problems, **known)


def relocate(loc: Loc, prov: Provenance) -> Loc:
    """A request location in the user's terms: the input it came from (or the override that set it)."""
    for cut in range(len(loc), 0, -1):
        source = prov.get(loc[:cut])
        if source is not None:
            return source + loc[cut:] if source[:1] == ("overrides",) else source
    return loc


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if (p.severity, p.loc, p.message) not in seen:
            seen.add((p.severity, p.loc, p.message))
            out.append(p)
    return out
