"""Exact mode, third step: counts that reproduce the printed multipliers too.

Each printed percentage allows a small run of whole-number counts; exact mode
first takes, cell by cell, the one closest to ``pct * N / 100``. A printed
multiplier ties two cells together: 86 of 786 prints as 11% and 362 of 786 as
46%, but 86/362 = 0.2376 prints as 0.24, not the report's 0.23 (85/362 gives
both). For every claim :func:`simsurvey.resolve` finds feasible in whole numbers
under the chosen group sizes, :func:`reproduce_claims` moves its two counts
within their runs, as little as possible (least squares to the ideal counts),
until the ratio prints as published.

Handled cells: yes/no items published per group (the figure printed for
everyone stays reproduced) or for everyone only (re-split over the groups).
A claim on an answer of a single-choice question is checked, not adjusted.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from simsurvey.catalog.load import ALL
from simsurvey.forensics.groupsizes import integer_run
from simsurvey.forensics.rounding import rounds_to, scaled
from simsurvey.synth.counts import admissible, split_counts
from simsurvey.synth.design import Design

__all__ = ["claims_to_reproduce", "reproduce_claims", "claim_cells"]


def claims_to_reproduce(resolved, proven: bool = True) -> pd.DataFrame:
    """The claims of a resolved survey exact mode reproduces, one row per distinct multiplier.

    ``proven``: the sizes are the ones :func:`simsurvey.resolve` chose, so
    its ``reproducible`` column says which claims whole numbers can print.
    Otherwise (other sizes: another n, the caller's shares) every consistent
    claim with both percentages published and its pairing settled, as far as
    the counts allow.

    Examples
    --------
    >>> from simsurvey.forensics.resolve import resolve
    >>> len(claims_to_reproduce(resolve("sos-smb-2016")))
    32
    """
    c = resolved.claims
    keep = c["reproducible"].astype(bool) if proven else \
        (c["verdict"] == "consistent") & (c["integer_feasible"] != "n/a") & (c["pairing"] != "unresolved")
    c = c.loc[keep.astype(bool)]
    return c.drop_duplicates(["kind", "item", "numerator", "denominator", "group", "printed"])


def claim_cells(claim, d: Design):
    """The two ``(question, group)`` cells a claim compares, or None when exact mode cannot place it."""
    where = {item: q for q in d.questions for item in q.items}
    if claim.kind == "ratio":
        sides = [(claim.item, claim.numerator), (claim.item, claim.denominator)]
    elif claim.kind == "anticipated_growth":
        sides = [(claim.numerator, claim.group or ALL), (claim.denominator, claim.group or ALL)]
    else:
        return None
    if any(item not in where or (group != ALL and group not in d.groups) for item, group in sides):
        return None
    return [(where[item], group) for item, group in sides]


def reproduce_claims(d: Design, counts: dict, sizes, claims: pd.DataFrame, *, rule: str = "any"):
    """Move counts so every claim prints as published (in place on ``counts``).

    Parameters
    ----------
    d : Design
    counts : dict of question id -> numpy.ndarray
        Exact counts per group (rows) and category (columns, the rest last).
    sizes : sequence of int
        Group sizes.
    claims : pandas.DataFrame
        Claims to reproduce (catalogue columns; re-paired multipliers).
    rule : {"any", "half_up", "half_even"}

    Returns
    -------
    list of dict
        One record per claim left unreproduced, with the reason.

    Examples
    --------
    >>> from simsurvey.forensics.resolve import resolve
    >>> from simsurvey.synth.exact import exact_counts
    >>> from simsurvey.synth.design import design
    >>> r = resolve("sos-smb-2016")
    >>> d = design(r.spec)
    >>> counts = {q.id: exact_counts(q, d.groups, r.sizes)[0] for q in d.questions}
    >>> int(counts["tech_plan_iot_tracking"][:, 0].sum()), int(counts["tech_current_iot_tracking"][:, 0].sum())
    (86, 362)
    >>> reproduce_claims(d, counts, r.sizes, r.claims[r.claims["claim_id"] == "sos-smb-2016#12"])
    []
    >>> int(counts["tech_plan_iot_tracking"][:, 0].sum())  # 85/362 = 0.2348 prints as 0.23
    85
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    problems = []
    for claim in claims.fillna("").itertuples(index=False):
        cells = claim_cells(claim, d)
        if cells is None:
            continue
        sides = [_Side(q, group, d, sizes, counts, rule) for q, group in cells]
        top, bottom = sides if claim.direction != "less" else sides[::-1]
        if _prints(top.count(), top.base, bottom.count(), bottom.base, claim, rule):
            continue
        reason = _adjust(top, bottom, claim, rule)
        if reason:
            problems.append(dict(claim_id=claim.claim_id, item=claim.item, printed=float(claim.printed),
                                 reason=reason))
    return problems


class _Side:
    """One side of a claim: a yes/no cell (a group's count, or the total over groups for ``all``)."""

    def __init__(self, q, group, d: Design, sizes, counts, rule):
        self.q, self.group, self.sizes, self.counts = q, group, sizes, counts
        self.table = counts[q.id]
        self.g = None if group == ALL else d.groups.index(group)
        self.base = int(sizes.sum() if self.g is None else sizes[self.g])
        self.movable = not q.single_choice and (q.scope == "overall" if self.g is None else q.scope == "group")
        if q.scope == "overall":
            pct, dec = q.pct[0, 0], q.decimals[0, 0]
            self.target = pct * self.base / 100
        else:
            pct, dec = (q.all_pct[0], q.all_decimals[0]) if self.g is None else (q.pct[self.g, 0], q.decimals[self.g, 0])
            self.target = pct * self.base / 100
        self.lo, self.hi = (admissible(pct, self.base, int(dec), rule) if pct == pct else (0, self.base))
        # a group's count also moves the total printed for everyone: keep that within its run
        self.total_run = None
        if self.g is not None and q.scope == "group" and not np.isnan(q.all_pct[0]):
            self.total_run = admissible(q.all_pct[0], int(sizes.sum()), int(q.all_decimals[0]), rule)

    def count(self) -> int:
        return int(self.table[:, 0].sum() if self.g is None else self.table[self.g, 0])

    def run(self):
        """Counts this side may take, as (low, high)."""
        lo, hi = self.lo, self.hi
        if self.total_run is not None:
            rest = int(self.table[:, 0].sum()) - self.count()
            lo, hi = max(lo, self.total_run[0] - rest), min(hi, self.total_run[1] - rest)
        return lo, hi

    def set(self, k: int) -> None:
        if self.g is None:
            self.table[:, 0] = split_counts(int(k), self.sizes)
        else:
            self.table[self.g, 0] = k
        if self.table.shape[1] > 1 and not self.q.complete:
            self.table[:, -1] = self.sizes - self.table[:, :-1].sum(axis=1)


def _prints(k1, n1, k2, n2, claim, rule) -> bool:
    if k2 == 0:
        return False
    return bool(rounds_to(k1 * n2, k2 * n1, float(claim.printed), int(claim.decimals), rule))


def _adjust(top: _Side, bottom: _Side, claim, rule) -> str:
    """Closest counts (least squares to the ideal) within both runs whose ratio prints as the claim."""
    if not (top.movable and bottom.movable):
        return "the claim compares an answer of a single-choice question: checked, not adjusted"
    if top.q is bottom.q and top.g is not None and bottom.g is not None and top.total_run is not None:
        return _adjust_same_item(top, bottom, claim, rule)
    lo1, hi1 = top.run()
    lo2, hi2 = bottom.run()
    k2 = np.arange(max(lo2, 1), hi2 + 1, dtype=np.int64)
    if k2.size == 0 or lo1 > hi1:
        return "no counts print the percentages"
    m, unit = int(scaled(float(claim.printed), int(claim.decimals))), 10 ** int(claim.decimals)
    # k1 N2 / (k2 N1) prints as m/unit  <=>  (2m - 1) k2 N1 <= 2 unit N2 k1 <= (2m + 1) k2 N1
    cross = k2 * top.base
    a, b = integer_run((2 * m - 1) * cross, (2 * m + 1) * cross, 2 * unit * bottom.base, m, rule)
    a, b = np.maximum(a, lo1), np.minimum(b, hi1)
    ok = a <= b
    if not ok.any():
        return f"no whole-number counts print both percentages and {claim.printed_text}"
    k1 = np.clip(np.floor(top.target + 0.5), a, b).astype(np.int64)
    cost = (k1 - top.target) ** 2 + (k2 - bottom.target) ** 2
    best = int(np.flatnonzero(ok)[np.argmin(cost[ok])])
    top.set(int(k1[best]))
    bottom.set(int(k2[best]))
    return ""


def _adjust_same_item(top: _Side, bottom: _Side, claim, rule) -> str:
    """Two groups of one item whose total is printed too: search the pair of runs directly."""
    rest = int(top.table[:, 0].sum()) - top.count() - bottom.count()
    k1 = np.arange(top.lo, top.hi + 1)[:, None]
    k2 = np.arange(max(bottom.lo, 1), bottom.hi + 1)[None, :]
    total = rest + k1 + k2
    ok = (total >= top.total_run[0]) & (total <= top.total_run[1]) & \
        rounds_to(k1 * bottom.base, k2 * top.base, float(claim.printed), int(claim.decimals), rule)
    if not ok.any():
        return f"no whole-number counts print both percentages, the total and {claim.printed_text}"
    cost = np.where(ok, (k1 - top.target) ** 2 + (k2 - bottom.target) ** 2, np.inf)
    i, j = np.unravel_index(np.argmin(cost), cost.shape)
    top.set(int(k1[i, 0]))
    bottom.set(int(k2[0, j]))
    return ""
