"""A survey's claims judged one by one: the multiplier against the percentages behind it.

:func:`evaluate_claims` applies the two tests of :mod:`simsurvey.forensics.ratios`
(the continuous bound and the whole-number counts under every admissible
group-size vector) to every claim of a survey, and :func:`claims_table` lays the
results out one row per claim, with a verdict and a note a reader can check.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

from simsurvey.forensics.ratios import implied_pcts, ratio_bounds, ratio_feasible
from simsurvey.forensics.rounding_intervals import Interval, exact_tie, printed_interval
from simsurvey.forensics.surveyfacts import Pct, SurveyFacts

__all__ = ["ClaimResult", "claim_sides", "pair_feasible", "evaluate_claims", "claims_table", "CLAIM_COLUMNS",
           "CATALOGUE_CLAIM_COLUMNS"]

#: Columns of the claims table after the catalogue's own.
CLAIM_COLUMNS = ["num_pct", "den_pct", "recomputed", "low", "high", "integer_feasible", "verdict", "note"]
#: The catalogue's columns the claims table starts with.
CATALOGUE_CLAIM_COLUMNS = ["claim_id", "survey", "chart", "location", "kind", "item", "numerator", "denominator",
                           "group", "printed", "printed_text", "decimals", "direction", "certainty"]


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
