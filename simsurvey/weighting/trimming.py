"""Trim extreme weights and hand what was cut to the others, as R's ``survey::trimWeights``.

A weight above the upper bound is set to it, one below the lower bound is
raised to it, and the amount cut (or added) is shared equally among the
weights that were inside the bounds, so the total of the weights does not
change. Sharing can push an untouched weight past a bound, so this repeats
until no weight is outside (``trimWeights(..., strict = TRUE)``).
"""
from __future__ import annotations

import numpy as np

__all__ = ["trim_weights"]

_MAX_PASSES = 10_000


def trim_weights(w: np.ndarray, lower: float, upper: float) -> tuple[np.ndarray, np.ndarray]:
    """Weights kept in ``[lower, upper]`` with their total unchanged; and which were trimmed.

    Examples
    --------
    >>> w, trimmed = trim_weights(np.array([1.0, 1.0, 1.0, 5.0]), 0.0, 3.0)
    >>> w.round(4).tolist(), trimmed.tolist()
    ([1.6667, 1.6667, 1.6667, 3.0], [False, False, False, True])
    """
    w = np.asarray(w, dtype=float).copy()
    if not lower < upper:
        raise ValueError(f"trim: the lower bound ({lower:g}) must be below the upper bound ({upper:g})")
    if not lower * len(w) <= w.sum() <= upper * len(w):
        raise ValueError(f"trim: no weights within ({lower:g}, {upper:g}) keep the total {w.sum():g} "
                         f"of {len(w)} weights; widen the bounds")
    trimmed = np.zeros(len(w), dtype=bool)
    for _ in range(_MAX_PASSES):
        outside = (w < lower) | (w > upper)
        if not outside.any():
            return w, trimmed
        trimmed |= outside
        clipped = np.clip(w, lower, upper)
        cut = float(np.sum(w - clipped))
        inside = ~outside
        if inside.any():
            clipped[inside] += cut / inside.sum()
        elif cut != 0:
            raise ValueError(f"trim: every weight is outside ({lower:g}, {upper:g}) and {cut:g} is left to "
                             "share; widen the bounds")
        w = clipped
    raise ValueError(f"trim: weights still outside ({lower:g}, {upper:g}) after {_MAX_PASSES} passes")
