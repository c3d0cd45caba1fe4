"""Flyte's side of the house: a flytekit connector for SageMaker HPO tasks, and an authoring task.

    settings    the connector's configuration (SAGEMAKER_BRIDGE_* environment variables)
    inputs      a TaskTemplate and its input literals, in every layout flytekit sent -> translate()'s arguments
    outputs     JobStatus -> Flyte phase, message, log links, custom info and typed outputs
    connector   SageMakerTuningConnector: create (translate + submit), get (status), delete (stop)
    task        SageMakerTuningTask: declare a tuning job in Python; checked when declared

Needs the `flyte` extra (flytekit 1.16). Importing it registers the connector, which is what the `flytekit.plugins`
entry point does when `pyflyte serve connector` imports flytekit; the core never imports this part.
"""

from flytekit.extend.backend.base_connector import ConnectorRegistry

from .connector import TASK_TYPE, SageMakerTuningConnector, SageMakerTuningMetadata
from .settings import ConnectorSettings
from .task import CategoricalRange, ContinuousRange, CustomImage, IntegerRange, Objective, SageMakerTuningTask, XGBoost

ConnectorRegistry.register(SageMakerTuningConnector(), override=True)

__all__ = ["TASK_TYPE", "CategoricalRange", "ConnectorSettings", "ContinuousRange", "CustomImage", "IntegerRange",
           "Objective", "SageMakerTuningConnector", "SageMakerTuningMetadata", "SageMakerTuningTask", "XGBoost"]
