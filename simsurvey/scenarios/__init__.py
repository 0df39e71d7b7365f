"""Sampling-caveat scenarios: what each caveat of the reports does to every printed multiplier.

Each scenario starts from a known population (:func:`latent_world`, the
one-factor model fitted to the published figures at the resolved group
sizes), applies one mechanism with a strength knob, and measures every claim
against the known truth. :func:`run_experiment` runs one mechanism's grid
(local processes or a Dask cluster, via :func:`run_grid`).

Per claim, without simulation: :func:`evalue_table` (how strong a bias must be
to explain it away), :func:`halo_share_table` (how much shared self-rating
style reproduces it with no real difference), :func:`multiple_testing_table`
(Holm and Benjamini-Hochberg over the family).
"""
import importlib

# public name -> module; loaded on first use so that `simsurvey --help` and `check` stay light
_HOME = {
    "evalue": "evalue", "evalue_limit": "evalue", "evalue_table": "evalue",
    "EXPERIMENTS": "experiments", "ExperimentResult": "experiments", "run_experiment": "experiments",
    "run_grid": "grid", "halo_population": "halo", "halo_share_table": "halo",
    "multiple_testing_table": "winners", "World": "world", "latent_world": "world",
}
__all__ = list(_HOME)


def __getattr__(name):
    if name not in _HOME:
        raise AttributeError(f"module 'simsurvey.scenarios' has no attribute {name!r}")
    return getattr(importlib.import_module(f"simsurvey.scenarios.{_HOME[name]}"), name)


def __dir__():
    return sorted(set(globals()) | set(__all__))
