"""The ``simsurvey`` command line: one sub-command per public function.

Every command takes ``--catalog DIR`` (a folder in the format of ``data/``) and
writes its table as text, CSV or JSON (``--format``). Errors in the input are
reported on one line naming the flag, with exit status 2, and no traceback;
Ctrl-C prints one line and exits with status 130.
"""
from __future__ import annotations

import argparse
import importlib
import sys
import warnings

from simsurvey._validation import RULES, number
from simsurvey.inference.resampling import METHODS
from simsurvey.catalog.load import CatalogError, load_catalog
from simsurvey.io.tables import FORMATS, format_table

CATALOG_TABLES = ("tiers", "figures", "claims", "groups", "surveys")

# Later stages add their own sub-commands from their own modules, so this file stays the
# dispatcher. A module in COMMAND_MODULES defines ``add_commands(subparsers, common)``; one in
# EXPERIMENT_MODULES defines ``add_experiments(subparsers, common)`` for ``simsurvey experiment NAME``.
# Each handler is set with ``set_defaults(run=...)`` and returns the text to print.
COMMAND_MODULES: tuple[str, ...] = ("simsurvey.report.commands",)
EXPERIMENT_MODULES: tuple[str, ...] = ("simsurvey.weighting.cli", "simsurvey.scenarios.experiments")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", metavar="DIR", default=None,
                        help="catalogue folder in the format of data/ (default: the shipped one)")
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="output format (default: table)")


def _wide(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wide", action="store_true",
                        help="with --format table: every column, nothing wrapped (default: ~100 columns)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="simsurvey",
        description="Synthetic respondents and robustness checks for published survey headlines.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in (_add_catalog, _add_check, _add_generate, _add_bootstrap):
        add(sub)
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(sub, _common)
    if EXPERIMENT_MODULES:
        p = sub.add_parser("experiment", help="simulation experiments: weighting and sampling caveats",
                           description="Run one simulation experiment and print its tidy result table; "
                                       "each experiment takes --catalog DIR, --seed and --format.")
        experiments = p.add_subparsers(dest="experiment", metavar="EXPERIMENT", required=True)
        for name in EXPERIMENT_MODULES:
            importlib.import_module(name).add_experiments(experiments, _common)
    return parser


def _add_catalog(sub) -> None:
    p = sub.add_parser("catalog", help="show the published figures of the catalogue",
                       description="Show the catalogue: with --survey, that survey's table of published "
                                   "percentages (one row per item, one column per group); without, the surveys.")
    p.add_argument("--survey", metavar="ID", help="survey id, e.g. sos-smb-2016")
    p.add_argument("--table", choices=CATALOG_TABLES, default=None,
                   help="which table to show (default: tiers with --survey, surveys without)")
    _common(p)
    p.set_defaults(run=_run_catalog)


def _add_check(sub) -> None:
    p = sub.add_parser("check", help="rounding forensics: which printed numbers are arithmetically possible",
                       description="Check every printed multiplier, overall figure, total and restated number "
                                   "against the rounding of the percentages, shares and n behind it "
                                   "(GRIM-style, with whole-number counts where the survey is unweighted). "
                                   "Prints one row per checked number with a verdict: consistent, "
                                   "inconsistent or unresolved.")
    p.add_argument("--survey", metavar="ID", help="survey id (default: every survey of the catalogue)")
    p.add_argument("--rule", choices=RULES, default="any",
                   help="rounding rule of the report (default: any, i.e. each number half-up or half-even)")
    p.add_argument("--table", choices=("claims", "mixtures", "inverse", "scrambled", "restated", "totals", "sizes",
                                       "size_vectors", "summary"), default="claims",
                   help="which result table to show (default: claims)")
    _wide(p)
    _common(p)
    p.set_defaults(run=_run_check)


def _add_generate(sub) -> None:
    p = sub.add_parser("generate", help="synthetic respondents reproducing a survey's published figures",
                       description="Generate one row per respondent whose group shares and per-group "
                                   "percentages reproduce the report (exact mode: to the printed digit), and "
                                   "write it to --out (.csv or .parquet). Prints a one-row summary.")
    p.add_argument("--survey", metavar="ID", default="sos-smb-2016", help="survey id (default: sos-smb-2016)")
    p.add_argument("--n", type=number, default=None, help="respondents (default: the published n)")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: fresh, printed in the summary)")
    p.add_argument("--model", choices=("calibrated", "latent"), default="calibrated",
                   help="calibrated (Gaussian copula within groups) or latent (one-factor model)")
    p.add_argument("--mode", choices=("exact", "sampled"), default="exact",
                   help="exact counts reproducing every printed percentage, or draws (default: exact)")
    p.add_argument("--rho", type=float, default=None,
                   help="within-group latent correlation of the calibrated model (default 0.3)")
    p.add_argument("--shares", metavar="G=P,...", default=None,
                   help="group shares as proportions where unpublished, e.g. growing=0.74,stagnant=0.26")
    p.add_argument("--likert", action="store_true", help="add five-point answers per item")
    p.add_argument("--on-infeasible", choices=("raise", "nearest"), default="raise",
                   help="when no whole number reproduces a printed figure: fail (default) or use the nearest")
    p.add_argument("--out", metavar="FILE", required=True, help="output file, .csv or .parquet")
    _common(p)
    p.set_defaults(run=_run_generate)


def _add_bootstrap(sub) -> None:
    p = sub.add_parser("bootstrap", help="intervals for every published multiplier",
                       description="Recompute every multiplier of a survey from a respondent-level sample "
                                   "(default: the exact-mode synthetic sample, as if the survey were a simple "
                                   "random sample) and give each bootstrap and analytic intervals. Prints the "
                                   "robustness table: one row per claim and method.")
    p.add_argument("--survey", metavar="ID", default="sos-smb-2016", help="survey id (default: sos-smb-2016)")
    p.add_argument("--sample", metavar="FILE", default=None,
                   help="respondent-level sample (.csv or .parquet, e.g. from simsurvey generate); "
                        "default: generate the exact-mode sample with --seed")
    p.add_argument("--replicates", type=int, default=10_000, help="bootstrap replicates B (default 10000)")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: fresh)")
    p.add_argument("--methods", default=",".join(METHODS),
                   help=f"comma-separated interval methods (default: {','.join(METHODS)})")
    p.add_argument("--confidence", type=float, default=0.95, help="confidence level (default 0.95)")
    p.add_argument("--stratified", action="store_true", help="resample within groups (group sizes fixed)")
    p.add_argument("--replicates-out", metavar="FILE", default=None,
                   help="also write the replicate weights as CSV for R's survey::svrepdesign")
    _wide(p)
    _common(p)
    p.set_defaults(run=_run_bootstrap)


def _run_catalog(args) -> str:
    cat = load_catalog(args.catalog)
    table = args.table or ("tiers" if args.survey else "surveys")
    if args.survey:
        cat.check_survey(args.survey)
    if table == "tiers":
        if not args.survey:
            raise ValueError("--table tiers needs --survey ID (one of: " + ", ".join(cat.survey_ids) + ")")
        out = cat.tier_table(args.survey, location="any").reset_index()
    else:
        out = getattr(cat, table)
        if args.survey:
            out = out[out["survey"] == args.survey]
        if table == "surveys" and args.format == "table":
            out = out[["survey", "title", "n", "fieldwork_start", "fieldwork_end", "probability_sample",
                       "group_variable"]]
    return format_table(out, args.format)


def _run_check(args) -> str:
    from simsurvey.forensics.verdicts import check

    res = check(args.catalog, survey=args.survey, rule=args.rule)
    for note in res.notes:
        print(f"simsurvey check: note: {note}", file=sys.stderr)
    if args.table == "summary":
        return format_table(res.summary().rename_axis("table").reset_index(), args.format)
    out = res.table(args.table)
    if args.format == "table" and not len(out):  # a sentence, not an empty frame
        where = f"survey {args.survey!r}" if args.survey else "this catalogue"
        return f"No rows: {where} has nothing for the {args.table} table to check.\n"
    if args.format == "table" and not args.wide:  # ~100 columns, one row per claim, notes wrapped
        from simsurvey.report.terminal import check_view

        view = check_view(res, load_catalog(args.catalog), args.table)
        if view is not None:
            return view
    return format_table(out, args.format, max_text=None)


def _run_generate(args) -> str:
    import pandas as pd

    from simsurvey.io.files import check_target, write_frame
    from simsurvey.synth.respondents import generate

    shares = None
    if args.shares:
        try:
            shares = {k.strip(): float(v) for k, v in (part.split("=", 1) for part in args.shares.split(","))}
        except ValueError:
            raise ValueError(f"--shares must look like group=proportion,group=proportion; got {args.shares!r}") from None
    check_target(args.out, name="--out")  # a bad --out fails before the work, not after
    frame = generate(args.survey, n=args.n, seed=args.seed, model=args.model, mode=args.mode, rho=args.rho,
                     catalog=args.catalog, shares=shares, likert=args.likert, on_infeasible=args.on_infeasible)
    path = write_frame(frame, args.out)
    a = frame.attrs["assumptions"]
    rho = a.get("rho")
    summary = pd.DataFrame([{
        "file": str(path), "survey": a["survey"], "n": a["n"], "columns": frame.shape[1], "model": a["model"],
        "mode": a["mode"], "seed": str(a["seed"]),
        "rho": "" if rho is None else rho if isinstance(rho, float) else "matrix",
        "group_sizes": " ".join(f"{g}={k}" for g, k in a["group_sizes"].items()),
        "skipped_items": len(a["skipped_items"]), "infeasible": len(a["infeasible"])}])
    return format_table(summary, args.format)


def _run_bootstrap(args) -> str:
    from simsurvey.inference.resampling import bootstrap, sample_replicates
    from simsurvey.inference.notices import skipped_footer
    from simsurvey.io.files import check_target, read_frame
    from simsurvey.synth.respondents import generate
    from simsurvey.seeds import as_seed_sequence
    from simsurvey.catalog.spec import survey_spec

    if args.replicates_out:  # a bad path fails before the work, not after
        check_target(args.replicates_out, name="--replicates-out", formats=(".csv",))
    spec = survey_spec(args.survey, load_catalog(args.catalog))
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    # one SeedSequence for the run (sample and replicates), so --replicates-out writes the very
    # replicates the table used and a fresh seed, printed, replays the whole run
    root = as_seed_sequence(args.seed)
    if args.sample:
        sample = read_frame(args.sample, name="--sample")
    else:
        sample = generate(spec, seed=root, catalog=args.catalog)
    result = bootstrap(sample, spec, replicates=args.replicates, seed=root, methods=methods,
                       confidence=args.confidence, stratified=args.stratified)
    if args.replicates_out:
        sample_replicates(sample, args.replicates, root, stratified=args.stratified).to_csv(
            args.replicates_out, respondent_ids=sample["respondent"] if "respondent" in sample.columns else None)
    if args.format != "table" or args.wide:  # the table view lists them in its own footer
        print(skipped_footer(result.attrs["skipped"], "simsurvey bootstrap"), end="", file=sys.stderr)
    if args.seed is None:
        print(f"simsurvey bootstrap: seed {root.entropy} (rerun with --seed {root.entropy} to replay)",
              file=sys.stderr)
    if args.format == "table" and not args.wide:  # one row per claim, methods side by side
        from simsurvey.report.terminal import bootstrap_view

        return bootstrap_view(result, load_catalog(args.catalog))
    return format_table(result, args.format, max_text=None)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _one_line_warning(args.command)
            text = args.run(args)
    except CatalogError as err:
        print(f"simsurvey {args.command}: error: {err}", file=sys.stderr)
        return 2
    except ValueError as err:
        print(f"simsurvey {args.command}: error: {_name_the_flag(str(err), parser, args)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"simsurvey {args.command}: interrupted", file=sys.stderr)
        return 130  # 128 + SIGINT, as a shell reports it
    sys.stdout.write(text)
    return 0


def _one_line_warning(command: str):
    """Warnings as one line each on stderr; skipped claims are left to the command's footer."""
    def show(message, category, filename, lineno, file=None, line=None):
        if category.__name__ != "SkippedClaimWarning":
            print(f"simsurvey {command}: warning: {message}", file=sys.stderr)
    return show


def _name_the_flag(message: str, parser: argparse.ArgumentParser, args) -> str:
    """Say ``--n`` where the library's message names its argument ``n``.

    The commands mirror the functions, so a function argument and the flag
    that sets it share a name; a message that starts with that name is about
    the flag. File arguments also get the file: ``--sample FILE: ...``.
    """
    word = message.split(" ", 1)[0].split(":", 1)[0]
    command = parser._subparsers._group_actions[0].choices[args.command]
    flags = {a.dest: a.option_strings[-1] for a in command._actions if a.option_strings}
    if word not in flags or flags[word] == "--help":
        return message
    rest = message[len(word):]
    if word not in _FILE_FLAGS:
        return flags[word] + rest
    value = getattr(args, word, None)
    if value is None:  # e.g. the sample bootstrap generated itself: no flag to name
        return message
    return flags[word] + ("" if str(value) in rest else f" {value}") + rest


_FILE_FLAGS = {"sample", "out", "replicates_out"}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
