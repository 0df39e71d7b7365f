"""simsurvey: synthetic respondents and robustness checks for published survey headlines.

The flow runs one way: catalogue (published figures) -> survey spec -> synthetic
sample -> weights -> estimates -> tidy tables and plots. See the README.

The public names load on first use (PEP 562 module ``__getattr__``), so
``import simsurvey`` stays instant and ``simsurvey check`` never loads what only
``bootstrap`` needs. To add a public name, add one line to ``_EXPORTS``.
"""
from __future__ import annotations

from simsurvey._lazy import lazy_exports

_EXPORTS = {
    # catalogue -> spec
    "Catalog": "simsurvey.catalog.load", "CatalogError": "simsurvey.catalog.load",
    "load_catalog": "simsurvey.catalog.load",
    "SurveySpec": "simsurvey.catalog.spec", "survey_spec": "simsurvey.catalog.spec",
    # forensics
    "check": "simsurvey.forensics.verdicts", "ForensicsResult": "simsurvey.forensics.verdicts",
    "resolve": "simsurvey.forensics.resolve", "ResolvedSurvey": "simsurvey.forensics.resolve",
    # synthetic samples
    "generate": "simsurvey.synth.respondents", "margin_check": "simsurvey.synth.margins",
    "fit_latent": "simsurvey.synth.latent", "LatentFit": "simsurvey.synth.latent",
    # intervals
    "bootstrap": "simsurvey.inference.resampling", "robustness_table": "simsurvey.inference.resampling",
    "coverage_study": "simsurvey.inference.coverage", "CoverageResult": "simsurvey.inference.coverage",
    # the whole report
    "critique": "simsurvey.report.critique", "Critique": "simsurvey.report.critique",
    # weighting
    "rake": "simsurvey.weighting.raking", "poststratify": "simsurvey.weighting.raking",
    "weight_summary": "simsurvey.weighting.summary",
}

__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__version__ = "0.1.0"
