"""botocore's data files (the SageMaker model, the partitions), read as files: importing botocore would pull in
urllib3, whose import probes sockets, and a dry run opens none. Found as botocore itself is, by sys.path."""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from importlib.machinery import PathFinder
from typing import Any, Optional


def data_folder() -> str:
    """botocore/data of the botocore that `import botocore` would load."""
    module = sys.modules.get("botocore")
    spec = module.__spec__ if module is not None else PathFinder.find_spec("botocore")
    for base in (spec.submodule_search_locations or []) if spec else []:
        folder = os.path.join(base, "data")
        if os.path.isdir(folder):
            return folder
    raise RuntimeError("botocore's data was not found: pip install botocore")


@functools.cache
def _partitions() -> list[dict[str, Any]]:
    with open(os.path.join(data_folder(), "partitions.json"), "rb") as f:
        return list(json.loads(f.read())["partitions"])


def dns_suffix(region: str) -> Optional[str]:
    """The domain of `region`'s partition (amazonaws.com, amazonaws.com.cn, c2s.ic.gov...), as botocore knows it."""
    for partition in _partitions():
        if region in partition.get("regions", {}) or re.fullmatch(partition["regionRegex"], region):
            return str(partition["outputs"]["dnsSuffix"])
    return None
