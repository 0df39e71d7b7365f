"""Text tables a person can read in a terminal: at most ~100 columns, long text wrapped, never cut.

:func:`simsurvey.io.tables.format_table` prints every column of a tidy table
(the ``--wide`` view, and CSV/JSON). This module prints a chosen few columns
with wrapped cells, an optional full-width note under each row, a legend and a
footer, for the default view of ``check``, ``bootstrap`` and ``critique``.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pandas as pd

__all__ = ["Column", "readable_table", "paragraphs"]

WIDTH = 100
_GAP = "  "


@dataclass(frozen=True)
class Column:
    """One column of a readable table.

    Attributes
    ----------
    name : str
        Column of the frame.
    header : str
        Heading printed above it.
    width : int
        Most characters a line of this column takes; longer text wraps.
    align : {"left", "right"}
    """

    name: str
    header: str
    width: int
    align: str = "left"


def readable_table(frame: pd.DataFrame, columns: list[Column], *, note: str | None = None,
                   width: int = WIDTH, indent: int = 4) -> str:
    """Render ``columns`` of ``frame``, wrapping cells, with column ``note`` as a paragraph under each row.

    A missing value prints as an empty cell. Every character of every cell is
    printed: text wraps at word boundaries (a word longer than the column is
    split), it is never shortened.

    Examples
    --------
    >>> t = pd.DataFrame({"claim": ["5.7x more likely to excel at engaging customers"],
    ...                   "verdict": ["consistent"], "note": ["29 of 44 group sizes fit"]})
    >>> print(readable_table(t, [Column("claim", "claim", 20), Column("verdict", "verdict", 12)], note="note"))
    claim                verdict
    -------------------  ----------
    5.7x more likely to  consistent
    excel at engaging
    customers
        29 of 44 group sizes fit
    """
    widths = [max(len(c.header), min(c.width, max([0] + [_longest(_cell(v), c.width) for v in frame[c.name]])))
              for c in columns]
    lines = [_GAP.join(_pad(c.header, w, c.align) for c, w in zip(columns, widths)).rstrip(),
             _GAP.join("-" * w for w in widths)]
    for _, row in frame.iterrows():
        cells = [_wrap(_cell(row[c.name]), w) for c, w in zip(columns, widths)]
        for k in range(max(len(cell) for cell in cells)):
            parts = [_pad(cell[k] if k < len(cell) else "", w, c.align) for cell, c, w in zip(cells, columns, widths)]
            lines.append(_GAP.join(parts).rstrip())
        text = _cell(row[note]) if note else ""
        if text:
            lines.extend(textwrap.wrap(text, width, initial_indent=" " * indent, subsequent_indent=" " * indent,
                                       break_on_hyphens=False))
    return "\n".join(lines)


def paragraphs(texts, width: int = WIDTH, *, prefix: str = "") -> str:
    """Wrap each text to ``width`` (continuation lines indented under the first word after ``prefix``).

    Examples
    --------
    >>> print(paragraphs(["skipped: #18 no percentages published"], 24))
    skipped: #18 no
      percentages published
    """
    out = []
    for text in texts:
        out.extend(textwrap.wrap(prefix + str(text), width, subsequent_indent="  ", break_on_hyphens=False))
    return "\n".join(out)


def _cell(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _longest(text: str, width: int) -> int:
    return max(len(line) for line in _wrap(text, width))


def _pad(text: str, width: int, align: str) -> str:
    return text.rjust(width) if align == "right" else text.ljust(width)
