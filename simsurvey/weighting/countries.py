"""Country mix for State of Service: eight countries pooled in an unstated mix, with no weighting.

The SMB subset of State of Service pools respondents from eight countries and
publishes neither the mix nor any weighting. If countries differ in response
style (how highly respondents rate their own service, and how readily they
say yes), the self-rated tiers and the items both depend on the mix, and so
do the "Nx more likely" multipliers. This experiment makes that concrete:

- each country has a style offset ``d_c`` (:data:`~simsurvey.weighting.population.COUNTRY_STYLE`,
  illustrative) centred on the sample mix;
- the self-rating trait is ``d_c + N(0, 1)``; the tiers cut it at two
  thresholds set so that, at the sample's mix, the tier shares are the
  resolved group sizes (90 / 415 / 281 of 786);
- ``P(item | tier, country) = expit(b + style_effect * d_c)`` with ``b`` set so
  that, at the sample's mix, each tier reproduces its printed percentage.

At the sample's mix the model *is* the report. Reweighted to ``target`` it
gives the tier shares and multipliers the same respondents' answers would
have shown in a population with that mix. One synthetic sample of the
report's size is also bootstrapped both ways to show what the weighting costs.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit, ndtr, ndtri

from simsurvey.seeds import as_seed_sequence, seed_record
from simsurvey.weighting.population import COUNTRY_STYLE, country_target
from simsurvey.weighting.summary import kish_deff

__all__ = ["country_mix_experiment"]

SURVEY = "sos-smb-2016"


def country_mix_experiment(*, sample_mix=None, target=None, style=None, style_effect: float = 1.0,
                           replicates: int = 1000, seed=None, catalog=None) -> pd.DataFrame:
    """How State of Service's tier shares and tier multipliers move when its countries are reweighted.

    Parameters
    ----------
    sample_mix, target : mapping, optional
        Country shares of the respondents and of the population to weight to;
        default equal shares and :func:`~simsurvey.weighting.population.country_target`
        (the US half, the others equal): both illustrative.
    style : mapping, optional
        Country offsets on the self-rating scale (default
        :data:`~simsurvey.weighting.population.COUNTRY_STYLE`).
    style_effect : float
        How much the same offset raises yes-answers to items (log-odds per unit).
    replicates : int
        Bootstrap replicates for the synthetic sample.

    Returns
    -------
    pandas.DataFrame
        One row per tier share and per multiplier: ``quantity, subject, item,
        printed, as_published, reweighted, shift, relative_shift,
        sample_unweighted, sample_reweighted, width_unweighted,
        width_reweighted, deff_weighting, deff``. ``as_published`` is the
        model at the sample mix (the report's figures); ``reweighted`` the
        same model at the target mix; the ``sample_`` and ``width_`` columns
        come from one synthetic sample bootstrapped without and with raking
        to the target.

    Examples
    --------
    >>> t = country_mix_experiment(replicates=200, seed=1)
    >>> t.loc[t["quantity"] == "tier share", ["subject", "as_published"]].round(3).values.tolist()
    [['high', 0.115], ['moderate', 0.528], ['under', 0.358]]
    """
    from simsurvey.forensics.resolve import resolve

    res = resolve(SURVEY, catalog)
    names = list(COUNTRY_STYLE if style is None else style)
    d = np.array([(COUNTRY_STYLE if style is None else style)[c] for c in names], dtype=float)
    m = _shares(sample_mix or {c: 1 for c in names}, names, "sample_mix")
    t = _shares(target or country_target(names), names, "target")
    d = d - m @ d  # centred on the sample: the pooled sample has the report's figures
    tier_share = np.array(res.sizes, dtype=float) / sum(res.sizes)
    groups = list(res.groups)
    c_hi = brentq(lambda c: m @ (1 - ndtr(c - d)) - tier_share[0], -10, 10)
    c_lo = brentq(lambda c: m @ ndtr(c - d) - tier_share[-1], -10, 10)
    p_tier = np.vstack([1 - ndtr(c_hi - d), ndtr(c_hi - d) - ndtr(c_lo - d), ndtr(c_lo - d)])  # tiers x countries
    table = res.spec.pct_table()
    claims = res.claims[(res.claims["kind"] == "ratio") & (res.claims["pairing"] != "unresolved")]
    claims = claims.drop_duplicates(["item", "numerator", "denominator"])
    claims = claims[claims["item"].isin(res.spec.group_items())]  # items printed for every tier
    items = list(dict.fromkeys(claims["item"]))
    rates = {}  # (item, tier) -> P(item | tier, country) per country
    for item in items:
        for k, g in enumerate(groups):
            w = m * p_tier[k] / (m @ p_tier[k])
            b = brentq(lambda b: w @ expit(b + style_effect * d) - table.loc[item, g] / 100, -30, 30)
            rates[item, g] = expit(b + style_effect * d)
    rows = []
    for k, g in enumerate(groups):
        rows.append({"quantity": "tier share", "subject": g, "item": "", "printed": res.shares[k] / 100,
                     "as_published": m @ p_tier[k], "reweighted": t @ p_tier[k]})
    for c in claims.itertuples():
        num, den = groups.index(c.numerator), groups.index(c.denominator)
        ratio = [(mix @ (p_tier[num] * rates[c.item, c.numerator]) / (mix @ p_tier[num]))
                 / (mix @ (p_tier[den] * rates[c.item, c.denominator]) / (mix @ p_tier[den])) for mix in (m, t)]
        rows.append({"quantity": "multiplier", "subject": c.claim_id, "item": c.item, "printed": c.printed,
                     "as_published": ratio[0], "reweighted": ratio[1]})
    out = pd.DataFrame(rows)
    out["shift"] = out["reweighted"] - out["as_published"]
    out["relative_shift"] = out["shift"] / out["as_published"]
    seed = as_seed_sequence(seed)
    out = _with_sample(out, res, names, m, t, d, p_tier, rates, items, groups, replicates, seed)
    out.attrs["assumptions"] = {
        "survey": SURVEY, "countries": names, "sample_mix": dict(zip(names, m.round(4))),
        "target": dict(zip(names, t.round(4))), "style": dict(zip(names, d.round(4))), "style_effect": style_effect,
        "model": "tier = cut of (style + N(0,1)) at two thresholds; logit P(item | tier) = b + style_effect * style; "
                 "calibrated so the sample mix reproduces the resolved tier sizes and the printed percentages",
        "note": "country mix, target and styles are illustrative assumptions, not published figures",
        "replicates": replicates, "seed": seed_record(seed),
    }
    return out


def _shares(mapping, names, argument):
    unknown = sorted(set(mapping) - set(names))
    if unknown:
        raise ValueError(f"{argument}: unknown countries {', '.join(map(repr, unknown))}; use {', '.join(names)}")
    v = np.array([float(mapping.get(c, 0.0)) for c in names])
    if not np.all(np.isfinite(v)) or (v < 0).any() or v.sum() <= 0:
        raise ValueError(f"{argument}: shares must be non-negative with a positive sum")
    return v / v.sum()


def _with_sample(out, res, names, m, t, d, p_tier, rates, items, groups, replicates, seed):
    """Draw one sample of the report's n from the model, bootstrap it unweighted and raked to ``target``."""
    import simsurvey as ss

    data_seq, boot_seq = seed.spawn(2)
    rng = np.random.default_rng(data_seq)
    n = int(sum(res.sizes))
    country = rng.choice(len(names), size=n, p=m)
    u = rng.random(n)
    cum = np.cumsum(p_tier[:, country], axis=0)
    tier = (u[None, :] > cum).sum(axis=0).clip(0, len(groups) - 1)
    frame = pd.DataFrame({"group": np.array(groups)[tier],
                          "country": pd.Categorical.from_codes(country, categories=names)})
    draws = rng.random((n, len(items)))
    for j, item in enumerate(items):
        p = np.choose(tier, [rates[item, g][country] for g in groups])
        frame[item] = (draws[:, j] < p).astype(np.int8)
    margins = {"country": dict(zip(names, t))}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dropped replicates and BCa notes are beside the point here
        plain = ss.bootstrap(frame, res.spec, replicates=replicates, seed=boot_seq, methods=["percentile"])
        raked = ss.bootstrap(frame, res.spec, replicates=replicates, seed=boot_seq, methods=["percentile"],
                             reweight=margins)
    weights = ss.rake(frame, margins).weights
    share_plain = frame["group"].value_counts(normalize=True)
    share_raked = weights.groupby(frame["group"]).sum() / weights.sum()
    by_claim = {"sample_unweighted": plain.set_index("claim_id")["estimate"],
                "sample_reweighted": raked.set_index("claim_id")["estimate"],
                "width_unweighted": plain.set_index("claim_id")["width"],
                "width_reweighted": raked.set_index("claim_id")["width"],
                "deff_weighting": raked.set_index("claim_id")["deff_weighting"]}
    tiers = out["quantity"] == "tier share"
    for column, values in by_claim.items():
        out[column] = out["subject"].map(values)
    out.loc[tiers, "sample_unweighted"] = out.loc[tiers, "subject"].map(share_plain)
    out.loc[tiers, "sample_reweighted"] = out.loc[tiers, "subject"].map(share_raked)
    out["deff"] = kish_deff(weights)
    return out
