"""The default terminal view of ``check`` and ``bootstrap``: one row per claim, ~100 columns, nothing cut.

Each view picks the columns a reader quotes (the claim in the report's words,
the percentages, the verdict, the interval), wraps long text, prints the note
under its row, and ends with a legend and a footer saying what was left out
and why. ``--wide`` and ``--format csv|json`` print the full tidy table instead.
"""
from __future__ import annotations

import pandas as pd

from simsurvey.catalog.load import Catalog
from simsurvey.io.readable import WIDTH, Column, paragraphs, readable_table
from simsurvey.report.wording import claim_wording, interval_text, percentages_text, value_text

__all__ = ["check_view", "bootstrap_view", "critique_view", "CHECK_LEGEND"]

CHECK_LEGEND = ("allowed = the values the rounded figures behind a number allow; verdicts: consistent = some true values that round to the printed percentages (and, for an "
                "unweighted survey, whole-number counts) give the printed number; inconsistent = none do; "
                "unresolved = arithmetic alone cannot decide (no percentages published, or a scrambled chart's "
                "pairing).")
#: Interval methods shown side by side by default (the others with --wide).
SHOWN_METHODS = ("percentile", "bca", "koopman", "simultaneous")

_RANGE = Column("range", "allowed", 13)
_VERDICT = Column("verdict", "verdict", 12)
_VIEWS = {
    "claims": [Column("id", "id", 4), Column("claim", "claim (report's words)", 34), Column("printed_text", "printed", 7),
               Column("percentages", "percentages", 22), _RANGE, _VERDICT],
    "mixtures": [Column("item", "item", 34), Column("printed", "overall", 7, "right"),
                 Column("group_pcts", "groups", 12), Column("shares", "shares", 10), _RANGE, _VERDICT],
    "inverse": [Column("item", "item", 34), Column("group", "share of", 10), Column("group_pcts", "groups", 9),
                Column("printed", "overall", 7, "right"), _RANGE, _VERDICT],
    "scrambled": [Column("item", "item", 30), Column("pcts", "percentages", 11), Column("positional", "printed", 7),
                  Column("can", "can carry", 16), Column("gets", "gets", 6), _VERDICT],
    "restated": [Column("kind", "kind", 6), Column("item", "item", 34), Column("group", "group", 8),
                 Column("printed_chart", "chart", 6, "right"), Column("printed_text", "text", 6, "right"), _VERDICT],
    "totals": [Column("question", "question", 20), Column("group", "group", 14), Column("pcts", "categories", 12),
               Column("printed", "total", 6, "right"), _RANGE, _VERDICT],
    "sizes": [Column("groups", "groups", 20), Column("shares", "shares", 9), Column("vectors", "vectors", 7, "right"),
              Column("fitting", "fitting", 7, "right"), Column("sizes", "fitting sizes", 18), _VERDICT],
}


def _labels(catalog: Catalog, surveys) -> dict[str, str]:
    """Item id to its printed label, whole, for the surveys shown."""
    from simsurvey.plots.labels import item_labels

    return {i: lab for s in dict.fromkeys(surveys) for i, lab in
            item_labels(s, catalog=catalog, width=None, mark_uncertain=False).items()}


def check_view(res, catalog: Catalog, table: str = "claims", *, width: int = WIDTH) -> str | None:
    """The readable view of one table of :func:`simsurvey.check`, or None where the plain table fits.

    Examples
    --------
    >>> import simsurvey as ss
    >>> text = check_view(ss.check(survey="smb-trends-2017"), ss.load_catalog())
    >>> max(len(line) for line in text.splitlines()) <= 100
    True
    """
    if table not in _VIEWS:
        return None
    frame = _prepare(res.table(table), table, catalog)
    blocks = []
    for survey, part in frame.groupby("survey", sort=False):
        blocks.append(_heading(catalog, survey, width))
        blocks.append(readable_table(part, _VIEWS[table], note="note", width=width))
    if not blocks:
        blocks.append(f"(no rows in table {table!r})")
    blocks.append(paragraphs([CHECK_LEGEND], width))
    other = [t for t in ("claims", "mixtures", "inverse", "scrambled", "restated", "totals", "sizes", "size_vectors")
             if t != table]
    blocks.append(paragraphs([f"not shown: the other tables ({', '.join(other)}; choose with --table) and the "
                              "columns of this one beyond those above (--wide or --format csv|json)."], width))
    return "\n\n".join(blocks) + "\n"


def _prepare(t: pd.DataFrame, table: str, catalog: Catalog) -> pd.DataFrame:
    t = t.copy()
    if "low" in t and "high" in t:
        t["range"] = [f"{lo:.3g}–{hi:.3g}" if pd.notna(lo) and pd.notna(hi) else ""
                      for lo, hi in zip(t["low"], t["high"])]
    if table == "claims":
        wording = claim_wording(t.merge(catalog.claims[["claim_id", "label"]], on="claim_id", how="left"),
                                _labels(catalog, t["survey"]))
        t["claim"] = wording.to_numpy()
        t["id"] = "#" + t["claim_id"].str.rsplit("#", n=1).str[-1]
        t["percentages"] = [percentages_text(r.kind, r.numerator, r.denominator, r.num_pct, r.den_pct)
                            for r in t.itertuples(index=False)]
        t["range"] = [f"{value_text(lo, k)}–{value_text(hi, k)}" if pd.notna(lo) else ""
                      for lo, hi, k in zip(t["low"], t["high"], t["kind"])]
    if table == "scrambled":
        t["pcts"] = [f"{a:g}% vs {b:g}%" for a, b in zip(t["num_pct"], t["den_pct"])]
        t["positional"] = [f"{v:g}x" for v in t["positional"]]
    return t


def _heading(catalog: Catalog, survey: str, width: int) -> str:
    row = catalog.surveys.set_index("survey").loc[survey]
    n = "" if pd.isna(row["n"]) else f", n = {int(row['n']):,}"
    return paragraphs([f"{survey}: {row['title']}{n}"], width)


def bootstrap_view(result: pd.DataFrame, catalog: Catalog, *, methods=None, width: int = WIDTH) -> str:
    """The readable view of :func:`simsurvey.bootstrap`: one row per claim, methods side by side.

    ``methods`` picks the interval columns (default: those of
    :data:`SHOWN_METHODS` present in ``result``, else the first four).
    """
    present = list(dict.fromkeys(result["method"]))
    if methods is None:
        methods = [m for m in SHOWN_METHODS if m in present] or present[:4]
    first = result.drop_duplicates("claim_id").set_index("claim_id")
    catalog_claims = catalog.claims.set_index("claim_id")
    rows = pd.DataFrame({
        "id": ["#" + c.rsplit("#", 1)[-1] for c in first.index],
        "claim": claim_wording(catalog_claims.loc[first.index].reset_index(),
                               _labels(catalog, first["survey"])).to_numpy(),
        "printed": catalog_claims.loc[first.index, "printed_text"].to_numpy(),
        "estimate": [value_text(v, k) for v, k in zip(first["estimate"], first["kind"])],
    })
    for m in methods:
        part = result[result["method"] == m].set_index("claim_id").reindex(first.index)
        marks = ["" if pd.isna(inside) or bool(inside) else "*" for inside in part["printed_inside"]]
        rows[m] = [interval_text(lo, hi, k) + mark for lo, hi, k, mark in
                   zip(part["low"], part["high"], first["kind"], marks)]
    columns = [Column("id", "id", 4), Column("claim", "claim (report's words)", 26),
               Column("printed", "printed", 7), Column("estimate", "est.", 6, "right")] + \
        [Column(m, m, 12, "right") for m in methods]
    confidence = result.attrs.get("assumptions", {}).get("confidence", 0.95)
    legend = (f"est. = the multiplier recomputed from the sample; intervals: {confidence:.0%} confidence, one column "
              "per method; * = the printed value lies outside that interval.")
    footer = _bootstrap_footer(result, methods, present)
    return "\n\n".join([readable_table(rows, columns, width=width), paragraphs([legend], width),
                        paragraphs(footer, width)]) + "\n"


def _bootstrap_footer(result, methods, present) -> list[str]:
    sizes = dict(zip(result["numerator"], result["n_numerator"])) | dict(zip(result["denominator"],
                                                                             result["n_denominator"]))
    groups = {g: n for g, n in sizes.items() if g in set(result.loc[result["kind"] == "ratio", "numerator"])
              | set(result.loc[result["kind"] == "ratio", "denominator"])}
    lines = ["respondents in the sample: " + ", ".join(f"{g} {int(n)}" for g, n in groups.items())] if groups else []
    for r in result.attrs.get("skipped", []):  # plain dicts: claim_id, item, reason
        lines.append(f"skipped #{r['claim_id'].rsplit('#', 1)[-1]}{' (' + r['item'] + ')' if r['item'] else ''}: "
                     f"{r['reason']}")
    hidden = [m for m in present if m not in methods]
    if hidden:
        lines.append(f"not shown: the {', '.join(hidden)} intervals and the per-claim statistics "
                     "(share_above_1, share_in_order, replicates_used): --wide or --format csv|json.")
    return lines or ["nothing skipped."]


def critique_view(c, *, width: int = WIDTH) -> str:
    """The verdict table of a :class:`~simsurvey.report.critique.Critique` in ~100 columns, verdicts wrapped."""
    shown = c.shown.rename(columns={"claim (report's words)": "claim", "percentages behind it": "percentages",
                                    "ideal-sampling interval": "interval"})
    columns = [Column("id", "id", 4), Column("claim", "claim (report's words)", 30), Column("printed", "printed", 7),
               Column("percentages", "percentages", 20), Column("rounding", "rounding", 10),
               Column("interval", "interval", 12)]
    blocks = [paragraphs([c.heading], width)]
    if len(shown):
        blocks.append(readable_table(shown, columns, note="verdict", width=width))
    if len(c.unpublished):
        blocks.append(paragraphs([f"printed without both percentages: {len(c.unpublished)} claims (what they would "
                                  "need is in the report's own section and unpublished.csv)"], width))
    blocks.append(paragraphs(["interval: 95% bootstrap percentile under ideal random sampling. " + c.summary[1]]
                             + c.summary[2:], width))
    return "\n\n".join(blocks) + "\n"
