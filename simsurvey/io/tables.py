"""Render tidy result tables as text, CSV or JSON (the CLI's ``--format``)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

FORMATS = ("table", "csv", "json")


def format_table(table: pd.DataFrame, fmt: str = "table", *, max_text: int | None = 48,
                 empty: str = "No rows: nothing to show.") -> str:
    """Render ``table`` as ``"table"`` (aligned text), ``"csv"`` or ``"json"`` (records).

    Text cells longer than ``max_text`` characters are shortened with "…" in
    the ``"table"`` format only (None: never); CSV and JSON keep every character. JSON is
    strict: a missing value is ``null`` and an infinite one (an interval
    without an upper end) the string ``"Infinity"`` or ``"-Infinity"``, as in
    protobuf's JSON mapping. A table without rows is the sentence ``empty``
    as text, a header line as CSV and ``[]`` as JSON.

    Examples
    --------
    >>> print(format_table(pd.DataFrame({"item": ["a"], "pct": [12.0]}), "csv"), end="")
    item,pct
    a,12.0
    >>> print(format_table(pd.DataFrame({"low": [0.5], "high": [np.inf]}), "json"), end="")
    [
      {
        "low": 0.5,
        "high": "Infinity"
      }
    ]
    >>> print(format_table(pd.DataFrame(columns=["item"]), empty="No claims."), end="")
    No claims.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if fmt == "csv":
        return table.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        records = table.astype(object).where(table.notna(), None).to_dict(orient="records")
        records = [{k: _json_number(v) for k, v in r.items()} for r in records]
        # strict JSON (RFC 8259): no bare NaN/Infinity, which many parsers reject
        return json.dumps(records, indent=2, ensure_ascii=False, default=_json_default, allow_nan=False) + "\n"
    if not len(table):  # pandas would print "Empty DataFrame"
        return empty + "\n"
    # blank, not "NaN"/"<NA>", where a report published nothing
    shown = table.astype(object).where(table.notna(), "")
    shown = shown.map(lambda v: _shorten(v, max_text))
    # text reads best left-aligned, numbers right-aligned
    text_columns = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])]
    formatters = {c: _left(shown[c], c) for c in text_columns}
    with pd.option_context("display.width", 250, "display.max_columns", None,
                           "display.max_rows", None, "display.max_colwidth", None if max_text is None else max_text + 1):
        return shown.to_string(index=False, formatters=formatters) + "\n"


def _left(column: pd.Series, name: str):
    width = max([len(str(name))] + [len(str(v)) for v in column])
    return lambda v: f"{str(v):<{width}}"


def _shorten(value, limit):
    if isinstance(value, str) and limit is not None and len(value) > limit:
        return value[: limit - 1] + "…"
    return value


def _json_number(value):
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return None
        if np.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
    return value


def _json_default(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return str(value)
