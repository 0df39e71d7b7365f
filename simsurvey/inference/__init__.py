"""Stage 4, inference: replicate weights, bootstrap and analytic intervals, coverage studies.

The names below are this stage's public surface; the modules behind them are
internal and may change. They load on first use.
"""
from simsurvey._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "bootstrap": "simsurvey.inference.resampling", "robustness_table": "simsurvey.inference.resampling",
    "sample_replicates": "simsurvey.inference.resampling", "METHODS": "simsurvey.inference.resampling",
    "replicate_weights": "simsurvey.inference.replicates", "ReplicateWeights": "simsurvey.inference.replicates",
    "coverage_study": "simsurvey.inference.coverage", "CoverageResult": "simsurvey.inference.coverage",
    "BootstrapWarning": "simsurvey.inference.notices", "SkippedClaimWarning": "simsurvey.inference.notices",
})
