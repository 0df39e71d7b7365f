"""Rounding forensics: which printed multipliers, totals and overall figures are arithmetically possible.

The GRIM idea (Brown & Heathers 2017; the R package scrutiny) carried from
means to ratios of percentages and to mixtures of groups. A report prints
rounded integer percentages, rounded multipliers, ``n`` and rounded group
shares, and says its comparisons are "made from total numbers (not rounded
numbers)". From that alone :func:`check` decides, for every published
number that can be checked, whether some true values (and, for an
unweighted survey, some whole-number group sizes and counts) reproduce
everything printed.

Rounding rules: reports do not say how they round, so ``rule="any"`` (the
default) lets every printed number have been rounded half-up or half-even,
independently; a verdict of ``inconsistent`` then holds under either rule.
``"half_up"`` and ``"half_even"`` apply one rule to every number. Exact ties
(a ratio of exactly 2.05) are decided with integer arithmetic.

Tables (all tidy, one row per checked thing, with ``verdict`` in
{consistent, inconsistent, unresolved} and a ``note``):

``claims``     every printed multiplier (:mod:`simsurvey.forensics.ratios`)
``mixtures``   overall figure against its group figures (:mod:`simsurvey.forensics.mixtures`)
``inverse``    unpublished group share bounded by overall and group figures
``scrambled``  charts whose multiplier order is uncertain (:mod:`simsurvey.forensics.scrambled`)
``restated``   numbers printed in a chart and again in the text (:mod:`simsurvey.forensics.restated`)
``totals``     categories of one question against 100% (:mod:`simsurvey.forensics.totals`)
``sizes``      one row per survey: do some whole-number group sizes fit every group figure and
               claim at once (:mod:`simsurvey.forensics.sizes`)
``size_vectors`` the detail behind ``sizes``: one row per admissible group-size vector (no verdict)

A claim's verdict is about that claim alone; whether one set of group sizes
fits all of them together is the ``sizes`` verdict. When ``n`` and the printed
shares cannot coexist at all (no whole-number group sizes give them) in an
unweighted survey, every claim, mixture and total that involves a group is
``inconsistent``, and its note says why.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from simsurvey._validation import check_rule
from simsurvey.catalog.load import ALL, Catalog, load_catalog
from simsurvey.forensics.groupsizes import count_range, group_sizes
from simsurvey.forensics.rounding_intervals import Interval, printed_interval, ratio_interval
from simsurvey.forensics.mixtures import (INVERSE_COLUMNS, MIXTURE_COLUMNS, inverse_share_bounds, inverse_table, mixture_bounds,
                       mixture_feasible, mixtures_table)
from simsurvey.forensics.claims import CATALOGUE_CLAIM_COLUMNS, CLAIM_COLUMNS, claims_table
from simsurvey.forensics.ratios import implied_pcts, ratio_bounds, ratio_feasible, ratio_possible
from simsurvey.forensics.restated import RESTATED_COLUMNS, restated_table, same_value_possible
from simsurvey.forensics.scrambled import SCRAMBLED_COLUMNS, assignments, scrambled_table
from simsurvey.forensics.sizes import SIZE_VECTORS_COLUMNS, SIZES_COLUMNS, size_vectors_table, sizes_table
from simsurvey.forensics.surveyfacts import SurveyFacts, survey_facts
from simsurvey.forensics.resolve import resolve_facts, restated_after_repair
from simsurvey.catalog.spec import survey_spec
from simsurvey.forensics.totals import TOTALS_COLUMNS, totals_table

__all__ = ["check", "ForensicsResult", "TABLES", "sizes_table", "size_vectors_table", "SurveyFacts", "survey_facts",
           # the arithmetic, for use on numbers outside a catalogue
           "Interval", "printed_interval", "ratio_interval", "group_sizes", "count_range",
           "ratio_bounds", "ratio_possible", "ratio_feasible", "implied_pcts",
           "mixture_bounds", "mixture_feasible", "inverse_share_bounds", "assignments", "same_value_possible"]

TABLES = ("claims", "mixtures", "inverse", "scrambled", "restated", "totals", "sizes", "size_vectors")
VERDICTS = ("consistent", "inconsistent", "unresolved")
COLUMNS = {"claims": CATALOGUE_CLAIM_COLUMNS + CLAIM_COLUMNS, "mixtures": MIXTURE_COLUMNS,
           "inverse": INVERSE_COLUMNS, "scrambled": SCRAMBLED_COLUMNS, "restated": RESTATED_COLUMNS,
           "totals": TOTALS_COLUMNS, "sizes": SIZES_COLUMNS, "size_vectors": SIZE_VECTORS_COLUMNS}


@dataclass(frozen=True)
class ForensicsResult:
    """Result of :func:`check`: one tidy table per kind of check.

    Attributes
    ----------
    claims, mixtures, inverse, scrambled, restated, totals, sizes, size_vectors : pandas.DataFrame
        See the module notes; each has ``survey``, and all but
        ``size_vectors`` a ``verdict`` and a ``note`` column. A table with
        nothing to check has no rows but all its columns.
    rule : str
        Rounding rule used.
    notes : tuple of str
        Remarks on the run, e.g. a survey without claims.
    """

    claims: pd.DataFrame
    mixtures: pd.DataFrame
    inverse: pd.DataFrame
    scrambled: pd.DataFrame
    restated: pd.DataFrame
    totals: pd.DataFrame
    sizes: pd.DataFrame
    size_vectors: pd.DataFrame
    rule: str
    notes: tuple[str, ...] = ()

    def table(self, name: str) -> pd.DataFrame:
        """The table called ``name`` (one of :data:`TABLES`)."""
        if name not in TABLES:
            raise ValueError(f"table must be one of {', '.join(TABLES)}, got {name!r}")
        return getattr(self, name)

    def summary(self) -> pd.DataFrame:
        """Verdict counts: one row per table, one column per verdict.

        Examples
        --------
        >>> check(survey="smb-trends-2017").summary().loc["claims"].tolist()
        [5, 0, 0]
        >>> check(survey="sos-smb-2016").summary().loc["sizes"].tolist()
        [1, 0, 0]
        """
        rows = {}
        for name in TABLES:
            t = self.table(name)
            if "verdict" in t:
                counts = t["verdict"].value_counts()
                rows[name] = [int(counts.get(v, 0)) for v in VERDICTS]
        return pd.DataFrame.from_dict(rows, orient="index", columns=list(VERDICTS))


def check(catalog: Catalog | str | Path | None = None, survey: str | list[str] | None = None,
          rule: str = "any", weighted: dict[str, bool] | None = None) -> ForensicsResult:
    """Check every published number of a catalogue that rounding arithmetic can check.

    Like R's scrutiny, it maps over the reported values and returns them with
    verdict columns appended: the claims table is the catalogue's claims
    table plus ``num_pct, den_pct, recomputed, low, high, integer_feasible,
    verdict, note``. The conclusions come from :func:`simsurvey.resolve`: a
    claim of a scrambled chart that the chart solver re-pairs is judged on the
    multiplier it carries (``consistent``, with the note "resolved by the chart
    solver"), and the sizes table counts the re-paired claims.

    Parameters
    ----------
    catalog : Catalog, str or Path, optional
        A loaded catalogue or a catalogue folder; default the shipped one.
    survey : str or list of str, optional
        Survey id(s) to check; default every survey of the catalogue.
    rule : {"any", "half_up", "half_even"}
        Rounding rule (module notes).
    weighted : dict of str to bool, optional
        Per survey, override whether its figures are weighted (default: the
        catalogue's ``weighted`` column; ``unknown`` counts as weighted). In a weighted survey counts
        are not whole numbers, so integer tests are shown but never decide.

    Returns
    -------
    ForensicsResult

    Raises
    ------
    ValueError
        For an unknown ``rule`` or ``survey`` (before any work).

    Examples
    --------
    >>> res = check(survey="sos-smb-2016")
    >>> row = res.claims.query("item == 'excel_engage_at_scale'").iloc[0]
    >>> float(row["printed"]), row["integer_feasible"], row["verdict"]
    (5.7, 'yes', 'consistent')
    >>> [round(float(row[c]), 3) for c in ("recomputed", "low", "high")]
    [5.688, 5.485, 5.903]
    """
    check_rule(rule)
    cat = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)
    surveys = cat.survey_ids if survey is None else [survey] if isinstance(survey, str) else list(survey)
    for s in surveys:
        cat.check_survey(s)
    weighted = dict(weighted or {})
    for s in weighted:
        cat.check_survey(s)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    notes = []
    for s in surveys:
        try:
            for name, frame in _survey_tables(cat, s, rule, weighted.get(s)).items():
                parts[name].append(frame)
        except Exception as err:  # a multi-survey run names the survey it could not check
            raise ValueError(f"survey {s!r} cannot be checked: {type(err).__name__}: {err}") from err
        if not (cat.claims["survey"] == s).any():
            notes.append(f"survey {s!r} has no claims in this catalogue (no printed multiplier): "
                         "its claims table is empty")
    tables = {name: _concat(frames, COLUMNS[name]) for name, frames in parts.items()}
    # scrutiny style: the claims come back in the catalogue's own order
    order = {cid: i for i, cid in enumerate(cat.claims["claim_id"])}
    claims = tables["claims"]
    tables["claims"] = claims.iloc[claims["claim_id"].map(order).argsort(kind="stable")].reset_index(drop=True) \
        if len(claims) else claims
    return ForensicsResult(rule=rule, notes=tuple(notes), **tables)


def _survey_tables(cat: Catalog, survey: str, rule: str, weighted: bool | None) -> dict[str, pd.DataFrame]:
    facts = survey_facts(cat, survey, rule, weighted)
    resolved, _, results, solutions, vectors = resolve_facts(facts, survey_spec(survey, cat))
    claims = claims_table(facts, results)  # as catalogued; judged on the re-paired multipliers
    claims["verdict"], claims["note"] = resolved.claims["verdict"].to_numpy(), resolved.claims["note"].to_numpy()
    tables = {"claims": claims, "mixtures": mixtures_table(facts),
              "inverse": inverse_table(facts), "scrambled": scrambled_table(facts, solutions),
              "restated": restated_after_repair(restated_table(facts), resolved), "totals": totals_table(facts),
              "sizes": sizes_table(facts, vectors), "size_vectors": vectors}
    if facts.impossible and not facts.weighted:
        for name, involves_group in _GROUP_ROWS.items():
            tables[name] = _impossible(tables[name], involves_group, facts.impossible)
    return tables


# rows that need the groups' sizes: claims comparing or computed within a group, every mixture,
# totals within a group
_GROUP_ROWS = {
    "claims": lambda t: ((t["kind"] == "ratio") & ((t["numerator"] != ALL) | (t["denominator"] != ALL)))
    | ((t["kind"] != "ratio") & (t["group"].fillna("") != ALL)),
    "mixtures": lambda t: pd.Series(True, index=t.index),
    "totals": lambda t: t["group"] != ALL,
}


def _impossible(table: pd.DataFrame, involves_group, reason: str) -> pd.DataFrame:
    """Rows resting on group sizes that cannot exist become ``inconsistent``, the reason first in the note."""
    if not len(table):
        return table
    hit = involves_group(table)
    table = table.copy()
    table.loc[hit, "verdict"] = "inconsistent"
    table.loc[hit, "note"] = reason + ("; " + table.loc[hit, "note"]).where(table.loc[hit, "note"] != "", "")
    return table


def _concat(frames: list[pd.DataFrame], columns) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)
