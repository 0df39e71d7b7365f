"""A survey's published facts in one value: the input of forensics and generator.

The catalogue holds every figure as printed (chart and text, every certainty).
A :class:`SurveySpec` is what one survey publishes about itself, reduced to the
shape the later stages need: respondents ``n``, groups with their shares, one
percentage per item and group (the chart value where both a chart and the
text give one), and the survey's claims.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from simsurvey.catalog import cache
from simsurvey.catalog.load import ALL, Catalog, default_catalog_path, load_catalog

__all__ = ["SurveySpec", "survey_spec"]


@dataclass(frozen=True)
class SurveySpec:
    """Published facts of one survey.

    Attributes
    ----------
    survey : str
        Survey id.
    n : int or None
        Published number of respondents (None when unpublished).
    groups : tuple of str
        Group ids in catalogue order (``all`` excluded).
    shares : tuple of float or None
        Published share of each group in percent, None where unpublished.
    figures : pandas.DataFrame
        One row per item and group (``all`` included where published):
        ``item, label, base, question, group, pct, pct_decimals, location, certainty``.
    claims : pandas.DataFrame
        The survey's rows of the catalogue's claims table.
    item_bases : str
        ``"vary"`` when the report's own numbers show that items were answered
        by fewer than ``n`` (whole-number tests then do not use ``n``); else empty.
    """

    survey: str
    n: int | None
    groups: tuple[str, ...]
    shares: tuple[float | None, ...]
    figures: pd.DataFrame
    claims: pd.DataFrame
    item_bases: str = ""

    @property
    def items(self) -> list[str]:
        """Item ids in catalogue order."""
        return self.figures["item"].drop_duplicates().tolist()

    def pct_table(self) -> pd.DataFrame:
        """Percentages as one row per item, one column per group (``all`` last).

        Examples
        --------
        >>> spec = survey_spec("sos-smb-2016")
        >>> spec.pct_table().loc["excel_engage_at_scale", ["high", "moderate", "under"]].tolist()
        [91.0, 56.0, 16.0]
        """
        wide = self.figures.pivot(index="item", columns="group", values="pct")
        order = [g for g in (*self.groups, ALL) if g in wide.columns]
        wide = wide.loc[self.items, order]
        wide.columns.name = None
        return wide

    def group_items(self) -> list[str]:
        """Items published for every group of the survey (the ones a generator can calibrate)."""
        by_group = self.figures[self.figures["group"] != ALL].groupby("item")["group"].nunique()
        return [i for i in self.items if by_group.get(i, 0) == len(self.groups)]


def survey_spec(survey: str, catalog: Catalog | None = None) -> SurveySpec:
    """Collect what ``survey`` publishes about itself from a catalogue.

    Parameters
    ----------
    survey : str
        Survey id, e.g. ``"sos-smb-2016"``.
    catalog : Catalog, optional
        Default: the shipped catalogue.

    Returns
    -------
    SurveySpec

    Examples
    --------
    >>> spec = survey_spec("sos-smb-2016")
    >>> spec.n, spec.groups, spec.shares
    (786, ('high', 'moderate', 'under'), (11.0, 53.0, 36.0))
    """
    # the shipped catalogue's specs are reused until its folder changes (a passed catalogue may be edited)
    key = None if catalog is not None else ("spec", survey, cache.folder_key(default_catalog_path()))
    if (cached := cache.get(key)) is not None:
        return cached
    cat = catalog if catalog is not None else load_catalog()
    cat.check_survey(survey)
    row = cat.surveys.set_index("survey").loc[survey]
    g = cat.groups[cat.groups["survey"] == survey]
    f = cat.figures[cat.figures["survey"] == survey]
    # one figure per item and group: the chart's where chart and text both print one
    f = f.sort_values("location", kind="stable").drop_duplicates(["item", "group"])
    order = {item: k for k, item in enumerate(cat.figures.loc[cat.figures["survey"] == survey, "item"].unique())}
    f = f.sort_values("item", key=lambda s: s.map(order), kind="stable")
    columns = ["item", "label", "base", "question", "group", "pct", "pct_decimals", "location", "certainty"]
    return cache.put(key, SurveySpec(
        survey=survey,
        n=None if pd.isna(row["n"]) else int(row["n"]),
        groups=tuple(g["group"]),
        shares=tuple(None if pd.isna(s) else float(s) for s in g["share"]),
        figures=f[columns].reset_index(drop=True),
        claims=cat.claims[cat.claims["survey"] == survey].reset_index(drop=True),
        item_bases=str(row.get("item_bases", "")),
    ))
