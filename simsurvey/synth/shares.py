"""Group shares for generation: published, chosen by the caller, or implied by overall figures.

Some reports publish percentages per group and for everyone but not how big
the groups are (the Harris SMB survey: growing vs stagnant). With two groups
the figure for everyone is a weighted mean, ``all = s * a + (1 - s) * b``, so
every item printed for both groups and for everyone bounds the share ``s`` of
the first group within rounding (:func:`simsurvey.forensics.mixtures.inverse_share_bounds`,
the forensics' inverse problem). :func:`implied_share` intersects these
intervals and takes the midpoint: a simple, documented default.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simsurvey.catalog.load import ALL
from simsurvey.forensics.mixtures import inverse_share_bounds
from simsurvey.catalog.spec import SurveySpec

__all__ = ["ImpliedShare", "implied_share", "resolve_shares"]


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


def resolve_shares(spec: SurveySpec, shares=None) -> tuple[np.ndarray, bool, str]:
    """Group shares to generate with, in percent, and where they come from.

    Parameters
    ----------
    spec : SurveySpec
    shares : mapping of group -> proportion, optional
        The caller's shares (proportions summing to 1). Default: the published
        shares, or for a two-group survey without published shares the
        midpoint of the interval implied by the overall figures.

    Returns
    -------
    shares : numpy.ndarray
        Percentages per group, in catalogue order.
    printed : bool
        True when the shares are printed figures that group sizes must
        reproduce to the printed digit.
    source : str
        A sentence for the sample's assumptions.

    Examples
    --------
    >>> from simsurvey.catalog.spec import survey_spec
    >>> resolve_shares(survey_spec("sos-smb-2016"))[0].tolist()
    [11.0, 53.0, 36.0]
    >>> resolve_shares(survey_spec("smb-trends-2017"), {"growing": 0.7, "stagnant": 0.3})[0].tolist()
    [70.0, 30.0]
    """
    groups = list(spec.groups)
    if not groups:
        if shares is not None:
            raise ValueError(f"shares: survey {spec.survey!r} has no groups, so shares do not apply")
        return np.array([100.0]), True, "one group (the survey publishes no groups)"
    if shares is not None:
        if not hasattr(shares, "keys"):
            raise ValueError(f"shares must be a mapping of group -> proportion, got {type(shares).__name__}")
        if set(shares) != set(groups):
            raise ValueError(f"shares must give a proportion for each group of {spec.survey!r}: "
                             f"{', '.join(groups)}; got {', '.join(map(str, shares))}")
        values = np.array([float(shares[g]) for g in groups])
        if not np.all(np.isfinite(values)) or np.any(values < 0) or abs(values.sum() - 1) > 1e-6:
            raise ValueError(f"shares must be proportions (0-1) summing to 1, got "
                             f"{dict(zip(groups, values.tolist()))} (sum {values.sum():g})")
        return values * 100, False, "given by the caller"
    if all(s is not None for s in spec.shares):
        return np.array(spec.shares, dtype=float), True, "published"
    if any(s is not None for s in spec.shares):
        raise ValueError(f"shares: survey {spec.survey!r} publishes some group shares but not all; "
                         "pass shares= explicitly")
    res = implied_share(spec)
    how = ("midpoint of the interval" if res.consistent
           else "median of the per-item values (their intervals do not overlap)")
    source = (f"unpublished; {how} [{res.low:.4f}, {res.high:.4f}] for {groups[0]!r} implied by the "
              f"figures printed for both groups and for everyone ({', '.join(res.items)})")
    return np.array([res.share, 1 - res.share]) * 100, False, source
