"""One-factor threshold model: one latent self-assessment drives the tier and every answer.

A respondent has a trait ``theta ~ N(0, 1)``. The groups are slices of it, cut
at the published shares with the first group of the catalogue on top (high
performers have the highest ``theta``, underperformers the lowest). Each
question ``j`` has a loading ``lambda_j`` in (-1, 1) and thresholds
``tau_j1 > tau_j2 > ...``: its latent value is
``z_j = lambda_j * theta + sqrt(1 - lambda_j**2) * e_j`` (standard normal), and
the answer is the top category when ``z_j > tau_j1``, the next when
``tau_j2 < z_j <= tau_j1``, and so on (a yes/no item has one threshold).

Given the group, ``P(z_j > tau | a < theta <= b)`` is a bivariate-normal
rectangle probability divided by ``Phi(b) - Phi(a)``; the bivariate normal
CDF is computed exactly with Owen's T function (:func:`bvn_cdf`), which is
smooth in the parameters, so the likelihood can be maximised and
differentiated numerically. Each question is fitted on its own by maximum
likelihood on the counts the printed percentages imply (``k_g`` of ``N_g`` per
group, from :func:`simsurvey.synth.exact.exact_counts`), with standard errors
from the numerical Hessian (observed information) and the likelihood-ratio
statistic ``G2`` against the saturated model (a yes/no item with three groups:
3 figures, 2 parameters, 1 degree of freedom).

Questions published for everyone only carry no information on the loading;
they are generated with loading 0 and the threshold of their overall figure.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri, owens_t, xlogy

from simsurvey.synth.exact import exact_counts, exact_sizes, proven_sizes
from simsurvey._validation import check_n
from simsurvey.synth.design import Design, design
from simsurvey.synth.shares import resolve_shares, survey_shares
from simsurvey.catalog.spec import SurveySpec

__all__ = ["LatentFit", "fit_latent", "bvn_cdf", "group_cuts", "tier_probabilities"]

_MAX_ATANH = 4.0  # |loading| <= tanh(4) = 0.9993: beyond, the likelihood is flat to print precision


def bvn_cdf(h, k, rho):
    """Standard bivariate normal CDF ``P(X <= h, Y <= k)`` with correlation ``rho``.

    Owen's (1956) formula with :func:`scipy.special.owens_t`, vectorised;
    ``h`` may be infinite, ``|rho| < 1``.

    Examples
    --------
    >>> round(float(bvn_cdf(0.0, 0.0, 0.5)), 12)  # 1/4 + arcsin(0.5) / (2 pi) = 1/3
    0.333333333333
    >>> float(bvn_cdf(np.inf, 1.0, 0.3)) == float(ndtr(1.0))
    True
    """
    h, k, rho = np.broadcast_arrays(np.asarray(h, float), np.asarray(k, float), np.asarray(rho, float))
    s = np.sqrt(1 - rho * rho)
    # exact zeros make Owen's a-arguments infinite; the CDF is continuous, so nudge them
    hh = np.where(h == 0, 1e-300, h)
    kk = np.where(k == 0, 1e-300, k)
    finite = np.isfinite(hh) & np.isfinite(kk)
    hf, kf = np.where(finite, hh, 1.0), np.where(finite, kk, 1.0)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        ah = (kf - rho * hf) / (hf * s)
        ak = (hf - rho * kf) / (kf * s)
        beta = np.where(hf * kf < 0, 0.5, 0.0)
        out = 0.5 * ndtr(hf) + 0.5 * ndtr(kf) - owens_t(hf, ah) - owens_t(kf, ak) - beta
    out = np.where(finite, out, 0.0)
    out = np.where(np.isposinf(h), ndtr(k), out)
    out = np.where(np.isposinf(k), ndtr(h), out)
    out = np.where(np.isposinf(h) & np.isposinf(k), 1.0, out)
    out = np.where(np.isneginf(h) | np.isneginf(k), 0.0, out)
    return np.clip(out, 0.0, 1.0)


def group_cuts(sizes) -> np.ndarray:
    """Cut points on ``theta`` separating the groups, top group first: ``[inf, c1, ..., -inf]``.

    Examples
    --------
    >>> group_cuts([90, 415, 281]).round(3).tolist()
    [inf, 1.203, -0.365, -inf]
    """
    sizes = np.asarray(sizes, dtype=float)
    above = np.concatenate([[0.0], np.cumsum(sizes)]) / sizes.sum()
    return ndtri(1 - above)


def tier_probabilities(loading: float, thresholds, cuts) -> np.ndarray:
    """Answer probabilities per group (rows, top group first) and category (top first).

    Examples
    --------
    With loading 0 the groups do not differ:

    >>> tier_probabilities(0.0, [0.0], group_cuts([1, 1])).round(6).tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    """
    thresholds = np.asarray(thresholds, dtype=float)
    upper, lower = cuts[:-1, None], cuts[1:, None]
    mass = ndtr(upper) - ndtr(lower)
    below = (bvn_cdf(upper, thresholds[None, :], loading) - bvn_cdf(lower, thresholds[None, :], loading))
    above = 1 - below / mass  # P(z > tau_c | group), increasing in c
    return np.diff(np.column_stack([np.zeros(len(mass)), above, np.ones(len(mass))]), axis=1)


@dataclass(frozen=True, eq=False)
class LatentFit:
    """A fitted one-factor threshold model.

    Attributes
    ----------
    survey : str
    groups : tuple of str
        Top group first.
    sizes : numpy.ndarray
        Group sizes the counts were implied from.
    cuts : numpy.ndarray
        Group cut points on ``theta`` (:func:`group_cuts`).
    table : pandas.DataFrame
        One row per fitted parameter: ``item`` (question id), ``parameter``
        (``loading``, ``threshold`` or ``threshold_1``, ``threshold_2``, ...),
        ``estimate``, ``std_error``, and the question's fit: ``g2``
        (likelihood-ratio statistic against the saturated model), ``df``,
        ``p_value`` (NaN where ``df`` is 0: the model reproduces the figures
        by construction, nothing is tested) and ``at_boundary`` (the loading
        reached ±tanh(4); its standard error is then not reported, NaN).
    predicted : pandas.DataFrame
        One row per item and group: ``published`` and ``fitted`` percentage.
    params : dict
        Question id -> ``(loading, thresholds)`` for generation, including
        questions published for everyone only (loading 0).
    unfitted : dict
        Question id -> why it was not fitted.
    """

    survey: str
    groups: tuple[str, ...]
    sizes: np.ndarray
    cuts: np.ndarray
    table: pd.DataFrame
    predicted: pd.DataFrame
    params: dict
    unfitted: dict


def fit_latent(survey: str | SurveySpec = "sos-smb-2016", *, catalog=None, shares=None, n: int | None = None,
               rule: str = "any", on_infeasible: str = "raise") -> LatentFit:
    """Fit the one-factor threshold model to a survey's published percentages.

    Parameters
    ----------
    survey : str, SurveySpec or ResolvedSurvey
        Survey id (looked up in ``catalog`` and resolved, so the fit uses the
        group sizes :func:`simsurvey.resolve` chose), a spec, or a resolved survey.
    catalog : Catalog, optional
        Default: the shipped catalogue.
    shares : mapping, optional
        Group shares (proportions) where unpublished; see :func:`simsurvey.generate`.
    n : int, optional
        Respondents behind the figures; default the published n. The counts
        (and so the standard errors) are those implied at this n.
    rule, on_infeasible
        See :func:`simsurvey.synth.exact.exact_counts`.

    Returns
    -------
    LatentFit

    Examples
    --------
    >>> fit = fit_latent("sos-smb-2016")
    >>> row = fit.table.set_index(["item", "parameter"]).loc[("excel_engage_at_scale", "loading")]
    >>> round(float(row["estimate"]), 2), int(row["df"])
    (0.68, 1)
    """
    from simsurvey.forensics.resolve import ResolvedSurvey, resolve  # lazy: resolve imports the synth stage's inputs
    resolved = survey if isinstance(survey, ResolvedSurvey) else None
    if resolved is None and not isinstance(survey, SurveySpec):
        resolved = resolve(survey, catalog, rule)
    spec = resolved.spec if resolved is not None else survey
    d = design(spec)
    n = _published_n(spec, n)
    pct, printed, _ = resolve_shares(spec, shares) if resolved is None else survey_shares(resolved, shares)
    sizes, _ = exact_sizes(d, n, pct, printed=printed, proven=proven_sizes(resolved, n, shares), rule=rule,
                           on_infeasible=on_infeasible)
    return fit_design(d, sizes, rule=rule, on_infeasible=on_infeasible)


def fit_design(d: Design, sizes, *, rule: str = "any", on_infeasible: str = "raise") -> LatentFit:
    """Fit every question of a :class:`~simsurvey.synth.design.Design` at the given group sizes."""
    sizes = np.asarray(sizes, dtype=np.int64)
    cuts = group_cuts(sizes)
    rows, predicted, params, unfitted = [], [], {}, {}
    for q in d.questions:
        counts, _ = exact_counts(q, d.groups, sizes, rule=rule, on_infeasible=on_infeasible)
        if q.scope == "overall" or len(d.groups) < 2:
            share = counts.sum(axis=0) / counts.sum()
            params[q.id] = (0.0, tuple(ndtri(1 - np.cumsum(share)[:-1]).tolist()))
            unfitted[q.id] = ("published for everyone only: the loading is not identified, "
                              "generated with loading 0")
            continue
        res = _fit_question(counts, cuts)
        params[q.id] = (res["loading"], tuple(res["thresholds"]))
        names = ["threshold"] if len(res["thresholds"]) == 1 else [
            f"threshold_{c + 1}" for c in range(len(res["thresholds"]))]
        for name, est, se in zip(["loading"] + names, res["estimate"], res["se"]):
            rows.append(dict(item=q.id, parameter=name, estimate=est, std_error=se, g2=res["g2"], df=res["df"],
                             p_value=res["p_value"], at_boundary=res["at_boundary"]))
        fitted = tier_probabilities(res["loading"], res["thresholds"], cuts)
        for c, item in enumerate(q.items):
            for g, group in enumerate(d.groups):
                predicted.append(dict(item=item, group=group, published=float(q.pct[g, c]),
                                      fitted=100 * float(fitted[g, c])))
    table = pd.DataFrame(rows, columns=["item", "parameter", "estimate", "std_error", "g2", "df", "p_value",
                                        "at_boundary"])
    table["df"] = table["df"].astype("int64")
    return LatentFit(survey=d.survey, groups=d.groups, sizes=sizes, cuts=cuts, table=table,
                     predicted=pd.DataFrame(predicted, columns=["item", "group", "published", "fitted"]),
                     params=params, unfitted=unfitted)


def _published_n(spec: SurveySpec, n):
    if n is None:
        if spec.n is None:
            raise ValueError(f"n: survey {spec.survey!r} publishes no n; pass n=")
        return spec.n
    return check_n(n)


def _unpack(x):
    loading = np.tanh(x[0])
    thresholds = x[1] - np.concatenate([[0.0], np.cumsum(np.exp(x[2:]))])
    return loading, thresholds


def _nll(loading, thresholds, counts, cuts):
    p = tier_probabilities(loading, thresholds, cuts)
    return -float(xlogy(counts, np.clip(p, 1e-300, None)).sum())


def _fit_question(counts: np.ndarray, cuts: np.ndarray) -> dict:
    counts = np.asarray(counts, dtype=float)
    n_groups, n_cat = counts.shape
    share = counts.sum(axis=0) / counts.sum()
    tau0 = ndtri(np.clip(1 - np.cumsum(share)[:-1], 1e-6, 1 - 1e-6))
    gaps0 = np.log(np.clip(-np.diff(tau0), 1e-3, None))
    bounds = [(-_MAX_ATANH, _MAX_ATANH), (-8.0, 8.0)] + [(-12.0, 3.0)] * (n_cat - 2)

    def objective(x):
        return _nll(*_unpack(x), counts, cuts)

    from scipy import optimize, stats  # loaded here, not on import: only the latent model needs them

    best = None
    for start in (-0.5, 0.5):  # the sign of the loading is what a single start can get wrong
        x0 = np.concatenate([[np.arctanh(start), tau0[0]], gaps0])
        res = optimize.minimize(objective, x0, method="L-BFGS-B", bounds=bounds)
        if best is None or res.fun < best.fun:
            best = res
    loading, thresholds = _unpack(best.x)
    at_boundary = bool(abs(best.x[0]) > _MAX_ATANH - 1e-3)
    natural = np.concatenate([[loading], thresholds])
    se = np.full(natural.size, np.nan)
    if not at_boundary:
        hess = _hessian(lambda v: _nll(v[0], v[1:], counts, cuts), natural)
        try:
            cov = np.linalg.inv(hess)
            if np.all(np.diag(cov) > 0):
                se = np.sqrt(np.diag(cov))
        except np.linalg.LinAlgError:
            pass
    sizes = counts.sum(axis=1, keepdims=True)
    fitted = tier_probabilities(loading, thresholds, cuts) * sizes
    g2 = float(2 * (xlogy(counts, counts) - xlogy(counts, np.clip(fitted, 1e-300, None))).sum())
    df = n_groups * (n_cat - 1) - n_cat
    p_value = float(stats.chi2.sf(g2, df)) if df > 0 else np.nan
    return dict(loading=float(loading), thresholds=thresholds.tolist(), estimate=natural.tolist(),
                se=se.tolist(), g2=max(g2, 0.0), df=df, p_value=p_value, at_boundary=at_boundary)


def _hessian(f, x, step=1e-4):
    """Central-difference Hessian (the observed information of a negative log-likelihood)."""
    k = x.size
    h = np.empty((k, k))
    eye = np.eye(k) * step
    for i in range(k):
        for j in range(i, k):
            h[i, j] = h[j, i] = (f(x + eye[i] + eye[j]) - f(x + eye[i] - eye[j])
                                 - f(x - eye[i] + eye[j]) + f(x - eye[i] - eye[j])) / (4 * step * step)
    return h


def _theta_in_groups(rng: np.random.Generator, group_codes: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Trait values drawn from the standard normal truncated to each respondent's group slice."""
    upper = ndtr(cuts[:-1])[group_codes]
    lower = ndtr(cuts[1:])[group_codes]
    u = rng.random(group_codes.size)
    return ndtri(lower + u * (upper - lower)).astype(np.float32)
