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
from simsurvey.forensics.ratios import ClaimResult, evaluate_claims
from simsurvey.forensics.surveyfacts import SurveyFacts

__all__ = ["sizes_table", "size_vectors_table", "SIZES_COLUMNS", "SIZE_VECTORS_COLUMNS"]

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
