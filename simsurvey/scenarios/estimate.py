"""Every claim of one simulated sample, with a percentile bootstrap interval, in one matrix product.

A scenario cell is one sample; the grid runs thousands. :func:`claim_table`
takes the sample as plain arrays (tier codes, one 0/1 column per claim,
optional weights and per-claim response masks), recomputes every multiplier,
and gets its bootstrap interval from the package's replicate weights
(:meth:`simsurvey.inference.replicates.ReplicateWeights.totals`): the ``B x n``
replicate weights times one ``n x 4K`` matrix of numerator and denominator sums, so a
sample of 786 with B = 1,000 takes milliseconds. It is the percentile
interval of :func:`simsurvey.bootstrap` (respondents resampled with their
tier), without the other methods.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from simsurvey.inference.replicates import replicate_weights
from simsurvey.seeds import as_seed_sequence
from simsurvey.synth.copula import child_seed

__all__ = ["claim_table", "streams"]


def streams(seed):
    """A cell's two named random streams: the sample's generator and the bootstrap's seed.

    Examples
    --------
    >>> rng, boot = streams(3)
    >>> type(rng).__name__, type(boot).__name__
    ('Generator', 'SeedSequence')
    """
    root = as_seed_sequence(seed)
    return np.random.default_rng(child_seed(root, "sample")), child_seed(root, "bootstrap")


def claim_table(world, tier, items, *, weights=None, answered=None, replicates: int = 0, seed=None,
                confidence: float = 0.95, extra: dict | None = None) -> pd.DataFrame:
    """Estimate every claim of ``world`` from one sample, with a percentile interval.

    Parameters
    ----------
    world : World
        Whose claims (``world.claims``: item column, numerator and denominator tier).
    tier : array_like of int, shape (n,)
        Tier index of each respondent (into ``world.groups``).
    items : array_like of 0/1, shape (n, claims)
        Each claim's item.
    weights : array_like, shape (n,), optional
        Survey weights (default equal).
    answered : array_like of bool, shape (n, claims), optional
        Who is in the base of each claim's percentage (default everyone).
    replicates : int
        Bootstrap replicates B; 0 gives the estimates only (``low``/``high`` NaN).
    seed : int or SeedSequence, optional
        Seed of the replicate weights.
    confidence : float
        Coverage of the percentile interval.
    extra : dict, optional
        More columns (name -> one value or one per claim) to append.

    Returns
    -------
    pandas.DataFrame
        One row per claim: ``claim_id``, ``item``, ``pct_numerator``,
        ``pct_denominator``, ``estimate``, ``low``, ``high``, then ``extra``.

    Examples
    --------
    >>> from simsurvey.scenarios.world import latent_world, draw_latent
    >>> w = latent_world("sos-smb-2016")
    >>> _, tier, y = draw_latent(w, 786, np.random.default_rng(1))
    >>> t = claim_table(w, tier, y, replicates=1000, seed=2)
    >>> row = t.set_index("claim_id").loc["sos-smb-2016#8"]
    >>> bool(row["low"] < row["estimate"] < row["high"])
    True
    """
    tier = np.asarray(tier)
    items = np.asarray(items, dtype=np.float32)
    n, k = items.shape
    base = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    x, pick = _columns(world, tier, items, answered)
    point = _ratios((base @ x)[None, :], pick)
    low = high = np.full(k, np.nan)
    if replicates:
        ratio = _ratios(replicate_weights(n, replicates, seed=seed, base=base).totals(x, progress=False), pick)[0]
        alpha = 1 - confidence
        quant = np.nanquantile if np.isnan(ratio).any() else np.quantile
        low, high = quant(ratio, [alpha / 2, 1 - alpha / 2], axis=0)
    c = world.claims
    return pd.DataFrame({"claim_id": c["claim_id"].to_numpy(), "item": c["item"].to_numpy(),
                         "pct_numerator": 100 * point[1][0], "pct_denominator": 100 * point[2][0],
                         "estimate": point[0][0], "low": low, "high": high, **(extra or {})})

def _columns(world, tier, items, answered):
    """The sums each claim needs, as columns: ``item x numerator``, ``item x denominator``, then the bases.

    Without item nonresponse a claim's base is its tier, so the bases are one
    column per tier (not two per claim): fewer columns in the matrix product.
    Returns the ``n x m`` matrix and the column index of each claim's four sums.
    """
    c = world.claims
    k = items.shape[1]
    num, den = c["num"].to_numpy(), c["den"].to_numpy()
    onehot = (tier[:, None] == np.arange(len(world.groups))[None, :]).astype(np.float32)
    if answered is None:
        bases = onehot
        base_num, base_den = 2 * k + num, 2 * k + den
    else:
        resp = np.asarray(answered, dtype=np.float32)
        bases = np.hstack([onehot[:, num] * resp, onehot[:, den] * resp])
        base_num, base_den = 2 * k + np.arange(k), 3 * k + np.arange(k)
        items = items * resp
    x = np.hstack([items * onehot[:, num], items * onehot[:, den], bases])
    return x, (np.arange(k), base_num, k + np.arange(k), base_den)


def _ratios(sums: np.ndarray, pick):
    """Ratio, numerator share and denominator share per row of sums (columns as :func:`_columns` says)."""
    y_num, n_num, y_den, n_den = pick
    with np.errstate(divide="ignore", invalid="ignore"):
        p_num = sums[:, y_num] / sums[:, n_num]
        p_den = sums[:, y_den] / sums[:, n_den]
        ratio = p_num / p_den
    ratio = np.where(np.isfinite(ratio), ratio, np.nan)
    return ratio, p_num, p_den
