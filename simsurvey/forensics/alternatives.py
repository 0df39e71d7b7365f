"""Readings of a chart other than the one used, so no choice is silent.

Two sources:

- the **chart solver**: where more than one assignment of a scrambled
  chart's multipliers fits, every one is an alternative (the claims it
  disagrees on stay unresolved);
- **catalogue readings**: the figures' ``alternative`` column (``data/README.md``)
  holds each chart's leading alternative reading as the value every changed
  figure would then have. Where that reading trades the number triples of two
  labels of a scrambled chart, the multipliers each label would then carry come
  from the solver; otherwise the changed figures are listed.
"""
from __future__ import annotations

import pandas as pd

from simsurvey.forensics.claims import claim_sides
from simsurvey.forensics.scrambled import ChartSolution
from simsurvey.forensics.surveyfacts import SurveyFacts

__all__ = ["alternatives_table", "ALTERNATIVE_COLUMNS"]

ALTERNATIVE_COLUMNS = ["survey", "chart", "reading", "carries", "used", "source", "evidence"]


def alternatives_table(facts: SurveyFacts, solutions: list[ChartSolution]) -> pd.DataFrame:
    """One row per alternative reading of the survey's charts (none used downstream).

    Examples
    --------
    >>> from simsurvey.catalog.load import load_catalog
    >>> from simsurvey.forensics.scrambled import solve_charts
    >>> from simsurvey.forensics.surveyfacts import survey_facts
    >>> facts = survey_facts(load_catalog(), "sos-smb-2016")
    >>> alt = alternatives_table(facts, solve_charts(facts))
    >>> alt["carries"].iloc[0]
    'agents_comprehensive_views 2.0x (86%/42%); agents_productivity 4.2x (96%/23%)'
    """
    rows = []
    by_chart = {s.chart: s for s in solutions}
    f = facts.figures
    readable = {"alternative", "chart"} <= set(f.columns)  # a hand-built spec's figures have neither
    changed = f[f["alternative"].notna()] if readable else pd.DataFrame(columns=["chart"])
    for chart, alt in changed.groupby("chart", sort=False):
        sol = by_chart.get(chart)
        swap = _swap(f[f["chart"] == chart], alt)
        if swap and sol is not None and set(swap) <= set(sol.items):
            i, j = (sol.items.index(item) for item in swap)
            if len(sol.received(i)) != 1 or len(sol.received(j)) != 1:
                continue  # the solver itself leaves them open: the swap adds nothing
            numbers = {item: _numbers(facts, sol, k) for k, item in enumerate(sol.items)}
            carries = "; ".join([f"{swap[0]} {sol.received(j)[0]:.{sol.decimals}f}x ({numbers[swap[1]]})",
                                 f"{swap[1]} {sol.received(i)[0]:.{sol.decimals}f}x ({numbers[swap[0]]})"])
            reading = f"the catalogue's leading alternative: {swap[0]} and {swap[1]} trade number triples"
        else:
            carries = "; ".join(f"{r.item} {r.group} {r.pct:g}% -> {r.alternative:g}%" for r in alt.itertuples())
            reading = "the catalogue's leading alternative: the figures in carries change"
        note = str(alt["note"].iloc[0])
        evidence = note.split(_MARK, 1)[1].strip() if _MARK in note else note
        rows.append(dict(survey=facts.survey, chart=chart, reading=reading,
                         carries=carries, used=False, source="catalogue reading", evidence=evidence))
    for sol in solutions:
        pool = sol.pool
        if pool is None or len(pool) < 2:
            continue
        for r, assignment in enumerate(pool):
            carries = "; ".join(f"{item} {v:.{sol.decimals}f}x" for item, v in zip(sol.items, assignment))
            rows.append(dict(survey=facts.survey, chart=sol.chart, reading=f"solver assignment {r + 1} of {len(pool)}",
                             carries=carries, used=False, source="forensics",
                             evidence=f"fits ({sol.test}); the claims on which the assignments differ stay unresolved"))
    return pd.DataFrame(rows, columns=ALTERNATIVE_COLUMNS)


def _numbers(facts: SurveyFacts, sol: ChartSolution, k: int) -> str:
    claim = next(c for c in facts.claims.fillna("").itertuples(index=False) if c.claim_id == sol.claim_ids[k])
    _, _, num, den = claim_sides(facts, claim)
    return f"{num.value:g}%/{den.value:g}%"


_MARK = "LEADING ALTERNATIVE (column alternative):"


def _swap(chart: pd.DataFrame, alt: pd.DataFrame) -> tuple[str, str] | None:
    """The two items whose figures trade places under the alternative reading, if that is what it is."""
    items = list(dict.fromkeys(alt["item"]))
    if len(items) != 2:
        return None
    values = {item: chart[chart["item"] == item].set_index("group")["pct"] for item in items}
    a, b = items
    other = {item: alt[alt["item"] == item].set_index("group")["alternative"] for item in items}
    if other[a].sort_index().equals(values[b].sort_index()) and other[b].sort_index().equals(values[a].sort_index()):
        return a, b
    return None
