"""Bootstrap replicate weights: B resamples of the respondents as a B x n matrix.

Resampling respondents with replacement is the same as giving respondent ``i``
in replicate ``b`` the weight ``counts[b, i] * base_weight[i]``, where
``counts[b]`` is a multinomial draw of n over the n respondents. Kept as a
matrix, every estimate of every replicate is one matrix product, and the
replicates are data (as in R's survey package) that can be exported and
re-used.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simsurvey.seeds import as_seed_sequence

__all__ = ["ReplicateWeights", "replicate_weights"]


@dataclass(frozen=True)
class ReplicateWeights:
    """Bootstrap replicate weights for one sample.

    Attributes
    ----------
    counts : numpy.ndarray, shape (B, n), int32
        How often respondent ``i`` is drawn in replicate ``b``.
    base : numpy.ndarray, shape (n,)
        The sample's own weights (ones when it has none).
    stratified : bool
        Whether each group was resampled separately (group sizes fixed).
    seed : int
        Entropy of the SeedSequence the counts came from (repeat the draw with it).
    """

    counts: np.ndarray
    base: np.ndarray
    stratified: bool
    seed: int

    @property
    def replicates(self) -> int:
        return self.counts.shape[0]

    def weights(self) -> np.ndarray:
        """The B x n matrix of replicate weights ``counts * base`` (float64)."""
        return self.counts * self.base

    def to_csv(self, path: str | Path, respondent_ids=None) -> Path:
        """Write the replicate weights for R's ``survey::svrepdesign``.

        One row per respondent: ``respondent``, ``weight`` (the base weight),
        then ``rep1 .. repB`` holding the replicate *weights*. In R::

            reps <- read.csv("replicates.csv")
            des <- svrepdesign(data = sample, weights = ~weight,
                               repweights = reps[, -(1:2)], type = "bootstrap",
                               combined.weights = TRUE)

        The file is written atomically (:func:`simsurvey.io.files.write_frame`).
        """
        from simsurvey.io.files import write_frame

        n = self.counts.shape[1]
        ids = np.arange(1, n + 1) if respondent_ids is None else np.asarray(respondent_ids)
        if len(ids) != n:
            raise ValueError(f"respondent_ids has {len(ids)} entries for {n} respondents")
        table = pd.DataFrame(self.weights().T, columns=[f"rep{b + 1}" for b in range(self.replicates)])
        table.insert(0, "weight", self.base)
        table.insert(0, "respondent", ids)
        return write_frame(table, path)


def replicate_weights(n: int, replicates: int, *, seed=None, groups=None,
                      base=None) -> ReplicateWeights:
    """Draw ``replicates`` bootstrap resamples of ``n`` respondents.

    Parameters
    ----------
    n : int
        Respondents in the sample.
    replicates : int
        Number of bootstrap replicates B.
    seed : int or numpy.random.SeedSequence, optional
        Source of randomness; the same seed gives the same counts. None draws
        fresh entropy, recorded in the result's ``seed``.
    groups : array_like, optional
        One group label per respondent. When given, each group is resampled
        separately (a stratified bootstrap: group sizes stay fixed). Default:
        respondents are resampled together and the group travels with the
        respondent, as in the survey, so group sizes vary between replicates.
    base : array_like, optional
        The sample's weights (positive, finite); default ones.

    Returns
    -------
    ReplicateWeights

    Examples
    --------
    >>> rw = replicate_weights(5, 3, seed=1)
    >>> rw.counts.shape, rw.counts.sum(axis=1).tolist()
    ((3, 5), [5, 5, 5])
    """
    n = _positive_int(n, "n")
    replicates = _positive_int(replicates, "replicates")
    seed = as_seed_sequence(seed)
    rng = np.random.default_rng(seed)
    if base is None:
        base = np.ones(n)
    else:
        base = np.asarray(base, dtype=float)
        if base.shape != (n,):
            raise ValueError(f"base has shape {base.shape}, expected ({n},)")
        if not np.all(np.isfinite(base)) or np.any(base <= 0):
            raise ValueError("base weights must be positive and finite")
    if groups is None:
        counts = _multinomial_counts(rng, np.arange(n), n, replicates)
    else:
        labels = np.asarray(groups)
        if labels.shape != (n,):
            raise ValueError(f"groups has shape {labels.shape}, expected ({n},)")
        counts = np.zeros((replicates, n), dtype=np.int32)
        for label in pd.unique(labels):
            members = np.flatnonzero(labels == label)
            counts += _multinomial_counts(rng, members, n, replicates)
    return ReplicateWeights(counts=counts, base=base, stratified=groups is not None, seed=seed.entropy)


def _multinomial_counts(rng, members, n, replicates):
    """Counts of ``len(members)`` draws with replacement from ``members``, per replicate."""
    m = len(members)
    draws = members[rng.integers(0, m, size=(replicates, m))]
    # one bincount over all replicates: offset each replicate's indices by b * n
    flat = (draws + (np.arange(replicates) * n)[:, None]).ravel()
    return np.bincount(flat, minlength=replicates * n).reshape(replicates, n).astype(np.int32)


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}")
    return int(value)
