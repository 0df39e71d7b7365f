"""Readings of a chart other than the one used, so no choice is silent.

Two sources:

- the **chart solver**: where more than one assignment of a scrambled
  chart's multipliers fits, every one is an alternative (the claims it
  disagrees on stay unresolved);
- **layout readings** recorded from a re-reading of the seed text
  (:data:`READINGS`): a different assignment of number triples to labels that
  the extraction alone cannot rule out. The arithmetic is re-done for each: the
  multipliers every label would then carry come from the solver.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from simsurvey.forensics.ratios import claim_sides
from simsurvey.forensics.scrambled import ChartSolution
from simsurvey.forensics.surveyfacts import SurveyFacts

__all__ = ["LabelSwap", "READINGS", "alternatives_table", "ALTERNATIVE_COLUMNS"]

ALTERNATIVE_COLUMNS = ["survey", "chart", "reading", "carries", "used", "source", "evidence"]


@dataclass(frozen=True)
class LabelSwap:
    """A reading in which the number triples of two labels of a chart trade places."""

    survey: str
    chart: str
    items: tuple[str, str]
    reading: str
    evidence: str


#: Layout readings the catalogue keeps as alternatives (issue 9, item 14).
READINGS = (
    LabelSwap(
        survey="sos-smb-2016",
        chart="High-Performing Agents Are Trained, Empowered, and Productive",
        items=("agents_comprehensive_views", "agents_productivity"),
        reading="multipliers printed panel by panel in label order (the 'agree' panel, then the 'excel' panel)",
        evidence=("the sister intelligence chart prints its multipliers panel by panel in label order and that "
                  "rule fits all five; read the same way, this chart's six multipliers fit only if the triples of "
                  "comprehensive views and overall productivity trade places, which puts 4.2x on 'overall level of "
                  "productivity' (an excellent/above-average item) instead of an agree item "
                  "(001_4686b64739098794.txt, lines 733-845)")),
)


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
    for swap in READINGS:
        sol = by_chart.get(swap.chart)
        if swap.survey != facts.survey or sol is None or not set(swap.items) <= set(sol.items):
            continue
        i, j = (sol.items.index(item) for item in swap.items)
        if len(sol.received(i)) != 1 or len(sol.received(j)) != 1:
            continue  # the solver itself leaves them open: the swap adds nothing
        numbers = {item: _numbers(facts, sol, k) for k, item in enumerate(sol.items)}
        carries = "; ".join([f"{swap.items[0]} {sol.received(j)[0]:.{sol.decimals}f}x ({numbers[swap.items[1]]})",
                             f"{swap.items[1]} {sol.received(i)[0]:.{sol.decimals}f}x ({numbers[swap.items[0]]})"])
        rows.append(dict(survey=facts.survey, chart=swap.chart, reading=swap.reading, carries=carries, used=False,
                         source="catalogue reading", evidence=swap.evidence))
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
