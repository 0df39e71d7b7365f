"""simsurvey: synthetic respondents and robustness checks for published survey headlines.

The flow runs one way: catalogue (published figures) -> survey spec -> synthetic
sample -> weights -> estimates -> tidy tables and plots. See the README.
"""
from simsurvey.inference.resampling import bootstrap, robustness_table
from simsurvey.catalog.load import Catalog, CatalogError, load_catalog
from simsurvey.inference.coverage import CoverageResult, coverage_study
from simsurvey.forensics.verdicts import ForensicsResult, check
from simsurvey.forensics.resolve import ResolvedSurvey, resolve
from simsurvey.synth.respondents import generate
from simsurvey.synth.latent import LatentFit, fit_latent
from simsurvey.synth.margins import margin_check
from simsurvey.catalog.spec import SurveySpec, survey_spec
from simsurvey.report.critique import Critique, critique

__all__ = [
    "Catalog", "CatalogError", "load_catalog", "SurveySpec", "survey_spec",  # catalogue -> spec
    "check", "ForensicsResult", "resolve", "ResolvedSurvey",                 # forensics
    "generate", "margin_check", "fit_latent", "LatentFit",                   # synthetic samples
    "bootstrap", "robustness_table", "coverage_study", "CoverageResult",     # intervals
    "critique", "Critique",                                                  # the whole report
]
__version__ = "0.1.0"
