"""Five-point answers whose top box(es) are exactly a yes/no item.

A report prints "% strongly agree/agree": the top two boxes of a five-point
scale. :func:`likert_scale` reads the scale from the catalogue's ``base``
(the answer categories the percentage counts); the 0/1 item is 1 exactly for
respondents in those top boxes, so the Likert column's top-box share is the
published percentage. How respondents spread *within* the top boxes and
within the other boxes is not published: they are split equally (the
documented assumption), by the same latent value that decided the item, so a
higher latent value never gives a lower answer.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtri

from simsurvey.synth.copula import assign_by_rank
from simsurvey.synth.counts import closest_counts

__all__ = ["SCALES", "GENERIC_SCALE", "likert_scale", "likert_codes_exact", "likert_codes_sampled",
           "likert_categorical"]

#: Bases of the catalogue -> (labels top first, number of top boxes the base counts).
SCALES = {
    "strongly agree/agree": (("strongly agree", "agree", "neither agree nor disagree", "disagree",
                              "strongly disagree"), 2),
    "agree": (("strongly agree", "agree", "neither agree nor disagree", "disagree", "strongly disagree"), 2),
    "much more focused on/more focused on": (("much more focused on", "more focused on", "about the same",
                                              "less focused on", "much less focused on"), 2),
    "excellent/above average": (("excellent", "above average", "average", "below average", "poor"), 2),
    "excellent/very good": (("excellent", "very good", "good", "fair", "poor"), 2),
    "very important": (("very important", "important", "moderately important", "slightly important",
                        "not important"), 1),
    "absolutely critical/very important": (("absolutely critical", "very important", "somewhat important",
                                            "not very important", "not at all important"), 2),
    "substantial/transformational impact": (("transformational impact", "substantial impact",
                                             "moderate impact", "minimal impact", "no impact"), 2),
    "critical, major, or moderate challenge": (("critical challenge", "major challenge", "moderate challenge",
                                                "minor challenge", "not a challenge"), 3),
}
#: Used where the base names no scale (empty, or a yes/no base such as "currently use").
GENERIC_SCALE = (("5", "4", "3", "2", "1"), 2)


def likert_scale(base: str) -> tuple[tuple[str, ...], int]:
    """Labels (top first) and number of top boxes for a catalogue base.

    Examples
    --------
    >>> likert_scale("strongly agree/agree")[0][:2], likert_scale("very important")[1]
    (('strongly agree', 'agree'), 1)
    >>> likert_scale("currently use")
    (('5', '4', '3', '2', '1'), 2)
    """
    return SCALES.get(" ".join(str(base).lower().split()), GENERIC_SCALE)


def _equal_split(total: int, boxes: int) -> np.ndarray:
    return closest_counts(np.zeros(boxes, np.int64), np.full(boxes, total), np.full(boxes, total / boxes),
                          total, total)


def likert_codes_exact(z: np.ndarray, top: np.ndarray, n_top: int, levels: int = 5) -> np.ndarray:
    """Codes 0..levels-1 (0 = top box) for one group: the top boxes are exactly the ``top`` rows.

    Examples
    --------
    >>> z = np.array([3.0, 2.0, 1.0, 0.0, -1.0, -2.0])
    >>> likert_codes_exact(z, z > 1.5, 2).tolist()
    [0, 1, 2, 2, 3, 4]
    """
    codes = np.empty(z.shape[0], dtype=np.int8)
    for rows, first, boxes in ((np.flatnonzero(top), 0, n_top), (np.flatnonzero(~top), n_top, levels - n_top)):
        codes[rows] = assign_by_rank(z[rows], _equal_split(rows.size, boxes)) + first
    return codes


def likert_codes_sampled(z: np.ndarray, top: np.ndarray, p: float, n_top: int, levels: int = 5) -> np.ndarray:
    """Codes for latent values drawn with top-box probability ``p``, consistent with ``top``.

    Examples
    --------
    >>> z = np.array([2.0, 0.1, -0.1, -2.0])
    >>> likert_codes_sampled(z, z > 0, 0.5, 2).tolist()
    [0, 1, 2, 4]
    """
    probs = np.concatenate([np.full(n_top, p / n_top), np.full(levels - n_top, (1 - p) / (levels - n_top))])
    cuts = ndtri(np.clip(1 - np.cumsum(probs)[:-1], 0, 1))
    codes = (levels - 1 - np.searchsorted(cuts[::-1], z, side="left")).astype(np.int8)
    # a value on the item's own cut could land on the wrong side through rounding: the item decides
    codes[top] = np.minimum(codes[top], n_top - 1)
    codes[~top] = np.maximum(codes[~top], n_top)
    return codes


def likert_categorical(codes: np.ndarray, labels) -> pd.Categorical:
    """An ordered Categorical (lowest answer first) from codes (0 = top label).

    Examples
    --------
    >>> likert_categorical(np.array([0, 4], dtype=np.int8), ("a", "b", "c", "d", "e")).tolist()
    ['a', 'e']
    """
    levels = len(labels)
    return pd.Categorical.from_codes((levels - 1 - codes).astype(np.int8), categories=list(labels)[::-1],
                                     ordered=True)
