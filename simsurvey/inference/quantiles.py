"""``np.quantile``'s numbers (method ``"linear"``) for many rows at once, by selecting only the tails.

A bootstrap interval needs two or four order statistics of each claim's
B replicate ratios, near the 2.5% and 97.5% points. ``np.quantile`` finds
them by partitioning every whole column; here a cut for each tail of the row
is read from a thinned copy of it, a margin beyond the deepest wanted rank,
and only the few hundred values beyond the cut are sorted: the values up to
a cut are the row's smallest, so their sorted order gives its first order
statistics exactly. A cut that falls short of its rank (checked by counting)
falls back to partitioning the whole row. The interpolation is
``np.quantile``'s own arithmetic, so the numbers are identical to
``np.quantile(row, levels)`` (a test checks it bit for bit).

:class:`TailValues` does the same for values that arrive a block at a time
(the bootstrap's chunks of replicates): its cuts come from the first
replicates, and each later block only adds its values beyond them, so after
the last replicate only those few hundred values per claim remain to sort.
"""
from __future__ import annotations

import numpy as np

__all__ = ["row_quantiles", "TailValues"]

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
    lower, upper, gamma = _ranks(levels, k, m)
    return _lerp(*_order_statistics(rows, lower, upper), gamma)


class TailValues:
    """The values near both ends of each of ``k`` samples whose values arrive a block at a time.

    Once every value is in, :meth:`quantiles` gives ``np.quantile``'s
    numbers at levels near the ends, as :func:`row_quantiles` would on the
    whole samples, while only the values beyond two cuts per sample were kept.

    Parameters
    ----------
    first : numpy.ndarray, shape (r, k)
        The first ``r`` values of each sample (a column each), already a
        random draw from it, as bootstrap replicates are: each cut is read from
        them, a margin beyond the levels it must serve.
    levels : numpy.ndarray, shape (k, L)
        The levels expected (the final ones may differ a little: a level
        beyond a cut is read from the whole sample instead).
    total : int
        How many values each sample will have.

    Examples
    --------
    >>> values = np.random.default_rng(1).lognormal(0, 0.3, (10_000, 2))
    >>> tails = TailValues(values[:2000], np.array([[0.025, 0.975]] * 2), total=10_000)
    >>> for start in range(2000, 10_000, 500):
    ...     tails.add(values[start:start + 500])
    >>> np.array_equal(tails.quantiles(values.T, [0.025, 0.975]), np.quantile(values, [0.025, 0.975], axis=0).T)
    True
    """

    def __init__(self, first: np.ndarray, levels: np.ndarray, total: int):
        r, k = first.shape
        self.total, self.seen, self._low, self._high = int(total), 0, [], []
        # a sample quantile of r values stands at its level give or take sqrt(p (1 - p) / r): each cut goes five
        # of those, and one percentage point more (BCa's expected levels still move a little), beyond the level
        deepest = np.where(levels < 0.5, levels, 0.0).max(axis=1)
        highest = 1 - np.where(levels >= 0.5, levels, 1.0).min(axis=1)
        ordered = np.sort(first, axis=0)
        for tail, cut in ((deepest, "_cut_low"), (highest, "_cut_high")):
            reach = np.minimum(0.5, tail + 5 * np.sqrt(tail * (1 - tail) / r) + 0.01)
            at = np.minimum(r - 1, np.ceil(reach * r).astype(np.intp))
            setattr(self, cut, ordered[at if cut == "_cut_low" else r - 1 - at, np.arange(k)])
        self.add(first)

    def add(self, block: np.ndarray) -> None:
        """Keep the values of ``block`` (rows x k, the samples' next values) beyond the cuts."""
        self.seen += len(block)
        by_sample = block.T
        self._low.append(_kept(by_sample, by_sample <= self._cut_low[:, None]))
        self._high.append(_kept(by_sample, by_sample >= self._cut_high[:, None]))

    def quantiles(self, samples: np.ndarray, levels) -> np.ndarray:
        """``np.quantile(samples[i], levels[i])`` for every sample ``i`` (shape ``(k, L)``), read from the
        values kept; ``samples`` (k x total, all finite) serves a level beyond the cuts."""
        k, m = samples.shape
        if self.seen != m or m != self.total:
            raise ValueError(f"{self.seen} of {m} values were added; every value must be added once")
        lower, upper, gamma = _ranks(levels, k, m)
        low, n_low = _windows(self._low, k, 1.0)
        high, n_high = _windows(self._high, k, -1.0)
        a, b, hit = _pick(low, n_low, high, n_high, lower, upper, m)
        for i in np.flatnonzero(~hit.all(axis=1)):  # a level beyond its cut (rare): the whole sample
            a[i], b[i] = _order_statistics(np.ascontiguousarray(samples[i:i + 1], dtype=float), lower[i:i + 1],
                                           upper[i:i + 1])
        return _lerp(a, b, gamma)


def _ranks(levels, k: int, m: int):
    """np.quantile's "linear" method: each level's two order statistics (0-based ranks) and the weight between."""
    levels = np.broadcast_to(np.asarray(levels, dtype=float), (k, np.shape(levels)[-1]))
    virtual = (m - 1) * levels
    previous = np.floor(virtual)
    top = virtual >= m - 1
    previous[top] = -1                  # np.quantile reads the last value there (and so a gamma past 1)
    previous[virtual < 0] = 0
    gamma = virtual - previous
    lower = np.where(previous < 0, m - 1, previous).astype(np.intp)
    upper = np.minimum(np.where(previous < 0, m - 1, previous + 1), m - 1).astype(np.intp)
    return lower, upper, gamma


def _lerp(a, b, gamma):
    diff = b - a
    return np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)  # np.quantile's _lerp


def _order_statistics(rows: np.ndarray, lower: np.ndarray, upper: np.ndarray):
    """``sorted_rows[i, lower[i, j]]`` and ``sorted_rows[i, upper[i, j]]`` (``upper - lower`` is 0 or 1), unsorted."""
    k, m = rows.shape
    if m <= _SMALL:
        a, b = np.empty(lower.shape), np.empty(lower.shape)
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
    low, n_low = _windows([_kept(rows, rows <= cut_low[:, None])], k, 1.0)
    high, n_high = _windows([_kept(rows, rows >= cut_high[:, None])], k, -1.0)
    a, b, hit = _pick(low, n_low, high, n_high, lower, upper, m)
    for i, j in zip(*np.nonzero(~hit)):  # the cut fell short of the rank (rare): partition the whole row
        part = np.partition(rows[i], [lower[i, j], upper[i, j]])
        a[i, j], b[i, j] = part[lower[i, j]], part[upper[i, j]]
    return a, b


def _kept(rows, keep):
    """The kept values of each row as one block for :func:`_windows`: ``(count per row, values row by row)``."""
    flat = np.flatnonzero(keep)  # faster than rows[keep] on a whole matrix
    return np.bincount(flat // rows.shape[1], minlength=len(rows)), rows.ravel()[flat]


def _windows(parts, k, sign):
    """Blocks of kept values ``(count per row, values row by row)``, ``sign`` times each: every row's values
    from every block, sorted, in one array padded with +inf; and how many each row has. The values up to
    a cut are a row's smallest: sorted, they are its first order statistics."""
    counts = np.array([c for c, _ in parts])                  # blocks x rows
    values = np.concatenate([v for _, v in parts])            # block by block, row by row in each
    runs = counts.ravel()
    row = np.repeat(np.tile(np.arange(k), len(parts)), runs)
    before = (np.cumsum(counts, axis=0) - counts).ravel()    # a row's values in the blocks before
    at = np.arange(len(values)) - np.repeat(np.cumsum(runs) - runs, runs) + np.repeat(before, runs)
    total = counts.sum(axis=0)
    window = np.full((k, max(1, total.max(initial=0))), np.inf)
    window[row, at] = sign * values
    window.sort(axis=1)
    return window, total


def _pick(low, n_low, high, n_high, lower, upper, m):
    """The order statistics at ``lower`` and ``upper`` from the bottom window (ranks in the lower half) or the
    top one (negated, from the last value down); ``hit`` is False where the window is too short."""
    a, b = np.full(lower.shape, np.nan), np.full(lower.shape, np.nan)
    bottom = lower < m // 2
    hit = np.where(bottom, upper < n_low[:, None], m - 1 - lower < n_high[:, None])
    for j in range(lower.shape[1]):
        lo, up = lower[:, j], upper[:, j]
        bot, top = np.flatnonzero(hit[:, j] & bottom[:, j]), np.flatnonzero(hit[:, j] & ~bottom[:, j])
        a[bot, j], b[bot, j] = low[bot, lo[bot]], low[bot, up[bot]]
        a[top, j], b[top, j] = -high[top, m - 1 - lo[top]], -high[top, m - 1 - up[top]]
    return a, b, hit
