"""The verdict table: one row per printed claim with its percentages, in words a journalist can quote.

Each row joins what the earlier stages established about one claim: the
resolved survey (the claim re-paired where a chart was scrambled, the group
sizes), the rounding forensics (what the rounded percentages allow) and the
bootstrap under ideal random sampling (the interval, and the family-wide
interval that holds for every claim at once). A later stage that is run adds
its own columns (:data:`CAVEAT_STAGE`, :data:`WEIGHTING_STAGE`); a stage that
is not run adds none. The weighting stage's columns are never blank without a
reason: where there is no weighted interval, ``weighting`` says why.
Claims printed without both percentages go to :func:`unpublished_table`.
"""
from __future__ import annotations

import pandas as pd

from simsurvey.report.wording import claim_wording, interval_text, percentages_text, value_text

__all__ = ["verdict_table", "unpublished_table", "VERDICT_COLUMNS", "UNPUBLISHED_COLUMNS"]

#: Columns of the verdict table (CSV), in order.
VERDICT_COLUMNS = ["claim_id", "claim", "printed", "percentages", "num_pct", "num_n", "den_pct", "den_n",
                   "rounding_low", "rounding_high", "rounding_verdict", "estimate", "srs_low", "srs_high",
                   "family_low", "family_high", "weighting", "kish_deff", "kish_n_eff", "weighted_low",
                   "weighted_high", "e_value", "e_value_low", "halo_share", "self_rating", "scrambled",
                   "verdict"]
UNPUBLISHED_COLUMNS = ["claim_id", "claim", "printed", "published", "what_must_hold", "e_value", "halo_share"]
#: Columns filled by the caveat scenarios (:mod:`simsurvey.report.caveats`).
CAVEAT_STAGE = ["e_value", "e_value_low", "halo_share", "self_rating"]
#: Columns filled by the weighting stage (:mod:`simsurvey.report.weighted`).
WEIGHTING_STAGE = ["weighting", "kish_deff", "kish_n_eff", "weighted_low", "weighted_high"]
#: A weighted interval changes the reading when it is this much wider (on the log scale) than the ideal-sampling
#: one, or when it takes in 1 where that one does not; below it the verdict sentence does not mention weighting.
WIDER = 1.25


def verdict_table(resolved, forensics: pd.DataFrame, boot: pd.DataFrame | None, item_labels: dict,
                  *, caveats: pd.DataFrame | None = None, plan=None, weighted: pd.DataFrame | None = None,
                  confidence: float = 0.95, interval_method: str = "percentile") -> pd.DataFrame:
    """One row per claim of ``resolved`` whose two percentages are published.

    Parameters
    ----------
    resolved : ResolvedSurvey
        The claims as re-paired (:attr:`ResolvedSurvey.claims`).
    forensics : pandas.DataFrame
        The claims table of :func:`simsurvey.check` for the same survey.
    boot : pandas.DataFrame or None
        :func:`simsurvey.bootstrap` result on the resolved claims (None: no
        interval columns are filled and the verdict says why).
    caveats : pandas.DataFrame, optional
        :func:`simsurvey.report.caveats.caveat_columns` (E-value, halo share);
        ``e_value_low`` is the E-value of the ideal-sampling interval's end nearer 1.
    plan : WeightingPlan or NoWeighting, optional
        :func:`simsurvey.report.weighting.weighting_plan`; None leaves the
        weighting columns out.
    weighted : pandas.DataFrame, optional
        :meth:`simsurvey.report.weighted.WeightedIntervals.for_verdicts`: the
        interval after weighting (``weighted_low``, ``weighted_high``) with
        Kish's design effect and effective n. The verdict sentence mentions it
        when it changes the reading (:data:`WIDER`).
    item_labels : dict
        Item id to its printed label (for claims printed only by chart position).
    """
    left_out = (CAVEAT_STAGE if caveats is None else []) + (WEIGHTING_STAGE if plan is None else [])
    if forensics.empty or resolved.claims.empty:
        return pd.DataFrame(columns=[c for c in VERDICT_COLUMNS if c not in left_out])
    f = forensics.set_index("claim_id")
    claims = resolved.claims.set_index("claim_id")
    keep = [cid for cid in claims.index if cid in f.index and pd.notna(f.at[cid, "num_pct"])
            and pd.notna(f.at[cid, "den_pct"])]
    claims = claims.loc[keep].reset_index()
    words = claim_wording(claims, item_labels)
    intervals = _intervals(boot, interval_method)
    family = _intervals(boot, "simultaneous")
    after = _weighted(weighted, boot)
    # a text sentence repeating a chart's claim has no caveat row of its own: the chart's stands for both
    scenario_claims = set(caveats["claim_id"]) if caveats is not None else set()
    alias = {}
    for c in claims.itertuples(index=False):
        if c.claim_id in scenario_claims:
            alias.setdefault(_key(c), c.claim_id)
    sizes = dict(zip(resolved.groups, resolved.sizes)) if resolved.sizes else {}
    missing = (float("nan"),) * 3 + (None, None)
    rows = []
    for k, c in enumerate(claims.itertuples(index=False)):
        fr = f.loc[c.claim_id]
        # a claim printed twice (chart and text) is estimated once: the same comparison gives the interval
        est, lo, hi, n_num, n_den = intervals.get(c.claim_id, intervals.get(_key(c), missing))
        _, flo, fhi, _, _ = family.get(c.claim_id, family.get(_key(c), missing))
        if sizes or resolved.n:  # the forensics' group sizes, where they are established
            n_num, n_den = _counts(c, sizes, resolved.n, n_num, n_den)
        row = {
            "claim_id": c.claim_id, "claim": words.iloc[k], "printed": c.printed_text,
            "percentages": percentages_text(c.kind, c.numerator, c.denominator, fr["num_pct"], fr["den_pct"],
                                            n_num, n_den, approximate=not resolved.shares_published),
            "num_pct": fr["num_pct"], "num_n": n_num, "den_pct": fr["den_pct"], "den_n": n_den,
            "rounding_low": fr["low"], "rounding_high": fr["high"], "rounding_verdict": fr["verdict"],
            "estimate": est, "srs_low": lo, "srs_high": hi, "family_low": flo, "family_high": fhi,
            **_weighting(plan, after.get(c.claim_id, after.get(_key(c))), lo),
            **_caveat(caveats, c.claim_id if c.claim_id in scenario_claims else alias.get(_key(c)), lo, hi),
            "scrambled": _scrambled(c),
        }
        row["verdict"] = _plain(row, c, confidence, boot is not None, plan)
        rows.append(row)
    out = pd.DataFrame(rows, columns=VERDICT_COLUMNS).astype({"claim": object, "verdict": object, "scrambled": object,
                                                              "self_rating": "boolean", "weighting": object})
    out = out.drop(columns=left_out)  # a stage that was not run: its columns are left out, not left empty
    return out.astype({"num_n": "Int64", "den_n": "Int64"})


def _caveat(caveats, claim_id, low, high) -> dict:
    from simsurvey.report.caveats import e_value_of_limit

    if caveats is None or claim_id not in set(caveats["claim_id"]):
        return {k: float("nan") for k in CAVEAT_STAGE} | {"self_rating": pd.NA}
    row = caveats.set_index("claim_id").loc[claim_id]
    limit = float(e_value_of_limit(low, high)) if pd.notna(low) and pd.notna(row["e_value"]) else float("nan")
    return {"e_value": row["e_value"], "e_value_low": limit, "halo_share": row["halo_share"],
            "self_rating": row["self_rating"]}


def _weighted(weighted, boot) -> dict:
    """claim_id (and the comparison's key, for a claim printed twice) to its row of the weighted intervals."""
    if weighted is None or boot is None or weighted.empty:
        return {}
    keys = {r.claim_id: _key(r) for r in boot.drop_duplicates("claim_id").itertuples(index=False)}
    out = {}
    for r in weighted.itertuples(index=False):
        out[r.claim_id] = r
        if r.claim_id in keys:
            out.setdefault(keys[r.claim_id], r)
    return out


def _weighting(plan, found, srs_low) -> dict:
    from simsurvey.report.weighting import NoWeighting

    empty = {"kish_deff": float("nan"), "kish_n_eff": float("nan"), "weighted_low": float("nan"),
             "weighted_high": float("nan")}
    if plan is None:
        return {"weighting": None, **empty}
    if isinstance(plan, NoWeighting):
        return {"weighting": plan.name, **empty}
    if found is None or pd.isna(found.weighted_low):
        why = "no ideal-sampling interval to weight" if pd.isna(srs_low) else "no draw could be weighted"
        return {"weighting": f"none for this claim: {why}", **empty}
    return {"weighting": plan.name, "kish_deff": found.kish_deff, "kish_n_eff": found.kish_n_eff,
            "weighted_low": found.weighted_low, "weighted_high": found.weighted_high}


def _key(c) -> tuple:
    return (c.kind, c.item, c.numerator, c.denominator)


def _intervals(boot, method) -> dict:
    """claim_id (and the comparison's key) to (estimate, low, high, n_numerator, n_denominator)."""
    if boot is None or method not in set(boot["method"]):
        return {}
    out = {}
    for r in boot[boot["method"] == method].itertuples(index=False):
        value = (r.estimate, r.low, r.high, int(r.n_numerator), int(r.n_denominator))
        out[r.claim_id] = value
        out.setdefault(_key(r), value)
    return out


def _counts(c, sizes, n, n_num, n_den):
    if c.kind == "ratio":
        return sizes.get(c.numerator, n_num), sizes.get(c.denominator, n_den)
    base = n if c.group in ("", "all", None) else sizes.get(c.group)
    return (base, base) if base is not None else (n_num, n_den)


def _scrambled(c) -> str:
    pairing = getattr(c, "pairing", "as printed")
    if pairing == "re-paired":
        positional = getattr(c, "printed_positional", c.printed)
        if positional != c.printed:
            return (f"yes: the chart prints {positional:.{int(c.decimals)}f}x at this item's position; the chart solver gives "
                    f"this item {c.printed_text} (the only assignment that fits whole-number counts)")
        return f"yes: the chart solver confirms {c.printed_text} at this item's position"
    if pairing == "unresolved":
        return "yes: unresolved (more than one assignment of the chart's multipliers fits)"
    return "no"


def _plain(row: dict, c, confidence: float, bootstrapped: bool, plan=None) -> str:
    kind = c.kind
    parts = [f"printed {row['printed']}" + (f" from {row['percentages']}" if row["percentages"] else "")]
    if row["rounding_verdict"] == "consistent":
        parts.append(f"the rounded percentages allow {interval_text(row['rounding_low'], row['rounding_high'], kind)}"
                     ", so the arithmetic holds")
    elif row["rounding_verdict"] == "inconsistent":
        parts.append("no percentages that round to those printed give this figure (an error in the report)")
    else:
        parts.append("rounding alone cannot decide it")
    if row["scrambled"].startswith("yes: the chart prints"):
        parts.append("the chart put it beside another item (re-paired by arithmetic)")
    if pd.notna(row["srs_low"]):
        parts.append(f"even under ideal random sampling the data fit anything from "
                     f"{value_text(row['srs_low'], kind)} to {value_text(row['srs_high'], kind)} "
                     f"({confidence:.0%} interval)")
        if kind != "anticipated_growth" and row["srs_low"] <= 1 <= row["srs_high"]:
            parts.append("which includes no difference at all")
        elif pd.notna(row["family_low"]) and kind != "anticipated_growth" and row["family_low"] <= 1:
            parts.append("judged together with every other claim, no difference at all is inside the interval")
    elif bootstrapped:
        parts.append("no interval: the synthetic sample cannot recompute it")
    parts += _weighting_words(row, kind, plan)
    parts += _caveat_words(row)
    return "; ".join(parts)


def _weighting_words(row: dict, kind: str, plan) -> list[str]:
    """One clause when the interval after weighting changes the reading (:data:`WIDER`), else none."""
    import numpy as np

    lo, hi, slo, shi = (row.get(k, float("nan")) for k in ("weighted_low", "weighted_high", "srs_low", "srs_high"))
    if pd.isna(lo) or pd.isna(slo) or not (lo > 0 and slo > 0):
        return []
    takes_in_1 = kind != "anticipated_growth" and lo <= 1 <= hi and not slo <= 1 <= shi
    if np.log(hi / lo) < WIDER * np.log(shi / slo) and not takes_in_1:
        return []
    how = ("with the survey's own weighting by firm size (reconstructed)" if getattr(plan, "own", False)
           else "after weighting to firm size")
    return [f"{how} the data fit {value_text(lo, kind)} to {value_text(hi, kind)}"
            + (", which includes no difference at all" if takes_in_1 else "")]


def _true(value) -> bool:
    return bool(value) if pd.notna(value) else False


def _caveat_words(row: dict) -> list[str]:
    out = []
    if pd.notna(row["halo_share"]):
        out.append(f"a shared self-rating style making up {row['halo_share']:.0%} of every answer would print it "
                   "with no real difference between the groups"
                   + (" (the answer is itself a self-rating)" if _true(row["self_rating"]) else ""))
    if pd.notna(row["e_value"]):
        lower = f" ({row['e_value_low']:.1f} for the interval's lower end)" if pd.notna(row["e_value_low"]) else ""
        out.append(f"a bias tied to both group and answer by a factor of {row['e_value']:.1f} each would explain it "
                   f"away{lower}")
    return out


def unpublished_table(resolved, forensics: pd.DataFrame, item_labels: dict,
                      caveats: pd.DataFrame | None = None) -> pd.DataFrame:
    """Claims printed without both percentages, with what would have to be true for them to hold.

    ``what_must_hold`` is the forensics' bound (e.g. "5.6X needs under% <=
    high%/5.55, so under% <= 18.0% even if every high respondent qualifies").
    """
    if forensics.empty or resolved.claims.empty:
        return pd.DataFrame(columns=UNPUBLISHED_COLUMNS if caveats is not None else UNPUBLISHED_COLUMNS[:5])
    f = forensics.set_index("claim_id")
    claims = resolved.claims.set_index("claim_id")
    keep = [cid for cid in claims.index if cid in f.index and (pd.isna(f.at[cid, "num_pct"])
                                                                or pd.isna(f.at[cid, "den_pct"]))]
    claims = claims.loc[keep].reset_index()
    if claims.empty:
        return pd.DataFrame(columns=UNPUBLISHED_COLUMNS)
    published = []
    for c in claims.itertuples(index=False):
        pcts = [f"{g} {p:g}%" for g, p in ((c.numerator, f.at[c.claim_id, "num_pct"]),
                                           (c.denominator, f.at[c.claim_id, "den_pct"])) if pd.notna(p)]
        published.append(", ".join(pcts) if pcts else "none")
    out = pd.DataFrame({"claim_id": claims["claim_id"], "claim": claim_wording(claims, item_labels).to_numpy(),
                        "printed": claims["printed_text"], "published": published,
                        "what_must_hold": [f.at[cid, "note"] for cid in claims["claim_id"]]},
                       columns=UNPUBLISHED_COLUMNS[:5])
    if caveats is None:
        return out
    return out.merge(caveats[["claim_id", "e_value", "halo_share"]], on="claim_id", how="left")
