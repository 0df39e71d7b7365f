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

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from simsurvey.catalog import cache
from simsurvey.catalog.schema import ALL, COLUMNS, PROVENANCE  # noqa: F401  (ALL, PROVENANCE: imported from here too)
from simsurvey.catalog.validate import check_references, read_table, typed_table

__all__ = ["Catalog", "CatalogError", "load_catalog", "default_catalog_path", "ALL"]



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
    """The folder of the catalogue shipped with the package (the repository's ``data/``).

    Examples
    --------
    >>> sorted(p.name for p in default_catalog_path().glob("*.csv"))
    ['claims.csv', 'figures.csv', 'groups.csv', 'surveys.csv']
    """
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
    shipped = folder.resolve() == default_catalog_path().resolve()  # provenance is required there
    raw = {name: read_table(folder, name, problems, shipped=shipped) for name in COLUMNS}
    # every table that could be read is checked, so one run reports every problem of the folder;
    # references between tables need all four
    tables = {name: typed_table(name, df, folder, problems) for name, df in raw.items() if df is not None}
    if len(tables) == len(COLUMNS):
        check_references(tables, folder, problems)
    if problems:
        raise CatalogError(problems)
    claims = tables["claims"]
    # a claim is named by its survey and its position among that survey's rows
    claims.insert(0, "claim_id", claims["survey"] + "#" + (claims.groupby("survey").cumcount() + 1).astype(str))
    return cache.put(("catalog", key), Catalog(surveys=tables["surveys"], groups=tables["groups"],
                                               figures=tables["figures"], claims=claims, path=folder))
