"""SageMaker's built-in XGBoost as data: its image per region and version, and the metrics it emits.

Source: SageMaker developer guide, "XGBoost algorithm" (ECR paths per region) and "Tune an XGBoost model" (tunable
metrics); summarized in the shared reference `sagemaker-hpo-facts.md`. The air-gapped regions' registries come from
the SageMaker Python SDK's image table (aws/sagemaker-python-sdk src/sagemaker/image_uri_config/xgboost.json, the same
accounts for every version); each region's domain from botocore's partitions (botocore/data/partitions.json).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Optional

from ..botocore_data import dns_suffix
from . import xgboost_hyperparameters as table

REPOSITORY = "sagemaker-xgboost"

# Oldest to newest; a short version ("1.7", "0.90") resolves to its newest build, "" to the newest of all. The
# training versions of the SageMaker SDK's image table and their registries (xgboost_releases.json "images", made by
# tools/xgboost_tables.py from aws/sagemaker-python-sdk's image_uri_config/xgboost.json; its commit is in the file).
# A version newer than these is taken with a warning (newer_version), never refused.
_IMAGES: dict[str, dict[str, Any]] = table.TABLES["images"]["versions"]
VERSIONS: tuple[str, ...] = tuple(_IMAGES)
REGISTRY_ACCOUNTS: dict[str, str] = table.TABLES["images"]["registries"]
_TAG = re.compile(r"(?P<version>\d+\.\d+-\d+)(?:-(?:cpu|gpu)-py3)?")

# Metrics the container emits, with the direction that makes sense. A name may carry a "@param" suffix (ndcg@5).
# Every release's lists, the newer release deciding: 0.90's constants list cox-nloglik and the other -nloglik metrics
# under XGB_MAXIMIZE_METRICS, and 1.0-1 moved them to XGB_MINIMIZE_METRICS.
MAXIMIZE, MINIMIZE = "Maximize", "Minimize"
METRIC_DIRECTIONS: dict[str, str] = {}
for _release in table.TABLES["releases"].values():
    METRIC_DIRECTIONS.update({**dict.fromkeys(_release["maximize_metrics"], MAXIMIZE),
                              **dict.fromkeys(_release["minimize_metrics"], MINIMIZE)})
METRIC_CHANNELS = ("validation", "train")


SCRIPT_PROGRAM = "sagemaker_program"  # the SageMaker SDK's script mode static: the container runs the user's script


def algorithm_mode(statics: Mapping[str, Any]) -> bool:
    """The container trains itself, with its own hyperparameters and metrics, unless a `sagemaker_program` static
    names a script to run instead (script mode), whose hyperparameters are the script's."""
    return SCRIPT_PROGRAM not in statics


def resolve_version(version: str) -> Optional[str]:
    """The full version a user means ("1.7" -> "1.7-1", "" -> newest); None when unknown."""
    version = version.strip()
    if not version or version == "latest":
        return VERSIONS[-1]
    if version in VERSIONS:
        return version
    builds = [v for v in VERSIONS if v.split("-")[0] == version]
    return builds[-1] if builds else None


def newer_version(version: str) -> Optional[str]:
    """A full version ("3.4-1") newer than every one we know, as its image tag; None for anything else."""
    version = version.strip()
    if not _TAG.fullmatch(version) or "-py3" in version:
        return None
    return version if version_key(version) > version_key(VERSIONS[-1]) else None


def has_region(version: str, region: str) -> bool:
    """Whether the version's image is published in the region (a version newer than the table: where the newest is)."""
    regions = _IMAGES.get(version, _IMAGES[VERSIONS[-1]])["regions"]
    return region in REGISTRY_ACCOUNTS and (regions == "all" or region in regions)


def image_uri(region: str, version: str) -> str:
    """The regional image; the caller has checked region and version (resolve_version, has_region)."""
    tag = _IMAGES[version]["tag"] if version in _IMAGES else version
    return f"{REGISTRY_ACCOUNTS[region]}.dkr.ecr.{region}.{dns_suffix(region)}/{REPOSITORY}:{tag}"


def tag_version(tag: str) -> Optional[str]:
    """The container version an image tag names ("1.7-1", "1.0-1-cpu-py3" -> "1.0-1"); None for any other tag."""
    match = _TAG.fullmatch(tag.strip())
    return match["version"] if match else None


def version_key(version: str) -> tuple[int, ...]:
    """"1.2-2" -> (1, 2, 2): container versions in release order."""
    return tuple(int(part) for part in re.split(r"[.-]", version))


def metric_direction(metric: str) -> Optional[str]:
    """Maximize/Minimize for a built-in XGBoost metric such as "validation:auc" or "validation:ndcg@5"; else None."""
    channel, _, name = metric.partition(":")
    if channel not in METRIC_CHANNELS:
        return None
    return METRIC_DIRECTIONS.get(name.split("@", 1)[0])
