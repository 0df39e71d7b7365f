"""A known synthetic population for the scenarios: the one-factor model fitted to a report.

Every scenario starts from a population whose multipliers are known exactly.
:func:`latent_world` fits the one-factor threshold model
(:func:`simsurvey.fit_latent`) to a survey's published percentages at the
group sizes behind them: a trait ``theta ~ N(0, 1)`` cut into the tiers at
their shares (top tier highest), and per question a latent
``z = loading * theta + sqrt(1 - loading**2) * e`` whose categories are the
answers. A claim "high performers are k x more likely to ..." is then the ratio
of two exact bivariate-normal probabilities (:meth:`World.population`), and
:func:`draw_latent` draws respondents from the same model.

Only claims between two tiers on an item the model generates take part; the
rest (ratios between two items, claims without percentages) are listed in
``World.excluded`` with the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd
from scipy.special import ndtr

from simsurvey.catalog.spec import SurveySpec
from simsurvey.synth.design import design
from simsurvey.synth.latent import LatentFit, bvn_cdf, fit_design

__all__ = ["World", "latent_world", "resolved_survey", "draw_latent", "category_probability", "tier_claims"]


@dataclass(frozen=True, eq=False)
class World:
    """A fitted population: tiers cut on one trait, one latent column per question.

    Attributes
    ----------
    survey : str
    groups : tuple of str
        Top tier first.
    sizes : numpy.ndarray
        Group sizes the model was fitted at (the resolved sizes, e.g. 90/415/281).
    cuts : numpy.ndarray
        Tier cut points on ``theta``, ``[inf, ..., -inf]``.
    questions : tuple of str
        Question ids with a latent column, in the order of ``loadings``.
    loadings : numpy.ndarray
        Fitted loading of each question on ``theta``.
    claims : pandas.DataFrame
        One row per tier claim: ``claim_id, item, numerator, denominator,
        printed, label, certainty`` and the model's reading of the item:
        ``question`` (index into ``questions``), ``upper``, ``lower`` (the
        item is ``lower < z <= upper``), ``num``, ``den`` (group indices).
    excluded : pandas.DataFrame
        ``claim_id, item, reason`` for the survey's claims that take no part.
    resolved : ResolvedSurvey
        What the world was built from (:func:`simsurvey.resolve`).
    """

    survey: str
    groups: tuple[str, ...]
    sizes: np.ndarray
    cuts: np.ndarray
    questions: tuple[str, ...]
    loadings: np.ndarray
    claims: pd.DataFrame
    excluded: pd.DataFrame
    resolved: object = field(default=None, repr=False)

    @cached_property
    def truth(self) -> np.ndarray:
        """Population multiplier of every claim (``population()["truth"]``, computed once)."""
        return self.population()["truth"].to_numpy()

    @property
    def shares(self) -> np.ndarray:
        """Population tier shares (proportions, top first)."""
        return self.sizes / self.sizes.sum()

    def population(self) -> pd.DataFrame:
        """Exact population percentages and multiplier of every claim.

        Examples
        --------
        >>> w = latent_world("sos-smb-2016")
        >>> row = w.population().set_index("item").loc["excel_engage_at_scale"]
        >>> round(float(row["truth"]), 2), float(row["printed"])
        (5.71, 5.7)
        """
        c = self.claims
        lam = self.loadings[c["question"].to_numpy()]
        p_num = category_probability(lam, c["upper"], c["lower"], self.cuts[c["num"]], self.cuts[c["num"] + 1])
        p_den = category_probability(lam, c["upper"], c["lower"], self.cuts[c["den"]], self.cuts[c["den"] + 1])
        out = c[["claim_id", "item", "numerator", "denominator", "printed"]].copy()
        out["pct_numerator"], out["pct_denominator"] = 100 * p_num, 100 * p_den
        out["truth"] = p_num / p_den
        return out


def category_probability(loading, upper, lower, theta_high, theta_low):
    """``P(lower < z <= upper | theta_low < theta <= theta_high)`` with ``corr(z, theta) = loading``.

    Vectorised over all arguments; infinite bounds are allowed.

    Examples
    --------
    With loading 0 the slice does not matter:

    >>> round(float(category_probability(0.0, np.inf, 0.0, 1.0, -1.0)), 6)
    0.5
    """
    lam, hi, lo, th, tl = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in
                                                (loading, upper, lower, theta_high, theta_low)))

    def below(t):  # P(z <= t, theta in slice)
        return bvn_cdf(th, t, lam) - bvn_cdf(tl, t, lam)

    return (below(hi) - below(lo)) / (ndtr(th) - ndtr(tl))


def tier_claims(resolved, fit: LatentFit) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The resolved claims the model can read: a ratio of two tiers on a generated item.

    A text sentence repeating a chart's multiplier is the same claim (the
    chart's row is kept, as in :func:`simsurvey.bootstrap`); a claim whose
    pairing the forensics could not pin down takes no part.
    """
    spec = resolved.spec
    claims = resolved.claims.copy()
    same = ["item", "numerator", "denominator", "printed"]
    claims = claims.sort_values("location", kind="stable").drop_duplicates(same).sort_index()
    item_of = {}  # item -> (question id, category index, thresholds)
    for qid, (_, thresholds) in fit.params.items():
        items = _question_items(spec, qid)
        for c, item in enumerate(items):
            item_of[item] = (qid, c, thresholds)
    questions = list(dict.fromkeys(q for q, _ in fit.params.items() if q not in fit.unfitted))
    rows, excluded = [], []
    for claim in claims.itertuples():
        reason = None
        if claim.pairing == "unresolved":
            reason = "scrambled chart the forensics could not re-pair"
        elif claim.kind != "ratio":
            reason = f"a {claim.kind} claim compares items, not tiers"
        elif not isinstance(claim.item, str) or not claim.item:
            reason = "no percentages published"
        elif claim.item not in item_of or item_of[claim.item][0] not in questions:
            reason = "item published for some groups only: the model has no loading for it"
        elif claim.numerator not in fit.groups or claim.denominator not in fit.groups:
            reason = "not a comparison of two tiers"
        if reason:
            excluded.append((claim.claim_id, claim.item if isinstance(claim.item, str) else "", reason))
            continue
        qid, c, th = item_of[claim.item]
        th = [np.inf, *th, -np.inf]
        rows.append(dict(claim_id=claim.claim_id, item=claim.item, numerator=claim.numerator,
                         denominator=claim.denominator, printed=float(claim.printed), label=claim.label,
                         certainty=claim.certainty, repaired=claim.pairing == "re-paired",
                         question=questions.index(qid), upper=th[c], lower=th[c + 1],
                         num=fit.groups.index(claim.numerator), den=fit.groups.index(claim.denominator)))
    table = pd.DataFrame(rows)
    return table, pd.DataFrame(excluded, columns=["claim_id", "item", "reason"])


def _question_items(spec: SurveySpec, qid: str) -> list[str]:
    f = spec.figures
    question = f["question"].fillna("") if "question" in f else pd.Series("", index=f.index)
    items = f.loc[(question == qid) | (f["item"] == qid), "item"].drop_duplicates().tolist()
    return items


def latent_world(survey="sos-smb-2016", *, catalog=None) -> World:
    """Fit the population every scenario starts from, on the resolved survey.

    The resolved survey (:func:`simsurvey.resolve`) supplies the group sizes
    (90/415/281 for the SMB tiers, not 11% of 786) and the claims with every
    scrambled chart re-paired; the one-factor model is fitted at those sizes.

    Parameters
    ----------
    survey : str, SurveySpec, ResolvedSurvey or World
        Survey id (resolved and fitted once per process, then cached), a spec,
        or an already resolved survey.
    catalog : Catalog, optional
        Where to look the survey up (default: the shipped catalogue).

    Returns
    -------
    World

    Examples
    --------
    >>> w = latent_world("sos-smb-2016")
    >>> w.groups, w.sizes.tolist(), len(w.claims)
    (('high', 'moderate', 'under'), [90, 415, 281], 24)
    >>> row = w.claims.set_index("item").loc["agents_comprehensive_views"]
    >>> float(row["printed"]), bool(row["repaired"])
    (4.2, True)
    """
    from simsurvey.forensics.resolve import ResolvedSurvey, resolve

    if isinstance(survey, World):
        return survey
    if isinstance(survey, str) and catalog is None:
        return _cached_world(survey)
    return _build(survey if isinstance(survey, ResolvedSurvey) else resolve(survey, catalog))


def resolved_survey(source, catalog=None):
    """The :class:`~simsurvey.forensics.resolve.ResolvedSurvey` behind ``source`` (id, spec, resolved or World).

    For tables that need the resolved claims but not a fitted population
    (a weighted survey has no whole-number group sizes to fit at).
    """
    from simsurvey.forensics.resolve import ResolvedSurvey, resolve

    if isinstance(source, World):
        return source.resolved
    if isinstance(source, ResolvedSurvey):
        return source
    if isinstance(source, str) and catalog is None:
        return _cached_resolved(source)
    return resolve(source, catalog)


@lru_cache(maxsize=8)
def _cached_resolved(survey: str):
    from simsurvey.forensics.resolve import resolve

    return resolve(survey)


@lru_cache(maxsize=8)
def _cached_world(survey: str) -> World:
    return _build(_cached_resolved(survey))


def _build(resolved) -> World:
    if resolved.sizes is None:
        raise ValueError(f"survey {resolved.survey!r}: no group sizes fit its published figures, "
                         "so there is no population to fit")
    fit = fit_design(design(resolved.spec), resolved.sizes)
    claims, excluded = tier_claims(resolved, fit)
    questions = tuple(q for q in fit.params if q not in fit.unfitted)
    loadings = np.array([fit.params[q][0] for q in questions])
    return World(survey=resolved.survey, groups=tuple(fit.groups), sizes=np.asarray(fit.sizes), cuts=fit.cuts,
                 questions=questions, loadings=loadings, claims=claims, excluded=excluded, resolved=resolved)


def draw_latent(world: World, n: int, rng: np.random.Generator, loadings=None):
    """Draw ``n`` population members: trait, tier codes, and the claims' items.

    Parameters
    ----------
    world : World
    n : int
    rng : numpy.random.Generator
    loadings : array_like, optional
        Loadings per question (default the fitted ones), e.g. to draw a world
        without tier differences (zeros).

    Returns
    -------
    theta : numpy.ndarray, shape (n,)
    tier : numpy.ndarray of int8, shape (n,)
        Index into ``world.groups``.
    items : numpy.ndarray of int8, shape (n, claims)
        One 0/1 column per claim (the claim's item).

    Examples
    --------
    >>> w = latent_world("sos-smb-2016")
    >>> theta, tier, y = draw_latent(w, 1000, np.random.default_rng(0))
    >>> y.shape, np.bincount(tier).tolist()
    ((1000, 24), [106, 525, 369])
    """
    theta = rng.standard_normal(n)
    tier = tier_codes(world, theta)
    z = latent_items(world, theta, rng, loadings)
    return theta, tier, read_items(world, z)


def tier_codes(world: World, theta: np.ndarray) -> np.ndarray:
    """Tier index of each trait value (0 = top tier)."""
    return (np.searchsorted(-world.cuts[1:-1], -theta, side="left")).astype(np.int8)


def latent_items(world: World, theta: np.ndarray, rng: np.random.Generator, loadings=None) -> np.ndarray:
    """Latent value of every question given the trait: ``n x questions``."""
    lam = world.loadings if loadings is None else np.asarray(loadings, dtype=float)
    e = rng.standard_normal((theta.size, lam.size))
    return theta[:, None] * lam + e * np.sqrt(1 - lam * lam)


def read_items(world: World, z: np.ndarray) -> np.ndarray:
    """The claims' 0/1 items from the question latents ``z`` (``n x questions``)."""
    c = world.claims
    zq = z[:, c["question"].to_numpy()]
    return ((zq > c["lower"].to_numpy()) & (zq <= c["upper"].to_numpy())).view(np.int8)
