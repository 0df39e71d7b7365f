"""Overall figures against their group figures: the overall is a share-weighted mean.

"63% are leading CX initiatives" with groups of 11/53/36% at 90/70/46% must
satisfy ``overall = sum(share_g * pct_g)`` for some true values within
rounding of every printed number (:func:`mixture_bounds`), and, in an
unweighted survey, for some whole-number group sizes and counts
(:func:`mixture_feasible`: the counts of the groups add up to the overall count).

Where the shares are unpublished (two groups), the same equation read
backwards bounds the share (:func:`inverse_share_bounds`), item by item and
jointly over all items: the *inverse problem*.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd

from simsurvey.catalog.load import ALL
from simsurvey.forensics.groupsizes import count_range, share_decimals
from simsurvey.forensics.rounding_intervals import Interval, printed_interval
from simsurvey.forensics.surveyfacts import SurveyFacts

__all__ = ["mixture_bounds", "mixture_feasible", "inverse_share_bounds", "mixtures_table", "inverse_table",
           "MIXTURE_COLUMNS", "INVERSE_COLUMNS"]

MIXTURE_COLUMNS = ["survey", "item", "printed", "group_pcts", "shares", "recomputed", "low", "high",
                   "int_low", "int_high", "integer_feasible", "verdict", "note"]
INVERSE_COLUMNS = ["survey", "item", "group", "printed", "group_pcts", "recomputed", "low", "high",
                   "int_low", "int_high", "integer_feasible", "verdict", "note"]
JOINT = "(all items jointly)"


def mixture_bounds(group_pcts, shares, *, pct_decimals=0, share_decimals=0, rule: str = "any") -> Interval:
    """Closed hull of the overall percentages that rounded group figures and shares allow.

    The true shares lie within rounding of the printed ones and add up to
    exactly 100%; the extremes put as much weight as the share intervals allow
    on the groups with the lowest (highest) true percentages.

    Parameters
    ----------
    group_pcts : sequence of float
        Printed percentage of each group.
    shares : sequence of float
        Printed share of each group (percent).
    pct_decimals, share_decimals : int or sequence of int
        Decimals printed.
    rule : {"half_up", "half_even", "any"}

    Returns
    -------
    Interval
        Closed hull (the ends may not be attainable: the test is generous at exact ties).

    Raises
    ------
    ValueError
        If the lists differ in length or the share intervals cannot add to 100%.

    Examples
    --------
    >>> [round(v, 3) for v in mixture_bounds([90, 70, 46], [11, 53, 36]).as_floats()]
    [62.84, 64.28]
    """
    group_pcts, shares = list(group_pcts), list(shares)
    if len(group_pcts) != len(shares) or not shares:
        raise ValueError(f"group_pcts and shares must have the same (non-zero) length, got {len(group_pcts)} "
                         f"and {len(shares)}")
    k = len(shares)
    pdec = np.broadcast_to(pct_decimals, (k,))
    sdec = np.broadcast_to(share_decimals, (k,))
    x = [printed_interval(p, int(d), rule, lower=0, upper=100) for p, d in zip(group_pcts, pdec)]
    w = [printed_interval(s, int(d), rule, lower=0, upper=100) for s, d in zip(shares, sdec)]
    lo_w, hi_w = [i.low / 100 for i in w], [i.high / 100 for i in w]
    if sum(lo_w) > 1 or sum(hi_w) < 1:
        raise ValueError(f"shares {shares} cannot add to 100% within rounding")
    return Interval(_extreme([i.low for i in x], lo_w, hi_w, lowest=True),
                    _extreme([i.high for i in x], lo_w, hi_w, lowest=False))


def _extreme(values, lo_w, hi_w, *, lowest: bool) -> Fraction:
    weights = list(lo_w)
    rest = 1 - sum(weights)
    for g in sorted(range(len(values)), key=lambda g: values[g], reverse=not lowest):
        add = min(rest, hi_w[g] - lo_w[g])
        weights[g] += add
        rest -= add
    return sum(wg * v for wg, v in zip(weights, values))


def mixture_feasible(overall_pct, group_pcts, sizes, n: int, *, pct_decimals=0, overall_decimals: int = 0,
                     rule: str = "any") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each group-size vector, whether whole-number counts reproduce the overall figure.

    Counts within a group form a run ``kmin..kmax``, so the groups' total runs
    over ``sum(kmin)..sum(kmax)`` and the test is whether that meets the run
    of overall counts: exact and vectorised over size vectors.

    Parameters
    ----------
    overall_pct : float
        Printed overall percentage.
    group_pcts : sequence of float
        Printed percentage in each group.
    sizes : array_like of int, shape (m, groups)
        Candidate group-size vectors (rows sum to ``n``).
    n : int
        Respondents overall.
    pct_decimals : int or sequence of int
        Decimals of the group percentages.
    overall_decimals : int
    rule : {"half_up", "half_even", "any"}

    Returns
    -------
    feasible : numpy.ndarray of bool, shape (m,)
    total_low, total_high : numpy.ndarray of int64, shape (m,)
        Smallest and largest overall count the group counts allow (``total_low >
        total_high`` where some group percentage is unattainable).

    Examples
    --------
    63% overall (492-499 of 786), 90/70/46% in groups of 86/416/284 (group
    counts 77-78, 290-293 and 130-131, totalling 497-502), and the same with
    an overall of 64%:

    >>> ok, lo, hi = mixture_feasible(63, [90, 70, 46], [[86, 416, 284]], 786)
    >>> ok.tolist(), lo.tolist(), hi.tolist()
    ([True], [497], [502])
    >>> mixture_feasible(65, [90, 70, 46], [[86, 416, 284]], 786)[0].tolist()
    [False]
    """
    sizes = np.atleast_2d(np.asarray(sizes, dtype=np.int64))
    group_pcts = list(group_pcts)
    if sizes.shape[1] != len(group_pcts):
        raise ValueError(f"sizes has {sizes.shape[1]} columns but there are {len(group_pcts)} group_pcts")
    pdec = np.broadcast_to(np.asarray(pct_decimals, dtype=np.int64), (len(group_pcts),))
    kmin, kmax = count_range(np.asarray(group_pcts, dtype=float)[None, :], sizes, pdec[None, :], rule)
    possible = (kmin <= kmax).all(axis=1)
    total_low, total_high = kmin.sum(axis=1), kmax.sum(axis=1)
    klo, khi = count_range(overall_pct, n, overall_decimals, rule)
    feasible = possible & (total_low <= khi) & (total_high >= klo)
    total_low = np.where(possible, total_low, 1)
    total_high = np.where(possible, total_high, 0)
    return feasible, total_low, total_high


def inverse_share_bounds(overall_pct, pct1, pct2, *, decimals=(0, 0, 0), rule: str = "any") -> Interval:
    """Share of group 1 (as a fraction 0-1) that two rounded group figures and the overall allow.

    Solves ``overall = w * pct1 + (1 - w) * pct2`` for ``w`` over every true
    value within rounding (closed hull, cut to ``[0, 1]``): ``w`` fits when
    the mixtures of the two group intervals at ``w`` meet the overall's
    interval, two inequalities linear in ``w``.

    Parameters
    ----------
    overall_pct, pct1, pct2 : float
        Printed overall and group percentages.
    decimals : (int, int, int)
        Decimals of the three.
    rule : {"half_up", "half_even", "any"}

    Returns
    -------
    Interval
        Empty when no share fits.

    Examples
    --------
    47% overall, 52% growing, 33% stagnant: the growing share is 13/19 to 15/19

    >>> inverse_share_bounds(47, 52, 33)
    Interval(low=Fraction(13, 19), high=Fraction(15, 19), low_closed=True, high_closed=True)
    """
    a, g, s = (printed_interval(p, int(d), rule, lower=0, upper=100)
               for p, d in zip((overall_pct, pct1, pct2), decimals))
    # For a given w the mixtures w g + (1 - w) s cover [w g.low + (1-w) s.low, w g.high + (1-w) s.high];
    # w fits when that meets [a.low, a.high]: two inequalities linear in w.
    out = Interval(Fraction(0), Fraction(1))
    out = out.intersect(_at_most(g.low - s.low, a.high - s.low))     # w g.low + (1-w) s.low <= a.high
    out = out.intersect(_at_most(s.high - g.high, s.high - a.low))   # w g.high + (1-w) s.high >= a.low
    return out


def _at_most(coef: Fraction, rhs: Fraction) -> Interval:
    """``{w : coef * w <= rhs}`` as an interval (possibly empty or the whole line)."""
    if coef > 0:
        return Interval(Fraction(-10**9), rhs / coef)
    if coef < 0:
        return Interval(rhs / coef, Fraction(10**9))
    return Interval(Fraction(-10**9), Fraction(10**9)) if rhs >= 0 else Interval(Fraction(1), Fraction(0))


def _fmt(x) -> str:
    x = float(x)
    return f"{x:.2f}".rstrip("0").rstrip(".") if math.isfinite(x) else "nan"


def _slash(values) -> str:
    return "/".join(_fmt(v) for v in values)


def _weighted_note(facts: SurveyFacts) -> str:
    return (f"weighted survey ({facts.weighting.rstrip('.')}): the overall is a weighted mean, so the rounding "
            "interval decides; whole-number counts are only an approximation here")


def _items_with_groups(facts: SurveyFacts) -> list[str]:
    f = facts.figures
    have = f.groupby("item")["group"].agg(set)
    need = set(facts.groups) | {ALL}
    return [item for item in f["item"].unique() if need <= have[item]]


def mixtures_table(facts: SurveyFacts) -> pd.DataFrame:
    """One row per item that prints an overall figure and every group's, in a survey with published shares.

    ``recomputed`` is the share-weighted mean of the printed group figures,
    ``low``/``high`` the hull of overall values the rounding allows,
    ``int_low``/``int_high`` the overall percentages whole-number counts can
    reach in some admissible group sizes.

    Examples
    --------
    >>> from simsurvey.catalog.load import load_catalog
    >>> from simsurvey.forensics.surveyfacts import survey_facts
    >>> row = mixtures_table(survey_facts(load_catalog(), "sos-smb-2016")).iloc[0]
    >>> row["item"], float(row["printed"]), round(float(row["recomputed"]), 2), row["verdict"]
    ('lead_cx_initiatives', 63.0, 63.56, 'consistent')
    """
    rows = []
    if not facts.groups or not facts.shares_published:
        return pd.DataFrame(columns=MIXTURE_COLUMNS)
    sdec = [share_decimals(s) for s in facts.shares]
    for item in _items_with_groups(facts):
        overall = facts.pct(item, ALL)
        parts = [facts.pct(item, g) for g in facts.groups]
        pcts = [p.value for p in parts]
        point = sum(Fraction(s) * Fraction(p) for s, p in zip(facts.shares, pcts)) / sum(map(Fraction, facts.shares))
        hull = mixture_bounds(pcts, facts.shares, pct_decimals=[p.decimals for p in parts], share_decimals=sdec,
                              rule=facts.rule)
        target = printed_interval(overall.value, overall.decimals, facts.rule, lower=0, upper=100)
        cont = hull.overlaps(target)
        notes = []
        int_low = int_high = float("nan")
        integer = "n/a"
        feasible = None
        if facts.sizes is not None:
            feasible, lo, hi = mixture_feasible(overall.value, pcts, facts.sizes, facts.n,
                                                pct_decimals=[p.decimals for p in parts],
                                                overall_decimals=overall.decimals, rule=facts.rule)
            reach = lo <= hi
            if reach.any():
                int_low, int_high = 100 * lo[reach].min() / facts.n, 100 * hi[reach].max() / facts.n
            integer = "yes" if feasible.any() else "no"
            notes.append(f"whole-number counts fit {int(feasible.sum())} of {len(feasible)} admissible "
                         f"group-size vectors (group counts total {lo[reach].min() if reach.any() else '-'}"
                         f"-{hi[reach].max() if reach.any() else '-'} of {facts.n})")
        else:
            notes.append(facts.sizes_note)
        verdict = "consistent"
        if not cont:
            verdict = "inconsistent"
            notes.insert(0, f"the rounded shares and group figures allow an overall {_fmt(hull.low)}-"
                            f"{_fmt(hull.high)}%, which cannot print as {_fmt(overall.value)}%")
        elif facts.integer_decides and not feasible.any():
            verdict = "inconsistent"
            notes.insert(0, f"GRIM: no whole-number counts in admissible groups add up to an overall "
                            f"{_fmt(overall.value)}%")
        if round(point) != overall.value and overall.decimals == 0 and cont:
            notes.insert(0, f"the printed figures give {float(point):.2f}%, which rounds to "
                            f"{_fmt(round(point))}, but rounding of shares and figures allows "
                            f"{_fmt(hull.low)}-{_fmt(hull.high)}%")
        if facts.weighted:
            notes.append(_weighted_note(facts))
        if any(p.certainty == "uncertain" for p in [overall, *parts]):
            notes.append("some figure labels uncertain")
        rows.append(dict(survey=facts.survey, item=item, printed=overall.value, group_pcts=_slash(pcts),
                         shares=_slash(facts.shares), recomputed=float(point), low=float(hull.low),
                         high=float(hull.high), int_low=int_low, int_high=int_high, integer_feasible=integer,
                         verdict=verdict, note="; ".join(notes)))
    return pd.DataFrame(rows, columns=MIXTURE_COLUMNS)


def inverse_table(facts: SurveyFacts) -> pd.DataFrame:
    """Bounds on an unpublished share of two groups, from every item with overall and group figures.

    One row per item, then one row (item ``"(all items jointly)"``) with the
    intersection. Shares are in percent of respondents and refer to the
    survey's first group; ``int_low``/``int_high`` bound the shares
    ``N1 / n`` of whole-number group sizes that fit.

    Examples
    --------
    >>> from simsurvey.catalog.load import load_catalog
    >>> from simsurvey.forensics.surveyfacts import survey_facts
    >>> t = inverse_table(survey_facts(load_catalog(), "smb-trends-2017"))
    >>> joint = t.iloc[-1]
    >>> joint["item"], round(float(joint["low"]), 2), round(float(joint["high"]), 2)
    ('(all items jointly)', 71.43, 76.19)
    """
    if len(facts.groups) != 2 or facts.shares_published or any(s is not None for s in facts.shares):
        return pd.DataFrame(columns=INVERSE_COLUMNS)
    g1, g2 = facts.groups
    rows = []
    joint = Interval(Fraction(0), Fraction(1))
    joint_mask = None if facts.sizes is None else np.ones(len(facts.sizes), dtype=bool)
    uncertain = False
    for item in _items_with_groups(facts):
        overall, p1, p2 = facts.pct(item, ALL), facts.pct(item, g1), facts.pct(item, g2)
        uncertain |= any(p.certainty == "uncertain" for p in (overall, p1, p2))
        bounds = inverse_share_bounds(overall.value, p1.value, p2.value,
                                      decimals=(overall.decimals, p1.decimals, p2.decimals), rule=facts.rule)
        joint = joint.intersect(bounds)
        point = (Fraction(overall.value) - Fraction(p2.value)) / (Fraction(p1.value) - Fraction(p2.value)) \
            if p1.value != p2.value else None
        mask = None
        if facts.sizes is not None:
            mask, _, _ = mixture_feasible(overall.value, [p1.value, p2.value], facts.sizes, facts.n,
                                          pct_decimals=[p1.decimals, p2.decimals],
                                          overall_decimals=overall.decimals, rule=facts.rule)
            joint_mask &= mask
        rows.append(_inverse_row(facts, item, overall.value, f"{_fmt(p1.value)}/{_fmt(p2.value)}", point, bounds,
                                 mask, uncertain=any(p.certainty == "uncertain" for p in (overall, p1, p2))))
    if rows:
        rows.append(_inverse_row(facts, JOINT, float("nan"), "", None, joint, joint_mask, uncertain=uncertain))
    return pd.DataFrame(rows, columns=INVERSE_COLUMNS)


def _inverse_row(facts: SurveyFacts, item, printed, pcts, point, bounds: Interval, mask, *, uncertain) -> dict:
    g1 = facts.groups[0]
    notes = []
    int_low = int_high = float("nan")
    integer = "n/a"
    if mask is not None:
        integer = "yes" if mask.any() else "no"
        if mask.any():
            sizes = facts.sizes[mask, 0]
            int_low, int_high = 100 * sizes.min() / facts.n, 100 * sizes.max() / facts.n
            gaps = int(sizes.max() - sizes.min() + 1 - len(sizes))
            notes.append(f"whole-number counts fit {g1} sizes {sizes.min()}-{sizes.max()} of {facts.n}"
                         + (f" ({gaps} size{'s' * (gaps > 1)} in between do{'es' * (gaps == 1)} not)"
                            if gaps else ""))
        else:
            notes.append(f"no whole-number {g1} size out of {facts.n} fits")
    else:
        notes.append(facts.sizes_note)
    verdict = "consistent"
    if bounds.empty:
        verdict = "inconsistent"
        notes.insert(0, "no share fits within rounding" + (" of every item" if item == JOINT else ""))
    elif facts.integer_decides and not mask.any():
        verdict = "inconsistent"
    elif bounds.low == 0 and bounds.high == 1:
        notes.insert(0, "within rounding this item allows any share")
    if facts.weighted:
        notes.append(_weighted_note(facts))
    if uncertain:
        notes.append("group labels of some figures uncertain: swapping them turns a share s into 100 - s")
    low, high = (float("nan"), float("nan")) if bounds.empty else (100 * float(bounds.low), 100 * float(bounds.high))
    return dict(survey=facts.survey, item=item, group=g1, printed=printed, group_pcts=pcts,
                recomputed=float("nan") if point is None else 100 * float(point), low=low, high=high,
                int_low=int_low, int_high=int_high, integer_feasible=integer, verdict=verdict,
                note="; ".join(notes))
