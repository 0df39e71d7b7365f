"""The interval after weighting in the critique: the right target, the right size, the same for any worker count."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import simsurvey as ss
from simsurvey.cli import main
from simsurvey.report.critique import critique
from simsurvey.report.weighting import PANEL_EXPONENTS, NoWeighting, weighting_plan
from simsurvey.synth.covariates import employee_distribution


@pytest.fixture(scope="module")
def smb():
    return critique(seed=7, quick=True, progress=False)


def _kish_expected(plan, exponent) -> float:
    """Kish's design effect of proportional weights p_k / q_k: sum p_k^2 / q_k (panel mix q, population p)."""
    sizes, probs, _ = employee_distribution(plan.low, plan.high, exponent)
    q = np.array([probs[(sizes >= lo) & (sizes <= hi)].sum() for lo, hi in plan.bounds])
    p = np.array(list(plan.targets.values()))
    return float((p ** 2 / q).sum())


def test_the_size_classes_are_susb_classes_cut_to_the_survey_range():
    cat = ss.load_catalog()
    sos, harris = weighting_plan(cat, "sos-smb-2016"), weighting_plan(cat, "smb-trends-2017")
    assert sos.labels == ["1-4", "5-9", "10-19", "20-100"] and not sos.own
    assert harris.labels == ["2-4", "5-9", "10-19", "20-99", "100-199"] and harris.own
    # SUSB 2019 firm counts: 3,556,927 in 0-4 of 5,658,895 in 0-99 (the SMB panel's 1-100 drops 100-499)
    assert sos.targets["1-4"] == pytest.approx(3_556_927 / 5_658_895, abs=1e-12)
    assert sum(harris.targets.values()) == pytest.approx(1.0, abs=1e-12)
    assert list(sos.classes([1, 4, 5, 19, 20, 100])) == ["1-4", "1-4", "5-9", "10-19", "20-100", "20-100"]


def test_a_survey_without_a_target_says_why_in_every_row_and_the_methods():
    cat = ss.load_catalog()
    assert isinstance(weighting_plan(cat, "connected-customer-2018"), NoWeighting)
    c = critique("connected-customer-2018", seed=7, quick=True, progress=False)
    methods = c.methods.set_index("parameter")
    assert methods.at["weighting", "value"] == "none"
    assert methods.at["weighting", "source"].startswith("the catalogue gives no company-size range")
    assert any(s.startswith("No weighted interval: the catalogue gives no company-size range") for s in c.summary)
    assert "No weighted interval" in c.weighting["text"]


def test_every_claim_with_an_interval_has_a_weighted_one(smb):
    v = smb.verdicts
    has = v["srs_low"].notna()
    assert has.sum() == len(v) and v.loc[has, ["weighted_low", "weighted_high", "kish_deff"]].notna().all().all()
    assert (v["weighting"] == "company size to US firms (SUSB 2019): plausible; the survey was not weighted").all()
    # centred on the estimate: every weighted interval holds it
    assert ((v["weighted_low"] < v["estimate"]) & (v["estimate"] < v["weighted_high"])).all()
    assert (v["kish_n_eff"] * v["kish_deff"]).round(6).eq(786).all()


def test_kish_design_effect_and_widening_match_the_theory(smb):
    """Sizes are drawn independently of the answers, so Kish's design effect is the variance inflation.

    With weights unrelated to the outcome a multiplier's variance grows by Kish's deff, so its interval
    (on the log scale) widens by sqrt(deff); and the expected deff of proportional weights is
    sum(p^2 / q) for the panel mix q and the population mix p. Tolerances: 5% for deff (the class shares
    of 786 respondents vary by 1-2 points per draw, median of 4 draws) and 6% for the widening (percentile
    ends of 1,000 replicates carry about 3% Monte Carlo error each; median over the claims).
    """
    plan = weighting_plan(ss.load_catalog(), "sos-smb-2016")
    panels = smb.tables["weighting_panels"].set_index("panel_exponent")
    assert list(panels.index) == list(PANEL_EXPONENTS)
    for a in PANEL_EXPONENTS:
        expected = _kish_expected(plan, a)
        assert panels.at[a, "kish_deff"] == pytest.approx(expected, rel=0.05)
        assert panels.at[a, "median widening"] == pytest.approx(np.sqrt(panels.at[a, "kish_deff"]), rel=0.06)
    assert _kish_expected(plan, 1.06) == pytest.approx(1.218, abs=1e-3)
    # the panel further from the population costs more
    assert panels["kish_deff"].is_monotonic_decreasing and panels["median widening"].is_monotonic_decreasing


def test_the_verdict_sentence_mentions_weighting_only_when_it_changes_the_reading(smb):
    # the SMB panel: Kish deff 1.2, intervals about 10% wider: below the 25% that changes the reading
    assert not smb.verdicts["verdict"].str.contains("weighting").any()
    harris = critique("smb-trends-2017", seed=7, quick=True, progress=False)
    v = harris.verdicts
    assert (v["weighting"] == "company size to US firms (SUSB 2019): the survey's own weighting, reconstructed").all()
    assert v["kish_deff"].iloc[0] == pytest.approx(1.819, rel=0.08)  # sum p^2/q; 490 respondents, 4 draws
    row = v.set_index("claim_id").loc["smb-trends-2017#1"]
    clause = (f"with the survey's own weighting by firm size (reconstructed) the data fit "
              f"{row['weighted_low']:.2f}x to {row['weighted_high']:.2f}x")
    assert clause in row["verdict"]
    assert row["weighted_low"] < row["srs_low"] and row["weighted_high"] > row["srs_high"]


def test_methods_state_the_weighting_assumptions(smb):
    m = smb.methods.set_index("parameter")
    assert m.at["weighting population", "value"].startswith("1-4 employees 62.9% / 5-9 employees 17.0%")
    assert "Statistics of U.S. Businesses 2019" in m.at["weighting population", "source"]
    assert m.at["weighting trimming", "value"].startswith("none")
    assert "4 times for each panel mix" in m.at["panel company sizes", "value"]  # --quick: 4 draws


def test_workers_give_byte_identical_files(tmp_path):
    """One named child seed per draw and one BLAS thread everywhere: 1 or 2 worker processes, same bytes."""
    one, two = tmp_path / "one", tmp_path / "two"
    argv = ["critique", "--survey", "smb-trends-2017", "--quick", "--seed", "3"]
    assert main(argv + ["--out", str(one), "--workers", "1"]) == 0
    assert main(argv + ["--out", str(two), "--workers", "2"]) == 0
    csvs = sorted(p.name for p in one.glob("*.csv"))
    assert "weighting.csv" in csvs and "verdicts.csv" in csvs
    for name in csvs:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_workers_flag_rejects_what_is_not_a_positive_whole_number(capsys):
    with pytest.raises(SystemExit):
        main(["critique", "--workers", "0"])
    assert "argument --workers: must be a positive whole number, got '0'" in capsys.readouterr().err
