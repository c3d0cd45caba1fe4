"""sagemaker-bridge: Flyte's SageMaker hyperparameter tuning messages -> a checked CreateHyperParameterTuningJob request.

The flow, one module a step:
    parse.load      any form of the Flyte messages (dict, JSON, bytes, message) -> normalized dict -> model.py
    render.render   model + options (options.py) -> request dict, with where each part came from
    aws_model.check the request against botocore's model (layer 1)
    rules.check     SageMaker's server-side rules and likely mistakes (layers 2 and 3)
translate.py strings them together.
"""

from .naming import job_name
from .problems import Problem, TranslationError, TranslationWarning
from .translate import translate, validate, validate_request

__all__ = ["Problem", "TranslationError", "TranslationWarning", "job_name", "translate", "validate",
           "validate_request"]
__version__ = "0.1.0"
