"""Bootstrap engine, intervals and their anchors (scipy, statsmodels, brute force)."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from scipy import optimize, stats

from simsurvey.inference.intervals import jackknife_acceleration
from simsurvey.inference.cells import sample_cells
from simsurvey.inference.resampling import BootstrapWarning, SkippedClaimWarning, bootstrap, robustness_table
from simsurvey.inference.coverage import coverage_study
from simsurvey.inference.analytic import katz_log, koopman_score, mover_wilson, wilson
from simsurvey.inference.replicates import replicate_weights
from simsurvey.catalog.spec import survey_spec

ITEM = "excel_engage_at_scale"


def tier_sample(counts, sizes=(90, 414, 282), item=ITEM, seed=0):
    """A sample with exactly ``counts`` positives in high / moderate / under."""
    rng = np.random.default_rng(seed)
    groups, values = [], []
    for group, size, k in zip(("high", "moderate", "under"), sizes, counts):
        v = np.zeros(size, dtype=np.int8)
        v[:k] = 1
        rng.shuffle(v)
        groups += [group] * size
        values.append(v)
    return pd.DataFrame({"group": groups, item: np.concatenate(values)})


@pytest.fixture(scope="module")
def at_scale():
    # 82/90 = 91.1%, 233/414 = 56.3%, 45/282 = 16.0%: the printed 91 / 56 / 16
    return tier_sample((82, 233, 45))


def quiet(**kwargs):
    """bootstrap() that fails on any warning but the expected one: a one-item sample skips the other claims."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", BootstrapWarning)
        warnings.simplefilter("ignore", SkippedClaimWarning)
        return bootstrap(**kwargs)


# -- the engine -----------------------------------------------------------------------

def test_replicate_counts_are_resamples():
    rw = replicate_weights(50, 400, seed=3)
    assert rw.counts.shape == (400, 50)
    assert (rw.counts.sum(axis=1) == 50).all()
    # each count is Binomial(50, 1/50): mean 1, variance 0.98; 20,000 draws give SE ~0.007 / ~0.01
    assert abs(rw.counts.mean() - 1) < 1e-12  # rows sum to n exactly
    assert abs(rw.counts.var() - 0.98) < 0.05


def test_stratified_replicates_keep_group_sizes():
    groups = np.array(["a"] * 7 + ["b"] * 13)
    rw = replicate_weights(20, 300, seed=4, groups=groups)
    assert (rw.counts[:, groups == "a"].sum(axis=1) == 7).all()
    assert (rw.counts[:, groups == "b"].sum(axis=1) == 13).all()


def test_matrix_product_equals_resampling_rows(at_scale):
    """Replicate b's ratio from W @ Y equals the ratio computed on the resampled rows themselves."""
    spec = survey_spec("sos-smb-2016")
    design, _ = sample_cells(at_scale, spec, "group")
    rw = replicate_weights(len(at_scale), 5, seed=11)
    shares = (rw.counts @ design.y) / (rw.counts @ design.member)
    ratio = shares[:, design.numerator[0]] / shares[:, design.denominator[0]]
    for b in range(5):
        rows = at_scale.iloc[np.repeat(np.arange(len(at_scale)), rw.counts[b])]
        p = rows.groupby("group")[ITEM].mean()
        assert ratio[b] == pytest.approx(p["high"] / p["under"], rel=1e-12)


def test_same_seed_same_table_different_seed_different(at_scale):
    a = quiet(sample=at_scale, replicates=2000, seed=7)
    b = quiet(sample=at_scale, replicates=2000, seed=7)
    c = quiet(sample=at_scale, replicates=2000, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert a.to_csv() == b.to_csv()
    assert not a["low"].equals(c["low"])


def test_estimate_and_counts(at_scale):
    res = quiet(sample=at_scale, replicates=1000, seed=1, methods=["percentile"])
    row = res.iloc[0]
    assert row["estimate"] == pytest.approx((82 / 90) / (45 / 282))
    assert (row["n_numerator"], row["n_denominator"]) == (90, 282)
    assert row["printed"] == 5.7 and row["printed_inside"]
    assert row["share_above_1"] == 1.0
    # with 91% vs 56% vs 16% the order high > moderate > under holds in essentially every replicate
    assert row["share_in_order"] > 0.999


# -- anchors: scipy and statsmodels ------------------------------------------------------

def test_percentile_and_bca_agree_with_scipy():
    sample = tier_sample((30, 30, 20), sizes=(40, 60, 100), seed=2)
    ours = quiet(sample=sample, replicates=40_000, seed=5, methods=["percentile", "bca"]).set_index("method")
    h = (sample["group"] == "high").to_numpy(float)
    u = (sample["group"] == "under").to_numpy(float)
    y = sample[ITEM].to_numpy(float)

    def ratio(h, u, y, axis=-1):
        return ((h * y).sum(axis) / h.sum(axis)) / ((u * y).sum(axis) / u.sum(axis))

    for ours_name, scipy_name in (("percentile", "percentile"), ("bca", "BCa")):
        ref = stats.bootstrap((h, u, y), ratio, paired=True, vectorized=True, n_resamples=40_000,
                              method=scipy_name, rng=np.random.default_rng(9)).confidence_interval
        # two independent Monte Carlo runs of 40,000: the 2.5%/97.5% quantiles of this ratio
        # (about 1.9 and 4.9) each carry ~0.5% relative MC error, so 3% is a > 4-sigma bound
        assert ours.loc[ours_name, "low"] == pytest.approx(ref.low, rel=0.03)
        assert ours.loc[ours_name, "high"] == pytest.approx(ref.high, rel=0.03)


def test_jackknife_acceleration_equals_brute_force():
    sample = tier_sample((7, 9, 4), sizes=(12, 20, 25), seed=4)
    spec = survey_spec("sos-smb-2016")
    design, _ = sample_cells(sample, spec, "group")
    fast = jackknife_acceleration(np.ones(len(sample)), design)[0]
    theta = []
    for i in range(len(sample)):
        rest = sample.drop(index=i)
        p = rest.groupby("group")[ITEM].mean()
        theta.append(p["high"] / p["under"])
    d = np.mean(theta) - np.array(theta)
    assert fast == pytest.approx((d**3).sum() / (6 * (d**2).sum() ** 1.5), rel=1e-10)


@pytest.mark.parametrize("x1, n1, x2, n2", [(82, 90, 45, 282), (7, 20, 3, 31), (50, 50, 10, 60), (1, 40, 30, 40)])
def test_katz_and_koopman_agree_with_statsmodels(x1, n1, x2, n2):
    import statsmodels.stats.proportion as sm  # a test dependency: a missing install must fail, not skip
    ref = sm.confint_proportions_2indep(x1, n1, x2, n2, compare="ratio", method="log")
    assert np.allclose(katz_log(x1, n1, x2, n2), ref, rtol=1e-10)
    ref = sm.confint_proportions_2indep(x1, n1, x2, n2, compare="ratio", method="score", correction=False)
    assert np.allclose(koopman_score(x1, n1, x2, n2), ref, rtol=1e-8)


def test_wilson_hand_worked():
    # 45 of 282 at 95%: z = 1.959964; centre (45 + z²/2)/(282 + z²) = 0.16393...
    z = stats.norm.ppf(0.975)
    centre = (45 + z * z / 2) / (282 + z * z)
    half = z * np.sqrt(45 * 237 / 282 + z * z / 4) / (282 + z * z)
    assert np.allclose(wilson(45, 282), (centre - half, centre + half), rtol=1e-12)
    # by hand: centre 46.9207 / 285.8415 = 0.16415, half 1.96 * sqrt(38.779) / 285.8415 = 0.04270
    assert np.allclose(wilson(45, 282), (0.12145, 0.20685), atol=5e-5)


@pytest.mark.parametrize("x1, n1, x2, n2", [(82, 90, 45, 282), (7, 20, 3, 31), (12, 50, 30, 40)])
def test_mover_wilson_equals_its_definition_solved_numerically(x1, n1, x2, n2):
    """MOVER: the lower limit L solves (p1 - L p2)^2 = (p1 - l1)^2 + L^2 (u2 - p2)^2 (Donner & Zou 2012)."""
    p1, p2 = x1 / n1, x2 / n2
    (l1, u1), (l2, u2) = wilson(x1, n1), wilson(x2, n2)
    f_low = lambda t: (p1 - t * p2) ** 2 - (p1 - l1) ** 2 - t * t * (u2 - p2) ** 2
    f_high = lambda t: (p1 - t * p2) ** 2 - (u1 - p1) ** 2 - t * t * (p2 - l2) ** 2
    rr = p1 / p2
    low = optimize.brentq(f_low, 1e-9, rr)
    high = optimize.brentq(f_high, rr, 1e3)
    assert np.allclose(mover_wilson(x1, n1, x2, n2), (low, high), rtol=1e-9)


# -- edge cases -----------------------------------------------------------------------

def test_zero_denominator_claim_is_skipped_with_a_warning():
    sample = tier_sample((10, 20, 0))
    with pytest.raises(ValueError, match=r"can be recomputed from the sample: .*denominator percentage is 0: the ratio is infinite \(1 claim\)"):
        bootstrap(sample, replicates=1000, seed=1)
    other = sample.assign(lead_cx_initiatives=sample[ITEM].to_numpy()[::-1])
    with pytest.warns(SkippedClaimWarning, match=r"denominator percentage is 0: the ratio is infinite: sos-smb-2016#8"):
        res = bootstrap(other, replicates=1000, seed=1, methods=["percentile"])
    assert ITEM not in set(res["item"])
    assert {"claim_id": "sos-smb-2016#8", "item": ITEM, "reason": "denominator percentage is 0: the ratio is infinite"} \
        in res.attrs["skipped"]


def test_empty_group_in_some_replicates_is_counted_not_hidden():
    sample = tier_sample((3, 20, 2), sizes=(4, 40, 60))
    with pytest.warns(BootstrapWarning, match="lost replicates"):
        res = bootstrap(sample, replicates=2000, seed=3, methods=["percentile"])
    assert res["replicates_used"].iloc[0] < 2000
    assert res[["low", "high"]].notna().all().all()


def test_probabilities_count_only_the_replicates_that_define_a_ratio():
    # every high performer says yes, 2 of 60 underperformers do: whenever the ratio exists it is > 1,
    # and about 13% of replicates draw no 'yes' underperformer at all (zero denominator)
    sample = tier_sample((4, 20, 2), sizes=(4, 40, 60))
    with pytest.warns(BootstrapWarning, match="lost replicates"):
        row = bootstrap(sample, replicates=2000, seed=5, methods=["percentile"]).iloc[0]
    assert 1500 < row["replicates_used"] < 2000
    assert row["share_above_1"] == 1.0


def test_too_few_replicates():
    sample = tier_sample((82, 233, 45))
    with pytest.raises(ValueError, match="replicates must be at least 40 for a 95% interval"):
        bootstrap(sample, replicates=20)
    with pytest.warns(BootstrapWarning, match="noisy below 1,000"):
        bootstrap(sample, replicates=200, seed=1, methods=["percentile"])


def test_ratio_of_exactly_one():
    sample = tier_sample((45, 207, 141), sizes=(90, 414, 282))  # 50% in every tier
    res = quiet(sample=sample, replicates=4000, seed=2).set_index("method")
    assert (res["estimate"] == 1.0).all()
    assert ((res["low"] < 1) & (res["high"] > 1)).all()
    # share of replicates above 1 of a symmetric-ish bootstrap distribution around 1: 4,000 replicates, SE < 0.01
    assert abs(res["share_above_1"].iloc[0] - 0.5) < 0.05


def test_constant_ratio_warns_and_has_zero_width():
    sample = tier_sample((90, 414, 282))  # everyone says yes
    with pytest.warns(BootstrapWarning, match="same ratio"):
        res = bootstrap(sample, replicates=1000, seed=1, methods=["percentile"])
    assert res[["low", "high"]].iloc[0].tolist() == [1.0, 1.0]


@pytest.mark.parametrize("bad, message", [
    (dict(methods=["jackknife"]), "methods must be some of"),
    (dict(confidence=1.5), "confidence must be between 0 and 1"),
    (dict(replicates=1000.0), "replicates must be a whole number"),
])
def test_bad_arguments(at_scale, bad, message):
    with pytest.raises(ValueError, match=message):
        bootstrap(at_scale, **{"replicates": 1000, **bad})


def test_bad_sample_columns(at_scale):
    broken = at_scale.assign(**{ITEM: at_scale[ITEM].replace(1, 2)})
    with pytest.raises(ValueError, match=f"sample column '{ITEM}' must hold only 0 and 1"):
        bootstrap(broken, replicates=1000)
    with pytest.raises(ValueError, match=r"column 'weight': row 1 \(header not counted\) is -1.0; weights must be positive"):
        bootstrap(at_scale.assign(weight=-1.0), replicates=1000)
    with pytest.raises(ValueError, match="no group column"):
        bootstrap(at_scale.drop(columns="group"), replicates=1000)


# -- weights --------------------------------------------------------------------------

def test_constant_weights_change_nothing(at_scale):
    plain = quiet(sample=at_scale, replicates=1000, seed=4)
    doubled = quiet(sample=at_scale.assign(weight=2.0), replicates=1000, seed=4)
    cols = ["estimate", "low", "high"]
    np.testing.assert_allclose(plain[cols], doubled[cols], rtol=1e-12)


def test_weights_move_the_estimate():
    sample = tier_sample((1, 1, 1), sizes=(2, 2, 2))
    sample = pd.concat([sample] * 30, ignore_index=True)
    # in the high tier the 'yes' answers weigh 3, the 'no' answers 1: weighted share 3/4, not 1/2
    w = np.where((sample["group"] == "high") & (sample[ITEM] == 1), 3.0, 1.0)
    res = quiet(sample=sample.assign(weight=w), replicates=1000, seed=1, methods=["katz"])
    assert res["estimate"].iloc[0] == pytest.approx(0.75 / 0.5)


def test_simultaneous_band_is_wider_than_each_interval():
    spec_items = ["excel_engage_at_scale", "lead_cx_initiatives", "focus_deeper_relationships"]
    parts = [tier_sample(c, item=i, seed=k) for k, (i, c) in
             enumerate(zip(spec_items, [(82, 233, 45), (81, 290, 130), (81, 319, 138)]))]
    sample = parts[0].assign(**{i: p[i].to_numpy() for i, p in zip(spec_items[1:], parts[1:])})
    res = quiet(sample=sample, replicates=4000, seed=1, methods=["percentile", "simultaneous"])
    wide = robustness_table(res).set_index("item")
    assert (wide["simultaneous_width"] > wide["percentile_width"]).all()


def test_svrepdesign_export(tmp_path, at_scale):
    rw = replicate_weights(len(at_scale), 3, seed=2, base=np.full(len(at_scale), 1.5))
    path = rw.to_csv(tmp_path / "reps.csv")
    back = pd.read_csv(path)
    assert back.columns.tolist() == ["respondent", "weight", "rep1", "rep2", "rep3"]
    np.testing.assert_allclose(back[["rep1", "rep2", "rep3"]].to_numpy(), (rw.counts * 1.5).T)
    assert [p.name for p in tmp_path.iterdir()] == ["reps.csv"]  # no temporary file left behind


# -- coverage -------------------------------------------------------------------------

def test_coverage_of_katz_is_near_nominal():
    rng = np.random.default_rng(0)
    pop = pd.DataFrame({"group": np.repeat(["high", "moderate", "under"], [11_000, 53_000, 36_000]),
                        ITEM: np.r_[rng.random(11_000) < .9, rng.random(53_000) < .55,
                                    rng.random(36_000) < .16].astype(np.int8)})
    res = coverage_study(pop, surveys=300, n=786, replicates=400, seed=5, methods=["katz", "percentile"])
    katz = res.overall.set_index("method").loc["katz", "coverage"]
    # 300 surveys: binomial SE of a 95% coverage is 0.0126; 3 SE either side
    assert abs(katz - 0.95) < 0.038
    truth = res.by_claim["truth"].iloc[0]
    assert truth == pytest.approx(pop.loc[pop.group == "high", ITEM].mean() / pop.loc[pop.group == "under", ITEM].mean())
    # same seed, same study
    again = coverage_study(pop, surveys=5, n=786, replicates=100, seed=5, methods=["katz"])
    assert again.by_claim.equals(coverage_study(pop, surveys=5, n=786, replicates=100, seed=5, methods=["katz"]).by_claim)


def test_a_spawned_seed_is_recorded_whole_and_replays(at_scale):
    child = np.random.SeedSequence(5).spawn(2)[1]
    res = quiet(sample=at_scale, replicates=1000, seed=child, methods=["percentile"])
    assert res.attrs["assumptions"]["seed"] == {"entropy": 5, "spawn_key": [1]}
    again = quiet(sample=at_scale, replicates=1000, seed=res.attrs["assumptions"]["seed"], methods=["percentile"])
    pd.testing.assert_frame_equal(res, again)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32), k=st.integers(1, 12), far=st.booleans())
def test_bisecting_both_ends_together_is_bisecting_each_alone(seed, k, far):
    # koopman_score bisects the lower and upper limits in one loop: each end must stop when it would alone
    from simsurvey.inference.analytic import _bisect

    rng = np.random.default_rng(seed)
    centre = rng.uniform(-30, 30, k) + (rng.choice([-60.0, 60.0], k) if far else 0)  # far: coarse float spacing
    roots = np.concatenate([centre - rng.uniform(0, 60, k), centre + rng.uniform(0, 60, k)])
    f = lambda t, r=roots: (t - r) * np.concatenate([-np.ones(k), np.ones(k)])  # falls below, rises above
    rising, end = np.repeat([False, True], k), np.repeat([0, 1], k)
    both = _bisect(f, np.concatenate([centre - 60, centre]), np.concatenate([centre, centre + 60]), rising=rising,
                   end=end, iterations=200)
    low = _bisect(lambda t: f(np.concatenate([t, t]))[:k], centre - 60, centre, rising=rising[:k],
                  end=end[:k], iterations=200)
    high = _bisect(lambda t: f(np.concatenate([t, t]))[k:], centre, centre + 60, rising=rising[k:],
                   end=end[:k], iterations=200)
    assert np.array_equal(both, np.concatenate([low, high]))
