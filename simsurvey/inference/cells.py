"""Claims as ratios of cells: which claims a sample can recompute, and the columns that recompute them.

A cell is one item's weighted share within one group (or the whole sample).
A two-group ratio claim is the ratio of two cells of one item; an
anticipated-growth claim the ratio of two items' cells within its group.
:func:`cell_plan` works out, once per survey spec, sample columns and groups
present, which claims are estimable and which cells they need (the same for
every such sample, so it is cached); :func:`sample_cells` and
:func:`cells_from` then build one sample's n x cells matrix.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simsurvey.catalog import cache
from simsurvey.catalog.load import ALL
from simsurvey.catalog.spec import SurveySpec
from simsurvey.inference.checks import NO_PERCENTAGES, group_codes

__all__ = ["ClaimCells", "CellPlan", "sample_cells", "cells_from", "cell_plan", "item_values", "claim_cells",
           "drop_undefined", "cell_shares"]


@dataclass(frozen=True)
class ClaimCells:
    """One sample's estimable claims as ratios of cells."""

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


@dataclass(frozen=True)
class CellPlan:
    """What a survey's claims need from a sample with these columns and groups: the same for every such sample."""

    claims: pd.DataFrame
    cells: list                   # (item, group) of every cell, in cell order
    numerator: np.ndarray
    denominator: np.ndarray
    order_cells: list
    numerator_groups: list
    denominator_groups: list
    skipped: list                 # (claim_id, item, reason) of every claim it leaves out
    used: list                    # distinct groups of the cells, in cell order
    cell_group: np.ndarray        # per cell: its group's position in ``used``
    items: list                   # distinct items of the cells, in cell order
    cell_item: np.ndarray         # per cell: its item's position in ``items``
    skipped_table: pd.DataFrame = None  # ``skipped`` as a table: claim_id, item, reason
    tables: dict = field(default_factory=dict, compare=False)  # group counts -> claims table with them


def sample_cells(sample: pd.DataFrame, spec: SurveySpec, group_column: str, groups=None):
    """Which claims ``sample`` can recompute (as ratios of cells), and every other claim with the reason.

    ``groups`` is the group column as ``(codes, labels)`` when already read
    (:func:`simsurvey.inference.checks.check_groups` returns it). Returns
    ``(cells, skipped)``: a :class:`ClaimCells` and a DataFrame
    ``claim_id, item, reason``.
    """
    sample = pd.DataFrame(sample, copy=False)  # the same columns without attrs, which every column read would copy
    codes, labels = groups if groups is not None else group_codes(sample[group_column])
    plan = cell_plan(spec, tuple(sample.columns), frozenset(labels))
    return cells_from(plan, item_values(sample, plan.items), codes, labels)


def cells_from(plan: CellPlan, values: np.ndarray, codes: np.ndarray, labels) -> tuple:
    """:func:`sample_cells` from arrays: the sample's ``plan.items`` columns (n x items, checked 0/1) and its
    groups as ``codes`` into ``labels``."""
    n = len(codes)
    code_of = {label: k for k, label in enumerate(labels)}
    sizes = dict(zip(labels, np.bincount(codes, minlength=len(labels)).tolist()))
    member = np.empty((n, len(plan.used)))
    for j, group in enumerate(plan.used):
        member[:, j] = 1.0 if group == ALL else (codes == code_of[group])
    y = np.empty((n, len(plan.cells)))  # C order: the products' rounding depends on the layout
    for start in range(0, n, _ROWS):  # by blocks of rows: no second n x cells temporary for a large sample
        rows = slice(start, start + _ROWS)
        np.multiply(values[rows][:, plan.cell_item], member[rows][:, plan.cell_group], out=y[rows])
    counts = (tuple(n if g == ALL else sizes[g] for g in plan.numerator_groups),
              tuple(n if g == ALL else sizes[g] for g in plan.denominator_groups))
    if counts not in plan.tables:  # the same sample sizes again (a loop, a coverage study): the same table
        if len(plan.tables) >= 64:
            plan.tables.pop(next(iter(plan.tables)))
        chosen = plan.claims.copy()
        chosen["n_numerator"], chosen["n_denominator"] = list(counts[0]), list(counts[1])
        plan.tables[counts] = chosen
    # both tables are shared and read-only: every later step that changes them builds a new one
    return (ClaimCells(plan.tables[counts], plan.numerator, plan.denominator, plan.order_cells, y, member,
                       plan.cell_group), plan.skipped_table)


def item_values(sample: pd.DataFrame, items: list) -> np.ndarray:
    """The sample's ``items`` columns as one n x items array of 0 and 1, checked (float, or a byte each for a
    large sample)."""
    block = sample[items]
    numeric = all(isinstance(dtype, np.dtype) and dtype.kind in "biuf" for dtype in block.dtypes)
    if numeric and len(sample) * len(items) <= _SMALL:
        values = block.to_numpy(dtype=float)  # one read for every column (NaN stays NaN and fails below)
        bad = ((values != 0) & (values != 1)).any(axis=0)
    else:  # column by column, kept as bytes: no n x items float copy of a large sample
        values = np.empty((len(sample), len(items)), dtype=np.uint8)
        bad = np.zeros(len(items), dtype=bool)
        for j, item in enumerate(items):
            column = block[item].to_numpy()
            bad[j] = pd.isna(column).any() or not ((column == 0) | (column == 1)).all()
            if not bad[j]:
                values[:, j] = column
    if bad.any():
        raise ValueError(f"sample column {items[int(np.argmax(bad))]!r} must hold only 0 and 1 (no missing values)")
    return values


_PLANS: dict = {}
_ROWS = 2**16          # rows of the cell matrix filled at a time
_SMALL = 2**22         # item values (respondents x items) read in one block up to this many


def cell_plan(spec: SurveySpec, columns: tuple, present: frozenset) -> CellPlan:
    """The claims a sample with ``columns`` and groups ``present`` can recompute; reused for equal specs."""
    if cache.holds(spec):  # the catalogue cache's own spec never changes: its identity keys it (the entry keeps
        key = (id(spec), columns, present)  # the spec alive, so no other object can take that identity)
    else:  # the tables' content (pickled: exact, and cheap for tables this size) keys the cache
        key = (spec.survey, spec.groups, columns, present, pickle.dumps(spec.claims), pickle.dumps(spec.figures))
    if key not in _PLANS:
        if len(_PLANS) >= 32:  # a coverage study or a grid reuses a few plans many times; keep a handful
            _PLANS.pop(next(iter(_PLANS)))
        _PLANS[key] = spec, _make_plan(spec, set(columns), present)
    return _PLANS[key][1]


def _make_plan(spec: SurveySpec, columns: set, present: frozenset) -> CellPlan:
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
    cells = list(cells)
    used = list(dict.fromkeys(group for _, group in cells))  # distinct groups, in cell order
    items = list(dict.fromkeys(item for item, _ in cells))   # distinct items, in cell order
    return CellPlan(chosen, cells, np.array(num_idx, dtype=int), np.array(den_idx, dtype=int), order_cells,
                    num_groups, den_groups, skipped, used, np.array([used.index(g) for _, g in cells], dtype=int),
                    items, np.array([items.index(i) for i, _ in cells], dtype=int),
                    pd.DataFrame(skipped, columns=["claim_id", "item", "reason"]))


def claim_cells(claim) -> list[tuple[str, str]]:
    """The claim's numerator and denominator as (item, group) cells: the one definition of what it estimates.

    A ``ratio`` compares one item in two groups; an ``anticipated_growth``
    claim two items within its own group (``all`` for the whole sample).
    """
    if claim.kind == "ratio":
        return [(claim.item, claim.numerator), (claim.item, claim.denominator)]
    return [(claim.numerator, claim.group), (claim.denominator, claim.group)]


def drop_undefined(cells: ClaimCells, point, skipped):
    """Claims whose full-sample denominator share is 0 have no finite ratio: skip them, loudly."""
    bad = point[cells.denominator] == 0
    if not bad.any():
        return cells, point, skipped
    dropped = cells.claims.loc[bad]
    more = pd.DataFrame({"claim_id": dropped["claim_id"], "item": dropped["item"],
                         "reason": "denominator percentage is 0: the ratio is infinite"})
    keep = ~bad
    cells = ClaimCells(cells.claims.loc[keep].reset_index(drop=True), cells.numerator[keep],
                       cells.denominator[keep], [c for c, k in zip(cells.order_cells, keep) if k],
                       cells.y, cells.groups, cells.cell_group)
    return cells, point, pd.concat([skipped, more], ignore_index=True)


def cell_shares(weights: np.ndarray, cells: ClaimCells) -> np.ndarray:
    """Weighted share of each cell for each row of ``weights`` (rows x cells)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (weights @ cells.y) / (weights @ cells.groups)[..., cells.cell_group]


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
