"""Answer categories of one single-choice question: their percentages must fit in 100%.

Mutually exclusive categories (budget increased / maintained / decreased)
have true percentages adding up to at most 100% (exactly 100% when every
category is printed), so the printed ones add up to within ``k/2`` of that.
With whole-number counts the test is sharper: the smallest counts must fit in
the group. A report need not print every category, so a total below 100 is
not an error; the note says whether the printed categories can be all of them.
"""
from __future__ import annotations

import pandas as pd

from simsurvey.forensics.groupsizes import count_range
from simsurvey.forensics.rounding_intervals import printed_interval
from simsurvey.forensics.surveyfacts import SurveyFacts

__all__ = ["totals_table", "TOTALS_COLUMNS"]

TOTALS_COLUMNS = ["survey", "question", "group", "items", "pcts", "printed", "low", "high", "integer_feasible",
                  "verdict", "note"]


def totals_table(facts: SurveyFacts) -> pd.DataFrame:
    """One row per question and group: the printed categories' total against 100%.

    ``printed`` is the total of the printed percentages, ``low``/``high`` the
    total of their rounding intervals. ``integer_feasible`` says whether
    whole-number counts in some admissible group size fit in the group.

    Examples
    --------
    >>> from simsurvey.catalog.load import load_catalog
    >>> from simsurvey.forensics.surveyfacts import survey_facts
    >>> t = totals_table(survey_facts(load_catalog(), "sos-smb-2016"))
    >>> row = t[(t["question"] == "budget_past") & (t["group"] == "under")]
    >>> row[["pcts", "printed", "verdict"]].values.tolist()
    [['38/48/14', 100.0, 'consistent']]
    """
    f = facts.figures
    f = f[f["question"] != ""].sort_values("location", kind="stable").drop_duplicates(["item", "group"])
    rows = []
    for (question, group), cats in f.groupby(["question", "group"], sort=False):
        cats = cats.sort_index()
        pcts = [float(p) for p in cats["pct"]]
        decs = [int(d) for d in cats["pct_decimals"]]
        ivs = [printed_interval(p, d, facts.rule, lower=0, upper=100) for p, d in zip(pcts, decs)]
        low, high = sum(i.low for i in ivs), sum(i.high for i in ivs)
        low_closed = all(i.low_closed for i in ivs)
        notes, verdict = [], "consistent"
        if low > 100 or (low == 100 and not low_closed):
            verdict = "inconsistent"
            notes.append(f"even at their lowest the categories add to {float(low):g}% > 100%")
        integer = "n/a"
        if facts.sizes is not None:
            base = facts.base(group)
            kmin, kmax = count_range([[p] for p in pcts], base[None, :], [[d] for d in decs], facts.rule)
            attainable = (kmin <= kmax).all(axis=0)
            fits = attainable & (kmin.sum(axis=0) <= base)
            complete = fits & (kmax.sum(axis=0) >= base)
            integer = "yes" if fits.any() else "no"
            if facts.integer_decides and not fits.any() and verdict == "consistent":
                verdict = "inconsistent"
                notes.append("no whole-number counts of these percentages fit in any admissible group size")
            can_be_all = bool(complete.any()) if facts.integer_decides else (low <= 100 <= high)
        else:
            can_be_all = low <= 100 <= high
            notes.append(facts.sizes_note)
        if verdict == "consistent":
            notes.append("these can be all the categories (the total can reach 100%)" if can_be_all else
                         f"not all categories printed: at least {100 - float(high):g}% elsewhere")
        swapped = cats["alternative"].notna().any() if "alternative" in cats else False
        if (cats["certainty"] == "uncertain").any() or swapped:
            notes.append("labels of some categories uncertain" + (" (see alternative)" if swapped else "")
                         + ": any order gives the same total")
        rows.append(dict(survey=facts.survey, question=question, group=group, items="/".join(cats["item"]),
                         pcts="/".join(f"{p:g}" for p in pcts), printed=sum(pcts), low=float(low), high=float(high),
                         integer_feasible=integer, verdict=verdict, note="; ".join(notes)))
    return pd.DataFrame(rows, columns=TOTALS_COLUMNS)
