"""SageMaker's built-in algorithms as data: which image is which, and XGBoost's images, versions and metrics."""

from . import xgboost
from .images import CUSTOM, NAMED_ALGORITHM, XGBOOST, ImageKind, classify_image, for_flyte_algorithm

__all__ = ["CUSTOM", "NAMED_ALGORITHM", "XGBOOST", "ImageKind", "classify_image", "for_flyte_algorithm", "xgboost"]
