"""How the shipped catalogue reads the scrambled charts and survey facts (issue 9, items 14-17).

Each test states a reading rule and checks the catalogue follows it, with the forensics
where arithmetic decides.
"""
from __future__ import annotations

import re

import pandas as pd
import pytest

from _forensics_reference import copy_catalog
from simsurvey import CatalogError, check, load_catalog
from simsurvey.catalog.load import default_catalog_path
from simsurvey.forensics.groupsizes import count_range
from simsurvey.forensics.ratios import ratio_feasible
from simsurvey.forensics.surveyfacts import survey_facts

INTELLIGENCE = "Top Service Teams Lean into Intelligence"
AGENTS = "High-Performing Agents Are Trained, Empowered, and Productive"
PUSH = "Customers Push Companies to Do Better"


def _multipliers(catalog, chart):
    """The chart's multipliers in printed order (its claims' quote lists them)."""
    quote = catalog.claims.loc[catalog.claims["chart"] == chart, "quote"].iloc[0]
    return [float(m) for m in re.findall(r"(\d\.\d)x", quote)]


def _panel_rule_fits(catalog, chart, pct_column="pct"):
    """Items whose triple gives the multiplier that the panel-by-label-order rule assigns it.

    Panels are the chart's footnotes (the items' ``base``), in order of first appearance;
    within a panel the items keep their label order; the multipliers are printed panel by panel.
    """
    facts = survey_facts(catalog, "sos-smb-2016")
    f = catalog.figures[(catalog.figures["chart"] == chart) & (catalog.figures["location"] == "chart")]
    items = f.drop_duplicates("item")[["item", "base"]]
    panels = list(dict.fromkeys(items["base"]))
    ordered = [i for p in panels for i in items.loc[items["base"] == p, "item"]]
    value = f.assign(v=f[pct_column].fillna(f["pct"])).set_index(["item", "group"])["v"]
    fits = []
    for item, m in zip(ordered, _multipliers(catalog, chart)):
        ok = ratio_feasible(value[item, "high"], value[item, "under"], m, facts.base("high"), facts.base("under"))
        if ok.any():
            fits.append(item)
    return ordered, fits


# -- 14: the agents chart's leading alternative reading ------------------------------------------

def test_panel_rule_fits_the_intelligence_chart_in_label_order(catalog):
    ordered, fits = _panel_rule_fits(catalog, INTELLIGENCE)
    assert ordered == ["intelligence_1", "intelligence_3", "intelligence_5", "intelligence_2", "intelligence_4"]
    assert fits == ordered  # all five


def test_agents_chart_fits_the_panel_rule_only_under_the_alternative(catalog):
    ordered, fits = _panel_rule_fits(catalog, AGENTS)
    assert set(ordered) - set(fits) == {"agents_comprehensive_views", "agents_productivity"}
    _, fits = _panel_rule_fits(catalog, AGENTS, pct_column="alternative")
    assert fits == ordered  # all six once the two triples swap
    alt = catalog.figures[catalog.figures["alternative"].notna() & (catalog.figures["chart"] == AGENTS)]
    assert sorted(alt["item"].unique()) == ["agents_comprehensive_views", "agents_productivity"]
    assert (alt["certainty"] == "uncertain").all()
    assert alt["note"].str.contains("LEADING ALTERNATIVE").all()


def test_the_alternative_puts_42x_on_overall_productivity(tmp_path):
    folder = copy_catalog(default_catalog_path(), tmp_path / "alt")
    figures = pd.read_csv(folder / "figures.csv", dtype=str, keep_default_na=False)
    swap = (figures["chart"] == AGENTS) & (figures["alternative"] != "")
    figures.loc[swap, "pct"] = figures.loc[swap, "alternative"]
    figures.to_csv(folder / "figures.csv", index=False)
    gets = check(folder, survey="sos-smb-2016").scrambled.set_index("item")["gets"]
    assert gets["agents_productivity"] == "4.2x" and gets["agents_comprehensive_views"] == "2.0x"
    shipped = check(survey="sos-smb-2016").scrambled.set_index("item")["gets"]
    assert shipped["agents_comprehensive_views"] == "4.2x"  # the catalogued reading


# -- 15: Connected Customer oriented by page 7 ---------------------------------------------------

def test_page_7_anchor_is_attached_to_its_items_and_enters_the_check(catalog):
    f = catalog.figures[catalog.figures["survey"] == "connected-customer-2018"]
    assert not f["item"].str.startswith("cc_unlabelled").any()
    anchor = f[(f["item"] == "companies_lack_best_interests") & (f["group"] == "consumers")].iloc[0]
    assert anchor["pct"] == 59 and "nearly six in 10 consumers" in anchor["quote"]
    inverse = check(survey="connected-customer-2018").inverse.set_index("item")
    # the anchor alone puts consumers at 60-73% of the weighted sample: a majority, not an assumption
    row = inverse.loc["companies_lack_best_interests"]
    assert row["group"] == "consumers" and row["low"] == pytest.approx(60.0) and row["high"] == pytest.approx(73.33, abs=0.01)
    joint = inverse.loc["(all items jointly)"]
    assert (joint["low"], joint["high"]) == pytest.approx((62.5, 70.0))


def test_one_bar_order_per_chart(catalog):
    f = catalog.figures[(catalog.figures["chart"] == PUSH) & (catalog.figures["location"] == "chart")]
    pairs = f[f["group"] != "all"].pivot(index="item", columns="group", values="pct")
    assert len(pairs) == 3
    for item, row in pairs.iterrows():
        quote = f.loc[f["item"] == item, "quote"].iloc[-1]
        first, second = map(int, re.findall(r"(\d+)%(\d+)%$", quote)[0])
        # business buyers first on this chart, for every pair
        assert (first, second) == (row["business_buyers"], row["consumers"]), item


# -- 16: certainty by the catalogue's own definitions --------------------------------------------

def _certainty(catalog, item, group=None):
    f = catalog.figures[catalog.figures["item"] == item]
    if group:
        f = f[f["group"] == group]
    return set(f["certainty"])


def test_certainty_flags(catalog):
    budget = catalog.figures[catalog.figures["item"].str.startswith("budget_")]
    assert set(budget.loc[budget["group"] == "high", "certainty"]) == {"probable"}  # read by multipliers and sums
    under = budget[(budget["group"] == "under") & budget["item"].str.contains("maintained|decreased")]
    assert set(under["certainty"]) == {"probable"}
    assert under.set_index("item")["alternative"].to_dict() == {
        "budget_past_maintained": 14, "budget_past_decreased": 48,
        "budget_next_maintained": 10, "budget_next_decreased": 44}
    for item in ("intelligence_3", "intelligence_4", "intelligence_5", "agents_tools_technology",
                 "agents_decision_power"):
        assert _certainty(catalog, item) == {"probable"}, item
    for item in ("intelligence_1", "intelligence_2", "agents_comprehensive_views", "agents_productivity"):
        assert _certainty(catalog, item) == {"uncertain"}, item


def test_inferred_survey_facts_say_so(catalog):
    notes = catalog.surveys.set_index("survey")["note"]
    assert "Inferred, not stated: probability_sample" in notes["sos-smb-2016"]
    cc = notes["connected-customer-2018"]
    assert "Inferred, not stated: probability_sample" in cc and "weighted" in cc and "mode" in cc
    assert "methodology page is not in the extraction" in cc


# -- 17: bases, quotes, callouts, notes ----------------------------------------------------------

def test_support_transformation_item_bases_vary(catalog):
    # 83.1% and 54.1% are printed in the report; neither is a whole-number share of 215
    for pct in (83.1, 54.1):
        kmin, kmax = count_range(pct, 215, 1)
        assert kmin > kmax
    surveys = catalog.surveys.set_index("survey")
    assert surveys.loc["support-transformation-b2b", "item_bases"] == "vary"
    assert (surveys.drop("support-transformation-b2b")["item_bases"] == "").all()
    totals = check(survey="support-transformation-b2b").totals
    assert (totals["integer_feasible"] == "n/a").all() and totals["note"].str.contains("item bases vary").all()


def test_every_claim_quote_carries_its_multiplier(catalog):
    for row in catalog.claims.itertuples():
        assert row.printed_text.lower() in row.quote.lower(), (row.claim_id, row.printed_text, row.quote)


def test_identical_callouts_share_one_location(catalog):
    callouts = catalog.claims[catalog.claims["quote"].str.match(r"^\d\.\dX more likely")]
    assert len(callouts) == 6 and (callouts["location"] == "text").all()
    stand_alone = catalog.figures[catalog.figures["note"].str.contains("Stand-alone callout")]
    assert len(stand_alone) == 3 and (stand_alone["location"] == "text").all()


def test_harris_orientation_note_gives_the_chart_title(catalog):
    f = catalog.figures[(catalog.figures["survey"] == "smb-trends-2017") & (catalog.figures["group"] != "all")]
    assert f["note"].str.contains("the chart title ('More Growing Companies Use CRM or Helpdesk Systems') fixes "
                                  "the direction", regex=False).all()


# -- the two new columns on broken copies --------------------------------------------------------

def test_alternative_on_a_certain_figure_is_refused(catalog_copy):
    path = catalog_copy / "figures.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = int((df["certainty"] == "certain").idxmax())
    df.loc[row, "alternative"] = "50"
    df.to_csv(path, index=False)
    with pytest.raises(CatalogError, match=rf"figures.csv, row {row + 2}, column 'alternative': a certain figure "
                                           "has no alternative reading"):
        load_catalog(catalog_copy)


def test_item_bases_choices_and_older_catalogues(catalog_copy):
    path = catalog_copy / "surveys.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.drop(columns="item_bases").to_csv(path, index=False)  # a catalogue written before the column existed
    figures = pd.read_csv(catalog_copy / "figures.csv", dtype=str, keep_default_na=False)
    figures.drop(columns="alternative").to_csv(catalog_copy / "figures.csv", index=False)
    old = load_catalog(catalog_copy)
    assert (old.surveys["item_bases"] == "").all() and old.figures["alternative"].isna().all()
    df.loc[0, "item_bases"] = "sometimes"
    df.to_csv(path, index=False)
    with pytest.raises(CatalogError, match=r"surveys.csv, row 2, column 'item_bases': 'sometimes' is not one of vary"):
        load_catalog(catalog_copy)


def test_the_anchor_decides_an_orientation(catalog_copy):
    # read 73/64 in the legend's order (consumers 73) and the consumer share it needs (0.22-0.44)
    # contradicts the page-7 anchor: the joint bound on the consumer share is empty
    path = catalog_copy / "figures.csv"
    f = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = (f["item"] == "experience_standards_higher_than_ever") & (f["location"] == "chart")
    f.loc[rows & (f["group"] == "consumers"), "pct"] = "73"
    f.loc[rows & (f["group"] == "business_buyers"), "pct"] = "64"
    f.to_csv(path, index=False)
    inverse = check(catalog_copy, survey="connected-customer-2018").inverse.set_index("item")
    assert inverse.loc["(all items jointly)", "verdict"] == "inconsistent"
    assert inverse.loc["companies_lack_best_interests", "verdict"] == "consistent"
