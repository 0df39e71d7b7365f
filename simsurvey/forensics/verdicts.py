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
``sizes``      group-size vectors against every group figure and claim at once
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simsurvey.catalog.load import ALL, Catalog, load_catalog
from simsurvey.forensics.groupsizes import count_range, group_sizes
from simsurvey.forensics.rounding_intervals import Interval, printed_interval, ratio_interval
from simsurvey.forensics.mixtures import (INVERSE_COLUMNS, MIXTURE_COLUMNS, inverse_share_bounds, inverse_table, mixture_bounds,
                       mixture_feasible, mixtures_table)
from simsurvey.forensics.ratios import (ClaimResult, claims_table, evaluate_claims, implied_pcts, ratio_bounds, ratio_feasible,
                     ratio_possible)
from simsurvey.forensics.restated import RESTATED_COLUMNS, restated_table, same_value_possible
from simsurvey.forensics.rounding import RULES
from simsurvey.forensics.scrambled import SCRAMBLED_COLUMNS, assignments, scrambled_table
from simsurvey.forensics.surveyfacts import SurveyFacts, survey_facts
from simsurvey.forensics.resolve import resolve_facts, restated_after_repair
from simsurvey.catalog.spec import survey_spec
from simsurvey.forensics.totals import TOTALS_COLUMNS, totals_table

__all__ = ["check", "ForensicsResult", "TABLES", "sizes_table", "SurveyFacts", "survey_facts",
           # the arithmetic, for use on numbers outside a catalogue
           "Interval", "printed_interval", "ratio_interval", "group_sizes", "count_range",
           "ratio_bounds", "ratio_possible", "ratio_feasible", "implied_pcts",
           "mixture_bounds", "mixture_feasible", "inverse_share_bounds", "assignments", "same_value_possible"]

TABLES = ("claims", "mixtures", "inverse", "scrambled", "restated", "totals", "sizes")
VERDICTS = ("consistent", "inconsistent", "unresolved")
SIZES_COLUMNS = ["survey", "groups", "sizes", "figures_ok", "figures", "claims_ok", "claims", "fits_all"]


@dataclass(frozen=True)
class ForensicsResult:
    """Result of :func:`check`: one tidy table per kind of check.

    Attributes
    ----------
    claims, mixtures, inverse, scrambled, restated, totals, sizes : pandas.DataFrame
        See the module notes; each has ``survey``, and all but ``sizes`` a
        ``verdict`` and a ``note`` column.
    rule : str
        Rounding rule used.
    """

    claims: pd.DataFrame
    mixtures: pd.DataFrame
    inverse: pd.DataFrame
    scrambled: pd.DataFrame
    restated: pd.DataFrame
    totals: pd.DataFrame
    sizes: pd.DataFrame
    rule: str

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
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(RULES)}, got {rule!r}")
    cat = catalog if isinstance(catalog, Catalog) else load_catalog(catalog)
    surveys = cat.survey_ids if survey is None else [survey] if isinstance(survey, str) else list(survey)
    for s in surveys:
        cat.check_survey(s)
    weighted = dict(weighted or {})
    for s in weighted:
        cat.check_survey(s)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    for s in surveys:
        facts = survey_facts(cat, s, rule, weighted.get(s))
        resolved, _, results, solutions, sizes = resolve_facts(facts, survey_spec(s, cat))
        claims = claims_table(facts, results)  # as catalogued; judged on the re-paired multipliers
        claims["verdict"], claims["note"] = resolved.claims["verdict"].to_numpy(), resolved.claims["note"].to_numpy()
        parts["claims"].append(claims)
        parts["mixtures"].append(mixtures_table(facts))
        parts["inverse"].append(inverse_table(facts))
        parts["scrambled"].append(scrambled_table(facts, solutions))
        parts["restated"].append(restated_after_repair(restated_table(facts), resolved))
        parts["totals"].append(totals_table(facts))
        parts["sizes"].append(sizes)
    columns = {"mixtures": MIXTURE_COLUMNS, "inverse": INVERSE_COLUMNS, "scrambled": SCRAMBLED_COLUMNS,
               "restated": RESTATED_COLUMNS, "totals": TOTALS_COLUMNS, "sizes": SIZES_COLUMNS}
    tables = {name: _concat(frames, columns.get(name)) for name, frames in parts.items()}
    # scrutiny style: the claims come back in the catalogue's own order
    order = {cid: i for i, cid in enumerate(cat.claims["claim_id"])}
    claims = tables["claims"]
    tables["claims"] = claims.iloc[claims["claim_id"].map(order).argsort(kind="stable")].reset_index(drop=True) \
        if len(claims) else claims
    return ForensicsResult(rule=rule, **tables)


def _concat(frames: list[pd.DataFrame], columns) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=columns) if columns is not None else pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def sizes_table(facts: SurveyFacts, results: list[ClaimResult] | None = None,
                claims_used=None) -> pd.DataFrame:
    """Which admissible group-size vectors fit every group figure and every claim at once.

    A group of 86 cannot print 54% (46 of 86 is 53.5%, 47 is 54.7%), so each
    group percentage rules some sizes out; so does each claim. Assuming every
    item was put to the whole group (no item non-response, no routing), the
    true sizes are among the vectors with ``fits_all == "yes"``. Surveys
    without published shares are left out (their sizes are in the inverse table).

    Columns: ``groups`` and ``sizes`` (slash-separated), ``figures_ok`` of
    ``figures`` group percentages attainable, ``claims_ok`` of ``claims``
    (integer-tested claims whose pairing is not uncertain, or the ids in
    ``claims_used``, e.g. the claims a scrambled chart's solver re-paired)
    reproduced, and ``fits_all``.

    Examples
    --------
    >>> t = sizes_table(survey_facts(load_catalog(), "sos-smb-2016"))
    >>> t.loc[t["fits_all"] == "yes", "sizes"].tolist()
    ['90/413/283', '90/414/282', '90/415/281', '90/416/280']
    """
    if facts.sizes is None or not facts.groups or not facts.shares_published:
        return pd.DataFrame(columns=SIZES_COLUMNS)
    results = evaluate_claims(facts) if results is None else results
    f = facts.figures[facts.figures["group"] != ALL]
    f = f.sort_values("location", kind="stable").drop_duplicates(["item", "group"])  # chart value first
    figure_ok = np.ones((len(f), len(facts.sizes)), dtype=bool)
    for r, row in enumerate(f.itertuples(index=False)):
        kmin, kmax = count_range(row.pct, facts.base(row.group), row.pct_decimals, facts.rule)
        figure_ok[r] = kmin <= kmax
    if claims_used is None:
        claims_used = set(facts.claims.loc[facts.claims["certainty"] != "uncertain", "claim_id"])
    masks = [r.mask for r in results if r.mask is not None and r.claim_id in claims_used]
    claim_ok = np.array(masks, dtype=bool).reshape(len(masks), len(facts.sizes))
    figures_ok, claims_ok = figure_ok.sum(axis=0), claim_ok.sum(axis=0)
    fits = (figures_ok == len(f)) & (claims_ok == len(masks))
    return pd.DataFrame({
        "survey": facts.survey,
        "groups": "/".join(facts.groups),
        "sizes": ["/".join(str(int(v)) for v in row) for row in facts.sizes],
        "figures_ok": figures_ok, "figures": len(f),
        "claims_ok": claims_ok, "claims": len(masks),
        "fits_all": np.where(fits, "yes", "no"),
    }, columns=SIZES_COLUMNS)
