"""Intervals for every published multiplier, from one matrix of replicate weights.

A claim such as "5.7x more likely" is the ratio of two group percentages of
one item. :func:`bootstrap` recomputes every estimable claim of a survey from
a respondent-level sample (synthetic or real), then gives each an interval by
several methods:

bootstrap (from B replicate weights, see :mod:`simsurvey.inference.replicates`)
    ``percentile``, ``basic``, ``bca`` (bias-corrected and accelerated, with
    the jackknife acceleration computed from running sums, not by refitting),
    and ``simultaneous`` (max-|t| on the log scale over the whole family of
    claims: the interval that holds for all claims at once, which is the
    honest one when a report highlights its largest ratios);
analytic (see :mod:`simsurvey.inference.analytic`)
    ``katz``, ``koopman``, ``mover_wilson`` for ratios of two groups.

Every replicate's percentages for every item and group come out of one matrix
product ``W @ Y`` (W: B x n replicate weights, Y: n x cells indicator
columns), so 10,000 replicates of a whole report take a fraction of a second.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from simsurvey.catalog.load import ALL, Catalog
from simsurvey.inference.analytic import ANALYTIC_METHODS
from simsurvey.inference.replicates import ReplicateWeights, replicate_weights
from simsurvey.catalog.spec import SurveySpec, survey_spec
from simsurvey.seeds import as_seed_sequence, seed_record

__all__ = ["bootstrap", "sample_replicates", "robustness_table", "BootstrapWarning", "BOOTSTRAP_METHODS", "METHODS"]

BOOTSTRAP_METHODS = ("percentile", "basic", "bca", "simultaneous")
METHODS = BOOTSTRAP_METHODS + tuple(ANALYTIC_METHODS)


class BootstrapWarning(UserWarning):
    """Something about the intervals a reader must know (dropped replicates, degenerate claims)."""


@dataclass(frozen=True)
class _Design:
    """Claims as ratios of cells; a cell is one item's weighted share within one group."""

    claims: pd.DataFrame          # one row per estimable claim
    numerator: np.ndarray         # cell index of each claim's numerator
    denominator: np.ndarray       # cell index of each claim's denominator
    order_cells: list             # per claim: cell indices of every group, in group order (or None)
    y: np.ndarray                 # n x cells: item value times group membership
    member: np.ndarray            # n x cells: group membership


def bootstrap(sample: pd.DataFrame, survey: str | SurveySpec = "sos-smb-2016", replicates: int = 10_000,
              seed=None, methods=METHODS, *, confidence: float = 0.95, stratified: bool = False,
              catalog: Catalog | None = None, group_column: str = "group",
              progress: bool | None = None, budget=None) -> pd.DataFrame:
    """Interval estimates for every published multiplier a sample can recompute.

    Parameters
    ----------
    sample : pandas.DataFrame
        One row per respondent: a group column, one 0/1 column per item
        (named by the catalogue's item id) and optionally ``weight``.
    survey : str or SurveySpec
        Whose claims to recompute.
    replicates : int
        Bootstrap replicates B (at least ``2 / (1 - confidence)``; BCa wants
        1,000 or more).
    seed : int, numpy.random.SeedSequence or a recorded seed, optional
        Same seed, same table; None draws fresh entropy. The seed used is
        recorded in ``attrs["assumptions"]["seed"]`` (spawn key included);
        passing that value back replays the table.
    methods : sequence of str
        Any of ``percentile, basic, bca, simultaneous, katz, koopman, mover_wilson``.
    confidence : float
        Coverage of every interval (default 0.95).
    stratified : bool
        Resample within groups (group sizes fixed) instead of resampling
        respondents with their group (the default, as in the survey).
    catalog : Catalog, optional
        Where to find the claims (default: the shipped catalogue).
    group_column : str
        Name of the group column.
    progress : bool, optional
        Show a progress bar; default: only when stderr is a terminal.
    budget : int or str, optional
        Memory for one chunk of replicates (bytes, or e.g. ``"512MB"``); default
        ``SIMSURVEY_MEMORY_BUDGET`` or 256 MiB (:func:`simsurvey.inference.replicates.memory_budget`).
        Peak memory follows it, not B; the numbers do not depend on it.

    Returns
    -------
    pandas.DataFrame
        One row per claim and method: ``claim_id, survey, item, kind,
        numerator, denominator, printed, direction, estimate, method, low, high, width,
        excludes_1, printed_inside, p_gt_1, p_order_holds, n_numerator,
        n_denominator, replicates_used``. ``attrs["assumptions"]`` states the
        resampling design; ``attrs["skipped"]`` lists claims that could not be
        recomputed and why.

    Warns
    -----
    BootstrapWarning
        When replicates are dropped for a claim (an empty group or a zero
        denominator in a replicate), when a claim is skipped, or when a BCa
        interval is unstable.

    Examples
    --------
    >>> sample = pd.DataFrame({"group": ["high"] * 40 + ["under"] * 80,
    ...                        "excel_engage_at_scale": [1] * 36 + [0] * 4 + [1] * 16 + [0] * 64})
    >>> res = bootstrap(sample, replicates=2000, seed=1, methods=["percentile", "katz"])
    >>> res[["item", "estimate", "method"]].round(2).values.tolist()
    [['excel_engage_at_scale', 4.5, 'percentile'], ['excel_engage_at_scale', 4.5, 'katz']]
    """
    spec = survey if isinstance(survey, SurveySpec) else survey_spec(survey, catalog)
    methods = _check_methods(methods)
    replicates = _check_replicates(replicates, confidence)
    base = _base_weights(sample)
    design, skipped = _design(sample, spec, group_column)
    if design.claims.empty:
        raise ValueError(_nothing_to_estimate(sample, spec, skipped))

    point = _cell_shares(base[None, :], design)[0]
    design, point, skipped = _drop_undefined(design, point, skipped)
    seed = as_seed_sequence(seed)  # recorded whole (spawn key too), so the seed replays the table
    reps = sample_replicates(sample, replicates, seed, stratified=stratified, group_column=group_column,
                             budget=budget)
    shares = _replicate_shares(reps, design, progress)

    estimate = point[design.numerator] / point[design.denominator]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = shares[:, design.numerator] / shares[:, design.denominator]
    ratios[~np.isfinite(ratios)] = np.nan
    valid = np.isfinite(ratios).sum(axis=0)
    _warn_dropped(design.claims, replicates - valid)

    rows = []
    claims = design.claims.reset_index(drop=True)
    summary = pd.DataFrame({
        "estimate": estimate,
        "p_gt_1": (ratios > 1).sum(axis=0) / valid,  # NaN > 1 is False: divide by the valid replicates only
        "p_order_holds": _order_probability(shares, design),
        "replicates_used": valid,
    })
    summary = pd.concat([claims, summary], axis=1)
    alpha = 1 - confidence
    for method in methods:
        if method in ANALYTIC_METHODS:
            low, high, ok = _analytic(method, point, base, design, sample, confidence)
        elif method == "simultaneous":
            low, high, ok = _simultaneous(ratios, estimate, confidence)
        else:
            low, high, ok = _bootstrap_interval(method, ratios, estimate, alpha, base, design)
        part = summary.loc[ok].assign(method=method, low=low[ok], high=high[ok])
        rows.append(part)
    table = pd.concat(rows, ignore_index=True)
    printed = np.where(table["direction"] == "less", 1 / table["printed"], table["printed"])
    table["width"] = table["high"] - table["low"]
    table["excludes_1"] = table["low"] > 1
    table["printed_inside"] = (table["low"] <= printed) & (printed <= table["high"])
    columns = ["claim_id", "survey", "item", "kind", "numerator", "denominator", "printed", "direction", "estimate",
               "method", "low", "high", "width", "excludes_1", "printed_inside", "p_gt_1", "p_order_holds",
               "n_numerator", "n_denominator", "replicates_used", "location", "certainty"]
    table = table[columns]
    table.attrs["assumptions"] = {
        "survey": spec.survey, "replicates": replicates, "seed": seed_record(seed),
        "resampling": "within groups (stratified)" if stratified else "respondents with their group",
        "weighted": "weight" in sample.columns, "confidence": confidence,
        "analytic intervals": "two independent binomial proportions; with weights, Kish effective counts",
    }
    table.attrs["skipped"] = skipped
    return table


def sample_replicates(sample: pd.DataFrame, replicates: int, seed=None, *, stratified: bool = False,
                      group_column: str = "group", budget=None) -> ReplicateWeights:
    """The replicate weights :func:`bootstrap` uses for ``sample`` (same arguments, same draw).

    The sample's ``weight`` column (if any) is the base weight; ``stratified``
    resamples within the groups of ``group_column``; ``budget`` bounds the
    memory of one chunk. Export them for R with ``.to_csv(path)`` (streamed
    chunk by chunk).

    Examples
    --------
    >>> sample = pd.DataFrame({"group": ["high"] * 3 + ["under"] * 5, "weight": 2.0})
    >>> reps = sample_replicates(sample, 100, seed=1, stratified=True)
    >>> reps.counts[:, :3].sum(axis=1).tolist() == [3] * 100, float(reps.weights().max()) % 2
    (True, 0.0)
    """
    groups = sample[group_column].to_numpy() if stratified else None
    return replicate_weights(len(sample), replicates, seed=seed, groups=groups, base=_base_weights(sample),
                             budget=budget)


def robustness_table(result: pd.DataFrame) -> pd.DataFrame:
    """One row per claim: printed value, estimate, and each method's interval side by side.

    Examples
    --------
    >>> sample = pd.DataFrame({"group": ["high"] * 40 + ["under"] * 80,
    ...                        "excel_engage_at_scale": [1] * 36 + [0] * 4 + [1] * 16 + [0] * 64})
    >>> wide = robustness_table(bootstrap(sample, replicates=1000, seed=2, methods=["katz"]))
    >>> wide.columns.tolist()[:6]
    ['claim_id', 'item', 'printed', 'estimate', 'katz_low', 'katz_high']
    """
    keys = ["claim_id", "item", "printed", "estimate"]
    wide = result.pivot_table(index=keys, columns="method", values=["low", "high", "width", "excludes_1",
                                                                      "printed_inside"], aggfunc="first",
                              sort=False)
    methods = list(dict.fromkeys(result["method"]))
    ordered = [(v, m) for m in methods for v in ("low", "high", "width", "excludes_1", "printed_inside")]
    wide = wide[ordered]
    wide.columns = [f"{m}_{v}" for v, m in ordered]
    return wide.reset_index()


# -- design: which claims a sample can recompute ----------------------------------------

def _design(sample: pd.DataFrame, spec: SurveySpec, group_column: str):
    if not isinstance(sample, pd.DataFrame):
        raise ValueError("sample must be a pandas DataFrame, one row per respondent")
    if group_column not in sample.columns:
        raise ValueError(f"sample has no group column {group_column!r}")
    groups = sample[group_column].astype(str).to_numpy()
    claims = spec.claims[spec.claims["kind"].isin(["ratio", "anticipated_growth"])].copy()
    # a text sentence repeating a chart's multiplier is the same claim: keep the chart's row
    same = ["item", "numerator", "denominator", "printed"]
    claims = claims.sort_values("location", kind="stable").drop_duplicates(same).sort_index()
    skipped, keep = [], []
    cells: dict[tuple[str, str], int] = {}
    y_cols, m_cols = [], []

    def cell(item, group):
        if (item, group) not in cells:
            values = sample[item].to_numpy()
            if pd.isna(values).any() or not np.isin(values, (0, 1)).all():
                raise ValueError(f"sample column {item!r} must hold only 0 and 1 (no missing values)")
            member = np.ones(len(sample)) if group == ALL else (groups == group).astype(float)
            cells[(item, group)] = len(y_cols)
            y_cols.append(values.astype(float) * member)
            m_cols.append(member)
        return cells[(item, group)]

    num_idx, den_idx, order_cells, n_num, n_den = [], [], [], [], []
    for claim in claims.itertuples():
        if claim.kind == "ratio":
            needed = [claim.item]
            pair = [(claim.item, claim.numerator), (claim.item, claim.denominator)]
        else:
            needed = [claim.numerator, claim.denominator]
            pair = [(claim.numerator, claim.group), (claim.denominator, claim.group)]
        missing = [c for c in needed if not c or c not in sample.columns]
        if missing:
            skipped.append((claim.claim_id, claim.item,
                            "no percentages published" if not claim.item else f"sample has no column {missing[0]!r}"))
            continue
        empty = [g for _, g in pair if g != ALL and not (groups == g).any()]
        if empty:
            skipped.append((claim.claim_id, claim.item, f"group {empty[0]!r} has no respondents"))
            continue
        keep.append(claim.Index)
        num_idx.append(cell(*pair[0]))
        den_idx.append(cell(*pair[1]))
        present = [g for g in spec.groups if (groups == g).any()]
        order_cells.append([cell(claim.item, g) for g in present]
                           if claim.kind == "ratio" and len(present) == len(spec.groups) else None)
        n_num.append(int((groups == pair[0][1]).sum()) if pair[0][1] != ALL else len(sample))
        n_den.append(int((groups == pair[1][1]).sum()) if pair[1][1] != ALL else len(sample))
    chosen = claims.loc[keep, ["claim_id", "survey", "item", "kind", "numerator", "denominator", "printed",
                               "direction", "location", "certainty"]].reset_index(drop=True)
    chosen["n_numerator"], chosen["n_denominator"] = n_num, n_den
    n = len(sample)
    y = np.column_stack(y_cols) if y_cols else np.zeros((n, 0))
    member = np.column_stack(m_cols) if m_cols else np.zeros((n, 0))
    skipped = pd.DataFrame(skipped, columns=["claim_id", "item", "reason"])
    return _Design(chosen, np.array(num_idx, dtype=int), np.array(den_idx, dtype=int), order_cells, y, member), skipped


def _drop_undefined(design: _Design, point, skipped):
    """Claims whose full-sample denominator share is 0 have no finite ratio: skip them, loudly."""
    bad = point[design.denominator] == 0
    if not bad.any():
        return design, point, skipped
    dropped = design.claims.loc[bad]
    warnings.warn(f"{bad.sum()} claim(s) skipped because the denominator percentage is 0 in the sample: "
                  + ", ".join(dropped["claim_id"]), BootstrapWarning, stacklevel=3)
    more = pd.DataFrame({"claim_id": dropped["claim_id"], "item": dropped["item"],
                         "reason": "denominator percentage is 0: the ratio is infinite"})
    keep = ~bad
    design = _Design(design.claims.loc[keep].reset_index(drop=True), design.numerator[keep],
                     design.denominator[keep], [c for c, k in zip(design.order_cells, keep) if k],
                     design.y, design.member)
    return design, point, pd.concat([skipped, more], ignore_index=True)


# -- estimates ------------------------------------------------------------------------

def _cell_shares(weights: np.ndarray, design: _Design) -> np.ndarray:
    """Weighted share of each cell for each row of ``weights`` (rows x cells)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (weights @ design.y) / (weights @ design.member)


def _replicate_shares(reps: ReplicateWeights, design: _Design, progress) -> np.ndarray:
    """Every cell's share in every replicate: one chunked product over the cells and the distinct groups."""
    # many cells share one group: multiply by each distinct membership column once
    groups, which = np.unique(design.member, axis=1, return_inverse=True)
    totals = reps.totals(np.hstack([design.y, groups]), progress=progress)
    cells = design.y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return totals[:, :cells] / totals[:, cells:][:, which.ravel()]


def _order_probability(shares, design):
    """Share of replicates in which the groups keep their published order (first > second > ...)."""
    out = np.full(len(design.claims), np.nan)
    for k, cells in enumerate(design.order_cells):
        if cells is None:
            continue
        p = shares[:, cells]
        ok = np.isfinite(p).all(axis=1)
        out[k] = np.mean(np.all(np.diff(p[ok], axis=1) < 0, axis=1))
    return out


def _warn_dropped(claims, dropped):
    if np.any(dropped > 0):
        worst = int(np.argmax(dropped))
        warnings.warn(f"{int((dropped > 0).sum())} claim(s) lost replicates with an empty group or a zero "
                      f"denominator (at most {int(dropped[worst])}, claim {claims['claim_id'].iloc[worst]}); "
                      "their intervals use the remaining replicates (see replicates_used)",
                      BootstrapWarning, stacklevel=3)


# -- intervals -----------------------------------------------------------------------

def _bootstrap_interval(method, ratios, estimate, alpha, base, design):
    ok = np.ones(len(estimate), dtype=bool)
    if method == "percentile":
        low, high = _nanquantile(ratios, alpha / 2), _nanquantile(ratios, 1 - alpha / 2)
    elif method == "basic":
        low = 2 * estimate - _nanquantile(ratios, 1 - alpha / 2)
        high = 2 * estimate - _nanquantile(ratios, alpha / 2)
    else:  # bca
        low, high = _bca(ratios, estimate, alpha, base, design)
        ok = np.isfinite(low) & np.isfinite(high)
    _warn_degenerate(ratios, design)
    return low, high, ok


def _nanquantile(ratios, q):
    return np.array([np.quantile(col[np.isfinite(col)], q) for col in ratios.T])


def _bca(ratios, estimate, alpha, base, design):
    """Efron's BCa, following scipy.stats.bootstrap (percentile of score, jackknife acceleration)."""
    b = np.isfinite(ratios).sum(axis=0)
    below = np.nansum(ratios < estimate, axis=0) + np.nansum(ratios <= estimate, axis=0)
    z0 = special.ndtri(below / (2 * b))
    a = _jackknife_acceleration(base, design)
    z = special.ndtri([alpha / 2, 1 - alpha / 2])
    lows, highs = np.full(len(estimate), np.nan), np.full(len(estimate), np.nan)
    unstable = []
    for k in range(len(estimate)):
        if not np.isfinite(z0[k]) or not np.isfinite(a[k]):
            unstable.append(k)
            continue
        levels = special.ndtr(z0[k] + (z0[k] + z) / (1 - a[k] * (z0[k] + z)))
        col = ratios[:, k][np.isfinite(ratios[:, k])]
        if levels[0] < 1 / b[k] or levels[1] > 1 - 1 / b[k]:
            unstable.append(k)  # the adjusted level falls outside what B replicates can resolve
        lows[k], highs[k] = np.quantile(col, levels)
    if unstable:
        ids = design.claims["claim_id"].iloc[unstable]
        warnings.warn(f"BCa interval unstable or undefined for {len(unstable)} claim(s) ({', '.join(ids)}): "
                      "the bias correction is extreme for the number of replicates; use more replicates "
                      "or the percentile interval", BootstrapWarning, stacklevel=4)
    return lows, highs


def _jackknife_acceleration(base, design, chunk=20_000):
    """Acceleration of each claim from leave-one-out ratios, via running sums (no refits)."""
    w = base
    s_y, s_m = w @ design.y, w @ design.member
    num, den = design.numerator, design.denominator

    def loo(start, stop):
        wy = w[start:stop, None] * design.y[start:stop]
        wm = w[start:stop, None] * design.member[start:stop]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = (s_y - wy) / (s_m - wm)
            return share[:, num] / share[:, den]

    n = len(w)
    total, count = np.zeros(len(num)), np.zeros(len(num))
    for start in range(0, n, chunk):
        theta = loo(start, min(start + chunk, n))
        total += np.nansum(theta, axis=0)
        count += np.isfinite(theta).sum(axis=0)
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
    """Max-|t| band on the log scale: covers every claim at once with probability ``confidence``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(ratios)
        centre = np.log(estimate)
    se = np.nanstd(logs, axis=0, ddof=1)
    ok = np.isfinite(centre) & (se > 0)
    if not ok.any():
        return np.full(len(estimate), np.nan), np.full(len(estimate), np.nan), ok
    t = np.abs(logs[:, ok] - centre[ok]) / se[ok]
    max_t = np.nanmax(np.where(np.isfinite(t), t, np.nan), axis=1)
    crit = np.quantile(max_t[np.isfinite(max_t)], confidence)
    low, high = np.full(len(estimate), np.nan), np.full(len(estimate), np.nan)
    low[ok], high[ok] = np.exp(centre[ok] - crit * se[ok]), np.exp(centre[ok] + crit * se[ok])
    if (~ok).any():
        warnings.warn(f"{int((~ok).sum())} claim(s) left out of the simultaneous band (ratio 0 or no "
                      "variation across replicates)", BootstrapWarning, stacklevel=4)
    return low, high, ok


def _analytic(method, point, base, design, sample, confidence):
    """Analytic interval per ratio claim from (effective) counts; not for anticipated growth."""
    ok = (design.claims["kind"] == "ratio").to_numpy().copy()
    w = base
    s_m = w @ design.member
    s_m2 = (w**2) @ design.member
    n_eff = s_m**2 / s_m2  # Kish: equals the group size when unweighted
    p = point
    x1, n1 = p[design.numerator] * n_eff[design.numerator], n_eff[design.numerator]
    x2, n2 = p[design.denominator] * n_eff[design.denominator], n_eff[design.denominator]
    low, high = ANALYTIC_METHODS[method](x1, n1, x2, n2, confidence)
    ok &= np.isfinite(low) & ~np.isnan(high)
    return np.asarray(low, dtype=float), np.asarray(high, dtype=float), ok


def _warn_degenerate(ratios, design):
    spread = np.nanmax(ratios, axis=0) - np.nanmin(ratios, axis=0)
    if np.any(spread == 0):
        ids = design.claims.loc[spread == 0, "claim_id"]
        warnings.warn(f"every replicate gives the same ratio for {', '.join(ids)}: the interval has zero width",
                      BootstrapWarning, stacklevel=4)


# -- argument checks ------------------------------------------------------------------

def _check_methods(methods):
    if isinstance(methods, str):
        methods = [methods]
    methods = list(methods)
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        raise ValueError(f"methods must be some of {', '.join(METHODS)}; got {', '.join(map(repr, unknown or methods))}")
    return methods


def _check_replicates(replicates, confidence):
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    if isinstance(replicates, bool) or not isinstance(replicates, (int, np.integer)):
        raise ValueError(f"replicates must be a whole number, got {replicates!r}")
    needed = int(np.ceil(2 / (1 - confidence)))
    if replicates < needed:
        raise ValueError(f"replicates must be at least {needed} for a {confidence:.0%} interval, got {replicates}")
    if replicates < 1000:
        warnings.warn(f"{replicates} replicates: percentile and BCa limits are noisy below 1,000",
                      BootstrapWarning, stacklevel=3)
    return int(replicates)


def _nothing_to_estimate(sample, spec, skipped) -> str:
    """Why no claim is left: the sample's columns only when that is the reason."""
    no_column = skipped["reason"].str.startswith("sample has no column")
    published = skipped["reason"] != "no percentages published"
    if no_column[published].all():
        shown = ", ".join(map(str, sample.columns[:8])) + (", ..." if sample.shape[1] > 8 else "")
        return f"sample has no column for any claim of survey {spec.survey!r} (columns: {shown})"
    reasons = skipped["reason"].where(~no_column, "sample has no column for it")
    listed = "; ".join(f"{reason} ({count} claim{'s' * (count > 1)})"
                       for reason, count in reasons.value_counts(sort=False).items())
    return f"no claim of survey {spec.survey!r} can be recomputed from the sample: {listed}"


def _base_weights(sample):
    if "weight" not in sample.columns:
        return np.ones(len(sample))
    raw = sample["weight"]
    w = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(w) | (w <= 0)
    if bad.any():
        first = int(np.argmax(bad))
        # rows counted as in the catalogue's errors and a spreadsheet: the header is row 1
        raise ValueError(f"sample column 'weight' must be positive and finite: row {first + 2} "
                         f"(counting the header as row 1) is {raw.iloc[first]!r}"
                         + (f", and {int(bad.sum()) - 1} more row(s)" if bad.sum() > 1 else ""))
    return w
