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

import numpy as np

from simsurvey.forensics.implied import ImpliedShare, implied_share
from simsurvey.catalog.spec import SurveySpec

__all__ = ["ImpliedShare", "implied_share", "resolve_shares", "survey_shares"]


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


def survey_shares(resolved, shares=None) -> tuple[np.ndarray, bool, str]:
    """Shares to generate with: the caller's, else what :func:`simsurvey.resolve` established.

    Like :func:`resolve_shares` (same returns), for a
    :class:`~simsurvey.forensics.resolve.ResolvedSurvey`: its shares and
    their evidence are used instead of being derived again.

    Examples
    --------
    >>> from simsurvey.forensics.resolve import resolve
    >>> pct, printed, source = survey_shares(resolve("smb-trends-2017"))
    >>> pct.round(1).tolist(), printed
    ([73.8, 26.2], False)
    """
    if shares is not None or not resolved.shares:
        return resolve_shares(resolved.spec, shares)
    if resolved.shares_published:
        return np.array(resolved.shares, dtype=float), True, "published"
    evidence = resolved.fact("share")["evidence"].iloc[0]
    return np.array(resolved.shares, dtype=float), False, f"unpublished; {evidence} (simsurvey.resolve)"
