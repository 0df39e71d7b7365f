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

import pickle
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simsurvey.catalog.load import ALL, Catalog
from simsurvey.inference.analytic import ANALYTIC_METHODS
from simsurvey.inference.checks import (NO_PERCENTAGES, base_weights, check_groups, check_methods, check_replicates,
                                        nothing_to_estimate)
from simsurvey.inference.intervals import analytic_interval, replicate_intervals
from simsurvey.inference.notices import BootstrapWarning, SkippedClaimWarning, skipped_records, warn_skipped
from simsurvey.inference.replicates import ReplicateWeights, replicate_weights
from simsurvey.catalog.spec import SurveySpec
from simsurvey.forensics.resolve import ResolvedSurvey, resolve
from simsurvey.weighting.replicates import bootstrap_reweighting, reweighted_shares, variance_deff
from simsurvey.seeds import as_seed_sequence, seed_record

__all__ = ["bootstrap", "sample_replicates", "robustness_table", "BootstrapWarning", "SkippedClaimWarning",
           "BOOTSTRAP_METHODS", "METHODS"]

BOOTSTRAP_METHODS = ("percentile", "basic", "bca", "simultaneous")
METHODS = BOOTSTRAP_METHODS + tuple(ANALYTIC_METHODS)


@dataclass(frozen=True)
class _Design:
    """Claims as ratios of cells; a cell is one item's weighted share within one group."""

    claims: pd.DataFrame          # one row per estimable claim
    numerator: np.ndarray         # cell index of each claim's numerator
    denominator: np.ndarray       # cell index of each claim's denominator
    order_cells: list             # per claim: cell indices of every group, in group order (or None)
    y: np.ndarray                 # n x cells: item value times group membership
    groups: np.ndarray            # n x groups: membership of each distinct group the cells use
    cell_group: np.ndarray        # per cell: its column of ``groups``

    @property
    def member(self) -> np.ndarray:
        """n x cells: group membership of each cell (built on use; the hot paths use ``groups`` directly)."""
        return self.groups[:, self.cell_group]


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
    resolved = resolve(survey, catalog)
    spec = resolved.claim_spec()  # re-paired claims; unresolved ones are skipped below, loudly
    methods = check_methods(methods, METHODS)
    replicates = check_replicates(replicates, confidence)
    check_groups(sample, spec, group_column)
    base = base_weights(sample)
    design, skipped = _design(sample, spec, group_column)
    skipped = _skip_unresolved(resolved, skipped)
    if design.claims.empty:
        raise ValueError(nothing_to_estimate(sample, spec, skipped))

    reweigh, caveat = bootstrap_reweighting(sample, reweight, base, spec.survey, catalog)
    if reweigh is not None:
        base = reweigh(base[None, :])[0]  # the raked weights give the estimate
    point = _cell_shares(base[None, :], design)[0]
    design, point, skipped = _drop_undefined(design, point, skipped)
    if design.claims.empty:
        raise ValueError(nothing_to_estimate(sample, spec, skipped))
    seed = as_seed_sequence(seed)  # recorded whole (spawn key too), so the seed replays the table
    reps = sample_replicates(sample, replicates, seed, stratified=stratified, group_column=group_column,
                             budget=budget)
    if reweigh is None:
        shares = _replicate_shares(reps, design, progress)
    else:
        shares, plain = reweighted_shares(reps, reweigh, design.y, design.member)

    estimate = point[design.numerator] / point[design.denominator]
    ratios = _ratios(shares, design)
    valid = np.isfinite(ratios).sum(axis=0)
    _warn_dropped(design.claims, replicates - valid)

    with np.errstate(divide="ignore", invalid="ignore"):
        above = (ratios > 1).sum(axis=0) / valid  # NaN > 1 is False: divide by the valid replicates only
    per_claim = {"estimate": estimate, "share_above_1": above, "share_in_order": _order_share(shares, design),
                 "replicates_used": valid,
                 "deff_weighting": np.nan if reweigh is None else variance_deff(ratios, _ratios(plain, design)),
                 "weighting": caveat}
    replicated = replicate_intervals([m for m in methods if m not in ANALYTIC_METHODS], ratios, estimate,
                                     confidence, design, base)
    intervals = [analytic_interval(m, point, base, design, confidence) if m in ANALYTIC_METHODS
                 else replicated[m] for m in methods]
    table = _with_promises(design.claims, per_claim, methods, intervals)
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
    k, repeat = len(claims), np.tile(np.arange(len(claims)), len(methods))
    low = np.concatenate([i[0] for i in intervals])
    high = np.concatenate([i[1] for i in intervals])
    has = ~(np.isnan(low) | np.isnan(high))
    printed = claims["printed"].to_numpy(dtype=float)
    printed = np.where((claims["direction"] == "less").to_numpy(), 1 / printed, printed)[repeat]
    columns = {name: claims[name].array.take(repeat) for name in claims.columns}
    columns.update({name: np.asarray(value)[repeat] if np.ndim(value) else np.full(len(repeat), value)
                    for name, value in per_claim.items()})
    columns.update({
        "method": np.repeat(np.array(methods, dtype=object), k), "low": low, "high": high, "width": high - low,
        "reason": np.concatenate([i[2] for i in intervals]),
        "excludes_1": pd.arrays.BooleanArray((low > 1) | (high < 1), ~has),
        "printed_inside": pd.arrays.BooleanArray((low <= printed) & (printed <= high), ~has)})
    return pd.DataFrame(columns, columns=_COLUMNS)


def _skip_unresolved(resolved: ResolvedSurvey, skipped: pd.DataFrame) -> pd.DataFrame:
    """Claims the chart solver could not pin down are never estimated as if paired: record them as
    skipped (the warning at the end names each one)."""
    c = resolved.claims
    c = c[(c["pairing"] == "unresolved") & c["kind"].isin(["ratio", "anticipated_growth"])]
    if c.empty:
        return skipped
    more = pd.DataFrame({"claim_id": c["claim_id"], "item": c["item"],
                         "reason": "scrambled chart whose pairing the chart solver leaves unresolved"})
    return pd.concat([skipped, more], ignore_index=True)


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


# -- design: which claims a sample can recompute ----------------------------------------

def _design(sample: pd.DataFrame, spec: SurveySpec, group_column: str):
    """Which claims ``sample`` can recompute (as ratios of cells), and every other claim with the reason."""
    sample = pd.DataFrame(sample, copy=False)  # the same columns without attrs, which every column read would copy
    codes, labels = pd.factorize(sample[group_column].astype(str).to_numpy())
    code_of = {label: k for k, label in enumerate(labels)}
    sizes = dict(zip(labels, np.bincount(codes, minlength=len(labels)).tolist()))
    plan = _plan(spec, tuple(sample.columns), frozenset(labels))
    n = len(sample)
    used = list(dict.fromkeys(group for _, group in plan.cells))  # distinct groups, in cell order
    member = np.empty((n, len(used)))
    cell_group = np.array([used.index(group) for _, group in plan.cells], dtype=int)
    for j, group in enumerate(used):
        member[:, j] = 1.0 if group == ALL else (codes == code_of[group])
    items = list(dict.fromkeys(item for item, _ in plan.cells))
    column = {item: j for j, item in enumerate(items)}
    y = np.empty((n, len(plan.cells)))  # C order: the products' rounding depends on the layout
    np.multiply(_item_values(sample, items)[:, [column[item] for item, _ in plan.cells]], member[:, cell_group],
                out=y)
    chosen = plan.claims.copy()
    chosen["n_numerator"] = [n if g == ALL else sizes[g] for g in plan.numerator_groups]
    chosen["n_denominator"] = [n if g == ALL else sizes[g] for g in plan.denominator_groups]
    skipped = pd.DataFrame(plan.skipped, columns=["claim_id", "item", "reason"])
    return _Design(chosen, plan.numerator, plan.denominator, plan.order_cells, y, member, cell_group), skipped


def _item_values(sample: pd.DataFrame, items: list) -> np.ndarray:
    """The sample's ``items`` columns as one n x items float array, checked to hold only 0 and 1."""
    block = sample[items]
    if all(isinstance(dtype, np.dtype) and dtype.kind in "biuf" for dtype in block.dtypes):
        values = block.to_numpy(dtype=float)  # one read for every column (NaN stays NaN and fails below)
        bad = ((values != 0) & (values != 1)).any(axis=0)
    else:
        values = np.empty((len(sample), len(items)))
        bad = np.zeros(len(items), dtype=bool)
        for j, item in enumerate(items):
            column = block[item].to_numpy()
            bad[j] = pd.isna(column).any() or not ((column == 0) | (column == 1)).all()
            if not bad[j]:
                values[:, j] = column
    if bad.any():
        raise ValueError(f"sample column {items[int(np.argmax(bad))]!r} must hold only 0 and 1 (no missing values)")
    return values


@dataclass(frozen=True)
class _Plan:
    """What a survey's claims need from a sample with these columns and groups: the same for every such sample."""

    claims: pd.DataFrame
    cells: list                   # (item, group) of every cell, in cell order
    numerator: np.ndarray
    denominator: np.ndarray
    order_cells: list
    numerator_groups: list
    denominator_groups: list
    skipped: list


_PLANS: dict = {}


def _plan(spec: SurveySpec, columns: tuple, present: frozenset) -> _Plan:
    """The claims a sample with ``columns`` and groups ``present`` can recompute; reused for equal specs."""
    # the tables' content (pickled: exact, and cheap for tables this size) keys the cache
    key = (spec.survey, spec.groups, columns, present, pickle.dumps(spec.claims), pickle.dumps(spec.figures))
    if key not in _PLANS:
        if len(_PLANS) >= 32:  # a coverage study or a grid reuses a few plans many times; keep a handful
            _PLANS.pop(next(iter(_PLANS)))
        _PLANS[key] = _make_plan(spec, set(columns), present)
    return _PLANS[key]


def _make_plan(spec: SurveySpec, columns: set, present: frozenset) -> _Plan:
    skipped, keep = [], []
    estimable = spec.claims["kind"].isin(["ratio", "anticipated_growth"])
    for claim in spec.claims.loc[~estimable].itertuples():
        skipped.append((claim.claim_id, claim.item, f"kind {claim.kind!r} compares answer categories, "
                        "not groups or items of 0/1 columns: not estimable from a sample"))
    claims = spec.claims.loc[estimable]
    # a text sentence repeating a chart's multiplier is the same claim: keep the chart's row, name the other
    same = ["item", "numerator", "denominator", "group", "printed"]
    first = claims.sort_values("location", kind="stable").drop_duplicates(same)
    repeats = claims.drop(index=first.index)
    repeats = repeats[repeats["item"] != ""]
    chart_id = first.set_index(same)["claim_id"]
    for claim in repeats.itertuples():
        original = chart_id.loc[tuple(getattr(claim, c) for c in same)]
        skipped.append((claim.claim_id, claim.item,
                        f"repeats the chart's claim '{original}' (same multiplier): its rows stand for both"))
    claims = claims.drop(index=repeats.index)
    cells: dict[tuple[str, str], int] = {}

    def cell(item, group):
        return cells.setdefault((item, group), len(cells))

    num_idx, den_idx, order_cells, num_groups, den_groups = [], [], [], [], []
    for claim in claims.itertuples():
        pair = claim_cells(claim)
        needed = [claim.item] if claim.kind == "ratio" else [claim.numerator, claim.denominator]
        missing = [c for c in needed if not c or c not in columns]
        if missing:
            skipped.append((claim.claim_id, claim.item,
                            NO_PERCENTAGES if not claim.item else f"sample has no column {missing[0]!r}"))
            continue
        empty = [g for _, g in pair if g != ALL and g not in present]
        if empty:
            skipped.append((claim.claim_id, claim.item, f"group {empty[0]!r} has no respondents"))
            continue
        keep.append(claim.Index)
        num_idx.append(cell(*pair[0]))
        den_idx.append(cell(*pair[1]))
        order = _claimed_order(spec, claim)
        order_cells.append([cell(claim.item, g) for g in order]
                           if order and all(g in present for g in order) else None)
        num_groups.append(pair[0][1])
        den_groups.append(pair[1][1])
    chosen = claims.loc[keep, ["claim_id", "survey", "item", "kind", "numerator", "denominator", "printed",
                               "direction", "location", "certainty"]].reset_index(drop=True)
    return _Plan(chosen, list(cells), np.array(num_idx, dtype=int), np.array(den_idx, dtype=int), order_cells,
                 num_groups, den_groups, skipped)


def claim_cells(claim) -> list[tuple[str, str]]:
    """The claim's numerator and denominator as (item, group) cells: the one definition of what it estimates.

    A ``ratio`` compares one item in two groups; an ``anticipated_growth``
    claim two items within its own group (``all`` for the whole sample).
    """
    if claim.kind == "ratio":
        return [(claim.item, claim.numerator), (claim.item, claim.denominator)]
    return [(claim.numerator, claim.group), (claim.denominator, claim.group)]


def _drop_undefined(design: _Design, point, skipped):
    """Claims whose full-sample denominator share is 0 have no finite ratio: skip them, loudly."""
    bad = point[design.denominator] == 0
    if not bad.any():
        return design, point, skipped
    dropped = design.claims.loc[bad]
    more = pd.DataFrame({"claim_id": dropped["claim_id"], "item": dropped["item"],
                         "reason": "denominator percentage is 0: the ratio is infinite"})
    keep = ~bad
    design = _Design(design.claims.loc[keep].reset_index(drop=True), design.numerator[keep],
                     design.denominator[keep], [c for c, k in zip(design.order_cells, keep) if k],
                     design.y, design.groups, design.cell_group)
    return design, point, pd.concat([skipped, more], ignore_index=True)


# -- estimates ------------------------------------------------------------------------

def _cell_shares(weights: np.ndarray, design: _Design) -> np.ndarray:
    """Weighted share of each cell for each row of ``weights`` (rows x cells)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (weights @ design.y) / (weights @ design.groups)[..., design.cell_group]


def _ratios(shares, design):
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = shares[:, design.numerator] / shares[:, design.denominator]
    ratios[~np.isfinite(ratios)] = np.nan
    return ratios


def _replicate_shares(reps: ReplicateWeights, design: _Design, progress) -> np.ndarray:
    """Every cell's share in every replicate: one chunked product over the cells and the distinct groups."""
    cells = design.y.shape[1]
    totals = reps.totals(design.y, design.groups, progress=progress)  # each distinct group's size once
    with np.errstate(divide="ignore", invalid="ignore"):
        return totals[:, :cells] / totals[:, cells:][:, design.cell_group]


def _claimed_order(spec: SurveySpec, claim) -> list | None:
    """Groups from highest to lowest printed percentage of the claim's item: the order the report shows.

    None where the report shows no order: not a two-group ratio, fewer than
    two groups with a printed figure, or a tie in print.
    """
    if claim.kind != "ratio" or not claim.item:
        return None
    f = spec.figures[(spec.figures["item"] == claim.item) & (spec.figures["group"] != ALL)]
    f = f[f["group"].isin(spec.groups) & f["pct"].notna()]
    if len(f) < 2 or f["pct"].duplicated().any():
        return None
    return f.sort_values("pct", ascending=False)["group"].tolist()


def _order_share(shares, design):
    """Share of replicates in which the groups keep the printed order (first > second > ...).

    Claims of one item share their order: each distinct order is counted once,
    all orders of as many groups in one pass.
    """
    out = np.full(len(design.claims), np.nan)
    orders = {}
    for k, cells in enumerate(design.order_cells):
        if cells is not None:
            orders.setdefault(tuple(cells), []).append(k)
    for size in {len(cells) for cells in orders}:
        same = [cells for cells in orders if len(cells) == size]
        p = shares[:, np.array(same)]                          # B x orders x groups
        ok = np.isfinite(p).all(axis=2)
        kept = (np.diff(p, axis=2) < 0).all(axis=2) & ok
        used = ok.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(used > 0, kept.sum(axis=0) / used, np.nan)
        for cells, value in zip(same, share):
            out[orders[cells]] = value
    return out


def _warn_dropped(claims, dropped):
    if np.any(dropped > 0):
        worst = int(np.argmax(dropped))
        warnings.warn(f"{int((dropped > 0).sum())} claim(s) lost replicates with an empty group or a zero "
                      f"denominator (at most {int(dropped[worst])}, claim {claims['claim_id'].iloc[worst]}); "
                      "their intervals use the remaining replicates (see replicates_used)",
                      BootstrapWarning, stacklevel=3)
