"""Flyte's description -> a checked CreateHyperParameterTuningJob request.

    options.parse_options   translate()'s keyword arguments, checked
    render.render           typed job + config + options -> request, with where each part came from
    pipeline                translate(), validate(), validate_request(): decode, render, check, report in the user's terms
    reverse.from_request    the way back: a request (or a Describe response) -> a Flyte spec translate() rebuilds it from
"""

from typing import TYPE_CHECKING

from ..lazy import exports
from .pipeline import translate, validate, validate_request

__getattr__, __dir__ = exports(__name__, {".reverse": ("from_request",)})  # only `import` and its callers need it
__all__ = ["from_request", "translate", "validate", "validate_request"]

if TYPE_CHECKING:
    from .reverse import from_request as from_request
