"""The caveat scenarios per claim: how strong a bias explains it away, and how much halo reproduces it.

Two numbers from :mod:`simsurvey.scenarios`, joined to the verdict table by
claim: the E-value (VanderWeele & Ding 2017) of the printed multiplier and of
the lower end of its ideal-sampling interval, and the halo share, the part of
every self-rating that a shared rating style would need to be to print the
multiplier in a world with no real difference between the tiers.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["caveat_columns", "CAVEAT_COLUMNS"]

CAVEAT_COLUMNS = ["claim_id", "e_value", "halo_share", "self_rating"]


def caveat_columns(resolved, catalog) -> pd.DataFrame:
    """One row per two-group claim: ``claim_id, e_value, halo_share, self_rating``.

    Examples
    --------
    >>> import simsurvey as ss
    >>> t = caveat_columns(ss.resolve("sos-smb-2016"), ss.load_catalog()).set_index("claim_id")
    >>> [round(float(v), 2) for v in t.loc["sos-smb-2016#8", ["e_value", "halo_share"]]]
    [10.88, 0.68]
    """
    from simsurvey.scenarios.evalues import evalue_table
    from simsurvey.scenarios.halo import halo_share_table

    e = evalue_table(resolved, catalog=catalog)
    h = halo_share_table(resolved, catalog=catalog)
    out = e[["claim_id", "evalue"]].rename(columns={"evalue": "e_value"}).merge(
        h[["claim_id", "halo_share", "self_rating"]], on="claim_id", how="outer")
    return out[CAVEAT_COLUMNS]


def e_value_of_limit(low, high):
    """E-value of the interval limit nearer 1 (1 when the interval contains 1)."""
    from simsurvey.scenarios.evalues import evalue_limit

    return evalue_limit(np.asarray(low, dtype=float), np.asarray(high, dtype=float))
