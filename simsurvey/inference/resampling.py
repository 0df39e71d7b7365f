"""Intervals for every published multiplier, from one matrix of replicate weights.

A claim such as "5.7x more likely" is the ratio of two group percentages of
one item. :func:`bootstrap` recomputes every estimable claim of a survey from
a respondent-level sample (synthetic or real), then gives each an interval by
several methods:

bootstrap (from B replicate weights, see :mod:`simsurvey.inference.replicates`)
    ``percentile``, ``basic`` (on the log scale, so never negative), ``bca``
    (bias-corrected and accelerated, with the jackknife acceleration computed
    from running sums, not by refitting), and ``simultaneous`` (max-|t| on
    the log scale over the whole family of claims, calibrated on the
    replicates to hold for all claims at once, the honest one when a report
    highlights its largest ratios; see :mod:`simsurvey.inference.intervals`
    for exactly what it guarantees);
analytic (see :mod:`simsurvey.inference.analytic`)
    ``katz``, ``koopman``, ``mover_wilson`` for ratios of two groups; with
    varying weights, from the design-based (linearization) variance.

Every replicate's percentages for every item and group come out of one matrix
product ``W @ Y`` (W: B x n replicate weights, Y: n x cells indicator
columns), so 10,000 replicates of a whole report take a fraction of a second.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simsurvey.catalog.load import Catalog
from simsurvey.inference.analytic import ANALYTIC_METHODS
from simsurvey.inference.cells import ClaimCells, cell_shares, drop_undefined, sample_cells
from simsurvey.inference.checks import base_weights, check_groups, check_methods, check_replicates, nothing_to_estimate
from simsurvey.inference.intervals import (RatioTally, analytic_interval, jackknife_acceleration, quantile_levels,
                                          replicate_intervals)
from simsurvey.inference.notices import BootstrapWarning, SkippedClaimWarning, skipped_records, warn_skipped
from simsurvey.inference.quantiles import TailValues
from simsurvey.inference.replicates import ReplicateWeights, replicate_weights
from simsurvey.catalog.spec import SurveySpec
from simsurvey.forensics.resolve import ResolvedSurvey, resolved_claims
from simsurvey.weighting.replicates import bootstrap_reweighting, reweighted_shares, variance_deff
from simsurvey.seeds import as_seed_sequence, seed_record

__all__ = ["bootstrap", "sample_replicates", "robustness_table", "BootstrapWarning", "SkippedClaimWarning",
           "BOOTSTRAP_METHODS", "METHODS"]

BOOTSTRAP_METHODS = ("percentile", "basic", "bca", "simultaneous")
METHODS = BOOTSTRAP_METHODS + tuple(ANALYTIC_METHODS)


def bootstrap(sample: pd.DataFrame, survey: str | SurveySpec | ResolvedSurvey = "sos-smb-2016",
              replicates: int = 10_000,
              seed=None, methods=METHODS, *, confidence: float = 0.95, stratified: bool = False,
              catalog: Catalog | None = None, group_column: str = "group",
              progress: bool | None = None, budget=None, reweight=None) -> pd.DataFrame:
    """Interval estimates for every published multiplier a sample can recompute.

    Parameters
    ----------
    sample : pandas.DataFrame
        One row per respondent: a group column, one 0/1 column per item
        (named by the catalogue's item id) and optionally ``weight``.
    survey : str, SurveySpec or ResolvedSurvey
        Whose claims to recompute: the claims of :func:`simsurvey.resolve`
        (a survey id or spec is resolved once), scrambled charts re-paired; a
        claim whose pairing the chart solver leaves unresolved is skipped with
        a warning naming it.
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
    catalog : Catalog, str or Path, optional
        Where to find the claims: a loaded catalogue or its folder (default:
        the shipped catalogue).
    group_column : str
        Name of the group column.
    progress : bool, optional
        Show a progress bar; default: only when stderr is a terminal.
    budget : int or str, optional
        Memory for one chunk of replicates (bytes, or e.g. ``"512MB"``); default
        ``SIMSURVEY_MEMORY_BUDGET`` or 256 MiB (:func:`simsurvey.inference.replicates.memory_budget`).
        Peak memory follows it, not B; the numbers do not depend on it.
    reweight : mapping, optional
        Population margins ``{column: {category: share or total}}``: the
        sample's weights are raked to them (:func:`simsurvey.rake`), and so is
        every replicate, so the intervals carry the variance weighting adds;
        ``deff_weighting`` is each multiplier's replicate variance with
        re-raking over its variance without, and ``weighting`` states the
        weighting (or, for a survey the catalogue records as weighted, that
        the interval leaves it out). Analytic intervals and the BCa
        acceleration use the raked full-sample weights without re-raking.

    Returns
    -------
    pandas.DataFrame
        One row per claim and method, every method for every claim:
        ``claim_id, survey, item, kind, numerator, denominator, printed,
        direction, estimate, method, low, high, width, reason, excludes_1,
        printed_inside, share_above_1, share_in_order, n_numerator,
        n_denominator, replicates_used, location, certainty, deff_weighting,
        weighting``.

        - ``low``/``high``: the interval, never negative (a ratio's); NaN
          where the method gives none, and ``reason`` says why (empty otherwise).
        - ``excludes_1``: the interval lies wholly above or wholly below 1.
        - ``printed_inside``: the printed multiplier (``1 / printed`` for a
          "less likely" claim) lies in the interval.
        - ``share_above_1``: the share of usable replicates whose ratio is
          above 1 (a bootstrap share, not a probability that the claim is true).
        - ``share_in_order``: the share of replicates in which the groups keep
          the order the report's printed percentages for the item show (NaN
          where they show none: a tie, or a group without a printed figure).

        ``attrs`` holds plain values only, so the table survives ``pd.concat``
        and copies: ``attrs["assumptions"]`` states the resampling design and
        the seed (pass it back to replay); ``attrs["skipped"]`` lists every
        claim without rows as ``{"claim_id", "item", "reason"}``.

    Raises
    ------
    ValueError
        When a group label of the sample is none of the survey's groups (the
        message lists both), when a respondent has no group, or when no claim
        can be recomputed.

    Warns
    -----
    SkippedClaimWarning
        Naming every claim that has no rows and why (no percentages published,
        no column, a group without respondents, a zero denominator).
    BootstrapWarning
        When replicates are dropped for a claim (an empty group or a zero
        denominator in a replicate), or when a BCa interval is unstable.

    Examples
    --------
    >>> sample = pd.DataFrame({"group": ["high"] * 40 + ["under"] * 80,
    ...                        "excel_engage_at_scale": [1] * 36 + [0] * 4 + [1] * 16 + [0] * 64})
    >>> import warnings; warnings.simplefilter("ignore", SkippedClaimWarning)  # the sample has one item of 40
    >>> res = bootstrap(sample, replicates=2000, seed=1, methods=["percentile", "katz"])
    >>> res[["item", "estimate", "method"]].round(2).values.tolist()
    [['excel_engage_at_scale', 4.5, 'percentile'], ['excel_engage_at_scale', 4.5, 'katz']]
    >>> len(res.attrs["skipped"]), res.attrs["skipped"][-1]
    (39, {'claim_id': 'sos-smb-2016#40', 'item': 'budget_next_increased', 'reason': "sample has no column 'budget_next_increased'"})
    """
    # re-paired claims (unresolved ones are skipped below, loudly); for an id, the cache's own objects: read only
    resolved, spec = resolved_claims(survey, catalog)
    methods = check_methods(methods, METHODS)
    replicates = check_replicates(replicates, confidence)
    groups = check_groups(sample, spec, group_column)
    base = base_weights(sample)
    seed = as_seed_sequence(seed)  # recorded whole (spawn key too), so the seed replays the table
    reps = sample_replicates(sample, replicates, seed, stratified=stratified, group_column=group_column,
                             budget=budget)
    # the replicates do not depend on the claims: drawing starts while the cells are worked out
    early = reps.draw_early() if reweight is None else None
    try:
        design, skipped = sample_cells(sample, spec, group_column, groups)
        skipped = skip_unresolved(resolved, skipped)
        if design.claims.empty:
            raise ValueError(nothing_to_estimate(sample, spec, skipped))
        reweigh, caveat = bootstrap_reweighting(sample, reweight, base, spec.survey, catalog)
        if reweigh is not None:
            base = reweigh(base[None, :])[0]  # the raked weights give the estimate
        result = _estimate(design, skipped, base, reps, methods, confidence, progress=progress,
                           reweigh=reweigh, caveat=caveat, early=early)
    finally:
        if early is not None:
            early.close()
    design, skipped = result.cells, result.skipped
    if design.claims.empty:
        raise ValueError(nothing_to_estimate(sample, spec, skipped))
    table = _with_promises(design.claims, result.per_claim, methods, result.intervals)
    table.attrs["assumptions"] = {
        "survey": spec.survey, "replicates": replicates, "seed": seed_record(seed),
        "resampling": "within groups (stratified)" if stratified else "respondents with their group",
        "weighted": bool(np.ptp(base) > 0), "confidence": confidence,
        "analytic intervals": ("two independent binomial proportions; with varying weights, the design-based "
                               "(linearization) variance of each weighted share"),
        "simultaneous": (f"holds every claim at once in {confidence:.0%} of the replicates; family-wise coverage "
                         "of the true ratios is that level asymptotically"),
    }
    if reweigh is not None:
        table.attrs["assumptions"]["reweight"] = reweigh.margin_names
    table.attrs["skipped"] = skipped_records(skipped)
    warn_skipped(table.attrs["skipped"], "bootstrap result")
    return table


_COLUMNS = ["claim_id", "survey", "item", "kind", "numerator", "denominator", "printed", "direction", "estimate",
            "method", "low", "high", "width", "reason", "excludes_1", "printed_inside", "share_above_1",
            "share_in_order", "n_numerator", "n_denominator", "replicates_used", "location", "certainty",
            "deff_weighting", "weighting"]


def _with_promises(claims: pd.DataFrame, per_claim: dict, methods, intervals) -> pd.DataFrame:
    """The result table, one block of claims per method, built once from arrays.

    Adds the width and the yes/no columns: NA (not False) where there is no interval to ask.
    """
    columns, printed, repeat = _claim_block(claims, tuple(methods))
    low = np.concatenate([i[0] for i in intervals])
    high = np.concatenate([i[1] for i in intervals])
    has = ~(np.isnan(low) | np.isnan(high))
    columns = dict(columns)
    columns.update({name: np.asarray(value)[repeat] if np.ndim(value) else np.full(len(repeat), value)
                    for name, value in per_claim.items()})
    columns.update({
        "low": low, "high": high, "width": high - low,
        "reason": np.concatenate([i[2] for i in intervals]),
        "excludes_1": pd.arrays.BooleanArray((low > 1) | (high < 1), ~has),
        "printed_inside": pd.arrays.BooleanArray((low <= printed) & (printed <= high), ~has)})
    return pd.DataFrame(columns, columns=_COLUMNS)


def _claim_block(claims: pd.DataFrame, methods: tuple):
    """The claims' columns and the method column, one block of claims per method; the printed multiplier
    as the interval sees it (``1 / printed`` for "less likely"); the row of each claim.

    Kept for the claims tables the cell plans share (never changed): a bootstrap in a loop builds them once.
    """
    key = id(claims), methods
    if key not in _BLOCKS:  # the entry keeps the claims alive: no other table can take their identity
        if len(_BLOCKS) >= 16:
            _BLOCKS.pop(next(iter(_BLOCKS)))
        k, repeat = len(claims), np.tile(np.arange(len(claims)), len(methods))
        printed = claims["printed"].to_numpy(dtype=float)
        printed = np.where((claims["direction"] == "less").to_numpy(), 1 / printed, printed)[repeat]
        columns = {name: claims[name].array.take(repeat) for name in claims.columns}
        columns["method"] = pd.array(np.repeat(np.array(methods, dtype=object), k), dtype="str")
        _BLOCKS[key] = claims, columns, printed, repeat
    return _BLOCKS[key][1:]


_BLOCKS: dict = {}


def skip_unresolved(resolved: ResolvedSurvey, skipped: pd.DataFrame) -> pd.DataFrame:
    """Claims the chart solver could not pin down are never estimated as if paired: record them as
    skipped (the warning at the end names each one)."""
    if not (resolved.claims["pairing"].to_numpy() == "unresolved").any():  # the usual case, quickly
        return skipped
    more = unresolved_claims(resolved)
    return skipped if more.empty else pd.concat([skipped, more], ignore_index=True)


def unresolved_claims(resolved: ResolvedSurvey) -> pd.DataFrame:
    """``claim_id, item, reason`` of every estimable claim left unresolved by the chart solver."""
    c = resolved.claims
    kinds = np.isin(c["kind"].to_numpy(), ["ratio", "anticipated_growth"])
    c = c[(c["pairing"].to_numpy() == "unresolved") & kinds]
    return pd.DataFrame({"claim_id": c["claim_id"], "item": c["item"],
                         "reason": "scrambled chart whose pairing the chart solver leaves unresolved"})


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
    return replicate_weights(len(sample), replicates, seed=seed, groups=groups, base=base_weights(sample),
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


# -- estimates ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Estimates:
    """What :func:`bootstrap` tabulates: the claims left, the skipped ones, per-claim values, one interval
    triple ``(low, high, reason)`` per method (no claims left: ``per_claim`` and ``intervals`` are None)."""

    cells: ClaimCells
    skipped: pd.DataFrame
    per_claim: dict | None
    intervals: list | None


def _estimate(cells: ClaimCells, skipped, base, reps: ReplicateWeights, methods, confidence, *, progress=None,
              reweigh=None, caveat: str = "", early=None) -> _Estimates:
    """Every claim's estimate (weights ``base``) and its interval by each method, from the replicates ``reps``."""
    point = cell_shares(base[None, :], cells)[0]
    cells, point, skipped = drop_undefined(cells, point, skipped)
    if cells.claims.empty:
        return _Estimates(cells, skipped, None, None)
    # what does not need the replicates comes first: it overlaps the drawing started early
    acceleration = jackknife_acceleration(base, cells) if "bca" in methods else None
    analytic = {m: analytic_interval(m, point, base, cells, confidence) for m in methods if m in ANALYTIC_METHODS}
    estimate = point[cells.numerator] / point[cells.denominator]
    replicated = [m for m in methods if m not in ANALYTIC_METHODS]
    if reweigh is None:
        ratios, in_order, tally, tails = _replicated(
            reps, cells, estimate, progress, early,
            levels=lambda so_far: quantile_levels(replicated, so_far, confidence, acceleration)[0])
    else:
        shares, plain = reweighted_shares(reps, reweigh, cells.y, cells.member)
        ratios, in_order = _ratios(shares, cells), _OrderCounts(cells)
        in_order.add(shares)
        tally, tails = RatioTally.of(ratios, estimate), None
    valid = tally.valid
    _warn_dropped(cells.claims, reps.replicates - valid)
    with np.errstate(divide="ignore", invalid="ignore"):
        above = tally.above_1 / valid  # of the valid replicates only
    per_claim = {"estimate": estimate, "share_above_1": above, "share_in_order": in_order.shares(),
                 "replicates_used": valid,
                 "deff_weighting": np.nan if reweigh is None else variance_deff(ratios, _ratios(plain, cells)),
                 "weighting": caveat}
    by_method = replicate_intervals(replicated, ratios, estimate, confidence, cells, base,
                                    acceleration=acceleration, tally=tally, tails=tails)
    by_method.update(analytic)
    intervals = [by_method[m] for m in methods]
    return _Estimates(cells, skipped, per_claim, intervals)


def _ratios(shares, design):
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = shares[:, design.numerator] / shares[:, design.denominator]
    ratios[~np.isfinite(ratios)] = np.nan
    return ratios


def _replicated(reps: ReplicateWeights, design: ClaimCells, estimate, progress, early=None, levels=None):
    """Every claim's ratio in every replicate, the printed-order counts, the ratios' tally and their tails.

    One chunked product over the cells and the distinct groups; each chunk's
    totals become shares, ratios and counts as soon as they are made, while
    the next chunk is drawn, so only the B x claims ratios are kept. With
    ``levels`` (a tally -> expected quantile levels), the values beyond cuts
    near either end of each claim's replicates are gathered too, once an
    eighth of the replicates place the cuts. Returns ``(ratios, order counts,
    RatioTally, TailValues or None)``.
    """
    cells = design.y.shape[1]
    # column-major, as _ratios makes it from whole arrays: the interval methods' sums over replicates then
    # add in the same order (their rounding depends on the layout)
    ratios = np.empty((reps.replicates, len(design.numerator)), order="F")
    in_order, tally, tails = _OrderCounts(design), RatioTally(estimate), None
    gather = levels is not None and reps.replicates > _SELECT_WHOLE
    # the cells' totals and each distinct group's size once
    for start, totals in reps.chunk_totals(design.y, design.groups, progress=progress, early=early):
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = totals[:, :cells] / totals[:, cells:][:, design.cell_group]
        stop = start + len(totals)
        rows = ratios[start:stop]
        rows[:] = _ratios(shares, design)
        in_order.add(shares)
        tally.add(rows)
        if tails is not None:
            tails.add(rows)
        elif gather and stop * 8 >= reps.replicates:
            expected = levels(tally)
            gather = expected.shape[1] > 0  # no method reads a quantile: nothing to gather
            tails = TailValues(ratios[:stop], expected, reps.replicates) if gather else None
    return ratios, in_order, tally, tails


_SELECT_WHOLE = 4096  # up to this many replicates the quantiles are read from the whole columns at the end


class _OrderCounts:
    """Replicates in which the groups keep the printed order (first > second > ...), counted chunk by chunk.

    Claims of one item share their order: each distinct order is counted once,
    all orders of as many groups in one pass.
    """

    def __init__(self, design: ClaimCells):
        self.claims = len(design.claims)
        orders: dict = {}
        for k, cells in enumerate(design.order_cells):
            if cells is not None:
                orders.setdefault(tuple(cells), []).append(k)
        self.groups = []  # (cells: orders x groups, the claims of each order, kept, usable)
        for size in sorted({len(cells) for cells in orders}):
            same = [cells for cells in orders if len(cells) == size]
            self.groups.append((np.array(same), [orders[cells] for cells in same], np.zeros(len(same), dtype=int),
                                np.zeros(len(same), dtype=int)))

    def add(self, shares):
        """Count the replicates (rows of ``shares``) that keep each order, and those that define it."""
        for cells, _, kept, usable in self.groups:
            p = shares[:, cells]                                   # rows x orders x groups
            ok = np.isfinite(p).all(axis=2)
            kept += ((np.diff(p, axis=2) < 0).all(axis=2) & ok).sum(axis=0)
            usable += ok.sum(axis=0)

    def shares(self) -> np.ndarray:
        """Per claim: the share of the replicates defining its order that keep it (NaN without an order)."""
        out = np.full(self.claims, np.nan)
        for _, claims, kept, usable in self.groups:
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(usable > 0, kept / usable, np.nan)
            for rows, value in zip(claims, share):
                out[rows] = value
        return out


def _warn_dropped(claims, dropped):
    if np.any(dropped > 0):
        worst = int(np.argmax(dropped))
        warnings.warn(f"{int((dropped > 0).sum())} claim(s) lost replicates with an empty group or a zero "
                      f"denominator (at most {int(dropped[worst])}, claim {claims['claim_id'].iloc[worst]}); "
                      "their intervals use the remaining replicates (see replicates_used)",
                      BootstrapWarning, stacklevel=4)
