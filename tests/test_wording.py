"""Each problem code reported from its facts has its sentence in wording.WORDING, and every sentence there is used."""

from __future__ import annotations

import ast

from conftest import ROOT

from sagemaker_bridge.problems import report
from sagemaker_bridge.wording import WORDING


def reported_codes() -> set[str]:
    """`code` or `code/reason` of every call with a literal code: a collector's `.error(loc, code, ...)` and
    `.warning(loc, code, ...)`, report(severity, loc, code, ...), the XGBoost checks' _found() helper, and the
    errors made of one problem (`SpecError.one(source, code, ...)`, `UnreadableTask.at(loc, code, ...)`); and
    `why.<code>` for each why(code, ...) a rule that judges one value returns (problems.Reason)."""
    found: set[str] = set()
    for path in (ROOT / "sagemaker_bridge").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            if name == "why" and node.args and isinstance(node.args[0], ast.Constant):  # a Reason's sentence
                found.add(f"why.{node.args[0].value}")
                continue
            at = 2 if name in ("report", "_found") else 1 if name.endswith((".error", ".warning", ".one", ".at")) else None
            if at is None:
                continue
            code = next((a.value for a in node.args[at:at + 1] if isinstance(a, ast.Constant)), None)
            if isinstance(code, str):
                reason = next((k.value.value for k in node.keywords if k.arg == "reason"
                               and isinstance(k.value, ast.Constant)), None)
                found.add(f"{code}/{reason}" if reason else code)
    return found


def test_every_reported_code_has_its_sentence_and_every_sentence_a_code() -> None:
    codes = reported_codes()
    worded = {key.split("/")[0] for key in WORDING} | set(WORDING)  # a code with a reason from its facts: code/reason
    assert codes - worded == set()
    assert {key for key in WORDING if key not in codes and key.split("/")[0] not in codes} == set()


def test_a_sentence_is_made_of_the_facts_and_the_facts_stay_as_given() -> None:
    p = report("error", ("job",), "xgboost.version", version="'9'", known=["1.7-1", "3.0-5"])
    assert p.message == "XGBoost '9' is not a SageMaker XGBoost version; use one of 1.7-1, 3.0-5 (or a newer one in " \
                        "full, such as 3.4-1)"
    assert p.ctx == {"version": "'9'", "known": ["1.7-1", "3.0-5"]} and p.code == "xgboost.version"
    by_reason = report("error", ("region",), "xgboost.region", reason="unpublished", region="'mars-1'")
    assert by_reason.message.endswith("'mars-1' has no SageMaker XGBoost image") and by_reason.ctx["reason"] == "unpublished"
