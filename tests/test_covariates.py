"""Company size and country: defaults, overrides, association with the tier."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from simsurvey import generate
from simsurvey.synth.covariates import country_table, draw_employees, employee_distribution


def test_default_employee_distribution_is_the_size_biased_zipf_law():
    sizes, probs, text = employee_distribution(1, 100)
    assert sizes[0] == 1 and sizes[-1] == 100 and probs.sum() == pytest.approx(1)
    # P(s) ~ s^-1.06: one-person firms are 2^1.06 times as common as two-person ones
    assert probs[0] / probs[1] == pytest.approx(2 ** 1.06)
    assert "1.06" in text
    assert employee_distribution(2, 199)[0][[0, -1]].tolist() == [2, 199]
    uniform = employee_distribution(1, 4, 0)[1]
    assert uniform.tolist() == [0.25] * 4


def test_employee_overrides_and_errors():
    sizes, probs, _ = employee_distribution(1, 100, {10: 1, 50: 3})
    assert sizes.tolist() == [10, 50] and probs.tolist() == [0.25, 0.75]
    with pytest.raises(ValueError, match="employees: sizes must be within the survey's range 1-100"):
        employee_distribution(1, 100, {500: 1})
    with pytest.raises(ValueError, match="employees must be None, an exponent or a mapping"):
        employee_distribution(1, 100, "big")
    with pytest.raises(ValueError, match="employees: the survey publishes no range"):
        employee_distribution(None, None)


def test_generated_covariates():
    df = generate("sos-smb-2016", seed=3)
    assert df["employees"].between(1, 100).all() and df["employees"].dtype == np.int32
    countries = ["United States", "Canada", "United Kingdom/Ireland", "France", "Germany", "Netherlands",
                 "Japan", "Australia/New Zealand"]
    assert list(df["country"].cat.categories) == countries
    assert generate("smb-trends-2017", seed=3)["employees"].between(2, 199).all()
    cc = generate("connected-customer-2018", seed=3)
    assert "employees" not in cc and cc["country"].cat.categories.size == 14
    a = cc.attrs["assumptions"]
    assert a["employees"].startswith("left out") and a["country"] == "equal shares"


def test_country_overrides():
    df = generate("sos-smb-2016", seed=3, country={"Japan": 1})
    assert (df["country"] == "Japan").all()
    per_group = {"high": {"Japan": 1}, "moderate": {"France": 1}, "under": {"France": 1}}
    df = generate("sos-smb-2016", seed=3, country=per_group)
    assert ((df["group"] == "high") == (df["country"] == "Japan")).all()
    with pytest.raises(ValueError, match="country: 'Mars' not among the survey's countries"):
        generate("sos-smb-2016", seed=3, country={"Mars": 1})
    with pytest.raises(ValueError, match="country: a per-group mapping needs every group"):
        generate("sos-smb-2016", seed=3, country={"high": {"Japan": 1}})
    assert "country" not in generate("sos-smb-2016", seed=3, country=False)
    names, table, _ = country_table([], ["a"], {"X": 1, "Y": 3})
    assert names == ["X", "Y"] and table.tolist() == [[0.25, 0.75]]


def test_employees_tied_to_the_tier():
    df = generate("sos-smb-2016", n=20_000, seed=3, employees_tier_rho=0.5)
    tier_rank = df["group"].cat.codes  # 0 = high
    rho_s = stats.spearmanr(-tier_rank, df["employees"]).statistic
    # a copula correlation of 0.5 with the trait; the tier is a coarsened trait, size a skewed
    # discrete margin, so the rank correlation is lower but clearly positive (0 without the tie)
    assert rho_s > 0.25
    free = generate("sos-smb-2016", n=20_000, seed=3)
    # independent: |spearman| below 4 sd (sd 1/sqrt(n) = 0.007)
    assert abs(stats.spearmanr(-free["group"].cat.codes, free["employees"]).statistic) < 0.03
    with pytest.raises(ValueError, match=r"employees_tier_rho must be a number in \(-1, 1\)"):
        generate("sos-smb-2016", seed=3, employees_tier_rho=1.0)


def test_draw_employees_margin():
    sizes, probs, _ = employee_distribution(1, 100)
    out = draw_employees(np.random.default_rng(0), sizes, probs, 200_000)
    share_one = (out == 1).mean()
    # binomial sd at n=200k is about 0.001; 0.005 is 5 sd
    assert share_one == pytest.approx(probs[0], abs=0.005)
