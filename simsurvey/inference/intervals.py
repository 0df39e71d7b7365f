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
from simsurvey.inference.quantiles import TailValues, row_quantiles

__all__ = ["replicate_intervals", "RatioTally", "quantile_levels", "analytic_interval", "jackknife_acceleration"]

_OK = ""


class RatioTally:
    """What the interval methods count over each claim's replicate ratios, added up a chunk at a time.

    Counting as the chunks are made leaves only the order statistics for after
    the last replicate. Per claim: ``valid`` finite replicates, ``above_1``
    of them above 1, ``below`` those below the estimate plus those at most it
    (ties count half of 2, as BCa's bias correction wants), and the ``low``
    and ``high`` finite values (inf and -inf before any). Whole counts, min
    and max: the same however the replicates are cut.

    Examples
    --------
    >>> tally = RatioTally(np.array([2.0]))
    >>> tally.add(np.array([[1.5], [np.nan]])); tally.add(np.array([[2.0], [3.0]]))
    >>> tally.valid.tolist(), tally.above_1.tolist(), tally.below.tolist(), tally.low.tolist()
    ([3], [3], [3], [1.5])
    """

    def __init__(self, estimate: np.ndarray):
        self.estimate = np.asarray(estimate, dtype=float)
        k = len(self.estimate)
        self.valid, self.above_1, self.below = (np.zeros(k, dtype=np.int64) for _ in range(3))
        self.low, self.high = np.full(k, np.inf), np.full(k, -np.inf)

    @classmethod
    def of(cls, ratios: np.ndarray, estimate: np.ndarray) -> "RatioTally":
        """The tally of a whole B x claims matrix at once."""
        tally = cls(estimate)
        tally.add(ratios)
        return tally

    def add(self, ratios: np.ndarray) -> None:
        """Count the rows (replicates x claims; NaN where a replicate does not define the ratio)."""
        finite = np.isfinite(ratios)
        self.valid += finite.sum(axis=0)
        self.above_1 += (ratios > 1).sum(axis=0)  # NaN compares False: only finite replicates count
        self.below += (ratios < self.estimate).sum(axis=0) + (ratios <= self.estimate).sum(axis=0)
        if finite.all():
            np.minimum(self.low, ratios.min(axis=0, initial=np.inf), out=self.low)
            np.maximum(self.high, ratios.max(axis=0, initial=-np.inf), out=self.high)
        else:
            np.minimum(self.low, np.where(finite, ratios, np.inf).min(axis=0, initial=np.inf), out=self.low)
            np.maximum(self.high, np.where(finite, ratios, -np.inf).max(axis=0, initial=-np.inf), out=self.high)


def replicate_intervals(methods, ratios, estimate, confidence, design, base, acceleration=None,
                        tally: RatioTally | None = None, tails: TailValues | None = None) -> dict:
    """``{method: (low, high, reason)}`` for the bootstrap ``methods``: arrays with one entry per claim.

    ``ratios`` is the B x claims matrix of replicate ratios (NaN where a
    replicate does not define the ratio). The quantiles every method needs
    (percentile and basic share theirs; BCa has its own levels per claim) come
    out of one selection over each claim's replicates
    (:func:`simsurvey.inference.quantiles.row_quantiles`: ``np.quantile``'s numbers).
    ``acceleration`` is BCa's jackknife acceleration if already computed
    (:func:`jackknife_acceleration`); ``tally`` the ratios' :class:`RatioTally`
    and ``tails`` their :class:`~simsurvey.inference.quantiles.TailValues`
    if gathered as they were made (the same numbers, sooner).
    """
    by_claim = np.ascontiguousarray(ratios.T)  # a claim's replicates side by side: fast selection per claim
    tally = tally if tally is not None else RatioTally.of(ratios, estimate)
    valid = tally.valid
    if "bca" in methods and acceleration is None:
        acceleration = jackknife_acceleration(base, design)
    levels, bca_why, unstable = quantile_levels(methods, tally, confidence, acceleration)
    if "bca" in methods:
        _warn_bca(unstable, bca_why, design)
    quantiles = _quantiles(by_claim, valid, levels, tails)
    out = {}
    for method in methods:
        reason = np.where(valid > 0, _OK, "no replicate defines the ratio").astype(object)
        if method == "simultaneous":
            low, high, why = _simultaneous(ratios, estimate, confidence)
            reason = np.where(reason == _OK, why, reason)
        elif method == "bca":
            low, high = quantiles[:, -2], quantiles[:, -1]
            reason = np.where(reason == _OK, bca_why, reason)
        elif method == "percentile":
            low, high = quantiles[:, 0], quantiles[:, 1]
        else:  # basic, on the log scale: exp(2 log t - log q), so no end is ever negative
            with np.errstate(divide="ignore", invalid="ignore"):
                low, high = estimate**2 / quantiles[:, 1], estimate**2 / quantiles[:, 0]
            reason[(estimate == 0) & (valid > 0)] = ("the estimate is 0: the basic interval on the log scale "
                                                     "is undefined")
        low, high = np.array(low, dtype=float), np.array(high, dtype=float)
        blank = reason != _OK
        low[blank], high[blank] = np.nan, np.nan
        out[method] = low, high, reason
    _warn_degenerate(tally, design)
    return out


def quantile_levels(methods, tally: RatioTally, confidence, acceleration=None):
    """The levels whose quantiles the bootstrap ``methods`` read, per claim (claims x L).

    Percentile and basic share ``alpha / 2`` and ``1 - alpha / 2``; BCa adds
    its two adjusted levels (:func:`_bca_levels`, from the tally's bias
    correction and the ``acceleration``), last. Returns ``(levels, BCa's
    reason per claim, BCa unstable per claim)``; with the counts of the first
    replicates it gives the levels to expect.
    """
    alpha = 1 - confidence
    k = len(tally.estimate)
    levels = np.empty((k, 0))
    if {"percentile", "basic"} & set(methods):
        levels = np.tile([alpha / 2, 1 - alpha / 2], (k, 1))
    if "bca" not in methods:
        return levels, None, None
    bca_levels, why, unstable = _bca_levels(tally, alpha, acceleration)
    return np.hstack([levels, bca_levels]), why, unstable


def _quantiles(by_claim, valid, levels, tails=None):
    """Each claim's quantiles at its ``levels`` (claims x L) over its finite replicates (NaN with none).

    Claims no replicate leaves undefined (the usual case) are done together,
    from ``tails`` when gathered; the others one by one, over their finite
    replicates.
    """
    out = np.full(levels.shape, np.nan)
    if levels.shape[1] == 0:
        return out
    whole = valid == by_claim.shape[1]
    if whole.all():  # the usual case: no copy of the replicates
        return row_quantiles(by_claim, levels) if tails is None else tails.quantiles(by_claim, levels)
    if whole.any():
        out[whole] = row_quantiles(by_claim[whole], levels[whole])
    for k in np.flatnonzero(~whole & (valid > 0)):
        row = by_claim[k]
        out[k] = row_quantiles(row[np.isfinite(row)][None, :], levels[k])[0]
    return out


def _bca_levels(tally: RatioTally, alpha, a):
    """Efron's BCa, following scipy.stats.bootstrap: each claim's two adjusted levels and why it has none.

    The levels come from the bias correction (the share of replicates below the
    estimate, ties counted half: ``tally.below``) and the jackknife
    acceleration; a claim without them gets a reason (and placeholder levels,
    whose quantiles are blanked by the caller). Also returns which levels fall
    outside what the replicates can resolve (unstable).
    """
    valid = tally.valid
    with np.errstate(divide="ignore", invalid="ignore"):
        z0 = special.ndtri(tally.below / (2 * valid))
    z = special.ndtri([alpha / 2, 1 - alpha / 2])
    reason = np.full(len(tally.estimate), _OK, dtype=object)
    reason[~np.isfinite(a)] = "BCa undefined: the jackknife acceleration is not finite"
    reason[~np.isfinite(z0)] = ("BCa undefined: every replicate lies on one side of the estimate "
                                "(infinite bias correction)")
    levels = np.full((len(tally.estimate), 2), 0.5)
    ok = reason == _OK
    z0k, ak = z0[ok, None], a[ok, None]
    levels[ok] = special.ndtr(z0k + (z0k + z) / (1 - ak * (z0k + z)))
    with np.errstate(divide="ignore", invalid="ignore"):
        # the adjusted level falls outside what the replicates can resolve
        unstable = ok & ((levels[:, 0] < 1 / valid) | (levels[:, 1] > 1 - 1 / valid))
    return levels, reason, unstable


def _warn_bca(unstable, reason, design):
    if unstable.any() or (reason != _OK).any():
        ids = design.claims["claim_id"].iloc[np.flatnonzero(unstable | (reason != _OK))]
        warnings.warn(f"BCa interval unstable or undefined for {len(ids)} claim(s) ({', '.join(ids)}): "
                      "the bias correction is extreme for the number of replicates; use more replicates "
                      "or the percentile interval", BootstrapWarning, stacklevel=5)


def jackknife_acceleration(base, design, chunk=20_000):
    """Acceleration of each claim from leave-one-out ratios, via running sums (no refits)."""
    w = base
    # only the cells the claims use: each claim's numerator and denominator cell, as columns of ``cells``
    cells, where = np.unique(np.concatenate([design.numerator, design.denominator]), return_inverse=True)
    num, den = where[:len(design.numerator)], where[len(design.numerator):]
    s_y, s_m = (w @ design.y)[cells], (w @ design.groups)[design.cell_group[cells]]  # the same sums as elsewhere

    def loo(start, stop):
        wy = w[start:stop, None] * design.y[start:stop, cells]
        wm = (w[start:stop, None] * design.groups[start:stop])[:, design.cell_group[cells]]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = (s_y - wy) / (s_m - wm)
            return share[:, num] / share[:, den]

    n = len(w)
    starts = range(0, n, chunk)
    kept = {}  # one chunk (the usual sample): its leave-one-out ratios are kept for the second pass
    total, count = np.zeros(len(num)), np.zeros(len(num))
    for start in starts:
        theta = loo(start, min(start + chunk, n))
        if len(starts) == 1:
            kept[start] = theta
        finite = np.isfinite(theta)
        total += _nansum(theta, finite)
        count += finite.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total / count
    m2, m3 = np.zeros(len(num)), np.zeros(len(num))
    for start in starts:
        d = mean - (kept[start] if start in kept else loo(start, min(start + chunk, n)))
        finite = np.isfinite(d)
        m2 += _nansum(d**2, finite)
        m3 += _nansum(d**3, finite)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = m3 / (6 * m2**1.5)
    return np.where(m2 == 0, 0.0, a)  # every leave-one-out equal: no skewness to correct


def _nansum(values, finite):
    """``np.nansum(values, axis=0)``, the same sums, without its copy when every value is finite (the usual case)."""
    return values.sum(axis=0) if finite.all() else np.nansum(values, axis=0)


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


def _warn_degenerate(tally: RatioTally, design):
    spread = tally.high - tally.low
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
