"""Sampling-caveat scenarios: what each caveat of the reports does to every printed multiplier.

Each scenario starts from a known population (:func:`latent_world`, the
one-factor model fitted to the published figures), applies one mechanism with
a strength knob, and measures every claim against the known truth. Grids of
scenarios run with :func:`run_grid` (local processes or a Dask cluster).
"""
from simsurvey.scenarios.evalue import evalue, evalue_limit, evalue_table
from simsurvey.scenarios.grid import run_grid
from simsurvey.scenarios.world import World, latent_world

__all__ = ["World", "latent_world", "run_grid", "evalue", "evalue_limit", "evalue_table"]
