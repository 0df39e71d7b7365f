"""simsurvey: synthetic respondents and robustness checks for published survey headlines.

The flow runs one way: catalogue (published figures) -> survey spec -> synthetic
sample -> weights -> estimates -> tidy tables and plots. See the README.
"""
from .catalog import Catalog, CatalogError, load_catalog

__all__ = ["Catalog", "CatalogError", "load_catalog"]
__version__ = "0.1.0"
