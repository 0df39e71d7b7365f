"""``np.quantile``'s numbers (method ``"linear"``) for many rows at once, by selecting only the tails.

A bootstrap interval needs two or four order statistics of each claim's
B replicate ratios, near the 2.5% and 97.5% points. ``np.quantile`` finds
them by partitioning every whole column; here a cut for each tail of the row
is read from a thinned copy of it, a margin beyond the deepest wanted rank,
and only the few hundred values beyond the cut are sorted: the values up to
a cut are the row's smallest, so their sorted order gives its first order
statistics exactly. A cut that falls short of its rank (checked by counting)
falls back to partitioning the whole row. The
interpolation is ``np.quantile``'s own arithmetic, so the numbers are
identical to ``np.quantile(row, levels)`` (a test checks it bit for bit).
"""
from __future__ import annotations

import numpy as np

__all__ = ["row_quantiles"]

_THIN = 16      # the bracket comes from every 16th value of the row
_MARGIN = 12
_SMALL = 4096   # shorter rows are simply partitioned


def row_quantiles(rows: np.ndarray, levels) -> np.ndarray:
    """``np.quantile(rows[i], levels[i])`` for every row ``i``: shape ``(k, L)``.

    Parameters
    ----------
    rows : numpy.ndarray, shape (k, m)
        Finite values (no NaN), one sample per row.
    levels : array_like, shape (L,) or (k, L)
        Quantile levels in [0, 1]: the same for every row, or one set per row.

    Examples
    --------
    >>> rows = np.random.default_rng(0).normal(size=(3, 5000))
    >>> levels = [0.025, 0.975]
    >>> np.array_equal(row_quantiles(rows, levels), np.quantile(rows, levels, axis=1).T)
    True
    """
    rows = np.ascontiguousarray(rows, dtype=float)
    k, m = rows.shape
    levels = np.broadcast_to(np.asarray(levels, dtype=float), (k, np.shape(levels)[-1]))
    # np.quantile's "linear" method: virtual index (m - 1) * q between two order statistics
    virtual = (m - 1) * levels
    previous = np.floor(virtual)
    top = virtual >= m - 1
    previous[top] = -1                  # np.quantile reads the last value there (and so a gamma past 1)
    previous[virtual < 0] = 0
    gamma = virtual - previous
    lower = np.where(previous < 0, m - 1, previous).astype(np.intp)
    upper = np.minimum(np.where(previous < 0, m - 1, previous + 1), m - 1).astype(np.intp)
    a, b = _order_statistics(rows, lower, upper)
    diff = b - a
    return np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)  # np.quantile's _lerp


def _order_statistics(rows: np.ndarray, lower: np.ndarray, upper: np.ndarray):
    """``sorted_rows[i, lower[i, j]]`` and ``sorted_rows[i, upper[i, j]]`` (``upper - lower`` is 0 or 1), unsorted."""
    k, m = rows.shape
    a, b = np.empty(lower.shape), np.empty(lower.shape)
    if m <= _SMALL:
        for i in range(k):
            part = np.partition(rows[i], np.unique(np.concatenate((lower[i], upper[i]))))
            a[i], b[i] = part[lower[i]], part[upper[i]]
        return a, b
    # ranks in the lower half are read from the values at the bottom of the row, the others from the top:
    # each side's cut comes from the thinned, sorted row, a margin beyond the deepest rank it must reach
    thin = np.sort(rows[:, ::_THIN], axis=1)
    t, every = thin.shape[1], np.arange(k)
    bottom = lower < m // 2
    deepest = np.where(bottom, upper, -1).max(axis=1)    # -1: no rank read from the bottom
    highest = np.where(bottom, m, lower).min(axis=1)     # m: none from the top
    at = deepest // _THIN + _MARGIN
    cut_low = np.where(deepest < 0, -np.inf, np.where(at < t, thin[every, np.minimum(at, t - 1)], np.inf))
    at = highest // _THIN - _MARGIN
    cut_high = np.where(highest >= m, np.inf, np.where(at >= 0, thin[every, np.maximum(at, 0)], -np.inf))
    # the values up to cut_low are the row's smallest, sorted they are its first order statistics (ties
    # included); those from cut_high up, negated and sorted, its last
    low, n_low = _sorted_tail(rows, rows <= cut_low[:, None], 1.0)
    high, n_high = _sorted_tail(rows, rows >= cut_high[:, None], -1.0)
    for j in range(lower.shape[1]):
        lo, up = lower[:, j], upper[:, j]
        from_top = ~bottom[:, j]
        hit = np.where(from_top, m - 1 - lo < n_high, up < n_low)
        top, bot = np.flatnonzero(hit & from_top), np.flatnonzero(hit & ~from_top)
        a[bot, j], b[bot, j] = low[bot, lo[bot]], low[bot, up[bot]]
        a[top, j], b[top, j] = -high[top, m - 1 - lo[top]], -high[top, m - 1 - up[top]]
        for i in np.flatnonzero(~hit):  # the cut fell short of the rank (rare): partition the whole row
            part = np.partition(rows[i], [lo[i], up[i]])
            a[i, j], b[i, j] = part[lo[i]], part[up[i]]
    return a, b


def _sorted_tail(rows: np.ndarray, keep: np.ndarray, sign: float):
    """``sign`` times each row's kept values, sorted, in one array padded with +inf; and how many each row has."""
    k, m = rows.shape
    flat = np.flatnonzero(keep)
    row = flat // m
    count = np.bincount(row, minlength=k)
    window = np.full((k, max(1, count.max(initial=0))), np.inf)
    window[row, np.arange(len(flat)) - np.repeat(np.cumsum(count) - count, count)] = sign * rows.ravel()[flat]
    window.sort(axis=1)
    return window, count
