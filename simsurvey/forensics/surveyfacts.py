"""What the forensic checks know about one survey, gathered once.

:class:`SurveyFacts` bundles a survey's published numbers (every figure, chart
and text alike, and its claims) with what the rounding lets one infer: the
integer group-size vectors compatible with ``n`` and the printed shares. Each
forensic table is a pure function of it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from simsurvey._validation import check_rule
from simsurvey.catalog.load import ALL, Catalog
from simsurvey.forensics.groupsizes import group_sizes, share_decimals
from simsurvey.catalog.spec import SurveySpec, survey_spec

__all__ = ["SurveyFacts", "Pct", "survey_facts", "facts_from_spec", "fact_row"]


class Pct(NamedTuple):
    """One printed percentage: value, decimals, where it was printed and how sure the reading is."""

    value: float
    decimals: int
    location: str
    certainty: str


@dataclass(frozen=True)
class SurveyFacts:
    """A survey's published numbers plus the integer group sizes its rounding allows.

    Attributes
    ----------
    survey : str
    n : int or None
        Published respondents.
    groups : tuple of str
    shares : tuple of float or None
        Printed group shares (percent), None where unpublished.
    weighted : bool
        Whether the survey's figures are weighted (then integer counts are
        only an approximation and never decide a verdict).
    weighting : str
        The catalogue's weighting note.
    figures : pandas.DataFrame
        Every figure of the survey (chart and text rows).
    claims : pandas.DataFrame
        The survey's claims.
    sizes : numpy.ndarray or None
        Admissible group-size vectors, shape (m, len(groups)); None when the
        integer test is impossible (see ``sizes_note``).
    sizes_note : str
        Why ``sizes`` is None, else a one-line description of it.
    rule : str
        Rounding rule used throughout.
    lookup : dict
        ``(item, group) -> {location: Pct}``, built from ``figures``.
    impossible : str
        Why ``n`` and the printed shares cannot coexist (no whole-number
        group sizes give them), else empty. In an unweighted survey that
        makes every check involving a group ``inconsistent``.
    """

    survey: str
    n: int | None
    groups: tuple[str, ...]
    shares: tuple[float | None, ...]
    weighted: bool
    weighting: str
    figures: pd.DataFrame
    claims: pd.DataFrame
    sizes: np.ndarray | None
    sizes_note: str
    rule: str
    lookup: dict = field(default_factory=dict, repr=False, compare=False)
    impossible: str = ""

    @property
    def shares_published(self) -> bool:
        """True when every group has a printed share."""
        return all(s is not None for s in self.shares)

    @property
    def integer_decides(self) -> bool:
        """Whether integer-count feasibility may decide a verdict (sizes known, data unweighted)."""
        return self.sizes is not None and not self.weighted

    def base(self, group: str) -> np.ndarray:
        """Size of ``group`` (``n`` for ``all``) in every admissible size vector."""
        if self.sizes is None:
            raise ValueError(f"survey {self.survey!r} has no admissible group sizes: {self.sizes_note}")
        if group == ALL:
            return np.full(len(self.sizes), self.n, dtype=np.int64)
        if group not in self.groups:
            raise ValueError(f"unknown group {group!r} for survey {self.survey!r}")
        return self.sizes[:, self.groups.index(group)]

    def size_range(self, group: str) -> tuple[int, int]:
        """Smallest and largest admissible size of ``group``."""
        b = self.base(group)
        return int(b.min()), int(b.max())

    def pct(self, item: str, group: str, location: str | None = None) -> Pct | None:
        """The printed percentage of ``item`` in ``group``.

        ``location`` ("chart" or "text") is preferred where both print one;
        without it the chart value is used. None when unpublished.
        """
        found = self.lookup.get((item, group))
        if not found:
            return None
        prefer = location or "chart"
        return found.get(prefer) or next(iter(found.values()))


def survey_facts(catalog: Catalog, survey: str, rule: str = "any", weighted: bool | None = None) -> SurveyFacts:
    """Gather what the forensic checks need about ``survey``.

    Parameters
    ----------
    catalog : Catalog
    survey : str
        Survey id.
    rule : {"half_up", "half_even", "any"}
        Rounding rule for shares, percentages and multipliers.
    weighted : bool, optional
        Override the catalogue's ``weighted`` column (default: weighted unless it says ``no``).

    Returns
    -------
    SurveyFacts

    Examples
    --------
    >>> from simsurvey.catalog.load import load_catalog
    >>> facts = survey_facts(load_catalog(), "sos-smb-2016")
    >>> facts.n, len(facts.sizes), facts.size_range("high"), facts.weighted
    (786, 44, (83, 90), False)
    """
    check_rule(rule)
    spec = survey_spec(survey, catalog)
    row = catalog.surveys.set_index("survey").loc[survey]
    if weighted is None:  # "unknown" counts as weighted: whole numbers then never decide a verdict
        weighted = row["weighted"] != "no"
    figures = catalog.figures[catalog.figures["survey"] == survey].reset_index(drop=True)
    return facts_from_spec(spec, rule, weighted=weighted, weighting=str(row["weighting"]), figures=figures)


def facts_from_spec(spec: SurveySpec, rule: str = "any", *, weighted: bool = True, weighting: str = "",
                    figures: pd.DataFrame | None = None) -> SurveyFacts:
    """:class:`SurveyFacts` of a survey described by a spec (e.g. one built by hand).

    ``figures`` adds rows the spec reduced away (text restatements); by
    default the spec's own figures. A spec does not say whether its figures are
    weighted, so by default whole numbers never decide (``weighted=True``).

    Examples
    --------
    >>> facts = facts_from_spec(survey_spec("sos-smb-2016"), weighted=False)
    >>> len(facts.sizes), facts.integer_decides
    (44, True)
    """
    check_rule(rule)
    figures = spec.figures if figures is None else figures
    sizes, note = _sizes(spec, rule)
    impossible = note if sizes is None and note.endswith(_IMPOSSIBLE) else ""
    lookup: dict = {}
    for row in figures.itertuples(index=False):  # first row of a location wins, as the catalogue is unique on it
        lookup.setdefault((row.item, row.group), {}).setdefault(
            row.location, Pct(float(row.pct), int(row.pct_decimals), str(row.location), str(row.certainty)))
    return SurveyFacts(
        survey=spec.survey, n=spec.n, groups=spec.groups, shares=spec.shares,
        weighted=bool(weighted), weighting=weighting,
        figures=figures, claims=spec.claims, sizes=sizes, sizes_note=note, rule=rule, lookup=lookup,
        impossible=impossible)


_IMPOSSIBLE = "cannot coexist: no whole-number group sizes give them"


def _sizes(spec: SurveySpec, rule: str):
    """Admissible group-size vectors of ``spec`` and a one-line note (None and why, when there are none)."""
    if spec.n is None:
        return None, "n unpublished: no integer-count test"
    if spec.item_bases == "vary":
        return None, (f"item bases vary (the catalogue's item_bases): items were not all answered by n={spec.n}, "
                      "so no integer-count test")
    if not spec.groups:
        return np.empty((1, 0), dtype=np.int64), f"n={spec.n}, no groups"
    decimals = [0 if s is None else share_decimals(s) for s in spec.shares]
    try:
        sizes = group_sizes(spec.n, spec.shares, decimals, rule)
    except ValueError as err:
        return None, f"integer-count test skipped: {err}"
    if len(sizes) == 0:
        shown = "/".join(f"{s:g}" for s in spec.shares)
        return None, f"n={spec.n} and the printed shares {shown}% {_IMPOSSIBLE}"
    shown = ", ".join(f"{g} {int(sizes[:, i].min())}-{int(sizes[:, i].max())}" for i, g in enumerate(spec.groups))
    return sizes, f"{len(sizes)} admissible group-size vectors (n={spec.n}: {shown})"


def fact_row(fact, subject, value, source, evidence) -> dict:
    """One row of :attr:`simsurvey.ResolvedSurvey.facts` (``value`` as text)."""
    return dict(fact=fact, subject=subject, value=str(value), source=source, evidence=evidence)
