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
from simsurvey._lazy import lazy_exports

# public name -> module; loaded on first use so that `simsurvey --help` and `check` stay light
__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "evalue": "simsurvey.scenarios.evalues", "evalue_limit": "simsurvey.scenarios.evalues",
    "evalue_table": "simsurvey.scenarios.evalues",
    "EXPERIMENTS": "simsurvey.scenarios.experiments", "ExperimentResult": "simsurvey.scenarios.experiments",
    "run_experiment": "simsurvey.scenarios.experiments", "run_grid": "simsurvey.scenarios.grid",
    "halo_population": "simsurvey.scenarios.halo", "halo_share_table": "simsurvey.scenarios.halo",
    "multiple_testing_table": "simsurvey.scenarios.winners", "World": "simsurvey.scenarios.world",
    "latent_world": "simsurvey.scenarios.world",
})
