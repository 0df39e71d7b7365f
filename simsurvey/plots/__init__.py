"""Figures: one theme for all (``set_theme``), forest and coverage plots of the intervals."""
from simsurvey.plots.intervals import coverage_plot, forest_plot
from simsurvey.plots.theme import TIER_COLORS, set_theme

__all__ = ["forest_plot", "coverage_plot", "set_theme", "TIER_COLORS"]
