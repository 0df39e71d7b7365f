"""A shared self-rating style (halo, common-method bias) that links tiers and answers without real differences.

The tiers are self-ratings ("rated their performance ... as excellent") and so
are many outcomes ("rate their ability to engage customers ... as excellent or
above average"). A respondent who rates everything of theirs highly lands in
the top tier *and* says yes to the items, whether or not their service is
better. The published figures cannot tell the two stories apart: any
decomposition below with the same tier-item correlation reproduces them.

Model, per respondent and question ``j`` (all standard normal, independent):
true performance ``T``, self-rating style ``H``, and noise. With style share
``s`` (the part of every self-rating's variance that is style) and true
correlation ``rho_j`` between practice ``j`` and performance:

- self-rated tier latent ``S = sqrt(1 - s) T + sqrt(s) H`` (cut at the tier shares);
- true practice ``P_j = rho_j T + sqrt(1 - rho_j**2) e_j``;
- reported answer ``R_j = sqrt(1 - s) P_j + sqrt(s) H`` (cut at the fitted threshold).

So ``corr(S, R_j) = (1 - s) rho_j + s``: the printed multiplier, while the
true multiplier (true tiers of ``T``, true practices ``P_j``) follows
``rho_j`` alone. The mixing knob ``mix`` runs from the world of real
differences (``mix = 0``: ``s = 0``, ``rho_j`` = the fitted loading, the report
read literally) to the pure halo world (``mix = 1``: ``rho_j = 0``, ``s =
style``): ``s = mix * style``, ``rho_j = (1 - mix) * loading_j``. In the pure
halo world every true multiplier is exactly 1.

Per claim, :func:`halo_share_table` gives the style share a world *without
any real difference* needs to reproduce the printed value.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize

from simsurvey.scenarios.estimate import claim_table, streams
from simsurvey.scenarios.world import World, category_probability, latent_world, resolved_survey, tier_codes
from simsurvey.synth.latent import group_cuts

__all__ = ["halo_population", "halo_share_table", "draw_halo", "halo_cell", "DEFAULT_STYLE"]

#: Style share of the pure halo world: half of every self-rating's variance is how the
#: respondent rates, half what is rated. An assumption to vary, not a finding.
DEFAULT_STYLE = 0.5


def _check(mix, style):
    for name, v in (("mix", mix), ("style", style)):
        if not 0 <= v <= 1:
            raise ValueError(f"{name} must be within [0, 1], got {v!r}")


def halo_population(world: World, mix: float, style: float = DEFAULT_STYLE) -> pd.DataFrame:
    """Exact observed and true multipliers of every claim in the halo world at ``mix``.

    Returns
    -------
    pandas.DataFrame
        One row per claim: ``claim_id, item, printed, mix, style_share,
        true_corr, observed`` (self-rated tiers, reported answers) and
        ``truth`` (true tiers, true practices).

    Examples
    --------
    >>> w = latent_world("sos-smb-2016")
    >>> t = halo_population(w, mix=1.0).set_index("item")
    >>> round(float(t.loc["excel_engage_at_scale", "truth"]), 12), round(float(t.loc["excel_engage_at_scale", "observed"]), 2)
    (1.0, 3.26)
    """
    _check(mix, style)
    c = world.claims
    s = mix * style
    rho = (1 - mix) * world.loadings[c["question"].to_numpy()]
    observed = _multiplier(world, (1 - s) * rho + s)
    truth = _multiplier(world, rho)
    out = c[["claim_id", "item", "printed"]].copy()
    out["mix"], out["style_share"], out["true_corr"] = mix, s, rho
    out["observed"], out["truth"] = observed, truth
    return out


def _multiplier(world: World, corr) -> np.ndarray:
    c = world.claims
    num, den = c["num"].to_numpy(), c["den"].to_numpy()
    p = [category_probability(corr, c["upper"], c["lower"], world.cuts[g], world.cuts[g + 1]) for g in (num, den)]
    return p[0] / p[1]


def draw_halo(world: World, n: int, rng: np.random.Generator, mix: float, style: float = DEFAULT_STYLE):
    """Respondents of the halo world: self-rated and true tiers, reported answers and true practices.

    Returns
    -------
    tier, true_tier : numpy.ndarray of int8
    reported, practice : numpy.ndarray of int8, shape (n, claims)

    Examples
    --------
    >>> w = latent_world("sos-smb-2016")
    >>> tier, true_tier, rep, prac = draw_halo(w, 1000, np.random.default_rng(0), mix=0.0)
    >>> bool((tier == true_tier).all() and (rep == prac).all())  # no style: self-ratings are the truth
    True
    """
    _check(mix, style)
    s = mix * style
    rho = (1 - mix) * world.loadings
    t, h = rng.standard_normal(n), rng.standard_normal(n)
    e = rng.standard_normal((n, rho.size))
    practice_z = t[:, None] * rho + e * np.sqrt(1 - rho * rho)
    reported_z = np.sqrt(1 - s) * practice_z + np.sqrt(s) * h[:, None]
    c = world.claims
    q, lo, hi = c["question"].to_numpy(), c["lower"].to_numpy(), c["upper"].to_numpy()

    def read(z):
        zq = z[:, q]
        return ((zq > lo) & (zq <= hi)).view(np.int8)

    tier = tier_codes(world, np.sqrt(1 - s) * t + np.sqrt(s) * h)
    return tier, tier_codes(world, t), read(reported_z), read(practice_z)


def halo_cell(world: World, mix: float, seed, *, style: float = DEFAULT_STYLE, n: int = 786,
              replicates: int = 0) -> pd.DataFrame:
    """One sample of the halo world: every claim as the survey would print it, beside its truth."""
    rng, boot = streams(seed)
    tier, _, reported, _ = draw_halo(world, n, rng, mix, style)
    exact = halo_population(world, mix, style)
    return claim_table(world, tier, reported, replicates=replicates, seed=boot,
                       extra={"population": exact["observed"].to_numpy(), "truth": exact["truth"].to_numpy()})

def halo_share_table(source="sos-smb-2016", *, catalog=None) -> pd.DataFrame:
    """Per claim: how much shared self-rating style reproduces the printed multiplier with no real difference.

    In a world where practices have no association with performance
    (``rho = 0``), the printed ratio of two tiers comes from the style share
    ``s`` alone; this finds the ``s`` that gives exactly the printed value. The
    item's threshold is anchored on the published numerator-tier percentage
    (where none is published: the median of the survey's published
    numerator-tier percentages, said in ``anchor``).

    Parameters
    ----------
    source : str, SurveySpec, ResolvedSurvey or World
        Claims as :func:`simsurvey.resolve` re-pairs them.
    catalog : Catalog, optional

    Returns
    -------
    pandas.DataFrame
        One row per ratio claim: ``claim_id, item, label, printed,
        anchor_pct, anchor, fitted_loading, halo_share, self_rating, note``.
        ``halo_share`` is 0 for a ratio of 1 or less, NaN where even pure
        style (``s`` near 1) cannot reach the printed value or the claim does
        not compare tiers. ``self_rating`` marks outcomes that are
        themselves self-ratings ("excel at", "rate ... as excellent").

    Examples
    --------
    >>> t = halo_share_table("sos-smb-2016").set_index("claim_id")
    >>> round(float(t.loc["sos-smb-2016#8", "halo_share"]), 2)  # 5.7x: two thirds of every self-rating is style
    0.68
    """
    from simsurvey.scenarios.evalues import _ratio_claims

    resolved = resolved_survey(source, catalog)
    groups = tuple(resolved.groups)
    try:
        world = latent_world(source if isinstance(source, World) else resolved)
        loading = dict(zip(world.claims["claim_id"], world.loadings[world.claims["question"].to_numpy()]))
        cuts = world.cuts
    except ValueError:  # no whole-number sizes to fit at (a weighted survey): cut the trait at the shares
        loading = {}
        cuts = group_cuts(np.asarray(resolved.shares, dtype=float))
    pct = resolved.spec.pct_table()
    claims = _ratio_claims(resolved.claims)
    claims = claims[claims["pairing"] != "unresolved"]
    published = [pct.loc[c.item, c.numerator] for c in claims.itertuples()
                 if c.kind == "ratio" and c.item in pct.index and c.numerator in pct.columns
                 and np.isfinite(pct.loc[c.item, c.numerator])]
    median = float(np.median(published)) if published else np.nan
    rows = []
    for c in claims.itertuples():
        item = c.item if isinstance(c.item, str) else ""
        row = dict(claim_id=c.claim_id, item=item, label=c.label, printed=float(c.printed),
                   fitted_loading=loading.get(c.claim_id, np.nan),
                   self_rating=bool(pd.Series([c.label]).str.contains(r"excel|rate", case=False).iloc[0]))
        if c.kind != "ratio" or c.numerator not in groups or c.denominator not in groups:
            rows.append({**row, "note": "does not compare two tiers"})
            continue
        have = item in pct.index and c.numerator in pct.columns and np.isfinite(pct.loc[item, c.numerator])
        anchor = float(pct.loc[item, c.numerator]) if have else median
        if not np.isfinite(anchor):
            rows.append({**row, "note": "no percentage published in the survey to anchor the item on"})
            continue
        rr = c.printed if c.direction != "less" else 1 / c.printed
        share, note = _share_needed(cuts, groups.index(c.numerator), groups.index(c.denominator),
                                    anchor / 100, rr)
        rows.append({**row, "anchor_pct": anchor, "halo_share": share, "note": note,
                     "anchor": (f"published {c.numerator} percentage" if have else
                                f"median published {c.numerator} percentage ({median:g}%): none published")})
    columns = ["claim_id", "item", "label", "printed", "anchor_pct", "anchor", "fitted_loading", "halo_share",
               "self_rating", "note"]
    return pd.DataFrame(rows).reindex(columns=columns)


def _share_needed(cuts, num, den, p_num, rr):

    def ratio(corr):
        tau = optimize.brentq(lambda t: category_probability(corr, np.inf, t, cuts[num], cuts[num + 1]) - p_num,
                              -10, 10, xtol=1e-12)
        return float(category_probability(corr, np.inf, tau, cuts[num], cuts[num + 1])
                     / category_probability(corr, np.inf, tau, cuts[den], cuts[den + 1]))

    if rr <= 1:
        return 0.0, "a ratio of 1 or less needs no style"
    top = 0.95  # beyond, the denominator tier's percentage underflows
    if ratio(top) < rr:
        return np.nan, "even a style share of 0.95 cannot reach the printed value"
    share = optimize.brentq(lambda s: ratio(s) - rr, 0.0, top, xtol=1e-6)
    return float(share), "style share at which a world without real differences prints this value"
