"""Scrambled charts: restoring the multiplier order from the arithmetic."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _forensics_reference import copy_catalog, edit_csv
from simsurvey.catalog.load import default_catalog_path, load_catalog
from simsurvey.forensics.scrambled import assignments, scrambled_table
from simsurvey.forensics.surveyfacts import survey_facts


@pytest.fixture(scope="module")
def smb_scrambled():
    return scrambled_table(survey_facts(load_catalog(), "sos-smb-2016")).set_index("item")


def test_intelligence_chart_has_exactly_one_assignment(smb_scrambled):
    t = smb_scrambled[smb_scrambled["chart"] == "Top Service Teams Lean into Intelligence"]
    # 51/31 = 1.645 is the only pair that can give 1.7x; 69/32 = 2.156 only 2.1x; 54/28 = 1.93 gives 1.9x
    assert t["gets"].to_dict() == {"intelligence_1": "2.0x", "intelligence_2": "2.0x", "intelligence_3": "1.9x",
                                   "intelligence_4": "2.1x", "intelligence_5": "1.7x"}
    assert t.loc["intelligence_5", "can"] == "1.7x"
    assert t.loc["intelligence_5", "cannot"] == "1.9x, 2.0x, 2.1x"
    # 54/27 allows 1.945-2.057 and whole numbers keep both 2.0x and 2.1x
    assert t.loc["intelligence_1", "can"] == "2.0x, 2.1x"
    assert (t["assignments"] == 1).all() and (t["verdict"] == "consistent").all()


def test_agents_chart_agrees_with_the_text(smb_scrambled):
    t = smb_scrambled[smb_scrambled["chart"].str.startswith("High-Performing Agents")]
    assert t["gets"].to_dict() == {
        "agents_on_demand_training": "1.7x", "agents_comprehensive_views": "4.2x", "agents_productivity": "2.0x",
        "agents_prompt_first_touch": "2.7x", "agents_tools_technology": "2.0x", "agents_decision_power": "1.8x"}
    # 86/42 = 2.048 allows 2.1x by the rounding interval, but no whole-number counts give it
    assert t.loc["agents_productivity", "can"] == "2.0x"
    assert (t["anchored"] == 1).all()
    assert "the text ties this label to 2.7x" in t.loc["agents_prompt_first_touch", "note"]
    assert "belongs elsewhere" in t.loc["agents_decision_power", "note"]


def test_assignments_counts_equal_values_once():
    ok = np.ones((3, 3), dtype=bool)
    assert assignments(ok, [2.0, 2.0, 1.5]).tolist() == [[1.5, 2.0, 2.0], [2.0, 1.5, 2.0], [2.0, 2.0, 1.5]]
    assert assignments(ok, [2.0, 2.0, 1.5], anchors={0: 1.5}).tolist() == [[1.5, 2.0, 2.0]]
    assert assignments(np.zeros((2, 2), dtype=bool), [1.0, 2.0]).shape == (0, 2)


def test_assignments_need_one_common_group_size():
    # pair 0 takes 1.0 only under size vector 0, pair 1 takes 2.0 only under size vector 1
    compat = np.zeros((2, 2, 2), dtype=bool)
    compat[0, 0, 0] = compat[1, 1, 1] = True
    assert assignments(compat, [1.0, 2.0]).shape == (0, 2)
    compat[1, 1, 0] = True
    assert assignments(compat, [1.0, 2.0]).tolist() == [[1.0, 2.0]]


@settings(max_examples=50, deadline=None)
@given(perm=st.permutations(range(5)))
def test_a_unique_fit_is_found_whatever_the_order(perm):
    compat = np.eye(5, dtype=bool)[:, list(perm)]
    values = np.arange(1.0, 6.0)[list(perm)]
    found = assignments(compat, values)
    assert found.tolist() == [list(np.arange(1.0, 6.0))]


def test_a_multiplier_no_pair_can_give_is_inconsistent(tmp_path):
    folder = copy_catalog(default_catalog_path(), tmp_path / "c")
    assert edit_csv(folder, "claims", {"item": "intelligence_3", "location": "chart"}, printed="3.3",
                    printed_text="3.3x") == 1
    t = scrambled_table(survey_facts(load_catalog(folder), "sos-smb-2016"))
    intel = t[t["chart"] == "Top Service Teams Lean into Intelligence"]
    assert (intel["assignments"] == 0).all() and (intel["verdict"] == "inconsistent").all()
