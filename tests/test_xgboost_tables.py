"""The XGBoost tables are the generator's output: held to tools/xgboost_tables.py on the committed record of its input.

fixtures/xgboost-tables/sources.json is what the script read from aws/sagemaker-xgboost-container's release branches
and tags and the SDK's image table (`read`); the package's xgboost_releases.json must be exactly what `write` makes of
it. `read` itself is tested on a small repository made here in the container's shape, and on the real repositories
when a checkout of each is named by SAGEMAKER_XGBOOST_CONTAINER_GIT and SAGEMAKER_PYTHON_SDK_GIT (a developer's check
before committing new tables; CI has no copy of them).
"""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import subprocess
import sys
import textwrap
from types import ModuleType
from typing import Any

import pytest
from conftest import ROOT

from sagemaker_bridge.algorithms import xgboost_hyperparameters as spec
from sagemaker_bridge.checks.xgboost_validators import DEPENDENCY_RULES, RANGE_CHECKS, TOOLKIT_LOGIC, TUNING_METRICS_LOGIC


def load_script() -> ModuleType:
    found = importlib.util.spec_from_file_location("xgboost_tables", ROOT / "tools" / "xgboost_tables.py")
    assert found is not None and found.loader is not None
    module = importlib.util.module_from_spec(found)
    sys.modules["xgboost_tables"] = module
    found.loader.exec_module(module)
    return module


tables = load_script()
SOURCES = json.loads(tables.SOURCES.read_text())


def test_the_committed_tables_are_the_scripts_output_on_the_committed_sources() -> None:
    written = tables.dumps(tables.write(SOURCES)) + "\n"
    assert written == tables.TABLES.read_text(), "run: python tools/xgboost_tables.py write > " \
                                                 "sagemaker_bridge/algorithms/xgboost_releases.json"


def test_every_validator_of_every_release_has_a_rule() -> None:
    """A new release whose validator's logic changed fails here, naming the fingerprint to write a rule for."""
    for version, table in spec.TABLES["releases"].items():
        for h in table["hyperparameters"]:
            if "range_check" in h:
                assert h["range_check"] in RANGE_CHECKS, (version, h["name"], h["range_check"])
            if "dependencies" in h:
                assert h["dependencies"] in DEPENDENCY_RULES, (version, h["name"], h["dependencies"])
        assert table["tuning_metrics"] in TUNING_METRICS_LOGIC, version
        assert set(table["toolkit"].values()) <= TOOLKIT_LOGIC, (version, set(table["toolkit"].values()) - TOOLKIT_LOGIC)


def test_each_release_records_the_branch_or_tag_and_commit_it_came_from() -> None:
    assert spec.TABLES["sources"]["container"]["releases"] == {
        "0.90-1": "0.90-1", "0.90-2": "0.90-2", "1.0-1": "1.0-1", "1.2-1": "1.2-1", "1.2-2": "1.2-2", "1.3-1": "1.3-1",
        "1.5-1": "1.5-1", "1.7-1": "1.7-1", "3.0-5": "v3.0-5"}
    for release in spec.RELEASES.values():
        assert len(release.commit) == 40 and release.ref in release.source
    assert [len(r.hyperparameters) for r in (spec.RELEASES["0.90-2"], spec.RELEASES["1.3-1"])] == [43, 53]  # the issue


# ---- `read`, on a repository in the container's shape ------------------------------------------------------------

VALIDATION = '''
from sagemaker_algorithm_toolkit import exceptions as exc
from sagemaker_algorithm_toolkit import hyperparameter_validation as hpv
from sagemaker_xgboost_container.constants.xgb_constants import XGB_MAXIMIZE_METRICS, XGB_MINIMIZE_METRICS


def initialize(metrics):
    @hpv.range_validator(["auto", "hist"])
    def tree_method_range_validator(CATEGORIES, value):
        return value in CATEGORIES

    @hpv.dependencies_validator(["booster"])
    def updater_validator(value, dependencies):
        valid_plugins = ["a", "b", "a"]
        if not all(x in valid_plugins for x in value):
            raise exc.UserError({message!r})

    hyperparameters = hpv.Hyperparameters(
        hpv.IntegerHyperparameter(name="num_round", required=True, range=hpv.Interval(min_closed=1), tunable=True),
        hpv.IntegerHyperparameter(name="seed", range=hpv.Interval(min_open=-(2 ** 31), max_open=2 ** 31 - 1),
                                  required=False),
        hpv.CategoricalHyperparameter(name="tree_method", range=tree_method_range_validator, required=False),
        hpv.CommaSeparatedListHyperparameter(name="updater", range=["a", "b"], dependencies=updater_validator,
                                             required=False),
        hpv.CategoricalHyperparameter(name="_tuning_objective_metric", range=metrics.names, required=False),
        {extra}
    )
    hyperparameters.declare_alias("num_round", "rounds")
    return hyperparameters
'''
CONSTANTS = 'XGB_MAXIMIZE_METRICS = ["auc"]\nXGB_MINIMIZE_METRICS = ["rmse"{more}]\n'
METRICS = "def initialize():\n    return [f'validation:{m}' for m in XGB_MAXIMIZE_METRICS + XGB_MINIMIZE_METRICS]\n"
TOOLKIT = "class IntegerHyperparameter:\n    def parse(self, value):\n        return int(value)\n\n\n" \
          "class Hyperparameters:\n    def validate(self, user):\n        return user\n"
IMAGES = {"training": {"versions": {
    "1": {"registries": {"us-east-1": "811284229777"}, "repository": "xgboost"},
    "1.0-1": {"processors": ["cpu"], "py_versions": ["py3"], "registries": {"us-east-1": "683313688378",
                                                                             "eu-west-1": "141502667606"},
              "repository": "sagemaker-xgboost"},
    "2.0-1": {"registries": {"us-east-1": "683313688378"}, "repository": "sagemaker-xgboost"}}}}


def git(repository: pathlib.Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repository), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True,
                   capture_output=True)


def commit(repository: pathlib.Path, files: dict[str, str], message: str) -> None:
    for path, text in files.items():
        (repository / path).parent.mkdir(parents=True, exist_ok=True)
        (repository / path).write_text(text)
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", message)


def release_files(message: str, extra: str, more: str) -> dict[str, str]:
    return {tables.VALIDATION: textwrap.dedent(VALIDATION).format(message=message, extra=extra),
            tables.CONSTANTS: CONSTANTS.format(more=more), tables.METRICS: METRICS, tables.TOOLKIT: TOOLKIT}


@pytest.fixture(scope="module")
def repositories(tmp_path_factory: pytest.TempPathFactory) -> tuple[pathlib.Path, pathlib.Path]:
    container, sdk = tmp_path_factory.mktemp("container"), tmp_path_factory.mktemp("sdk")
    for repository in (container, sdk):
        git(repository, "init", "-q", "-b", "main")
    commit(container, {"README.md": "x"}, "start")
    git(container, "checkout", "-q", "-b", "1.0-1")
    commit(container, release_files("one message", "", ""), "1.0-1")
    git(container, "checkout", "-q", "-b", "feature-x")  # not a release: ignored
    commit(container, release_files("a reworded message", "", ', "mape"'), "feature")
    git(container, "checkout", "-q", "-b", "release-2", "1.0-1")
    extra = 'hpv.CategoricalHyperparameter(name="sampling_method", range=["uniform"], required=False),'
    commit(container, release_files("a reworded message", extra, ', "mape"'), "2.0-1")
    git(container, "tag", "-a", "v2.0-1", "-m", "2.0-1")
    commit(sdk, {tables.IMAGES: json.dumps(IMAGES)}, "images")
    return container, sdk


def test_read_takes_every_release_branch_and_tag_and_write_resolves_them(
        repositories: tuple[pathlib.Path, pathlib.Path]) -> None:
    container, sdk = repositories
    written = tables.write(tables.read(container, sdk))
    assert written["sources"]["container"]["releases"] == {"1.0-1": "1.0-1", "2.0-1": "v2.0-1"}
    one, two = written["releases"]["1.0-1"], written["releases"]["2.0-1"]
    by_name = {h["name"]: h for h in one["hyperparameters"]}
    assert by_name["num_round"] == {"name": "num_round", "type": "integer", "range": {"min_closed": 1},
                                    "required": True, "tunable": True}
    assert by_name["seed"]["range"] == {"min_open": -(2**31), "max_open": 2**31 - 1}
    assert by_name["tree_method"]["range"] == ["auto", "hist"]  # the validator's decorator list
    assert by_name["tree_method"]["range_check"].startswith("tree_method_range_validator:")
    assert by_name["updater"]["lists"] == {"valid_plugins": ["a", "b"]} and by_name["updater"]["depends_on"] == ["booster"]
    assert by_name["_tuning_objective_metric"]["range"] == ["validation:auc", "validation:rmse"]
    assert one["aliases"] == {"rounds": "num_round"}
    assert [h["name"] for h in two["hyperparameters"]][-1] == "sampling_method"
    assert two["minimize_metrics"] == ["rmse", "mape"]
    # a reworded message keeps the fingerprint: only logic counts
    assert {h["name"]: h.get("dependencies") for h in one["hyperparameters"]} == \
        {h["name"]: h.get("dependencies") for h in two["hyperparameters"] if h["name"] != "sampling_method"}
    assert written["images"]["versions"] == {"1.0-1": {"tag": "1.0-1-cpu-py3", "regions": "all"},
                                             "2.0-1": {"tag": "2.0-1", "regions": ["us-east-1"]}}
    assert written["images"]["registries"] == {"eu-west-1": "141502667606", "us-east-1": "683313688378"}


def test_a_change_of_logic_changes_the_fingerprint(repositories: tuple[pathlib.Path, pathlib.Path]) -> None:
    import ast

    source = textwrap.dedent(VALIDATION).format(message="m", extra="")
    changed = source.replace("if not all(x in valid_plugins", "if not any(x in valid_plugins")
    prints = [tables.read_validation(text)["validators"]["updater_validator"]["logic"] for text in (source, changed)]
    assert prints[0] != prints[1]
    assert ast.parse(changed)  # still the container's shape


def test_the_script_refuses_what_it_does_not_understand(tmp_path: pathlib.Path) -> None:
    with pytest.raises(tables.SourceError, match="not a hyperparameter type"):
        tables.read_validation(textwrap.dedent(VALIDATION).format(
            message="m", extra='hpv.FreeTextHyperparameter(name="x", range=None, required=False),'))
    broken = tmp_path / "sources.json"
    broken.write_text(json.dumps({"container": {}, "images": {}}))
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "xgboost_tables.py"), "write", str(broken)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and result.stderr.startswith("xgboost_tables: ") and "Traceback" not in result.stderr


REAL = (os.environ.get("SAGEMAKER_XGBOOST_CONTAINER_GIT"), os.environ.get("SAGEMAKER_PYTHON_SDK_GIT"))


@pytest.mark.skipif(not all(REAL), reason="no checkout of the container and SDK repositories named (a developer's check)")
def test_the_committed_sources_are_what_the_real_repositories_say() -> None:
    container, sdk = (pathlib.Path(p) for p in REAL if p)
    read: dict[str, Any] = tables.read(container, sdk, SOURCES["images"]["commit"])
    assert read == SOURCES
