"""Reading a catalogue folder's tables and checking every value against the format.

Each function appends what it finds to ``problems`` (one line naming file, row
as a spreadsheet numbers it, header = row 1, and column) instead of stopping at
the first, so one run reports every problem of a folder;
:func:`simsurvey.load_catalog` raises them together.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simsurvey.catalog.schema import (ALL, CHOICES, COLUMNS, ID_PATTERN, LIMITS, MAX_PCT_DECIMALS, MULTIPLIER_TEXT,
                                      OPTIONAL, PERCENT_TEXT, PROVENANCE, PROVENANCE_REQUIRED, REQUIRED)

__all__ = ["read_table", "typed_table", "check_references"]


# -- reading ---------------------------------------------------------------------------

def _where(folder: Path, name: str, index: int | None = None, column: str | None = None) -> str:
    out = str(folder / f"{name}.csv")
    if index is not None:
        out += f", row {index + 2}"  # +1 for the header, +1 because spreadsheets count from 1
    if column is not None:
        out += f", column '{column}'"
    return out


def read_table(folder: Path, name: str, problems: list[str], *, shipped: bool = False) -> pd.DataFrame | None:
    """One table as text cells with every column of the format, or None (and a problem) if unreadable.

    ``shipped``: the package's own catalogue, where every row must name its source and quote it.
    """
    file = folder / f"{name}.csv"
    if not file.is_file():
        problems.append(f"{file}: file missing (a catalogue needs {', '.join(c + '.csv' for c in COLUMNS)})")
        return None
    try:
        df = pd.read_csv(file, dtype=str, keep_default_na=False, na_values=[], encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
        problems.append(f"{file}: cannot be read as CSV ({str(err).strip()})")
        return None
    df = df.fillna("")  # a row with fewer fields than the header: the missing trailing cells are empty
    for column in () if shipped else [c for c in PROVENANCE if c in COLUMNS[name] and c not in df.columns]:
        df[column] = ""
    for column in OPTIONAL.get(name, []):  # a catalogue written before these columns existed
        if column not in df.columns:
            df[column] = ""
    missing = [c for c in COLUMNS[name] if c not in df.columns]
    if missing:
        problems.append(f"{file}: missing column{'s' * (len(missing) > 1)} "
                        + ", ".join(f"'{c}'" for c in missing))
        return None
    df = df.apply(lambda col: col.str.strip())
    dup = df.duplicated(keep="first")
    for i in np.flatnonzero(dup):
        first = int(np.flatnonzero((df == df.iloc[i]).all(axis=1))[0])
        problems.append(f"{_where(folder, name, i)}: duplicate of row {first + 2}")
    for column in PROVENANCE_REQUIRED.get(name, []) if shipped else []:
        for i in np.flatnonzero(df[column].to_numpy() == ""):
            problems.append(f"{_where(folder, name, i, column)}: empty (required in the shipped catalogue)")
    return df


def typed_table(name: str, df: pd.DataFrame, folder: Path, problems: list[str]) -> pd.DataFrame:
    """The table with numbers as numbers, required cells, allowed words and limits checked."""
    raw, df = df, df.copy()
    for column in REQUIRED[name]:
        for i in np.flatnonzero(df[column].to_numpy() == ""):
            problems.append(f"{_where(folder, name, i, column)}: empty (required)")
    for (table, column), allowed in CHOICES.items():
        if table != name:
            continue
        bad = ~df[column].isin(allowed) & (df[column] != "")
        for i in np.flatnonzero(bad):
            problems.append(f"{_where(folder, name, i, column)}: {df[column].iloc[i]!r} is not one of "
                            + ", ".join(sorted(allowed)))
    integer = {"surveys": ["n", "employees_min", "employees_max"], "claims": ["decimals"]}
    numeric = {"groups": ["share"], "figures": ["pct", "alternative"], "claims": ["printed"]}
    if name == "figures":
        df["pct_decimals"] = df["pct"].map(_text_decimals)
    for column in integer.get(name, []):
        df[column] = _to_number(df, column, name, folder, problems, integer=True)
    for column in numeric.get(name, []):
        df[column] = _to_number(df, column, name, folder, problems, integer=False)
    for column in ("share", "pct", "alternative"):
        if column in df:
            out = (df[column] < 0) | (df[column] > 100)
            for i in np.flatnonzero(out.fillna(False)):
                problems.append(f"{_where(folder, name, i, column)}: {df[column].iloc[i]:g} is outside 0-100")
    for (table, column), limit in LIMITS.items():
        if table == name:
            for i in np.flatnonzero((df[column] > limit).fillna(False)):
                problems.append(f"{_where(folder, name, i, column)}: {raw[column].iloc[i]} is larger than "
                                f"{limit:,} (the most the exact whole-number checks handle)")
    for column in ("share", "pct", "alternative"):
        if column in df:
            many = df[column].notna() & (raw[column].map(_text_decimals) > MAX_PCT_DECIMALS)
            for i in np.flatnonzero(many):
                problems.append(f"{_where(folder, name, i, column)}: {raw[column].iloc[i]} has more than "
                                f"{MAX_PCT_DECIMALS} decimals")
    if name == "claims":
        for i in np.flatnonzero((df["printed"] <= 0).fillna(False)):
            problems.append(f"{_where(folder, name, i, 'printed')}: a multiplier must be positive")
        for i in np.flatnonzero((df["decimals"] < 0).fillna(False)):
            problems.append(f"{_where(folder, name, i, 'decimals')}: must be 0 or more")
        _check_printed(df, raw, folder, problems)
    if name == "figures":  # an alternative reading is only recorded where the reading is in doubt
        for i in np.flatnonzero(df["alternative"].notna() & (raw["certainty"] == "certain")):
            problems.append(f"{_where(folder, name, i, 'alternative')}: a certain figure has no alternative reading "
                            "(make it probable or uncertain, and say why in note)")
    if name == "surveys":
        for i in np.flatnonzero((df["n"] < 1).fillna(False)):
            problems.append(f"{_where(folder, name, i, 'n')}: must be a positive count")
        upside_down = (df["employees_min"] > df["employees_max"]).fillna(False)
        for i in np.flatnonzero(upside_down):
            problems.append(f"{_where(folder, name, i, 'employees_min')}: {raw['employees_min'].iloc[i]} is more "
                            f"than employees_max {raw['employees_max'].iloc[i]}")
    id_columns = {"surveys": ["survey"], "groups": ["survey", "group"], "figures": ["item", "group"],
                  "claims": ["item"]}[name]
    for column in id_columns:
        bad = ~df[column].str.match(ID_PATTERN) & (df[column] != "")
        for i in np.flatnonzero(bad):
            problems.append(f"{_where(folder, name, i, column)}: {df[column].iloc[i]!r} is not an id "
                            "(lower case letters, digits, '_' or '-')")
    return df


def _text_decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _check_printed(df: pd.DataFrame, raw: pd.DataFrame, folder: Path, problems: list[str]) -> None:
    """``printed`` against ``decimals`` and against ``printed_text`` (claims rows with numbers)."""
    from decimal import Decimal

    for i in np.flatnonzero(df["printed"].notna() & df["decimals"].notna()):
        text, decimals = raw["printed"].iloc[i], int(df["decimals"].iloc[i])
        if _text_decimals(text) > decimals:
            problems.append(f"{_where(folder, 'claims', i, 'printed')}: {text} has {_text_decimals(text)} decimals "
                            f"but decimals says {decimals}")
        shown = raw["printed_text"].iloc[i]
        multiplier, percent = MULTIPLIER_TEXT.match(shown), PERCENT_TEXT.match(shown)
        if multiplier:
            value, digits = Decimal(multiplier.group(1)), _text_decimals(multiplier.group(1))
        elif percent:  # "+21%" is printed 0.21 with 2 decimals
            value, digits = Decimal(percent.group(1)) / 100, _text_decimals(percent.group(1)) + 2
        else:
            continue  # words ("twice as likely") are not compared
        if value != Decimal(text):
            problems.append(f"{_where(folder, 'claims', i, 'printed_text')}: {shown!r} does not say printed {text}")
        elif digits != decimals:
            problems.append(f"{_where(folder, 'claims', i, 'decimals')}: {decimals}, but printed_text {shown!r} "
                            f"shows {digits}")


def _to_number(df, column, name, folder, problems, *, integer):
    values = pd.to_numeric(df[column].where(df[column] != ""), errors="coerce")
    bad = (values.isna() | ~np.isfinite(values.fillna(0))) & (df[column] != "")
    values = values.where(~bad)
    if integer:
        bad |= values.notna() & (values.round() != values)
    for i in np.flatnonzero(bad):
        kind = "a whole number" if integer else "a number"
        problems.append(f"{_where(folder, name, i, column)}: {df[column].iloc[i]!r} is not {kind}")
    if integer:
        # too large for a 64-bit integer: kept as a float so the LIMITS check names it
        huge = (values.abs() > LIMITS.get((name, column), np.iinfo(np.int64).max)).fillna(False)
        return values.where(~bad).astype("Int64") if not (bad | huge).any() else values
    return values.astype(float)


def check_references(t: dict[str, pd.DataFrame], folder: Path, problems: list[str]) -> None:
    """Across tables: every survey, group and item a row names exists, and a survey's printed group shares add to 100 within rounding."""
    surveys = set(t["surveys"]["survey"])
    for name in ("groups", "figures", "claims"):
        for i in np.flatnonzero(~t[name]["survey"].isin(surveys)):
            problems.append(f"{_where(folder, name, i, 'survey')}: unknown survey "
                            f"{t[name]['survey'].iloc[i]!r} (not in surveys.csv)")
    for i in np.flatnonzero(t["surveys"]["survey"].duplicated()):
        problems.append(f"{_where(folder, 'surveys', i, 'survey')}: survey id appears twice")
    g = t["groups"]
    for i in np.flatnonzero(g.duplicated(["survey", "group"])):
        problems.append(f"{_where(folder, 'groups', i, 'group')}: group listed twice for this survey")
    for i in np.flatnonzero(g["group"] == ALL):
        problems.append(f"{_where(folder, 'groups', i, 'group')}: 'all' is implicit and must not be listed")
    known_groups = {(s, x) for s, x in zip(g["survey"], g["group"])}
    # shares: every printed share is off by at most 0.5, so k shares sum within k/2 of 100
    for survey, rows in g.groupby("survey", sort=False):
        if rows["share"].notna().all():
            total, k = rows["share"].sum(), len(rows)
            if abs(total - 100) > k / 2:
                problems.append(f"{_where(folder, 'groups', int(rows.index[0]), 'share')}: shares of survey "
                                f"{survey!r} sum to {total:g}, not 100 within rounding (±{k / 2:g})")

    f = t["figures"]
    for i, (s, grp) in enumerate(zip(f["survey"], f["group"])):
        if grp != ALL and (s, grp) not in known_groups:
            problems.append(f"{_where(folder, 'figures', i, 'group')}: unknown group {grp!r} for survey "
                            f"{s!r} (not in groups.csv, nor 'all')")
    for i in np.flatnonzero(f.duplicated(["survey", "item", "group", "location"])):
        problems.append(f"{_where(folder, 'figures', i, 'item')}: a second {f['location'].iloc[i]} figure "
                        f"for item {f['item'].iloc[i]!r} and group {f['group'].iloc[i]!r}")
    for column in ("label", "base"):
        first = f.groupby(["survey", "item"])[column].transform("first")
        for i in np.flatnonzero(f[column] != first):
            problems.append(f"{_where(folder, 'figures', i, column)}: differs from the first row of item "
                            f"{f['item'].iloc[i]!r}")
    items = {(s, x) for s, x in zip(f["survey"], f["item"])}

    c = t["claims"]
    for i, row in enumerate(c.itertuples(index=False)):
        if row.item and (row.survey, row.item) not in items:
            problems.append(f"{_where(folder, 'claims', i, 'item')}: unknown item {row.item!r} for survey "
                            f"{row.survey!r} (not in figures.csv)")
        if row.kind == "ratio":
            for column in ("numerator", "denominator"):
                value = getattr(row, column)
                if value != ALL and (row.survey, value) not in known_groups:
                    problems.append(f"{_where(folder, 'claims', i, column)}: unknown group {value!r} "
                                    f"for survey {row.survey!r}")
        elif row.kind == "anticipated_growth":
            for column in ("numerator", "denominator"):
                value = getattr(row, column)
                if (row.survey, value) not in items:
                    problems.append(f"{_where(folder, 'claims', i, column)}: unknown item {value!r} "
                                    f"for survey {row.survey!r}")
        elif row.kind == "important_vs_unimportant":
            if (row.numerator, row.denominator) != ("important", "unimportant"):
                problems.append(f"{_where(folder, 'claims', i, 'numerator')}: an important_vs_unimportant "
                                "claim has numerator 'important' and denominator 'unimportant'")
        if row.kind != "ratio":
            if row.group != ALL and (row.survey, row.group) not in known_groups:
                problems.append(f"{_where(folder, 'claims', i, 'group')}: unknown group {row.group!r} "
                                f"for survey {row.survey!r}")
