from __future__ import annotations

import io

from sagemaker_bridge.aws.job_status import BestTrainingJob, JobStatus, TrainingJobCounts
from sagemaker_bridge.cli import output as cli_output


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def running(done: int, best: float | None = None) -> JobStatus:
    return JobStatus(name="j", status="InProgress", phase="RUNNING", training_jobs=TrainingJobCounts(done, 2),
                     max_training_jobs=20, best_training_job=BestTrainingJob("j-001", "validation:auc", best)
                     if best is not None else None)


def test_live_bar_on_a_terminal_redraws_one_line() -> None:
    out = Terminal()
    progress = cli_output.Progress(out, started=0.0)
    progress(running(0))
    progress(running(10, 0.875))
    frames = out.getvalue().split("\r")[1:]
    assert frames[0].startswith("[........................] 0/20 training jobs  best -")
    assert frames[1].startswith("[############............] 10/20 training jobs  best validation:auc=0.875")
    assert "\n" not in out.getvalue()


def test_plain_lines_when_not_a_terminal() -> None:
    out = io.StringIO()
    progress = cli_output.Progress(out, started=0.0)
    progress(running(3, 0.5))
    assert out.getvalue().startswith("InProgress: 3/20 training jobs done, best validation:auc=0.5, ")
    assert out.getvalue().endswith(" elapsed\n") and "\r" not in out.getvalue()


def test_summary_of_a_failed_job_without_a_best_job() -> None:
    failed = JobStatus(name="j", status="Failed", phase="FAILED", message="No training job succeeded")
    text = cli_output.summary(failed)
    rows = {k: v.strip() for k, _, v in (line.partition(":") for line in text.splitlines())}
    assert rows["status"] == "Failed (FAILED)" and rows["reason"] == "No training job succeeded"
    assert rows["progress"] == "0 training jobs done, 0 running, 0 failed"
    assert "best job" not in text and "model" not in text
