"""Exact integer counts that reproduce printed percentages.

A report prints ``73%`` of 86 high performers; the synthetic sample needs a
whole number of respondents, and only some counts print as 73 (here only 63).
This module picks those counts: for every cell the admissible counts come from
:func:`simsurvey.forensics.groupsizes.count_range` (exact integer arithmetic), and among
them the one closest to ``pct * N / 100`` is taken, subject to totals that
must also hold (group sizes summing to ``n``; the answers of one single-choice
question summing to the group size; a figure printed for everyone as well as
per group).

Where no integer count can reproduce a printed figure the numbers are
inconsistent with each other (a forensic finding, not a modelling choice), and
:class:`InfeasibleError` says so instead of silently picking one.
"""
from __future__ import annotations

import heapq

import numpy as np

from simsurvey._validation import check_n
from simsurvey.forensics.groupsizes import count_range

__all__ = ["ON_INFEASIBLE", "InfeasibleError", "infeasible_message", "admissible", "closest_counts", "nearest_sizes", "split_counts",
           "split_table"]


#: What to do where no whole number reproduces a printed figure: raise
#: :class:`InfeasibleError`, or use the nearest count and record it.
ON_INFEASIBLE = ("raise", "nearest")


class InfeasibleError(ValueError):
    """No whole-number count reproduces a printed figure: a forensics inconsistency."""


def infeasible_message(detail: str) -> str:
    """The message of an :class:`InfeasibleError`: what failed, what it means and what to do."""
    return (f"forensics inconsistency: {detail}. No whole numbers of respondents reproduce every printed "
            "figure. At the published n this means a transcription error or figures that cannot belong "
            "together; at another n, pick one where they fit, use mode='sampled', or pass "
            "on_infeasible='nearest' to use the nearest counts and have them recorded")


def admissible(pct: float, n: int, decimals: int = 0, rule: str = "any") -> tuple[int, int]:
    """The range ``(low, high)`` of counts ``k`` of ``n`` whose percentage prints as ``pct``.

    ``100 k / n`` increases with ``k``, so the counts that print as ``pct``
    are consecutive (:func:`simsurvey.forensics.groupsizes.count_range`, closed form);
    an empty range comes back as ``(1, 0)``.

    Examples
    --------
    >>> admissible(16, 283), admissible(73, 86)
    ((44, 46), (63, 63))
    >>> admissible(11, 5)  # no k of 5 prints as 11%
    (1, 0)
    """
    n = check_n(n)
    low, high = (int(v) for v in count_range(pct, n, int(decimals), rule))
    return (low, high) if low <= high else (1, 0)


def closest_counts(low, high, target, total_low: int | None = None,
                   total_high: int | None = None) -> np.ndarray | None:
    """Integers ``low <= k <= high`` closest to ``target`` whose sum lies in ``[total_low, total_high]``.

    Minimises ``sum((k - target)**2)``. The objective is separable and convex,
    so moving one unit at a time to the cell where it costs least is optimal;
    ties go to the earlier cell, which makes the answer deterministic.

    Parameters
    ----------
    low, high : array_like of int
        Bounds per cell.
    target : array_like of float
        Ideal (fractional) count per cell.
    total_low, total_high : int, optional
        Bounds on the sum (default: unbounded).

    Returns
    -------
    numpy.ndarray of int64, or None when the bounds cannot be met.

    Examples
    --------
    Group sizes for shares 11/53/36 of 786:

    >>> closest_counts([1, 1, 1], [786] * 3, [86.46, 416.58, 282.96], 786, 786).tolist()
    [86, 417, 283]
    >>> closest_counts([0, 0], [1, 1], [0.5, 0.5], 3, 3) is None
    True
    """
    low = np.asarray(low, dtype=np.int64)
    high = np.asarray(high, dtype=np.int64)
    target = np.asarray(target, dtype=float)
    t_lo = -np.inf if total_low is None else total_low
    t_hi = np.inf if total_high is None else total_high
    if np.any(low > high) or low.sum() > t_hi or high.sum() < t_lo or t_lo > t_hi:
        return None
    k = np.clip(np.floor(target + 0.5).astype(np.int64), low, high)
    total = int(k.sum())
    if t_lo <= total <= t_hi:
        return k
    step = 1 if total < t_lo else -1
    need = int((t_lo - total) if step == 1 else (total - t_hi))
    # marginal cost of moving cell i one unit in direction `step`
    heap = [(_cost(k[i], target[i], step), i) for i in range(k.size) if _room(k[i], low[i], high[i], step)]
    heapq.heapify(heap)
    for _ in range(need):
        _, i = heapq.heappop(heap)
        k[i] += step
        if _room(k[i], low[i], high[i], step):
            heapq.heappush(heap, (_cost(k[i], target[i], step), i))
    return k


def _cost(k, t, step):
    return float((k + step - t) ** 2 - (k - t) ** 2)


def _room(k, lo, hi, step):
    return k < hi if step == 1 else k > lo


def nearest_sizes(shares, n: int) -> np.ndarray:
    """Group sizes summing to ``n`` closest to ``shares * n / 100``, each at least 1.

    For shares chosen by the caller (exact proportions, not printed figures).
    Sizes that must reproduce *printed* shares come from
    :func:`simsurvey.forensics.groupsizes.group_sizes` (every admissible vector) and
    :func:`simsurvey.synth.exact.choose_sizes` (the nearest one that also fits
    every figure).

    Examples
    --------
    >>> nearest_sizes([74.2, 25.8], 490).tolist()
    [364, 126]
    """
    shares = np.asarray(shares, dtype=float)
    k = closest_counts(np.ones(shares.size, np.int64), np.full(shares.size, n, np.int64), shares * n / 100, n, n)
    if k is None:
        raise ValueError(f"n={n} is too small for {shares.size} groups of at least one respondent")
    return k


def split_counts(total: int, sizes) -> np.ndarray:
    """Split ``total`` over groups in proportion to their ``sizes`` (closest integers).

    Used for figures published for everyone only: the same probability in
    every group.

    Examples
    --------
    >>> split_counts(652, [86, 417, 283]).tolist()
    [71, 346, 235]
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    out = closest_counts(np.zeros_like(sizes), sizes, total * sizes / sizes.sum(), total, total)
    if out is None:
        raise ValueError(f"total must be between 0 and {int(sizes.sum())}, got {total}")
    return out


def split_table(totals, sizes) -> np.ndarray:
    """A groups x categories table with row sums ``sizes`` and column sums ``totals``.

    Cells are close to proportional (``totals[c] * sizes[g] / n``): the
    cumulative counts up to each group boundary are the closest integers to
    the proportional ones, so both margins hold exactly.

    Examples
    --------
    >>> split_table([30, 70], [40, 60]).tolist()
    [[12, 28], [18, 42]]
    """
    totals = np.asarray(totals, dtype=np.int64)
    sizes = np.asarray(sizes, dtype=np.int64)
    n = int(sizes.sum())
    if int(totals.sum()) != n:
        raise ValueError(f"totals must sum to the sum of sizes ({n}), got {int(totals.sum())}")
    cum = np.zeros_like(totals)
    rows = []
    for reached in np.cumsum(sizes):
        nxt = closest_counts(cum, totals, totals * reached / n, int(reached), int(reached))
        rows.append(nxt - cum)
        cum = nxt
    return np.array(rows, dtype=np.int64).reshape(len(sizes), len(totals))
