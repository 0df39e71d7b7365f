"""Figures: one theme for all (``set_theme``), the report's words as labels, forest and coverage plots.

Imported on first use, so text that only needs the labels (the terminal views) does not load matplotlib.
"""
import importlib

_EXPORTS = {"forest_plot": "simsurvey.plots.intervals", "coverage_plot": "simsurvey.plots.intervals",
            "set_theme": "simsurvey.plots.theme", "TIER_COLORS": "simsurvey.plots.theme",
            "item_labels": "simsurvey.plots.labels", "group_labels": "simsurvey.plots.labels",
            "claim_labels": "simsurvey.plots.labels"}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'simsurvey.plots' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
