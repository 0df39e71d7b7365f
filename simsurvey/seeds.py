"""One way into randomness: every ``seed`` argument becomes a ``numpy.random.SeedSequence``.

A SeedSequence can be recorded (its ``entropy``) and split into independent
children (``spawn``) for per-cell or per-survey work, so a run started with
``seed=None`` can still be repeated from what it wrote into its assumptions.
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = ["as_seed_sequence"]


def as_seed_sequence(seed) -> np.random.SeedSequence:
    """Turn ``seed`` (None, a non-negative integer or a SeedSequence) into a SeedSequence.

    ``None`` draws fresh entropy from the operating system; the returned
    sequence's ``entropy`` records it.

    Examples
    --------
    >>> as_seed_sequence(7).entropy
    7
    >>> as_seed_sequence(-1)
    Traceback (most recent call last):
    ...
    ValueError: seed must be a non-negative integer, a numpy SeedSequence or None, got -1
    """
    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0:
        return np.random.SeedSequence(int(seed))
    raise ValueError(f"seed must be a non-negative integer, a numpy SeedSequence or None, got {seed!r}")
