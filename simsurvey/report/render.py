"""A critique as Markdown and as one self-contained HTML file (figures inline as base64 PNG).

Both are rendered from the same sections, so they say the same thing. The
HTML has its style inline and no link, script, font or image outside itself:
it opens offline, from an e-mail attachment, years later.
"""
from __future__ import annotations

import base64
import html

import pandas as pd

__all__ = ["to_markdown", "to_html", "index_markdown", "index_html"]


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;
color:#222;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.85rem;margin:.8rem 0}th,td{border:1px solid #ccc;padding:.3rem .45rem;
vertical-align:top;text-align:left}th{background:#f3f3f3}img{max-width:100%}p.note{color:#555;font-size:.9rem}
"""


def _sections(c) -> list[tuple[str, list]]:
    """(heading, blocks); a block is ("p", text), ("table", frame), ("figure", (name, title)) or ("list", items)."""
    shown = c.shown
    sections = [
        ("What this critique finds", [("list", c.summary)]),
        ("Verdict table: one row per printed claim with its percentages",
         [("p", c.legend), ("table", shown),
          ("p", "Every column, with the numbers behind the words, is in verdicts.csv.")]),
    ]
    if len(c.unpublished):
        sections.append(("Claims printed without their percentages: what would have to be true",
                         [("p", "The report prints these multipliers without both percentages behind them, so no "
                                "interval can be computed; the arithmetic still bounds what they require."),
                          ("table", c.unpublished.drop(columns=["claim_id"]))]))
    if c.weighting:
        blocks = [("p", c.weighting["text"])]
        if c.weighting.get("table") is not None:
            blocks += [("table", c.weighting["table"].round(2)),
                       ("p", "Every claim for every panel mix is in weighting.csv.")]
        sections.append(("After weighting: how much a plausible weighting widens the intervals", blocks))
    if c.figures:
        sections.append(("Figures", [("figure", (name, title)) for name, (_, title) in c.figures.items()]))
    sections.append(("What the report says about its own survey", [("table", c.about)]))
    sections.append(("Methods: the parameters this critique used",
                     [("p", "Generated from the run itself; rerunning with the same seed, package version and "
                            "catalogue (same checksum) reproduces every table byte for byte."),
                      ("table", c.methods), ("p", "Sources:"), ("table", c.sources)]))
    if c.notes:
        sections.append(("Notes from the run", [("list", c.notes)]))
    sections.append(("Files", [("list", [f"{name}: {what}" for name, what in c.file_notes.items()])]))
    return sections


def to_markdown(c) -> str:
    """The critique as Markdown (figures referenced as the PNG files beside it)."""
    out = [f"# {c.heading}", ""]
    for heading, blocks in _sections(c):
        out += [f"## {heading}", ""]
        for kind, value in blocks:
            if kind == "p":
                out += [value, ""]
            elif kind == "list":
                out += [f"- {item}" for item in value] + [""]
            elif kind == "table":
                out += [_markdown_table(value), ""]
            else:
                name, title = value
                out += [f"![{title}]({name})", "", f"*{title}*", ""]
    return "\n".join(out).rstrip() + "\n"


def _markdown_table(frame: pd.DataFrame) -> str:
    def cell(v):
        return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(map(cell, frame.columns)) + " |", "|" + " --- |" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def to_html(c) -> str:
    """The critique as one self-contained HTML page."""
    body = [f"<h1>{html.escape(c.heading)}</h1>"]
    for heading, blocks in _sections(c):
        body.append(f"<h2>{html.escape(heading)}</h2>")
        for kind, value in blocks:
            if kind == "p":
                body.append(f"<p class=\"note\">{html.escape(value)}</p>")
            elif kind == "list":
                body.append("<ul>" + "".join(f"<li>{html.escape(str(v))}</li>" for v in value) + "</ul>")
            elif kind == "table":
                body.append(value.to_html(index=False, escape=True, na_rep="", border=0))
            else:
                name, title = value
                data = base64.b64encode(c.figures[name][0]).decode("ascii")
                body.append(f"<figure><img alt=\"{html.escape(title)}\" src=\"data:image/png;base64,{data}\">"
                            f"<figcaption>{html.escape(title)}</figcaption></figure>")
    return _page(c.heading, "\n".join(body))


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def index_markdown(rows: pd.DataFrame) -> str:
    """The index of a ``--survey all`` run: one row per survey, linking to its report."""
    return "# Methodology critiques\n\n" + _markdown_table(rows) + "\n"


def index_html(rows: pd.DataFrame) -> str:
    """The index page of a ``--survey all`` run (links are relative: to the reports beside it)."""
    table = rows.copy()
    table["report"] = [f"<a href=\"{html.escape(s)}/report.html\">{html.escape(s)}/report.html</a>"
                       for s in rows["survey"]]
    return _page("Methodology critiques", "<h1>Methodology critiques</h1>\n"
                 + table.to_html(index=False, escape=False, border=0, formatters={
                     c: (lambda v: html.escape(str(v))) for c in table.columns if c != "report"}))
