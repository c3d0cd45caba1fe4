"""A tuning job's JobStatus -> what Flyte shows and passes on: phase, message, log links, custom info, outputs.

Outputs are typed by the task's interface, read at create and kept in the ResourceMeta (get() has no template):
a blob output gets the best job's model, a float output the best objective value, a map of strings (or a struct)
output the best job's tuned hyperparameters. A detail SageMaker does not have is left out, never a failure.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Optional
from urllib.parse import unquote, urlparse

from flyteidl.core.execution_pb2 import TaskExecution, TaskLog
from flytekit.extend.backend.base_connector import Resource
from flytekit.models import literals
from flytekit.models.core.types import BlobType
from flytekit.models.types import SimpleType

from ..aws import JobStatus

# JobStatus.phase (Flyte's names, vocabulary.PHASES) -> TaskExecution.Phase. Stopped is ABORTED, not FAILED.
TASK_PHASES = {"RUNNING": TaskExecution.RUNNING, "SUCCEEDED": TaskExecution.SUCCEEDED, "FAILED": TaskExecution.FAILED,
          "ABORTED": TaskExecution.ABORTED}
MODEL, OBJECTIVE, HYPERPARAMETERS_MAP, HYPERPARAMETERS_STRUCT = "model", "objective", "hyperparameters", "struct"


def output_kinds(interface: Any) -> dict[str, str]:
    """Output name -> what it holds ("model:<blob format>", "objective", "hyperparameters", "struct")."""
    kinds: dict[str, str] = {}
    for name, variable in (getattr(interface, "outputs", None) or {}).items():
        literal_type = variable.type
        if literal_type.blob is not None and literal_type.blob.dimensionality == BlobType.BlobDimensionality.SINGLE:
            kinds[name] = f"{MODEL}:{literal_type.blob.format}"
        elif literal_type.simple == SimpleType.FLOAT:
            kinds[name] = OBJECTIVE
        elif literal_type.map_value_type is not None and literal_type.map_value_type.simple == SimpleType.STRING:
            kinds[name] = HYPERPARAMETERS_MAP
        elif literal_type.simple == SimpleType.STRUCT:
            kinds[name] = HYPERPARAMETERS_STRUCT
    return kinds


def resource(st: JobStatus, kinds: dict[str, str]) -> Resource:
    phase = TASK_PHASES.get(st.phase, TaskExecution.RUNNING)
    return Resource(phase=phase, message=message(st), log_links=log_links(st), custom_info=custom_info(st),
                    outputs=outputs(st, kinds) if phase == TaskExecution.SUCCEEDED else None)


def message(st: JobStatus) -> str:
    text = f"{st.status}: {st.progress()}"
    best = st.best_training_job
    if best is not None and best.objective_value is not None:
        text += f"; best {best.metric_name or 'objective'} {best.objective_value:.6g} ({best.name})"
    return f"{text}. {st.message}" if st.message else text


def log_links(st: JobStatus) -> list[TaskLog]:
    links = []
    if st.console_url:
        links.append(TaskLog(name="SageMaker hyperparameter tuning job", uri=st.console_url))
    if st.training_logs_url:
        links.append(TaskLog(name="CloudWatch logs of the training jobs", uri=st.training_logs_url))
    if st.best_training_job is not None and st.logs_url and st.logs_url != st.training_logs_url:
        links.append(TaskLog(name="CloudWatch logs of the best training job", uri=st.logs_url))
    return links


def custom_info(st: JobStatus) -> dict[str, Any]:
    best = st.best_training_job
    return {"job_name": st.name, "status": st.status, "arn": st.arn, "region": st.region,
            "training_jobs": asdict(st.training_jobs), "objectives": asdict(st.objectives),
            "max_training_jobs": st.max_training_jobs, "model_uri": st.model_uri,
            "best_training_job": None if best is None else {
                "name": best.name, "metric_name": best.metric_name, "objective_value": best.objective_value,
                "tuned_hyperparameters": dict(best.tuned_hyperparameters)}}


def outputs(st: JobStatus, kinds: dict[str, str]) -> Optional[literals.LiteralMap]:
    best = st.best_training_job
    values: dict[str, literals.Literal] = {}
    for name, kind in kinds.items():
        literal = _literal(kind, st, best)
        if literal is not None:
            values[name] = literal
    return literals.LiteralMap(values)


def _literal(kind: str, st: JobStatus, best: Any) -> Optional[literals.Literal]:
    if kind.startswith(MODEL + ":"):
        if not st.model_uri:
            return None
        blob_type = BlobType(format=kind.split(":", 1)[1], dimensionality=BlobType.BlobDimensionality.SINGLE)
        return literals.Literal(scalar=literals.Scalar(blob=literals.Blob(
            metadata=literals.BlobMetadata(type=blob_type), uri=_flyte_uri(st.model_uri))))
    if best is None:
        return None
    if kind == OBJECTIVE:
        if best.objective_value is None:
            return None
        return literals.Literal(scalar=literals.Scalar(primitive=literals.Primitive(float_value=best.objective_value)))
    tuned = {str(k): str(v) for k, v in best.tuned_hyperparameters.items()}
    if kind == HYPERPARAMETERS_MAP:
        return literals.Literal(map=literals.LiteralMap({
            k: literals.Literal(scalar=literals.Scalar(primitive=literals.Primitive(string_value=v)))
            for k, v in tuned.items()}))
    from google.protobuf import struct_pb2

    struct = struct_pb2.Struct()
    struct.update(tuned)
    return literals.Literal(scalar=literals.Scalar(generic=struct))


def _flyte_uri(uri: str) -> str:
    """flytekit names a file on this machine by its path (the local engine's models are `file://` URIs)."""
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri
