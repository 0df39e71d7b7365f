"""Exact intervals of true values behind printed numbers (continuous rounding bounds).

A printed ``p`` at ``d`` decimals came from a true value within ``1/2`` of its
last digit. Whether the two ends belong to the interval depends on the
rounding rule (see :mod:`simsurvey.forensics.rounding`): ties go up under ``half_up``
(``[p - h, p + h)``), to the even digit under ``half_even`` (closed when the
last digit is even, open when odd). Under ``any`` each printed number may have
used either rule, so its interval is the union of the two: closed for an even
last digit, ``[p - h, p + h)`` for an odd one.

Endpoints are :class:`fractions.Fraction` (``math.inf`` for "unbounded"), so a
tie such as a ratio of exactly 2.05 is decided exactly, never by floating point.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from simsurvey._validation import check_rule
from simsurvey.forensics.rounding import scaled

__all__ = ["Interval", "printed_interval", "ratio_interval", "exact_tie"]


@dataclass(frozen=True)
class Interval:
    """An interval of the real line with exact endpoints.

    Attributes
    ----------
    low, high : fractions.Fraction or float
        Endpoints; ``high`` may be ``math.inf``.
    low_closed, high_closed : bool
        Whether each endpoint belongs to the interval.

    Examples
    --------
    >>> i = Interval(Fraction(1), Fraction(2), True, False)
    >>> i.contains(1), i.contains(2), float(i.width)
    (True, False, 1.0)
    """

    low: Fraction
    high: Fraction | float
    low_closed: bool = True
    high_closed: bool = True

    @property
    def empty(self) -> bool:
        """True when no number lies in the interval."""
        return self.low > self.high or (self.low == self.high and not (self.low_closed and self.high_closed))

    @property
    def width(self) -> Fraction | float:
        """``high - low`` (0 for an empty interval)."""
        return 0 if self.empty else self.high - self.low

    def contains(self, x) -> bool:
        """Whether the number ``x`` lies in the interval (exactly: pass a Fraction or an int)."""
        x = Fraction(x)
        above = x > self.low or (x == self.low and self.low_closed)
        below = x < self.high or (x == self.high and self.high_closed)
        return above and below

    def intersect(self, other: "Interval") -> "Interval":
        """The intersection (possibly empty) of two intervals."""
        if self.low > other.low:
            low, low_closed = self.low, self.low_closed
        elif other.low > self.low:
            low, low_closed = other.low, other.low_closed
        else:
            low, low_closed = self.low, self.low_closed and other.low_closed
        if self.high < other.high:
            high, high_closed = self.high, self.high_closed
        elif other.high < self.high:
            high, high_closed = other.high, other.high_closed
        else:
            high, high_closed = self.high, self.high_closed and other.high_closed
        return Interval(low, high, low_closed, high_closed)

    def overlaps(self, other: "Interval") -> bool:
        """Whether the two intervals share at least one number."""
        return not self.intersect(other).empty

    def as_floats(self) -> tuple[float, float]:
        """``(low, high)`` as floats."""
        return float(self.low), float(self.high)


def printed_interval(printed, decimals: int = 0, rule: str = "any", *, lower=None, upper=None) -> Interval:
    """The true values that print as ``printed`` at ``decimals`` decimals.

    Parameters
    ----------
    printed : float
        The printed number (e.g. 89 for "89%", 2.1 for "2.1x").
    decimals : int
        Decimals printed.
    rule : {"half_up", "half_even", "any"}
        Rounding rule (module notes).
    lower, upper : number, optional
        Bounds the true value cannot cross (0 and 100 for a percentage); an
        interval reaching past one is cut there, the bound itself included.

    Returns
    -------
    Interval

    Examples
    --------
    >>> printed_interval(2.1, 1, "half_up").as_floats()
    (2.05, 2.15)
    >>> i = printed_interval(2.1, 1, "half_even")
    >>> i.contains(Fraction(41, 20)), printed_interval(2.0, 1, "half_even").contains(Fraction(41, 20))
    (False, True)
    >>> printed_interval(0, 0, "any", lower=0, upper=100)
    Interval(low=Fraction(0, 1), high=Fraction(1, 2), low_closed=True, high_closed=True)
    """
    check_rule(rule)
    if int(decimals) != decimals or decimals < 0:
        raise ValueError(f"decimals must be a whole number >= 0, got {decimals!r}")
    p = int(scaled(printed, int(decimals)))
    unit = 10 ** int(decimals)
    low, high = Fraction(2 * p - 1, 2 * unit), Fraction(2 * p + 1, 2 * unit)
    even = p % 2 == 0
    low_closed, high_closed = {
        "half_up": (True, False),
        "half_even": (even, even),
        "any": (True, even),
    }[rule]
    if lower is not None and low <= Fraction(lower):
        low, low_closed = Fraction(lower), True
    if upper is not None and high >= Fraction(upper):
        high, high_closed = Fraction(upper), True
    return Interval(low, high, low_closed, high_closed)


def ratio_interval(num: Interval, den: Interval) -> Interval:
    """The values of ``x / y`` for ``x`` in ``num`` and ``y`` in ``den`` (both non-negative).

    An endpoint is attained only when both endpoints behind it are; a
    denominator that may reach 0 makes the ratio unbounded above.

    Examples
    --------
    89% and 47% as printed (odd, so no rule reaches 89.5 or 47.5):

    >>> r = ratio_interval(printed_interval(89, 0, "any"), printed_interval(47, 0, "any"))
    >>> r.low, r.high, r.low_closed, r.high_closed
    (Fraction(177, 95), Fraction(179, 93), False, False)
    """
    if num.low < 0 or den.low < 0:
        raise ValueError("ratio_interval needs non-negative intervals")
    if den.high == 0:
        raise ValueError("the denominator interval is {0}: the ratio is undefined")
    low = num.low / den.high
    low_closed = num.low_closed and den.high_closed
    if num.low == 0 and num.low_closed:  # 0 / y = 0 for any y > 0
        low_closed = True
    if den.low == 0:
        high, high_closed = math.inf, False
    else:
        high, high_closed = num.high / den.low, num.high_closed and den.low_closed
    return Interval(low, high, low_closed, high_closed)


def exact_tie(value: Fraction, decimals: int) -> bool:
    """Whether ``value`` lies exactly half-way between two printable numbers.

    Examples
    --------
    >>> exact_tie(Fraction(41, 20), 1), exact_tie(Fraction(54, 27), 1)
    (True, False)
    """
    scaled_value = Fraction(value) * 10 ** int(decimals)
    return scaled_value - math.floor(scaled_value) == Fraction(1, 2)
