"""Tier misclassification: noise in the two self-ratings the tiers are cut from.

The report's tiers come from two questions (performance versus the
competition, overall service performance; :mod:`simsurvey.synth.tiering`). A
respondent's answer to each is read here as a point on a latent normal scale,
cut at the population's rating distribution. Noise of standard deviation
``noise`` is added to that point and the sum rescaled to unit variance
(``(x + noise * e) / sqrt(1 + noise**2)``), so the population's distribution of
each rating is unchanged and only *who* gives which rating moves; the tier is
then recomputed with the report's rule. At ``noise = 0`` nothing changes.

The answers to the items stay tied to the true tier (the fitted trait), so
any change of a multiplier is the misclassification's doing.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from simsurvey.scenarios.estimate import claim_table, streams
from simsurvey.scenarios.world import World, draw_latent
from simsurvey.synth.tiering import TIERS, RatingAssumptions, draw_ratings

__all__ = ["noisy_ratings", "tier_from_codes", "rating_distribution", "draw_misclassified", "misclassification_cell"]


def tier_from_codes(comp: np.ndarray, overall: np.ndarray) -> np.ndarray:
    """The report's tier rule on rating codes (0 = excellent, top first): 0 high, 1 moderate, 2 under.

    The same rule as :func:`simsurvey.synth.tiering.tier_from_ratings`, on codes.

    Examples
    --------
    >>> tier_from_codes(np.array([0, 0, 1, 2]), np.array([0, 1, 0, 0])).tolist()
    [0, 1, 1, 2]
    """
    return np.where((comp == 0) & (overall == 0), 0, np.where(comp <= 1, 1, 2)).astype(np.int8)


def rating_distribution(world: World, assumptions: RatingAssumptions | None = None):
    """Population probability of each code of the two ratings, from the tier shares and the rating assumptions."""
    a = assumptions or RatingAssumptions()
    comp, overall = np.zeros(5), np.zeros(5)
    for tier, share in zip(world.groups, world.shares):
        pairs, probs = a.cells(tier)
        for (c, o), p in zip(pairs, probs):
            comp[c] += share * p
            overall[o] += share * p
    return comp, overall


def noisy_ratings(codes: np.ndarray, probs: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    """Re-read each rating after adding latent noise; the population distribution stays ``probs``.

    Examples
    --------
    >>> codes = np.array([0, 1, 2, 3, 4])
    >>> noisy_ratings(codes, np.full(5, 0.2), 0.0, np.random.default_rng(0)).tolist()
    [0, 1, 2, 3, 4]
    """
    if not noise >= 0:
        raise ValueError(f"noise must be a non-negative number, got {noise!r}")
    upper = np.cumsum(probs)           # codes are top first: code k covers (upper[k-1], upper[k]] on the
    lower = upper - probs              # uniform scale of "how far down the scale"
    u = lower[codes] + rng.random(codes.size) * probs[codes]
    x = (ndtri(u) + noise * rng.standard_normal(codes.size)) / np.sqrt(1 + noise * noise)
    return np.searchsorted(upper[:-1], ndtr(x)).astype(np.int8)


def draw_misclassified(world: World, n: int, rng: np.random.Generator, noise: float,
                       assumptions: RatingAssumptions | None = None):
    """A sample with true tiers, the two ratings, and the tier recomputed from noisy ratings.

    Returns
    -------
    true_tier, tier : numpy.ndarray of int8
    items : numpy.ndarray of int8, shape (n, claims)
    """
    a = assumptions or RatingAssumptions()
    _, true_tier, items = draw_latent(world, n, rng)
    comp = np.empty(n, dtype=np.int8)
    overall = np.empty(n, dtype=np.int8)
    for g, name in enumerate(world.groups):
        if name not in TIERS:
            raise ValueError(f"misclassification needs the tiers {', '.join(TIERS)}; survey has {world.groups}")
        rows = np.flatnonzero(true_tier == g)
        comp[rows], overall[rows] = draw_ratings(name, rows.size, rng, a, exact=False)
    p_comp, p_overall = rating_distribution(world, a)
    tier = tier_from_codes(noisy_ratings(comp, p_comp, noise, rng), noisy_ratings(overall, p_overall, noise, rng))
    return true_tier, tier, items


def misclassification_cell(world: World, noise: float, seed, *, n: int = 786, replicates: int = 1000,
                           assumptions: RatingAssumptions | None = None) -> pd.DataFrame:
    """One sample with noisy self-ratings: every claim on the recomputed tiers beside its population value.

    Examples
    --------
    >>> from simsurvey.scenarios.world import latent_world
    >>> w = latent_world("sos-smb-2016")
    >>> out = misclassification_cell(w, 0.0, seed=1, replicates=0)
    >>> float(out["misclassified"].iloc[0])
    0.0
    """
    rng, boot = streams(seed)
    true_tier, tier, items = draw_misclassified(world, n, rng, noise, assumptions)
    return claim_table(world, tier, items, replicates=replicates, seed=boot,
                       extra={"truth": world.truth, "misclassified": float((tier != true_tier).mean())})
