"""Is the tuning job SageMaker describes the one this request asks for? Compared by meaning, not by bytes.

SageMaker adds defaults (`_tuning_objective_metric`, `EnableNetworkIsolation: false`...), may reorder lists and drops
empty ones, so only what the request says is compared: lists of named things by name, other lists as multisets,
numeric strings by value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..problems import Key, format_loc

COMPARED = ("HyperParameterTuningJobConfig", "TrainingJobDefinition", "TrainingJobDefinitions", "WarmStartConfig",
            "Autotune")
IDENTITY_KEYS = ("Name", "ChannelName", "DefinitionName", "Key", "HyperParameterTuningJobName")
# Members whose default SageMaker may leave out of a description: sent explicitly, they match when absent.
OMITTED_DEFAULTS: dict[str, Any] = {
    "ScalingType": "Auto", "TrainingJobEarlyStoppingType": "Off", "S3DataDistributionType": "FullyReplicated",
    "CompressionType": "None", "RecordWrapperType": "None", "TrainingInputMode": "File",
    "EnableNetworkIsolation": False, "EnableInterContainerTrafficEncryption": False, "EnableManagedSpotTraining": False,
}


def differences(request: Mapping[str, Any], described: Mapping[str, Any]) -> list[str]:
    """Paths where `described` does not say what `request` asked for; [] when it is the same job."""
    found: list[str] = []
    for key in COMPARED:
        if key in request:
            _walk(request[key], described.get(key), (key,), found)
    return found


def _empty(value: Any) -> bool:
    return value is None or value is False or value in ("", [], {})


def _walk(sent: Any, got: Any, loc: tuple[Key, ...], found: list[str]) -> None:
    if _empty(sent) and _empty(got):
        return
    if isinstance(sent, Mapping):
        if not isinstance(got, Mapping):
            found.append(format_loc(loc))
            return
        for key, value in sent.items():
            if key not in got and key in OMITTED_DEFAULTS and _same_scalar(value, OMITTED_DEFAULTS[key]):
                continue
            _walk(value, got.get(key), loc + (key,), found)
    elif isinstance(sent, (list, tuple)):
        if not isinstance(got, (list, tuple)) or not _same_list(sent, got, loc, found):
            found.append(format_loc(loc))
    elif not _same_scalar(sent, got):
        found.append(format_loc(loc))


def _identity(item: Any) -> Any:
    if isinstance(item, Mapping):
        for key in IDENTITY_KEYS:
            if isinstance(item.get(key), str):
                return (key, item[key])
    return None


def _same_list(sent: Any, got: Any, loc: tuple[Key, ...], found: list[str]) -> bool:
    """Named items are matched by name (their own differences reported inside); others as a multiset."""
    ids = [_identity(i) for i in sent]
    if ids and all(ids) and len(set(ids)) == len(ids):
        by_id = {_identity(i): i for i in got}
        if set(by_id) != set(ids):
            return False
        for i, item in enumerate(sent):
            _walk(item, by_id[ids[i]], loc + (i,), found)
        return True
    return len(sent) == len(got) and sorted(map(_canonical, sent)) == sorted(map(_canonical, got))


def _canonical(value: Any) -> str:
    return repr(sorted(value.items(), key=repr)) if isinstance(value, Mapping) else repr(value)


def _same_scalar(sent: Any, got: Any) -> bool:
    if sent == got and type(sent) is type(got):
        return True
    if isinstance(sent, str) and isinstance(got, str):
        try:
            return float(sent) == float(got)  # "0.10" and "0.1" are one bound
        except ValueError:
            return False
    return False
