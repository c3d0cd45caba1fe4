"""Layer 2 for built-in XGBoost in algorithm mode: what its container refuses when each training job starts.

SageMaker's API takes any string as a hyperparameter value; the container parses and checks them only once a job
has started, so a bad value fails every training job of a tuning job after instances are paid for. Each release has
its own table (algorithms/xgboost_hyperparameters.RELEASES, read from its branch or tag of the container), chosen by
the image's tag; for a tag that names no release (newer than the tables, a digest, a mirror's own tag) only what
every release refuses is an error. Script mode (a `sagemaker_program` static) runs the user's script instead, so these
checks are skipped there.
"""

from __future__ import annotations

import ast
import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable, Optional

from ..algorithms import images, xgboost, xgboost_hyperparameters as table
from ..problems import Loc, Problem, Problems, Reason, Severity, clipped_repr, did_you_mean, report, why
from .lenient import items, mapping
from .view import Definition, View
from .xgboost_validators import DEPENDENCY_RULES, RANGE_CHECKS, DependencyRule, member

KINDS_FOR_RANGES = {  # request range list -> hyperparameter kinds it can feed
    "IntegerParameterRanges": (table.INTEGER, table.CONTINUOUS),
    "ContinuousParameterRanges": (table.CONTINUOUS,),
    "CategoricalParameterRanges": (table.INTEGER, table.CONTINUOUS, table.CATEGORICAL, table.LIST, table.TUPLE,
                                   table.NESTED_LIST),
}


_PARSERS: dict[str, Callable[[str], Any]] = {table.INTEGER: int, table.CONTINUOUS: float,
                                              table.LIST: lambda text: text.split(",")}


class Unreadable(ValueError):
    """The container cannot parse the text (parse()); `reason` says why."""

    def __init__(self, reason: Reason):
        self.reason = reason
        super().__init__(reason.text)


def parse(h: table.Hyperparameter, text: str) -> Any:
    """The value as the container parses it; Unreadable when it cannot."""
    try:
        simple = _PARSERS.get(h.kind)
        if simple is not None:
            return simple(text)
        if h.kind in (table.TUPLE, table.NESTED_LIST):
            value = ast.literal_eval(text)
            shape_ok = isinstance(value, (tuple, list)) and (
                h.kind == table.TUPLE or all(isinstance(inner, (tuple, list)) for inner in value))
            if not shape_ok:
                raise Unreadable(why("not_kind", kind=h.kind))
            return value
    except Unreadable:
        raise
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        how = {table.INTEGER: "int()", table.CONTINUOUS: "float()"}.get(h.kind, "as a Python literal")
        raise Unreadable(why("unparsable", form=h.allowed_form().split(" in ")[0], how=how)) from None
    return text


def refusal(h: table.Hyperparameter, value: Any) -> Optional[Reason]:
    """Why the container refuses a parsed value (None when it accepts it)."""
    check = RANGE_CHECKS.get(h.range_check) if h.range_check else None
    if type(h.allowed) is table.Interval and h.kind != table.NESTED_LIST:  # most values: one number
        ok = type(value) in (int, float) and value in h.allowed
    elif isinstance(h.allowed, table.Interval):
        values = [e for inner in value for e in inner]
        ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) and v in h.allowed for v in values)
    elif check is not None:  # a validator function decides, element by element for a list
        return next((reason for v in (value if h.kind == table.LIST else [value]) if (reason := check(h, v))), None)
    elif h.kind in (table.LIST, table.TUPLE):
        ok = all(v in (h.allowed or ()) for v in value)
    else:
        ok = value in (h.allowed or ())
    return None if ok else why("not_allowed", value=clipped_repr(value), allowed=h.allowed_form())


def reading(h: table.Hyperparameter, text: str) -> Optional[Reason]:
    """The full reading: why the container refuses the text (it cannot parse it, or refuses the value), or None."""
    try:
        return refusal(h, parse(h, text))
    except Unreadable as exc:
        return exc.reason


def _accepts(h: table.Hyperparameter) -> Callable[[str], bool]:
    """A quick yes for the values the container takes (nearly all); a no only sends the text to reading(), which
    says why. A twin of those two, kept for speed (a dry run checks every static and bound); a
    property test holds its yes to theirs. Built once per release."""
    simple = _PARSERS.get(h.kind)
    if simple is not None and type(h.allowed) is table.Interval and h.kind != table.LIST:
        convert = simple
        # Interval.__contains__ inlined; NaN stands for a missing end, as no comparison with it holds.
        low_open, low_closed, high_open, high_closed = (
            math.nan if end is None else end
            for end in (h.allowed.min_open, h.allowed.min_closed, h.allowed.max_open, h.allowed.max_closed))

        def number_inside(text: str) -> bool:
            try:
                value = convert(text)
            except ValueError:
                return False
            return not (value <= low_open or value < low_closed or value >= high_open or value > high_closed)
        return number_inside
    if h.kind == table.CATEGORICAL and isinstance(h.allowed, tuple) and (not h.range_check or RANGE_CHECKS.get(
            h.range_check) is member):
        return frozenset(h.allowed).__contains__
    return lambda text: False


def xgboost_num_round(v: View, found: Problems) -> None:
    """Built-in XGBoost needs num_round (required=True in every release's table), but not in script mode."""
    for d in v.definitions:
        if d.image.xgboost and xgboost.algorithm_mode(d.statics) \
                and "num_round" not in d.statics and "num_round" not in d.tuned_names:
            found.error(d.loc + ("StaticHyperParameters",), "xgboost.num_round", source="xgboost")


def xgboost_channels(v: View, found: Problems) -> None:
    """Built-in XGBoost trains on a `train` channel and computes `validation:` metrics on `validation` (SageMaker
    developer guide, https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost-tuning.html)."""
    for d in v.definitions:
        if not d.image.xgboost or not xgboost.algorithm_mode(d.statics):
            continue
        channels = {mapping(c).get("ChannelName") for c in items(d.body.get("InputDataConfig"))}
        metric = d.objective.get("MetricName")
        needed = ["train"] + (["validation"] if isinstance(metric, str) and metric.startswith("validation:")
                              and metric not in d.metric_names else [])
        for channel in needed:
            if channel not in channels:
                found.warning(d.loc + ("InputDataConfig",), "xgboost.channel", reason=channel,
                             channel=repr(channel), metric=metric, source="xgboost")


def xgboost_hyperparameters(v: View, found: Problems) -> None:
    for d in v.definitions:
        if d.image.xgboost and xgboost.algorithm_mode(d.statics):
            image = mapping(d.body.get("AlgorithmSpecification")).get("TrainingImage")
            release = table.release(images.xgboost_version(image) if isinstance(image, str) else None)
            if release is None:
                _refused_by_every_release(d, found)
            else:
                _against_its_release(d, release, found)


def _against_its_release(d: Definition, release: table.Release, found: Problems) -> None:
    """The release's own table; a refusal names the releases that would take it (a newer image, an older one)."""
    mine = _against_one(d, release, f"XGBoost {release.version}")
    others = {r.version: {(p.loc, p.code) for p in _against_one(d, r, "")} for r in table.RELEASES.values()
              if r is not release} if mine.has_errors else {}
    for p in mine:
        takers = [version for version, refused in others.items() if p.is_error and (p.loc, p.code) not in refused]
        hint = f"; XGBoost {_span(takers)} would take it" if takers else ""
        found.add(_sourced(p, hint, release.source))


def _refused_by_every_release(d: Definition, found: Problems) -> None:
    """The image's tag names no release we have: a problem only when every release has it."""
    everyone = f"any built-in XGBoost release ({_span(list(table.RELEASES))})"
    each = [_against_one(d, r, everyone) for r in table.RELEASES.values()]
    shared = set.intersection(*({(p.loc, p.code) for p in one} for one in each))
    source = "sagemaker-xgboost-container, every release's algorithm_mode/hyperparameter_validation.py"
    for p in each[-1]:
        if (p.loc, p.code) in shared:
            found.add(_sourced(p, " (the image's tag names no release of our tables, and every release refuses this)",
                            source))


def _sourced(p: Problem, hint: str, source: str) -> Problem:
    return report(p.severity, p.loc, p.code, **{**p.ctx, "hint": hint, "source": source})


def _span(versions: list[str]) -> str:
    """Release versions as runs of the tables' order: "1.0-1 to 3.0-5", "0.90-1, 0.90-2"."""
    order = list(table.RELEASES)
    runs: list[list[str]] = []
    for version in versions:
        if runs and order.index(runs[-1][-1]) + 1 == order.index(version):
            runs[-1].append(version)
        else:
            runs.append([version])
    return ", ".join(f"{run[0]} to {run[-1]}" if len(run) > 2 else ", ".join(run) for run in runs)


def _found(severity: Severity, loc: Loc, code: str, r: table.Release, who: str, **ctx: Any) -> Problem:
    """A refusal of release `r` (`who` names it), its hint and source still to come (_sourced)."""
    return report(severity, loc, code, release=who, hint="", source=r.source, **ctx)


def _against_one(d: Definition, r: table.Release, who: str) -> Problems:
    """What release `r` refuses, on a collector of its own: the releases' answers are compared before any is
    reported."""
    found = Problems()
    _against(d, r, who, found)
    return found


def _against(d: Definition, r: table.Release, who: str, found: Problems) -> None:
    _check_statics(d, r, who, found)
    _ranges(d, r, who, found)
    _dependencies(d, r, found)
    _tuning_metric(d, r, who, found)


def _unknown(name: str, loc: Loc, r: table.Release, who: str) -> Problem:
    return _found("error", loc, "xgboost.unknown_hyperparameter", r, who, name=clipped_repr(name),
                  suggestion=did_you_mean(name, list(r.hyperparameters) + list(r.aliases)))


def _check_statics(d: Definition, r: table.Release, who: str, found: Problems) -> None:
    by_any_name, quick = r.by_any_name, _quick_checks(r)
    for name, text in d.statics.items():
        h = by_any_name.get(name) if isinstance(name, str) else None
        if h is None:
            if isinstance(name, str) and not name.startswith("sagemaker_"):  # SageMaker's own, for any container
                found.add(_unknown(name, d.loc + ("StaticHyperParameters", name), r, who))
        elif isinstance(text, str) and not quick[h.name](text) and not _fully_accepted(h, text):  # not a string:
            found.add(_refused(h, text, d.loc + ("StaticHyperParameters", name), r, who))  # layer 1 says so


def _quick_checks(r: table.Release) -> dict[str, Callable[[str], bool]]:
    """Each hyperparameter's quick check, by name."""
    return _per_release(r.version).quick


def _fully_accepted(h: table.Hyperparameter, text: str) -> bool:
    """What the quick check said no to: lists, tuples, eval_metric... the full reading decides."""
    return reading(h, text) is None


def _refused(h: table.Hyperparameter, text: str, loc: Loc, r: table.Release, who: str) -> Problem:
    """The problem with a value the quick check and the full reading refused: it cannot be read, or it is out of
    the allowed form."""
    facts = {"value": clipped_repr(text), "hyperparameter": h.name, "allowed": h.allowed_form()}
    try:
        value = parse(h, text)
    except Unreadable as exc:
        return _found("error", loc, "xgboost.value_format", r, who, **facts, **exc.reason.as_facts())
    reason = refusal(h, value)
    assert reason is not None, "only a value the full reading refuses is reported"
    return _found("error", loc, "xgboost.value_range", r, who, **facts, **reason.as_facts())


def _ranges(d: Definition, r: table.Release, who: str, found: Problems) -> None:
    by_any_name, quick = r.by_any_name, _quick_checks(r)
    for range_list, feeds in KINDS_FOR_RANGES.items():
        categorical = range_list == "CategoricalParameterRanges"
        for i, each in enumerate(items(d.ranges.get(range_list))):
            name = each.get("Name") if type(each) is dict or isinstance(each, Mapping) else None
            h = by_any_name.get(name) if isinstance(name, str) else None
            if h is None:  # SageMaker itself refuses these for XGBoost images (aws/sagemaker-python-sdk issue 2226)
                if isinstance(name, str):
                    found.add(_unknown(name, d.ranges_loc + (range_list, i, "Name"), r, who))
                continue
            if h.kind not in feeds:
                found.add(_found("error", d.ranges_loc + (range_list, i), "xgboost.range_kind", r, who, name=name,
                             allowed=h.allowed_form(), range_kind=range_list[:-6]))
                continue
            if not h.tunable:
                found.add(_found("warning", d.ranges_loc + (range_list, i, "Name"), "xgboost.not_tunable", r, who, name=name))
            texts = enumerate(items(each.get("Values"))) if categorical \
                else (("MinValue", each.get("MinValue")), ("MaxValue", each.get("MaxValue")))
            accepts = quick[h.name]
            for key, text in texts:
                if isinstance(text, str) and not accepts(text) and not _fully_accepted(h, text):
                    found.add(_refused(h, text, d.ranges_loc + (range_list, i) + (("Values", key) if categorical else (key,)),
                                   r, who))


def _values_read(r: table.Release) -> frozenset[str]:
    """The names whose values its dependency rules read."""
    return _per_release(r.version).read


def _known(d: Definition, r: table.Release) -> dict[str, Any]:
    """Given values by canonical name, parsed where a dependency rule reads them; a tuned name maps to None (its
    value is unknown until a job starts)."""
    known: dict[str, Any] = {}
    read, by_any_name = _values_read(r), r.by_any_name
    for name, text in d.statics.items():
        h = by_any_name.get(name) if isinstance(name, str) else None
        if h is not None and isinstance(text, str):
            if h.name in read:
                try:
                    known[h.name] = parse(h, text)
                except Unreadable:
                    known[h.name] = None
            else:
                known[h.name] = text
    for name in d.tuned_names:
        h = by_any_name.get(name)
        if h is not None:
            known[h.name] = None
    return known


def _dependencies(d: Definition, r: table.Release, found: Problems) -> None:
    """Each given hyperparameter's dependencies validator, as the container runs them after the ranges."""
    known = _known(d, r)
    for h, rule in _rules(r):
        if h.name in known and (reason := rule(h, known[h.name], known)):
            found.add(_found("error", d.loc + ("StaticHyperParameters",), "xgboost.dependency", r, "",
                             hyperparameter=h.name, **reason.as_facts()))


def _rules(r: table.Release) -> list[tuple[table.Hyperparameter, DependencyRule]]:
    return _per_release(r.version).rules


@dataclass(frozen=True)
class _Prepared:
    """What the checks of one release need on every call, made once (by version: hashing a Release or a
    Hyperparameter costs more than the checks)."""

    quick: dict[str, Callable[[str], bool]]  # each hyperparameter's quick accept check
    read: frozenset[str]  # the names whose values its dependency rules read
    rules: list[tuple[table.Hyperparameter, DependencyRule]]  # a fingerprint with no rule fails test_xgboost_tables


@functools.cache
def _per_release(version: str) -> _Prepared:
    r = table.RELEASES[version]
    return _Prepared({name: _accepts(h) for name, h in r.hyperparameters.items()},
                     frozenset(n for h in r.hyperparameters.values() if h.dependencies for n in (h.name, *h.depends_on)),
                     [(h, DEPENDENCY_RULES[h.dependencies]) for h in r.hyperparameters.values()
                      if h.dependencies in DEPENDENCY_RULES])


def _tuning_metric(d: Definition, r: table.Release, who: str, found: Problems) -> None:
    metric = d.objective.get("MetricName")
    if isinstance(metric, str) and metric and metric not in r.tuning_metrics:
        found.add(_found("error", d.objective_loc + ("MetricName",), "xgboost.tuning_metric", r, who,
                     metric=clipped_repr(metric), suggestion=did_you_mean(metric, r.tuning_metrics)))
