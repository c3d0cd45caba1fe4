"""The house: each part imports only the parts below it, and the core never imports boto3, PyYAML, moto or flytekit."""

from __future__ import annotations

import ast
import inspect
import json
import pathlib
import re
import subprocess
import sys

import pytest
from conftest import ROOT

import sagemaker_bridge
from sagemaker_bridge.mapping.options import OPTION_DEFAULTS, OPTION_NAMES, REQUIRED_OPTIONS

PACKAGE = ROOT / "sagemaker_bridge"
# A part may import only parts of a lower rank (and itself): the flow runs one way.
RANK = {"wording": 0, "lazy": 0, "files": 0, "problems": 1, "vocabulary": 2, "bounds": 2, "botocore_data": 2, "idl": 3,
        "algorithms": 3, "checks": 4, "mapping": 5, "aws": 6, "local": 7, "report": 8, "cli": 9, "flyte": 9}
CORE = ("wording", "problems", "vocabulary", "bounds", "idl", "algorithms", "checks", "mapping")
NOT_IN_THE_CORE = ("boto3", "botocore", "yaml", "moto", "flytekit", "flyteidl", "urllib3")


def modules() -> list[pathlib.Path]:
    """Every module but the package's own __init__ and __main__, which stand on top of all the parts."""
    return sorted(p for p in PACKAGE.rglob("*.py") if not (p.parent == PACKAGE and p.stem in ("__init__", "__main__")))


def part_of(path: pathlib.Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def imports(path: pathlib.Path) -> list[str]:
    """Every module the file imports, anywhere in it (function-level imports too), as absolute names."""
    package = ".".join(("sagemaker_bridge",) + path.relative_to(PACKAGE).parent.parts)
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            found += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_part_imports_only_the_parts_below_it(path: pathlib.Path) -> None:
    part = part_of(path)
    assert part in RANK, f"{part} is a new part: give it its place in RANK (and in the README's layout)"
    for name in imports(path):
        if not name.startswith("sagemaker_bridge."):
            continue
        other = name.split(".")[1]
        if other in RANK and other != part:
            assert RANK[other] < RANK[part], f"{part} imports {name}, which is not below it"


@pytest.mark.parametrize("path", [p for p in modules() if part_of(p) in CORE], ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_core_never_imports_aws_yaml_moto_or_flytekit(path: pathlib.Path) -> None:
    for name in imports(path):
        assert name.split(".")[0] not in NOT_IN_THE_CORE, f"{path.name} imports {name}"


def test_a_translation_loads_nothing_but_the_core() -> None:
    script = f"""
import json, sys
from sagemaker_bridge.mapping import translate, validate
spec = json.load(open({str(ROOT / 'fixtures' / 'custom-image.json')!r}))
job, config = spec.pop("job"), spec.pop("config")
translate(job, config, **spec)
assert validate(job, config, **dict(spec, region="us-east-1", training_image=None)) != []
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {NOT_IN_THE_CORE!r})))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_translate_takes_exactly_the_option_names() -> None:
    parameters = inspect.signature(sagemaker_bridge.translate).parameters
    assert tuple(parameters)[2:] == OPTION_NAMES
    assert [n for n in OPTION_NAMES if parameters[n].default is inspect.Parameter.empty] == list(REQUIRED_OPTIONS)
    defaults = {n: parameters[n].default for n in OPTION_NAMES if parameters[n].default is not inspect.Parameter.empty}
    assert defaults == dict(OPTION_DEFAULTS)  # the signature's defaults are the options' own, stated once each


def test_every_public_name_is_importable_from_the_package() -> None:
    for name in sagemaker_bridge.__all__:
        assert getattr(sagemaker_bridge, name) is not None
    assert callable(sagemaker_bridge.translate)  # the function, not a module of that name


def test_the_layer_order_is_told_as_rank_holds_it() -> None:
    """The package docstring and the README's layout table list the parts in RANK's order, each part once."""
    doc = (sagemaker_bridge.__doc__ or "").split("in this list", 1)[1].split("\nThe core", 1)[0]
    docstring = [line.strip().split("  ")[0] for line in doc.splitlines()[1:] if line.startswith("    ")
                 and not line.startswith("       ")]
    table = (ROOT / "README.md").read_text().split("### Layout", 1)[1].split("\n\n")[2].splitlines()[2:]
    for column in (docstring, [row.split("|")[1] for row in table]):
        parts = [w for cell in column for w in re.findall(r"[a-z_]+", cell.replace(".py", "")) if w in RANK]
        assert sorted(parts) == sorted(RANK), column  # every part, once
        assert [RANK[p] for p in parts] == sorted(RANK[p] for p in parts), column  # in order


def test_the_type_checkers_imports_are_the_lazy_exports() -> None:
    """The package lists its lazy exports once (LAZY); the TYPE_CHECKING imports repeat them for type checkers only."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text())
    guarded = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    imported: dict[str, set[str]] = {}
    for node in guarded.body:
        assert isinstance(node, ast.ImportFrom) and all(a.asname == a.name for a in node.names)
        imported.setdefault("." + (node.module or ""), set()).update(a.name for a in node.names)
    assert imported == {module: set(names) for module, names in sagemaker_bridge.LAZY.items()}


def test_the_dry_run_loads_only_the_parts_it_runs() -> None:
    """`import sagemaker_bridge` and a CLI dry run leave boto3's side, the way back and datetime unloaded; naming one
    of their exports loads it, and `status` is the function even once the module job_status is loaded."""
    script = f"""
import json, sys
from sagemaker_bridge.cli import main
main(["translate", {str(ROOT / 'fixtures' / 'custom-image.json')!r}, "--out", "/dev/null"])
loaded = sorted(m for m in sys.modules if m.startswith(("sagemaker_bridge.aws", "sagemaker_bridge.mapping.reverse",
                                                        "sagemaker_bridge.flyte")) or m == "datetime")
import sagemaker_bridge, sagemaker_bridge.aws.job_status
from sagemaker_bridge.aws import status
print(json.dumps([loaded, callable(status), callable(sagemaker_bridge.status), callable(sagemaker_bridge.from_request),
                  "wait" in dir(sagemaker_bridge.aws)]))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == [[], True, True, True, True]
