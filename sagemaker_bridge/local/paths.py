"""translate() for the local engine: channels and the output path on this machine instead of S3.

translate() checks the request as SageMaker will, S3 URIs included; so each local path stands in as a placeholder
S3 URI while it does, and the request then names the data by `file://` URIs, which LocalSageMaker reads.
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import Mapping
from typing import Any, Optional

from ..mapping import translate as translate_for_aws
from ..problems import Problem
from .plan import local_path, placeholder, stand_ins


def resolved(path: str, base: Optional[pathlib.Path]) -> str:
    """A local path relative to `base` (a spec file's directory) as an absolute path; an S3 URI as it is."""
    if local_path(path) is None or path.startswith("file:") or base is None or pathlib.Path(path).expanduser().is_absolute():
        return path
    return os.path.abspath(base / path)


class _StandIns:
    """Placeholder S3 URIs for local paths, and the way back to their absolute `file://` URIs."""

    def __init__(self) -> None:
        self.uris: dict[str, str] = {}

    def __call__(self, value: Any, directory_slash: bool) -> Any:
        if not isinstance(value, str) or (path := local_path(value)) is None:
            return value
        stand_in = placeholder(len(self.uris))
        self.uris[stand_in] = path.as_uri() + ("/" if path.is_dir() and directory_slash else "")
        return stand_in

    def options(self, inputs: Any, output_path: Any) -> dict[str, Any]:
        """A channel's directory reads as a prefix (a slash ends it); the output path is named as given."""
        aws_inputs = {k: self(v, True) for k, v in inputs.items()} if isinstance(inputs, Mapping) else inputs
        return {"inputs": aws_inputs, "output_path": self(output_path, False)}


def translate(job: Any, config: Any, *, inputs: Mapping[str, str], output_path: str, **options: Any) -> dict[str, Any]:
    """translate(), with `inputs` and `output_path` local paths or `file://` URIs (relative ones from the current
    directory); the request names them by absolute `file://` URIs. An S3 URI stays as it is (LocalSageMaker will
    refuse it, naming the channel)."""
    stand_ins = _StandIns()
    request: dict[str, Any] = dict(translate_for_aws(job, config, **stand_ins.options(inputs, output_path), **options))
    definition = request["TrainingJobDefinition"]
    for channel in definition.get("InputDataConfig", []):
        s3 = channel["DataSource"]["S3DataSource"]
        s3["S3Uri"] = stand_ins.uris.get(s3["S3Uri"], s3["S3Uri"])
    out = definition["OutputDataConfig"]
    out["S3OutputPath"] = stand_ins.uris.get(out["S3OutputPath"], out["S3OutputPath"])
    return request


def validate(job: Any, config: Any, *, inputs: Any = None, output_path: Any = None, **options: Any) -> list[Problem]:
    """mapping.validate() with local paths, as translate() here takes them."""
    from ..mapping import validate as validate_for_aws

    return validate_for_aws(job, config, **_StandIns().options(inputs, output_path), **options)


def from_request(described: Mapping[str, Any]) -> dict[str, Any]:
    """mapping.from_request() for a local job: its spec names the local data by the same `file://` URIs."""
    from ..mapping import from_request as spec_of

    aws, uris = stand_ins(described)
    return _replaced(spec_of(aws), uris)  # type: ignore[no-any-return]


def _replaced(data: Any, uris: Mapping[str, str]) -> Any:
    if isinstance(data, str):
        return uris.get(data, data)
    if isinstance(data, Mapping):
        return {k: _replaced(v, uris) for k, v in data.items()}
    if isinstance(data, list):
        return [_replaced(v, uris) for v in data]
    return data
