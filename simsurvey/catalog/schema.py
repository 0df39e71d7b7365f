"""The catalogue's format: its four tables, their columns, allowed words and limits.

``data/README.md`` describes the same format for people; :mod:`simsurvey.catalog.validate`
checks a folder against it.
"""
from __future__ import annotations

import re

__all__ = ["COLUMNS", "OPTIONAL", "REQUIRED", "PROVENANCE", "PROVENANCE_REQUIRED", "CHOICES", "LIMITS",
           "MAX_PCT_DECIMALS", "ALL", "MULTIPLIER_TEXT", "PERCENT_TEXT", "ID_PATTERN"]

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
MULTIPLIER_TEXT = re.compile(r"^\+?(\d+(?:\.\d+)?)\s*[xX\u00d7]$")
PERCENT_TEXT = re.compile(r"^\+?(\d+(?:\.\d+)?)\s*%$")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")  # survey, group and item ids: lower case letters and digits joined by '_' or '-'
