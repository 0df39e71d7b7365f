"""One interval per claim and method, or NaN with the reason: never a missing row.

Bootstrap intervals come from the B x claims matrix of replicate ratios;
analytic ones from the sample itself. A ratio is positive, so every interval
for it lies in [0, inf]: the ``basic`` interval is computed on the log scale,
and an interval that does not exist (a zero count under Katz, a constant
ratio in the simultaneous band, an anticipated-growth claim under a
two-independent-groups formula) is a NaN row whose ``reason`` says why.
"""
from __future__ import annotations

import warnings

import numpy as np
from scipy import special

from simsurvey.inference.analytic import ANALYTIC_METHODS
from simsurvey.inference.notices import BootstrapWarning

__all__ = ["replicate_interval", "analytic_interval", "jackknife_acceleration"]

_OK = ""


def replicate_interval(method, ratios, estimate, confidence, design, base):
    """``(low, high, reason)`` arrays, one entry per claim, for a bootstrap ``method``.

    ``ratios`` is the B x claims matrix of replicate ratios (NaN where a
    replicate does not define the ratio).
    """
    alpha = 1 - confidence
    reason = np.full(len(estimate), _OK, dtype=object)
    usable = np.isfinite(ratios).sum(axis=0) > 0
    reason[~usable] = "no replicate defines the ratio"
    if method == "simultaneous":
        low, high, why = _simultaneous(ratios, estimate, confidence)
        reason = np.where(reason == _OK, why, reason)
    elif method == "bca":
        low, high, why = _bca(ratios, estimate, alpha, base, design)
        reason = np.where(reason == _OK, why, reason)
    else:
        q_low, q_high = _nanquantile(ratios, [alpha / 2, 1 - alpha / 2])
        if method == "percentile":
            low, high = q_low, q_high
        else:  # basic, on the log scale: exp(2 log t - log q), so no end is ever negative
            with np.errstate(divide="ignore", invalid="ignore"):
                low, high = estimate**2 / q_high, estimate**2 / q_low
            zero = estimate == 0
            reason[zero & usable] = "the estimate is 0: the basic interval on the log scale is undefined"
    _warn_degenerate(ratios, design)
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    blank = reason != _OK
    low[blank], high[blank] = np.nan, np.nan
    return low, high, reason


def _nanquantile(ratios, levels):
    """Each column's quantiles at ``levels`` over its finite replicates (NaN for a column with none).

    Columns without a NaN share one vectorised ``np.quantile`` call (the same numbers as one call
    per column, much faster for many claims); the others are done one by one.
    """
    levels = np.asarray(levels, dtype=float)
    out = np.full((len(levels), ratios.shape[1]), np.nan)
    finite = np.isfinite(ratios)
    whole = finite.all(axis=0)
    if whole.any():
        out[:, whole] = np.quantile(ratios[:, whole], levels, axis=0)
    for k in np.flatnonzero(~whole & finite.any(axis=0)):
        out[:, k] = np.quantile(ratios[finite[:, k], k], levels)
    return out


def _bca(ratios, estimate, alpha, base, design):
    """Efron's BCa, following scipy.stats.bootstrap (percentile of score, jackknife acceleration)."""
    b = np.isfinite(ratios).sum(axis=0)
    below = np.nansum(ratios < estimate, axis=0) + np.nansum(ratios <= estimate, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z0 = special.ndtri(below / (2 * b))
    a = jackknife_acceleration(base, design)
    z = special.ndtri([alpha / 2, 1 - alpha / 2])
    lows, highs = np.full(len(estimate), np.nan), np.full(len(estimate), np.nan)
    reason = np.full(len(estimate), _OK, dtype=object)
    unstable = []
    for k in range(len(estimate)):
        if not np.isfinite(z0[k]):
            reason[k] = "BCa undefined: every replicate lies on one side of the estimate (infinite bias correction)"
            continue
        if not np.isfinite(a[k]):
            reason[k] = "BCa undefined: the jackknife acceleration is not finite"
            continue
        levels = special.ndtr(z0[k] + (z0[k] + z) / (1 - a[k] * (z0[k] + z)))
        col = ratios[:, k][np.isfinite(ratios[:, k])]
        if levels[0] < 1 / b[k] or levels[1] > 1 - 1 / b[k]:
            unstable.append(k)  # the adjusted level falls outside what B replicates can resolve
        lows[k], highs[k] = np.quantile(col, levels)
    undefined = [k for k in range(len(estimate)) if reason[k] != _OK]
    if unstable or undefined:
        ids = design.claims["claim_id"].iloc[sorted(unstable + undefined)]
        warnings.warn(f"BCa interval unstable or undefined for {len(ids)} claim(s) ({', '.join(ids)}): "
                      "the bias correction is extreme for the number of replicates; use more replicates "
                      "or the percentile interval", BootstrapWarning, stacklevel=5)
    return lows, highs, reason


def jackknife_acceleration(base, design, chunk=20_000):
    """Acceleration of each claim from leave-one-out ratios, via running sums (no refits)."""
    w = base
    s_y, s_m = w @ design.y, (w @ design.groups)[design.cell_group]
    num, den = design.numerator, design.denominator

    def loo(start, stop):
        wy = w[start:stop, None] * design.y[start:stop]
        wm = (w[start:stop, None] * design.groups[start:stop])[:, design.cell_group]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = (s_y - wy) / (s_m - wm)
            return share[:, num] / share[:, den]

    n = len(w)
    total, count = np.zeros(len(num)), np.zeros(len(num))
    for start in range(0, n, chunk):
        theta = loo(start, min(start + chunk, n))
        total += np.nansum(theta, axis=0)
        count += np.isfinite(theta).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total / count
    m2, m3 = np.zeros(len(num)), np.zeros(len(num))
    for start in range(0, n, chunk):
        d = mean - loo(start, min(start + chunk, n))
        m2 += np.nansum(d**2, axis=0)
        m3 += np.nansum(d**3, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = m3 / (6 * m2**1.5)
    return np.where(m2 == 0, 0.0, a)  # every leave-one-out equal: no skewness to correct


def _simultaneous(ratios, estimate, confidence):
    """Max-|t| band on the log scale, its critical value the ``confidence`` quantile over replicates.

    What it guarantees, exactly: in the bootstrap distribution, the band holds
    every claim's replicate ratio at once in a ``confidence`` share of the
    replicates that define them all (up to one replicate of rounding). Its
    family-wise coverage of the true ratios is that level only
    asymptotically; in the coverage study of the SMB claims it is
    conservative (see README, "Intervals for every multiplier").
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(ratios)
        centre = np.log(estimate)
    logs[~np.isfinite(logs)] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a claim with fewer than 2 finite logs: NaN se
        se = np.nanstd(logs, axis=0, ddof=1)
    reason = np.full(len(estimate), _OK, dtype=object)
    reason[~(se > 0)] = "no variation of the log ratio across replicates: the band has no scale"
    reason[~np.isfinite(centre)] = "the ratio is 0: it has no log, so it is left out of the log-scale band"
    ok = reason == _OK
    low, high = np.full(len(estimate), np.nan), np.full(len(estimate), np.nan)
    if not ok.any():
        return low, high, reason
    t = np.abs(logs[:, ok] - centre[ok]) / se[ok]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a replicate defining no claim: all-NaN row
        max_t = np.nanmax(t, axis=1)
    crit = np.quantile(max_t[np.isfinite(max_t)], confidence)
    low[ok], high[ok] = np.exp(centre[ok] - crit * se[ok]), np.exp(centre[ok] + crit * se[ok])
    return low, high, reason


def _warn_degenerate(ratios, design):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        spread = np.nanmax(ratios, axis=0) - np.nanmin(ratios, axis=0)
    if np.any(spread == 0):
        ids = design.claims.loc[spread == 0, "claim_id"]
        warnings.warn(f"every replicate gives the same ratio for {', '.join(ids)}: the interval has zero width",
                      BootstrapWarning, stacklevel=5)


# -- analytic -------------------------------------------------------------------------------

def analytic_interval(method, point, base, design, confidence):
    """``(low, high, reason)`` per claim for an analytic ``method`` (ratio claims of two groups).

    Unweighted (or constant weights, which cancel): the method on the group
    counts. With varying weights: see :func:`design_counts`.
    """
    ratio = (design.claims["kind"] == "ratio").to_numpy()
    k = len(design.claims)
    reason = np.full(k, _OK, dtype=object)
    reason[~ratio] = ("analytic intervals assume two independent groups; an anticipated-growth ratio compares "
                      "two answers of the same respondents (use a bootstrap method)")
    num, den = design.numerator, design.denominator
    p1, p2 = point[num], point[den]
    weighted = np.ptp(base) > 0
    if weighted:
        n1, n2 = design_effective_counts(point, base, design)
    else:
        sizes = design.groups.sum(axis=0)[design.cell_group]
        n1, n2 = sizes[num], sizes[den]
    x1, x2 = np.round(p1 * n1, 9), np.round(p2 * n2, 9)  # whole counts stay whole despite float shares
    low, high = np.full(k, np.nan), np.full(k, np.nan)
    if ratio.any():
        low[ratio], high[ratio] = ANALYTIC_METHODS[method](x1[ratio], n1[ratio], x2[ratio], n2[ratio], confidence)
    if method == "katz":
        if weighted:
            low, high = _katz_linearized(point, base, design, confidence)
        zero = ratio & ((p1 == 0) | (p2 == 0))
        reason[zero] = "Katz: a zero count leaves the log ratio without a variance"
    blank = reason != _OK
    low[blank], high[blank] = np.nan, np.nan
    return low, high, reason


def _influence(point, base, design):
    """Linearized values u_ic of each cell's weighted share: w_i m_ic (y_ic - p_c) / N_c (n x cells)."""
    totals = (base @ design.groups)[design.cell_group]
    with np.errstate(divide="ignore", invalid="ignore"):
        return base[:, None] * (design.y - design.member * point) / totals


def _variance(u):
    """With-replacement (single-stage) variance of a linearized total: n/(n-1) sum (u - mean u)^2."""
    n = u.shape[0]
    return n / (n - 1) * ((u - u.mean(axis=0)) ** 2).sum(axis=0)


def design_effective_counts(point, base, design):
    """Design-based effective group sizes ``p(1-p) / V(p)`` of numerator and denominator shares.

    V is the linearization (Taylor) variance of the weighted share, as R's
    ``svymean`` on ``svydesign(ids = ~1, weights = ~weight)`` computes it. A
    share of 0 or 1 has V = 0 and no such size; there Kish's
    ``(sum w)^2 / sum w^2`` stands in.
    """
    u = _influence(point, base, design)
    v = _variance(u)
    kish = ((base @ design.groups) ** 2 / ((base**2) @ design.groups))[design.cell_group]
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = np.where(v > 0, point * (1 - point) / v, kish)
    return n_eff[design.numerator], n_eff[design.denominator]


def _katz_linearized(point, base, design, confidence):
    """Katz's log interval with the design-based variance of the log ratio of two weighted shares.

    The log ratio's linearized variable is ``u_1 / p_1 - u_2 / p_2`` (Lumley,
    *Complex Surveys*, 2010, ch. 2-3: ``svyratio``/``svycontrast`` of domain
    means); unweighted it reduces to Katz's ``1/x1 - 1/n1 + 1/x2 - 1/n2``
    times ``n / (n - 1)``.
    """
    u = _influence(point, base, design)
    num, den = design.numerator, design.denominator
    with np.errstate(divide="ignore", invalid="ignore"):
        z = u[:, num] / point[num] - u[:, den] / point[den]
        se = np.sqrt(_variance(z))
        log_ratio = np.log(point[num]) - np.log(point[den])
    crit = special.ndtri(0.5 + confidence / 2)
    return np.exp(log_ratio - crit * se), np.exp(log_ratio + crit * se)
