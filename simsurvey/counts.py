"""Exact integer counts that reproduce printed percentages.

A report prints ``73%`` of 86 high performers; the synthetic sample needs a
whole number of respondents, and only some counts print as 73 (here only 63).
This module picks those counts: for every cell the admissible counts come from
:func:`simsurvey.rounding.counts_for_pct` (an exact integer test), and among
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
from functools import lru_cache

import numpy as np

from .rounding import rounds_to

__all__ = ["InfeasibleError", "admissible", "closest_counts", "group_sizes", "split_counts",
           "split_table"]


class InfeasibleError(ValueError):
    """No whole-number count reproduces a printed figure: a forensics inconsistency."""


def admissible(pct: float, n: int, decimals: int = 0, rule: str = "any") -> tuple[int, int]:
    """The range ``(low, high)`` of counts ``k`` of ``n`` whose percentage prints as ``pct``.

    ``100 k / n`` increases with ``k``, so the counts that print as ``pct``
    are consecutive; an empty range comes back as ``(1, 0)``.

    Examples
    --------
    >>> admissible(16, 283), admissible(73, 86)
    ((44, 46), (63, 63))
    >>> admissible(11, 5)  # no k of 5 prints as 11%
    (1, 0)
    """
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive whole number, got {n!r}")
    return _admissible(float(pct), int(n), int(decimals), rule)


@lru_cache(maxsize=65536)
def _admissible(pct, n, decimals, rule):
    # the counts lie within the closed hull (pct -/+ half a unit) * n / 100; test a
    # window one count wider on each side exactly, instead of all of 0..n
    half = 0.5 * 10.0 ** -decimals
    lo = max(0, int(np.floor((pct - half) * n / 100)) - 1)
    hi = min(n, int(np.ceil((pct + half) * n / 100)) + 1)
    k = np.arange(lo, hi + 1, dtype=np.int64)
    k = k[rounds_to(100 * k, n, pct, decimals, rule)]
    return (int(k[0]), int(k[-1])) if k.size else (1, 0)


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


def group_sizes(shares, n: int, decimals=0, rule: str = "any", *, printed: bool = True) -> np.ndarray:
    """Group sizes summing to ``n`` that reproduce the group shares.

    Parameters
    ----------
    shares : sequence of float
        Percentages (0-100).
    n : int
        Respondents.
    decimals : int or sequence of int
        Decimals the shares were printed with (``printed=True`` only).
    rule : {"half_up", "half_even", "any"}
        Rounding rule of the report (see :mod:`simsurvey.rounding`).
    printed : bool
        True: the shares are printed figures, so each group's percentage must
        print as its share (error otherwise). False: the shares are exact
        proportions chosen by the caller; sizes are the closest integers
        (every group gets at least one respondent).

    Examples
    --------
    >>> group_sizes([11, 53, 36], 786).tolist()
    [86, 417, 283]
    >>> group_sizes([74.2, 25.8], 490, printed=False).tolist()
    [364, 126]
    """
    shares = np.asarray(shares, dtype=float)
    target = shares * n / 100
    if printed:
        dec = np.broadcast_to(np.asarray(decimals), shares.shape)
        bounds = [admissible(s, n, int(d), rule) for s, d in zip(shares, dec)]
        low, high = np.array(bounds).T
        bad = [f"{s:g}%" for s, (lo, hi) in zip(shares, bounds) if lo > hi]
        if bad:
            raise InfeasibleError(f"shares: no whole number of the n={n} respondents prints as "
                                  f"{', '.join(bad)} (forensics inconsistency: the printed shares "
                                  "cannot come from this n)")
    else:
        low, high = np.ones(shares.size, np.int64), np.full(shares.size, n, np.int64)
    k = closest_counts(low, high, target, n, n)
    if k is None:
        raise InfeasibleError(f"shares: no group sizes summing to n={n} print as the shares "
                              f"{', '.join(f'{s:g}%' for s in shares)} (forensics inconsistency)")
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
