"""Helpers for the local engine's tests: small requests over the sample data, the botocore output-shape check, and
reading a saved model back as a user would."""

from __future__ import annotations

import copy
import datetime
import io
import pathlib
import tarfile
from typing import Any

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample-data"
SPEC = ROOT / "fixtures" / "xgboost-local.yaml"


def spec(**changes: Any) -> dict[str, Any]:
    loaded = yaml.safe_load(SPEC.read_text())
    loaded["inputs"] = {name: str(SPEC.parent / path) for name, path in loaded["inputs"].items()}
    loaded.update(changes)
    return loaded


def request(tmp: pathlib.Path, name: str = "local-test", *, jobs: int = 4, parallel: int = 2, rounds: int = 20,
            statics: dict[str, str | None] | None = None, config: dict[str, Any] | None = None,
            job: dict[str, Any] | None = None, **options: Any) -> dict[str, Any]:
    """The sample spec, made small (jobs, rounds), as the local engine's translate() renders it."""
    from sagemaker_bridge.local import translate

    s = spec(job_name=name, output_path=str(tmp / "models"))
    s["job"]["maxNumberOfTrainingJobs"], s["job"]["maxParallelTrainingJobs"] = str(jobs), str(parallel)
    merged = {**s["static_hyperparameters"], "num_round": str(rounds), **(statics or {})}
    s["static_hyperparameters"] = {k: v for k, v in merged.items() if v is not None}  # None: left out
    s["config"] = {**s["config"], **(config or {})}
    s["job"] = {**s["job"], **(job or {})}
    s.update(options)
    j, c = s.pop("job"), s.pop("config")
    return translate(copy.deepcopy(j), copy.deepcopy(c), **s)


def read_csv(path: pathlib.Path) -> tuple[Any, Any]:
    import numpy as np

    data = np.loadtxt(next(path.glob("*.csv")), delimiter=",", ndmin=2)
    return data[:, 1:], data[:, 0]


def load_model(uri: str) -> Any:
    """The model file SageMaker's layout puts at ModelArtifacts, read as a user reads it: xgboost.Booster."""
    import xgboost

    assert uri.startswith("file://"), uri
    with tarfile.open(uri.removeprefix("file://")) as tar:
        assert tar.getnames() == ["xgboost-model"]
        data = tar.extractfile("xgboost-model").read()  # type: ignore[union-attr]
    booster = xgboost.Booster()
    booster.load_model(bytearray(data))
    return booster


def shape_problems(value: Any, shape: Any, where: str = "") -> list[str]:
    """Where `value` strays from a botocore output shape: members unknown or missing, wrong types, enum values."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{where}: not a structure"]
        found = [f"{where}.{k}: not in {shape.name}" for k in value if k not in shape.members]
        found += [f"{where}.{k}: required, missing" for k in shape.required_members if k not in value]
        for k, v in value.items():
            if k in shape.members:
                found += shape_problems(v, shape.members[k], f"{where}.{k}")
        return found
    if kind == "list":
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        return [p for i, v in enumerate(value) for p in shape_problems(v, shape.member, f"{where}[{i}]")]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{where}: not a map"]
        return [p for k, v in value.items()
                for p in shape_problems(k, shape.key, where) + shape_problems(v, shape.value, f"{where}[{k}]")]
    expected = {"string": str, "integer": int, "long": int, "boolean": bool, "double": (int, float),
                "float": (int, float), "timestamp": datetime.datetime, "blob": (bytes, bytearray)}[kind]
    if not isinstance(value, expected) or (kind in ("integer", "long") and isinstance(value, bool)):
        return [f"{where}: {type(value).__name__} is not a {kind}"]
    if kind == "string" and shape.enum and value not in shape.enum:
        return [f"{where}: {value!r} is not one of {shape.name}"]
    return []


def output_problems(client: Any, operation: str, answer: Any) -> list[str]:
    shape = client.meta.service_model.operation_model(operation).output_shape
    return shape_problems(answer, shape, operation) if shape is not None else ([] if answer == {} else ["not empty"])


def wait_for(predicate: Any, seconds: float = 60.0) -> Any:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s")


def tar_bytes(path: pathlib.Path) -> io.BytesIO:
    return io.BytesIO(path.read_bytes())
