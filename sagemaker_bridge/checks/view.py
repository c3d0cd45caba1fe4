"""The parts of a request every rule reads, found once: the view that layers 2 and 3 (rules.py, xgboost_container.py)
share, read leniently (layer 1 reports wrong shapes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from .. import algorithms
from ..algorithms import ImageKind
from ..problems import Loc
from ..vocabulary import CONFIG, DEFINITION, RANGE_LISTS, RANGES
from .lenient import items, mapping

ALL_RANGE_LISTS = tuple(RANGE_LISTS.values())


@dataclass(frozen=True)
class Definition:
    """One training job definition with the ranges and objective that apply to it."""

    loc: Loc
    body: Mapping[str, Any]
    ranges_loc: Loc
    ranges: Mapping[str, Any]
    objective_loc: Loc
    objective: Mapping[str, Any]
    image: ImageKind
    statics: Mapping[str, Any]  # read by most rules, so found once
    tuned_names: list[str]
    metric_names: list[Any]  # of MetricDefinitions


def _definition(loc: Loc, body: Mapping[str, Any], ranges_loc: Loc, ranges: Mapping[str, Any], objective_loc: Loc,
                objective: Mapping[str, Any], image_kind: Optional[ImageKind]) -> Definition:
    names = [r.get("Name") for range_list in ALL_RANGE_LISTS for r in map(mapping, items(ranges.get(range_list)))]
    metrics = items(mapping(body.get("AlgorithmSpecification")).get("MetricDefinitions"))
    return Definition(loc, body, ranges_loc, ranges, objective_loc, objective, image_kind or _image_kind(body),
                      mapping(body.get("StaticHyperParameters")), [n for n in names if isinstance(n, str)],
                      [mapping(m).get("Name") for m in metrics])


@dataclass(frozen=True)
class View:
    """The parts of a request the rules read, found once (read leniently: layer 1 reports wrong shapes)."""

    request: Mapping[str, Any]
    config: Mapping[str, Any]
    strategy: Any
    limits: Mapping[str, Any]
    definitions: tuple[Definition, ...]


def view(request: Mapping[str, Any], image_kind: Optional[ImageKind] = None) -> View:
    """`image_kind` says what the image is when the caller knows better than its URI (a private XGBoost mirror)."""
    config = mapping(request.get("HyperParameterTuningJobConfig"))
    shared_objective = config.get("HyperParameterTuningJobObjective")
    definitions = []
    if "TrainingJobDefinition" in request:  # one definition: ranges and objective live in the config
        body = mapping(request["TrainingJobDefinition"])
        definitions.append(_definition(DEFINITION, body, RANGES, mapping(config.get("ParameterRanges")),
                                       CONFIG + ("HyperParameterTuningJobObjective",), mapping(shared_objective), image_kind))
    for i, item in enumerate(items(request.get("TrainingJobDefinitions"))):  # several: each carries its own
        loc, body = ("TrainingJobDefinitions", i), mapping(item)
        definitions.append(_definition(loc, body, loc + ("HyperParameterRanges",),
                                       mapping(body.get("HyperParameterRanges")), loc + ("TuningObjective",),
                                       mapping(body.get("TuningObjective", shared_objective)), image_kind))
    return View(request, config, config.get("Strategy"), mapping(config.get("ResourceLimits")), tuple(definitions))


def _image_kind(definition: Mapping[str, Any]) -> ImageKind:
    image = mapping(definition.get("AlgorithmSpecification")).get("TrainingImage")
    return algorithms.classify_image(image) if isinstance(image, str) else algorithms.NAMED_ALGORITHM
