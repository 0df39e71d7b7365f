"""Sampled mode of the calibrated model: each question's answer probabilities per group.

The printed percentages are the probabilities. The answers of a complete
single-choice question, which print to 99-101 in total, are moved within
their rounding intervals to sum to 1; an unpublished rest gets what is left.

Exact mode's whole-number counts live in :mod:`simsurvey.synth.exact`.
"""
from __future__ import annotations

import numpy as np

from simsurvey.synth.design import Question

__all__ = ["probabilities"]


def probabilities(q: Question, n_groups: int) -> np.ndarray:
    """Answer probabilities per group (rows) and category (columns, the rest last).

    The answers of a complete single-choice question print to 99-101 in
    total; the probabilities are the values closest to the printed ones
    (least squares) that sum to 1 and still round to them: the deficit is
    spread equally, within each figure's rounding interval.

    Examples
    --------
    >>> from simsurvey.synth.design import design
    >>> from simsurvey.catalog.spec import survey_spec
    >>> q = {q.id: q for q in design(survey_spec("sos-smb-2016")).questions}
    >>> probabilities(q["excel_engage_at_scale"], 3)[:, 0].tolist()
    [0.91, 0.56, 0.16]
    >>> probabilities(q["budget_past"], 3)[0].round(4).tolist()  # 73/23/3 prints to 99
    [0.7333, 0.2333, 0.0333]
    """
    if q.complete:
        half = 0.5 * 10.0 ** -q.decimals.astype(float)
        p = np.array([_to_total(row, h) for row, h in zip(q.pct, half)]) / 100
    else:
        p = q.pct / 100
        p = np.column_stack([p, np.clip(1 - p.sum(axis=1), 0, None)])
        p = p / p.sum(axis=1, keepdims=True)  # only moves answers printing a hair over 100 in total
    return np.repeat(p, n_groups, axis=0) if q.scope == "overall" else p


def _to_total(pct: np.ndarray, half: np.ndarray, total: float = 100.0) -> np.ndarray:
    """The values closest to ``pct`` within ``pct -/+ half`` that sum to ``total`` (water-filling)."""
    low, high = pct - half, pct + half
    shift_lo, shift_hi = -half.max() - 1, half.max() + 1
    for _ in range(100):  # bisection on the common shift; the clipped sum is monotone in it
        mid = (shift_lo + shift_hi) / 2
        if np.clip(pct + mid, low, high).sum() < total:
            shift_lo = mid
        else:
            shift_hi = mid
    return np.clip(pct + (shift_lo + shift_hi) / 2, low, high)
