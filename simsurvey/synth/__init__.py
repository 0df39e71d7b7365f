"""Stage 3, synthetic respondents that reproduce a resolved survey's published figures.

The names below are this stage's public surface; the modules behind them are
internal and may change. They load on first use.
"""
from simsurvey._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "generate": "simsurvey.synth.respondents", "margin_check": "simsurvey.synth.margins",
    "fit_latent": "simsurvey.synth.latent", "LatentFit": "simsurvey.synth.latent",
    "RatingAssumptions": "simsurvey.synth.tiering", "tier_from_ratings": "simsurvey.synth.tiering",
})
