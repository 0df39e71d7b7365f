"""rake, poststratify, weight_summary: margins met, errors that name what is wrong, invariants."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import simsurvey as ss
from simsurvey.weighting import RakingError, WeightingWarning, kish_deff, poststratify, rake, weight_summary
from simsurvey.weighting.replicates import reweighter, variance_deff


@pytest.fixture
def sample():
    rng = np.random.default_rng(3)
    n = 500
    return pd.DataFrame({
        "size": rng.choice(["small", "mid", "large"], n, p=[0.3, 0.4, 0.3]),
        "region": rng.choice(["n", "s", "e", "w"], n, p=[0.1, 0.2, 0.3, 0.4]),
        "sector": pd.Categorical(rng.choice(["a", "b"], n, p=[0.7, 0.3])),
        "w": rng.uniform(0.5, 2.0, n),
    })


MARGINS = {"size": {"small": 0.6, "mid": 0.3, "large": 0.1},
           "region": {"n": 0.25, "s": 0.25, "e": 0.25, "w": 0.25},
           "sector": {"a": 0.5, "b": 0.5}}


def test_top_level_exports():
    assert ss.rake is rake and ss.poststratify is poststratify and ss.weight_summary is weight_summary


def test_rake_meets_every_margin_to_tol(sample):
    res = rake(sample, MARGINS, "w", tol=1e-12)
    for col, targets in MARGINS.items():
        shares = res.weights.groupby(sample[col], observed=True).sum() / res.weights.sum()
        for cat, share in targets.items():
            assert shares[cat] == pytest.approx(share, abs=1e-12)
    assert res.max_gap <= 1e-12
    assert res.weights.sum() == pytest.approx(sample["w"].sum(), rel=1e-12)  # shares keep the base total
    assert res.weights.index.equals(sample.index) and res.weights.name == "weight"


def test_totals_scale_the_weights(sample):
    totals = {col: {k: v * 1000 for k, v in t.items()} for col, t in MARGINS.items()}
    a, b = rake(sample, MARGINS), rake(sample, totals)
    assert b.weights.sum() == pytest.approx(1000)
    np.testing.assert_allclose(b.weights, a.weights * 1000 / len(sample), rtol=1e-9)


def test_a_margin_over_two_columns(sample):
    cells = {(s, r): 1 / 12 for s in ["small", "mid", "large"] for r in ["n", "s", "e", "w"]}
    res = rake(sample, {("size", "region"): cells})
    counts = res.weights.groupby([sample["size"], sample["region"]]).sum()
    np.testing.assert_allclose(counts.to_numpy(), len(sample) / 12, rtol=1e-9)


def test_poststratify_from_series_equals_one_margin_rake(sample):
    targets = pd.Series({"small": 0.6, "mid": 0.3, "large": 0.1}).rename_axis("size")
    a = poststratify(sample, targets, "w")
    b = rake(sample, {"size": targets.to_dict()}, "w")
    np.testing.assert_allclose(a.weights, b.weights, rtol=1e-12)
    assert a.method == "poststratify" and a.iterations == 1


def test_raking_twice_changes_nothing(sample):
    once = rake(sample, MARGINS, "w", tol=1e-13)
    twice = rake(sample, MARGINS, once.weights.to_numpy(), tol=1e-13)
    np.testing.assert_allclose(twice.weights, once.weights, rtol=1e-10)


def test_bounds_hold_and_margins_still_met(sample):
    res = rake(sample, MARGINS, "w", bounds=(0.3, 3.0), tol=1e-10)
    g = res.weights / sample["w"]
    assert g.min() >= 0.3 - 1e-12 and g.max() <= 3.0 + 1e-12
    assert res.max_gap <= 1e-10
    free = rake(sample, MARGINS, "w")
    assert (free.weights / sample["w"]).max() > 3.0  # the bound did bind


def test_bounds_that_cannot_reach_a_target_name_it(sample):
    with pytest.raises(RakingError, match=r"cannot reach margin 'size', category 'small'"):
        rake(sample, MARGINS, bounds=(0.9, 1.1))


def test_trim_keeps_total_flags_trimmed_and_warns(sample):
    with pytest.warns(WeightingWarning, match=r"leaves margin '\w+' off by"):
        res = rake(sample, MARGINS, "w", trim=(None, 1.8))
    w = res.weights
    assert w.max() <= 1.8 * w.mean() * (1 + 1e-12)
    assert w.sum() == pytest.approx(sample["w"].sum(), rel=1e-12)
    assert res.trimmed.any() and weight_summary(res)["trimmed_share"].iloc[0] == pytest.approx(res.trimmed.mean())


def test_trim_that_binds_nothing_is_silent(sample):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = rake(sample, MARGINS, "w", trim=(0.001, 1000))
    assert not res.trimmed.any()


def test_non_convergence_names_the_margin_and_its_gap():
    # size and region are tied (small <-> n): margins asking for 0.8 small but 0.2 n cannot both hold
    s = pd.DataFrame({"size": ["small"] * 5 + ["large"] * 5, "region": ["n"] * 5 + ["s"] * 5})
    with pytest.raises(RakingError, match=r"did not converge in 50 iterations: margin '(size|region)' is off by"):
        rake(s, {"size": {"small": 0.8, "large": 0.2}, "region": {"n": 0.2, "s": 0.8}}, max_iter=50)


def test_empty_target_category_is_named(sample):
    with pytest.raises(ValueError, match=r"margin 'size': target category 'huge' has no respondents"):
        rake(sample, {"size": {"small": 0.5, "mid": 0.2, "large": 0.2, "huge": 0.1}})


def test_sample_category_without_target_is_named(sample):
    with pytest.raises(ValueError, match=r"margin 'size': sample category 'large' \(\d+ respondents\) has no target"):
        rake(sample, {"size": {"small": 0.6, "mid": 0.4}})


def test_zero_target_with_respondents_is_an_error(sample):
    with pytest.raises(ValueError, match=r"category 'large' has a target of 0 but \d+ respondents"):
        rake(sample, {"size": {"small": 0.6, "mid": 0.4, "large": 0.0}})


@pytest.mark.parametrize("bad, shown", [(-1.0, "-1.0"), (0.0, "0.0"), (np.nan, "nan"), (np.inf, "inf")])
def test_bad_base_weight_names_the_row_counted_from_one(sample, bad, shown):
    w = sample["w"].to_numpy().copy()
    w[41] = bad
    with pytest.raises(ValueError, match=rf"base_weights: row 42 \(header not counted\) is {shown}; weights must be positive and finite"):
        rake(sample, MARGINS, w)


def test_missing_category_value_names_column_and_row(sample):
    s = sample.copy()
    s.loc[s.index[6], "region"] = None
    with pytest.raises(ValueError, match=r"sample column 'region' is missing at row 7"):
        rake(s, MARGINS)


def test_totals_that_disagree_are_an_error(sample):
    with pytest.raises(ValueError, match=r"margin 'region' totals 90 but margin 'size' totals 100"):
        rake(sample, {"size": {"small": 60, "mid": 30, "large": 10}, "region": {"n": 30, "s": 30, "e": 20, "w": 10}})


@pytest.mark.parametrize("kwargs, message", [
    ({"tol": 0}, "tol must be a positive number"),
    ({"max_iter": 0}, "max_iter must be a positive whole number"),
    ({"bounds": (2, 1)}, "bounds must satisfy 0 <= low < high"),
    ({"trim": (0.5, 0.9)}, "trim must satisfy 0 <= lower < 1 < upper"),
])
def test_argument_errors(sample, kwargs, message):
    with pytest.raises(ValueError, match=message):
        rake(sample, MARGINS, **kwargs)


def test_missing_column_and_bad_targets(sample):
    with pytest.raises(ValueError, match="sample has no column 'country'"):
        rake(sample, {"country": {"us": 1.0}})
    with pytest.raises(ValueError, match=r"margin 'size', category 'mid': target -0.1 must be a non-negative"):
        rake(sample, {"size": {"small": 0.6, "mid": -0.1, "large": 0.5}})


def test_weight_summary_numbers():
    row = weight_summary(pd.Series([1.0, 1.0, 2.0, 4.0])).iloc[0]
    # sum 8, sum of squares 22: deff = 4 * 22 / 64
    assert row["deff"] == pytest.approx(4 * 22 / 64)
    assert row["n_eff"] == pytest.approx(64 / 22)
    assert row["cv"] == pytest.approx(np.std([1, 1, 2, 4]) / 2)
    assert row["deff"] == pytest.approx(1 + row["cv"] ** 2)
    assert (row["min"], row["max"], row["ratio"]) == (1.0, 4.0, 4.0)
    with pytest.raises(ValueError, match=r"weights: row 2 \(header not counted\) is -1.0"):
        weight_summary([1.0, -1.0])


def test_reweighter_rakes_each_replicate_and_marks_empty_ones(sample):
    rw = reweighter(sample, MARGINS, "w")
    rng = np.random.default_rng(0)
    counts = rng.multinomial(len(sample), np.ones(len(sample)) / len(sample), size=5).astype(float)
    counts[4, (sample["size"] == "large").to_numpy()] = 0  # a replicate without any large firm
    raked = rw(counts * sample["w"].to_numpy())
    for b in range(4):
        one = rake(sample.loc[counts[b] > 0], MARGINS, (counts[b] * sample["w"])[counts[b] > 0], tol=1e-12)
        # shares are scaled to the full sample's base total, the same for every replicate
        np.testing.assert_allclose(raked[b, counts[b] > 0], one.weights * sample["w"].sum() / one.weights.sum(),
                                   rtol=1e-8)
    assert np.isnan(raked[4]).all()


def test_variance_deff():
    a = np.array([[1.0, 2.0], [3.0, 2.0], [np.nan, 5.0]])
    b = np.array([[1.5, 1.0], [2.5, 3.0], [1.0, 5.0]])
    out = variance_deff(a, b)
    assert out[0] == pytest.approx(4.0)
    assert out[1] == pytest.approx(np.var([2, 2, 5], ddof=1) / np.var([1, 3, 5], ddof=1))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 1), st.floats(0.1, 10)), min_size=8, max_size=60),
       st.lists(st.floats(0.05, 1), min_size=3, max_size=3), st.floats(0.05, 0.95))
def test_property_margins_met_and_deff_at_least_one(rows, size_w, p_first):
    frame = pd.DataFrame(rows, columns=["a", "b", "w"])
    if frame["a"].nunique() < 3 or frame["b"].nunique() < 2:
        return
    a_targets = dict(enumerate(np.asarray(size_w) / np.sum(size_w)))
    margins = {"a": a_targets, "b": {0: p_first, 1: 1 - p_first}}
    try:
        res = rake(frame, margins, "w", tol=1e-9, max_iter=5000)
    except RakingError:
        return  # sparse tables can have no solution; that is reported, not hidden
    for col, targets in margins.items():
        shares = res.weights.groupby(frame[col]).sum() / res.weights.sum()
        for k, v in targets.items():
            assert shares[k] == pytest.approx(v, abs=1e-8)
    assert kish_deff(res.weights) >= 1 - 1e-12
    assert res.weights.sum() == pytest.approx(frame["w"].sum(), rel=1e-9)
