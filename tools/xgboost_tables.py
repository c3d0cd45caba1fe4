"""Regenerate built-in XGBoost's tables (sagemaker_bridge/algorithms/xgboost_releases.json) from their sources.

Two sources, each a git checkout (a clone or a bare mirror):
- aws/sagemaker-xgboost-container: one branch per release (0.90-1 ... 1.7-1) and tags for newer ones (v3.0-5). Each
  holds src/sagemaker_xgboost_container/algorithm_mode/hyperparameter_validation.py (what the container refuses when a
  training job starts), constants/xgb_constants.py (its metrics) and algorithm_mode/metrics.py (the names
  _tuning_objective_metric takes);
- aws/sagemaker-python-sdk: sagemaker-core/src/sagemaker/core/image_uri_config/xgboost.json (every image version and
  the registry account of every region).

A new release is one command and a reviewable diff:

    python tools/xgboost_tables.py --container ../sagemaker-xgboost-container --sdk ../sagemaker-python-sdk

It runs in two stages, each its own verb too. `read` turns the sources into what they say, as data
(fixtures/xgboost-tables/sources.json: the container's declarations and validators read with `ast`, never run; the
SDK's image table), and `write` turns that into the package's tables (resolving names, one table per release). The
validators are code: each is recorded by name and a fingerprint of its logic (its syntax tree without its messages and
its list literals, which are recorded as data), and checks/xgboost_container.py holds a rule for every fingerprint:
tests/test_xgboost_tables.py fails on one it does not know, naming it.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import operator
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parent.parent
TABLES = ROOT / "sagemaker_bridge" / "algorithms" / "xgboost_releases.json"
SOURCES = ROOT / "fixtures" / "xgboost-tables" / "sources.json"

CONTAINER = "aws/sagemaker-xgboost-container"
SDK = "aws/sagemaker-python-sdk"
VALIDATION = "src/sagemaker_xgboost_container/algorithm_mode/hyperparameter_validation.py"
CONSTANTS = "src/sagemaker_xgboost_container/constants/xgb_constants.py"
METRICS = "src/sagemaker_xgboost_container/algorithm_mode/metrics.py"
TOOLKIT = "src/sagemaker_algorithm_toolkit/hyperparameter_validation.py"
IMAGES = "sagemaker-core/src/sagemaker/core/image_uri_config/xgboost.json"
IMAGE_REPOSITORY = "sagemaker-xgboost"  # the SDK's "1" is the legacy XGBoost 0.72 algorithm, repository "xgboost"
RELEASE_BRANCH = re.compile(r"(?:refs/heads/|refs/remotes/[^/]+/)(\d+\.\d+-\d+)")
RELEASE_TAG = re.compile(r"refs/tags/v(\d+\.\d+-\d+)")
TYPES = {"IntegerHyperparameter": "integer", "ContinuousHyperparameter": "continuous",
         "CategoricalHyperparameter": "categorical", "CommaSeparatedListHyperparameter": "list",
         "TupleHyperparameter": "tuple", "NestedListHyperparameter": "nested list"}


class SourceError(Exception):
    """The sources say something this script does not understand: it stops rather than write a wrong table."""


def git(repository: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repository), *args], check=True, capture_output=True, text=True).stdout


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.split(r"[.-]", version))


def release_refs(repository: Path) -> dict[str, str]:
    """Release version -> the ref that holds it: its branch, or its tag when it has no branch."""
    found: dict[str, str] = {}
    for ref in git(repository, "for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes").split():
        if match := RELEASE_BRANCH.fullmatch(ref):
            found.setdefault(match[1], ref)
    for ref in git(repository, "for-each-ref", "--format=%(refname)", "refs/tags").split():
        if match := RELEASE_TAG.fullmatch(ref):
            found.setdefault(match[1], ref)
    return dict(sorted(found.items(), key=lambda item: version_key(item[0])))


# ---- stage 1: what the sources say -------------------------------------------------------------------------------

OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Pow: operator.pow}


def number(node: ast.expr) -> Any:
    """A literal, with the arithmetic the sources write (-(2 ** 31), 2 ** 31 - 1)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -number(node.operand)
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return OPERATORS[type(node.op)](number(node.left), number(node.right))
    return ast.literal_eval(node)


def expression(node: ast.expr) -> dict[str, Any]:
    """A range or a decorator's argument, as data."""
    if isinstance(node, ast.Call) and _called(node) == "hpv.Interval":
        return {"interval": {k.arg: number(k.value) for k in node.keywords if k.arg != "scale"}}
    if isinstance(node, (ast.List, ast.Tuple)):
        return {"values": ast.literal_eval(node)}
    if isinstance(node, ast.Name):
        return {"validator": node.id}
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and all(
            isinstance(side, ast.Name) for side in (node.left, node.right)):
        return {"constants": [node.left.id, node.right.id]}  # type: ignore[attr-defined]
    return {"expression": ast.unparse(node)}  # metrics.names


def _called(call: ast.Call) -> str:
    return ast.unparse(call.func)


def fingerprint(function: ast.FunctionDef) -> str:
    """The function's logic: its tree without decorators, messages (raise X(...) -> raise X) and the list literals it
    assigns (recorded as data), so reformatting and reworded messages keep the fingerprint and a changed test does not."""
    tree = ast.parse(ast.unparse(function)).body[0]
    assert isinstance(tree, ast.FunctionDef)
    tree.decorator_list = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            node.exc = node.exc.func
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List):
            node.value = ast.List(elts=[], ctx=ast.Load())
    return f"{function.name}:{hashlib.sha256(ast.dump(tree).encode()).hexdigest()[:10]}"


def read_validation(text: str) -> dict[str, Any]:
    initialize = next((n for n in ast.parse(text).body if isinstance(n, ast.FunctionDef) and n.name == "initialize"),
                      None)
    if initialize is None:
        raise SourceError(f"{VALIDATION} has no initialize()")
    validators: dict[str, Any] = {}
    hyperparameters: list[dict[str, Any]] = []
    aliases: dict[str, str] = {}
    for node in initialize.body:
        if isinstance(node, ast.FunctionDef):
            decorator = node.decorator_list[0] if len(node.decorator_list) == 1 else None
            if not isinstance(decorator, ast.Call) or _called(decorator) not in (
                    "hpv.range_validator", "hpv.dependencies_validator"):
                raise SourceError(f"{node.name}: not a range or dependencies validator")
            validators[node.name] = {
                "kind": _called(decorator).split(".")[1], "argument": expression(decorator.args[0]),
                "lists": {t.id: ast.literal_eval(s.value) for s in ast.walk(node) if isinstance(s, ast.Assign)
                          and isinstance(s.value, ast.List) for t in s.targets if isinstance(t, ast.Name)},
                "logic": fingerprint(node)}
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                and _called(node.value) == "hpv.Hyperparameters":
            hyperparameters = [declaration(call) for call in node.value.args if isinstance(call, ast.Call)]
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) \
                and _called(node.value).endswith(".declare_alias"):
            name, alias = (ast.literal_eval(a) for a in node.value.args)
            aliases[alias] = name
    if not hyperparameters:
        raise SourceError(f"{VALIDATION}: no hpv.Hyperparameters(...) declaration")
    return {"hyperparameters": hyperparameters, "validators": validators, "aliases": aliases}


def declaration(call: ast.Call) -> dict[str, Any]:
    kind = _called(call).removeprefix("hpv.")
    if kind not in TYPES:
        raise SourceError(f"{ast.unparse(call)[:80]}: {kind} is not a hyperparameter type this script knows")
    keywords = {k.arg: k.value for k in call.keywords}
    found = {"name": ast.literal_eval(keywords["name"]), "type": kind, "range": expression(keywords["range"])}
    found.update({flag: True for flag in ("required", "tunable") if flag in keywords and ast.literal_eval(keywords[flag])})
    if "dependencies" in keywords:
        found["dependencies"] = ast.unparse(keywords["dependencies"])
    return found


def read_constants(text: str) -> dict[str, list[str]]:
    return {t.id: ast.literal_eval(n.value) for n in ast.parse(text).body if isinstance(n, ast.Assign)
            and isinstance(n.value, ast.List) for t in n.targets if isinstance(t, ast.Name) and t.id.endswith("_METRICS")}


def logic_of(text: str, name: str) -> str:
    function = next(n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.FunctionDef) and n.name == name)
    return fingerprint(function)


def read_container(repository: Path) -> dict[str, Any]:
    releases = []
    for version, ref in release_refs(repository).items():
        def show(path: str, ref: str = ref) -> str:
            return git(repository, "show", f"{ref}:{path}")
        toolkit = ast.parse(show(TOOLKIT))
        releases.append({
            "version": version, "ref": ref.split("/", 2)[-1] if ref.startswith("refs/heads/") else ref.split("/")[-1],
            "commit": git(repository, "rev-parse", f"{ref}^{{commit}}").strip(),
            **read_validation(show(VALIDATION)), "constants": read_constants(show(CONSTANTS)),
            "tuning_metrics": logic_of(show(METRICS), "initialize"),
            "toolkit": {f"{c.name}.{f.name}": fingerprint(f) for c in ast.walk(toolkit) if isinstance(c, ast.ClassDef)
                        for f in c.body if isinstance(f, ast.FunctionDef) and f.name in ("parse", "validate_range")}
            | {"Hyperparameters.validate": logic_of(ast.unparse(toolkit), "validate")}})
    if not releases:
        raise SourceError(f"{repository}: no release branches (0.90-1...) or tags (v3.0-5...)")
    return {"repository": CONTAINER, "releases": releases}


def read_images(repository: Path, ref: str = "HEAD") -> dict[str, Any]:
    table = json.loads(git(repository, "show", f"{ref}:{IMAGES}"))
    return {"repository": SDK, "path": IMAGES, "commit": git(repository, "rev-parse", f"{ref}^{{commit}}").strip(),
            "training": table["training"]}


def read(container: Path, sdk: Path, sdk_ref: str = "HEAD") -> dict[str, Any]:
    return {"container": read_container(container), "images": read_images(sdk, sdk_ref)}


# ---- stage 2: the package's tables -------------------------------------------------------------------------------

def resolve(argument: dict[str, Any], release: dict[str, Any]) -> list[Any]:
    if "values" in argument:
        return list(dict.fromkeys(argument["values"]))  # the sources repeat some (updater's grow_colmaker)
    if "constants" in argument:
        return [m for name in argument["constants"] for m in release["constants"][name]]
    raise SourceError(f"{release['version']}: cannot resolve {argument}")


def hyperparameter(h: dict[str, Any], release: dict[str, Any]) -> dict[str, Any]:
    table: dict[str, Any] = {"name": h["name"], "type": TYPES[h["type"]]}
    given = h["range"]
    if "interval" in given:
        table["range"] = given["interval"]
    elif "values" in given:
        table["range"] = resolve(given, release)
    elif "validator" in given:
        validator = release["validators"][given["validator"]]
        table["range"] = resolve(validator["argument"], release)
        table["range_check"] = validator["logic"]
    elif given.get("expression") == "metrics.names":  # algorithm_mode/metrics.py: validation:<each metric>
        table["range"] = [f"validation:{m}" for m in tuning_metric_names(release)]
    else:
        raise SourceError(f"{release['version']} {h['name']}: a range this script does not know: {given}")
    table.update({flag: True for flag in ("required", "tunable") if h.get(flag)})
    if "dependencies" in h:
        validator = release["validators"][h["dependencies"]]
        table["dependencies"] = validator["logic"]
        table["depends_on"] = resolve(validator["argument"], release)
        if validator["lists"]:
            table["lists"] = {name: list(dict.fromkeys(values)) for name, values in validator["lists"].items()}
    return table


def tuning_metric_names(release: dict[str, Any]) -> list[str]:
    constants: dict[str, list[str]] = release["constants"]
    return constants["XGB_MAXIMIZE_METRICS"] + constants["XGB_MINIMIZE_METRICS"]


def release_table(release: dict[str, Any]) -> dict[str, Any]:
    return {"source": {"ref": release["ref"], "commit": release["commit"]},
            "hyperparameters": [hyperparameter(h, release) for h in release["hyperparameters"]],
            "aliases": release["aliases"],
            "maximize_metrics": release["constants"]["XGB_MAXIMIZE_METRICS"],
            "minimize_metrics": release["constants"]["XGB_MINIMIZE_METRICS"],
            "tuning_metrics": release["tuning_metrics"], "toolkit": release["toolkit"]}


def image_versions(images: dict[str, Any]) -> dict[str, Any]:
    """Every training version of the container's repository, its tag's suffix, and one registry table (the SDK gives
    every version the same accounts; a version that differed would stop this script)."""
    versions: dict[str, Any] = {}
    registries: dict[str, str] = {}
    for version, entry in images["training"]["versions"].items():
        if entry.get("repository") != IMAGE_REPOSITORY:
            continue
        suffix = "".join(f"-{entry[key][0]}" for key in ("processors", "py_versions") if entry.get(key))
        versions[version] = {"tag": f"{version}{suffix}", "regions": sorted(entry["registries"])}
        for region, account in entry["registries"].items():
            if registries.setdefault(region, account) != account:
                raise SourceError(f"{version}: {region} has account {account}, other versions {registries[region]}")
    ordered = dict(sorted(versions.items(), key=lambda item: version_key(item[0])))
    every = sorted(registries)
    for entry in ordered.values():
        if entry["regions"] == every:
            entry["regions"] = "all"
    return {"versions": ordered, "registries": dict(sorted(registries.items()))}


def write(sources: dict[str, Any]) -> dict[str, Any]:
    container, images = sources["container"], sources["images"]
    return {
        "generated_by": "tools/xgboost_tables.py (do not edit by hand: run it)",
        "sources": {"container": {"repository": container["repository"],
                                  "releases": {r["version"]: r["ref"] for r in container["releases"]}},
                    "images": {"repository": images["repository"], "path": images["path"],
                               "commit": images["commit"]}},
        "images": image_versions(images),
        "releases": {r["version"]: release_table(r) for r in container["releases"]},
    }


def dumps(data: Any, indent: int = 0, width: int = 120) -> str:
    """JSON with an entry per line where a line would not hold it (lists of names packed), so a new release reads as a
    short diff."""
    flat = json.dumps(data, ensure_ascii=False)
    if len(flat) + indent <= width or not isinstance(data, (dict, list)) or not data:
        return flat
    pad = " " * (indent + 2)
    if isinstance(data, dict):
        body = [f"{pad}{json.dumps(k)}: {dumps(v, indent + 2, width)}" for k, v in data.items()]
        return "{\n" + ",\n".join(body) + "\n" + " " * indent + "}"
    if all(not isinstance(v, (dict, list)) for v in data):  # names: as many to a line as fit
        lines, line = [], ""
        for item in (json.dumps(v, ensure_ascii=False) for v in data):
            if line and len(pad) + len(line) + len(item) + 2 > width:
                lines.append(line.rstrip())
                line = ""
            line += item + ", "
        return "[\n" + "\n".join(pad + x for x in lines + [line.removesuffix(", ")]) + "\n" + " " * indent + "]"
    return "[\n" + ",\n".join(pad + dumps(v, indent + 2, width) for v in data) + "\n" + " " * indent + "]"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    verbs = parser.add_subparsers(dest="verb")
    for verb in ("all", "read"):
        sub = verbs.add_parser(verb, help="read the sources" + (" and write the tables" if verb == "all" else ""))
        sub.add_argument("--container", type=Path, required=True, help="a checkout of " + CONTAINER)
        sub.add_argument("--sdk", type=Path, required=True, help="a checkout of " + SDK)
        sub.add_argument("--sdk-ref", default="HEAD", help="the SDK commit to read (default HEAD)")
    sub = verbs.add_parser("write", help="write the tables from a sources file")
    sub.add_argument("sources", type=Path, nargs="?", default=SOURCES)
    given = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(["all", *given] if given and given[0].startswith("--") else given)
    if args.verb is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.verb == "write":
            sys.stdout.write(dumps(write(json.loads(args.sources.read_text()))) + "\n")
            return 0
        sources = read(args.container, args.sdk, args.sdk_ref)
        if args.verb == "read":
            sys.stdout.write(dumps(sources) + "\n")
            return 0
        SOURCES.parent.mkdir(parents=True, exist_ok=True)
        SOURCES.write_text(dumps(sources) + "\n")
        TABLES.write_text(dumps(write(sources)) + "\n")
        print(f"wrote {SOURCES.relative_to(ROOT)} and {TABLES.relative_to(ROOT)}: review with git diff")
        return 0
    except (SourceError, subprocess.CalledProcessError, KeyError, StopIteration) as e:
        print(f"xgboost_tables: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
