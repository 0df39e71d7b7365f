"""Load and validate a catalogue of published survey figures.

A catalogue is a folder of four CSV tables (``surveys.csv``, ``groups.csv``,
``figures.csv``, ``claims.csv``) described in ``data/README.md``. The package
ships one (the reports in ``shared/seeds``); a user can point every function at
their own folder in the same format.

Loading is all-or-nothing: every problem found is collected, and if there is
any, :class:`CatalogError` is raised naming file, row and column, and nothing is
returned.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from simsurvey.catalog import cache

__all__ = ["Catalog", "CatalogError", "load_catalog", "default_catalog_path"]

#: Columns each table must have, in the order they are written.
COLUMNS = {
    "surveys": ["survey", "title", "report", "sponsor", "fieldwork_by", "fieldwork_start",
                "fieldwork_end", "n", "population", "countries", "employees_min", "employees_max",
                "mode", "probability_sample", "weighted", "weighting", "group_variable", "group_rule",
                "source_file", "quote", "note", "item_bases"],
    "groups": ["survey", "group", "label", "share", "definition", "source_file", "quote",
               "certainty", "note"],
    "figures": ["survey", "chart", "location", "base", "question", "item", "label", "group",
                "pct", "source_file", "quote", "certainty", "note", "alternative"],
    "claims": ["survey", "chart", "location", "kind", "item", "numerator", "denominator",
               "group", "printed", "printed_text", "decimals", "direction", "label",
               "source_file", "quote", "certainty", "note"],
}
#: Columns added after the first catalogues were written (last in their tables): a folder without
#: them, or rows that stop before them, read as empty.
OPTIONAL = {"surveys": ["item_bases"], "figures": ["alternative"]}
#: Columns that may not be empty.
REQUIRED = {
    "surveys": ["survey", "title", "probability_sample", "weighted"],
    "groups": ["survey", "group", "label", "certainty"],
    "figures": ["survey", "location", "item", "label", "group", "pct", "certainty"],
    "claims": ["survey", "location", "kind", "numerator", "denominator", "printed", "decimals",
               "direction", "certainty"],
}
#: Provenance: required in the shipped catalogue (every row names its source and quotes it), optional
#: in a user's own, where these columns may be left out of the file or left empty.
PROVENANCE = ("source_file", "quote", "note")
PROVENANCE_REQUIRED = {"figures": ["source_file", "quote"], "claims": ["source_file", "quote"]}
CHOICES = {
    ("surveys", "probability_sample"): {"yes", "no", "unknown"},
    ("surveys", "weighted"): {"yes", "no", "unknown"},
    ("surveys", "item_bases"): {"vary"},
    ("groups", "certainty"): {"certain", "probable", "uncertain"},
    ("figures", "location"): {"chart", "text"},
    ("figures", "certainty"): {"certain", "probable", "uncertain"},
    ("claims", "location"): {"chart", "text"},
    ("claims", "certainty"): {"certain", "probable", "uncertain"},
    ("claims", "kind"): {"ratio", "anticipated_growth", "important_vs_unimportant"},
    ("claims", "direction"): {"more", "less"},
}
#: Largest value each numeric column may hold. The forensics decide with exact 64-bit integer
#: arithmetic (counts times group sizes times the multiplier's last digit), which these bounds keep
#: far from overflow; no published survey comes near them.
LIMITS = {
    ("surveys", "n"): 1_000_000,
    ("surveys", "employees_min"): 100_000_000,
    ("surveys", "employees_max"): 100_000_000,
    ("claims", "decimals"): 4,
    ("claims", "printed"): 1000,
}
#: Most decimals a printed percentage or share may have (the same integer arithmetic).
MAX_PCT_DECIMALS = 4
ALL = "all"  # the pseudo-group "everyone", valid in every survey
# "5.7x", "5.7X", "5.7 x", "5.7×" (a multiplier) or "+21%" (a relative change, printed = 0.21)
_MULTIPLIER_TEXT = re.compile(r"^\+?(\d+(?:\.\d+)?)\s*[xX\u00d7]$")
_PERCENT_TEXT = re.compile(r"^\+?(\d+(?:\.\d+)?)\s*%$")
_ID = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")


class CatalogError(ValueError):
    """A catalogue folder that does not validate.

    ``str(err)`` is one line naming the first problem (file, row, column);
    ``err.problems`` lists every problem found.
    """

    def __init__(self, problems):
        self.problems = list(problems)
        first = self.problems[0]
        more = len(self.problems) - 1
        super().__init__(first + (f" (and {more} more problem{'s' * (more > 1)})" if more else ""))


@dataclass(frozen=True)
class Catalog:
    """A validated catalogue: four tidy tables and the folder they came from.

    Attributes
    ----------
    surveys, groups, figures, claims : pandas.DataFrame
        The tables of ``data/README.md`` with typed columns: ``n``,
        ``employees_min``/``employees_max`` and ``decimals`` are nullable
        integers, ``share``, ``pct``, ``alternative`` and ``printed`` floats; ``figures`` gains
        ``pct_decimals`` (decimals printed) and ``claims`` gains ``claim_id``.
    path : pathlib.Path
        The folder that was read.
    """

    surveys: pd.DataFrame
    groups: pd.DataFrame
    figures: pd.DataFrame
    claims: pd.DataFrame
    path: Path

    @property
    def survey_ids(self) -> list[str]:
        """Survey ids in catalogue order."""
        return self.surveys["survey"].tolist()

    def check_survey(self, survey: str) -> str:
        """Return ``survey`` if the catalogue has it, else raise a ``ValueError`` listing ids."""
        if survey not in self.survey_ids:
            raise ValueError(f"unknown survey {survey!r}; this catalogue ({self.path}) has: "
                             + ", ".join(self.survey_ids))
        return survey

    def group_ids(self, survey: str) -> list[str]:
        """The survey's groups in catalogue order (without ``all``)."""
        self.check_survey(survey)
        return self.groups.loc[self.groups["survey"] == survey, "group"].tolist()

    def tier_table(self, survey: str, location: str = "chart") -> pd.DataFrame:
        """Published percentages of one survey as one row per item, one column per group.

        Parameters
        ----------
        survey : str
            Survey id.
        location : {"chart", "text", "any"}
            Which figures to show; ``"any"`` prefers the chart value and falls
            back to the text.

        Examples
        --------
        >>> cat = load_catalog()
        >>> cat.tier_table("sos-smb-2016").loc["excel_engage_at_scale", ["high", "moderate", "under"]].tolist()
        [91, 56, 16]
        """
        self.check_survey(survey)
        if location not in {"chart", "text", "any"}:
            raise ValueError(f"location must be 'chart', 'text' or 'any', got {location!r}")
        f = self.figures[self.figures["survey"] == survey]
        if location != "any":
            f = f[f["location"] == location]
        else:  # chart first, so drop_duplicates keeps the chart value
            f = f.sort_values("location", kind="stable").drop_duplicates(["item", "group"])
        items = f.drop_duplicates("item").set_index("item")[["chart", "base", "label", "certainty"]]
        wide = f.pivot(index="item", columns="group", values="pct")
        order = [g for g in self.group_ids(survey) + [ALL] if g in wide.columns]
        # the least certain cell of an item speaks for the row
        rank = {"certain": 0, "probable": 1, "uncertain": 2}
        worst = f.assign(r=f["certainty"].map(rank)).groupby("item")["r"].max()
        items["certainty"] = worst.map({v: k for k, v in rank.items()})
        if (f["pct_decimals"] == 0).all():  # printed as whole numbers: show them so
            wide = wide.astype("Int64")
        table = items.join(wide[order])
        table.columns.name = None
        return table[["chart", "label", "base"] + order + ["certainty"]]


def default_catalog_path() -> Path:
    """The folder of the catalogue shipped with the package (the repository's ``data/``)."""
    return Path(str(resources.files("simsurvey.data")))


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Read and validate a catalogue folder.

    Parameters
    ----------
    path : str or Path, optional
        Folder holding ``surveys.csv``, ``groups.csv``, ``figures.csv`` and
        ``claims.csv``. Default: the catalogue shipped with simsurvey.

    Returns
    -------
    Catalog

    Raises
    ------
    CatalogError
        If a file or column is missing, a value is not a number, out of range
        or not one of the allowed words, a row is duplicated, a reference
        points to an unknown survey, group or item, or group shares do not sum
        to 100 within rounding. The message names file, row (as a spreadsheet
        numbers it, header = row 1) and column.

    Examples
    --------
    >>> cat = load_catalog()
    >>> int(cat.surveys.set_index("survey").loc["sos-smb-2016", "n"])
    786
    >>> cat.groups.query("survey == 'sos-smb-2016'")["share"].tolist()
    [11.0, 53.0, 36.0]
    """
    folder = Path(path) if path is not None else default_catalog_path()
    if not folder.is_dir():
        raise CatalogError([f"{folder}: catalogue folder not found"])
    key = cache.folder_key(folder)  # read before the files, so a file changed meanwhile is read again next time
    if (cached := cache.get(("catalog", key), path=folder)) is not None:
        return cached
    problems: list[str] = []
    raw = {name: _read_table(folder, name, problems) for name in COLUMNS}
    # every table that could be read is checked, so one run reports every problem of the folder;
    # references between tables need all four
    tables = {name: _typed(name, df, folder, problems) for name, df in raw.items() if df is not None}
    if len(tables) == len(COLUMNS):
        _check_references(tables, folder, problems)
    if problems:
        raise CatalogError(problems)
    claims = tables["claims"]
    # a claim is named by its survey and its position among that survey's rows
    claims.insert(0, "claim_id", claims["survey"] + "#" + (claims.groupby("survey").cumcount() + 1).astype(str))
    return cache.put(("catalog", key), Catalog(surveys=tables["surveys"], groups=tables["groups"],
                                               figures=tables["figures"], claims=claims, path=folder))


# -- reading ---------------------------------------------------------------------------

def _where(folder: Path, name: str, index: int | None = None, column: str | None = None) -> str:
    out = str(folder / f"{name}.csv")
    if index is not None:
        out += f", row {index + 2}"  # +1 for the header, +1 because spreadsheets count from 1
    if column is not None:
        out += f", column '{column}'"
    return out


def _read_table(folder: Path, name: str, problems: list[str]) -> pd.DataFrame | None:
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
    shipped = folder.resolve() == default_catalog_path().resolve()
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


def _typed(name: str, df: pd.DataFrame, folder: Path, problems: list[str]) -> pd.DataFrame:
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
        df["pct_decimals"] = df["pct"].map(_decimals_of)
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
            many = df[column].notna() & (raw[column].map(_decimals_of) > MAX_PCT_DECIMALS)
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
        bad = ~df[column].str.match(_ID) & (df[column] != "")
        for i in np.flatnonzero(bad):
            problems.append(f"{_where(folder, name, i, column)}: {df[column].iloc[i]!r} is not an id "
                            "(lower case letters, digits, '_' or '-')")
    return df


def _decimals_of(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _check_printed(df: pd.DataFrame, raw: pd.DataFrame, folder: Path, problems: list[str]) -> None:
    """``printed`` against ``decimals`` and against ``printed_text`` (claims rows with numbers)."""
    from decimal import Decimal

    for i in np.flatnonzero(df["printed"].notna() & df["decimals"].notna()):
        text, decimals = raw["printed"].iloc[i], int(df["decimals"].iloc[i])
        if _decimals_of(text) > decimals:
            problems.append(f"{_where(folder, 'claims', i, 'printed')}: {text} has {_decimals_of(text)} decimals "
                            f"but decimals says {decimals}")
        shown = raw["printed_text"].iloc[i]
        multiplier, percent = _MULTIPLIER_TEXT.match(shown), _PERCENT_TEXT.match(shown)
        if multiplier:
            value, digits = Decimal(multiplier.group(1)), _decimals_of(multiplier.group(1))
        elif percent:  # "+21%" is printed 0.21 with 2 decimals
            value, digits = Decimal(percent.group(1)) / 100, _decimals_of(percent.group(1)) + 2
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


def _check_references(t: dict[str, pd.DataFrame], folder: Path, problems: list[str]) -> None:
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
