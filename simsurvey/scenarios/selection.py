"""Opt-in selection: who joins a panel survey depends on what the survey measures.

"This survey was conducted online ... among third-party panelists": nobody
drew the 786 at random. Here each member of the fitted population
(:func:`~simsurvey.scenarios.world.latent_world`) takes part with probability
``expit(logit(base_rate) + strength * score)``, where ``score`` is

- ``performance``: the latent trait the tiers are cut on (good teams answer
  surveys about service more readily);
- ``items``: the standardised number of the claims' items the member says
  yes to (teams that do the practices are the ones interested);
- ``size``: an observed covariate, company size (standard normal, correlated
  ``size_corr`` with the trait; four classes at its population quartiles).

``base_rate`` is the participation of a member with an average score.
Tiers are cut at the population's cut points (they are self-ratings with
fixed labels), so selection changes who is high performer *and* how they
answer. The bias of a multiplier is its expected sample value minus its
population value. With ``weighting="poststratify"`` the sample is weighted to
the population's size classes (25% each); the weighting issue's
``simsurvey.rake`` is not on main yet, so this is a plain post-stratification
on one known covariate: it removes selection on size, and only the part of
selection on performance or items that size carries.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, logit, ndtr, ndtri

from simsurvey.scenarios.estimate import claim_table, streams
from simsurvey.scenarios.world import World, latent_items, read_items, tier_codes
from simsurvey.synth.latent import bvn_cdf
from simsurvey.weighting.raking import poststratify as weighting_poststratify

__all__ = ["SELECT_ON", "WEIGHTING", "draw_selected", "selection_cell", "item_score_moments", "poststratify"]

SELECT_ON = ("performance", "items", "size")
WEIGHTING = ("none", "poststratify")
SIZE_CLASSES = 4
_SIZE_CUTS = ndtri(np.arange(1, SIZE_CLASSES) / SIZE_CLASSES)


def item_score_moments(world: World) -> tuple[float, float]:
    """Exact population mean and standard deviation of the number of distinct claim items said yes to.

    Two items' latents correlate ``loading_j * loading_k`` through the trait;
    the joint probability is a bivariate-normal rectangle.

    Examples
    --------
    >>> from simsurvey.scenarios.world import latent_world
    >>> m, s = item_score_moments(latent_world("sos-smb-2016"))
    >>> round(m, 2), round(s, 2)
    (13.84, 4.35)
    """
    c = world.claims.drop_duplicates("item")
    lam = world.loadings[c["question"].to_numpy()]
    hi, lo = c["upper"].to_numpy(), c["lower"].to_numpy()
    p = ndtr(hi) - ndtr(lo)
    joint = _rect(hi[:, None], lo[:, None], hi[None, :], lo[None, :], lam[:, None] * lam[None, :])
    cov = joint - np.outer(p, p)
    np.fill_diagonal(cov, p * (1 - p))
    return float(p.sum()), float(np.sqrt(cov.sum()))


def _rect(hi1, lo1, hi2, lo2, r):
    """P(lo1 < X <= hi1, lo2 < Y <= hi2) for standard normals with correlation r."""
    r = np.clip(r, -0.999999, 0.999999)
    return bvn_cdf(hi1, hi2, r) - bvn_cdf(hi1, lo2, r) - bvn_cdf(lo1, hi2, r) + bvn_cdf(lo1, lo2, r)


def draw_selected(world: World, n: int, rng: np.random.Generator, *, strength: float = 0.0,
                  on: str = "performance", base_rate: float = 0.1, size_corr: float = 0.5,
                  moments: tuple[float, float] | None = None):
    """Draw ``n`` participants of an opt-in survey from the world.

    Candidates are drawn from the population in batches and each joins with
    its participation probability, until ``n`` have joined.

    Returns
    -------
    tier : numpy.ndarray of int8
    items : numpy.ndarray of int8, shape (n, claims)
    size_class : numpy.ndarray of int8 (0 smallest quarter ... 3 largest)

    Examples
    --------
    >>> from simsurvey.scenarios.world import latent_world
    >>> w = latent_world("sos-smb-2016")
    >>> tier, y, size = draw_selected(w, 786, np.random.default_rng(0), strength=1.0)
    >>> len(tier), round(float((tier == 0).mean()), 2)  # high performers join more: above 11%
    (786, 0.33)
    """
    if on not in SELECT_ON:
        raise ValueError(f"on must be one of {', '.join(SELECT_ON)}, got {on!r}")
    if not 0 < base_rate < 1:
        raise ValueError(f"base_rate must be within (0, 1), got {base_rate!r}")
    if not -1 < size_corr < 1:
        raise ValueError(f"size_corr must be within (-1, 1), got {size_corr!r}")
    if on == "items" and strength != 0 and moments is None:
        moments = item_score_moments(world)
    first = world.claims.drop_duplicates("item").index.to_numpy()
    parts, have = [], 0
    while have < n:
        m = int((n - have) / base_rate * 1.2) + 64
        theta = rng.standard_normal(m)
        size = size_corr * theta + np.sqrt(1 - size_corr ** 2) * rng.standard_normal(m)
        y = read_items(world, latent_items(world, theta, rng)) if on == "items" and strength != 0 else None
        if strength == 0:
            score = 0.0
        elif on == "performance":
            score = theta
        elif on == "size":
            score = size
        else:
            score = (y[:, first].sum(axis=1) - moments[0]) / moments[1]
        keep = rng.random(m) < expit(logit(base_rate) + strength * score)
        # items of the members who joined only: they do not depend on the others' answers
        y = read_items(world, latent_items(world, theta[keep], rng)) if y is None else y[keep]
        parts.append((theta[keep], y, size[keep]))
        have += int(keep.sum())
    theta, y, size = (np.concatenate(p)[:n] for p in zip(*parts))
    return tier_codes(world, theta), y, np.searchsorted(_SIZE_CUTS, size).astype(np.int8)

def poststratify(classes: np.ndarray, population_shares) -> np.ndarray:
    """Weights that give each size class its population share (mean weight 1), by :func:`simsurvey.poststratify`.

    Examples
    --------
    >>> poststratify(np.array([0, 0, 0, 1]), [0.5, 0.5]).round(4).tolist()
    [0.6667, 0.6667, 0.6667, 2.0]
    """
    shares = np.asarray(population_shares, dtype=float)
    targets = pd.Series(shares, index=pd.Index(range(shares.size), name="size_class"))
    return weighting_poststratify(pd.DataFrame({"size_class": classes}), targets).weights


def selection_cell(world: World, strength: float, seed, *, on: str = "performance", weighting: str = "none",
                   n: int = 786, replicates: int = 1000, base_rate: float = 0.1, size_corr: float = 0.5,
                   moments=None) -> pd.DataFrame:
    """One opt-in sample: every claim's estimate and percentile interval beside its population value.

    Examples
    --------
    >>> from simsurvey.scenarios.world import latent_world
    >>> w = latent_world("sos-smb-2016")
    >>> out = selection_cell(w, 1.0, seed=1, replicates=200)
    >>> out.columns.tolist()[:4], len(out)
    (['claim_id', 'item', 'pct_numerator', 'pct_denominator'], 24)
    """
    if weighting not in WEIGHTING:
        raise ValueError(f"weighting must be one of {', '.join(WEIGHTING)}, got {weighting!r}")
    rng, boot = streams(seed)
    tier, y, size = draw_selected(world, n, rng, strength=strength, on=on, base_rate=base_rate,
                                  size_corr=size_corr, moments=moments)
    weights = poststratify(size, np.full(SIZE_CLASSES, 1 / SIZE_CLASSES)) if weighting == "poststratify" else None
    return claim_table(world, tier, y, weights=weights, replicates=replicates, seed=boot,
                       extra={"truth": world.truth, "n_top": int((tier == 0).sum())})
