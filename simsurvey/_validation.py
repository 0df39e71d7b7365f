"""One check per concept, shared by every entry point (as ``scipy.stats``' ``_*_iv`` helpers).

Each function raises ``ValueError`` with a one-line message naming the
argument, or returns the value in its canonical form.
"""
from __future__ import annotations

import numbers

RULES = ("half_up", "half_even", "any")

__all__ = ["check_rule", "check_n", "number", "check_weights", "decimals_of", "RULES"]


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


def number(text: str):
    """A command-line number as a function would get it: ``"786"`` gives 786, ``"786.0"`` 786.0.

    For ``argparse``'s ``type=`` on a count flag such as ``--n``: the function's own
    check (:func:`check_n`) then judges the value, so the flag and the argument
    accept and refuse the same values, with the same message.

    Examples
    --------
    >>> number("786"), number("786.0")
    (786, 786.0)
    """
    try:
        return int(text)
    except ValueError:
        return float(text)


def check_weights(values, n: int | None = None, argument: str = "weights"):
    """Survey weights as a float array: finite and positive, one per respondent.

    A weight of 0 is refused everywhere (a respondent who should not count is
    a row to drop, not a weight). Rows are counted from 1 without a header
    (the pandas row position plus 1), the same in every message.

    Examples
    --------
    >>> check_weights([1, 2.5]).tolist()
    [1.0, 2.5]
    >>> check_weights([1.0, 0.0, -1.0], argument="sample column 'weight'")
    Traceback (most recent call last):
    ...
    ValueError: sample column 'weight': row 2 (header not counted) is 0.0; weights must be positive and finite, and 1 more row(s)
    """
    import numpy as np
    import pandas as pd

    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype.kind in "iuf":
        # a numpy-typed array or column of numbers, the usual case: no value-by-value parsing (1M rows: 3 ms, not 100)
        raw = np.asarray(values)
        w = raw.astype(float).ravel()
    else:
        raw = np.asarray(values, dtype=object)
        try:
            w = pd.to_numeric(pd.Series(raw.ravel()), errors="coerce").to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{argument}: must be numbers, one per respondent") from None
    if raw.ndim != 1 or w.size == 0:
        raise ValueError(f"{argument}: must be a non-empty one-dimensional array of numbers")
    if n is not None and w.size != n:
        raise ValueError(f"{argument}: {w.size} weights for {n} respondents")
    bad = ~np.isfinite(w) | (w <= 0)
    if bad.any():
        row = int(np.argmax(bad))
        value = raw[row]
        shown = repr(float(value)) if _is_number(value) else repr(value)
        more = int(bad.sum()) - 1
        raise ValueError(f"{argument}: row {row + 1} (header not counted) is {shown}; weights must be positive "
                         f"and finite" + (f", and {more} more row(s)" if more else ""))
    return w


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
