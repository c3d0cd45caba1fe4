"""Flyte's description -> a checked CreateHyperParameterTuningJob request.

    options.parse_options   translate()'s keyword arguments, checked
    render.render           typed job + config + options -> request, with where each part came from
    pipeline                translate(), validate(), validate_request(): decode, render, check, report in the user's terms
    reverse.from_request    the way back: a request (or a Describe response) -> a Flyte spec translate() rebuilds it from
"""

from .pipeline import translate, validate, validate_request
from .reverse import from_request

__all__ = ["from_request", "translate", "validate", "validate_request"]
