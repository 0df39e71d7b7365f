"""The weighting experiments: their population models, what they find, and the CLI."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simsurvey.cli import main
from simsurvey.weighting.countries import country_mix_experiment
from simsurvey.weighting.experiments import employee_size_experiment, relevance_experiment
from simsurvey.weighting.population import COUNTRY_STYLE, SIZE_CLASSES, size_class, size_population
from simsurvey.weighting.simulate import sample_mix, size_model


def test_size_model_reproduces_the_printed_figures_in_the_population():
    m = size_model()
    assert m.population @ m.p_growing == pytest.approx(0.738095, abs=1e-6)  # resolve()'s inferred share
    pct = {"uses_crm": (41, 20), "uses_helpdesk": (30, 12), "uses_social_monitoring": (49, 28),
           "has_service_department": (52, 33)}
    for j, item in enumerate(m.claims["item"]):
        for g, share in enumerate((m.population * m.p_growing, m.population * (1 - m.p_growing))):
            assert share @ m.p_item[j, g] / share.sum() == pytest.approx(pct[item][g] / 100, abs=1e-12)
    assert (np.diff(m.p_growing) > 0).all()  # larger firms grow more often (growth_effect > 0)
    np.testing.assert_allclose(sample_mix(m, 0.0), m.population)


def test_size_population_default_and_override():
    p = size_population()
    assert list(p.index) == list(SIZE_CLASSES) and p.sum() == pytest.approx(1)
    assert p["2-4"] == pytest.approx(3_556_927 / 5_751_054)  # SUSB 2019 counts as reprinted
    with pytest.raises(ValueError, match="one count or share per size class"):
        size_population({"2-4": 1})
    assert list(size_class([2, 4, 5, 99, 100, 199])) == ["2-4", "2-4", "5-9", "20-99", "100-199", "100-199"]


@pytest.fixture(scope="module")
def sizes():
    return employee_size_experiment(tilts=[0.0, 1.0], surveys=40, replicates=150, seed=7)


def test_employee_size_experiment_weighting_removes_bias_at_a_price(sizes):
    at0, at1 = sizes[sizes["tilt"] == 0.0], sizes[sizes["tilt"] == 1.0]
    assert (at0["distance"] == 0).all() and (at1["distance"] > 0.4).all()
    assert (at0["deff"] < 1.1).all()  # a sample that already has the population's mix barely moves
    # far from the population the unweighted multipliers are pulled down (larger firms use every tool
    # more, so their growing-vs-stagnant gaps are smaller): a bias of -0.2 to -0.4 against a standard
    # error of about 0.05 over 40 surveys
    assert (at1["bias_unweighted"] < -0.1).all()
    # weighting buys back coverage of the true multiplier...
    assert at1["coverage_weighted"].mean() > at1["coverage_unweighted"].mean() + 0.1
    # ...at a price: Kish deff above 2, intervals more than twice as wide, the multiplier's variance many times
    assert (at1["deff"] > 2).all() and (at1["n_eff"] < 490 / 2).all()
    assert (at1["widening"] > 2).all() and (at1["deff_multiplier"] > 3).all()
    assert np.allclose(at1["shift"], at1["weighted"] - at1["unweighted"])


def test_employee_size_experiment_is_reproducible():
    a = employee_size_experiment(tilts=[0.5], surveys=3, replicates=50, seed=3)
    b = employee_size_experiment(tilts=[0.5], surveys=3, replicates=50, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["assumptions"]["seed"] == 3


def test_relevance_experiment_related_removes_bias_unrelated_only_adds_variance():
    t = relevance_experiment(tilt=1.0, surveys=40, replicates=150, seed=5).set_index(["weighting", "item"])
    none, size, region = (t.xs(w) for w in ("unweighted", "company size", "region"))
    # same surveys: weighting on company size shrinks the bias that comes from company size...
    assert size["bias"].abs().mean() < 0.5 * none["bias"].abs().mean()
    assert size["coverage"].mean() > none["coverage"].mean() + 0.1
    # ...weighting on region cannot: the bias stays (within noise) while the spread grows
    assert region["bias"].abs().mean() > 0.7 * none["bias"].abs().mean()
    assert (region["sd"] > none["sd"]).all() and (region["rmse"] > none["rmse"]).all()
    assert (region["deff_multiplier"] > 1.5).all() and (region["deff"] > 1.5).all()
    assert (none["deff"] == 1).all()


def test_country_mix_model_is_the_report_at_the_sample_mix():
    t = country_mix_experiment(replicates=100, seed=2)
    shares = t[t["quantity"] == "tier share"].set_index("subject")["as_published"]
    np.testing.assert_allclose(shares[["high", "moderate", "under"]], np.array([90, 415, 281]) / 786, atol=1e-9)
    lead = t.set_index("subject").loc["sos-smb-2016#8"]  # excel_engage_at_scale: 91% vs 16%
    assert lead["as_published"] == pytest.approx(91 / 16, rel=1e-9)
    # a US-heavy target raises the high tier (the US rates itself higher) and moves every multiplier
    assert t.set_index("subject").loc["high", "shift"] > 0
    assert (t.loc[t["quantity"] == "multiplier", "shift"].abs() > 0.01).all()
    assert t.loc[t["quantity"] == "multiplier", "deff_weighting"].median() > 1


def test_country_mix_with_target_equal_to_the_sample_mix_moves_nothing():
    equal = {c: 1 for c in COUNTRY_STYLE}
    t = country_mix_experiment(target=equal, replicates=50, seed=2)
    np.testing.assert_allclose(t["shift"], 0, atol=1e-12)
    with pytest.raises(ValueError, match="target: unknown countries 'Mars'"):
        country_mix_experiment(target={"Mars": 1}, replicates=50, seed=2)


def test_cli_experiment_weighting(capsys):
    assert main(["experiment", "weighting", "--scenario", "relevance", "--seed", "1", "--surveys", "2",
                 "--replicates", "20", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("weighting,related_to_outcome,claim_id,item")
    assert len(out) == 1 + 3 * 4
    assert main(["experiment", "weighting", "--scenario", "employee-size", "--surveys", "1", "--seed", "1"]) == 2
    assert "--surveys must be at least 2" in capsys.readouterr().err
