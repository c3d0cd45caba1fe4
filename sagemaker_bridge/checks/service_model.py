"""botocore's own SageMaker model, cut to what one operation can reach and kept between runs.

The file is botocore's (botocore/data/sagemaker/<version>/service-2.json[.gz], 2.6 MB, 3,260 shapes), read as a file
(botocore_data.py). A check needs only the shapes
the operation's input reaches (about 130), so that part is written once to a cache file named after the model file's
path, size and modification time: a botocore upgrade is a new file, read afresh. Nothing is copied by hand, and a
cache that cannot be read or written only costs the full read.
"""

from __future__ import annotations

import functools
import json
import os
import zlib
from typing import Any, Optional

from ..botocore_data import data_folder
from ..files import cache_dir, write_atomically

CACHE_ENV = "SAGEMAKER_BRIDGE_CACHE_DIR"  # where the cut models are kept; set it empty to keep none
FORMAT = 1  # of the cache file; a change here makes every old cache file a miss


def model_file() -> str:
    """The newest API version of the SageMaker model botocore ships."""
    folder = os.path.join(data_folder(), "sagemaker")
    for version in sorted(os.listdir(folder) if os.path.isdir(folder) else [], reverse=True):
        for name in ("service-2.json", "service-2.json.gz"):
            if os.path.isfile(os.path.join(folder, version, name)):
                return os.path.join(folder, version, name)
    raise RuntimeError("botocore's SageMaker model was not found: pip install botocore")


@functools.cache
def operation_model(operation: str) -> dict[str, Any]:
    """{"input": shape name, "shapes": {name: shape}} with every shape the operation's input reaches."""
    path = model_file()
    stat = os.stat(path)
    source = {"format": FORMAT, "file": path, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
              "operation": operation}
    cached = _cache_path(source)
    if cached is not None:
        try:
            with open(cached, "rb") as f:
                data = json.loads(f.read())
            if data.get("source") == source:
                return dict(data["model"])
        except (OSError, ValueError, AttributeError, KeyError):
            pass  # missing, unreadable or from elsewhere: rebuild it
    model = reachable(_read(path), operation)
    if cached is not None:
        _write(cached, {"source": source, "model": model})
    return model


def reachable(service: dict[str, Any], operation: str) -> dict[str, Any]:
    """The operation's input shape and every shape it refers to, directly or not."""
    shapes = service["shapes"]
    start = service["operations"][operation]["input"]["shape"]
    found: dict[str, Any] = {}
    todo = [start]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found[name] = shape = shapes[name]
        refs = [m["shape"] for m in shape.get("members", {}).values()]
        refs += [shape[part]["shape"] for part in ("member", "key", "value") if part in shape]
        todo.extend(refs)
    return {"input": start, "shapes": found}


def _read(path: str) -> dict[str, Any]:
    with open(path, "rb") as f:
        raw = f.read()
    if path.endswith(".gz"):
        import gzip

        raw = gzip.decompress(raw)
    return dict(json.loads(raw))


def _cache_path(source: dict[str, Any]) -> Optional[str]:
    folder = os.environ.get(CACHE_ENV)
    if folder is None:
        folder = cache_dir()
    if not folder:
        return None
    key = zlib.crc32(json.dumps(source, sort_keys=True).encode())
    return os.path.join(folder, f"{source['operation']}-{key:08x}.json")


def _write(path: str, data: dict[str, Any]) -> None:
    """Atomically, and never an error for the caller."""
    try:
        write_atomically(path, json.dumps(data, separators=(",", ":")))
    except OSError:
        pass  # a read-only home: the next run reads botocore's file again
