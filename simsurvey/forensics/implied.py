"""Unpublished group shares bounded by the overall figures (the inverse problem).

Some reports publish percentages per group and for everyone but not how big
the groups are (the Harris SMB survey: growing vs stagnant). With two groups
the figure for everyone is a weighted mean, ``all = s * a + (1 - s) * b``, so
every item printed for both groups and for everyone bounds the share ``s`` of
the first group within rounding (:func:`simsurvey.forensics.mixtures.inverse_share_bounds`).
:func:`implied_share` intersects these intervals and takes the midpoint: a
simple, documented default that :func:`simsurvey.resolve` records and every
later stage uses.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simsurvey.catalog.load import ALL
from simsurvey.catalog.spec import SurveySpec
from simsurvey.forensics.mixtures import inverse_share_bounds
from simsurvey.forensics.surveyfacts import fact_row

__all__ = ["ImpliedShare", "implied_share", "share_facts"]


@dataclass(frozen=True)
class ImpliedShare:
    """Share of the first of two groups implied by the figures printed for everyone.

    Attributes
    ----------
    share : float
        The default: midpoint of ``[low, high]`` (proportion, 0-1).
    low, high : float
        Intersection of the per-item intervals.
    items : tuple of str
        Items that bound the share.
    per_item : dict
        Item -> ``(low, high)``.
    consistent : bool
        False when the per-item intervals do not overlap; ``share`` is then the
        median of the per-item midpoints and ``low``/``high`` the range of those.
    """

    share: float
    low: float
    high: float
    items: tuple[str, ...]
    per_item: dict
    consistent: bool


def implied_share(spec: SurveySpec) -> ImpliedShare:
    """Interval and midpoint of the first group's share implied by the overall figures.

    Only for surveys with two groups; items need a figure for both groups and
    for everyone (and unequal group figures, else they say nothing).

    Examples
    --------
    >>> from simsurvey.catalog.spec import survey_spec
    >>> res = implied_share(survey_spec("smb-trends-2017"))
    >>> res.items
    ('uses_crm', 'uses_social_monitoring', 'has_service_department')
    >>> round(res.low, 4), round(res.high, 4), round(res.share, 4)
    (0.7143, 0.7619, 0.7381)
    """
    if len(spec.groups) != 2:
        raise ValueError(f"shares: the share implied by overall figures needs exactly two groups; survey "
                         f"{spec.survey!r} has {len(spec.groups)}; pass shares= explicitly")
    a_grp, b_grp = spec.groups
    f = spec.figures
    wide = f.pivot(index="item", columns="group", values="pct")
    dec = f.pivot(index="item", columns="group", values="pct_decimals")
    per_item = {}
    for item in [i for i in spec.items if i in wide.index]:
        row = wide.loc[item]
        if any(g not in row or np.isnan(row[g]) for g in (a_grp, b_grp, ALL)):
            continue
        bounds = inverse_share_bounds(row[ALL], row[a_grp], row[b_grp],
                                      decimals=tuple(int(dec.loc[item, g]) for g in (ALL, a_grp, b_grp)))
        if not bounds.empty and (bounds.low > 0 or bounds.high < 1):  # [0, 1] bounds nothing
            per_item[item] = (float(bounds.low), float(bounds.high))
    if not per_item:
        raise ValueError(f"shares: survey {spec.survey!r} prints no item for both groups and for everyone, "
                         "so the group shares cannot be inferred; pass shares= explicitly")
    low = max(lo for lo, _ in per_item.values())
    high = min(hi for _, hi in per_item.values())
    consistent = low <= high
    if consistent:
        share = (low + high) / 2
    else:
        mids = [(lo + hi) / 2 for lo, hi in per_item.values()]
        share, low, high = float(np.median(mids)), min(mids), max(mids)
    return ImpliedShare(share=float(share), low=float(low), high=float(high), items=tuple(per_item),
                        per_item=per_item, consistent=consistent)


def share_facts(spec: SurveySpec):
    groups = list(spec.groups)
    if not groups:
        return (100.0,), True, []
    if all(s is not None for s in spec.shares):
        rows = [fact_row("share", g, f"{s:g}%", "published", "printed by the report") for g, s in zip(groups, spec.shares)]
        return tuple(float(s) for s in spec.shares), True, rows
    if len(groups) != 2 or any(s is not None for s in spec.shares):
        return (), False, [fact_row("share", "/".join(groups), "none", "forensics",
                                 "shares unpublished and not implied (needs two groups without any printed share)")]
    try:
        res = implied_share(spec)
    except ValueError as err:
        return (), False, [fact_row("share", "/".join(groups), "none", "forensics", str(err))]
    per_item = "; ".join(f"{i} {100 * lo:.1f}-{100 * hi:.1f}%" for i, (lo, hi) in res.per_item.items())
    how = ("the midpoint of the interval: every value in it reproduces the overall figures within rounding, "
           "and none is favoured" if res.consistent else
           "the median of the per-item midpoints: the per-item intervals do not overlap")
    share = 100 * res.share
    evidence = (f"bounded to {100 * res.low:.1f}-{100 * res.high:.1f}% by the figures printed for both groups "
                f"and for everyone ({per_item}); used: {share:.1f}%, {how}")
    return (share, 100 - share), False, [
        fact_row("share", groups[0], f"{share:.1f}%", "forensics", evidence),
        fact_row("share", groups[1], f"{100 - share:.1f}%", "forensics", f"100% minus the {groups[0]} share")]
