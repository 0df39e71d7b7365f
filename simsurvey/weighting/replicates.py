"""Re-rake every bootstrap replicate, so intervals carry the variance that weighting adds.

Weighting is part of the estimator: a resample of an opt-in panel has its own
company-size mix, and the survey would have weighted *that* mix back to the
population. So each replicate's weights are raked to the same population
totals as the full sample (R: ``rake()`` on an ``svrepdesign``). All
replicates of a chunk are raked at once on their cells (replicates x cells),
then the factors are gathered back to respondents.

The cost of weighting for a multiplier is then the ratio of its replicate
variance with re-raking to its replicate variance without: the design effect
of the weighting on that multiplier (:func:`variance_deff`).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simsurvey.weighting.cells import Cells, encode
from simsurvey.weighting.solver import onehots, rake_cells

__all__ = ["Reweighter", "reweighter", "variance_deff"]


@dataclass(frozen=True)
class Reweighter:
    """Rakes rows of replicate weights (replicates x respondents) to fixed margins.

    Build one with :func:`reweighter`; call it on a chunk of replicate weights.
    """

    cells: Cells
    order: np.ndarray        # respondents sorted by cell
    starts: np.ndarray       # first sorted position of each cell
    onehot: tuple
    tol: float
    max_iter: int

    @property
    def margin_names(self) -> list[str]:
        return [m.name for m in self.cells.margins]

    def cell_totals(self, weights: np.ndarray) -> np.ndarray:
        """Sum of each row's weights within each cell (rows x cells)."""
        return np.add.reduceat(weights[:, self.order], self.starts, axis=1)

    def factors(self, weights: np.ndarray) -> np.ndarray:
        """Raking factor of each row and cell (rows x cells)."""
        m = self.cells.margins
        totals = self.cell_totals(weights)
        # a replicate that drew nobody from a weighting category cannot be raked: NaN, like an empty group
        empty = np.zeros(len(totals), dtype=bool)
        for onehot, margin in zip(self.onehot, m):
            empty |= np.any(((totals @ onehot) <= 0) & (margin.targets > 0), axis=1)
        g = np.full(totals.shape, np.nan)
        if (~empty).any():
            g[~empty], _ = rake_cells(totals[~empty], list(self.onehot), [x.targets for x in m], self.cells.total,
                                      tol=self.tol, max_iter=self.max_iter, names=[x.name for x in m],
                                      categories=[x.categories for x in m])
        return g

    def __call__(self, weights: np.ndarray) -> np.ndarray:
        """The rows of ``weights`` raked to the margins (same shape)."""
        weights = np.atleast_2d(np.asarray(weights, dtype=float))
        return weights * self.factors(weights)[:, self.cells.cell]


def reweighter(sample: pd.DataFrame, margins, base_weights=None, *, tol: float = 1e-10,
               max_iter: int = 1000) -> Reweighter:
    """A :class:`Reweighter` raking replicates of ``sample`` to ``margins``.

    Targets given as shares are scaled to the total of the full sample's base
    weights, and every replicate is raked to those same totals.

    Examples
    --------
    >>> s = pd.DataFrame({"size": ["small", "small", "large"]})
    >>> rw = reweighter(s, {"size": {"small": 0.5, "large": 0.5}})
    >>> rw(np.array([[1.0, 1.0, 1.0], [2.0, 0.0, 1.0]])).round(3).tolist()
    [[0.75, 0.75, 1.5], [1.5, 0.0, 1.5]]
    """
    cells = encode(sample, margins, base_weights, argument="reweight")
    order = np.argsort(cells.cell, kind="stable")
    starts = np.searchsorted(cells.cell[order], np.arange(len(cells.base_total)))
    onehot = tuple(onehots(cells.category, [len(m.categories) for m in cells.margins]))
    return Reweighter(cells, order, starts, onehot, float(tol), int(max_iter))


def variance_deff(reweighted: np.ndarray, plain: np.ndarray) -> np.ndarray:
    """Per column: variance across replicates with re-raking over the variance without.

    Replicates where either is not finite are left out of both.

    Examples
    --------
    >>> variance_deff(np.array([[1.0], [3.0]]), np.array([[1.5], [2.5]])).tolist()
    [4.0]
    """
    ok = np.isfinite(reweighted) & np.isfinite(plain)
    out = np.full(reweighted.shape[1], np.nan)
    for k in range(reweighted.shape[1]):
        a, b = reweighted[ok[:, k], k], plain[ok[:, k], k]
        if len(a) > 1 and np.var(b) > 0:
            out[k] = np.var(a, ddof=1) / np.var(b, ddof=1)
    return out


def reweighted_shares(reps, reweigh: Reweighter, y: np.ndarray, member: np.ndarray):
    """Each replicate's cell shares ``(w @ y) / (w @ member)``, re-raked and as drawn (two B x cells arrays).

    ``reps`` is a :class:`simsurvey.inference.replicates.ReplicateWeights`; its
    chunks are raked one at a time, in half its memory budget (the raked copy
    needs the other half). A replicate that cannot be raked (nobody from a
    weighting category) has NaN shares.
    """
    raked_out = np.empty((reps.replicates, y.shape[1]))
    plain_out = np.empty_like(raked_out)
    with np.errstate(divide="ignore", invalid="ignore"):
        for start, w in reps.weight_chunks(max(1, reps.chunk_size // 2)):
            stop = start + len(w)
            plain_out[start:stop] = (w @ y) / (w @ member)
            raked = reweigh(w)
            raked_out[start:stop] = (raked @ y) / (raked @ member)
    return raked_out, plain_out


def bootstrap_reweighting(sample: pd.DataFrame, reweight, base: np.ndarray, survey: str, catalog=None):
    """What :func:`simsurvey.bootstrap` needs to re-rake: the reweighter (None without margins) and the caveat.

    The caveat is one sentence per claim for the table's ``weighting`` column:
    which margins each replicate was raked to, or, for a survey the catalogue
    says was weighted, that the interval leaves the weighting out.
    """
    reweigh = None if reweight is None else reweighter(sample, reweight, base)
    if reweigh is not None:
        return reweigh, "reweighted in every replicate to: " + ", ".join(reweigh.margin_names)
    if catalog is None:
        how = _shipped_weightings().get(survey)
    else:  # a Catalog, or the folder of one (read through the catalogue cache)
        from simsurvey.catalog.load import Catalog, load_catalog

        how = _weightings((catalog if isinstance(catalog, Catalog) else load_catalog(catalog)).surveys).get(survey)
    if how is not None:
        return None, (f"unweighted interval, but the survey was weighted ({how}); weighting adds variance: "
                      "pass reweight= population margins")
    return None, ""


def _weightings(surveys: pd.DataFrame) -> dict:
    """``{survey: its weighting note}`` of the surveys the catalogue records as weighted."""
    weighted = surveys[surveys["weighted"].astype(str) == "yes"]
    return {str(s): str(w).rstrip(".") for s, w in zip(weighted["survey"], weighted["weighting"])}


@functools.lru_cache(maxsize=1)
def _shipped_weightings() -> dict:
    """The shipped catalogue's weighting notes, read once (bootstrap runs thousands of times in a coverage study)."""
    from simsurvey.catalog.load import default_catalog_path

    return _weightings(pd.read_csv(default_catalog_path() / "surveys.csv", dtype=str, keep_default_na=False))
