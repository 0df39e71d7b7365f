"""Printed multipliers ("5.7x more likely", "+21%") against the percentages behind them.

Two tests, from weak to strong:

* **continuous**: the true percentages lie within rounding of the printed
  ones, so their ratio lies in an interval (:func:`ratio_bounds`); the printed
  multiplier must be able to come from it (:func:`ratio_possible`).
* **integer counts** (GRIM for ratios): the reports compute multipliers "from
  total numbers (not rounded numbers)", i.e. from whole-number counts ``k`` in
  groups of whole-number size ``N``. :func:`ratio_feasible` tries every
  admissible pair of group sizes and every pair of counts that print as the
  published percentages, with exact integer rounding tests, vectorised.

:func:`evaluate_claims` applies both to every claim of a survey and
:func:`claims_table` lays the results out one row per claim.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

from simsurvey._validation import check_rule
from simsurvey.forensics.groupsizes import count_range, integer_run
from simsurvey.forensics.rounding_intervals import Interval, exact_tie, printed_interval, ratio_interval
from simsurvey.forensics.rounding import scaled
from simsurvey.forensics.surveyfacts import Pct, SurveyFacts

__all__ = ["ratio_bounds", "ratio_possible", "ratio_feasible", "implied_pcts", "ClaimResult", "claim_sides",
           "pair_feasible", "evaluate_claims", "claims_table", "CLAIM_COLUMNS", "CATALOGUE_CLAIM_COLUMNS"]

#: Elements of the (size pair x count) grid handled at once.
_CHUNK = 1 << 21
#: Columns of the claims table after the catalogue's own.
CLAIM_COLUMNS = ["num_pct", "den_pct", "recomputed", "low", "high", "integer_feasible", "verdict", "note"]
#: The catalogue's columns the claims table starts with.
CATALOGUE_CLAIM_COLUMNS = ["claim_id", "survey", "chart", "location", "kind", "item", "numerator", "denominator",
                           "group", "printed", "printed_text", "decimals", "direction", "certainty"]
_DIRECTIONS = ("more", "less")


def _check(rule: str, direction: str) -> None:
    check_rule(rule)
    if direction not in _DIRECTIONS:
        raise ValueError(f"direction must be 'more' or 'less', got {direction!r}")


def ratio_bounds(num_pct, den_pct, *, pct_decimals=(0, 0), direction: str = "more",
                 rule: str = "any") -> Interval:
    """Ratios compatible with two rounded percentages, on the printed scale.

    Parameters
    ----------
    num_pct, den_pct : float
        Printed percentages of the numerator and denominator.
    pct_decimals : (int, int)
        Decimals of each printed percentage.
    direction : {"more", "less"}
        ``"less"`` ("1.1x less likely") prints ``den / num``; the interval is then of that.
    rule : {"half_up", "half_even", "any"}

    Returns
    -------
    Interval

    Examples
    --------
    >>> r = ratio_bounds(91, 16)
    >>> [round(v, 3) for v in r.as_floats()]
    [5.485, 5.903]
    """
    _check(rule, direction)
    d1, d2 = pct_decimals
    num = printed_interval(num_pct, d1, rule, lower=0, upper=100)
    den = printed_interval(den_pct, d2, rule, lower=0, upper=100)
    return ratio_interval(num, den) if direction == "more" else ratio_interval(den, num)


def ratio_possible(num_pct, den_pct, printed, *, decimals: int = 1, pct_decimals=(0, 0),
                   direction: str = "more", rule: str = "any") -> bool:
    """Whether some true percentages within rounding give a ratio that prints as ``printed``.

    Examples
    --------
    41% and 20% (a ratio of exactly 2.05 as printed): the unrounded values allow 2.0 and 2.1,
    but not 2.2:

    >>> [ratio_possible(41, 20, m) for m in (2.0, 2.1, 2.2)]
    [True, True, False]
    """
    bounds = ratio_bounds(num_pct, den_pct, pct_decimals=pct_decimals, direction=direction, rule=rule)
    return bounds.overlaps(printed_interval(printed, decimals, rule, lower=0))


def ratio_feasible(num_pct, den_pct, printed, num_base, den_base, *, decimals: int = 1,
                   pct_decimals=(0, 0), direction: str = "more", rule: str = "any") -> np.ndarray:
    """For each pair of base sizes, whether whole-number counts reproduce everything printed.

    For sizes ``N1, N2`` it asks whether some counts ``k1, k2`` print as
    ``num_pct`` and ``den_pct`` (``100 k / N`` rounded) while
    ``(k1 / N1) / (k2 / N2)`` prints as ``printed``. All tests are exact integer
    comparisons, vectorised over (size pair x k2): for each, the ``k1`` that
    give the printed ratio are a run of integers solved in closed form and
    intersected with the counts that print as ``num_pct``.

    Parameters
    ----------
    num_pct, den_pct : float or None
        Printed percentages; None for an unpublished one (any count then).
    printed : float
        Printed multiplier.
    num_base, den_base : array_like of int
        Base sizes of numerator and denominator, one entry per candidate
        (e.g. per admissible group-size vector), same shape.
    decimals : int
        Decimals of the printed multiplier.
    pct_decimals : (int, int)
        Decimals of the printed percentages.
    direction : {"more", "less"}
    rule : {"half_up", "half_even", "any"}

    Returns
    -------
    numpy.ndarray of bool, shape of ``num_base``

    Examples
    --------
    91% of the high performers and 16% of the underperformers, printed 5.7x:
    impossible with 83 high performers (no count of 83 prints as 91%), possible with 86:

    >>> ratio_feasible(91, 16, 5.7, [83, 86], [283, 283]).tolist()
    [False, True]
    """
    _check(rule, direction)
    nb = np.asarray(num_base, dtype=np.int64)
    db = np.asarray(den_base, dtype=np.int64)
    if nb.shape != db.shape:
        raise ValueError(f"num_base and den_base must have the same shape, got {nb.shape} and {db.shape}")
    if nb.size and (np.any(nb < 1) or np.any(db < 1)):
        raise ValueError("base sizes must be positive whole numbers")
    if direction == "less":  # "x less likely" prints den / num: the same test with the roles swapped
        return ratio_feasible(den_pct, num_pct, printed, db, nb, decimals=decimals,
                              pct_decimals=tuple(pct_decimals)[::-1], direction="more", rule=rule)
    if nb.size == 0:
        return np.zeros(nb.shape, dtype=bool)
    pairs, inverse = np.unique(np.column_stack([nb.ravel(), db.ravel()]), axis=0, return_inverse=True)
    n1, n2 = pairs[:, 0], pairs[:, 1]
    k1lo, k1hi = _counts(num_pct, n1, pct_decimals[0], rule)
    k2lo, k2hi = _counts(den_pct, n2, pct_decimals[1], rule)
    k2lo = np.maximum(k2lo, 1)  # no ratio with a denominator count of 0
    m = int(scaled(printed, decimals))
    unit = 10 ** int(decimals)
    ok = np.zeros(len(pairs), dtype=bool)
    live = np.flatnonzero((k1lo <= k1hi) & (k2lo <= k2hi))
    # Every (size pair, k2) is a row; the k1 that make the ratio print as ``printed`` form a run
    # solved exactly in integers, so only its overlap with the counts printing as num_pct is tested.
    # Rows are bucketed by run width (rounded up to a power of two) to keep the padding small.
    widths = _pow2(k2hi[live] - k2lo[live] + 1)
    for w2 in sorted(set(widths.tolist())):
        bucket = live[widths == w2]
        step = max(1, _CHUNK // w2)
        offsets = np.arange(w2, dtype=np.int64)
        for start in range(0, bucket.size, step):
            idx = bucket[start:start + step]
            k2 = k2lo[idx, None] + offsets                      # (pairs, w2)
            # k1 N2 / (k2 N1) prints as m/unit  <=>  (2m - 1) k2 N1 <= 2 unit N2 k1 <= (2m + 1) k2 N1
            cross = k2 * n1[idx, None]
            lo, hi = integer_run((2 * m - 1) * cross, (2 * m + 1) * cross, 2 * unit * n2[idx, None], m, rule)
            lo = np.maximum(lo, k1lo[idx, None])
            hi = np.minimum(hi, k1hi[idx, None])
            ok[idx] = ((lo <= hi) & (k2 <= k2hi[idx, None])).any(axis=1)
    return ok[np.ravel(inverse)].reshape(nb.shape)


def _pow2(width: np.ndarray) -> np.ndarray:
    """Smallest power of two >= width (width >= 1)."""
    return np.left_shift(np.int64(1), np.ceil(np.log2(width)).astype(np.int64))


def _counts(pct, base, decimals, rule):
    if pct is None:
        return np.zeros_like(base), base.copy()
    return count_range(pct, base, decimals, rule)


def implied_pcts(known_pct, printed, known_base, other_base, *, known: str = "num", decimals: int = 1,
                 pct_decimals: int = 0, direction: str = "more", rule: str = "any") -> tuple[Interval, list]:
    """What a multiplier implies about the unpublished percentage of a pair.

    Parameters
    ----------
    known_pct : float
        The published percentage.
    printed : float
        The printed multiplier.
    known_base, other_base : array_like of int or None
        Base sizes of the published and unpublished side per candidate
        (None: continuous answer only).
    known : {"num", "den"}
        Which side is published.
    decimals, pct_decimals : int
        Decimals of the multiplier and of the percentages.
    direction : {"more", "less"}
    rule : {"half_up", "half_even", "any"}

    Returns
    -------
    interval : Interval
        True values of the unpublished percentage (continuous bound).
    printable : list of float
        Printed values (at ``pct_decimals``) the unpublished percentage could
        have with whole-number counts; empty without bases.

    Examples
    --------
    90% of high performers "2.1x more likely" than underperformers, groups of 83-90 and 280-286:

    >>> iv, printable = implied_pcts(90, 2.1, [86, 87], [283, 282])
    >>> [round(v, 2) for v in iv.as_floats()], printable
    ([41.63, 44.15], [42.0, 43.0, 44.0])
    """
    _check(rule, direction)
    if known not in ("num", "den"):
        raise ValueError(f"known must be 'num' or 'den', got {known!r}")
    p_known = printed_interval(known_pct, pct_decimals, rule, lower=0, upper=100)
    m = printed_interval(printed, decimals, rule, lower=0)
    # true ratio num/den is m ("more") or 1/m ("less")
    other_is_den = known == "num"
    if other_is_den == (direction == "more"):
        iv = ratio_interval(p_known, m)           # other = known / m
    else:
        iv = _product(p_known, m)                 # other = known * m
    iv = iv.intersect(Interval(Fraction(0), Fraction(100)))
    printable: list = []
    if known_base is not None and not iv.empty:
        unit = Fraction(1, 10 ** pct_decimals)
        first = math.floor(Fraction(iv.low) / unit) - 1
        last = math.ceil(min(Fraction(iv.high), Fraction(100)) / unit) + 1
        for step in range(max(first, 0), min(last, 100 * 10 ** pct_decimals) + 1):
            q = float(step * unit)
            args = (known_pct, q) if other_is_den else (q, known_pct)
            bases = (known_base, other_base) if other_is_den else (other_base, known_base)
            if ratio_feasible(*args, printed, *bases, decimals=decimals, pct_decimals=(pct_decimals,) * 2,
                              direction=direction, rule=rule).any():
                printable.append(q)
    return iv, printable


def _product(a: Interval, b: Interval) -> Interval:
    high = math.inf if math.isinf(a.high) or math.isinf(b.high) else a.high * b.high
    return Interval(a.low * b.low, high, a.low_closed and b.low_closed,
                    a.high_closed and b.high_closed and not math.isinf(high))


# -- claims of a survey ----------------------------------------------------------------

@dataclass(frozen=True)
class ClaimResult:
    """The forensic verdict on one claim.

    ``mask`` marks the admissible group-size vectors (rows of
    ``SurveyFacts.sizes``) under which whole-number counts reproduce the
    claim; None when no integer test was made.
    """

    claim_id: str
    num: Pct | None
    den: Pct | None
    recomputed: float
    low: float
    high: float
    integer_feasible: str
    verdict: str
    note: str
    mask: np.ndarray | None = field(default=None, repr=False)


def _fmt(x: float, digits: int = 2) -> str:
    return f"{float(x):.{digits}f}".rstrip("0").rstrip(".") if math.isfinite(float(x)) else "inf"


def claim_sides(facts: SurveyFacts, claim) -> tuple[str, str, Pct | None, Pct | None]:
    """The groups and printed percentages a claim compares: ``(g1, g2, num, den)``.

    For a ``ratio`` claim the groups are its numerator and denominator and
    the percentages those of its item; for ``anticipated_growth`` both groups
    are the claim's group and the percentages those of its two items. A
    percentage is None where unpublished (and both are for claims without an
    item and for ``important_vs_unimportant``). The figure printed where the
    claim is printed (chart or text) is preferred.
    """
    if claim.kind == "ratio":
        g1, g2 = claim.numerator, claim.denominator
        if not claim.item:
            return g1, g2, None, None
        return g1, g2, facts.pct(claim.item, g1, claim.location), facts.pct(claim.item, g2, claim.location)
    if claim.kind == "anticipated_growth":
        g = claim.group
        return g, g, facts.pct(claim.numerator, g, claim.location), facts.pct(claim.denominator, g, claim.location)
    return claim.numerator, claim.denominator, None, None


def pair_feasible(facts: SurveyFacts, g1, g2, num: Pct, den: Pct, printed, decimals, direction, rule):
    """Both tests for one pair of printed percentages and one printed multiplier.

    Returns ``(continuous_ok, bounds, mask)``: whether the rounding interval
    allows the multiplier, the interval itself, and per admissible group-size
    vector of ``facts`` whether whole-number counts do (None without sizes).
    """
    bounds = ratio_bounds(num.value, den.value, pct_decimals=(num.decimals, den.decimals),
                          direction=direction, rule=rule)
    cont = bounds.overlaps(printed_interval(printed, decimals, rule, lower=0))
    mask = None
    if facts.sizes is not None:
        mask = ratio_feasible(num.value, den.value, printed, facts.base(g1), facts.base(g2), decimals=decimals,
                              pct_decimals=(num.decimals, den.decimals), direction=direction, rule=rule)
    return cont, bounds, mask


def _decide(facts: SurveyFacts, cont: bool, mask) -> str:
    if not cont:
        return "inconsistent"
    if facts.integer_decides and not mask.any():
        return "inconsistent"
    return "consistent"


def _no_pct_note(claim, r: Interval) -> str:
    lo = float(r.low)
    num, den = claim.numerator, claim.denominator
    if claim.direction == "less":
        num, den = den, num  # the printed value is den / num
    if claim.kind == "important_vs_unimportant":
        cap = 100 / (1 + lo)
        return (f"no percentages published; {claim.printed_text} means {num}% / {den}% in "
                f"[{_fmt(r.low, 3)}, {_fmt(r.high, 3)}]; if both are shares of the same respondents "
                f"(they cannot add to more than 100), {den}% <= 100/(1+{_fmt(lo, 3)}) = {cap:.1f}%")
    return (f"no percentages published; {claim.printed_text} needs {den}% <= {num}%/{_fmt(lo, 3)}, "
            f"so {den}% <= {100 / lo:.1f}% even if every {num} respondent qualifies")


def _evaluate(facts: SurveyFacts, claim, all_claims: pd.DataFrame) -> ClaimResult:
    rule = facts.rule
    decimals, direction, printed = int(claim.decimals), claim.direction, float(claim.printed)
    m_iv = printed_interval(printed, decimals, rule, lower=0)
    g1, g2, num, den = claim_sides(facts, claim)
    nan = float("nan")
    notes: list[str] = []

    if num is None and den is None:
        return ClaimResult(claim.claim_id, None, None, nan, nan, nan, "n/a", "unresolved", _no_pct_note(claim, m_iv))

    if num is None or den is None:  # one side published: say what the multiplier implies about the other
        known, other = (num, g2) if den is None else (den, g1)
        bases = (facts.base(g1 if den is None else g2), facts.base(other)) if facts.sizes is not None else (None, None)
        iv, printable = implied_pcts(known.value, printed, *bases, known="num" if den is None else "den",
                                     decimals=decimals, pct_decimals=known.decimals, direction=direction, rule=rule)
        integer = "n/a" if facts.sizes is None else ("yes" if printable else "no")
        known_group = g1 if den is None else g2
        text = (f"only the {known_group} figure ({_fmt(known.value)}%) is published; {claim.printed_text} implies "
                f"the {other} figure lies in [{_fmt(iv.low)}, {_fmt(iv.high)}]%")
        if printable:
            text += f" (printed as {', '.join(_fmt(q) for q in printable)} with whole-number counts)"
        verdict = "inconsistent" if iv.empty or (facts.integer_decides and not printable) else "unresolved"
        return ClaimResult(claim.claim_id, num, den, nan, nan, nan, integer, verdict, text)

    cont, bounds, mask = pair_feasible(facts, g1, g2, num, den, printed, decimals, direction, rule)
    top, bottom = (num, den) if direction == "more" else (den, num)
    point = Fraction(top.value) / Fraction(bottom.value) if bottom.value else None  # None: printed 0%
    verdict = _decide(facts, cont, mask)
    integer = "n/a" if mask is None else ("yes" if mask.any() else "no")
    what = f"{_fmt(top.value)}% / {_fmt(bottom.value)}%"

    if not cont:
        notes.append(f"no values rounding to {what} give a ratio that prints {claim.printed_text}: "
                     f"they allow {_fmt(bounds.low, 3)}-{_fmt(bounds.high, 3)}")
    elif mask is not None:
        if mask.any():
            if g1 == g2 == "all":
                notes.append(f"whole-number counts out of n={facts.n} fit")
            else:
                notes.append(f"whole-number counts fit {int(mask.sum())} of {len(mask)} admissible "
                             "group-size vectors")
        else:
            notes.append(f"GRIM: no whole-number counts in groups of {g1} {_range(facts, g1)} and {g2} "
                         f"{_range(facts, g2)} print {what} and {claim.printed_text}")
    else:
        notes.append(facts.sizes_note)
    if facts.weighted and mask is not None:
        notes.append("weighted data: counts are not whole numbers, so only the rounding interval decides "
                     "(integer test shown as if unweighted)")
    if point is None:
        notes.append(f"the printed {_fmt(bottom.value)}% makes the ratio of printed figures undefined")
    elif exact_tie(point, decimals):
        notes.append(_tie_note(point, decimals))
    if rule == "any" and verdict == "consistent":
        pure = []
        for pure_rule in ("half_up", "half_even"):
            ok, _, pure_mask = pair_feasible(facts, g1, g2, num, den, printed, decimals, direction, pure_rule)
            if _decide(facts, ok, pure_mask) == "consistent":
                pure.append(pure_rule)
        if len(pure) == 1:
            notes.append(f"possible only if ties are rounded {pure[0].replace('_', '-')}")
        elif not pure:
            notes.append("possible only if percentages and multiplier were rounded by different rules")
    if claim.certainty == "uncertain":
        verdict, extra = _scrambled_verdict(facts, claim, all_claims, verdict, rule)
        notes.append(extra)
    for side in (num, den):
        if side.certainty == "uncertain" and claim.certainty != "uncertain":
            notes.append("figure labels uncertain")
            break
    return ClaimResult(claim.claim_id, num, den, math.inf if point is None else float(point), float(bounds.low),
                       float(bounds.high), integer,
                       verdict, "; ".join(n for n in notes if n), mask)


def _tie_note(point: Fraction, decimals: int) -> str:
    unit = 10 ** decimals
    below = math.floor(point * unit)
    up, even = below + 1, below + (below % 2)
    text = f"the printed percentages' ratio is exactly {_fmt(point, decimals + 2)}, a tie: "
    if up == even:
        return text + f"half-up and half-even both print {up / unit:.{decimals}f}"
    return text + f"half-up prints {up / unit:.{decimals}f}, half-even {even / unit:.{decimals}f}"


def _range(facts: SurveyFacts, group: str) -> str:
    lo, hi = facts.size_range(group)
    return f"{lo}-{hi}" if lo != hi else f"{lo}"


def _scrambled_verdict(facts: SurveyFacts, claim, all_claims: pd.DataFrame, verdict: str, rule: str):
    """An uncertain pairing that fails is only inconsistent when no triple of the chart fits it."""
    if verdict == "consistent":
        return verdict, "pairing of label, numbers and multiplier uncertain (see the scrambled table)"
    same = all_claims[(all_claims["chart"] == claim.chart) & (all_claims["location"] == claim.location)
                      & (all_claims["kind"] == claim.kind) & (all_claims["item"] != "")]
    fits = []
    for other in same.itertuples(index=False):
        g1, g2, num, den = claim_sides(facts, other)
        if num is None or den is None:
            continue
        cont, _, mask = pair_feasible(facts, g1, g2, num, den, float(claim.printed), int(claim.decimals),
                                  claim.direction, rule)
        if _decide(facts, cont, mask) == "consistent":
            fits.append(f"{other.item} ({_fmt(num.value)}/{_fmt(den.value)})")
    if fits:
        return "unresolved", (f"scrambled chart: {claim.printed_text} cannot come from the numbers printed at "
                              f"this position but can from {', '.join(fits)} (see the scrambled table)")
    return "inconsistent", f"scrambled chart: no number pair of the chart can give {claim.printed_text}"


def evaluate_claims(facts: SurveyFacts) -> list[ClaimResult]:
    """Judge every claim of a survey (one :class:`ClaimResult` each, in catalogue order).

    Examples
    --------
    >>> from simsurvey.catalog.load import load_catalog
    >>> from simsurvey.forensics.surveyfacts import survey_facts
    >>> facts = survey_facts(load_catalog(), "sos-smb-2016")
    >>> first = evaluate_claims(facts)[0]
    >>> first.verdict, first.integer_feasible, round(first.recomputed, 4)
    ('consistent', 'yes', 1.9565)
    """
    claims = facts.claims.fillna("")
    return [_evaluate(facts, c, claims) for c in claims.itertuples(index=False)]


def claims_table(facts: SurveyFacts, results: list[ClaimResult] | None = None) -> pd.DataFrame:
    """One row per claim: the catalogue's columns, then the forensic ones (:data:`CLAIM_COLUMNS`).

    ``recomputed`` is the ratio of the printed percentages; ``low``/``high``
    bound the ratios the rounded percentages allow (both on the printed
    scale: ``den / num`` for "less likely" claims).

    Examples
    --------
    >>> from simsurvey.catalog.load import load_catalog
    >>> from simsurvey.forensics.surveyfacts import survey_facts
    >>> t = claims_table(survey_facts(load_catalog(), "smb-trends-2017"))
    >>> t[["item", "printed", "num_pct", "den_pct", "verdict"]].head(2).values.tolist()
    [['uses_crm', 2.0, 41.0, 20.0, 'consistent'], ['uses_helpdesk', 2.5, 30.0, 12.0, 'consistent']]
    """
    results = evaluate_claims(facts) if results is None else results
    base = facts.claims[CATALOGUE_CLAIM_COLUMNS].reset_index(drop=True)
    extra = pd.DataFrame({
        "num_pct": [r.num.value if r.num else np.nan for r in results],
        "den_pct": [r.den.value if r.den else np.nan for r in results],
        "recomputed": [r.recomputed for r in results],
        "low": [r.low for r in results],
        "high": [r.high for r in results],
        "integer_feasible": [r.integer_feasible for r in results],
        "verdict": [r.verdict for r in results],
        "note": [r.note for r in results],
    })
    return pd.concat([base, extra], axis=1)
