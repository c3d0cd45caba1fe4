"""The search space in Optuna's terms: scaling types sample as AWS defines them (a distribution test over many
samples, with a fixed seed), and every value is what SageMaker would hand the container: text of the right type."""

from __future__ import annotations

import math
from typing import Any

import pytest

pytest.importorskip("optuna", reason="the local engine is tested in tox -e local (extra [local])")

from sagemaker_bridge.local.search import dimensions, grid_size, worse_than_median

SAMPLES = 2000


def sampled(ranges: dict[str, Any], n: int = SAMPLES) -> dict[str, list[str]]:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    dims = dimensions(ranges)
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=11))
    out: dict[str, list[str]] = {d.name: [] for d in dims}
    for _ in range(n):
        trial = study.ask({d.name: d.distribution() for d in dims})
        for d in dims:
            out[d.name].append(d.value_text(trial.params[d.name]))
        study.tell(trial, 0.0)
    return out


def uniform_p(values: list[float], low: float, high: float) -> float:
    from scipy import stats

    return float(stats.kstest(values, stats.uniform(loc=low, scale=high - low).cdf).pvalue)


def continuous(name: str, low: float, high: float, scaling: str) -> dict[str, Any]:
    return {"ContinuousParameterRanges": [{"Name": name, "MinValue": str(low), "MaxValue": str(high),
                                           "ScalingType": scaling}]}


def test_logarithmic_samples_log_uniformly_and_linear_does_not() -> None:
    log = [float(v) for v in sampled(continuous("eta", 0.001, 1.0, "Logarithmic"))["eta"]]
    linear = [float(v) for v in sampled(continuous("eta", 0.001, 1.0, "Linear"))["eta"]]
    assert all(0.001 <= v <= 1.0 for v in log + linear)
    assert uniform_p([math.log(v) for v in log], math.log(0.001), 0.0) > 0.01
    assert uniform_p([math.log(v) for v in linear], math.log(0.001), 0.0) < 1e-6  # the test can tell them apart
    assert uniform_p(linear, 0.001, 1.0) > 0.01


def test_reverse_logarithmic_crowds_values_toward_one() -> None:
    values = [float(v) for v in sampled(continuous("subsample", 0.0, 0.999, "ReverseLogarithmic"))["subsample"]]
    assert all(0.0 <= v <= 0.999 for v in values)
    assert uniform_p([math.log(1 - v) for v in values], math.log(1 - 0.999), 0.0) > 0.01
    assert sum(v > 0.9 for v in values) > 0.6 * len(values)


def test_auto_is_logarithmic_over_two_orders_of_magnitude_and_linear_below() -> None:
    wide = [float(v) for v in sampled(continuous("alpha", 0.01, 10.0, "Auto"))["alpha"]]
    narrow = [float(v) for v in sampled(continuous("alpha", 1.0, 10.0, "Auto"))["alpha"]]
    assert uniform_p([math.log(v) for v in wide], math.log(0.01), math.log(10.0)) > 0.01
    assert uniform_p(narrow, 1.0, 10.0) > 0.01


def test_integer_ranges_give_whole_numbers_in_range_and_log_scaled_ones_favour_small_values() -> None:
    ranges = {"IntegerParameterRanges": [{"Name": "max_depth", "MinValue": "1", "MaxValue": "100",
                                          "ScalingType": "Logarithmic"}],
              "CategoricalParameterRanges": [{"Name": "tree_method", "Values": ["hist", "approx"]}]}
    got = sampled(ranges)
    depths = [int(v) for v in got["max_depth"]]
    assert all(str(d) in got["max_depth"] and 1 <= d <= 100 for d in depths)
    assert sum(d <= 10 for d in depths) > 0.4 * len(depths)  # half the log scale; a linear one puts 10% there
    assert set(got["tree_method"]) == {"hist", "approx"}


def test_a_grid_counts_every_combination() -> None:
    dims = dimensions({"CategoricalParameterRanges": [{"Name": "a", "Values": ["1", "2", "3"]},
                                                      {"Name": "b", "Values": ["x", "y"]}]})
    assert grid_size(dims) == 6


def test_the_median_rule_compares_running_averages_of_earlier_jobs_at_the_same_round() -> None:
    earlier = [[0.5, 0.7, 0.9], [0.6, 0.6, 0.6], [0.1]]  # the third did not reach round 1
    # round 1: running averages 0.6 and 0.6 -> median 0.6
    assert worse_than_median(0.59, 1, earlier, maximize=True)
    assert not worse_than_median(0.61, 1, earlier, maximize=True)
    assert worse_than_median(0.61, 1, earlier, maximize=False)
    assert not worse_than_median(0.0, 3, earlier, maximize=True)  # no earlier job reached round 3
