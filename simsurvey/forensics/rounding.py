"""Exact rounding arithmetic for printed percentages and multipliers.

A report prints ``p`` with ``d`` decimals; which true values could it have come
from? That depends on the rounding rule, which reports do not state, so two are
considered:

``"half_up"``
    ties go up: the true value lies in ``[p - u/2, p + u/2)`` with ``u = 10**-d``.
``"half_even"``
    ties go to the even digit (Python's ``round``, numpy's ``around``): the
    interval is closed when the last printed digit is even, open when odd.
``"any"``
    either of the two.

Every test is done on integers (a value is a fraction ``num / den`` of
integers, such as ``100 * count / n``), so an exact tie such as a ratio of
2.05 is judged exactly, never through floating point.
"""
from __future__ import annotations

import numpy as np

__all__ = ["RULES", "scaled", "rounds_to", "counts_for_pct"]

from simsurvey._validation import RULES, check_n, check_rule as _check_rule  # one rounding-rule check for the package


def scaled(printed, decimals: int) -> np.ndarray:
    """The printed value as an integer number of its last digit (5.7 with 1 decimal -> 57).

    Examples
    --------
    >>> int(scaled(5.7, 1)), int(scaled(0.21, 2))
    (57, 21)
    """
    if np.any(np.asarray(decimals) < 0):
        raise ValueError("decimals must be 0 or more")
    return np.rint(np.asarray(printed, dtype=float) * 10.0 ** np.asarray(decimals)).astype(np.int64)


def rounds_to(num, den, printed, decimals: int = 0, rule: str = "half_up") -> np.ndarray:
    """Whether the fraction ``num / den`` rounds to ``printed`` at ``decimals`` decimals.

    Parameters
    ----------
    num, den : array_like of int
        Numerator and (positive) denominator of the true value, broadcast together.
    printed : array_like of float
        The printed value.
    decimals : int or array_like of int
        Decimals printed.
    rule : {"half_up", "half_even", "any"}

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    A ratio of exactly 2.05 prints as 2.1 when ties go up, 2.0 when they go to even:

    >>> bool(rounds_to(41, 20, 2.1, 1, "half_up")), bool(rounds_to(41, 20, 2.0, 1, "half_even"))
    (True, True)
    >>> bool(rounds_to(41, 20, 2.1, 1, "half_even"))
    False
    """
    _check_rule(rule)
    num = np.asarray(num, dtype=np.int64)
    den = np.asarray(den, dtype=np.int64)
    if np.any(den <= 0):
        raise ValueError("den must be positive")
    p = scaled(printed, decimals)
    unit = np.asarray(10, dtype=np.int64) ** np.asarray(decimals, dtype=np.int64)
    # value * 10**d compared with p -/+ 1/2, all multiplied by 2 * den
    twice = 2 * num * unit
    lo, hi = (2 * p - 1) * den, (2 * p + 1) * den
    half_up = (twice >= lo) & (twice < hi)
    if rule == "half_up":
        return half_up
    even = p % 2 == 0
    half_even = np.where(even, (twice >= lo) & (twice <= hi), (twice > lo) & (twice < hi))
    return half_even if rule == "half_even" else half_up | half_even


def counts_for_pct(pct: float, n: int, decimals: int = 0, rule: str = "any") -> np.ndarray:
    """Every count ``k`` in ``0..n`` for which ``100 k / n`` prints as ``pct``, by trying each one.

    The brute-force reference: the stages use the closed form
    :func:`simsurvey.forensics.groupsizes.count_range` (and
    :func:`simsurvey.synth.counts.admissible` on top of it), and property
    tests check it against this enumeration.

    Parameters
    ----------
    pct : float
        Printed percentage.
    n : int
        Size of the base (positive).
    decimals : int
        Decimals printed.
    rule : {"half_up", "half_even", "any"}

    Examples
    --------
    91% of 86 high performers and 16% of 283 underperformers:

    >>> counts_for_pct(91, 86), counts_for_pct(16, 283)
    (array([78]), array([44, 45, 46]))
    """
    n = check_n(n)
    k = np.arange(n + 1, dtype=np.int64)
    return k[rounds_to(100 * k, n, pct, decimals, rule)]
