"""Gaussian copula: dependent latent normals and how answers are read off them.

Every question of a respondent has a latent standard normal value; answers
are the latent value cut into categories, the top category for the highest
values. Dependence between questions within a group is the correlation of
the latent values (a *latent*, tetrachoric correlation: the phi correlation of
the resulting 0/1 columns is smaller).

- A scalar ``rho`` is an equicorrelation, drawn as one common factor,
  ``z = sqrt(rho) * f + sqrt(1 - rho) * e``: one extra normal per respondent
  instead of a matrix product, and column by column, so memory stays at one
  column per question.
- A matrix is factored once (``R = L L'`` by eigen-decomposition, so positive
  semi-definite matrices work too) and applied to independent normals.

Exact mode reads answers off the ranks (:func:`assign_by_rank`: the ``k``
highest latent values of the group get the top answer), so counts are exact
and the copula's rank structure is kept; sampled mode cuts at fixed points
(:func:`assign_by_threshold`).
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtri

__all__ = ["DEFAULT_RHO", "Correlation", "correlation", "child_seed", "latent_columns", "assign_by_rank",
           "assign_by_threshold", "cuts_from_probs"]

#: Default within-group latent correlation. Items of one questionnaire about one
#: theme correlate; 0.3 is the middle of the 0.15-0.50 range of mean inter-item
#: correlations recommended for a homogeneous scale (Clark & Watson 1995,
#: Psychological Assessment 7:309). It is a latent correlation: the phi
#: correlation of two 0/1 items with it is about 0.2 at 50% and less elsewhere.
DEFAULT_RHO = 0.3


@dataclass(frozen=True, eq=False)
class Correlation:
    """A validated within-group latent correlation.

    Attributes
    ----------
    rho : float or None
        The equicorrelation (None for a full matrix).
    matrix : numpy.ndarray or None
        The full matrix, rows and columns in the order of ``dims``.
    factor : numpy.ndarray or None
        ``L`` with ``L @ L.T == matrix`` (float32), for drawing.
    dims : tuple of str
        The latent dimensions (question ids).
    """

    rho: float | None
    matrix: np.ndarray | None
    factor: np.ndarray | None
    dims: tuple[str, ...]

    def describe(self):
        """A JSON-friendly description for the sample's assumptions."""
        if self.matrix is None:
            return self.rho
        return {"dims": list(self.dims), "matrix": np.round(self.matrix, 6).tolist()}


def correlation(rho, dims) -> Correlation:
    """Validate ``rho`` (a scalar equicorrelation or a matrix over ``dims``).

    Parameters
    ----------
    rho : float, array_like or pandas.DataFrame
        A scalar in ``[0, 1]``; or a symmetric positive semi-definite matrix
        with unit diagonal, one row and column per question (a DataFrame
        labelled by question ids in any order, or an array in the order of
        ``dims``).
    dims : sequence of str
        Question ids in generation order.

    Examples
    --------
    >>> correlation(0.3, ["a", "b"]).rho
    0.3
    >>> correlation([[1, 0.5], [0.5, 1]], ["a", "b"]).factor.shape
    (2, 2)
    >>> correlation([[1, 2], [2, 1]], ["a", "b"])
    Traceback (most recent call last):
    ...
    ValueError: rho must be positive semi-definite; its smallest eigenvalue is -1
    """
    dims = tuple(dims)
    if np.ndim(rho) == 0 and not isinstance(rho, pd.DataFrame):
        try:
            value = float(rho)
        except (TypeError, ValueError):
            raise ValueError(f"rho must be a number or a matrix, got {rho!r}") from None
        if not 0 <= value <= 1:
            raise ValueError(f"rho must be within [0, 1] for an equicorrelation, got {value:g} "
                             "(pass a full matrix for negative dependence)")
        return Correlation(rho=value, matrix=None, factor=None, dims=dims)
    if isinstance(rho, pd.DataFrame):
        missing = [d for d in dims if d not in rho.index or d not in rho.columns]
        extra = [c for c in rho.columns if c not in dims]
        if missing or extra:
            raise ValueError(f"rho must have one row and column per question; missing: "
                             f"{', '.join(missing) or 'none'}; unknown: {', '.join(map(str, extra)) or 'none'}")
        rho = rho.loc[list(dims), list(dims)]
    m = np.asarray(rho, dtype=float)
    q = len(dims)
    if m.shape != (q, q):
        raise ValueError(f"rho must be a {q} x {q} matrix (one row and column per question: "
                         f"{', '.join(dims[:5])}{', ...' if q > 5 else ''}), got shape {m.shape}")
    if not np.all(np.isfinite(m)):
        raise ValueError("rho must be finite")
    if not np.allclose(m, m.T, atol=1e-8):
        raise ValueError("rho must be symmetric")
    if not np.allclose(np.diag(m), 1, atol=1e-8):
        raise ValueError("rho must have a unit diagonal (it is a correlation matrix)")
    w, v = np.linalg.eigh(m)
    if w.min() < -1e-10:
        raise ValueError(f"rho must be positive semi-definite; its smallest eigenvalue is {w.min():.3g}")
    factor = (v * np.sqrt(np.clip(w, 0, None))).astype(np.float32)
    return Correlation(rho=None, matrix=m, factor=factor, dims=dims)


def child_seed(root: np.random.SeedSequence, *key) -> np.random.SeedSequence:
    """A child of ``root`` named by ``key`` (ints or strings), independent of the order of use.

    Naming children (instead of spawning them in sequence) keeps a question's
    draws the same when other questions are added or options switched on.

    Examples
    --------
    >>> root = np.random.SeedSequence(1)
    >>> child_seed(root, 2, "q").spawn_key == child_seed(root, 2, "q").spawn_key
    True
    """
    named = tuple(k if isinstance(k, int) else zlib.crc32(str(k).encode()) for k in key)
    return np.random.SeedSequence(root.entropy, spawn_key=tuple(root.spawn_key) + named)


def latent_columns(size: int, corr: Correlation, seeds, factor=None, loadings=None):
    """Yield one float32 latent column per question, in the order of ``corr.dims``.

    Parameters
    ----------
    size : int
        Respondents.
    corr : Correlation or None
        Within-group correlation (None when ``loadings`` are given).
    seeds : sequence of SeedSequence
        One per question: the question's own noise.
    factor : numpy.ndarray, optional
        A common factor per respondent (float32). With ``loadings`` it
        replaces the equicorrelation factor (the latent model's trait).
    loadings : sequence of float, optional
        Per question: ``z = l * factor + sqrt(1 - l**2) * e``.

    Examples
    --------
    >>> corr = correlation(0.5, ["a", "b"])
    >>> seeds = np.random.SeedSequence(0).spawn(2)
    >>> f = np.random.default_rng(9).standard_normal(200_000, dtype=np.float32)
    >>> a, b = latent_columns(200_000, corr, seeds, factor=f, loadings=[0.5 ** 0.5] * 2)
    >>> round(float(np.corrcoef(a, b)[0, 1]), 2)
    0.5
    """
    if loadings is None and corr.matrix is not None:
        noise = np.empty((size, len(seeds)), dtype=np.float32)
        for j, seed in enumerate(seeds):
            noise[:, j] = np.random.default_rng(seed).standard_normal(size, dtype=np.float32)
        for j in range(len(seeds)):
            yield noise @ corr.factor[j]
        return
    if loadings is None:
        loadings = [np.sqrt(corr.rho)] * len(seeds)
    for seed, load in zip(seeds, loadings):
        e = np.random.default_rng(seed).standard_normal(size, dtype=np.float32)
        if load != 0:
            e *= np.float32(np.sqrt(1 - load * load))
            e += np.float32(load) * factor
        yield e


def assign_by_rank(z: np.ndarray, counts) -> np.ndarray:
    """Answer codes (0 = top category) giving the ``counts[c]`` highest remaining values category ``c``.

    Examples
    --------
    >>> assign_by_rank(np.array([0.1, 2.0, -1.0, 0.5]), [1, 2, 1]).tolist()
    [1, 0, 2, 1]
    """
    counts = np.asarray(counts, dtype=np.int64)
    size = z.shape[0]
    if counts.sum() != size:
        raise ValueError(f"counts must sum to the number of values ({size}), got {int(counts.sum())}")
    codes = np.empty(size, dtype=np.int8)
    # ascending partition: the top category occupies the last counts[0] positions
    ends = size - np.cumsum(counts)
    kth = np.unique(ends[(ends > 0) & (ends < size)])
    order = np.argpartition(z, kth) if kth.size else np.arange(size)
    start = size
    for c, end in enumerate(ends):
        codes[order[end:start]] = c
        start = end
    return codes


def cuts_from_probs(probs) -> np.ndarray:
    """Latent cut points (descending) that give a standard normal the category ``probs`` (top first).

    Examples
    --------
    >>> cuts_from_probs([0.5, 0.5]).tolist()
    [0.0]
    """
    upper = np.cumsum(np.asarray(probs, dtype=float))[:-1]
    return ndtri(np.clip(1 - upper, 0, 1))


def assign_by_threshold(z: np.ndarray, cuts) -> np.ndarray:
    """Answer codes (0 = top) for latent values and descending cut points.

    Category ``c`` is ``cuts[c] < z <= cuts[c - 1]``.

    Examples
    --------
    >>> assign_by_threshold(np.array([1.5, 0.2, -3.0]), [1.0, -1.0]).tolist()
    [0, 1, 2]
    """
    cuts = np.asarray(cuts, dtype=float)
    if cuts.size == 1:
        return (z <= cuts[0]).astype(np.int8)
    ascending = cuts[::-1].astype(z.dtype)
    return (cuts.size - np.searchsorted(ascending, z, side="left")).astype(np.int8)
