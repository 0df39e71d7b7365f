"""Render tidy result tables as text, CSV or JSON (the CLI's ``--format``)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

FORMATS = ("table", "csv", "json")


def format_table(table: pd.DataFrame, fmt: str = "table", *, max_text: int = 48) -> str:
    """Render ``table`` as ``"table"`` (aligned text), ``"csv"`` or ``"json"`` (records).

    Text cells longer than ``max_text`` characters are shortened with "…" in
    the ``"table"`` format only; CSV and JSON keep every character.

    Examples
    --------
    >>> print(format_table(pd.DataFrame({"item": ["a"], "pct": [12.0]}), "csv"), end="")
    item,pct
    a,12.0
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if fmt == "csv":
        return table.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        records = table.astype(object).where(table.notna(), None).to_dict(orient="records")
        return json.dumps(records, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    shown = table.copy()
    for column in shown.columns:
        if shown[column].dtype == object or pd.api.types.is_string_dtype(shown[column]):
            shown[column] = shown[column].map(lambda v: _shorten(v, max_text))
    with pd.option_context("display.width", 250, "display.max_columns", None,
                           "display.max_rows", None, "display.max_colwidth", max_text + 1):
        return shown.to_string(index=False, na_rep="") + "\n"


def _shorten(value, limit):
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1] + "…"
    return value


def _json_default(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return str(value)
