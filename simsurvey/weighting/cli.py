"""``simsurvey experiment weighting --scenario NAME``: the weighting experiments on the command line."""
from __future__ import annotations

import sys

__all__ = ["add_experiments", "SCENARIOS"]

SCENARIOS = ("employee-size", "relevance", "country-mix")

#: columns the text table shows; csv and json keep every column
_SHOWN = {
    "employee-size": ["tilt", "distance", "item", "truth", "deff", "n_eff", "unweighted", "weighted", "shift",
                      "width_unweighted", "width_weighted", "widening", "deff_multiplier", "coverage_unweighted",
                      "coverage_weighted"],
    "relevance": ["weighting", "related_to_outcome", "item", "truth", "estimate", "bias", "sd", "rmse", "width",
                  "coverage", "deff", "deff_multiplier"],
    "country-mix": ["quantity", "subject", "item", "printed", "as_published", "reweighted", "shift",
                    "width_unweighted", "width_reweighted", "deff_weighting"],
}


def add_experiments(subparsers, common) -> None:
    p = subparsers.add_parser(
        "weighting", help="what weighting does to the multipliers (SMB Trends sizes, State of Service countries)",
        description="Simulate the reports' weighting caveats and print one tidy table. employee-size: opt-in "
                    "samples of US SMBs further and further from the Census firm-size mix, weighted back "
                    "(SMB Trends); relevance: weighting on company size (related to the outcome) versus region "
                    "(unrelated); country-mix: State of Service's eight countries reweighted to another mix.")
    p.add_argument("--scenario", choices=SCENARIOS, required=True, help="which experiment")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: fresh, printed)")
    p.add_argument("--surveys", type=int, default=100,
                   help="simulated surveys per setting (employee-size, relevance; default 100)")
    p.add_argument("--replicates", type=int, default=400, help="bootstrap replicates per survey (default 400)")
    common(p)
    p.set_defaults(run=_run)


def _run(args) -> str:
    from simsurvey.catalog.load import load_catalog
    from simsurvey.io.tables import format_table
    from simsurvey.seeds import as_seed_sequence
    from simsurvey.weighting.countries import country_mix_experiment
    from simsurvey.weighting.experiments import employee_size_experiment, relevance_experiment

    for flag, value in (("--surveys", args.surveys), ("--replicates", args.replicates)):
        if value < 2:
            raise ValueError(f"{flag} must be at least 2, got {value}")
    seed = as_seed_sequence(args.seed)
    catalog = load_catalog(args.catalog) if args.catalog else None
    if args.scenario == "employee-size":
        table = employee_size_experiment(surveys=args.surveys, replicates=args.replicates, seed=seed, catalog=catalog)
    elif args.scenario == "relevance":
        table = relevance_experiment(surveys=args.surveys, replicates=args.replicates, seed=seed, catalog=catalog)
    else:
        table = country_mix_experiment(replicates=args.replicates, seed=seed, catalog=catalog)
    if args.seed is None:
        print(f"simsurvey experiment weighting: seed {seed.entropy} (rerun with --seed {seed.entropy} to replay)",
              file=sys.stderr)
    if args.format == "table":
        table = table[_SHOWN[args.scenario]].round(3)
    return format_table(table, args.format)
