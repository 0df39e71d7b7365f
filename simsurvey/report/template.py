"""``simsurvey new-catalog DIR``: a catalogue folder to fill in with your own report's figures.

The template is a complete, valid catalogue of one made-up survey (two groups,
three items, three claims, one of them printed without its percentages), so
``simsurvey critique --catalog DIR --survey my-report`` runs on it at once and
a user edits rows rather than starting from a blank page. Provenance columns
(``source_file``, ``quote``, ``note``) are left out: they are optional in a
user's own catalogue (required only in the shipped one).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from simsurvey.catalog.load import COLUMNS, PROVENANCE
from simsurvey.io.files import write_bytes, write_frame

__all__ = ["new_catalog", "TEMPLATE_SURVEY"]

TEMPLATE_SURVEY = "my-report"

_SURVEYS = [{
    "survey": TEMPLATE_SURVEY, "title": "My report's survey (replace every row with your report's figures)",
    "report": "My Report 2024", "sponsor": "Example Vendor", "fieldwork_by": "an online panel",
    "fieldwork_start": "2024-01-08", "fieldwork_end": "2024-01-19", "n": "600",
    "population": "service managers", "countries": "United States", "employees_min": "", "employees_max": "",
    "mode": "online panel survey", "probability_sample": "no", "weighted": "no", "weighting": "none stated",
    "group_variable": "tier", "group_rule": "self-rated performance",
}]
_GROUPS = [
    {"survey": TEMPLATE_SURVEY, "group": "leaders", "label": "Leaders", "share": "20",
     "definition": "rated their performance as excellent", "certainty": "certain"},
    {"survey": TEMPLATE_SURVEY, "group": "laggards", "label": "Laggards", "share": "80",
     "definition": "everyone else", "certainty": "certain"},
]
_ITEMS = [("uses_chatbots", "Use chatbots", {"leaders": "60", "laggards": "25"}),
          ("trains_agents", "Train agents every month", {"leaders": "72", "laggards": "40"}),
          ("excel_self_service", "Excel at self-service", {"leaders": "55", "laggards": "15"})]
_CLAIMS = [
    {"item": "uses_chatbots", "printed": "2.4", "printed_text": "2.4x", "label": "more likely to use chatbots"},
    {"item": "trains_agents", "printed": "1.8", "printed_text": "1.8x",
     "label": "more likely to train agents every month"},
    {"item": "", "printed": "3.1", "printed_text": "3.1x",
     "label": "more likely to say their customers are loyal"},
]

README = """# My report: a simsurvey catalogue

Four CSV tables in the format of simsurvey's own catalogue (the package's `data/README.md`
names every column). Replace the example rows with your report's figures, then run

    simsurvey catalog --catalog {folder}            # does it load? (errors name file, row, column)
    simsurvey check --catalog {folder}              # rounding forensics
    simsurvey critique --catalog {folder} --survey {survey}

- `surveys.csv`: one row per survey (`n` = respondents; `probability_sample`, `weighted`: yes/no/unknown).
- `groups.csv`: the groups the report compares and their printed shares in percent.
- `figures.csv`: one row per printed percentage (item, group, pct as printed).
- `claims.csv`: one row per printed multiplier ("2.4x more likely"): `item`, `numerator` and
  `denominator` groups, `printed` (2.4), `printed_text` ("2.4x"), `decimals` (1). Leave `item` empty
  when the report prints the multiplier without its percentages.

Provenance columns (`source_file`, `quote`, `note`) may be added to any table; they are optional here.
"""


def new_catalog(folder: str | Path) -> list[Path]:
    """Write the template catalogue into ``folder`` (created; must not exist or be empty).

    Returns the files written.

    Examples
    --------
    >>> import tempfile, pathlib, simsurvey as ss
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "mine"
    >>> [p.name for p in new_catalog(out)]
    ['surveys.csv', 'groups.csv', 'figures.csv', 'claims.csv', 'README.md']
    >>> ss.load_catalog(out).claims["printed_text"].tolist()
    ['2.4x', '1.8x', '3.1x']
    """
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ValueError(f"folder {str(folder)!r} exists and is not empty; choose a new folder")
    if not folder.parent.is_dir():
        raise ValueError(f"folder {str(folder.parent)!r} does not exist")
    figures = [{"survey": TEMPLATE_SURVEY, "chart": "Example chart", "location": "chart", "item": item,
                "label": label, "group": group, "pct": pct, "certainty": "certain"}
               for item, label, pcts in _ITEMS for group, pct in pcts.items()]
    claims = [{"survey": TEMPLATE_SURVEY, "chart": "Example chart", "location": "chart", "kind": "ratio",
               "numerator": "leaders", "denominator": "laggards", "decimals": "1", "direction": "more",
               "certainty": "certain", **c} for c in _CLAIMS]
    tables = {"surveys": _SURVEYS, "groups": _GROUPS, "figures": figures, "claims": claims}
    folder.mkdir(exist_ok=True)
    written = []
    for name, rows in tables.items():
        columns = [c for c in COLUMNS[name] if c not in PROVENANCE]
        written.append(write_frame(pd.DataFrame(rows).reindex(columns=columns, fill_value=""), folder / f"{name}.csv"))
    written.append(write_bytes(README.format(folder=folder, survey=TEMPLATE_SURVEY), folder / "README.md"))
    return written
