"""Printed multipliers ("5.7x more likely", "+21%") against the percentages behind them.

Two tests, from weak to strong:

* **continuous**: the true percentages lie within rounding of the printed
  ones, so their ratio lies in an interval (:func:`ratio_bounds`); the printed
  multiplier must be able to come from it (:func:`ratio_possible`).
* **integer counts** (GRIM for ratios): the reports compute multipliers "from
  total numbers (not rounded numbers)", i.e. from whole-number counts ``k`` in
  groups of whole-number size ``N``. :func:`ratio_feasible` tries every
  admissible pair of group sizes and every pair of counts that print as the
  published percentages, with exact integer rounding tests, vectorised.

:func:`simsurvey.forensics.claims.evaluate_claims` applies both to every
claim of a survey.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from simsurvey._validation import check_rule
from simsurvey.forensics.groupsizes import count_range, integer_run
from simsurvey.forensics.rounding_intervals import Interval, printed_interval, ratio_interval
from simsurvey.forensics.rounding import scaled

__all__ = ["ratio_bounds", "ratio_possible", "ratio_feasible", "implied_pcts"]

#: Elements of the (size pair x count) grid handled at once.
_CHUNK = 1 << 21
_DIRECTIONS = ("more", "less")


def _check(rule: str, direction: str) -> None:
    check_rule(rule)
    if direction not in _DIRECTIONS:
        raise ValueError(f"direction must be 'more' or 'less', got {direction!r}")


def ratio_bounds(num_pct, den_pct, *, pct_decimals=(0, 0), direction: str = "more",
                 rule: str = "any") -> Interval:
    """Ratios compatible with two rounded percentages, on the printed scale.

    Parameters
    ----------
    num_pct, den_pct : float
        Printed percentages of the numerator and denominator.
    pct_decimals : (int, int)
        Decimals of each printed percentage.
    direction : {"more", "less"}
        ``"less"`` ("1.1x less likely") prints ``den / num``; the interval is then of that.
    rule : {"half_up", "half_even", "any"}

    Returns
    -------
    Interval

    Examples
    --------
    >>> r = ratio_bounds(91, 16)
    >>> [round(v, 3) for v in r.as_floats()]
    [5.485, 5.903]
    """
    _check(rule, direction)
    d1, d2 = pct_decimals
    num = printed_interval(num_pct, d1, rule, lower=0, upper=100)
    den = printed_interval(den_pct, d2, rule, lower=0, upper=100)
    return ratio_interval(num, den) if direction == "more" else ratio_interval(den, num)


def ratio_possible(num_pct, den_pct, printed, *, decimals: int = 1, pct_decimals=(0, 0),
                   direction: str = "more", rule: str = "any") -> bool:
    """Whether some true percentages within rounding give a ratio that prints as ``printed``.

    Examples
    --------
    41% and 20% (a ratio of exactly 2.05 as printed): the unrounded values allow 2.0 and 2.1,
    but not 2.2:

    >>> [ratio_possible(41, 20, m) for m in (2.0, 2.1, 2.2)]
    [True, True, False]
    """
    bounds = ratio_bounds(num_pct, den_pct, pct_decimals=pct_decimals, direction=direction, rule=rule)
    return bounds.overlaps(printed_interval(printed, decimals, rule, lower=0))


def ratio_feasible(num_pct, den_pct, printed, num_base, den_base, *, decimals: int = 1,
                   pct_decimals=(0, 0), direction: str = "more", rule: str = "any") -> np.ndarray:
    """For each pair of base sizes, whether whole-number counts reproduce everything printed.

    For sizes ``N1, N2`` it asks whether some counts ``k1, k2`` print as
    ``num_pct`` and ``den_pct`` (``100 k / N`` rounded) while
    ``(k1 / N1) / (k2 / N2)`` prints as ``printed``. All tests are exact integer
    comparisons, vectorised over (size pair x k2): for each, the ``k1`` that
    give the printed ratio are a run of integers solved in closed form and
    intersected with the counts that print as ``num_pct``.

    Parameters
    ----------
    num_pct, den_pct : float or None
        Printed percentages; None for an unpublished one (any count then).
    printed : float
        Printed multiplier.
    num_base, den_base : array_like of int
        Base sizes of numerator and denominator, one entry per candidate
        (e.g. per admissible group-size vector), same shape.
    decimals : int
        Decimals of the printed multiplier.
    pct_decimals : (int, int)
        Decimals of the printed percentages.
    direction : {"more", "less"}
    rule : {"half_up", "half_even", "any"}

    Returns
    -------
    numpy.ndarray of bool, shape of ``num_base``

    Examples
    --------
    91% of the high performers and 16% of the underperformers, printed 5.7x:
    impossible with 83 high performers (no count of 83 prints as 91%), possible with 86:

    >>> ratio_feasible(91, 16, 5.7, [83, 86], [283, 283]).tolist()
    [False, True]
    """
    _check(rule, direction)
    nb = np.asarray(num_base, dtype=np.int64)
    db = np.asarray(den_base, dtype=np.int64)
    if nb.shape != db.shape:
        raise ValueError(f"num_base and den_base must have the same shape, got {nb.shape} and {db.shape}")
    if nb.size and (np.any(nb < 1) or np.any(db < 1)):
        raise ValueError("base sizes must be positive whole numbers")
    if direction == "less":  # "x less likely" prints den / num: the same test with the roles swapped
        return ratio_feasible(den_pct, num_pct, printed, db, nb, decimals=decimals,
                              pct_decimals=tuple(pct_decimals)[::-1], direction="more", rule=rule)
    if nb.size == 0:
        return np.zeros(nb.shape, dtype=bool)
    pairs, inverse = np.unique(np.column_stack([nb.ravel(), db.ravel()]), axis=0, return_inverse=True)
    n1, n2 = pairs[:, 0], pairs[:, 1]
    k1lo, k1hi = _counts(num_pct, n1, pct_decimals[0], rule)
    k2lo, k2hi = _counts(den_pct, n2, pct_decimals[1], rule)
    k2lo = np.maximum(k2lo, 1)  # no ratio with a denominator count of 0
    m = int(scaled(printed, decimals))
    unit = 10 ** int(decimals)
    ok = np.zeros(len(pairs), dtype=bool)
    live = np.flatnonzero((k1lo <= k1hi) & (k2lo <= k2hi))
    # Every (size pair, k2) is a row; the k1 that make the ratio print as ``printed`` form a run
    # solved exactly in integers, so only its overlap with the counts printing as num_pct is tested.
    # Rows are bucketed by run width (rounded up to a power of two) to keep the padding small.
    widths = _pow2(k2hi[live] - k2lo[live] + 1)
    for w2 in sorted(set(widths.tolist())):
        bucket = live[widths == w2]
        step = max(1, _CHUNK // w2)
        offsets = np.arange(w2, dtype=np.int64)
        for start in range(0, bucket.size, step):
            idx = bucket[start:start + step]
            k2 = k2lo[idx, None] + offsets                      # (pairs, w2)
            # k1 N2 / (k2 N1) prints as m/unit  <=>  (2m - 1) k2 N1 <= 2 unit N2 k1 <= (2m + 1) k2 N1
            cross = k2 * n1[idx, None]
            lo, hi = integer_run((2 * m - 1) * cross, (2 * m + 1) * cross, 2 * unit * n2[idx, None], m, rule)
            lo = np.maximum(lo, k1lo[idx, None])
            hi = np.minimum(hi, k1hi[idx, None])
            ok[idx] = ((lo <= hi) & (k2 <= k2hi[idx, None])).any(axis=1)
    return ok[np.ravel(inverse)].reshape(nb.shape)


def _pow2(width: np.ndarray) -> np.ndarray:
    """Smallest power of two >= width (width >= 1)."""
    return np.left_shift(np.int64(1), np.ceil(np.log2(width)).astype(np.int64))


def _counts(pct, base, decimals, rule):
    if pct is None:
        return np.zeros_like(base), base.copy()
    return count_range(pct, base, decimals, rule)


def implied_pcts(known_pct, printed, known_base, other_base, *, known: str = "num", decimals: int = 1,
                 pct_decimals: int = 0, direction: str = "more", rule: str = "any") -> tuple[Interval, list]:
    """What a multiplier implies about the unpublished percentage of a pair.

    Parameters
    ----------
    known_pct : float
        The published percentage.
    printed : float
        The printed multiplier.
    known_base, other_base : array_like of int or None
        Base sizes of the published and unpublished side per candidate
        (None: continuous answer only).
    known : {"num", "den"}
        Which side is published.
    decimals, pct_decimals : int
        Decimals of the multiplier and of the percentages.
    direction : {"more", "less"}
    rule : {"half_up", "half_even", "any"}

    Returns
    -------
    interval : Interval
        True values of the unpublished percentage (continuous bound).
    printable : list of float
        Printed values (at ``pct_decimals``) the unpublished percentage could
        have with whole-number counts; empty without bases.

    Examples
    --------
    90% of high performers "2.1x more likely" than underperformers, groups of 83-90 and 280-286:

    >>> iv, printable = implied_pcts(90, 2.1, [86, 87], [283, 282])
    >>> [round(v, 2) for v in iv.as_floats()], printable
    ([41.63, 44.15], [42.0, 43.0, 44.0])
    """
    _check(rule, direction)
    if known not in ("num", "den"):
        raise ValueError(f"known must be 'num' or 'den', got {known!r}")
    p_known = printed_interval(known_pct, pct_decimals, rule, lower=0, upper=100)
    m = printed_interval(printed, decimals, rule, lower=0)
    # true ratio num/den is m ("more") or 1/m ("less")
    other_is_den = known == "num"
    if other_is_den == (direction == "more"):
        iv = ratio_interval(p_known, m)           # other = known / m
    else:
        iv = _product(p_known, m)                 # other = known * m
    iv = iv.intersect(Interval(Fraction(0), Fraction(100)))
    printable: list = []
    if known_base is not None and not iv.empty:
        unit = Fraction(1, 10 ** pct_decimals)
        first = math.floor(Fraction(iv.low) / unit) - 1
        last = math.ceil(min(Fraction(iv.high), Fraction(100)) / unit) + 1
        for step in range(max(first, 0), min(last, 100 * 10 ** pct_decimals) + 1):
            q = float(step * unit)
            args = (known_pct, q) if other_is_den else (q, known_pct)
            bases = (known_base, other_base) if other_is_den else (other_base, known_base)
            if ratio_feasible(*args, printed, *bases, decimals=decimals, pct_decimals=(pct_decimals,) * 2,
                              direction=direction, rule=rule).any():
                printable.append(q)
    return iv, printable


def _product(a: Interval, b: Interval) -> Interval:
    high = math.inf if math.isinf(a.high) or math.isinf(b.high) else a.high * b.high
    return Interval(a.low * b.low, high, a.low_closed and b.low_closed,
                    a.high_closed and b.high_closed and not math.isinf(high))
