"""Integer group sizes and counts behind rounded percentages (the GRIM idea).

With ``n`` respondents, a printed share of 11% means the group has between 83
and 90 members (``100 k / 786`` rounds to 11 for ``k`` in 83..90), and the
group sizes must add up to ``n``. Within a group of ``N``, a printed
percentage is a count ``k`` with ``100 k / N`` rounding to it. Both sets are
runs of consecutive integers, so they are computed in closed form with integer
arithmetic, vectorised over many bases at once.
"""
from __future__ import annotations

import numpy as np

from simsurvey._validation import check_n, check_rule, decimals_of
from simsurvey.forensics.rounding import scaled

__all__ = ["count_range", "integer_run", "group_sizes", "share_decimals", "MAX_SIZE_VECTORS"]

#: Above this many candidate size vectors :func:`group_sizes` refuses (memory).
MAX_SIZE_VECTORS = 2_000_000


def _ceil_div(a, b):
    return -((-a) // b)


def integer_run(lo, hi, a, p, rule: str = "any") -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest integer ``x`` with ``lo <= a x <= hi``, ends per the rounding rule.

    This is "``a x / (2 * unit)`` prints as ``p``" with ``lo = (2p - 1) * base``
    and ``hi = (2p + 1) * base`` (see :func:`count_range`): whether each end
    is allowed depends on the rule and on the parity of the printed last digit
    ``p``. All arguments are integer arrays, broadcast together; ``a > 0``.

    Examples
    --------
    The counts of 786 printing as 11% (``200 k`` between ``21 * 786`` and ``23 * 786``):

    >>> [int(v) for v in integer_run(21 * 786, 23 * 786, 200, 11)]
    [83, 90]
    """
    kmin_closed, kmin_open = _ceil_div(lo, a), lo // a + 1
    kmax_closed, kmax_open = hi // a, _ceil_div(hi, a) - 1
    even = np.asarray(p) % 2 == 0
    if rule == "half_up":
        return np.broadcast_arrays(kmin_closed, kmax_open)
    if rule == "half_even":
        return np.broadcast_arrays(np.where(even, kmin_closed, kmin_open), np.where(even, kmax_closed, kmax_open))
    # "any": union of the two, closed for an even last digit, half-open for an odd one
    return np.broadcast_arrays(kmin_closed, np.where(even, kmax_closed, kmax_open))


def count_range(pct, base, decimals=0, rule: str = "any") -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest count ``k`` in ``0..base`` with ``100 k / base`` printing as ``pct``.

    Every ``k`` between the two qualifies; the run is empty where ``kmin > kmax``.

    Parameters
    ----------
    pct : array_like of float
        Printed percentages.
    base : array_like of int
        Base sizes (positive), broadcast against ``pct``.
    decimals : int or array_like of int
        Decimals printed.
    rule : {"half_up", "half_even", "any"}
        Rounding rule; ``"any"`` accepts a count that either rule prints as ``pct``.

    Returns
    -------
    kmin, kmax : numpy.ndarray of int64

    Examples
    --------
    11% of 786 respondents, and 54% of groups of 85, 86 and 87 (none of 86 fits):

    >>> [int(k) for k in count_range(11, 786)]
    [83, 90]
    >>> kmin, kmax = count_range(54, [85, 86, 87])
    >>> kmin.tolist(), kmax.tolist()
    ([46, 47, 47], [46, 46, 47])
    """
    check_rule(rule)
    base = np.asarray(base, dtype=np.int64)
    if np.any(base < 1):
        raise ValueError("base must be a positive whole number")
    decimals = np.asarray(decimals, dtype=np.int64)
    p = scaled(pct, decimals)
    unit = np.asarray(10, dtype=np.int64) ** decimals
    # 100 k / base = p / unit +- 1/2 unit  <=>  200 unit k = (2p -+ 1) base
    kmin, kmax = integer_run((2 * p - 1) * base, (2 * p + 1) * base, 200 * unit, p, rule)
    kmin, kmax = np.broadcast_arrays(kmin, kmax, base)[:2]
    return np.maximum(kmin, 0), np.minimum(kmax, np.broadcast_to(base, np.shape(kmax)))


def share_decimals(value: float) -> int:
    """Decimals needed to print ``value`` (a share read from a CSV as a float).

    Examples
    --------
    >>> share_decimals(11.0), share_decimals(10.5)
    (0, 1)
    """
    return decimals_of(value)


def group_sizes(n: int, shares, decimals=0, rule: str = "any") -> np.ndarray:
    """Every vector of group sizes summing to ``n`` whose shares print as ``shares``.

    Parameters
    ----------
    n : int
        Respondents in all groups together.
    shares : sequence of float or None
        Printed share of each group in percent; ``None`` where unpublished
        (that group may then have any size from 1 to ``n - 1``).
    decimals : int or sequence of int
        Decimals of each printed share.
    rule : {"half_up", "half_even", "any"}

    Returns
    -------
    numpy.ndarray of int64, shape (m, len(shares))
        One row per admissible vector, in lexicographic order; every group
        has at least one member.

    Raises
    ------
    ValueError
        If ``n`` is not a positive whole number, or there would be more than
        ``MAX_SIZE_VECTORS`` candidates to enumerate.

    Examples
    --------
    >>> sizes = group_sizes(786, [11, 53, 36])
    >>> len(sizes), sizes[0].tolist(), sizes[-1].tolist()
    (44, [83, 417, 286], [90, 416, 280])
    >>> group_sizes(10, [None, None]).tolist()[:2]
    [[1, 9], [2, 8]]
    """
    n = check_n(n)
    shares = list(shares)
    if not shares:
        raise ValueError("shares must name at least one group")
    decimals = np.broadcast_to(np.asarray(decimals, dtype=np.int64), (len(shares),))
    ranges = []
    for share, d in zip(shares, decimals):
        if share is None or (isinstance(share, float) and np.isnan(share)):
            lo, hi = 1, max(n - 1, 1)
        else:
            kmin, kmax = count_range(share, n, int(d), rule)
            lo, hi = max(int(kmin), 1), int(kmax)
        ranges.append((lo, hi))
    if any(lo > hi for lo, hi in ranges):
        return np.empty((0, len(shares)), dtype=np.int64)
    candidates = int(np.prod([hi - lo + 1 for lo, hi in ranges[:-1]], dtype=np.float64))
    if candidates > MAX_SIZE_VECTORS:
        raise ValueError(f"shares {shares} with n={n} leave {candidates} candidate group-size vectors "
                         f"(more than MAX_SIZE_VECTORS={MAX_SIZE_VECTORS})")
    grids = np.meshgrid(*[np.arange(lo, hi + 1, dtype=np.int64) for lo, hi in ranges[:-1]], indexing="ij")
    first = np.stack([g.ravel() for g in grids], axis=1) if grids else np.empty((1, 0), dtype=np.int64)
    last = n - first.sum(axis=1)
    lo, hi = ranges[-1]
    keep = (last >= lo) & (last <= hi)
    return np.column_stack([first[keep], last[keep]])
