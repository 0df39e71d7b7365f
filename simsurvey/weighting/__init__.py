"""Weighting: make a sample match its population, and measure what that costs.

``rake`` and ``poststratify`` (:mod:`simsurvey.weighting.raking`),
``weight_summary`` (:mod:`simsurvey.weighting.summary`), re-raking bootstrap
replicates (:mod:`simsurvey.weighting.replicates`), and the experiments built
from the reports' own weighting caveats (``simsurvey experiment weighting``).
"""
from simsurvey.weighting.raking import RakingError, WeightingResult, WeightingWarning, poststratify, rake
from simsurvey.weighting.summary import kish_deff, weight_summary

__all__ = ["rake", "poststratify", "weight_summary", "kish_deff", "WeightingResult", "WeightingWarning",
           "RakingError"]
