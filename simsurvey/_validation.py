"""One check per concept, shared by every entry point (as ``scipy.stats``' ``_*_iv`` helpers).

Each function raises ``ValueError`` with a one-line message naming the
argument, or returns the value in its canonical form.
"""
from __future__ import annotations

import numbers

RULES = ("half_up", "half_even", "any")

__all__ = ["check_rule", "check_n", "decimals_of", "RULES"]


def check_rule(rule: str) -> str:
    """The rounding rule, or a ``ValueError`` naming the allowed ones.

    Examples
    --------
    >>> check_rule("any")
    'any'
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(RULES)}, got {rule!r}")
    return rule


def check_n(n, name: str = "n", minimum: int = 1) -> int:
    """A whole number of at least ``minimum`` (``2.0`` is accepted as 2; ``True`` and ``2.5`` are not).

    Examples
    --------
    >>> check_n(786), check_n(2.0)
    (786, 2)
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Real) or n != n or int(n) != n or n < minimum:
        what = "a positive whole number" if minimum == 1 else f"a whole number of at least {minimum}"
        raise ValueError(f"{name} must be {what}, got {n!r}")
    return int(n)


def decimals_of(value: float, most: int = 6) -> int:
    """Decimals needed to print ``value`` (a printed number read from a CSV as a float).

    Examples
    --------
    >>> decimals_of(11.0), decimals_of(10.5), decimals_of(0.21)
    (0, 1, 2)
    """
    for d in range(most + 1):
        if abs(value * 10 ** d - round(value * 10 ** d)) < 1e-9:
            return d
    raise ValueError(f"{value!r} has more than {most} decimals")
