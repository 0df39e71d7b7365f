"""The report's own words for items and groups, for axis labels and legends.

Figures label things the way the report does ("Ability to engage customers across channels
at scale"), not by catalogue ids (``excel_engage_at_scale``); a reader should recognise the
chart the number came from.
"""
from __future__ import annotations

import textwrap

__all__ = ["item_labels", "group_labels", "claim_labels"]

UNCERTAIN_MARK = " (?)"  # the extraction scrambled this row's label assignment


def item_labels(survey: str = "sos-smb-2016", *, catalog=None, width: int | None = 55,
                mark_uncertain: bool = True) -> dict[str, str]:
    """Map each item id of a survey to the report's label for it, shortened for an axis.

    Parameters
    ----------
    survey : str
        Survey id in the catalogue.
    catalog : simsurvey Catalog, optional
        Default: the embedded catalogue.
    width : int or None
        Longest label in characters (shortened at a word, with "..."); None keeps it whole.
        Labels of items whose label assignment is ``uncertain`` in the catalogue (scrambled
        charts) end in " (?)", so a figure never states a reading the catalogue does not.
    mark_uncertain : bool
        False leaves the " (?)" off: for text about claims the resolved survey has already
        re-paired (the critique's wording).

    Returns
    -------
    dict
        ``{item id: label}`` in catalogue order.

    Examples
    --------
    >>> from simsurvey.plots.labels import item_labels
    >>> item_labels()["excel_engage_at_scale"]
    'Ability to engage customers across channels at scale'
    >>> item_labels(width=30)["focus_deeper_relationships"]
    'Creating deeper customer...'
    >>> item_labels(width=None)["intelligence_1"]
    'Artificial intelligence (AI) (?)'
    """
    from simsurvey.catalog.load import load_catalog

    cat = load_catalog() if catalog is None else catalog
    cat.check_survey(survey)
    f = cat.figures[(cat.figures["survey"] == survey) & cat.figures["item"].ne("")]
    uncertain = f["certainty"].eq("uncertain").groupby(f["item"]).any()
    first = f.drop_duplicates("item").set_index("item")["label"]
    out = {}
    for item, label in first.items():
        suffix = UNCERTAIN_MARK if mark_uncertain and uncertain[item] else ""
        text = label if width is None else textwrap.shorten(label, width - len(suffix), placeholder="...")
        out[item] = text + suffix
    return out


def group_labels(survey: str = "sos-smb-2016", *, catalog=None) -> dict[str, str]:
    """Map each group id of a survey to the report's name for it.

    Examples
    --------
    >>> from simsurvey.plots.labels import group_labels
    >>> group_labels()
    {'high': 'High-performing SMBs', 'moderate': 'Moderate-performing SMBs', 'under': 'Underperforming SMBs'}
    """
    from simsurvey.catalog.load import load_catalog

    cat = load_catalog() if catalog is None else catalog
    cat.check_survey(survey)
    g = cat.groups[cat.groups["survey"] == survey]
    return dict(zip(g["group"], g["label"]))


def claim_labels(survey: str = "sos-smb-2016", *, catalog=None, width: int | None = 55) -> dict[str, str]:
    """Map each claim id of a survey to words that name it: its item's label, else the claim's own.

    A comparison of two groups on one item is named by the item ("Ability to engage customers
    across channels at scale"); a claim that compares two items, or has no item, by the
    catalogue's wording of the claim ("anticipated growth: Service analytics").

    Examples
    --------
    >>> from simsurvey.plots.labels import claim_labels
    >>> words = claim_labels(width=None)
    >>> words["sos-smb-2016#8"], words["sos-smb-2016#10"]
    ('Ability to engage customers across channels at scale', 'anticipated growth: Service analytics')
    """
    from simsurvey.catalog.load import load_catalog

    cat = load_catalog() if catalog is None else catalog
    items = item_labels(survey, catalog=cat, width=width)
    claims = cat.claims[cat.claims["survey"] == survey]
    out = {}
    for row in claims.itertuples():
        if row.kind == "ratio" and row.item in items:
            out[row.claim_id] = items[row.item]
        else:
            out[row.claim_id] = row.label if width is None else textwrap.shorten(row.label, width, placeholder="...")
    return out
