"""decode -> model -> render -> check, as the three public entry points: translate(), validate(), validate_request()."""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional

from .. import idl
from ..bounds import check_plain_data, plainly_bounded
from ..checks import check_into, check_request
from ..problems import Loc, Problem, Problems, TranslationError, TranslationWarning, unique
from .options import DEFAULT_MAX_RUNTIME_SECONDS, OPTION_NAMES, parse_options
from .render import DERIVED_FROM_MESSAGES, Provenance, render

if TYPE_CHECKING:
    from types_boto3_sagemaker.type_defs import CreateHyperParameterTuningJobRequestTypeDef as Request
else:
    Request = dict


def translate(job: Any, config: Any, *, job_name: str, role_arn: str, inputs: Mapping[str, str], output_path: str,
              region: Optional[str] = None, training_image: Optional[str] = None,
              static_hyperparameters: Optional[Mapping[str, Any]] = None,
              max_runtime_seconds: int = DEFAULT_MAX_RUNTIME_SECONDS,
              tags: Any = None, overrides: Optional[Mapping[str, Any]] = None) -> Request:
    """Flyte's HyperparameterTuningJob + Config -> the kwargs of boto3's create_hyper_parameter_tuning_job.

    Raises TranslationError listing every error; warns (TranslationWarning) about each likely mistake.
    """
    options = {name: value for name, value in locals().items() if name in OPTION_NAMES}
    request, problems = _run(job, config, options)
    if any(p.is_error for p in problems):
        raise TranslationError(problems)
    for p in problems:
        warnings.warn(p.line(), TranslationWarning, stacklevel=2)
    return request  # type: ignore[return-value]


def validate(job: Any, config: Any, **options: Any) -> list[Problem]:
    """Every problem translate() would raise or warn about, with paths into the inputs; never raises for bad input."""
    return _run(job, config, options)[1]


def validate_request(request: Any) -> list[Problem]:
    """Layers 1 and 2 (and the warnings) for any CreateHyperParameterTuningJob request, however it was built."""
    return check_request(request)


def _run(job: Any, config: Any, options: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    problems = Problems()
    unbounded = set() if plainly_bounded(options) else {  # one walk; option by option only to say which
        name for name, value in options.items() if not check_plain_data(value, problems, (str(name),))}
    opts = parse_options({k: v for k, v in options.items() if k not in unbounded}, problems, already_reported=unbounded)
    messages, unreadable = {}, False
    for name, value, message in (("job", job, idl.JOB_MESSAGE), ("config", config, idl.CONFIG_MESSAGE)):
        messages[name], readable = idl.read(value, message, (name,), problems)
        unreadable = unreadable or not readable
    tuning_job, tuning_config = idl.tuning_job(messages["job"]), idl.tuning_config(messages["config"], problems)
    found = Problems()
    rendered = render(tuning_job, tuning_config, opts, found)
    checked = Problems()
    check_into(rendered.request, checked, rendered.image_kind, bounded=True)  # built from bounded inputs
    found.extend(dataclasses.replace(p, loc=relocate(p.loc, rendered.provenance)) for p in checked)  # facts kept
    reported = [p.loc for p in problems]  # said already, in the user's terms, by decoding
    # What a refused input's stand-in (its default) makes the checks say is a consequence, not news to the user.
    hidden = [(name,) for name in unbounded] + (list(DERIVED_FROM_MESSAGES) if unreadable else [])
    problems.extend(p for p in found if not any(p.loc[:len(r)] == r for r in reported + hidden))
    return rendered.request, unique(problems)


def relocate(loc: Loc, prov: Provenance) -> Loc:
    """A request location in the user's terms: the input it came from (or the override that set it); a member that
    nothing the user gave has set (a field spot training needs, say) keeps its request path, which `overrides`
    takes."""
    for cut in range(len(loc), 0, -1):
        source = prov.get(loc[:cut])
        if source is not None:
            return source + loc[cut:] if source[:1] == ("overrides",) else source
    return loc
