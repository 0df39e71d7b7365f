"""Figures: one theme for all (``set_theme``), the report's words as labels, forest and coverage plots.

The names load on first use, so text that only needs the labels (the terminal views) does not load matplotlib.
"""
from simsurvey._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "forest_plot": "simsurvey.plots.intervals", "coverage_plot": "simsurvey.plots.intervals",
    "set_theme": "simsurvey.plots.theme", "TIER_COLORS": "simsurvey.plots.theme",
    "item_labels": "simsurvey.plots.labels", "group_labels": "simsurvey.plots.labels",
    "claim_labels": "simsurvey.plots.labels",
})
