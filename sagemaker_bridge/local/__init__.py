"""The local engine: SageMaker tuning jobs of built-in XGBoost that really train, on this machine (extra [local]).

    client     LocalSageMaker: the client the lifecycle, the CLI and the connector use instead of boto3's
    paths      translate() with local channels and output path (file:// URIs in the request)
    plan       what a request asks of the engine, and what the engine refuses to run
    search     the search space, sampler and pruner, in Optuna's terms
    training   one training job, as the XGBoost container runs it, with the installed xgboost
    worker     the background process that runs a tuning job
    store      the jobs' state: one SQLite database per directory ($SAGEMAKER_BRIDGE_LOCAL_DIR)
    responses  SageMaker's answers, in botocore's output shapes
"""

from typing import TYPE_CHECKING

from ..lazy import exports

EXPORTS = {
    ".client": ("LocalSageMaker", "LocalEngineWarning"),
    ".paths": ("translate",),
    ".store": ("local_dir",),
}
__getattr__, __dir__ = exports(__name__, EXPORTS)
__all__ = sorted(name for names in EXPORTS.values() for name in names)

if TYPE_CHECKING:
    from .client import LocalEngineWarning as LocalEngineWarning, LocalSageMaker as LocalSageMaker
    from .paths import translate as translate
    from .store import local_dir as local_dir
