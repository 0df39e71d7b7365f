"""One-factor threshold model: bivariate normal CDF, tier probabilities, maximum likelihood fit."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy import integrate
from scipy.special import ndtr, xlogy

from simsurvey import fit_latent
from simsurvey.synth.latent import _fit_question, bvn_cdf, group_cuts, tier_probabilities


def _bvn_by_quadrature(h, k, rho):
    s = np.sqrt(1 - rho * rho)
    return integrate.quad(lambda x: np.exp(-x * x / 2) / np.sqrt(2 * np.pi) * ndtr((k - rho * x) / s),
                          -np.inf, h, epsabs=1e-14, epsrel=1e-13, limit=200)[0]


@pytest.mark.parametrize("h", [-2.5, -0.4, 0.0, 1e-9, 1.3])
@pytest.mark.parametrize("k", [-1.0, 0.0, 0.7, 3.0])
@pytest.mark.parametrize("rho", [-0.95, -0.3, 0.0, 0.5, 0.99])
def test_bvn_cdf_matches_quadrature(h, k, rho):
    assert float(bvn_cdf(h, k, rho)) == pytest.approx(_bvn_by_quadrature(h, k, rho), abs=1e-12)


def test_bvn_cdf_closed_forms():
    # P(X <= 0, Y <= 0) = 1/4 + arcsin(rho) / (2 pi)
    assert float(bvn_cdf(0, 0, 0.3)) == pytest.approx(0.25 + np.arcsin(0.3) / (2 * np.pi), abs=1e-15)
    assert float(bvn_cdf(np.inf, 0.5, 0.4)) == pytest.approx(ndtr(0.5))
    assert float(bvn_cdf(-np.inf, 0.5, 0.4)) == 0.0
    assert float(bvn_cdf(1.0, -2.0, 0.0)) == pytest.approx(ndtr(1.0) * ndtr(-2.0))


def test_tier_probabilities():
    cuts = group_cuts([11, 53, 36])
    assert cuts[1] == pytest.approx(1.2265, abs=1e-4)  # Phi^-1(0.89)
    # without a loading every group answers like everyone
    assert tier_probabilities(0.0, [0.5], cuts)[:, 0] == pytest.approx([1 - ndtr(0.5)] * 3)
    p = tier_probabilities(0.6, [0.2, -0.8], cuts)
    assert p.sum(axis=1) == pytest.approx([1, 1, 1])
    assert np.all(np.diff(p[:, 0]) < 0)  # a positive loading: higher tiers answer the top more often
    # mixing the groups back gives the marginal P(z > 0.2)
    assert float((p[:, 0] * [0.11, 0.53, 0.36]).sum()) == pytest.approx(1 - ndtr(0.2), abs=1e-12)


def _expected_counts(loading, thresholds, sizes):
    return tier_probabilities(loading, thresholds, group_cuts(sizes)) * np.asarray(sizes, float)[:, None]


@pytest.mark.parametrize("loading, thresholds", [(0.6, [0.2]), (-0.4, [-0.5]), (0.35, [-0.2, -1.4])])
def test_fit_recovers_parameters_from_model_counts(loading, thresholds):
    sizes = [90, 415, 281]
    counts = _expected_counts(loading, thresholds, sizes)
    res = _fit_question(counts, group_cuts(sizes))
    assert res["loading"] == pytest.approx(loading, abs=1e-4)
    assert res["thresholds"] == pytest.approx(thresholds, abs=1e-4)
    assert res["g2"] == pytest.approx(0, abs=1e-6)
    assert res["df"] == 3 * (len(thresholds)) - (len(thresholds) + 1)


def test_standard_errors_are_the_inverse_fisher_information():
    sizes, loading, thresholds = [90, 415, 281], 0.5, [-0.1]
    cuts = group_cuts(sizes)
    counts = _expected_counts(loading, thresholds, sizes)
    res = _fit_question(counts, cuts)
    # expected information from first derivatives only: sum_g N_g sum_c dp dp' / p
    eps = 1e-6
    x0 = np.array([loading, *thresholds])

    def probs(x):
        return tier_probabilities(x[0], x[1:], cuts)

    grads = [(probs(x0 + eps * e) - probs(x0 - eps * e)) / (2 * eps) for e in np.eye(2)]
    p = probs(x0)
    info = np.array([[float((np.asarray(sizes)[:, None] * a * b / p).sum()) for b in grads] for a in grads])
    assert res["se"] == pytest.approx(np.sqrt(np.diag(np.linalg.inv(info))), rel=1e-3)
    # four times the respondents, half the standard error
    res4 = _fit_question(4 * counts, cuts)
    assert np.array(res4["se"]) / np.array(res["se"]) == pytest.approx([0.5, 0.5], rel=1e-3)


def test_boundary_loading_is_flagged():
    # everyone in the top group says yes, nobody elsewhere: the loading runs to the bound
    counts = np.array([[90, 0], [0, 415], [0, 281]], dtype=float)
    res = _fit_question(counts, group_cuts([90, 415, 281]))
    assert res["at_boundary"] and np.isnan(res["se"]).all()
    assert res["loading"] == pytest.approx(np.tanh(4), abs=1e-3)


def test_fit_latent_sos():
    fit = fit_latent("sos-smb-2016")
    assert fit.groups == ("high", "moderate", "under") and fit.sizes.tolist() == [90, 415, 281]
    t = fit.table.set_index(["item", "parameter"])
    assert set(fit.table.columns) == {"item", "parameter", "estimate", "std_error", "g2", "df", "p_value",
                                      "at_boundary"}
    assert t.loc[("budget_past", "threshold_2"), "df"] == 3  # 3 groups x 2 free shares - 3 parameters
    assert t.loc[("excel_engage_at_scale", "loading"), "estimate"] == pytest.approx(0.679, abs=1e-3)
    assert (t.xs("loading", level="parameter")["estimate"] > 0).all()  # high performers say yes more often
    assert not fit.table["at_boundary"].any() and fit.table["std_error"].notna().all()
    # G2 recomputed from the fitted percentages and the implied counts of one item
    pred = fit.predicted.query("item == 'excel_engage_at_scale'")
    k = np.array([82, 232, 45])  # the counts behind 91/56/16% of 90/415/281 (91.1%, 55.9%, 16.0%)
    n = fit.sizes
    p = pred["fitted"].to_numpy() / 100
    g2 = 2 * (xlogy(k, k / (n * p)) + xlogy(n - k, (n - k) / (n * (1 - p)))).sum()
    assert t.loc[("excel_engage_at_scale", "loading"), "g2"] == pytest.approx(g2, rel=1e-6)
    assert "tech_plan_chatbots" in fit.unfitted and fit.params["tech_plan_chatbots"][0] == 0.0
    # the one-factor model fits worst where the high tier stands out most (71 vs 41 and 35):
    # a single trait cannot make the top slice jump while the other two stay close
    worst = fit.table.drop_duplicates("item").sort_values("g2").iloc[-1]
    assert worst["item"] == "intelligence_2" and worst["p_value"] < 0.01
    miss = fit.predicted.assign(d=lambda x: (x["fitted"] - x["published"]).abs()).set_index(["item", "group"])
    assert miss["d"].idxmax() == ("intelligence_2", "high") and miss["d"].max() == pytest.approx(10.8, abs=0.1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fit.survey = "x"


def test_fit_latent_two_groups_is_saturated():
    fit = fit_latent("smb-trends-2017")
    assert (fit.table["df"] == 0).all() and fit.table["p_value"].isna().all()
    assert fit.table["g2"].max() < 1e-4
    fitted = fit.predicted.set_index(["item", "group"])
    assert fitted.loc[("uses_crm", "growing"), "fitted"] == pytest.approx(41, abs=0.2)


def test_fit_latent_needs_n():
    with pytest.raises(ValueError, match="n must be a positive whole number"):
        fit_latent("sos-smb-2016", n=0)
    with pytest.raises(ValueError, match="n: survey 'connected-customer-2016' publishes no n"):
        fit_latent("connected-customer-2016")
