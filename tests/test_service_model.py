"""botocore's model, cut to CreateHyperParameterTuningJob and cached: the same checks, never a stale cut."""

from __future__ import annotations

import json
import os
import pathlib
import shutil

import pytest
from botocore.loaders import Loader
from botocore.model import ServiceModel

from sagemaker_bridge.checks import aws_model, service_model


def reached_by_botocore(shape: object, seen: set[str]) -> set[str]:
    """Every shape name botocore's own model reaches from `shape`."""
    name = shape.name  # type: ignore[attr-defined]
    if name in seen:
        return seen
    seen.add(name)
    for part in ("members",):
        for member in getattr(shape, part, {}).values():
            reached_by_botocore(member, seen)
    for part in ("member", "key", "value"):
        if hasattr(shape, part):
            reached_by_botocore(getattr(shape, part), seen)
    return seen


@pytest.fixture
def cache(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    monkeypatch.setenv(service_model.CACHE_ENV, str(tmp_path / "cache"))
    service_model.operation_model.cache_clear()
    yield tmp_path / "cache"
    service_model.operation_model.cache_clear()


def test_the_cut_holds_exactly_the_shapes_botocore_reaches_from_the_operation(cache: pathlib.Path) -> None:
    botocore_model = ServiceModel(Loader().load_service_model("sagemaker", "service-2"), "sagemaker")
    ours = service_model.operation_model(aws_model.OPERATION)
    theirs = reached_by_botocore(botocore_model.operation_model(aws_model.OPERATION).input_shape, set())
    assert set(ours["shapes"]) == theirs
    assert ours["input"] == "CreateHyperParameterTuningJobRequest"
    assert 50 < len(theirs) < 1000  # a cut, not the whole 3,000-shape model


def test_a_second_run_reads_the_cache_and_a_new_botocore_file_refreshes_it(
        cache: pathlib.Path, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = service_model.operation_model(aws_model.OPERATION)
    [written] = cache.iterdir()
    assert json.loads(written.read_text())["model"] == first

    # The cache is what a second run reads: a marker put into it comes back.
    data = json.loads(written.read_text())
    data["model"]["marker"] = "from the cache"
    written.write_text(json.dumps(data))
    service_model.operation_model.cache_clear()
    assert service_model.operation_model(aws_model.OPERATION)["marker"] == "from the cache"

    # An upgraded botocore is another file (or the same path, changed): the old cut is not used for it.
    original = pathlib.Path(service_model.model_file())
    copy = tmp_path / "botocore" / "data" / "sagemaker" / "2099-01-01" / original.name
    copy.parent.mkdir(parents=True)
    shutil.copyfile(original, copy)
    monkeypatch.setattr(service_model, "model_file", lambda: str(copy))
    service_model.operation_model.cache_clear()
    assert "marker" not in service_model.operation_model(aws_model.OPERATION)
    os.utime(copy, ns=(1, 1))  # same path, new modification time: a changed file
    service_model.operation_model.cache_clear()
    assert "marker" not in service_model.operation_model(aws_model.OPERATION)
    assert len(list(cache.iterdir())) == 3


@pytest.mark.parametrize("damage", ["not json", "{}", '{"source": 1}', ""])
def test_a_damaged_cache_file_is_read_past_and_rewritten(cache: pathlib.Path, damage: str) -> None:
    good = service_model.operation_model(aws_model.OPERATION)
    [written] = cache.iterdir()
    written.write_text(damage)
    service_model.operation_model.cache_clear()
    assert service_model.operation_model(aws_model.OPERATION) == good
    assert json.loads(written.read_text())["model"] == good


def test_no_cache_folder_or_an_unwritable_one_costs_only_the_full_read(
        tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for folder in ("", str(blocker / "cache")):  # empty: no cache; under a file: cannot be made
        monkeypatch.setenv(service_model.CACHE_ENV, folder)
        service_model.operation_model.cache_clear()
        assert service_model.operation_model(aws_model.OPERATION)["input"] == "CreateHyperParameterTuningJobRequest"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
    service_model.operation_model.cache_clear()
