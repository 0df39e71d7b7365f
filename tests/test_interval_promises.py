"""What the bootstrap table's columns promise: every claim and method a row, intervals a ratio can have,
yes/no columns that mean what they say, nothing skipped in silence, attrs that survive pandas."""
from __future__ import annotations

import dataclasses
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from simsurvey.catalog.spec import survey_spec
from simsurvey.cli import main
from simsurvey.inference.resampling import METHODS, BootstrapWarning, SkippedClaimWarning, bootstrap

ITEM = "excel_engage_at_scale"
GROWTH = ("tech_plan_chatbots", "tech_current_chatbots")  # an anticipated-growth claim: plan / current, in 'all'


def two_items(high, under, plan, current, sizes=(30, 40, 60), seed=0):
    """Positives per group for ITEM (``high``, ``under``; moderate half) and plan/current answers for GROWTH."""
    rng = np.random.default_rng(seed)
    groups = np.repeat(["high", "moderate", "under"], sizes)
    n = len(groups)

    def ones(k, size):
        v = np.zeros(size, dtype=np.int8)
        v[:k] = 1
        return rng.permutation(v)

    item = np.concatenate([ones(high, sizes[0]), ones(sizes[1] // 2, sizes[1]), ones(under, sizes[2])])
    return pd.DataFrame({"group": groups, ITEM: item, GROWTH[0]: ones(plan, n), GROWTH[1]: ones(current, n)})


def run(sample, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BootstrapWarning)
        return bootstrap(sample, **{"replicates": 400, "seed": 1, **kwargs})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(high=st.integers(0, 30), under=st.integers(1, 60), plan=st.integers(0, 130), current=st.integers(1, 130))
def test_every_row_keeps_its_promises(high, under, plan, current):
    res = run(two_items(high, under, plan, current))
    # every estimable claim has a row for every method: an interval or NaN with a reason
    assert len(res) == res["claim_id"].nunique() * len(METHODS)
    assert all(list(m) == list(METHODS) for _, m in res.groupby("claim_id", sort=False)["method"])
    has = res["low"].notna() & res["high"].notna()
    assert ((res["reason"] == "") == has).all(), res.loc[(res["reason"] == "") != has, ["method", "reason"]]
    # a ratio's interval never has a negative end
    assert (res.loc[has, "low"] >= 0).all() and (res.loc[has, "high"] >= res.loc[has, "low"]).all()
    # excludes_1 means: wholly above or wholly below 1; NA without an interval
    expect = (res["low"] > 1) | (res["high"] < 1)
    assert (res.loc[has, "excludes_1"] == expect[has]).all() and res.loc[~has, "excludes_1"].isna().all()
    printed = np.where(res["direction"] == "less", 1 / res["printed"], res["printed"])
    inside = (res["low"] <= printed) & (printed <= res["high"])
    assert (res.loc[has, "printed_inside"] == inside[has]).all() and res.loc[~has, "printed_inside"].isna().all()
    assert res["share_above_1"].between(0, 1).all()


def test_an_interval_wholly_below_1_excludes_1():
    # anticipated growth 13/130 over 65/130 = 0.2: every interval lies far below 1
    res = run(two_items(27, 12, 13, 65), methods=["percentile", "basic", "simultaneous"])
    growth = res[res["item"] == GROWTH[0]]
    assert (growth["high"] < 0.5).all() and growth["excludes_1"].all()


def test_basic_interval_is_never_negative():
    # 3 of 30 against 2 of 60: a ratio of 3 whose bootstrap distribution has a long right tail; the
    # arithmetic basic interval 2t - q(0.975) goes below 0 here, the log-scale one cannot
    res = run(two_items(3, 2, 13, 65), methods=["basic", "percentile"], replicates=2000).set_index(["item", "method"])
    basic, pct = res.loc[(ITEM, "basic")], res.loc[(ITEM, "percentile")]
    assert 2 * basic["estimate"] - pct["high"] < 0  # what the arithmetic basic interval would have given
    assert basic["low"] > 0
    assert basic["low"] * pct["high"] == pytest.approx(basic["estimate"] ** 2)  # exp(2 log t - log q)


def test_no_interval_is_a_row_with_a_reason():
    # nobody in the high tier says yes: the ratio is 0, which has no log and no Katz variance
    res = run(two_items(0, 10, 13, 65)).set_index(["item", "method"])
    for method, words in (("katz", "zero count"), ("simultaneous", "ratio is 0"), ("basic", "estimate is 0")):
        row = res.loc[(ITEM, method)]
        assert np.isnan(row["low"]) and np.isnan(row["high"]) and words in row["reason"], (method, row["reason"])
    # and an anticipated-growth claim is no pair of independent groups
    assert "two independent groups" in res.loc[(GROWTH[0], "koopman"), "reason"]
    assert res.loc[(ITEM, "koopman"), "low"] == 0.0  # the score interval exists: it starts at 0


def test_share_in_order_uses_the_order_the_report_prints():
    spec = survey_spec("sos-smb-2016")
    f = spec.figures.copy()
    # a report whose printed figures for the item put the moderate tier first: 50 / 60 / 20
    pct = {"high": 50.0, "moderate": 60.0, "under": 20.0}
    mine = f["item"] == ITEM
    f.loc[mine, "pct"] = f.loc[mine, "group"].map(pct).fillna(f.loc[mine, "pct"])
    claims = spec.claims[spec.claims["claim_id"] == "sos-smb-2016#8"].assign(printed=2.5)
    spec = dataclasses.replace(spec, figures=f, claims=claims)
    sample = pd.DataFrame({"group": np.repeat(["high", "moderate", "under"], [100, 100, 100]),
                           ITEM: np.r_[np.arange(100) < 50, np.arange(100) < 60, np.arange(100) < 20].astype(int)})
    row = run(sample, survey=spec, methods=["percentile"], replicates=2000).iloc[0]
    # 50 vs 60 of 100 each: moderate above high in roughly nine replicates of ten (z = 1.4)
    assert 0.8 < row["share_in_order"] < 0.97
    # the shipped order (91 / 56 / 16) gives no order where the figures tie
    f.loc[mine, "pct"] = f.loc[mine, "group"].map({"high": 50.0, "moderate": 50.0, "under": 20.0})
    tie = run(sample, survey=dataclasses.replace(spec, figures=f), methods=["percentile"]).iloc[0]
    assert np.isnan(tie["share_in_order"])


# -- nothing disappears silently ----------------------------------------------------------------------

def test_skipped_claims_are_warned_and_listed():
    sample = two_items(27, 12, 13, 65)
    with pytest.warns(SkippedClaimWarning, match=r"no percentages published: sos-smb-2016#18, sos-smb-2016#24, "
                                                 r"sos-smb-2016#29"):
        res = bootstrap(sample, replicates=400, seed=1, methods=["percentile"])
    skipped = {r["claim_id"]: r["reason"] for r in res.attrs["skipped"]}
    spec = survey_spec("sos-smb-2016")
    # every claim is either in the table or in attrs["skipped"], never both, never neither
    assert set(skipped) | set(res["claim_id"]) == set(spec.claims["claim_id"])
    assert not set(skipped) & set(res["claim_id"])
    assert skipped["sos-smb-2016#9"] == "repeats the chart's claim 'sos-smb-2016#8' (same multiplier): its rows stand for both"


def test_unknown_group_labels_are_an_error_listing_both():
    sample = two_items(27, 12, 13, 65)
    sample["group"] = sample["group"].str.capitalize()
    with pytest.raises(ValueError, match=r"label\(s\) 'High', 'Moderate', 'Under' that are no group of survey "
                                         r"'sos-smb-2016': found .*; expected 'high', 'moderate', 'under'"):
        bootstrap(sample, replicates=400, seed=1)
    coded = two_items(27, 12, 13, 65).assign(group=lambda d: d["group"].map({"high": 1, "moderate": 2, "under": 3}))
    with pytest.raises(ValueError, match="label\\(s\\) '1', '2', '3'"):
        bootstrap(coded, replicates=400, seed=1)


def test_a_missing_group_is_an_error_not_half_used():
    sample = two_items(27, 12, 13, 65)
    sample.loc[[4, 7], "group"] = None
    with pytest.raises(ValueError, match=r"'group' is empty for 2 respondent\(s\) \(rows 5, 8, header not counted\)"):
        bootstrap(sample, replicates=400, seed=1)


def test_a_group_without_respondents_is_named(capsys, tmp_path):
    sample = two_items(27, 12, 13, 65)
    sample = sample[sample["group"] != "under"]
    with pytest.warns(SkippedClaimWarning, match=r"group has no respondents: sos-smb-2016#8 'under'"):
        bootstrap(sample, replicates=400, seed=1, methods=["percentile"])
    path = tmp_path / "s.csv"
    sample.to_csv(path, index=False)
    argv = ["bootstrap", "--sample", str(path), "--seed", "1", "--replicates", "1000", "--methods", "percentile"]
    code = main([*argv, "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "claim(s) skipped:\n" in err and "  sos-smb-2016#8 excel_engage_at_scale: group 'under' has no respondents\n" in err
    assert "SkippedClaimWarning" not in err  # the footer says it once, in plain words
    assert main(argv) == 0  # the readable table names them in its own footer
    out, err = capsys.readouterr()
    assert "skipped #8 (excel_engage_at_scale): group 'under' has no respondents" in out and "skipped" not in err


# -- results survive pandas ---------------------------------------------------------------------------

def test_attrs_are_plain_values_and_survive_concat():
    res = run(two_items(27, 12, 13, 65), methods=["percentile", "katz"])
    both = pd.concat([res.iloc[:2], res.iloc[2:]])
    pd.testing.assert_frame_equal(both, res)
    assert both.attrs == res.attrs
    json.dumps(res.attrs)  # plain: no DataFrame, no numpy scalar, no SeedSequence
    assert res.copy().attrs == res.attrs


# -- the simultaneous band ----------------------------------------------------------------------------

def three_items(seed=0):
    rng = np.random.default_rng(seed)
    groups = np.repeat(["high", "moderate", "under"], [90, 415, 281])
    probs = {"excel_engage_at_scale": (0.91, 0.56, 0.16), "lead_cx_initiatives": (0.9, 0.7, 0.46),
             "focus_deeper_relationships": (0.9, 0.77, 0.49)}
    return pd.DataFrame({"group": groups, **{
        item: (rng.random(len(groups)) < np.select([groups == g for g in ("high", "moderate", "under")], p))
        .astype(np.int8) for item, p in probs.items()}})


def test_simultaneous_band_holds_the_whole_family_in_its_share_of_replicates():
    """Its exact guarantee: every claim's replicate ratio inside the band at once in 95% of replicates."""
    from simsurvey.inference.cells import sample_cells
    from simsurvey.inference.resampling import sample_replicates, _replicated

    sample = three_items()
    res = run(sample, methods=["simultaneous"], replicates=4000, seed=3).set_index("claim_id")
    design, _ = sample_cells(sample, survey_spec("sos-smb-2016"), "group")
    reps = sample_replicates(sample, 4000, np.random.SeedSequence(3))
    ratios, _, _, _ = _replicated(reps, design, np.ones(len(design.claims)), progress=False)
    band = res.loc[design.claims["claim_id"]]
    inside = ((ratios >= band["low"].to_numpy()) & (ratios <= band["high"].to_numpy())).all(axis=1)
    assert abs(inside.mean() - 0.95) <= 1 / 4000  # the quantile's own rounding: one replicate


def test_simultaneous_band_family_wise_coverage():
    from simsurvey.inference.coverage import coverage_study

    rng = np.random.default_rng(11)
    parts = [three_items(seed=k) for k in range(60)]  # a population of 47,160 from the same tiers
    pop = pd.concat(parts, ignore_index=True)
    cov = coverage_study(pop, surveys=100, n=786, replicates=500, seed=int(rng.integers(1000)),
                         methods=["simultaneous"], progress=False)
    family = cov.overall.set_index("method").loc["simultaneous", "all_claims_covered"]
    # stated guarantee: nominal asymptotically, conservative in practice. 100 surveys: SE of a 0.95
    # share is 0.022, so the lower bound 0.95 - 3 SE is 0.885
    assert cov.overall.loc[0, "claims"] == 3 and family >= 0.885


def test_printed_inside_uses_the_re_paired_multiplier():
    """On a scrambled chart, printed_inside must compare the multiplier the resolved survey pairs with the item."""
    import simsurvey as ss
    from simsurvey.forensics.resolve import resolve

    resolved = resolve("sos-smb-2016")
    spec = resolved.claim_spec()
    sample = ss.generate(spec, seed=1)
    res = run(sample, survey=spec, methods=["percentile"], replicates=2000).set_index("claim_id")
    repaired = resolved.claims[resolved.claims["pairing"] == "re-paired"].set_index("claim_id")
    moved = repaired[repaired["printed"] != repaired["printed_positional"]]
    assert len(moved) >= 2  # e.g. 4.2x belongs to agents_comprehensive_views, not the 2.0x printed there
    assert (res.loc[repaired.index, "printed"] == repaired["printed"]).all()
    # the exact-mode sample reproduces the printed percentages, so each re-paired multiplier lies inside
    assert res.loc[repaired.index, "printed_inside"].all()
