"""The State of Service report's own tiering rule, from two self-ratings.

The report puts respondents into tiers by two questions (Salesforce Research,
*Small & Medium Business Service Trends*, methodology):

- **high**: performance versus the competition *excellent* and overall service
  performance *excellent*;
- **moderate**: versus the competition *above average*, or *excellent* versus
  the competition but overall service *not* excellent;
- **under**: versus the competition *average*, *below average* or *poor*.

The competition question's scale is the report's (excellent / above average /
average / below average / poor). The report says only "excellent" or not for
overall service; the scale used here is the common five-point
excellent / very good / good / fair / poor.

What the report does not publish is an assumption with a documented default
(:class:`RatingAssumptions`): how the 53% moderate performers split between
the two routes in, how underperformers spread over average / below average /
poor, and how overall service is rated where the rule leaves it free. Within
a tier, ratings are independent of the other answers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simsurvey.synth.counts import closest_counts

__all__ = ["VS_COMPETITION", "OVERALL_SERVICE", "TIERS", "RatingAssumptions", "tier_from_ratings",
           "draw_ratings"]

#: Scales, top first.
VS_COMPETITION = ("excellent", "above average", "average", "below average", "poor")
OVERALL_SERVICE = ("excellent", "very good", "good", "fair", "poor")
TIERS = ("high", "moderate", "under")


@dataclass(frozen=True)
class RatingAssumptions:
    """Unpublished parts of the tier questions, with their defaults.

    Attributes
    ----------
    moderate_above_average : float
        Share of moderate performers who rated themselves *above average*
        versus the competition; the rest rated *excellent* versus the
        competition but overall service not excellent. Default 0.75: the
        second route needs a best-in-class rating next to a not-excellent
        overall one, the less common combination.
    under : tuple of 3 floats
        Split of underperformers over *average*, *below average*, *poor*
        versus the competition. Default (0.70, 0.22, 0.08): self-ratings pile
        up at and above the middle of such scales.
    overall_excellent : dict
        Probability of an *excellent* overall rating given the competition
        rating, where the rule leaves it free (above average, average, below
        average, poor). Default 0.20 / 0.06 / 0.03 / 0.02.
    overall_not_excellent : tuple of 4 floats
        Split of the other overall ratings over very good / good / fair /
        poor. Default (0.50, 0.33, 0.13, 0.04).
    """

    moderate_above_average: float = 0.75
    under: tuple = (0.70, 0.22, 0.08)
    overall_excellent: dict = field(default_factory=lambda: {
        "above average": 0.20, "average": 0.06, "below average": 0.03, "poor": 0.02})
    overall_not_excellent: tuple = (0.50, 0.33, 0.13, 0.04)

    def __post_init__(self):
        if not 0 <= self.moderate_above_average <= 1:
            raise ValueError(f"moderate_above_average must be within [0, 1], got {self.moderate_above_average!r}")
        for name, probs, size in (("under", self.under, 3), ("overall_not_excellent", self.overall_not_excellent, 4)):
            probs = np.asarray(probs, dtype=float)
            if probs.shape != (size,) or np.any(probs < 0) or abs(probs.sum() - 1) > 1e-9:
                raise ValueError(f"{name} must be {size} probabilities summing to 1, got {tuple(probs.tolist())}")
        free = set(VS_COMPETITION[1:])
        if set(self.overall_excellent) != free or any(not 0 <= p <= 1 for p in self.overall_excellent.values()):
            raise ValueError(f"overall_excellent must give a probability within [0, 1] for each of "
                             f"{', '.join(VS_COMPETITION[1:])}")

    def as_dict(self) -> dict:
        """Plain values, for the sample's assumptions."""
        return {"moderate_above_average": self.moderate_above_average, "under": list(self.under),
                "overall_excellent": dict(self.overall_excellent),
                "overall_not_excellent": list(self.overall_not_excellent)}

    def cells(self, tier: str) -> tuple[list[tuple[int, int]], np.ndarray]:
        """The (competition, overall) rating pairs a tier allows and their probabilities (codes top first)."""
        pairs, probs = [], []

        def add(comp, p_comp, force=None):
            if force is not None:
                pairs.append((comp, force)), probs.append(p_comp)
                return
            # excellent versus the competition with excellent overall is the high tier, never here
            p_exc = 0.0 if comp == 0 else self.overall_excellent[VS_COMPETITION[comp]]
            if p_exc > 0:
                pairs.append((comp, 0)), probs.append(p_comp * p_exc)
            for o, p in enumerate(self.overall_not_excellent, start=1):
                pairs.append((comp, o)), probs.append(p_comp * (1 - p_exc) * p)

        if tier == "high":
            add(0, 1.0, force=0)
        elif tier == "moderate":
            add(1, self.moderate_above_average)
            add(0, 1 - self.moderate_above_average)  # excellent vs competition, overall not excellent
        elif tier == "under":
            for comp, p in zip((2, 3, 4), self.under):
                add(comp, p)
        else:
            raise ValueError(f"tier must be one of {', '.join(TIERS)}, got {tier!r}")
        return pairs, np.array(probs)


def tier_from_ratings(vs_competition, overall_service) -> pd.Categorical:
    """The report's tier from the two self-ratings.

    Parameters
    ----------
    vs_competition : array_like of str
        Performance versus the competition (:data:`VS_COMPETITION`).
    overall_service : array_like of str
        Overall service performance (:data:`OVERALL_SERVICE`).

    Returns
    -------
    pandas.Categorical
        ``high`` / ``moderate`` / ``under``.

    Examples
    --------
    >>> tier_from_ratings(["excellent", "excellent", "above average", "average"],
    ...                   ["excellent", "very good", "excellent", "excellent"]).tolist()
    ['high', 'moderate', 'moderate', 'under']
    """
    comp = np.asarray(pd.Series(vs_competition, dtype=object), dtype=object)
    overall = np.asarray(pd.Series(overall_service, dtype=object), dtype=object)
    if comp.shape != overall.shape:
        raise ValueError(f"vs_competition and overall_service must have the same length, "
                         f"got {comp.size} and {overall.size}")
    for name, values, scale in (("vs_competition", comp, VS_COMPETITION), ("overall_service", overall, OVERALL_SERVICE)):
        bad = ~np.isin(values, scale)
        if bad.any():
            raise ValueError(f"{name} must be one of {', '.join(scale)}; got {values[bad][0]!r}")
    excellent_comp = comp == "excellent"
    tier = np.where(excellent_comp & (overall == "excellent"), "high",
                    np.where((comp == "above average") | excellent_comp, "moderate", "under"))
    return pd.Categorical(tier, categories=list(TIERS))


def draw_ratings(tier: str, size: int, rng: np.random.Generator, assumptions: RatingAssumptions,
                 exact: bool) -> tuple[np.ndarray, np.ndarray]:
    """Rating codes (top first) for ``size`` respondents of one tier.

    Exact mode gives every competition rating its closest whole number of
    respondents, then every overall rating within it, in random order;
    sampled mode draws them.

    Examples
    --------
    >>> comp, overall = draw_ratings("moderate", 100, np.random.default_rng(0), RatingAssumptions(), exact=True)
    >>> int((comp == 1).sum()), int(((comp == 0) & (overall == 0)).sum())
    (75, 0)
    """
    pairs, probs = assumptions.cells(tier)
    if exact:
        # first the competition rating (the one the tiers are cut on), then overall within it
        comp = np.array([c for c, _ in pairs])
        levels = list(dict.fromkeys(comp.tolist()))
        comp_counts = _allocate(size, np.array([probs[comp == c].sum() for c in levels]))
        counts = np.zeros(len(pairs), dtype=np.int64)
        for c, total in zip(levels, comp_counts):
            inside = np.flatnonzero(comp == c)
            counts[inside] = _allocate(int(total), probs[inside] / probs[inside].sum())
        cell = rng.permutation(np.repeat(np.arange(len(pairs)), counts))
    else:
        cell = rng.choice(len(pairs), size=size, p=probs / probs.sum())
    pairs = np.array(pairs, dtype=np.int8)
    return pairs[cell, 0], pairs[cell, 1]


def _allocate(total: int, probs: np.ndarray) -> np.ndarray:
    return closest_counts(np.zeros(len(probs), np.int64), np.full(len(probs), total), probs * total, total, total)
