"""How strong must a bias be to explain a printed ratio away: the E-value.

VanderWeele & Ding (2017) define the E-value of a risk ratio ``RR > 1`` as
``RR + sqrt(RR * (RR - 1))``: the minimum strength of association, on the
risk-ratio scale, that an unmeasured confounder (here: an unmeasured
selection mechanism, a shared self-rating style, anything) would need with
*both* the tier and the outcome, above and beyond what is measured, to move
the ratio to 1. A ratio below 1 is inverted first. The E-value of a
confidence limit is the same formula applied to the limit nearer 1, and 1
when the interval already contains 1.

Reference: VanderWeele TJ, Ding P (2017). Sensitivity analysis in
observational research: introducing the E-value. Annals of Internal Medicine
167:268-274.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from simsurvey.inference.analytic import katz_log

__all__ = ["evalue", "evalue_limit", "evalue_table", "evalue_sentence"]


def evalue(rr):
    """E-value of a risk ratio (vectorised): ``RR + sqrt(RR (RR - 1))``, ``RR < 1`` inverted.

    Examples
    --------
    >>> float(evalue(1.0)), round(float(evalue(5.7)), 3), round(float(evalue(0.5)), 3)
    (1.0, 10.876, 3.414)
    >>> evalue(-1.0)
    Traceback (most recent call last):
    ...
    ValueError: rr must be positive and finite, got -1.0
    """
    rr = np.asarray(rr, dtype=float)
    bad = ~np.isfinite(rr) | (rr <= 0)
    if bad.any():
        raise ValueError(f"rr must be positive and finite, got {float(rr[bad].ravel()[0])!r}")
    rr = np.where(rr < 1, 1 / rr, rr)
    return rr + np.sqrt(rr * (rr - 1))


def evalue_limit(low, high):
    """E-value of a confidence interval: of the limit nearer 1, or 1 if the interval contains 1.

    Examples
    --------
    >>> float(evalue_limit(1.8, 8.7)), float(evalue_limit(0.8, 1.3)), round(float(evalue_limit(0.2, 0.5)), 3)
    (3.0, 1.0, 3.414)
    """
    low, high = np.broadcast_arrays(np.asarray(low, dtype=float), np.asarray(high, dtype=float))
    near = np.where(low > 1, low, np.where(high < 1, high, 1.0))
    out = np.full(near.shape, np.nan)
    ok = np.isfinite(near) & (near > 0)
    out[ok] = evalue(near[ok])
    return out


def evalue_sentence(printed: float, e: float, low: float = np.nan, e_low: float = np.nan,
                    confidence: float = 0.95) -> str:
    """A sentence a reader can quote, in VanderWeele & Ding's wording.

    Examples
    --------
    >>> evalue_sentence(5.7, 10.876, 4.4, 8.27)  # doctest: +NORMALIZE_WHITESPACE
    'The printed 5.7x could be explained away by an unmeasured selection or confounding mechanism
    associated with both the tier and the answer by a risk ratio of 10.9-fold each, above and beyond
    what was measured, but weaker bias could not; to move the lower 95% limit (4.40x) to 1 takes
    8.3-fold each.'
    """
    text = (f"The printed {printed:g}x could be explained away by an unmeasured selection or confounding "
            f"mechanism associated with both the tier and the answer by a risk ratio of {e:.1f}-fold each, "
            f"above and beyond what was measured, but weaker bias could not")
    if np.isfinite(e_low):
        if e_low <= 1:
            text += f"; its {confidence:.0%} interval already includes 1"
        else:
            text += f"; to move the lower {confidence:.0%} limit ({low:.2f}x) to 1 takes {e_low:.1f}-fold each"
    return text + "."


def evalue_table(source="sos-smb-2016", *, catalog=None, confidence: float = 0.95,
                 group_column: str = "group") -> pd.DataFrame:
    """The E-value of every ratio claim and of its lower interval limit, with a quotable sentence.

    Parameters
    ----------
    source : str, SurveySpec, ResolvedSurvey, World or pandas.DataFrame
        A survey (its printed multipliers as re-paired by :func:`simsurvey.resolve`,
        with the Katz interval from the published percentages at the resolved
        group sizes) or a
        respondent-level sample (its own estimates and Katz intervals; the
        survey's claims are looked up by ``sample.attrs["assumptions"]["survey"]``
        or default to ``sos-smb-2016``).
    catalog : Catalog, optional
    confidence : float
        Level of the interval whose limit is tested.
    group_column : str
        The sample's group column.

    Returns
    -------
    pandas.DataFrame
        One row per claim: ``claim_id, item, label, printed, ratio, low, high,
        evalue, evalue_low, note, sentence``. ``ratio`` is what the E-value is
        of (the printed multiplier, or the sample's estimate); ``evalue_low``
        is NaN where no interval exists (no percentages published, or a ratio
        of two items of the same respondents).

    Examples
    --------
    >>> t = evalue_table("sos-smb-2016").set_index("claim_id")
    >>> row = t.loc["sos-smb-2016#8"]
    >>> round(float(row["evalue"]), 2), round(float(row["evalue_low"]), 2)
    (10.88, 8.11)
    """
    from simsurvey.scenarios.world import resolved_survey

    if isinstance(source, pd.DataFrame):
        return _from_sample(source, catalog, confidence, group_column)
    resolved = resolved_survey(source, catalog)
    sizes = dict(zip(resolved.groups, resolved.sizes or ()))
    pct = resolved.spec.pct_table()
    rows = []
    for claim in _ratio_claims(resolved.claims).itertuples():
        if claim.pairing == "unresolved":
            continue
        row = dict(claim_id=claim.claim_id, item=claim.item if isinstance(claim.item, str) else "",
                   label=claim.label, printed=float(claim.printed))
        if claim.kind != "ratio":
            rows.append({**row, "note": f"a {claim.kind} claim compares two answers of the same respondents, "
                                        "not two groups"})
            continue
        rr = claim.printed if claim.direction != "less" else 1 / claim.printed
        row.update(ratio=float(rr), evalue=float(evalue(rr)))
        have = row["item"] in pct.index and {claim.numerator, claim.denominator} <= set(pct.columns)
        have = have and not pct.loc[row["item"], [claim.numerator, claim.denominator]].isna().any()
        if have and {claim.numerator, claim.denominator} <= set(sizes):
            n1, n2 = sizes[claim.numerator], sizes[claim.denominator]
            x1 = round(pct.loc[row["item"], claim.numerator] * n1 / 100)
            x2 = round(pct.loc[row["item"], claim.denominator] * n2 / 100)
            low, high = katz_log(x1, n1, x2, n2, confidence)
            row.update(low=float(low), high=float(high), evalue_low=float(evalue_limit(low, high)),
                       note=f"Katz interval from the published percentages at {claim.numerator} = {n1}, "
                            f"{claim.denominator} = {n2}")
        elif have:
            row["note"] = "no whole-number group sizes (weighted survey or unpublished n): no interval"
        else:
            row["note"] = "no percentages published for both groups: no interval"
        rows.append(row)
    return _finish(rows, confidence)


def _ratio_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """Every claim once (a text sentence repeating a chart's multiplier collapses into it)."""
    same = ["item", "numerator", "denominator", "printed"]
    claims = claims.sort_values("location", kind="stable")
    keyed = claims[claims["item"].fillna("") != ""].drop_duplicates(same)
    return pd.concat([keyed, claims[claims["item"].fillna("") == ""]]).sort_index()


def _from_sample(sample, catalog, confidence, group_column):
    from simsurvey.scenarios.world import resolved_survey

    survey = sample.attrs.get("assumptions", {}).get("survey", "sos-smb-2016")
    claims = resolved_survey(survey, catalog).claims
    if group_column not in sample.columns:
        raise ValueError(f"sample has no group column {group_column!r}")
    groups = sample[group_column].astype(str).to_numpy()
    rows = []
    for claim in _ratio_claims(claims).itertuples():
        if claim.pairing == "unresolved":
            continue
        item = claim.item if isinstance(claim.item, str) else ""
        if claim.kind != "ratio" or item not in sample.columns:
            continue
        y = sample[item].to_numpy()
        n1, n2 = int((groups == claim.numerator).sum()), int((groups == claim.denominator).sum())
        x1, x2 = int(y[groups == claim.numerator].sum()), int(y[groups == claim.denominator].sum())
        if min(n1, n2, x1, x2) == 0:
            continue
        rr = (x1 / n1) / (x2 / n2)
        low, high = katz_log(x1, n1, x2, n2, confidence)
        rows.append(dict(claim_id=claim.claim_id, item=item, label=claim.label, printed=float(claim.printed),
                         ratio=rr, low=float(low), high=float(high), evalue=float(evalue(rr)),
                         evalue_low=float(evalue_limit(low, high)),
                         note=f"sample estimate; Katz interval at {claim.numerator} = {n1}, "
                              f"{claim.denominator} = {n2}"))
    if not rows:
        raise ValueError(f"sample has no 0/1 column for any ratio claim of survey {survey!r}")
    return _finish(rows, confidence)


def _finish(rows, confidence):
    columns = ["claim_id", "item", "label", "printed", "ratio", "low", "high", "evalue", "evalue_low", "note"]
    out = pd.DataFrame(rows).reindex(columns=columns)
    out["sentence"] = [
        "" if not np.isfinite(r.evalue) else
        evalue_sentence(r.ratio if "sample" in r.note else r.printed, r.evalue, r.low, r.evalue_low, confidence)
        for r in out.itertuples()]
    return out
