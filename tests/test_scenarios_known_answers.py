"""Scenarios with known answers: each mechanism switched off (or pushed to its pure form) gives what theory says."""
import numpy as np
import pandas as pd
import pytest

from simsurvey.scenarios.halo import draw_halo, halo_cell, halo_population, halo_share_table
from simsurvey.scenarios.misclassification import draw_misclassified, misclassification_cell, tier_from_codes
from simsurvey.scenarios.selection import draw_selected, item_score_moments, poststratify, selection_cell
from simsurvey.scenarios.world import draw_latent, latent_world
from simsurvey.synth.tiering import OVERALL_SERVICE, VS_COMPETITION, tier_from_ratings


@pytest.fixture(scope="module")
def world():
    return latent_world("sos-smb-2016")


def test_population_multipliers_match_a_large_draw(world):
    _, tier, y = draw_latent(world, 400_000, np.random.default_rng(3))
    drawn = y[tier == 0].mean(axis=0) / y[tier == 2].mean(axis=0)
    # 44,000 high and 143,000 under performers: the relative SE of a ratio is below 1.5%
    np.testing.assert_allclose(drawn, world.truth, rtol=0.05)


def test_no_selection_gives_no_bias(world):
    # at strength 0 the opt-in sample is a simple random sample: the within-tier percentages are unbiased,
    # so their means over 100 samples of 10,000 sit within 4 Monte Carlo SEs of the population values
    runs = [selection_cell(world, 0.0, seed=s, n=10_000, replicates=0) for s in range(100)]
    est = np.stack([r["pct_numerator"].to_numpy() for r in runs])
    pop = world.population()["pct_numerator"].to_numpy()
    se = est.std(axis=0, ddof=1) / np.sqrt(len(runs))
    assert np.all(np.abs(est.mean(axis=0) - pop) < 4 * se + 1e-9)
    ratio = np.stack([r["estimate"].to_numpy() for r in runs]).mean(axis=0)
    # the ratio of two unbiased shares is biased by about var(p_den) / p_den**2 < 0.2% at n = 10,000,
    # and the mean of 100 ratios has a Monte Carlo SE below 0.5%
    np.testing.assert_allclose(ratio, world.truth, rtol=0.02)


def test_selection_on_performance_biases_and_size_weighting_fixes_selection_on_size(world):
    strong = pd.concat([selection_cell(world, 1.5, seed=s, n=5_000, replicates=0) for s in range(20)])
    bias = strong.groupby("claim_id", sort=False)["estimate"].mean().to_numpy() - world.truth
    assert np.mean(bias) < -0.05  # selecting good performers narrows the tier gap: multipliers shrink
    raw, weighted = (pd.concat([selection_cell(world, 2.0, seed=s, n=5_000, replicates=0, on="size",
                                               weighting=w) for s in range(20)]) for w in ("none", "poststratify"))
    err = [np.abs(t.groupby("claim_id", sort=False)["estimate"].mean().to_numpy() - world.truth).mean()
           for t in (raw, weighted)]
    assert err[1] < err[0]


def test_participation_follows_the_logistic_model(world):
    tier, _, size = draw_selected(world, 50_000, np.random.default_rng(0), strength=0.0)
    # without selection the tiers keep the population shares (90/415/281 of 786) within 4 binomial SEs
    share = np.bincount(tier) / tier.size
    assert np.all(np.abs(share - world.shares) < 4 * np.sqrt(world.shares * (1 - world.shares) / tier.size))
    assert np.all(np.abs(np.bincount(size) / size.size - 0.25) < 0.01)


def test_item_score_moments_are_exact(world):
    mean, sd = item_score_moments(world)
    _, _, y = draw_latent(world, 200_000, np.random.default_rng(5))
    k = y[:, world.claims.drop_duplicates("item").index].sum(axis=1)
    assert k.mean() == pytest.approx(mean, abs=0.05) and k.std() == pytest.approx(sd, rel=0.01)


def test_poststratify_hits_the_targets():
    classes = np.random.default_rng(0).integers(0, 4, 1000)
    w = poststratify(classes, [0.1, 0.2, 0.3, 0.4])
    assert np.bincount(classes, weights=w).tolist() == pytest.approx([100, 200, 300, 400])
    with pytest.raises(ValueError, match="target category 3 has no respondents"):
        poststratify(np.array([0, 1, 2]), [0.25] * 4)


def test_pure_halo_world_has_no_real_differences(world):
    pure = halo_population(world, mix=1.0)
    np.testing.assert_allclose(pure["truth"], 1.0, atol=1e-9)
    assert (pure["observed"] > 1.5).all()  # the style alone still prints large multipliers
    _, true_tier, _, practice = draw_halo(world, 300_000, np.random.default_rng(2), mix=1.0)
    drawn = practice[true_tier == 0].mean(axis=0) / practice[true_tier == 2].mean(axis=0)
    np.testing.assert_allclose(drawn, 1.0, atol=0.06)  # 33,000 v 108,000 respondents: SE of each ratio < 0.02


def test_real_world_halo_knob_at_zero_is_the_fitted_model(world):
    real = halo_population(world, mix=0.0)
    np.testing.assert_allclose(real["observed"], world.truth, rtol=1e-9)
    np.testing.assert_allclose(real["truth"], world.truth, rtol=1e-9)
    out = halo_cell(world, 0.5, seed=1, replicates=0)
    assert len(out) == len(world.claims) and (out["truth"] < out["population"]).all()


def test_halo_share_reproduces_the_printed_value(world):
    table = halo_share_table(world).set_index("claim_id")
    share = table.loc["sos-smb-2016#8", "halo_share"]
    assert 0.6 < share < 0.75
    # every claim comparing tiers gets an answer, the ones without percentages included
    tiers = table[table["note"] != "does not compare two tiers"]
    assert tiers["halo_share"].notna().all() and len(tiers) == 28


def test_misclassification_at_zero_noise_changes_nothing(world):
    true_tier, tier, _ = draw_misclassified(world, 20_000, np.random.default_rng(4), noise=0.0)
    assert np.array_equal(true_tier, tier)
    out = misclassification_cell(world, 0.0, seed=9, replicates=0)
    assert out["misclassified"].eq(0).all()


def test_misclassification_attenuates(world):
    noisy = pd.concat([misclassification_cell(world, 1.0, seed=s, n=10_000, replicates=0) for s in range(5)])
    mean = noisy.groupby("claim_id", sort=False)["estimate"].mean().to_numpy()
    assert np.all(mean < world.truth)


def test_tier_rule_on_codes_is_the_reports_rule():
    rng = np.random.default_rng(0)
    comp, overall = rng.integers(0, 5, 2000), rng.integers(0, 5, 2000)
    expected = tier_from_ratings(np.array(VS_COMPETITION)[comp], np.array(OVERALL_SERVICE)[overall]).codes
    assert np.array_equal(tier_from_codes(comp, overall), expected)


def test_skips_related_to_the_tier_only_bias_the_everyone_base_by_the_answer_rates(world):
    from scipy.special import expit, logit

    from simsurvey.scenarios.nonresponse import nonresponse_cell

    runs = {base: pd.concat([nonresponse_cell(world, 1.0, seed=s, base=base, n=20_000, replicates=0)
                             for s in range(10)]).groupby("claim_id", sort=False)["estimate"].mean().to_numpy()
            for base in ("answering", "everyone")}
    # left out of the base, skips that depend on the tier alone change nothing (MC error of 10 x 20,000 < 1%)
    np.testing.assert_allclose(runs["answering"], world.truth, rtol=0.03)
    # counted in, each tier's percentage is scaled by its answer rate: high skips at expit(logit(.1) - 1),
    # under at expit(logit(.1) + 1)
    factor = (1 - expit(logit(0.1) - 1)) / (1 - expit(logit(0.1) + 1))
    np.testing.assert_allclose(runs["everyone"], world.truth * factor, rtol=0.03)


def test_the_winners_curse_is_strongest_among_alike_claims(world):
    from simsurvey.scenarios.winners import winners_cell

    alike = pd.concat([winners_cell(world, seed=s, spread=0.0, ks=(1,)) for s in range(40)])
    fitted = pd.concat([winners_cell(world, seed=s, spread=1.0, ks=(1,)) for s in range(40)])
    # top-1 of 24 alike claims: about +16% (MC SE about 1.5% over 40 samples); fitted family: about +4%
    assert alike["inflation"].mean() > 1.08
    assert alike["inflation"].mean() > fitted["inflation"].mean()
