"""How much a set of weights costs: Kish's design effect, effective sample size, spread.

Kish's design effect from unequal weighting is ``n * sum(w**2) / sum(w)**2
= 1 + CV**2`` (CV with the population standard deviation): the factor by
which the variance of a weighted mean grows over an unweighted one when the
weights are unrelated to the outcome. The effective sample size is
``n / deff``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from simsurvey._validation import check_weights

__all__ = ["weight_summary", "kish_deff"]


def kish_deff(w) -> float:
    """Kish's design effect of weights ``w``.

    Examples
    --------
    >>> kish_deff([1, 1, 1, 1]), kish_deff([1, 1, 1, 3])
    (1.0, 1.3333333333333333)
    """
    w = np.asarray(w, dtype=float)
    return float(len(w) * np.sum(w * w) / np.sum(w) ** 2)


def weight_summary(weights, trimmed=None) -> pd.DataFrame:
    """One row describing a set of weights.

    Parameters
    ----------
    weights : WeightingResult, pandas.Series or array_like
        Positive weights, one per respondent.
    trimmed : array_like of bool, optional
        Which weights were trimmed (taken from a WeightingResult when given one).

    Returns
    -------
    pandas.DataFrame
        ``n, total, mean, min, max, ratio (max / min), cv, deff (Kish),
        n_eff, trimmed_share``.

    Examples
    --------
    >>> weight_summary([1.0, 1.0, 1.0, 3.0])[["n", "cv", "deff", "n_eff"]].round(4).values.tolist()
    [[4.0, 0.5774, 1.3333, 3.0]]
    """
    if hasattr(weights, "weights") and hasattr(weights, "trimmed"):
        trimmed = weights.trimmed if trimmed is None else trimmed
        weights = weights.weights
    w = check_weights(weights, argument="weights")
    share = float(np.mean(np.asarray(trimmed, dtype=bool))) if trimmed is not None else 0.0
    deff = kish_deff(w)
    return pd.DataFrame([{
        "n": len(w), "total": w.sum(), "mean": w.mean(), "min": w.min(), "max": w.max(),
        "ratio": w.max() / w.min(), "cv": w.std() / w.mean(), "deff": deff, "n_eff": len(w) / deff,
        "trimmed_share": share}])
