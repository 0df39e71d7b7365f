"""Scrambled charts: which printed multiplier belongs to which triple of numbers?

Some charts reach the catalogue with their multipliers out of order (the PDF
extraction kept the numbers but not the layout). The arithmetic can often
restore the order: a multiplier can only sit next to a pair of percentages
whose ratio rounds to it. :func:`assignments` enumerates every way of giving
the chart's multipliers to its number pairs (one each) that the rounding
allows, with whole-number counts from one common set of group sizes, and
:func:`scrambled_table` reports, for each pair, which multipliers it can and
cannot produce.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simsurvey.forensics.claims import claim_sides, pair_feasible
from simsurvey.forensics.surveyfacts import SurveyFacts

__all__ = ["assignments", "solve_charts", "ChartSolution", "scrambled_table", "SCRAMBLED_COLUMNS", "MAX_PAIRS"]

#: Charts with more pairs than this are not enumerated (MAX_PAIRS! permutations).
MAX_PAIRS = 9
SCRAMBLED_COLUMNS = ["survey", "chart", "item", "num_pct", "den_pct", "positional", "recomputed", "low", "high",
                     "can", "cannot", "gets", "assignments", "anchored", "verdict", "note"]


def assignments(compat, values, anchors=None) -> np.ndarray:
    """Every distinct assignment of multiplier values to pairs that the rounding allows.

    Parameters
    ----------
    compat : array_like of bool, shape (k, k) or (k, k, m)
        ``compat[i, j, s]``: pair ``i`` can produce multiplier ``j`` under
        group-size vector ``s`` (a 2-D array means one common case). An
        assignment must work under one common ``s`` for every pair.
    values : sequence of float
        The ``k`` printed multipliers (repeats allowed: 2.0 printed twice).
    anchors : dict of int to float, optional
        Pairs whose multiplier another source fixes (e.g. the text).

    Returns
    -------
    numpy.ndarray of float, shape (a, k)
        Row ``r`` gives the multiplier of every pair in assignment ``r``;
        assignments that differ only by swapping equal values count once.

    Examples
    --------
    Three pairs, three multipliers; pair 0 can only take 1.7, the others either 2.0:

    >>> ok = [[True, False, False], [False, True, True], [False, True, True]]
    >>> assignments(ok, [1.7, 2.0, 2.0]).tolist()
    [[1.7, 2.0, 2.0]]
    """
    compat = np.asarray(compat, dtype=bool)
    if compat.ndim == 2:
        compat = compat[:, :, None]
    k = compat.shape[0]
    values = np.asarray(values, dtype=float)
    if compat.shape[:2] != (k, k) or values.shape != (k,):
        raise ValueError(f"compat must be (k, k[, m]) and values (k,), got {compat.shape} and {values.shape}")
    if k > MAX_PAIRS:
        raise ValueError(f"{k} pairs is more than MAX_PAIRS={MAX_PAIRS} ({math.factorial(k)} permutations)")
    if k == 0:
        return np.empty((0, 0))
    perms = np.array(list(itertools.permutations(range(k))), dtype=np.intp)  # (k!, k)
    fits = compat[np.arange(k)[None, :], perms]                              # (k!, k, m)
    ok = fits.all(axis=1).any(axis=1)
    chosen = values[perms[ok]]
    for i, value in (anchors or {}).items():
        chosen = chosen[np.isclose(chosen[:, i], value)]
    return np.unique(chosen, axis=0) if len(chosen) else np.empty((0, k))


def _x(values, decimals: int = 1) -> str:
    return ", ".join(f"{v:.{decimals}f}x" for v in sorted(set(np.round(values, 6))))


def _charts(facts: SurveyFacts) -> list[str]:
    c = facts.claims.fillna("")
    uncertain = c[(c["certainty"] == "uncertain") & (c["item"] != "") & c["kind"].isin(["ratio", "anticipated_growth"])]
    return list(dict.fromkeys(uncertain["chart"]))


@dataclass(frozen=True, eq=False)
class ChartSolution:
    """What the arithmetic says about one scrambled chart.

    Attributes
    ----------
    chart : str
    claim_ids, items : tuple of str
        The chart's claims with both percentages published, in printed order.
    positional : tuple of float
        The multiplier printed at each claim's position.
    decimals : int
        Decimals of the multipliers.
    compat : numpy.ndarray of bool, shape (k, k, m)
        Pair ``i`` can produce multiplier ``j`` under size vector ``s``.
    bounds : list of Interval
        Rounding interval of each pair's ratio.
    found, anchored : numpy.ndarray or None
        Every assignment that fits (one row each) and those agreeing with the
        text; None when the chart is too large to enumerate (``error`` says why).
    anchors : dict
        Position -> multiplier the text ties to that label.
    test : str
        What "fits" means (whole-number counts, or rounding intervals only).
    """

    chart: str
    claim_ids: tuple
    items: tuple
    positional: tuple
    decimals: int
    compat: np.ndarray
    bounds: list
    found: np.ndarray | None
    anchored: np.ndarray | None
    anchors: dict
    test: str
    error: str = ""

    @property
    def pool(self) -> np.ndarray | None:
        """The assignments the verdict rests on: those agreeing with the text, else all that fit."""
        if self.found is None:
            return None
        return self.anchored if len(self.anchored) else self.found

    def received(self, i: int) -> list[float]:
        """Distinct multipliers pair ``i`` gets across :attr:`pool` (empty if none fits)."""
        pool = self.pool
        return [] if pool is None or not len(pool) else sorted(set(np.round(pool[:, i], 6).tolist()))


def solve_charts(facts: SurveyFacts) -> list[ChartSolution]:
    """Enumerate the assignments of every scrambled chart of a survey (see :func:`assignments`).

    Examples
    --------
    >>> from simsurvey.catalog.load import load_catalog
    >>> from simsurvey.forensics.surveyfacts import survey_facts
    >>> sol = solve_charts(survey_facts(load_catalog(), "sos-smb-2016"))[1]
    >>> len(sol.found), sol.items[1], sol.received(1)
    (1, 'agents_comprehensive_views', [4.2])
    """
    out = []
    claims = facts.claims.fillna("")
    use_integer = facts.integer_decides
    for chart in _charts(facts):
        members = claims[(claims["chart"] == chart) & (claims["location"] == "chart") & (claims["item"] != "")
                         & claims["kind"].isin(["ratio", "anticipated_growth"])]
        pairs, values, dec, direction = [], [], [], []
        for c in members.itertuples(index=False):
            g1, g2, num, den = claim_sides(facts, c)
            if num is not None and den is not None:
                pairs.append((c, g1, g2, num, den))
                values.append(float(c.printed))
                dec.append(int(c.decimals))
                direction.append(c.direction)
        k = len(pairs)
        if k == 0:
            continue
        depth = len(facts.sizes) if use_integer else 1
        compat = np.zeros((k, k, depth), dtype=bool)
        bounds = []
        for i, (c, g1, g2, num, den) in enumerate(pairs):
            for j in range(k):
                cont, b, mask = pair_feasible(facts, g1, g2, num, den, values[j], dec[j], direction[j], facts.rule)
                compat[i, j] = (mask & cont) if use_integer else cont
                if j == i:
                    bounds.append(b)
        anchors = _anchors(facts, claims, [p[0] for p in pairs])
        error = ""
        try:
            found = assignments(compat, values)
            anchored = assignments(compat, values, anchors) if anchors else found
        except ValueError as err:
            found = anchored = None
            error = str(err)
        test = "whole-number counts in one common set of group sizes" if use_integer else "rounding intervals"
        out.append(ChartSolution(
            chart=chart, claim_ids=tuple(p[0].claim_id for p in pairs), items=tuple(p[0].item for p in pairs),
            positional=tuple(values), decimals=max(dec), compat=compat, bounds=bounds, found=found,
            anchored=anchored, anchors=anchors, test=test, error=error))
    return out


def scrambled_table(facts: SurveyFacts, solutions: list[ChartSolution] | None = None) -> pd.DataFrame:
    """One row per number pair of every chart whose multiplier pairing is uncertain.

    Columns: the pair (``num_pct``/``den_pct``), the multiplier printed at its
    position (``positional``), the ratio of the printed pair and its rounding
    interval, the chart's multipliers it ``can`` and ``cannot`` produce, the
    multipliers it ``gets`` in the full assignments that work, the number of
    such ``assignments`` and of those agreeing with the text (``anchored``),
    a verdict for the chart and a note.

    Examples
    --------
    >>> from simsurvey.catalog.load import load_catalog
    >>> from simsurvey.forensics.surveyfacts import survey_facts
    >>> t = scrambled_table(survey_facts(load_catalog(), "sos-smb-2016"))
    >>> t.loc[t["item"] == "intelligence_5", ["num_pct", "den_pct", "positional", "can"]].values.tolist()
    [[51.0, 31.0, 2.1, '1.7x']]
    """
    rows = []
    claims = {c.claim_id: c for c in facts.claims.fillna("").itertuples(index=False)}
    for sol in solve_charts(facts) if solutions is None else solutions:
        k, values, shown = len(sol.items), sol.positional, sol.decimals
        for i, cid in enumerate(sol.claim_ids):
            c = claims[cid]
            _, _, num, den = claim_sides(facts, c)
            can = [values[j] for j in range(k) if sol.compat[i, j].any()]
            cannot = [values[j] for j in range(k) if not sol.compat[i, j].any()]
            notes = [sol.error] if sol.error else []
            verdict, gets = "unresolved", ""
            if sol.found is not None:
                if len(sol.found) == 0:
                    verdict = "inconsistent"
                    notes.append(f"no assignment of the chart's {k} multipliers to its {k} number pairs fits "
                                 f"({sol.test})")
                else:
                    received = sol.received(i)
                    gets = _x(received, shown)
                    verdict = "consistent" if len(sol.anchored) else "unresolved"
                    if len(received) == 1:
                        notes.append(f"must carry {received[0]:.{shown}f}x")
                    if sol.anchors and not len(sol.anchored):
                        notes.append("no assignment agrees with the text's multipliers: the label reading is doubtful")
                    if i in sol.anchors:
                        notes.append(f"the text ties this label to {sol.anchors[i]:.{shown}f}x")
                    if values[i] not in received:
                        notes.append(f"the {values[i]:.{shown}f}x printed at this position belongs elsewhere")
            rows.append(dict(
                survey=facts.survey, chart=sol.chart, item=c.item, num_pct=num.value, den_pct=den.value,
                positional=values[i],
                recomputed=num.value / den.value if c.direction == "more" else den.value / num.value,
                low=float(sol.bounds[i].low), high=float(sol.bounds[i].high), can=_x(can, shown),
                cannot=_x(cannot, shown), gets=gets,
                assignments=-1 if sol.found is None else len(sol.found),
                anchored=-1 if sol.found is None else len(sol.anchored),
                verdict=verdict, note="; ".join(notes)))
    return pd.DataFrame(rows, columns=SCRAMBLED_COLUMNS)


def _anchors(facts: SurveyFacts, claims: pd.DataFrame, members: list) -> dict[int, float]:
    """Multipliers the text (or another certain source) states for a chart pair's item."""
    out = {}
    others = claims[(claims["location"] == "text") & (claims["certainty"] != "uncertain")]
    for i, c in enumerate(members):
        same = others[(others["item"] == c.item) & (others["kind"] == c.kind)
                      & (others["numerator"] == c.numerator) & (others["denominator"] == c.denominator)]
        if len(same):
            out[i] = float(same["printed"].iloc[0])
    return out
