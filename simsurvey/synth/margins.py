"""Check a sample against what the report published: one row per printed figure.

:func:`margin_check` puts every published percentage (and group share) next
to the sample's: the difference, whether the sample's percentage prints as the
published one (an exact integer test, :func:`simsurvey.forensics.rounding.rounds_to`),
and a test of the published value as the true proportion (for sampled
samples; an exact sample passes by construction). A printed percentage is
itself rounded, so the null hypothesis is the whole rounding interval: the
test uses the value in it closest to the sample's (conservative; a sample
inside the interval gets p = 1).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from simsurvey._validation import check_rule
from simsurvey.catalog.load import ALL
from simsurvey.synth.design import design
from simsurvey.forensics.rounding_intervals import printed_interval
from simsurvey.forensics.rounding import rounds_to
from simsurvey.catalog.spec import SurveySpec
from simsurvey.forensics.resolve import ResolvedSurvey, resolve
from simsurvey._validation import check_weights

__all__ = ["margin_check"]

COLUMNS = ["kind", "item", "group", "published_pct", "synthetic_pct", "difference", "n",
           "rounds_to_published", "p_value", "weighted", "note", "claim_id", "published_ratio", "synthetic_ratio"]


def margin_check(sample: pd.DataFrame, survey: str | SurveySpec | ResolvedSurvey, catalog=None, *,
                 rule: str = "any") -> pd.DataFrame:
    """Published versus synthetic percentage for every printed figure and multiplier of ``survey``.

    Parameters
    ----------
    sample : pandas.DataFrame
        One row per respondent with a ``group`` column (for a survey with
        groups) and the items' 0/1 columns, as :func:`simsurvey.generate`
        returns. With a ``weight`` column, percentages are weighted.
    survey : str, SurveySpec or ResolvedSurvey
        Whose figures and claims (as :func:`simsurvey.resolve` re-pairs them;
        an id or spec is resolved once).
    catalog : Catalog, optional
    rule : {"any", "half_up", "half_even"}
        Rounding rule for ``rounds_to_published``.

    Returns
    -------
    pandas.DataFrame
        One row per figure: ``kind`` (``share`` for a group's share, ``item``
        for a percentage), ``item``, ``group`` (``all`` = everyone),
        ``published_pct``, ``synthetic_pct``, ``difference`` (synthetic minus
        published), ``n`` (respondents in the group, unweighted),
        ``rounds_to_published`` (whether the synthetic percentage prints as
        the published one: an exact test on the counts when unweighted, the
        rounding interval when weighted), ``p_value`` (two-sided test that
        the true proportion lies in the published figure's rounding interval:
        exact binomial against the interval's point closest to the sample
        when unweighted, normal approximation with Kish's effective n when
        weighted), ``weighted`` (whether a ``weight`` column was used),
        ``note`` (why a figure has no synthetic value, or was generated from
        another figure). Then one row per claim (``kind="claim"``, ``group``
        "numerator/denominator" or the claim's group) with ``claim_id``,
        ``published_ratio`` (the printed multiplier), ``synthetic_ratio``
        (the sample's, on the printed scale) and ``rounds_to_published``
        (whether it prints as published: exact on the counts when unweighted);
        the ``*_pct`` columns and ``p_value`` are empty there.

    Examples
    --------
    >>> from simsurvey import generate
    >>> check = margin_check(generate("sos-smb-2016", seed=1), "sos-smb-2016")
    >>> bool(check["rounds_to_published"].dropna().all())
    True
    >>> row = check.set_index(["item", "group"]).loc[("excel_engage_at_scale", "under")]
    >>> round(float(row["synthetic_pct"]), 2), int(row["n"])  # 45 of 281
    (16.01, 281)
    >>> claim = check.set_index("claim_id").loc["sos-smb-2016#12"]  # +23%: 85/362 of 786
    >>> claim["item"], round(float(claim["synthetic_ratio"]), 4), bool(claim["rounds_to_published"])
    ('tech_plan_iot_tracking', 0.2348, True)
    """
    check_rule(rule)
    if not isinstance(sample, pd.DataFrame):
        raise ValueError(f"sample must be a pandas DataFrame, got {type(sample).__name__}")
    resolved = resolve(survey, catalog, rule)
    spec = resolved.spec
    d = design(spec)
    groups = list(spec.groups)
    if groups:
        if "group" not in sample:
            raise ValueError("sample has no 'group' column")
        values = sample["group"].astype(object).to_numpy()
        unknown = sorted(set(values) - set(groups), key=str)
        if unknown:
            raise ValueError(f"sample: column 'group' has values {unknown[:3]} that are not groups of "
                             f"{spec.survey!r} ({', '.join(groups)})")
        codes = np.array([groups.index(v) for v in values]) if len(values) < 1000 else \
            pd.Categorical(values, categories=groups).codes
    else:
        codes = np.zeros(len(sample), dtype=np.int64)
    weighted = "weight" in sample
    if weighted:
        w = check_weights(sample["weight"], argument="sample column 'weight'")
    else:
        w = np.ones(len(sample))
    n_groups = max(len(groups), 1)
    counts = np.bincount(codes, minlength=n_groups)
    wsum = np.bincount(codes, weights=w, minlength=n_groups)
    w2sum = np.bincount(codes, weights=w * w, minlength=n_groups)
    rows = []
    for g, (share, group) in enumerate(zip(spec.shares, groups)):
        if share is None:
            continue
        rows.append(_row("share", "", group, share, 0, wsum[g], wsum.sum(), counts[g], counts.sum(),
                         w2sum.sum(), weighted, rule, ""))
    scope = {i: q.scope for q in d.questions for i in q.items}
    for f in spec.figures.itertuples(index=False):
        dec = int(getattr(f, "pct_decimals", 0) or 0)
        note = ""
        if f.item not in sample:
            note = d.skipped.get(f.item, "not in the sample")
            rows.append(dict(kind="item", item=f.item, group=f.group, published_pct=float(f.pct),
                             synthetic_pct=np.nan, difference=np.nan, n=_group_n(f.group, groups, counts),
                             rounds_to_published=pd.NA, p_value=np.nan, weighted=weighted, note=note))
            continue
        if scope.get(f.item) == "overall" and f.group != ALL:
            note = "generated from the figure for everyone (same probability in every group)"
        y = sample[f.item].to_numpy(dtype=float)
        if f.group == ALL or not groups:
            num, den, cnt, w2 = float((w * y).sum()), float(w.sum()), int(counts.sum()), float(w2sum.sum())
        else:
            g = groups.index(f.group)
            num = float(np.bincount(codes, weights=w * y, minlength=n_groups)[g])
            den, cnt, w2 = float(wsum[g]), int(counts[g]), float(w2sum[g])
        rows.append(_row("item", f.item, f.group, f.pct, dec, num, den, cnt, None, w2, weighted, rule, note))
    rows += _claim_rows(sample, resolved, codes, w, weighted, rule)
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["rounds_to_published"] = out["rounds_to_published"].astype("boolean")
    out["n"] = out["n"].astype("int64")
    return out


def _claim_rows(sample, resolved: ResolvedSurvey, codes, w, weighted, rule) -> list[dict]:
    """One row per claim with both sides in the sample: the sample's multiplier against the printed one."""
    groups = list(resolved.groups)
    c = resolved.claim_spec().claims.fillna("")
    c = c[c["kind"].isin(["ratio", "anticipated_growth"]) & (c["item"] != "")]
    c = c.drop_duplicates(["kind", "item", "numerator", "denominator", "group", "printed"])
    pairing = dict(zip(resolved.claims["claim_id"], resolved.claims["pairing"]))
    rows = []
    for claim in c.itertuples(index=False):
        if claim.kind == "ratio":
            sides, label = [(claim.item, claim.numerator), (claim.item, claim.denominator)], \
                f"{claim.numerator}/{claim.denominator}"
        else:
            sides, label = [(claim.numerator, claim.group or ALL), (claim.denominator, claim.group or ALL)], \
                claim.group or ALL
        row = dict(kind="claim", item=claim.item, group=label, published_pct=np.nan, synthetic_pct=np.nan,
                   difference=np.nan, n=0, rounds_to_published=pd.NA, p_value=np.nan, weighted=weighted,
                   note="re-paired by the chart solver" if pairing.get(claim.claim_id) == "re-paired" else "",
                   claim_id=claim.claim_id, published_ratio=float(claim.printed), synthetic_ratio=np.nan)
        missing = [item for item, g in sides if item not in sample or (g != ALL and g not in groups)]
        if missing:
            row["note"] = f"not in the sample: {missing[0]}"
            rows.append(row)
            continue
        parts = []
        for item, g in sides:
            member = np.ones(len(sample), dtype=bool) if g == ALL else codes == groups.index(g)
            y = sample[item].to_numpy(dtype=float)
            parts.append((float((w * y)[member].sum()), float(w[member].sum()), int(member.sum())))
        (k1, n1, c1), (k2, n2, _) = parts if claim.direction != "less" else parts[::-1]
        row["n"] = c1
        if k2 == 0 or n1 == 0:
            row["note"] = "the denominator's percentage is 0 in the sample"
            rows.append(row)
            continue
        ratio = (k1 / n1) / (k2 / n2)
        row["synthetic_ratio"], row["difference"] = ratio, ratio - float(claim.printed)
        if weighted:
            lo, hi = printed_interval(float(claim.printed), int(claim.decimals), rule, lower=0).as_floats()
            row["rounds_to_published"] = bool(lo - 1e-9 <= ratio <= hi + 1e-9)
        else:
            row["rounds_to_published"] = bool(rounds_to(int(round(k1)) * int(round(n2)), int(round(k2)) * int(round(n1)),
                                                        float(claim.printed), int(claim.decimals), rule))
        rows.append(row)
    return rows


def _group_n(group, groups, counts):
    return int(counts.sum()) if group == ALL or not groups else int(counts[groups.index(group)])


def _row(kind, item, group, pct, dec, num, den, cnt, total_cnt, w2, weighted, rule, note):
    """One figure: ``num / den`` against ``pct`` (for shares, ``den`` is everyone)."""
    pct = float(pct)
    n_shown = int(cnt)
    if den <= 0:
        return dict(kind=kind, item=item, group=group, published_pct=pct, synthetic_pct=np.nan, difference=np.nan,
                    n=n_shown, rounds_to_published=pd.NA, p_value=np.nan, weighted=weighted,
                    note=note or "no respondents in this group")
    value = 100 * num / den
    if kind == "share":
        base_n = int(total_cnt)
    else:
        base_n = int(cnt)
    from scipy import stats  # loaded here, not on import: only margin checks need it

    lo, hi = printed_interval(pct, dec, rule, lower=0, upper=100).as_floats()
    # the true proportion closest to the sample among those that print as the figure
    p0 = float(np.clip(value, lo, hi)) / 100
    if not weighted:
        k = int(round(num))
        ok = bool(rounds_to(100 * k, base_n, pct, dec, rule))
        if 0 < p0 < 1:
            p_value = float(stats.binomtest(k, base_n, p0).pvalue)
        else:
            p_value = float(k == round(p0 * base_n))
    else:
        ok = bool(lo - 1e-9 <= value <= hi + 1e-9)
        n_eff = den * den / w2 if w2 > 0 else 0.0
        if 0 < p0 < 1 and n_eff > 0:
            z = (value / 100 - p0) / np.sqrt(p0 * (1 - p0) / n_eff)
            p_value = float(2 * stats.norm.sf(abs(z)))
        else:
            p_value = float(np.isclose(value / 100, p0))
    return dict(kind=kind, item=item, group=group, published_pct=pct, synthetic_pct=value, difference=value - pct,
                n=n_shown, rounds_to_published=ok, p_value=p_value, weighted=weighted, note=note)
