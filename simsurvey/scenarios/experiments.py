"""The scenario experiments: default grids, tidy runs, one summary row per setting and claim.

:func:`run_experiment` runs one mechanism's grid (see :data:`EXPERIMENTS`)
with :func:`~simsurvey.scenarios.grid.run_grid` and summarises it. The CLI
``simsurvey experiment NAME`` prints the summary (:func:`add_experiments`).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field

import importlib

from simsurvey.seeds import as_seed_sequence

__all__ = ["EXPERIMENTS", "ExperimentResult", "run_experiment", "summarize_claims", "add_experiments"]


@dataclass(frozen=True)
class _Experiment:
    cell_path: str  # "module:function", imported on use so `simsurvey --help` stays light
    grid: dict
    about: str

    @property
    def cell(self):
        module, name = self.cell_path.split(":")
        return getattr(importlib.import_module(f"simsurvey.scenarios.{module}"), name)


#: Name -> cell function, default grid and what it varies.
EXPERIMENTS = {
    "selection": _Experiment("selection:selection_cell", {"strength": [0.0, 0.5, 1.0, 2.0], "on": ["performance", "items"],
                                              "weighting": ["none", "poststratify"]},
                             "opt-in participation, logistic in performance or in the items, with and "
                             "without post-stratification on company size"),
    "halo": _Experiment("halo:halo_cell", {"mix": [0.0, 0.25, 0.5, 0.75, 1.0]},
                        "a shared self-rating style: from real differences (mix 0) to pure halo (mix 1)"),
    "misclassification": _Experiment("misclassification:misclassification_cell", {"noise": [0.0, 0.25, 0.5, 1.0]},
                                     "noise in the two self-ratings the tiers are cut from"),
    "nonresponse": _Experiment("nonresponse:nonresponse_cell", {"strength": [0.0, 1.0, 2.0], "on": ["tier", "answer"],
                                                  "base": ["answering", "everyone"]},
                               "don't know related to the tier or to the answer, left out of or kept in the base"),
    "winners-curse": _Experiment("winners:winners_cell", {"spread": [0.0, 0.5, 1.0]},
                                 "the top-k claims by estimate against their true values, in the fitted "
                                 "population (spread 1) and in families of more alike claims"),
}


@dataclass(frozen=True)
class ExperimentResult:
    """One experiment: every cell's rows (``runs``) and the summary over replications."""

    name: str
    runs: pd.DataFrame
    summary: pd.DataFrame
    assumptions: dict = field(default_factory=dict)


def run_experiment(name: str, survey="sos-smb-2016", *, replications: int = 20, seed=None, workers=None,
                   client=None, progress=None, replicates: int = 1000, grid: dict | None = None,
                   catalog=None) -> ExperimentResult:
    """Run one experiment's grid on the fitted population of ``survey`` and summarise it.

    Parameters
    ----------
    name : str
        One of :data:`EXPERIMENTS`.
    survey : str, SurveySpec or World
    replications : int
        Samples per grid setting.
    seed, workers, client, progress
        See :func:`~simsurvey.scenarios.grid.run_grid`.
    replicates : int
        Bootstrap replicates per sample (0: estimates only). Not used by ``winners-curse``.
    grid : dict, optional
        Replaces the default grid (same parameter names as the cell function).

    Returns
    -------
    ExperimentResult

    Examples
    --------
    >>> res = run_experiment("misclassification", replications=2, seed=1, workers=1, replicates=0,
    ...                      grid={"noise": [0.0, 1.0]})
    >>> res.summary.groupby("noise")["relative_bias"].mean().round(1).tolist()
    [0.0, -0.2]
    """
    from simsurvey.scenarios.grid import run_grid
    from simsurvey.scenarios.selection import item_score_moments
    from simsurvey.scenarios.world import World, latent_world

    if name not in EXPERIMENTS:
        raise ValueError(f"experiment must be one of {', '.join(EXPERIMENTS)}, got {name!r}")
    exp = EXPERIMENTS[name]

    world = survey if isinstance(survey, World) else latent_world(survey, catalog=catalog)
    _ = world.truth  # computed once here and shipped with the world, not once per cell
    fixed = {"world": world}
    if name != "winners-curse":
        fixed["replicates"] = replicates
    if name == "selection":
        fixed["moments"] = item_score_moments(world)
    grid = dict(grid or exp.grid)
    root = as_seed_sequence(seed)
    runs = run_grid(exp.cell, grid, replications, root, fixed=fixed, workers=workers, client=client,
                    progress=progress)
    keys = list(grid)
    summary = _summarize_winners(runs) if name == "winners-curse" else summarize_claims(runs, keys, world)
    assumptions = {"experiment": name, "about": exp.about, "survey": world.survey, "seed": int(root.entropy),
                   "replications": replications, "bootstrap_replicates": replicates, "grid": grid,
                   "population": "one-factor model fitted to the published figures (simsurvey.fit_latent) "
                                 f"at group sizes {dict(zip(world.groups, world.sizes.tolist()))}"}
    return ExperimentResult(name, runs, summary, assumptions)


def summarize_claims(runs, keys, world):
    """Per grid setting and claim: truth, mean estimate, bias, its Monte Carlo SE, interval coverage.

    ``bias`` is the mean estimate minus the population value ``truth``;
    ``relative_bias`` divides it by ``truth``; ``mc_se`` is the Monte Carlo
    standard error of the mean estimate; ``coverage`` the share of
    percentile intervals containing ``truth`` (NaN without a bootstrap).
    """
    import numpy as np

    printed = dict(zip(world.claims["claim_id"], world.claims["printed"]))
    runs = runs.assign(covers=(runs["low"] <= runs["truth"]) & (runs["truth"] <= runs["high"]))
    by = [*keys, "claim_id", "item"]
    g = runs.groupby(by, sort=False)
    out = g.agg(truth=("truth", "first"), mean_estimate=("estimate", "mean"), sd=("estimate", "std"),
                samples=("estimate", "count"), coverage=("covers", "mean")).reset_index()
    if "population" in runs.columns:
        out.insert(len(by), "population", g["population"].first().to_numpy())
    out.insert(len(by), "printed", out["claim_id"].map(printed))
    out["bias"] = out["mean_estimate"] - out["truth"]
    out["relative_bias"] = out["bias"] / out["truth"]
    out["mc_se"] = out.pop("sd") / np.sqrt(out["samples"])
    if runs["low"].isna().all():
        out["coverage"] = np.nan
    return out[[c for c in out.columns if c != "samples"] + ["samples"]]


def _summarize_winners(runs):
    import numpy as np

    g = runs.groupby(["spread", "k"], sort=False)
    out = g.agg(mean_estimate=("mean_estimate", "mean"), mean_truth=("mean_truth", "mean"),
                inflation=("inflation", "mean"), sd=("inflation", "std"), samples=("inflation", "count"),
                printed_top=("printed_top", "first")).reset_index()
    out["mc_se"] = out.pop("sd") / np.sqrt(out["samples"])
    return out[["spread", "k", "mean_estimate", "mean_truth", "inflation", "mc_se", "printed_top", "samples"]]


# -- command line -----------------------------------------------------------------------

def add_experiments(subparsers, common) -> None:
    """Register ``simsurvey experiment {selection,halo,misclassification,winners-curse,nonresponse,evalue}``."""
    for name, exp in EXPERIMENTS.items():
        p = subparsers.add_parser(name, help=exp.about, description=f"Scenario experiment: {exp.about}. "
                                  "Prints one row per setting and claim: the population value, the mean "
                                  "estimate over the replications, its bias and Monte Carlo SE.")
        p.add_argument("--survey", metavar="ID", default="sos-smb-2016", help="survey id (default: sos-smb-2016)")
        p.add_argument("--replications", type=int, default=20, help="samples per setting (default 20)")
        p.add_argument("--seed", type=int, default=None, help="random seed (default: fresh, printed)")
        p.add_argument("--workers", type=int, default=None, help="local processes (default: every CPU)")
        if name == "winners-curse":
            p.add_argument("--table", choices=("inflation", "tests"), default="inflation",
                           help="inflation of the top-k (default) or Holm/Benjamini-Hochberg tests of the family")
        else:
            p.add_argument("--replicates", type=int, default=1000,
                           help="bootstrap replicates per sample, 0 for none (default 1000)")
        common(p)
        p.set_defaults(run=_run, experiment_name=name)
    p = subparsers.add_parser("evalue", help="how strong a bias must be to explain each printed ratio away",
                              description="E-value (VanderWeele & Ding 2017) of every ratio claim and of its "
                                          "lower 95%% limit, with a sentence to quote. Computed, not simulated.")
    p.add_argument("--survey", metavar="ID", default="sos-smb-2016", help="survey id (default: sos-smb-2016)")
    common(p)
    p.set_defaults(run=_run_evalue)


def _check_flags(args):
    if args.replications < 1:
        raise ValueError(f"--replications must be at least 1, got {args.replications}")
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be at least 1, got {args.workers}")
    if getattr(args, "replicates", 0) < 0:
        raise ValueError(f"--replicates must be 0 or more, got {args.replicates}")
    if args.seed is not None and args.seed < 0:
        raise ValueError(f"--seed must be a non-negative integer, got {args.seed}")


def _world(args):
    from simsurvey.catalog.load import load_catalog
    from simsurvey.scenarios.world import latent_world

    cat = load_catalog(args.catalog)
    cat.check_survey(args.survey)
    custom = None if args.catalog is None else cat
    return latent_world(args.survey, catalog=custom), custom


def _run(args) -> str:
    from simsurvey.io.tables import format_table

    _check_flags(args)
    world, custom = _world(args)
    if getattr(args, "table", None) == "tests":
        from simsurvey.scenarios.winners import multiple_testing_table
        return format_table(multiple_testing_table(world, catalog=custom), args.format)
    root = as_seed_sequence(args.seed)
    res = run_experiment(args.experiment_name, world, replications=args.replications, seed=root,
                         workers=args.workers, replicates=getattr(args, "replicates", 0))
    if args.seed is None:
        print(f"simsurvey experiment: seed {root.entropy} (rerun with --seed {root.entropy} to replay)",
              file=sys.stderr)
    out = res.summary
    if args.format == "table":
        out = out.drop(columns=[c for c in ("item", "top_claims") if c in out.columns]).round(3)
    return format_table(out, args.format)


def _run_evalue(args) -> str:
    from simsurvey.io.tables import format_table
    from simsurvey.scenarios.evalues import evalue_table

    world, custom = _world(args)
    out = evalue_table(world, catalog=custom)
    if args.format == "table":
        out = out[["claim_id", "item", "printed", "low", "evalue", "evalue_low"]].round(2)
    return format_table(out, args.format)
