"""translate() and validate() in one process, each beside the floor: a plain dict build of the same request, no checks.

The job is fixtures/xgboost-flytekit.yaml with 1, 10 or 30 ranges (XGBoost's own hyperparameters, tunable ones
first), given as flytekit wrote it (a camelCase dict), as JSON text and as protobuf bytes.

Two ways of timing, each named for what it is. measure(): the calls take turns call by call, so a slow spell of a
shared machine falls on all alike; but the floor then runs right after a translate() and finds the caches cold.
warm(): each call in a block of its own, the blocks taking turns, the fastest block kept: the floor warm, and beside
it what every user's create call already pays, botocore's own ParamValidator on the finished request (boto3 runs it
before sending CreateHyperParameterTuningJob).
"""

from __future__ import annotations

import json
import pathlib
import time
import warnings
from typing import Any, Callable

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
SIZES = (1, 10, 30)


def spec_with(ranges: int) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(job, config, keyword arguments) of the fixture job with `ranges` ranges, each valid for the container."""
    from sagemaker_bridge.algorithms import xgboost_hyperparameters as table

    spec = yaml.safe_load((ROOT / "fixtures/xgboost-flytekit.yaml").read_text())
    release = table.RELEASES["1.7-1"]  # the fixture's image
    candidates = sorted((h for h in release.hyperparameters.values() if not h.required and not h.name.startswith("_")
                         and h.kind in (table.INTEGER, table.CONTINUOUS, table.CATEGORICAL)),
                        key=lambda h: not h.tunable)
    range_map = {}
    for h in candidates[:ranges]:
        if h.kind == table.CATEGORICAL:
            range_map[h.name] = {"categoricalParameterRange": {"values": list(h.allowed)[:2]}}
            continue
        low, high = _inside(h.allowed)
        if h.kind == table.INTEGER:
            range_map[h.name] = {"integerParameterRange": {"minValue": str(int(low)), "maxValue": str(int(high)),
                                                           "scalingType": "LINEAR"}}
        else:
            range_map[h.name] = {"continuousParameterRange": {"minValue": low, "maxValue": high, "scalingType": "AUTO"}}
    if len(range_map) != ranges:
        raise SystemExit(f"XGBoost has only {len(range_map)} hyperparameters a range can tune")
    spec["config"]["hyperparameterRanges"]["parameterRangeMap"] = range_map
    for name in range_map:
        spec["static_hyperparameters"].pop(name, None)
    job, config = spec.pop("job"), spec.pop("config")
    return job, config, spec


def _inside(allowed: Any) -> tuple[float, float]:
    """Two numbers strictly inside the container's interval."""
    low = max(v for v in (allowed.min_open, allowed.min_closed, 0) if v is not None)
    high = min(v for v in (allowed.max_open, allowed.max_closed, low + 4) if v is not None)
    return low + (high - low) / 4, low + (high - low) / 2


def floor(job: dict[str, Any], config: dict[str, Any], kw: dict[str, Any]) -> dict[str, Any]:
    """The same request built by hand: what any translation must at least do."""
    ranges: dict[str, list[dict[str, Any]]] = {"IntegerParameterRanges": [], "ContinuousParameterRanges": [],
                                               "CategoricalParameterRanges": []}
    for name, one_of in sorted(config["hyperparameterRanges"]["parameterRangeMap"].items()):
        if "categoricalParameterRange" in one_of:
            ranges["CategoricalParameterRanges"].append(
                {"Name": name, "Values": list(one_of["categoricalParameterRange"]["values"])})
            continue
        numeric = "integerParameterRange" in one_of
        r = one_of["integerParameterRange" if numeric else "continuousParameterRange"]
        text: Callable[[Any], str] = (lambda v: str(int(v))) if numeric else (lambda v: repr(float(v)))
        ranges["IntegerParameterRanges" if numeric else "ContinuousParameterRanges"].append(
            {"Name": name, "MinValue": text(r["minValue"]), "MaxValue": text(r["maxValue"]),
             "ScalingType": r.get("scalingType", "AUTO").title()})
    training = job["trainingJob"]
    resources = training["trainingJobResourceConfig"]
    return {
        "HyperParameterTuningJobName": kw["job_name"],
        "HyperParameterTuningJobConfig": {
            "Strategy": config["tuningStrategy"].title(),
            "HyperParameterTuningJobObjective": {"Type": config["tuningObjective"]["objectiveType"].title(),
                                                 "MetricName": config["tuningObjective"]["metricName"]},
            "ResourceLimits": {"MaxNumberOfTrainingJobs": int(job["maxNumberOfTrainingJobs"]),
                               "MaxParallelTrainingJobs": int(job["maxParallelTrainingJobs"])},
            "ParameterRanges": ranges,
            "TrainingJobEarlyStoppingType": config["trainingJobEarlyStoppingType"].title()},
        "TrainingJobDefinition": {
            "StaticHyperParameters": {k: str(int(v)) if isinstance(v, float) else str(v)
                                      for k, v in kw["static_hyperparameters"].items()},
            "AlgorithmSpecification": {"TrainingImage": "683313688378.dkr.ecr.us-east-1.amazonaws.com/"
                                                        "sagemaker-xgboost:1.7-1", "TrainingInputMode": "File"},
            "RoleArn": kw["role_arn"],
            "OutputDataConfig": {"S3OutputPath": kw["output_path"]},
            "ResourceConfig": {"InstanceType": resources["instanceType"],
                               "InstanceCount": int(resources["instanceCount"]),
                               "VolumeSizeInGB": int(resources["volumeSizeInGb"])},
            "StoppingCondition": {"MaxRuntimeInSeconds": kw["max_runtime_seconds"]},
            "InputDataConfig": [{"ChannelName": n, "DataSource": {"S3DataSource": {
                "S3DataType": "S3Prefix", "S3Uri": u, "S3DataDistributionType": "FullyReplicated"}},
                "ContentType": "text/csv"} for n, u in sorted(kw["inputs"].items())]},
        "Tags": [{"Key": k, "Value": v} for k, v in sorted(kw["tags"].items())],
    }


def interleaved(calls: dict[str, Callable[[], Any]], rounds: int) -> dict[str, list[int]]:
    """Nanoseconds of each call, the calls taking turns round by round: a slow spell of a shared machine falls on
    all of them alike, so their ratios hold even when the absolute figures wander."""
    for _ in range(max(5, rounds // 10)):
        for fn in calls.values():
            fn()
    samples: dict[str, list[int]] = {name: [] for name in calls}
    clock = time.perf_counter_ns
    for _ in range(rounds):
        for name, fn in calls.items():
            started = clock()
            fn()
            samples[name].append(clock() - started)
    return samples


def _p(samples: list[int], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] / 1000


def measure(calls: int) -> list[dict[str, Any]]:
    """One row per (entry point, input form, ranges): p50/p99, the floor's p50 and the dict form's p50, all
    measured in the same rounds."""
    from sagemaker_bridge import translate, validate
    from sagemaker_bridge.idl import proto

    rows = []
    warnings.simplefilter("ignore")  # the 30-range job tunes hyperparameters the container marks not tunable
    for size in SIZES:
        job, config, kw = spec_with(size)
        forms = {"dict": (job, config),
                 "JSON": (json.dumps(job), json.dumps(config)),
                 "bytes": (proto.dict_to_bytes(job, "HyperparameterTuningJob"),
                           proto.dict_to_bytes(config, "HyperparameterTuningJobConfig"))}
        expected = translate(job, config, **kw)
        for form, (j, c) in forms.items():
            if translate(j, c, **kw) != expected:
                raise SystemExit(f"translate() from {form} differs from the dict's request")
        if floor(job, config, kw) != expected:
            raise SystemExit("the floor does not build the request translate() builds; fix bench/inprocess.py")
        for entry, fn in (("translate", translate), ("validate", validate)):
            turns: dict[str, Callable[[], Any]] = {"floor": lambda j=job, c=config, k=kw: floor(j, c, k)}
            turns |= {form: (lambda f=fn, j=j, c=c, k=kw: f(j, c, **k)) for form, (j, c) in forms.items()}
            samples = interleaved(turns, calls)
            for form in forms:
                rows.append({"call": f"{entry}()", "form": form, "ranges": size, "p50_us": _p(samples[form], 0.5),
                             "p99_us": _p(samples[form], 0.99), "floor_us": _p(samples["floor"], 0.5),
                             "dict_us": _p(samples["dict"], 0.5)})
    return rows


def warm(blocks: int, calls: int) -> dict[str, Any]:
    """The 10-range dict job: per-call microseconds of the fastest of `blocks` blocks of `calls` calls each, for
    translate(), the floor and botocore's ParamValidator on the request translate() returns."""
    import botocore.session
    from botocore.validate import ParamValidator

    from sagemaker_bridge import translate

    warnings.simplefilter("ignore")
    job, config, kw = spec_with(10)
    request = dict(translate(job, config, **kw))
    shape = botocore.session.get_session().get_service_model("sagemaker").operation_model(
        "CreateHyperParameterTuningJob").input_shape
    validator = ParamValidator()
    if validator.validate(request, shape).has_errors():
        raise SystemExit("botocore refuses the request translate() made")
    runs: dict[str, Callable[[], Any]] = {
        "translate": lambda: translate(job, config, **kw),
        "floor": lambda: floor(job, config, kw),
        "ParamValidator": lambda: validator.validate(request, shape)}
    best = {name: float("inf") for name in runs}
    clock = time.perf_counter_ns
    for _ in range(blocks):
        for name, fn in runs.items():
            started = clock()
            for _ in range(calls):
                fn()
            best[name] = min(best[name], (clock() - started) / calls / 1000)
    return {"blocks": blocks, "calls": calls, "us": best,
            "vs_validator": best["translate"] / best["ParamValidator"], "vs_floor": best["translate"] / best["floor"]}
