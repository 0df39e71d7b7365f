"""Categories of one question against 100%."""
from __future__ import annotations

from _forensics_reference import copy_catalog, edit_csv
from simsurvey.catalog.load import default_catalog_path, load_catalog
from simsurvey.forensics.surveyfacts import survey_facts
from simsurvey.forensics.totals import totals_table


def test_budget_questions_add_up():
    t = totals_table(survey_facts(load_catalog(), "sos-smb-2016")).set_index(["question", "group"])
    assert t.loc[("budget_past", "high"), "printed"] == 99  # 73 + 23 + 3, within 3 x 0.5 of 100
    assert (t["verdict"] == "consistent").all()
    under = t.loc[("budget_past", "under")]
    assert under["pcts"] == "38/48/14" and "any order gives the same total" in under["note"]
    assert "can be all the categories" in under["note"]


def test_partial_questions_say_what_is_missing():
    t = totals_table(survey_facts(load_catalog(), "support-transformation-b2b")).set_index("question")
    assert t.loc["st_q_demand_change", "verdict"] == "consistent"
    assert "not all categories printed: at least 61% elsewhere" in t.loc["st_q_demand_change", "note"]


def test_categories_over_100_are_inconsistent(tmp_path):
    folder = copy_catalog(default_catalog_path(), tmp_path / "c")
    assert edit_csv(folder, "figures", {"item": "budget_past_increased", "group": "under"}, pct="41") == 1
    t = totals_table(survey_facts(load_catalog(folder), "sos-smb-2016")).set_index(["question", "group"])
    row = t.loc[("budget_past", "under")]
    # 41 + 48 + 14 = 103: even at 40.5 + 47.5 + 13.5 = 101.5 it exceeds 100
    assert row["verdict"] == "inconsistent" and row["low"] == 101.5
