"""The ``simsurvey`` command line: one sub-command per public function.

Every command takes ``--catalog DIR`` (a folder in the format of ``data/``) and
writes its table as text, CSV or JSON (``--format``). Errors in the input are
reported on one line, with exit status 2, and no traceback.
"""
from __future__ import annotations

import argparse
import sys

from .catalog import CatalogError, load_catalog
from .tables import FORMATS, format_table

CATALOG_TABLES = ("tiers", "figures", "claims", "groups", "surveys")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", metavar="DIR", default=None,
                        help="catalogue folder in the format of data/ (default: the shipped one)")
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="output format (default: table)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="simsurvey",
        description="Synthetic respondents and robustness checks for published survey headlines.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("catalog", help="show the published figures of the catalogue",
                       description="Show the catalogue: with --survey, that survey's table of published "
                                   "percentages (one row per item, one column per group); without, the surveys.")
    p.add_argument("--survey", metavar="ID", help="survey id, e.g. sos-smb-2016")
    p.add_argument("--table", choices=CATALOG_TABLES, default=None,
                   help="which table to show (default: tiers with --survey, surveys without)")
    _common(p)
    p.set_defaults(run=_run_catalog)
    return parser


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


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        text = args.run(args)
    except (CatalogError, ValueError) as err:
        print(f"simsurvey {args.command}: error: {err}", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
