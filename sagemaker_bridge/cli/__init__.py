"""The command line: `sagemaker-bridge translate|validate|submit|status|wait|stop|list`.

    app      the verbs, their flags, exit codes
    specs    spec files (YAML or JSON) and raw Flyte message files
    output   what is printed: requests, problems, tables, progress, summaries
    mock     --mock: an embedded moto SageMaker whose jobs outlive the process
"""

from .app import main

__all__ = ["main"]
