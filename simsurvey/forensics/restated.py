"""Numbers printed twice: a chart and the body text stating the same figure or multiplier.

The same quantity rounded the same way prints the same; two different
printed values are consistent only if one true value (one whole-number count,
in an unweighted survey) rounds to both, e.g. 88.5% printing as 89 half-up
and 88 half-even. The text's "90% of high-performing SMB service teams already
engage customers in this manner" against the chart's 89% is not.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from simsurvey.forensics.groupsizes import count_range
from simsurvey.forensics.rounding_intervals import printed_interval
from simsurvey.forensics.surveyfacts import SurveyFacts

__all__ = ["restated_table", "RESTATED_COLUMNS", "same_value_possible"]

RESTATED_COLUMNS = ["survey", "kind", "item", "group", "chart", "printed_chart", "printed_text", "verdict", "note"]


def same_value_possible(a, b, *, decimals=(0, 0), base=None, rule: str = "any") -> bool:
    """Whether one true percentage can print both as ``a`` and as ``b``.

    Parameters
    ----------
    a, b : float
        The two printed percentages.
    decimals : (int, int)
        Their decimals.
    base : array_like of int, optional
        Candidate base sizes: the true value must then be ``100 k / N`` for a
        whole number ``k`` and one of these ``N``.
    rule : {"half_up", "half_even", "any"}

    Examples
    --------
    >>> same_value_possible(89, 90), same_value_possible(88, 89), same_value_possible(88, 89, rule="half_up")
    (False, True, False)

    Only a value of exactly 88.5% prints as both 88 and 89, and no count of 86, 87 or 88 is:

    >>> same_value_possible(88, 89, base=[86, 87, 88]), same_value_possible(88, 89, base=[200])
    (False, True)
    """
    ia = printed_interval(a, decimals[0], rule, lower=0, upper=100)
    ib = printed_interval(b, decimals[1], rule, lower=0, upper=100)
    if not ia.overlaps(ib):
        return False
    if base is None:
        return True
    base = np.asarray(base, dtype=np.int64)
    lo_a, hi_a = count_range(a, base, decimals[0], rule)
    lo_b, hi_b = count_range(b, base, decimals[1], rule)
    return bool((np.maximum(lo_a, lo_b) <= np.minimum(hi_a, hi_b)).any())


def _fmt(x: float) -> str:
    return f"{x:g}"


def restated_table(facts: SurveyFacts) -> pd.DataFrame:
    """One row per figure or claim printed both in a chart and in the text.

    Examples
    --------
    >>> from simsurvey.catalog.load import load_catalog
    >>> from simsurvey.forensics.surveyfacts import survey_facts
    >>> t = restated_table(survey_facts(load_catalog(), "sos-smb-2016"))
    >>> row = t[t["item"] == "engage_consistently_every_channel"]
    >>> row[["printed_chart", "printed_text", "verdict"]].values.tolist()
    [[89.0, 90.0, 'inconsistent']]
    """
    rows = []
    f = facts.figures
    for (item, group), both in f.groupby(["item", "group"], sort=False):
        if set(both["location"]) != {"chart", "text"}:
            continue
        chart = both[both["location"] == "chart"].iloc[0]
        text = both[both["location"] == "text"].iloc[0]
        a, b = float(chart["pct"]), float(text["pct"])
        da, db = int(chart["pct_decimals"]), int(text["pct_decimals"])
        notes, verdict = [], "consistent"
        if (a, da) != (b, db):
            base = facts.base(group) if facts.integer_decides else None
            if same_value_possible(a, b, decimals=(da, db), base=base, rule=facts.rule):
                notes.append("different printed values, but one true value can round to both")
            else:
                verdict = "inconsistent"
                notes.append(f"no true value rounds both to {_fmt(a)}% and to {_fmt(b)}%"
                             + (" with whole-number counts" if base is not None else "")
                             + "; the text may round loosely or describe a different base")
        doubt = sorted({str(x) for x in both["certainty"]} - {"certain"})
        if doubt:  # the catalogue's note whole: a note cut mid-sentence misleads
            notes.append(f"reading {' / '.join(doubt)}: {str(text['note'] or chart['note'])}".rstrip(": "))
        rows.append(dict(survey=facts.survey, kind="figure", item=item, group=group, chart=chart["chart"],
                         printed_chart=a, printed_text=b, verdict=verdict, note="; ".join(notes)))

    c = facts.claims.fillna("")
    c = c[c["item"] != ""]
    for key, both in c.groupby(["item", "kind", "numerator", "denominator", "group"], sort=False):
        if set(both["location"]) != {"chart", "text"}:
            continue
        chart = both[both["location"] == "chart"].iloc[0]
        text = both[both["location"] == "text"].iloc[0]
        a, b = float(chart["printed"]), float(text["printed"])
        same = (a, int(chart["decimals"]), chart["direction"]) == (b, int(text["decimals"]), text["direction"])
        notes, verdict = [], "consistent"
        if not same:
            uncertain = "uncertain" in set(both["certainty"])
            overlap = chart["direction"] == text["direction"] and printed_interval(
                a, int(chart["decimals"]), facts.rule).overlaps(printed_interval(b, int(text["decimals"]), facts.rule))
            if overlap:
                notes.append("different printed values, but one ratio can round to both")
            elif uncertain:
                verdict = "unresolved"
                notes.append("the chart's multiplier pairing is uncertain (scrambled chart; see the scrambled table)")
            else:
                verdict = "inconsistent"
                notes.append(f"{chart['printed_text']} in the chart, {text['printed_text']} in the text: "
                             "no ratio rounds to both")
        group = key[4] or f"{key[2]}/{key[3]}"
        rows.append(dict(survey=facts.survey, kind="claim", item=key[0], group=group, chart=chart["chart"],
                         printed_chart=a, printed_text=b, verdict=verdict, note="; ".join(notes)))
    return pd.DataFrame(rows, columns=RESTATED_COLUMNS)
