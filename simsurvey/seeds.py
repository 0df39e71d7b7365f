"""One way into randomness: every ``seed`` argument becomes a ``numpy.random.SeedSequence``.

A SeedSequence can be recorded (its ``entropy``) and split into independent
children (``spawn``) for per-cell or per-survey work, so a run started with
``seed=None`` can still be repeated from what it wrote into its assumptions.
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = ["as_seed_sequence", "seed_record"]


def as_seed_sequence(seed) -> np.random.SeedSequence:
    """Turn ``seed`` (None, a non-negative integer, a SeedSequence or a :func:`seed_record`) into a SeedSequence.

    ``None`` draws fresh entropy from the operating system; the returned
    sequence's ``entropy`` records it. A recorded seed (the ``seed`` a result
    stores in its assumptions) gives back the very same sequence, spawn key
    included, so passing it replays the run.

    Examples
    --------
    >>> as_seed_sequence(7).entropy
    7
    >>> child = as_seed_sequence(7).spawn(3)[2]
    >>> as_seed_sequence(seed_record(child)).generate_state(1) == child.generate_state(1)
    array([ True])
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
    if isinstance(seed, dict) and set(seed) == {"entropy", "spawn_key"}:
        return np.random.SeedSequence(as_seed_sequence(seed["entropy"]).entropy,
                                      spawn_key=tuple(int(k) for k in seed["spawn_key"]))
    raise ValueError(f"seed must be a non-negative integer, a numpy SeedSequence or None, got {seed!r}")


def seed_record(seed: np.random.SeedSequence) -> int | dict:
    """What to record so :func:`as_seed_sequence` gives back ``seed``: plain values only.

    The entropy alone (an int) for a root sequence; ``{"entropy", "spawn_key"}``
    for a spawned child, whose entropy alone would name its parent instead.

    Examples
    --------
    >>> seed_record(as_seed_sequence(7))
    7
    >>> seed_record(as_seed_sequence(7).spawn(2)[1])
    {'entropy': 7, 'spawn_key': [1]}
    """
    if not seed.spawn_key:
        return int(seed.entropy)
    return {"entropy": int(seed.entropy), "spawn_key": [int(k) for k in seed.spawn_key]}
