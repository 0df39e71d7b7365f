"""simsurvey: synthetic respondents and robustness checks for published survey headlines.

The flow runs one way: catalogue (published figures) -> survey spec -> synthetic
sample -> weights -> estimates -> tidy tables and plots. See the README.

The public names load on first use (PEP 562 module ``__getattr__``), so
``import simsurvey`` stays instant and ``simsurvey check`` never loads what only
``bootstrap`` needs. A public name is exported by its stage's ``__init__`` (which names
the module); ``_EXPORTS`` lists the ones also offered here.
"""
from __future__ import annotations

from simsurvey._lazy import lazy_exports

# public name -> the stage that exports it (each stage's ``__init__`` names the module, once)
_EXPORTS = {
    **dict.fromkeys(["Catalog", "CatalogError", "load_catalog", "SurveySpec", "survey_spec"], "simsurvey.catalog"),
    **dict.fromkeys(["check", "ForensicsResult", "ResolvedSurvey"], "simsurvey.forensics"),
    "resolve": "simsurvey.forensics.resolve",  # in simsurvey.forensics, ``resolve`` is the module of that name
    **dict.fromkeys(["generate", "margin_check", "fit_latent", "LatentFit"], "simsurvey.synth"),
    **dict.fromkeys(["bootstrap", "robustness_table", "coverage_study", "CoverageResult"], "simsurvey.inference"),
    # in simsurvey.report, ``critique`` is the module of that name
    **dict.fromkeys(["critique", "Critique"], "simsurvey.report.critique"),
    **dict.fromkeys(["rake", "poststratify", "weight_summary"], "simsurvey.weighting"),
}

__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__version__ = "0.1.0"
