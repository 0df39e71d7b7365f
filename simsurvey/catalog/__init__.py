"""Stage 1, the catalogue: read and validate a catalogue folder, and one survey's published facts.

The names below are this stage's public surface; the modules behind them are
internal and may change. They load on first use.
"""
from simsurvey._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "load_catalog": "simsurvey.catalog.load", "Catalog": "simsurvey.catalog.load",
    "CatalogError": "simsurvey.catalog.load", "default_catalog_path": "simsurvey.catalog.load",
    "ALL": "simsurvey.catalog.schema", "survey_spec": "simsurvey.catalog.spec",
    "SurveySpec": "simsurvey.catalog.spec",
})
