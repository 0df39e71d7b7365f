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
from simsurvey.scenarios.evalue import evalue, evalue_limit, evalue_table
from simsurvey.scenarios.experiments import EXPERIMENTS, ExperimentResult, run_experiment
from simsurvey.scenarios.grid import run_grid
from simsurvey.scenarios.halo import halo_population, halo_share_table
from simsurvey.scenarios.winners import multiple_testing_table
from simsurvey.scenarios.world import World, latent_world

__all__ = ["World", "latent_world", "run_grid", "run_experiment", "EXPERIMENTS", "ExperimentResult",
           "evalue", "evalue_limit", "evalue_table", "halo_share_table", "halo_population",
           "multiple_testing_table"]
