"""Analytic confidence intervals for the ratio of two independent proportions.

``x1`` of ``n1`` against ``x2`` of ``n2``, ratio ``(x1/n1) / (x2/n2)``. All
functions take arrays (broadcast together) and return ``(low, high)`` arrays.
Counts may be non-integer (effective counts of a weighted sample).

Where a bound does not exist the value says so rather than being NaN: a zero
numerator count gives ``low = 0`` and a zero denominator count ``high = inf``
(Katz's interval is undefined at a zero count and returns NaN there; the
caller reports it).

References
----------
Katz D, Baptista J, Azen SP, Pike MC (1978). Obtaining confidence intervals for
the risk ratio in cohort studies. Biometrics 34:469-474.
Koopman PAR (1984). Confidence intervals for the ratio of two binomial
proportions. Biometrics 40:513-517.
Donner A, Zou GY (2012). Closed-form confidence intervals for functions of the
normal mean and standard deviation. Stat Methods Med Res 21:347-359 (MOVER).
Fagerland MW, Lydersen S, Laake P (2015). Recommended confidence intervals for
two independent binomial proportions. Stat Methods Med Res 24:224-254.
"""
from __future__ import annotations

import numpy as np

__all__ = ["katz_log", "koopman_score", "mover_wilson", "wilson", "ANALYTIC_METHODS"]


def _prepare(x1, n1, x2, n2, confidence):
    x1, n1, x2, n2 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x1, n1, x2, n2)))
    if np.any(n1 <= 0) or np.any(n2 <= 0):
        raise ValueError("n1 and n2 must be positive")
    if np.any((x1 < 0) | (x1 > n1)) or np.any((x2 < 0) | (x2 > n2)):
        raise ValueError("counts must lie between 0 and their n")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    from scipy import special  # loaded on first use, so `simsurvey check` never pays for it

    z = special.ndtri(0.5 + confidence / 2)  # the normal quantile (scipy.stats is slower to load)
    return x1, n1, x2, n2, z


def katz_log(x1, n1, x2, n2, confidence=0.95):
    """Katz log interval: ``exp(log RR ± z sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2))``.

    Examples
    --------
    >>> low, high = katz_log(78, 86, 45, 283)
    >>> round(float(low), 3), round(float(high), 3)
    (4.327, 7.52)
    """
    x1, n1, x2, n2, z = _prepare(x1, n1, x2, n2, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_rr = np.log(x1 / n1) - np.log(x2 / n2)
        se = np.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
        low, high = np.exp(log_rr - z * se), np.exp(log_rr + z * se)
    undefined = (x1 == 0) | (x2 == 0)
    return np.where(undefined, np.nan, low), np.where(undefined, np.nan, high)


def wilson(x, n, confidence=0.95):
    """Wilson score interval for one proportion ``x / n``.

    Examples
    --------
    >>> [round(float(v), 4) for v in wilson(45, 283)]
    [0.121, 0.2061]
    """
    x, n, _, _, z = _prepare(x, n, x, n, confidence)
    centre = (x + z**2 / 2) / (n + z**2)
    half = z * np.sqrt(x * (n - x) / n + z**2 / 4) / (n + z**2)
    return centre - half, centre + half


def mover_wilson(x1, n1, x2, n2, confidence=0.95):
    """MOVER interval (Donner & Zou) for the ratio, built from two Wilson intervals.

    Examples
    --------
    >>> [round(float(v), 3) for v in mover_wilson(78, 86, 45, 283)]
    [4.326, 7.524]
    """
    x1, n1, x2, n2, _ = _prepare(x1, n1, x2, n2, confidence)
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, confidence)
    l2, u2 = wilson(x2, n2, confidence)
    prod = p1 * p2
    with np.errstate(divide="ignore", invalid="ignore"):
        low = (prod - np.sqrt(np.maximum(prod**2 - l1 * u2 * (2 * p1 - l1) * (2 * p2 - u2), 0))) / (u2 * (2 * p2 - u2))
        high = (prod + np.sqrt(np.maximum(prod**2 - u1 * l2 * (2 * p1 - u1) * (2 * p2 - l2), 0))) / (l2 * (2 * p2 - l2))
    # the closed form breaks down at zero counts, where the bounds are 0 and infinity
    low = np.where(x1 == 0, 0.0, low)
    high = np.where(x2 == 0, np.inf, high)
    return low, high


def _koopman_statistic(theta, x1, n1, x2, n2):
    """Score statistic for H0: p1 = theta * p2, at the constrained MLE.

    Written in Miettinen & Nurminen's form without their n/(n-1) correction,
    which equals Koopman's Pearson chi-square and stays finite when the
    constrained p1 reaches 1.
    """
    a = (n1 + n2) * theta
    b = theta * (n1 + x2) + x1 + n2
    c = x1 + x2
    p2 = (b - np.sqrt(np.maximum(b * b - 4 * a * c, 0))) / (2 * a)
    p1 = theta * p2
    with np.errstate(divide="ignore", invalid="ignore"):
        u = (x1 / n1 - theta * x2 / n2) ** 2 / (p1 * (1 - p1) / n1 + theta**2 * p2 * (1 - p2) / n2)
    return np.where(np.isfinite(u), u, np.inf)


def koopman_score(x1, n1, x2, n2, confidence=0.95, *, iterations=200):
    """Koopman's asymptotic score interval: every ratio the score test does not reject.

    Solved by vectorised bisection on the log scale (to ~1e-12 relative),
    so arrays of thousands of claims cost a few milliseconds.

    Examples
    --------
    >>> [round(float(v), 3) for v in koopman_score(78, 86, 45, 283)]
    [4.352, 7.548]
    """
    x1, n1, x2, n2, z = _prepare(x1, n1, x2, n2, confidence)
    crit = z**2
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = (x1 / n1) / (x2 / n2)
    # the statistic is 0 at the estimate and rises on either side; bracket on the log scale
    # (a zero count puts the estimate at 0 or infinity: start from the far end of the bracket)
    with np.errstate(divide="ignore"):
        centre = np.clip(np.log(estimate), -30.0, 30.0)
    # both ends in one bisection (each end stops when all of its own limits have converged, as two would)
    twice = [np.tile(np.ravel(v), 2) for v in (x1, n1, x2, n2)]
    f = lambda t: _koopman_statistic(np.exp(t), *twice) - crit
    centre = np.ravel(centre)
    both = _bisect(f, np.concatenate([centre - 60.0, centre]), np.concatenate([centre, centre + 60.0]),
                   rising=np.repeat([False, True], len(centre)), end=np.repeat([0, 1], len(centre)),
                   iterations=iterations)
    low = np.where(x1 == 0, 0.0, np.exp(both[:len(centre)].reshape(x1.shape)))
    high = np.where(x2 == 0, np.inf, np.exp(both[len(centre):].reshape(x1.shape)))
    return low, high


def _bisect(f, lo, hi, *, rising, end, iterations):
    """Vectorised bisection for the crossing of f through 0 between lo and hi, rising or falling there.

    ``end`` numbers the problems: each stops (keeps its limits) once all of its own brackets are narrower
    than 1e-13, so solving several together gives what solving each alone would.
    """
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    active = np.ones(end.max(initial=0) + 1, dtype=bool)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        above = f(mid) > 0
        move = active[end]
        move_hi = np.where(rising, above, ~above)
        hi = np.where(move & move_hi, mid, hi)
        lo = np.where(move & ~move_hi, mid, lo)
        narrow = hi - lo < 1e-13
        active &= ~np.array([narrow[end == e].all() for e in range(len(active))])
        if not active.any():
            break
    return (lo + hi) / 2


ANALYTIC_METHODS = {"katz": katz_log, "koopman": koopman_score, "mover_wilson": mover_wilson}
