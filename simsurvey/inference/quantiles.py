"""``np.quantile``'s numbers (method ``"linear"``) for many rows at once, by selecting only the tails.

A bootstrap interval needs two or four order statistics of each claim's
B replicate ratios, near the 2.5% and 97.5% points. ``np.quantile`` finds
them by partitioning every whole column; here each wanted rank is first
bracketed from a thinned copy of the row, then only the few hundred values
inside the bracket are partitioned. The bracket is checked (how many values
fall below it, how many inside), so the order statistic is always exact; a
bracket that misses falls back to partitioning the whole row. The
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
    # bracket each wanted rank by values of the thinned, sorted row (a margin either side)
    thin = np.sort(rows[:, ::_THIN], axis=1)
    t, every = thin.shape[1], np.arange(k)[:, None]
    below_at, above_at = lower // _THIN - _MARGIN, upper // _THIN + _MARGIN + 1
    low = np.where(below_at >= 0, thin[every, np.clip(below_at, 0, t - 1)], -np.inf)
    high = np.where(above_at < t, thin[every, np.clip(above_at, 0, t - 1)], np.inf)
    inside = np.zeros(rows.shape, dtype=bool)
    below = np.empty(lower.shape, dtype=np.intp)  # values of the row under each bracket
    for j in range(lower.shape[1]):
        inside |= (rows >= low[:, j, None]) & (rows <= high[:, j, None])
        below[:, j] = np.count_nonzero(rows < low[:, j, None], axis=1)
    # every row's bracketed values, padded with +inf to one width and sorted: a few hundred per row
    flat = np.flatnonzero(inside)
    row = flat // m
    count = np.bincount(row, minlength=k)
    window = np.full((k, count.max(initial=0) + 1), np.inf)
    window[row, np.arange(len(flat)) - np.repeat(np.cumsum(count) - count, count)] = rows.ravel()[flat]
    window.sort(axis=1)
    for j in range(lower.shape[1]):
        lo, hi = low[:, j, None], high[:, j, None]
        before = np.count_nonzero(window < lo, axis=1)  # bracketed values under this bracket (other brackets')
        within = np.count_nonzero((window >= lo) & (window <= hi), axis=1)  # every row value in the bracket
        at, to = lower[:, j] - below[:, j], upper[:, j] - below[:, j]
        hit = (at >= 0) & (to < within)
        rows_hit = np.flatnonzero(hit)
        a[hit, j] = window[rows_hit, before[hit] + at[hit]]
        b[hit, j] = window[rows_hit, before[hit] + to[hit]]
        for i in np.flatnonzero(~hit):  # the bracket missed its rank (rare): partition the whole row
            part = np.partition(rows[i], [lower[i, j], upper[i, j]])
            a[i, j], b[i, j] = part[lower[i, j]], part[upper[i, j]]
    return a, b
