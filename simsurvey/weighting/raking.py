"""Weights that make a sample match known population margins: :func:`rake` and :func:`poststratify`.

Raking (iterative proportional fitting) adjusts the weights until the weighted
sample has the target distribution on every margin at once: company size *and*
country, say, each with its own population shares. Post-stratification is the
one-margin case over the full cross-classification of its columns.

The results match R's survey package: ``rake()`` and
``calibrate(calfun = "raking")`` without bounds, ``calibrate(..., bounds =)``
with ``bounds``, and ``trimWeights(..., strict = TRUE)`` with ``trim``
(fixtures in ``tests/reference/``, agreement to 1e-8).
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simsurvey.weighting.cells import Cells, encode
from simsurvey.weighting.solver import RakingError, margin_gaps, onehots, rake_cells
from simsurvey.weighting.trimming import trim_weights

__all__ = ["rake", "poststratify", "WeightingResult", "WeightingWarning", "RakingError"]


class WeightingWarning(UserWarning):
    """The weights do not meet their targets as closely as asked (after trimming)."""


@dataclass(frozen=True)
class WeightingResult:
    """Weights for one sample, and how well they meet their targets.

    Attributes
    ----------
    weights : pandas.Series
        One weight per respondent, on the sample's index, named ``weight``
        (``sample.assign(weight=res.weights)``).
    margins : pandas.DataFrame
        One row per margin and category: ``margin, category, respondents,
        target, achieved, target_share, achieved_share, gap`` (gap in shares).
    iterations : int
        Sweeps over the margins until every gap was within ``tol``.
    trimmed : numpy.ndarray of bool
        Which respondents' weights were trimmed (all False without ``trim``).
    method : str
        ``rake`` or ``poststratify``.
    tol : float
        The tolerance asked for, as a share of the total.
    """

    weights: pd.Series
    margins: pd.DataFrame
    iterations: int
    trimmed: np.ndarray
    method: str
    tol: float

    @property
    def max_gap(self) -> float:
        """Largest difference between an achieved and a target share."""
        return float(self.margins["gap"].abs().max())


def rake(sample: pd.DataFrame, margins, base_weights=None, *, tol: float = 1e-10, max_iter: int = 1000,
         bounds=None, trim=None) -> WeightingResult:
    """Rake a sample's weights to population margins.

    Parameters
    ----------
    sample : pandas.DataFrame
        One row per respondent, with a column per weighting variable.
    margins : mapping
        ``{column: {category: target}}``, targets as shares (summing to 1) or
        as totals; a Series indexed by category works too. A key that is a
        tuple of columns is a margin over their combinations (categories are
        tuples). Every category of the sample needs a target and every target
        category with a positive target needs respondents.
    base_weights : None, str or array_like
        Design weights to start from: a column name or one positive, finite
        number per respondent (default: all 1).
    tol : float
        Stop when every achieved share is within ``tol`` of its target share.
    max_iter : int
        Sweeps over all margins before giving up (:class:`RakingError`).
    bounds : (float, float), optional
        Keep every adjustment factor ``weight / base_weight`` within
        ``[low, high]`` while still meeting the margins (R's
        ``calibrate(calfun = "raking", bounds = c(low, high))``).
    trim : (float or None, float or None), optional
        After raking, trim weights to ``[lower, upper]`` times the mean
        weight, sharing what was cut among the other weights so the total
        stays (R's ``trimWeights(strict = TRUE)``). The margins then move: a
        :class:`WeightingWarning` says by how much when more than ``tol``.

    Returns
    -------
    WeightingResult

    Raises
    ------
    RakingError
        No convergence (naming the margin and its worst gap) or bounds that
        exclude every solution.
    ValueError
        Bad input: a missing column or category, bad base weights (naming the
        row, counted from 1), targets that are not non-negative numbers.

    Examples
    --------
    >>> s = pd.DataFrame({"size": ["small"] * 6 + ["large"] * 4,
    ...                   "region": ["north", "south"] * 5})
    >>> res = rake(s, {"size": {"small": 0.8, "large": 0.2}, "region": {"north": 0.5, "south": 0.5}})
    >>> res.weights.groupby(s["size"]).sum().round(6).to_dict()
    {'large': 2.0, 'small': 8.0}
    >>> res.margins[["margin", "category", "target_share", "achieved_share"]].round(3).values.tolist()[:2]
    [['size', 'small', 0.8, 0.8], ['size', 'large', 0.2, 0.2]]
    """
    tol, max_iter = _check_tolerance(tol, max_iter)
    bounds = _check_bounds(bounds)
    trim = _check_trim(trim)
    cells = encode(sample, margins, base_weights)
    return _weigh(sample, cells, "rake", tol, max_iter, bounds, trim)


def poststratify(sample: pd.DataFrame, cells, base_weights=None, *, trim=None) -> WeightingResult:
    """Post-stratify: scale the weights in each cell of one or more columns to its population target.

    Parameters
    ----------
    sample : pandas.DataFrame
        One row per respondent.
    cells : mapping or pandas.Series
        ``{column: {category: target}}`` or ``{(col1, col2): {(a, b): target}}``
        with exactly one key; or a Series of targets whose index is named by
        the column(s) (a MultiIndex for several). Targets are shares or totals.
    base_weights, trim
        As in :func:`rake`.

    Examples
    --------
    >>> s = pd.DataFrame({"size": ["small", "small", "small", "large"]})
    >>> targets = pd.Series({"small": 0.5, "large": 0.5}).rename_axis("size")
    >>> poststratify(s, targets).weights.round(4).tolist()
    [0.6667, 0.6667, 0.6667, 2.0]
    """
    if isinstance(cells, pd.Series):
        names = list(cells.index.names)
        if any(n is None for n in names):
            raise ValueError("cells: name the Series index after the sample column(s) it holds")
        cells = {tuple(names) if len(names) > 1 else names[0]: cells}
    if not isinstance(cells, Mapping) or len(cells) != 1:
        raise ValueError("cells must hold the targets of one (possibly multi-column) variable; "
                         "for several margins use rake()")
    trim = _check_trim(trim)
    encoded = encode(sample, cells, base_weights, argument="cells")
    return _weigh(sample, encoded, "poststratify", 1e-10, 2, None, trim)


def _weigh(sample, cells: Cells, method, tol, max_iter, bounds, trim):
    sizes = [len(m.categories) for m in cells.margins]
    onehot = onehots(cells.category, sizes)
    targets = [m.targets for m in cells.margins]
    names = [m.name for m in cells.margins]
    categories = [m.categories for m in cells.margins]
    g, iterations = rake_cells(cells.base_total, onehot, targets, cells.total, tol=tol, max_iter=max_iter,
                               bounds=bounds, names=names, categories=categories)
    w = cells.base * g[0][cells.cell]
    trimmed = np.zeros(len(w), dtype=bool)
    if trim is not None:
        mean = w.mean()
        w, trimmed = trim_weights(w, trim[0] * mean, trim[1] * mean)
    table = _margin_table(cells, w)
    result = WeightingResult(pd.Series(w, index=sample.index, name="weight"), table, iterations, trimmed,
                             method, tol)
    if trim is not None and result.max_gap > tol:
        worst = table.loc[table["gap"].abs().idxmax()]
        warnings.warn(f"trimming {int(trimmed.sum())} weight(s) to ({trim[0]:g}, {trim[1]:g}) x the mean weight "
                      f"leaves margin {worst['margin']!r} off by {abs(worst['gap']):.3g} (category "
                      f"{worst['category']!r}: target share {worst['target_share']:.4f}, reached "
                      f"{worst['achieved_share']:.4f})", WeightingWarning, stacklevel=3)
    return result


def _margin_table(cells: Cells, w: np.ndarray) -> pd.DataFrame:
    rows = []
    per_cell = np.bincount(cells.cell, weights=w, minlength=len(cells.base_total))  # one pass over respondents
    count_cell = np.bincount(cells.cell, minlength=len(cells.base_total))
    for margin, cat in zip(cells.margins, cells.category):
        achieved = np.bincount(cat, weights=per_cell, minlength=len(margin.categories))
        count = np.bincount(cat, weights=count_cell, minlength=len(margin.categories)).astype(np.int64)
        rows.append(pd.DataFrame({
            "margin": margin.name, "category": list(margin.categories), "respondents": count,
            "target": margin.targets, "achieved": achieved,
            "target_share": margin.targets / cells.total, "achieved_share": achieved / w.sum()}))
    table = pd.concat(rows, ignore_index=True)
    table["gap"] = table["achieved_share"] - table["target_share"]
    return table


def _check_tolerance(tol, max_iter):
    if not (isinstance(tol, (int, float)) and np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be a positive whole number, got {max_iter!r}")
    return float(tol), int(max_iter)


def _check_bounds(bounds):
    if bounds is None:
        return None
    try:
        low, high = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise ValueError(f"bounds must be (low, high) for weight / base weight, got {bounds!r}") from None
    if np.isnan(low) or np.isnan(high) or not 0 <= low < high:
        raise ValueError(f"bounds must satisfy 0 <= low < high, got {bounds!r}")
    return low, high


def _check_trim(trim):
    if trim is None:
        return None
    try:
        lower, upper = trim
        lower = 0.0 if lower is None else float(lower)
        upper = np.inf if upper is None else float(upper)
    except (TypeError, ValueError):
        raise ValueError(f"trim must be (lower, upper) in multiples of the mean weight, got {trim!r}") from None
    if np.isnan(lower) or np.isnan(upper) or not 0 <= lower < 1 < upper:
        raise ValueError(f"trim must satisfy 0 <= lower < 1 < upper (multiples of the mean weight), got {trim!r}")
    return lower, upper
