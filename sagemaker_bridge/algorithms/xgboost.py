"""SageMaker's built-in XGBoost as data: its image per region and version, and the metrics it emits.

Source: SageMaker developer guide, "XGBoost algorithm" (ECR paths per region) and "Tune an XGBoost model" (tunable
metrics); summarized in the shared reference `sagemaker-hpo-facts.md`. The air-gapped regions' registries come from
the SageMaker Python SDK's image table (aws/sagemaker-python-sdk src/sagemaker/image_uri_config/xgboost.json, the same
accounts for every version); each region's domain from botocore's partitions (botocore/data/partitions.json).
"""

from __future__ import annotations

import re
from typing import Optional

from ..botocore_data import dns_suffix
from . import xgboost_hyperparameters as table

REPOSITORY = "sagemaker-xgboost"

# Oldest to newest; a short version ("1.7", "0.90") resolves to its newest build, "" to the newest of all. The
# training versions of the SageMaker SDK's image table (aws/sagemaker-python-sdk, commit 2ef567ca3e80,
# sagemaker-core/src/sagemaker/core/image_uri_config/xgboost.json, scope "training"; every version there has the
# registries below). A version newer than these is taken with a warning (newer_version), never refused.
VERSIONS: tuple[str, ...] = ("0.90-1", "0.90-2", "1.0-1", "1.2-1", "1.2-2", "1.3-1", "1.5-1", "1.7-1", "3.0-5", "3.2-0")
_CPU_PY3_TAGGED = frozenset({"0.90-1", "0.90-2", "1.0-1"})  # tagged "{version}-cpu-py3"; later ones just "{version}"

REGISTRY_ACCOUNTS: dict[str, str] = {
    "af-south-1": "510948584623", "ap-east-1": "651117190479", "ap-northeast-1": "354813040037",
    "ap-northeast-2": "366743142698", "ap-northeast-3": "867004704886", "ap-south-1": "720646828776",
    "ap-south-2": "628508329040", "ap-southeast-1": "121021644041", "ap-southeast-2": "783357654285",
    "ap-southeast-3": "951798379941", "ap-southeast-4": "106583098589", "ca-central-1": "341280168497",
    "ca-west-1": "190319476487", "cn-north-1": "450853457545", "cn-northwest-1": "451049120500",
    "eu-central-1": "492215442770", "eu-central-2": "680994064768", "eu-north-1": "662702820516",
    "eu-south-1": "978288397137", "eu-south-2": "104374241257", "eu-west-1": "141502667606",
    "eu-west-2": "764974769150", "eu-west-3": "659782779980", "il-central-1": "898809789911",
    "me-central-1": "272398656194", "me-south-1": "801668240914", "sa-east-1": "737474898029",
    "us-east-1": "683313688378", "us-east-2": "257758044811", "us-gov-east-1": "237065988967",
    "us-gov-west-1": "414596584902", "us-west-1": "746614075791", "us-west-2": "246618743249",
    # Air-gapped partitions (aws-iso, aws-iso-b, aws-iso-f): their own domains, from botocore's partitions.
    "us-iso-east-1": "833128469047", "us-isob-east-1": "281123927165", "us-isof-east-1": "108575199400",
    "us-isof-south-1": "124985052026",
}
_TAG = re.compile(r"(?P<version>\d+\.\d+-\d+)(?:-(?:cpu|gpu)-py3)?")

# Metrics the container emits, with the direction that makes sense. A name may carry a "@param" suffix (ndcg@5).
MAXIMIZE, MINIMIZE = "Maximize", "Minimize"
# One list of the container's metrics, in xgboost_hyperparameters (constants/xgb_constants.py).
METRIC_DIRECTIONS: dict[str, str] = {**dict.fromkeys(table.MAXIMIZE_METRICS, MAXIMIZE),
                                     **dict.fromkeys(table.MINIMIZE_METRICS, MINIMIZE)}
METRIC_CHANNELS = ("validation", "train")


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


def image_uri(region: str, version: str) -> str:
    """The regional image; the caller has checked region and version (resolve_version, REGISTRY_ACCOUNTS)."""
    tag = f"{version}-cpu-py3" if version in _CPU_PY3_TAGGED else version
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
