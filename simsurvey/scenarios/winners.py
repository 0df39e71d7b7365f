"""The winner's curse: headlines are the largest of about forty ratios, so they are too large.

The report prints some forty "more likely" ratios and puts the largest in its
headlines ("a whopping 5.7x"). Picking the top of a family by its estimate
picks, on average, estimates that came out high: even when every ratio is
estimated without bias, the top-k are biased upward. :func:`winners_cell`
draws a sample of the fitted population, ranks its claims by estimate and
reports, for each ``k``, the mean estimate of the top k beside the mean true
value of the same claims; their ratio is the expected inflation.

:func:`multiple_testing_table` gives the family's p-values (Katz's log test of
ratio = 1 on the published percentages at the resolved group sizes) with
Holm and Benjamini-Hochberg adjustments (``statsmodels.stats.multitest``).
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats

from simsurvey.scenarios.estimate import claim_table, streams
from simsurvey.scenarios.world import World, draw_latent, latent_world

__all__ = ["winners_cell", "multiple_testing_table", "DEFAULT_KS"]

DEFAULT_KS = (1, 2, 3, 5, 10)


def winners_cell(world: World, seed, *, n: int = 786, spread: float = 1.0, ks=DEFAULT_KS,
                 replicates: int = 0) -> pd.DataFrame:
    """One sample: the top-k claims by estimate and their true values, for each k.

    ``spread`` shrinks every claim's loading towards the family's mean
    (``mean + spread * (loading - mean)``): 1 is the fitted population, 0 a
    family whose true multipliers differ only through the items' prevalence,
    where the top-k are picked by chance alone and the curse is strongest.

    Returns
    -------
    pandas.DataFrame
        One row per ``k``: ``mean_estimate`` of the top k, ``mean_truth`` of
        the same claims, ``inflation`` (their ratio), ``top_claims``
        (claim ids, best first), ``printed_top`` (mean of the report's own k
        largest printed values of the family).

    Examples
    --------
    >>> w = latent_world("sos-smb-2016")
    >>> out = winners_cell(w, seed=1, ks=(1, 24))
    >>> out["k"].tolist(), bool(out["inflation"].iloc[0] > out["inflation"].iloc[1])
    ([1, 24], True)
    """
    if not 0 <= spread <= 1:
        raise ValueError(f"spread must be within [0, 1], got {spread!r}")
    if spread != 1:
        lam = world.loadings
        world = replace(world, loadings=lam.mean() + spread * (lam - lam.mean()))
    rng, boot = streams(seed)
    _, tier, items = draw_latent(world, n, rng)
    est = claim_table(world, tier, items, replicates=replicates, seed=boot)["estimate"].to_numpy()
    family = len(est)
    ks = [int(k) for k in ks]
    if any(k < 1 or k > family for k in ks):
        raise ValueError(f"ks must be within 1-{family} (the family's size), got {ks}")
    order = np.argsort(-np.nan_to_num(est, nan=-np.inf), kind="stable")
    printed = np.sort(world.claims["printed"].to_numpy())[::-1]
    ids = world.claims["claim_id"].to_numpy()
    rows = []
    for k in ks:
        top = order[:k]
        m_est, m_true = float(np.mean(est[top])), float(np.mean(world.truth[top]))
        rows.append(dict(k=k, mean_estimate=m_est, mean_truth=m_true, inflation=m_est / m_true,
                         top_claims=" ".join(ids[top]), printed_top=float(np.mean(printed[:k]))))
    return pd.DataFrame(rows)


def multiple_testing_table(source="sos-smb-2016", *, catalog=None, alpha: float = 0.05) -> pd.DataFrame:
    """The family of "more likely" claims tested against ratio = 1, with Holm and Benjamini-Hochberg.

    Parameters
    ----------
    source : str, SurveySpec, ResolvedSurvey or World
    catalog : Catalog, optional
    alpha : float
        Family-wise error rate (Holm) and false discovery rate (BH).

    Returns
    -------
    pandas.DataFrame
        One row per claim with both percentages: ``claim_id, item, printed,
        x_numerator, n_numerator, x_denominator, n_denominator, z, p_value,
        p_holm, p_bh, reject_holm, reject_bh``.

    Examples
    --------
    >>> t = multiple_testing_table("sos-smb-2016")
    >>> len(t), bool(t["reject_holm"].all())
    (24, True)
    """
    from statsmodels.stats.multitest import multipletests

    world = latent_world(source, catalog=catalog)
    sizes = dict(zip(world.groups, world.sizes))
    spec_pct = world.resolved.spec.pct_table()
    rows = []
    for c in world.claims.itertuples():
        n1, n2 = int(sizes[c.numerator]), int(sizes[c.denominator])
        x1 = round(spec_pct.loc[c.item, c.numerator] * n1 / 100)
        x2 = round(spec_pct.loc[c.item, c.denominator] * n2 / 100)
        log_rr = np.log((x1 / n1) / (x2 / n2))
        se = np.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
        rows.append(dict(claim_id=c.claim_id, item=c.item, printed=c.printed, x_numerator=x1, n_numerator=n1,
                         x_denominator=x2, n_denominator=n2, z=log_rr / se))
    out = pd.DataFrame(rows)
    out["p_value"] = 2 * stats.norm.sf(np.abs(out["z"]))
    out["reject_holm"], out["p_holm"] = multipletests(out["p_value"], alpha=alpha, method="holm")[:2]
    out["reject_bh"], out["p_bh"] = multipletests(out["p_value"], alpha=alpha, method="fdr_bh")[:2]
    return out[["claim_id", "item", "printed", "x_numerator", "n_numerator", "x_denominator", "n_denominator", "z",
                "p_value", "p_holm", "p_bh", "reject_holm", "reject_bh"]]
