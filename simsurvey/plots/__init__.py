"""Figures: forest and coverage plots of the intervals."""
from simsurvey.plots.intervals import coverage_plot, forest_plot

__all__ = ["forest_plot", "coverage_plot"]
