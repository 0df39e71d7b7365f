"""One printed multiplier, checked from the numbers alone: ``simsurvey check-ratio 91 16 5.7 --n 786 --shares 11,53,36``.

The first rung of the ladder ``check-ratio`` → ``check`` → ``critique`` (as R's
scrutiny goes from one value to a whole table): no catalogue, just the two
printed percentages, the printed multiplier and, if the report gives them,
``n`` and the group shares. It answers in one line: can rounding produce the
multiplier (and, with ``n`` and shares, can whole-number counts), and how wide
its interval is even under ideal random sampling (Koopman's score interval,
with the group sizes that fit).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simsurvey.forensics.groupsizes import count_range, group_sizes, share_decimals
from simsurvey.forensics.ratios import ratio_bounds, ratio_feasible, ratio_possible
from simsurvey._validation import check_n, check_rule
from simsurvey.inference.analytic import koopman_score

__all__ = ["RatioCheck", "check_ratio"]


@dataclass(frozen=True)
class RatioCheck:
    """Result of :func:`check_ratio`.

    Attributes
    ----------
    num_pct, den_pct, printed : float
        The printed numbers.
    decimals : int
        Decimals of the printed multiplier (as typed).
    low, high : float
        Ratios the rounded percentages allow.
    verdict : str
        ``consistent`` or ``inconsistent`` (with ``n`` and shares: in whole
        numbers for some admissible group sizes).
    sizes_fit, sizes : int
        Admissible group-size pairs under which whole-number counts reproduce
        everything printed, out of ``sizes`` (0 and 0 without ``n``).
    num_n, den_n : int or None
        Group sizes used for the interval (the fitting pair closest to the printed shares).
    ci_low, ci_high : float
        Koopman score interval of the ratio (NaN without ``n``).
    confidence : float
    """

    num_pct: float
    den_pct: float
    printed: float
    decimals: int
    direction: str
    low: float
    high: float
    verdict: str
    sizes_fit: int
    sizes: int
    num_n: int | None
    den_n: int | None
    ci_low: float
    ci_high: float
    confidence: float

    def sentence(self) -> str:
        """The one-line answer.

        Examples
        --------
        >>> print(check_ratio("91", "16", "5.7").sentence())
        91% vs 16% give 5.69x (rounding allows 5.48x to 5.90x): the printed 5.7x is consistent; n and the group shares would also test whole-number counts and give an interval
        """
        ratio = self.num_pct / self.den_pct if self.direction == "more" else self.den_pct / self.num_pct
        less = " less" if self.direction == "less" else ""
        text = (f"{self.num_pct:g}% vs {self.den_pct:g}% give {ratio:.2f}x (rounding allows {self.low:.2f}x to "
                f"{self.high:.2f}x): the printed {self.printed:.{self.decimals}f}x{less} is {self.verdict}")
        if not self.sizes:
            return text + "; n and the group shares would also test whole-number counts and give an interval"
        text += f"; whole-number counts fit {self.sizes_fit} of {self.sizes} admissible group sizes"
        if self.num_n is None:
            return text
        return (text + f"; with {self.num_n} vs {self.den_n} respondents, ideal random sampling gives "
                f"{self.ci_low:.2f}x to {self.ci_high:.2f}x ({self.confidence:.0%} Koopman score interval)")


def check_ratio(num_pct, den_pct, printed, *, n: int | None = None, shares=None, pair=None,
                direction: str = "more", rule: str = "any", confidence: float = 0.95) -> RatioCheck:
    """Check one printed multiplier against the two percentages behind it.

    Parameters
    ----------
    num_pct, den_pct, printed : str or float
        As printed; given as text (``"5.7"``), the decimals printed are read
        from it, as a float they are taken to be 0 for percentages and 1 for
        the multiplier.
    n : int, optional
        Respondents in all groups.
    shares : sequence of float, optional
        Printed share (percent) of every group of the report, in order.
    pair : (int, int), optional
        Positions (0-based) in ``shares`` of the numerator and denominator
        groups; default the first and the last.
    direction : {"more", "less"}
        ``"less"``: the report says "x less likely" (the ratio is den / num).
    rule : {"any", "half_up", "half_even"}
    confidence : float

    Examples
    --------
    >>> r = check_ratio("91", "16", "5.7", n=786, shares=[11, 53, 36])
    >>> r.verdict, r.sizes_fit, r.sizes, r.num_n, r.den_n
    ('consistent', 29, 44, 86, 283)
    >>> round(r.ci_low, 2), round(r.ci_high, 2)
    (4.35, 7.55)
    """
    (a, da), (b, db), (m, dm) = (_number(v, name, default) for v, name, default in
                                 ((num_pct, "num_pct", 0), (den_pct, "den_pct", 0), (printed, "printed", 1)))
    for value, name in ((a, "num_pct"), (b, "den_pct")):
        if not 0 <= value <= 100:
            raise ValueError(f"{name}: {value:g} is outside 0-100")
    if m <= 0:
        raise ValueError(f"printed: the multiplier must be positive, got {m:g}")
    if direction not in ("more", "less"):
        raise ValueError(f"direction must be 'more' or 'less', got {direction!r}")
    check_rule(rule)
    bounds = ratio_bounds(a, b, pct_decimals=(da, db), direction=direction, rule=rule)
    low, high = (float(v) for v in bounds.as_floats())
    possible = ratio_possible(a, b, m, decimals=dm, pct_decimals=(da, db), direction=direction, rule=rule)
    fit, total, num_n, den_n = 0, 0, None, None
    if n is not None:
        fit, total, num_n, den_n = _sizes(a, b, m, dm, (da, db), n, shares, pair, direction, rule)
    verdict = "consistent" if possible and (total == 0 or fit > 0) else "inconsistent"
    ci = (math.nan, math.nan)
    if num_n is not None:
        x1, x2 = _count(a, num_n, da, rule), _count(b, den_n, db, rule)
        lo, hi = koopman_score(x1, num_n, x2, den_n, confidence) if direction == "more" else \
            koopman_score(x2, den_n, x1, num_n, confidence)
        ci = (float(lo), float(hi))
    return RatioCheck(a, b, m, dm, direction, low, high, verdict, fit, total, num_n, den_n, *ci, confidence)


def _sizes(a, b, m, dm, pct_decimals, n, shares, pair, direction, rule):
    n = check_n(n)
    if shares is None or len(shares) < 2:
        raise ValueError("shares: give the printed share of every group (at least two), e.g. 11,53,36")
    i, j = (0, len(shares) - 1) if pair is None else pair
    if not (0 <= i < len(shares) and 0 <= j < len(shares)) or i == j:
        raise ValueError(f"pair: two different positions among the {len(shares)} shares, got {pair}")
    vectors = group_sizes(int(n), list(shares), [share_decimals(float(s)) for s in shares], rule)
    if len(vectors) == 0:
        raise ValueError(f"shares: no group sizes summing to n={n} print as {'/'.join(f'{s:g}' for s in shares)}")
    ok = ratio_feasible(a, b, m, vectors[:, i], vectors[:, j], decimals=dm, pct_decimals=pct_decimals,
                        direction=direction, rule=rule)
    # the interval uses the fitting vector closest to the printed shares (all of them if none fits)
    target = np.asarray(shares, dtype=float) * n / 100
    pool = vectors[ok] if ok.any() else vectors
    best = pool[np.argmin(((pool - target) ** 2).sum(axis=1))]
    return int(ok.sum()), len(vectors), int(best[i]), int(best[j])


def _count(pct, size, decimals, rule) -> int:
    """The whole-number count of ``size`` printing as ``pct`` closest to ``pct`` percent of it."""
    lo, hi = (int(v) for v in count_range(pct, size, decimals, rule))
    return int(min(max(round(pct * size / 100), lo), hi)) if lo <= hi else int(round(pct * size / 100))


def _number(value, name, default_decimals) -> tuple[float, int]:
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{name}: not a number: {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name}: not a finite number: {value!r}")
    if isinstance(value, str):
        decimals = len(text.split(".", 1)[1]) if "." in text else 0
    else:
        decimals = default_decimals
    return number, decimals
