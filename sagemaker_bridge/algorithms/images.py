"""What a training image is: SageMaker's built-in XGBoost, another built-in algorithm, or the user's own container.

An image is recognized by its ECR repository, not its account: a region newer than our tables, or a private mirror,
still runs the same container. Source: SageMaker developer guide, "Docker registry paths and example code".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Optional

from . import xgboost

# Repositories of the other built-in algorithms: their metrics are predefined, so no MetricDefinitions are needed.
OTHER_ALGORITHM_REPOSITORIES = frozenset({
    "blazingtext", "factorization-machines", "forecasting-deepar", "image-classification", "ipinsights", "kmeans",
    "knn", "lda", "linear-learner", "ntm", "object-detection", "object2vec", "pca", "randomcutforest",
    "semantic-segmentation", "seq2seq", "xgboost",
})

# Any partition's ECR host: amazonaws.com, amazonaws.com.cn, and the air-gapped ones (c2s.ic.gov, sc2s.sgov.gov...).
# An image may be pinned by digest ("...@sha256:<64 hex>"), with or without a tag: then the digest, not the tag, says
# which build runs.
ECR_IMAGE = re.compile(r"(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.(?P<domain>[a-z0-9-]+(?:\.[a-z0-9-]+)+)/"
                       r"(?P<repository>[^:@]+)(?::(?P<tag>[^@]+))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?")


@dataclass(frozen=True)
class ImageKind:
    """What validate_request can tell about a training image it did not build."""

    xgboost: bool  # AWS's built-in XGBoost (its own metrics)
    builtin: bool  # any AWS built-in algorithm (predefined metrics, no MetricDefinitions needed)


XGBOOST = ImageKind(xgboost=True, builtin=True)
CUSTOM = ImageKind(xgboost=False, builtin=False)
NAMED_ALGORITHM = ImageKind(xgboost=False, builtin=True)  # AlgorithmName instead of an image: metrics come with it


def classify_image(uri: str) -> ImageKind:
    match = ECR_IMAGE.fullmatch(uri.strip())
    if not match:
        return CUSTOM
    repository = match["repository"].rsplit("/", 1)[-1]
    if repository == xgboost.REPOSITORY:
        return XGBOOST
    return NAMED_ALGORITHM if repository in OTHER_ALGORITHM_REPOSITORIES else CUSTOM


def xgboost_version(uri: str) -> Optional[str]:
    """The container version of a built-in XGBoost image, read from its tag ("...:1.2-2" -> "1.2-2"); None when the
    URI does not say (a digest, "latest", a private mirror's own tag)."""
    return _cached_version(uri) if len(uri) <= 300 else _version(uri)  # a hostile megabyte is not kept


def _version(uri: str) -> Optional[str]:
    match = ECR_IMAGE.fullmatch(uri.strip())
    if not match or match["repository"].rsplit("/", 1)[-1] != xgboost.REPOSITORY or not match["tag"] \
            or match["digest"]:
        return None
    return xgboost.tag_version(match["tag"])


# Read for each definition of every request: the few images a process sees are read once each.
_cached_version = functools.lru_cache(maxsize=256)(_version)


def for_flyte_algorithm(algorithm_name: str, training_image: Optional[str] = None) -> ImageKind:
    """Flyte's XGBOOST decides, not the URI: a private mirror of XGBoost would not say what it is. A CUSTOM job's
    image may still be a built-in algorithm's (linear-learner...), whose metrics come with it."""
    if algorithm_name == "XGBOOST":
        return XGBOOST
    return classify_image(training_image) if training_image else CUSTOM
