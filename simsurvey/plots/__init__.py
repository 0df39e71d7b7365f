"""Figures: one theme for all (``set_theme``), the report's words as labels, forest and coverage plots."""
from simsurvey.plots.intervals import coverage_plot, forest_plot
from simsurvey.plots.labels import claim_labels, group_labels, item_labels
from simsurvey.plots.theme import TIER_COLORS, set_theme

__all__ = ["forest_plot", "coverage_plot", "set_theme", "TIER_COLORS", "item_labels", "group_labels", "claim_labels"]
