"""Group sizes that fit every printed figure and claim of a survey at once.

A group of 86 cannot print 54% (46 of 86 is 53.5%, 47 is 54.7%), so each
group percentage rules some group sizes out, and so does each claim tested
with whole numbers. :func:`size_vectors_table` shows, per admissible
group-size vector (from ``n`` and the printed shares), how many figures and
claims it allows; :func:`sizes_table` gives the survey's verdict: whether any
vector fits everything. Both assume every item was put to the whole group
(no item non-response, no routing): where items have smaller bases, a vector
can fail here and still be the truth, which the note says.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from simsurvey.catalog.load import ALL
from simsurvey.forensics.groupsizes import count_range
from simsurvey.forensics.mixtures import mixture_feasible
from simsurvey.forensics.claims import ClaimResult, evaluate_claims
from simsurvey.forensics.surveyfacts import SurveyFacts, fact_row

__all__ = ["sizes_table", "size_vectors_table", "choose_sizes", "SIZES_COLUMNS", "SIZE_VECTORS_COLUMNS"]

SIZE_VECTORS_COLUMNS = ["survey", "groups", "sizes", "figures_ok", "figures", "claims_ok", "claims", "fits_all"]
SIZES_COLUMNS = ["survey", "groups", "n", "shares", "vectors", "fitting", "sizes", "figures", "claims", "verdict",
                 "note"]


def _checked(facts: SurveyFacts) -> bool:
    """Surveys with ``n``, groups and every share published (the others' sizes are in the inverse table)."""
    return facts.n is not None and bool(facts.groups) and facts.shares_published


def size_vectors_table(facts: SurveyFacts, results: list[ClaimResult] | None = None,
                       claims_used=None) -> pd.DataFrame:
    """One row per admissible group-size vector: how many figures and claims it allows.

    Columns: ``groups`` and ``sizes`` (slash-separated), ``figures_ok`` of
    ``figures`` group percentages attainable, ``claims_ok`` of ``claims``
    (integer-tested claims whose pairing is not uncertain, or the ids in
    ``claims_used``, e.g. the claims a scrambled chart's solver re-paired)
    reproduced, and ``fits_all``. Surveys without ``n`` or without every share published give
    no rows; so does a survey whose ``n`` and shares admit no sizes at all.

    Examples
    --------
    >>> from simsurvey.catalog.load import load_catalog
    >>> from simsurvey.forensics.surveyfacts import survey_facts
    >>> t = size_vectors_table(survey_facts(load_catalog(), "sos-smb-2016"))
    >>> t.loc[t["fits_all"] == "yes", "sizes"].tolist()
    ['90/413/283', '90/414/282', '90/415/281', '90/416/280']
    """
    if facts.sizes is None or not _checked(facts):
        return pd.DataFrame(columns=SIZE_VECTORS_COLUMNS)
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
    }, columns=SIZE_VECTORS_COLUMNS)


def sizes_table(facts: SurveyFacts, vectors: pd.DataFrame | None = None) -> pd.DataFrame:
    """The survey's verdict on its group sizes: one row, or none where ``n`` or a share is unpublished.

    ``vectors`` counts the group-size vectors that ``n`` and the printed
    shares allow, ``fitting`` those that also fit every group figure and
    claim at once (:func:`size_vectors_table`), ``sizes`` their range per
    group. The verdict is ``inconsistent`` when no vector fits (or none
    exists at all) in an unweighted survey, ``unresolved`` when the survey is
    weighted (its counts need not be whole numbers), else ``consistent``.

    Examples
    --------
    >>> from simsurvey.catalog.load import load_catalog
    >>> from simsurvey.forensics.surveyfacts import survey_facts
    >>> row = sizes_table(survey_facts(load_catalog(), "sos-smb-2016")).iloc[0]
    >>> int(row["vectors"]), int(row["fitting"]), row["sizes"], row["verdict"]
    (44, 4, '90/413-416/280-283', 'consistent')
    """
    if not _checked(facts):
        return pd.DataFrame(columns=SIZES_COLUMNS)
    vectors = size_vectors_table(facts) if vectors is None else vectors
    fitting = vectors[vectors["fits_all"] == "yes"]
    figures = int(vectors["figures"].iloc[0]) if len(vectors) else 0
    claims = int(vectors["claims"].iloc[0]) if len(vectors) else 0
    sizes = ""
    if len(fitting):
        split = fitting["sizes"].str.split("/", expand=True).astype(int)
        sizes = "/".join(f"{lo}" if lo == hi else f"{lo}-{hi}" for lo, hi in zip(split.min(), split.max()))
    if facts.impossible:
        note = facts.impossible
    elif facts.sizes is None:  # too many candidates to enumerate
        note = facts.sizes_note
    elif len(fitting):
        note = (f"{len(fitting)} of {len(vectors)} group-size vectors fit all {figures} group figures and "
                f"{claims} claims at once, assuming every item was asked of the whole group")
    else:
        best = vectors.assign(ok=vectors["figures_ok"] + vectors["claims_ok"]).sort_values("ok", kind="stable")
        top = best.iloc[-1]
        note = (f"no group-size vector fits every group figure and claim at once (assuming every item was asked "
                f"of the whole group); the closest, {top['sizes']}, allows {top['figures_ok']} of {figures} figures "
                f"and {top['claims_ok']} of {claims} claims")
    if facts.sizes is None and not facts.impossible:
        verdict = "unresolved"
    elif len(fitting):
        verdict = "consistent"
    elif facts.weighted:
        verdict = "unresolved"
        note += "; weighted data: counts need not be whole numbers, so this does not decide"
    else:
        verdict = "inconsistent"
    shares = "/".join(f"{s:g}" for s in facts.shares)
    return pd.DataFrame([dict(survey=facts.survey, groups="/".join(facts.groups), n=facts.n, shares=shares,
                              vectors=len(vectors), fitting=len(fitting), sizes=sizes, figures=figures,
                              claims=claims, verdict=verdict, note=note)], columns=SIZES_COLUMNS)


def choose_sizes(facts: SurveyFacts, table: pd.DataFrame):
    """The admissible size vectors (fit everything) and the one closest to the printed shares."""
    if facts.sizes is None or not facts.groups or not len(table):
        why = facts.sizes_note or "no groups"
        if facts.sizes is not None and facts.groups and not facts.shares_published:
            why = "group shares unpublished: no size vector can be chosen from them"
        return None, (), [fact_row("group_sizes", "/".join(facts.groups) or "all", "none", "forensics", why)]
    mixtures = _mixture_mask(facts)
    fits = (table["fits_all"] == "yes").to_numpy() & mixtures.all(axis=0) & _answers_mask(facts)
    subject = "/".join(facts.groups)
    if not fits.any():
        return None, (), [fact_row("group_sizes", subject, "none", "forensics",
                                f"none of the {len(facts.sizes)} size vectors whose shares print as published "
                                "fits every group figure, overall figure and claim at once")]
    cands = facts.sizes[fits]
    target = np.array(facts.shares, dtype=float) * facts.n / 100
    cost = ((cands - target) ** 2).sum(axis=1)
    best = cands[np.lexsort((*cands.T[::-1], cost))[0]]
    chosen = tuple(int(v) for v in best)
    admissible = tuple(tuple(int(v) for v in row) for row in cands)
    row = table[fits].iloc[0]
    shown = "; ".join("/".join(map(str, a)) for a in admissible)
    evidence = (f"{len(cands)} of the {len(facts.sizes)} size vectors whose shares print as "
                f"{'/'.join(f'{s:g}' for s in facts.shares)}% of {facts.n} fit all {row['figures']} group "
                f"figures, {len(mixtures)} overall figures (as sums of group counts) and {row['claims']} "
                f"integer-tested claims at once: {shown}")
    reason = (f"closest to the printed shares ({'/'.join(f'{t:.1f}' for t in target)}) "
              "among the admissible vectors (least squares, ties to the smaller first group)")
    if facts.weighted:
        reason += "; weighted survey: whole numbers describe the unweighted respondents only"
    return chosen, admissible, [
        fact_row("admissible_sizes", subject, shown, "forensics", evidence),
        fact_row("group_sizes", subject, "/".join(map(str, chosen)), "forensics", reason)]


def _mixture_mask(facts: SurveyFacts) -> np.ndarray:
    """Per item printed for every group and for everyone: which size vectors let the counts add up."""
    masks = []
    for item in facts.figures["item"].unique():
        overall = facts.pct(item, ALL)
        parts = [facts.pct(item, g) for g in facts.groups]
        if overall is None or any(p is None for p in parts):
            continue
        mask, _, _ = mixture_feasible(overall.value, [p.value for p in parts], facts.sizes, facts.n,
                                      pct_decimals=[p.decimals for p in parts],
                                      overall_decimals=overall.decimals, rule=facts.rule)
        masks.append(mask)
    return np.array(masks, dtype=bool).reshape(len(masks), len(facts.sizes))


def _answers_mask(facts: SurveyFacts) -> np.ndarray:
    """Which size vectors let the answers of every single-choice question add up within each group.

    The answers of a question that exhausts it (printed shares sum to 100 within rounding) must sum to
    the group size; those of one with an unpublished rest must fit into it.
    """
    ok = np.ones(len(facts.sizes), dtype=bool)
    f = facts.figures.sort_values("location", kind="stable").drop_duplicates(["item", "group"])
    if "question" not in f:
        return ok
    f = f[(f["question"].fillna("") != "") & f["group"].isin(facts.groups)]
    for (_, group), rows in f.groupby(["question", "group"], sort=False):
        base = facts.base(group)
        lows, highs = zip(*(count_range(p, base, int(d), facts.rule) for p, d in zip(rows["pct"], rows["pct_decimals"])))
        low, high = np.sum(lows, axis=0), np.sum(highs, axis=0)
        slack = 0.5 * len(rows) * 10.0 ** -int(rows["pct_decimals"].max())
        complete = abs(float(rows["pct"].sum()) - 100) <= slack + 1e-9
        ok &= (low <= base) & ((high >= base) if complete else True)
    return ok
