"""Numbers printed both in a chart and in the text."""
from __future__ import annotations

from _forensics_reference import copy_catalog, edit_csv
from simsurvey.catalog.load import default_catalog_path, load_catalog
from simsurvey.forensics.restated import restated_table, same_value_possible
from simsurvey.forensics.surveyfacts import survey_facts


def test_89_against_90_is_inconsistent_under_every_rule():
    # 89 needs [88.5, 89.5), 90 needs [89.5, 90.5]: 89.5 prints 90 under both rules
    for rule in ("half_up", "half_even", "any"):
        assert not same_value_possible(89, 90, rule=rule)


def test_88_against_89_needs_an_exact_half_and_mixed_rules():
    # only 88.5 prints as both, and only if one number was rounded half-up (89), the other half-even (88)
    assert same_value_possible(88, 89, rule="any")
    assert not same_value_possible(88, 89, rule="half_up") and not same_value_possible(88, 89, rule="half_even")
    assert same_value_possible(88, 89, base=[200]) and not same_value_possible(88, 89, base=[86, 87, 88])


def test_shipped_report():
    t = restated_table(survey_facts(load_catalog(), "sos-smb-2016")).set_index(["kind", "item"])
    row = t.loc[("figure", "engage_consistently_every_channel")]
    assert (row["printed_chart"], row["printed_text"], row["verdict"]) == (89.0, 90.0, "inconsistent")
    assert "whole-number counts" in row["note"]
    assert t.loc[("figure", "lead_cx_initiatives"), "verdict"] == "consistent"
    assert t.loc[("claim", "excel_engage_at_scale"), "verdict"] == "consistent"
    # the chart's 1.8x at the position of 94/35 is the scrambled layout, not a contradiction
    scrambled = t.loc[("claim", "agents_prompt_first_touch")]
    assert (scrambled["printed_chart"], scrambled["printed_text"], scrambled["verdict"]) == (1.8, 2.7, "unresolved")


def test_a_certain_claim_printed_differently_is_inconsistent(tmp_path):
    folder = copy_catalog(default_catalog_path(), tmp_path / "c")
    assert edit_csv(folder, "claims", {"item": "excel_engage_at_scale", "location": "text"},
                    printed="5.9", printed_text="5.9x") == 1
    t = restated_table(survey_facts(load_catalog(folder), "sos-smb-2016")).set_index(["kind", "item"])
    assert t.loc[("claim", "excel_engage_at_scale"), "verdict"] == "inconsistent"
