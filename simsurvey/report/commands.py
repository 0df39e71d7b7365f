"""The report stage's sub-commands: ``check-ratio``, ``new-catalog`` and ``critique`` (registered in cli.py)."""
from __future__ import annotations

import pandas as pd

from simsurvey._validation import number
from simsurvey.io.tables import format_table

__all__ = ["add_commands"]


def add_commands(sub, common) -> None:
    """Add the report stage's sub-commands to the ``simsurvey`` parser."""
    p = sub.add_parser("check-ratio", help="one printed multiplier: rounding verdict and interval in one line",
                       description="Check one printed multiplier against the two percentages behind it, e.g. "
                                   "'simsurvey check-ratio 91 16 5.7 --n 786 --shares 11,53,36': can rounding "
                                   "(and, with --n and --shares, whole-number counts) produce it, and what interval "
                                   "would ideal random sampling give it (Koopman score, with the group sizes that "
                                   "fit, closest to the printed shares). Decimals are read from the numbers as typed.")
    p.add_argument("num_pct", help="numerator percentage as printed, e.g. 91")
    p.add_argument("den_pct", help="denominator percentage as printed, e.g. 16")
    p.add_argument("printed", help="the printed multiplier, e.g. 5.7 (for '5.7x')")
    p.add_argument("--n", type=number, default=None, help="respondents in all groups (the published n)")
    p.add_argument("--shares", metavar="P,P,...", default=None,
                   help="printed share of every group in percent, e.g. 11,53,36 (numerator group first and "
                        "denominator group last, unless --pair says otherwise)")
    p.add_argument("--pair", metavar="I,J", default=None,
                   help="1-based positions in --shares of the numerator and denominator groups (default: first,last)")
    p.add_argument("--less", action="store_true", help="the report says 'x less likely' (ratio = den / num)")
    p.add_argument("--rule", choices=("any", "half_up", "half_even"), default="any",
                   help="rounding rule of the report (default: any)")
    p.add_argument("--confidence", type=float, default=0.95, help="confidence level (default 0.95)")
    common(p)
    p.set_defaults(run=_run_check_ratio)

    p = sub.add_parser("critique", help="the whole methodology critique of a report: report.html, tables, figures",
                       description="Run the forensics (resolved survey, rounding checks), an exact-mode synthetic "
                                   "sample, the bootstrap under ideal random sampling, the interval after a plausible "
                                   "weighting (company size raked to the US firm mix, every replicate re-raked) and "
                                   "the caveat scenarios, and write report.html (one "
                                   "self-contained file), report.md, every table as CSV and every figure as PNG into "
                                   "--out (default critique/SURVEY/). Prints the verdict table: one row per printed "
                                   "claim with its percentages.")
    p.add_argument("--survey", metavar="ID", default="sos-smb-2016",
                   help="survey id, or 'all' for one report per survey plus an index page (default: sos-smb-2016)")
    p.add_argument("--out", metavar="DIR", default=None,
                   help="output folder (default: critique/SURVEY/, or critique/ with --survey all)")
    p.add_argument("--seed", type=int, default=None, help="random seed (default: fresh, printed and recorded)")
    p.add_argument("--quick", action="store_true",
                   help="1,000 bootstrap replicates instead of 10,000, 4 company-size draws per panel mix instead of 8")
    p.add_argument("--workers", metavar="W", type=_workers, default=None,
                   help="worker processes for the weighting stage (its draws are independent cells with their own "
                        "seeds: the files are the same for any W). Default: every core once the draws hold at least "
                        "5e7 replicate-respondents (the default run of the SMB report), else 1 (--quick)")
    p.add_argument("--wide", action="store_true", help="with --format table: every column of the verdict table")
    common(p)
    p.set_defaults(run=_run_critique)

    p = sub.add_parser("new-catalog", help="write a template catalogue folder for your own report",
                       description="Write DIR with surveys.csv, groups.csv, figures.csv, claims.csv and a README: "
                                   "a complete example survey to overwrite with your own report's figures. "
                                   "Provenance columns (source_file, quote, note) are optional in your own catalogue.")
    p.add_argument("folder", metavar="DIR", help="folder to create (must not exist, or be empty)")
    p.set_defaults(run=_run_new_catalog)


def _workers(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text!r}")
    return value


def _run_check_ratio(args) -> str:
    from simsurvey.report.one_claim import check_ratio

    shares = pair = None
    if args.shares:
        try:
            shares = [float(v) for v in args.shares.split(",")]
        except ValueError:
            raise ValueError(f"--shares must be comma-separated percentages, e.g. 11,53,36; got {args.shares!r}") \
                from None
    if args.pair:
        try:
            i, j = (int(v) - 1 for v in args.pair.split(","))
        except ValueError:
            raise ValueError(f"--pair must be two positions, e.g. 1,3; got {args.pair!r}") from None
        pair = (i, j)
    if args.n is not None and shares is None:
        raise ValueError("--shares: needed with --n (the printed share of every group, e.g. 11,53,36)")
    r = check_ratio(args.num_pct, args.den_pct, args.printed, n=args.n, shares=shares, pair=pair,
                    direction="less" if args.less else "more", rule=args.rule, confidence=args.confidence)
    if args.format == "table":
        return r.sentence() + "\n"
    return format_table(pd.DataFrame([r.__dict__]), args.format)


def _run_new_catalog(args) -> str:
    from simsurvey.report.template import TEMPLATE_SURVEY, new_catalog

    written = new_catalog(args.folder)
    return (f"wrote {len(written)} files to {args.folder}: " + ", ".join(p.name for p in written) + "\n"
            f"next: simsurvey critique --catalog {args.folder} --survey {TEMPLATE_SURVEY}\n")


def _run_critique(args) -> str:
    import sys
    from pathlib import Path

    from simsurvey.catalog.load import load_catalog
    from simsurvey.report.critique import check_out_folder, critique, write_index
    from simsurvey.report.terminal import critique_view
    from simsurvey.seeds import as_seed_sequence

    cat = load_catalog(args.catalog)
    surveys = cat.survey_ids if args.survey == "all" else [cat.check_survey(args.survey)]
    root = Path(args.out) if args.out else Path("critique") / ("" if args.survey == "all" else args.survey)
    check_out_folder(root)  # a bad --out fails before the work, not after
    seed = as_seed_sequence(args.seed)
    if args.seed is None:
        print(f"simsurvey critique: seed {seed.entropy} (rerun with --seed {seed.entropy} to replay)", file=sys.stderr)
    done, texts, written = [], [], 0
    for survey in surveys:
        folder = root / survey if args.survey == "all" else root
        c = critique(survey, catalog=cat, seed=seed, quick=args.quick, workers=args.workers)
        written += len(c.write(folder))
        done.append((c, folder))
        if args.format == "table" and not args.wide:
            texts.append(critique_view(c))
        else:
            texts.append(format_table(c.verdicts.assign(survey=survey), args.format, max_text=None))
    if args.survey == "all":
        written += len(write_index(done, root))
    opened = root / "index.html" if args.survey == "all" else root / "report.html"
    if args.format != "table":  # the verdict tables themselves, nothing else on stdout
        return texts[0] if len(texts) == 1 else format_table(
            pd.concat([c.verdicts.assign(survey=c.survey) for c, _ in done], ignore_index=True), args.format,
            max_text=None)
    return "\n".join(texts) + f"\nwrote {written} files; open {opened}\n"
