"""The flytekit connector: Flyte's SageMaker HPO task type, run by translate() and submit() on SageMaker.

Stateless: everything get() and delete() need is in a small JSON ResourceMeta, so any replica serves any job and a
fresh process resumes from the encoded bytes. Each operation answers within ConnectorSettings.call_timeout.
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable, Optional

from flyteidl.core.execution_pb2 import TaskExecution
from flytekit.extend.backend.base_connector import AsyncConnectorBase, Resource, ResourceMeta

from ..aws import (
    ConnectionFailedError,
    DeadlineExceeded,
    JobConflictError,
    JobNotFoundError,
    JobStatus,
    ThrottledError,
    job_name,
    make_client,
    status,
    stop,
    submit,
    within,
)
from ..local import paths as local_paths
from ..mapping import translate, validate
from ..problems import Problem, TranslationError, clipped_repr, report
from ..vocabulary import ATTACHED_PHASES
from . import outputs
from .deck import Decks
from .inputs import TaskSpec, UnreadableTask, read_task
from .settings import ConnectorSettings

log = logging.getLogger("sagemaker_bridge.flyte")
TASK_TYPE = "sagemaker_hyperparameter_tuning_job_task"  # what Flyte's HPO task used: old templates still run
MAX_GENERATIONS = 50  # new jobs for one node: a retry after a failed or stopped job takes the next generation
# A job in these states belongs to this node and still counts: a repeated or retried create attaches to it.
TRANSIENT = (ThrottledError, ConnectionFailedError, DeadlineExceeded)
LOCAL_ROLE = "arn:aws:iam::000000000000:role/local-engine"  # the local engine needs no role; the request needs one
LOCAL_IMAGE_REGION = "us-east-1"  # the local engine names the built-in image of some region; none is pulled


@dataclass
class SageMakerTuningMetadata(ResourceMeta):  # type: ignore[misc]  # flytekit is not in the types env
    """All that get() and delete() need, JSON-encoded by flytekit (no pickle)."""

    job_name: str = ""
    region: str = ""
    outputs: dict[str, str] = field(default_factory=dict)  # output name -> kind (outputs.output_kinds)
    problems: list[str] = field(default_factory=list)  # refused at create: nothing was submitted
    deck_prefix: str = ""  # the task's output prefix, when its template generates a deck (enable_deck=True)


class SageMakerTuningConnector(AsyncConnectorBase):  # type: ignore[misc]
    name = "sagemaker-bridge: SageMaker hyperparameter tuning (Flyte HPO messages)"

    def __init__(self, settings: Optional[ConnectorSettings] = None,
                 client_factory: Optional[Callable[[str], Any]] = None) -> None:
        """`settings`: fixed, instead of read from the environment at each call. `client_factory(region)`: your own
        SageMaker clients (credentials, endpoint, retries), instead of make_client() with the settings."""
        super().__init__(task_type_name=TASK_TYPE, metadata_type=SageMakerTuningMetadata)
        self._settings = settings
        self._client_factory = client_factory
        self._clients: dict[tuple[str, Optional[str]], Any] = {}
        self._lock = threading.Lock()
        self._decks = Decks()

    @property
    def settings(self) -> ConnectorSettings:
        return self._settings or ConnectorSettings.from_environment()

    def create(self, task_template: Any, output_prefix: str, inputs: Any = None,
               task_execution_metadata: Any = None, **kwargs: Any) -> SageMakerTuningMetadata:
        settings = self.settings
        deadline = time.monotonic() + settings.call_timeout
        kinds = outputs.output_kinds(getattr(task_template, "interface", None))
        try:
            spec = read_task(task_template, inputs)
            region = settings.region or _default_region(settings.local)
            arguments = _arguments(spec, output_prefix, task_execution_metadata, settings, region)
            check = local_paths.validate if settings.local else validate
            problems = check(spec.job, spec.config, job_name="checked-before-naming", **arguments)
        except TranslationError as exc:  # an UnreadableTask too
            return SageMakerTuningMetadata(problems=_lines(exc.errors), outputs=kinds)
        errors = _lines(p for p in problems if p.is_error)
        if errors:  # a permanent failure, before any AWS call: get() reports it as FAILED
            return SageMakerTuningMetadata(problems=errors, outputs=kinds)
        client = self._client(region)
        node = _node_identity(task_execution_metadata, output_prefix)
        for generation in range(MAX_GENERATIONS):
            name = job_name(*node, generation)
            existing = within(deadline, partial(_existing, client, name))
            if existing is not None and existing.phase not in ATTACHED_PHASES:
                continue  # this node's job of an earlier attempt failed or was stopped: a retry starts a new one
            if existing is None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # validate() above has logged them
                    render = local_paths.translate if settings.local else translate
                    request = render(spec.job, spec.config, job_name=name, **arguments)
                try:  # translate() has checked it; the local engine checks what it can run (local data...)
                    within(deadline, partial(submit, request, client=client, check=settings.local))
                except JobConflictError:  # an earlier attempt of this node created it a moment ago
                    pass
                except TranslationError as exc:  # the local engine cannot run it (its data is missing...)
                    return SageMakerTuningMetadata(problems=_lines(exc.errors), outputs=kinds)
            for p in problems:
                log.warning("tuning job %s: %s", name, p)
            generates_deck = bool(getattr(getattr(task_template, "metadata", None), "generates_deck", False))
            return SageMakerTuningMetadata(job_name=name, region=region, outputs=kinds,
                                           deck_prefix=output_prefix if generates_deck else "")
        too_many = report("error", ("job_name",), "task.generations", limit=MAX_GENERATIONS)
        return SageMakerTuningMetadata(problems=_lines([too_many]), outputs=kinds)

    def get(self, resource_meta: SageMakerTuningMetadata, **kwargs: Any) -> Resource:
        if resource_meta.problems:
            return Resource(phase=TaskExecution.FAILED, message="SageMaker was not called; the task is invalid:\n"
                            + "\n".join(resource_meta.problems))
        deadline = time.monotonic() + self.settings.call_timeout
        client = self._client(resource_meta.region)
        try:
            st = within(deadline, lambda: status(resource_meta.job_name, client=client))
        except JobNotFoundError as exc:
            return Resource(phase=TaskExecution.FAILED, message=f"the tuning job is gone: {exc}")
        except TRANSIENT as exc:  # the job goes on; Flyte asks again at its next poll
            return Resource(phase=TaskExecution.RUNNING, message=f"SageMaker did not answer this time ({exc or 'timed out'})")
        if resource_meta.deck_prefix:
            self._decks.write(client, resource_meta.job_name, resource_meta.deck_prefix, st.terminal)
        return outputs.resource(st, resource_meta.outputs)

    def delete(self, resource_meta: SageMakerTuningMetadata, **kwargs: Any) -> None:
        """Stop the job; idempotent, and quiet for a job that has ended, is gone, or was never created."""
        if not resource_meta.job_name:
            return
        deadline = time.monotonic() + self.settings.call_timeout
        client = self._client(resource_meta.region)
        existing = within(deadline, lambda: _existing(client, resource_meta.job_name))
        if existing is None or existing.terminal:
            return  # Flyte also deletes after an abort that raced the job's end: nothing to stop
        try:
            within(deadline, lambda: stop(resource_meta.job_name, client=client))
        except JobNotFoundError:
            return

    def _client(self, region: str) -> Any:
        """One client per region and endpoint, shared by the connector's threads (boto3 clients are thread-safe)."""
        settings = self.settings
        key = (region, "local" if settings.local else settings.endpoint_url)
        with self._lock:
            if key not in self._clients and self._client_factory is not None:
                self._clients[key] = self._client_factory(region)
            elif key not in self._clients and settings.local:
                from ..local import LocalSageMaker

                self._clients[key] = LocalSageMaker()  # $SAGEMAKER_BRIDGE_LOCAL_DIR, as the CLI's --local
            elif key not in self._clients:
                self._clients[key] = make_client(
                    region=region, endpoint_url=settings.endpoint_url, max_attempts=settings.max_attempts,
                    connect_timeout=settings.connect_timeout, read_timeout=settings.read_timeout)
            return self._clients[key]


def _arguments(spec: TaskSpec, output_prefix: str, metadata: Any, settings: ConnectorSettings,
               region: str) -> dict[str, Any]:
    """translate()'s keyword arguments but the job name, from the task, the execution and the configuration."""
    identity = getattr(metadata, "identity", None)
    role_arn = getattr(identity, "iam_role", "") or settings.role_arn or (LOCAL_ROLE if settings.local else "")
    if not role_arn:
        raise UnreadableTask.at(("role_arn",), "task.no_role")
    local_output = settings.local and not output_prefix.startswith("s3://")  # the engine writes models on this machine
    output_path = output_prefix if output_prefix.startswith("s3://") or local_output else settings.output_path
    if not output_path:
        raise UnreadableTask.at(("output_path",), "task.output_path", prefix=clipped_repr(output_prefix))
    return {"role_arn": role_arn, "inputs": spec.channels, "output_path": output_path, "region": region,
            "static_hyperparameters": spec.static_hyperparameters, **spec.options}


def _node_identity(metadata: Any, output_prefix: str) -> tuple[str, ...]:
    """What names this node's jobs: the same for every create and retry of one node, different for any other node.

    The raw node id repeats across subworkflow, dynamic and map-task sub-nodes of one execution; the output prefix
    (`<node's directory>/<attempt>`) does not, so its directory joins the execution and node ids. Without metadata
    (a local run) the output prefix is random per run, so each run is its own job.
    """
    task_execution = getattr(metadata, "task_execution_id", None)
    node_execution = getattr(task_execution, "node_execution_id", None)
    if node_execution is None:
        return ("local", output_prefix)
    execution = node_execution.execution_id
    node_directory = output_prefix.rstrip("/").rsplit("/", 1)[0]
    return (execution.name, node_execution.node_id, execution.project, execution.domain, node_directory)


def _existing(client: Any, name: str) -> Optional[JobStatus]:
    """Whether this node's job exists, and in what state; its model is not needed for that (no DescribeTrainingJob)."""
    try:
        return status(name, client=client, read_model=False)
    except JobNotFoundError:
        return None


def _default_region(local: bool = False) -> str:
    import boto3

    region = boto3.session.Session().region_name
    if not region and local:
        return LOCAL_IMAGE_REGION
    if not region:
        raise UnreadableTask.at(("region",), "task.no_region")
    return str(region)


def _lines(problems: Iterable[Problem]) -> list[str]:
    """The task's problems as the metadata carries them (it is serialized), each as Problem.line() prints it."""
    return [p.line() for p in problems]


__all__ = ["TASK_TYPE", "SageMakerTuningConnector", "SageMakerTuningMetadata"]
