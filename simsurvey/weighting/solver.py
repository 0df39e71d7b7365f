"""Raking on cells: iterative proportional fitting, optionally with bounds on the factors.

The weight of respondent i is ``base[i] * g[cell(i)]``. Raking looks for the
factors ``g`` closest to 1 (in the raking, i.e. Kullback-Leibler, distance)
whose weighted margins equal the targets; the solution has the form
``g = exp(sum of one parameter per margin category)``. With ``bounds`` the
factors are kept in ``[low, high]``; the solution is then
``g = clip(exp(...), low, high)``, the same as R's
``survey::calibrate(calfun = "raking", bounds = ...)``.

Unbounded, each step is classic IPF: scale every category of one margin to
its target. Bounded, each step solves for one category the exact scale that
meets its target under the clipping (a piecewise-linear equation), which is
coordinate ascent on the dual of a strictly convex problem and converges to
the same unique solution.

Every array here has a leading axis of replicates (B x cells), so the
bootstrap re-rakes all its replicates at once.
"""
from __future__ import annotations

import numpy as np

__all__ = ["RakingError", "rake_cells", "margin_gaps", "onehots"]


class RakingError(ValueError):
    """Raking cannot meet the targets: it did not converge, or the bounds exclude every solution."""


def onehots(category: tuple[np.ndarray, ...], sizes) -> list[np.ndarray]:
    """For each margin a cells x categories 0/1 matrix."""
    return [np.eye(k)[c] for c, k in zip(category, sizes)]


def margin_gaps(weighted: np.ndarray, onehot: list[np.ndarray], targets: list[np.ndarray], total: float):
    """Per margin: achieved totals (B x K) and the largest share gap per replicate (B,)."""
    achieved = [weighted @ m for m in onehot]
    gaps = [np.max(np.abs(a - t), axis=1) / total for a, t in zip(achieved, targets)]
    return achieved, gaps


def rake_cells(base_total: np.ndarray, onehot: list[np.ndarray], targets: list[np.ndarray], total: float, *,
               tol: float, max_iter: int, bounds=None, names=None, categories=None):
    """Factors ``g`` (B x cells) that rake ``base_total`` (B x cells) to ``targets``.

    Returns ``(g, iterations)``. Raises :class:`RakingError` naming the margin
    with the worst gap when ``max_iter`` sweeps do not bring every margin
    within ``tol`` (as a share of the total), and when ``bounds`` make a
    category's target unreachable.
    """
    d = np.atleast_2d(np.asarray(base_total, dtype=float))
    if bounds is not None:
        if d.shape[0] != 1:
            raise ValueError("bounded raking re-rakes one set of weights at a time")
        return _bounded(d, onehot, targets, total, tol, max_iter, bounds, names, categories)
    g = np.ones_like(d)
    for iteration in range(1, max_iter + 1):
        for m, t in zip(onehot, targets):
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = t / ((d * g) @ m)
            # a replicate without anyone in a category cannot reach it: leave it, report below
            g *= np.where(np.isfinite(factor), factor, 1.0) @ m.T
        _, gaps = margin_gaps(d * g, onehot, targets, total)
        if max(float(np.max(x)) for x in gaps) <= tol:
            return g, iteration
    _not_converged(d * g, onehot, targets, total, max_iter, names, categories)


def _not_converged(weighted, onehot, targets, total, max_iter, names, categories):
    achieved, gaps = margin_gaps(weighted, onehot, targets, total)
    worst = [float(np.max(x)) for x in gaps]
    j = int(np.argmax(worst))
    b = int(np.argmax(gaps[j]))
    k = int(np.argmax(np.abs(achieved[j][b] - targets[j])))
    name = names[j] if names else j
    cat = categories[j][k] if categories else k
    where = f" in replicate {b + 1}" if weighted.shape[0] > 1 else ""
    raise RakingError(f"raking did not converge in {max_iter} iterations{where}: margin {name!r} is off by "
                      f"{worst[j]:.3g} of the total (category {cat!r}: target share "
                      f"{targets[j][k] / total:.6f}, reached {achieved[j][b, k] / total:.6f}); "
                      "check for empty combinations of categories, or raise max_iter")


def _bounded(d, onehot, targets, total, tol, max_iter, bounds, names, categories):
    low, high = bounds
    u = np.ones(d.shape[1])          # unclipped factors exp(eta)
    d1 = d[0]
    members = [[np.flatnonzero(m[:, k]) for k in range(m.shape[1])] for m in onehot]
    for j, (t, cells) in enumerate(zip(targets, members)):
        for k, c in enumerate(cells):
            reach = (d1[c].sum() * low, d1[c].sum() * high)
            if not reach[0] <= t[k] <= reach[1]:
                name = names[j] if names else j
                cat = categories[j][k] if categories else k
                raise RakingError(f"bounds ({low:g}, {high:g}) cannot reach margin {name!r}, category {cat!r}: "
                                  f"target {t[k]:.6g}, reachable {reach[0]:.6g} to {reach[1]:.6g}; "
                                  "widen the bounds")
    for iteration in range(1, max_iter + 1):
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            for t, cells in zip(targets, members):
                for k, c in enumerate(cells):
                    u[c] *= _scale(u[c], d1[c], low, high, t[k])
        if not np.all(np.isfinite(u) & (u > 0)):
            break  # the factors run off to 0 or infinity: the bounds admit no solution
        g = np.clip(u, low, high)[None, :]
        _, gaps = margin_gaps(d * g, onehot, targets, total)
        if max(float(np.max(x)) for x in gaps) <= tol:
            return g, iteration
    g = np.clip(np.nan_to_num(u, nan=1.0), low, high)[None, :]
    _not_converged(d * g, onehot, targets, total, iteration, names, categories)


def _scale(u, d, low, high, target):
    """The s > 0 with ``sum(d * clip(u * s, low, high)) == target`` (exact, piecewise linear).

    Examples
    --------
    >>> float(_scale(np.array([1.0, 2.0]), np.array([1.0, 1.0]), 0.0, np.inf, 6.0))
    2.0
    >>> float(_scale(np.array([1.0, 2.0]), np.array([1.0, 1.0]), 0.0, 3.0, 5.0))  # 2 + 3 = 5
    2.0
    """
    with np.errstate(divide="ignore"):
        lo_at, hi_at = low / u, high / u      # scale at which each cell hits a bound
    points = np.unique(np.concatenate([lo_at, hi_at]))
    points = points[np.isfinite(points) & (points > 0)]

    # the value is linear between consecutive break points: find the segment holding the target
    values = d @ np.clip(np.outer(u, points), low, high)
    i = int(np.searchsorted(values, target))   # first break point whose value reaches the target
    left = 0.0 if i == 0 else points[i - 1]
    f_left = float(d @ np.clip(u * left, low, high))
    if i < len(points):
        right, f_right = points[i], values[i]
        if f_right == f_left:
            return right
        return left + (target - f_left) * (right - left) / (f_right - f_left)
    left, f_left = (points[-1], values[-1]) if len(points) else (0.0, f_left)
    rate = float(d @ u) if np.isinf(high) else 0.0  # past the last break point every factor is free or capped
    return left + (target - f_left) / rate if rate > 0 else left
