"""Flyte's description -> a checked CreateHyperParameterTuningJob request.

    options.parse_options   translate()'s keyword arguments, checked
    render.render           typed job + config + options -> request, with where each part came from
    pipeline                translate(), validate(), validate_request(): decode, render, check, report in the user's terms
"""

from .pipeline import translate, validate, validate_request

__all__ = ["translate", "validate", "validate_request"]
