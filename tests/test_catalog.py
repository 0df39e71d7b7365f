"""The shipped catalogue loads, covers the SMB report, and every validation rule bites."""
from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pytest

from simsurvey import CatalogError, load_catalog

SMB_SOURCE = "001_4686b64739098794.txt"


def _normalise(text):
    # the Connected Customer extraction numbers its lines ("42、"), splitting words and numbers ("1." / "9x")
    text = re.sub(r"\n\d+\u3001", "", text)
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2014", "-"), ("\u2013", "-")):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).strip()


# -- the shipped catalogue ------------------------------------------------------------

def test_shipped_catalogue_loads_with_typed_columns(catalog):
    assert {"survey", "item", "label", "group", "pct"} <= set(catalog.figures.columns)
    assert {"survey", "item", "numerator", "denominator", "printed", "kind"} <= set(catalog.claims.columns)
    assert catalog.figures["pct"].dtype == float
    assert catalog.claims["claim_id"].is_unique
    surveys = catalog.surveys.set_index("survey")
    assert surveys.loc["sos-smb-2016", "n"] == 786
    assert surveys.loc["smb-trends-2017", "n"] == 490
    assert surveys.loc["connected-customer-2018", "n"] == 6723
    assert surveys.loc["support-transformation-b2b", "n"] == 215


def test_tier_shares_and_rule(catalog):
    g = catalog.groups.query("survey == 'sos-smb-2016'").set_index("group")
    assert g["share"].to_dict() == {"high": 11.0, "moderate": 53.0, "under": 36.0}
    rule = catalog.surveys.set_index("survey").loc["sos-smb-2016", "group_rule"]
    assert "excellent" in rule and "above average" in rule
    # Harris growing/stagnant shares are not published and must stay empty, not 0
    assert catalog.groups.query("survey == 'smb-trends-2017'")["share"].isna().all()


SMB_CHARTS = {
    "Top Service Teams Take the Lead on Customer Experience",
    "High Performers Focus on Customer Relationships",
    "Gaining a Single Customer View Is a Top Challenge",
    "More Growing Companies Use CRM or Helpdesk Systems",
    "Top Teams Pave the Way in Omni-Channel Service",
    "Service Teams Are Dialing Up Their Tech Use",
    "Top Service Teams Lean into Intelligence",
    "Collaboration Is Key to Delivering a Shared Customer View",
    "High-Performing Agents Are Trained, Empowered, and Productive",
    "SMB Service Budget Change over the Past Two Years",
    "Anticipated SMB Service Budget Change Over the Next Two Years",
}


def test_every_chart_of_the_smb_report_is_catalogued(catalog):
    smb = catalog.figures[catalog.figures["source_file"] == SMB_SOURCE]
    assert SMB_CHARTS <= set(smb.loc[smb["location"] == "chart", "chart"])


def test_tier_table_reproduces_the_printed_triples(catalog):
    table = catalog.tier_table("sos-smb-2016")
    triples = table[["high", "moderate", "under"]].dropna().astype(int)
    assert len(triples) == 28  # 1 + 4 + 3 + 5 + 3 + 6 charted tier items + 6 budget answers
    assert triples.loc["excel_engage_at_scale"].tolist() == [91, 56, 16]
    assert triples.loc["lead_cx_initiatives"].tolist() == [90, 70, 46]
    assert triples.loc["agents_comprehensive_views"].tolist() == [96, 68, 23]
    # single-choice budget answers add up to 100 within rounding in every tier
    budget = table.loc[table.index.str.startswith("budget_past_"), ["high", "moderate", "under"]]
    assert budget.sum().between(98.5, 101.5).all()


def test_every_percentage_printed_in_the_smb_report_is_catalogued(catalog):
    """Count every 'NN%' token of the chart extraction and find each in the catalogue."""
    text = open(_seed_path(SMB_SOURCE), encoding="utf-8").read()
    printed = Counter(int(m) for m in re.findall(r"(\d+)%", text))
    smb = catalog.figures[catalog.figures["source_file"] == SMB_SOURCE]
    # figures written out in words ("Ninety percent of ...") have no 'NN%' token to count
    in_digits = [f"{p:g}%" in q for p, q in zip(smb["pct"], smb["quote"])]
    assert len(smb) - sum(in_digits) == 2
    found = Counter(smb.loc[in_digits, "pct"].astype(int))
    claims = catalog.claims[catalog.claims["source_file"] == SMB_SOURCE]
    found += Counter(int(t.strip("+%")) for t in claims["printed_text"] if t.endswith("%"))
    groups = catalog.groups[catalog.groups["source_file"] == SMB_SOURCE]
    found += Counter(groups["share"].dropna().astype(int))
    # not figures: "not all percentage totals ... equal 100%", "100% response rates",
    # and the growth definition "1% or more" / "less than 1%"
    found += Counter({100: 2, 1: 2})
    assert printed - found == Counter(), "printed but not catalogued"
    assert found - printed == Counter(), "catalogued but not printed"


def test_every_multiplier_printed_in_the_smb_report_is_a_claim(catalog):
    text = open(_seed_path(SMB_SOURCE), encoding="utf-8").read()
    printed = Counter(float(m) for m in re.findall(r"(\d\.\d) ?[xX]", text))
    claims = catalog.claims[(catalog.claims["source_file"] == SMB_SOURCE) & (catalog.claims["kind"] == "ratio")]
    # the chart's multipliers, plus the text sentences that repeat them
    assert Counter(claims["printed"]) == printed


def test_quotes_are_verbatim_from_their_source(catalog, seeds):
    sources = {}
    for name in ("surveys", "groups", "figures", "claims"):
        table = getattr(catalog, name)
        for row in table.itertuples():
            if row.source_file not in sources:
                sources[row.source_file] = _normalise((seeds / row.source_file).read_text(encoding="utf-8"))
            assert _normalise(row.quote) in sources[row.source_file], (name, row.Index, row.quote)


def test_uncertain_rows_say_why(catalog):
    for name in ("figures", "claims", "groups"):
        table = getattr(catalog, name)
        unsure = table[table["certainty"] != "certain"]
        assert (unsure["note"].str.len() > 20).all(), name


def test_scrambled_charts_are_flagged_not_guessed(catalog):
    f = catalog.figures
    for chart in ("Top Service Teams Lean into Intelligence",
                  "High-Performing Agents Are Trained, Empowered, and Productive"):
        rows = f[f["chart"] == chart]
        assert (rows["certainty"] != "certain").all()
        assert (rows["certainty"] == "uncertain").any()


def _seed_path(name):
    from conftest import SEEDS
    if not (SEEDS / name).is_file():
        pytest.skip(f"source report {name} not found")
    return SEEDS / name


# -- validation: each rule on a deliberately broken copy --------------------------------

def _edit(folder, table, row, column, value):
    path = folder / f"{table}.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[row, column] = value
    df.to_csv(path, index=False)


def _first_row(folder, table, **where):
    df = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    mask = pd.Series(True, index=df.index)
    for column, value in where.items():
        mask &= df[column] == value
    return int(mask.idxmax())


@pytest.mark.parametrize("table, column, value, message", [
    ("figures", "pct", "105", "105 is outside 0-100"),
    ("figures", "pct", "-1", "-1 is outside 0-100"),
    ("figures", "pct", "ninety", "'ninety' is not a number"),
    ("figures", "group", "top", "unknown group 'top'"),
    ("figures", "survey", "sos-2099", "unknown survey 'sos-2099'"),
    ("figures", "location", "footnote", "'footnote' is not one of chart, text"),
    ("figures", "item", "", "empty (required)"),
    ("claims", "item", "no_such_item", "unknown item 'no_such_item'"),
    ("claims", "denominator", "middling", "unknown group 'middling'"),
    ("claims", "printed", "5.7x", "'5.7x' is not a number"),
    ("claims", "printed", "0", "a multiplier must be positive"),
    ("claims", "decimals", "1.5", "'1.5' is not a whole number"),
    ("surveys", "n", "seven hundred", "'seven hundred' is not a whole number"),
    ("groups", "share", "20", "sum to 109, not 100 within rounding"),
    ("groups", "share", "101", "101 is outside 0-100"),
    # values that would load and fail later, or overflow the exact integer checks (issue 9, item 10)
    ("surveys", "n", "1e20", "1e20 is larger than 1,000,000"),
    ("surveys", "n", "99999999999999999999", "is larger than 1,000,000"),
    ("surveys", "employees_max", "1e20", "1e20 is larger than 100,000,000"),
    ("claims", "printed", "inf", "'inf' is not a number"),
    ("claims", "printed", "5000", "5000 is larger than 1,000"),
    ("claims", "decimals", "30", "30 is larger than 4"),
    ("figures", "pct", "12.123456", "12.123456 has more than 4 decimals"),
])
def test_broken_value_is_named_by_file_row_and_column(catalog_copy, table, column, value, message):
    row = _first_row(catalog_copy, table, survey="sos-smb-2016")
    _edit(catalog_copy, table, row, column, value)
    with pytest.raises(CatalogError) as err:
        load_catalog(catalog_copy)
    text = str(err.value)
    assert "\n" not in text
    assert message in text
    assert f"{table}.csv, row {row + 2}" in text
    assert f"column '{column}'" in text


def test_shares_off_by_more_than_rounding(catalog_copy):
    row = _first_row(catalog_copy, "groups", survey="sos-smb-2016", group="high")
    _edit(catalog_copy, "groups", row, "share", "13")  # 13 + 53 + 36 = 102 > 100 + 3/2
    with pytest.raises(CatalogError, match=r"sum to 102, not 100 within rounding \(±1.5\)"):
        load_catalog(catalog_copy)


def test_shares_within_rounding_are_accepted(catalog_copy):
    row = _first_row(catalog_copy, "groups", survey="sos-smb-2016", group="high")
    _edit(catalog_copy, "groups", row, "share", "12")  # 12 + 53 + 36 = 101: three rounded shares can do that
    shares = load_catalog(catalog_copy).groups.query("survey == 'sos-smb-2016'")["share"]
    assert shares.sum() == 101


def test_duplicate_row(catalog_copy):
    path = catalog_copy / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[5]]), encoding="utf-8")
    with pytest.raises(CatalogError, match=rf"figures.csv, row {len(lines) + 1}: duplicate of row 6"):
        load_catalog(catalog_copy)


def test_second_figure_for_the_same_cell(catalog_copy):
    path = catalog_copy / "figures.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    extra = df.iloc[[0]].assign(pct="12")
    pd.concat([df, extra]).to_csv(path, index=False)
    with pytest.raises(CatalogError, match=rf"row {len(df) + 2}, column 'item': a second chart figure"):
        load_catalog(catalog_copy)


def test_missing_column(catalog_copy):
    path = catalog_copy / "claims.csv"
    pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns="printed").to_csv(path, index=False)
    with pytest.raises(CatalogError, match=r"claims.csv: missing column 'printed'"):
        load_catalog(catalog_copy)


def test_missing_file_and_folder(catalog_copy, tmp_path):
    (catalog_copy / "groups.csv").unlink()
    with pytest.raises(CatalogError, match=r"groups.csv: file missing"):
        load_catalog(catalog_copy)
    with pytest.raises(CatalogError, match="catalogue folder not found"):
        load_catalog(tmp_path / "nowhere")


def test_every_problem_is_collected(catalog_copy):
    _edit(catalog_copy, "figures", 0, "pct", "150")
    _edit(catalog_copy, "figures", 1, "pct", "x")
    with pytest.raises(CatalogError) as err:
        load_catalog(catalog_copy)
    assert len(err.value.problems) == 2
    assert "(and 1 more problem)" in str(err.value)


# -- values that would load and fail later (issue 9, item 10) ----------------------------

def test_company_size_range_upside_down(catalog_copy):
    row = _first_row(catalog_copy, "surveys", survey="smb-trends-2017")  # 2-199 employees
    _edit(catalog_copy, "surveys", row, "employees_min", "500")
    with pytest.raises(CatalogError, match=rf"surveys.csv, row {row + 2}, column 'employees_min': 500 is more "
                                           r"than employees_max 199"):
        load_catalog(catalog_copy)


def test_printed_with_more_decimals_than_decimals_says(catalog_copy):
    row = _first_row(catalog_copy, "claims", item="excel_engage_at_scale")
    _edit(catalog_copy, "claims", row, "printed", "5.68")  # printed_text still "5.7x"
    with pytest.raises(CatalogError) as err:
        load_catalog(catalog_copy)
    assert err.value.problems == [
        f"{catalog_copy / 'claims.csv'}, row {row + 2}, column 'printed': 5.68 has 2 decimals but decimals says 1",
        f"{catalog_copy / 'claims.csv'}, row {row + 2}, column 'printed_text': '5.7x' does not say printed 5.68"]


@pytest.mark.parametrize("text, printed, decimals, message", [
    ("5.8x", "5.7", "1", "'5.8x' does not say printed 5.7"),
    ("+21%", "0.12", "2", "'+21%' does not say printed 0.12"),
    ("5.70x", "5.7", "1", "column 'decimals': 1, but printed_text '5.70x' shows 2"),
])
def test_printed_disagreeing_with_printed_text(catalog_copy, text, printed, decimals, message):
    row = _first_row(catalog_copy, "claims", item="excel_engage_at_scale")
    _edit(catalog_copy, "claims", row, "printed_text", text)
    _edit(catalog_copy, "claims", row, "printed", printed)
    _edit(catalog_copy, "claims", row, "decimals", decimals)
    with pytest.raises(CatalogError, match=re.escape(message)):
        load_catalog(catalog_copy)


def test_printed_text_forms_that_agree_load(catalog_copy):
    row = _first_row(catalog_copy, "claims", item="excel_engage_at_scale")
    for text in ("5.7X", "5.7 x", "5.7\u00d7", "5.7 times"):  # words are not compared
        _edit(catalog_copy, "claims", row, "printed_text", text)
        assert load_catalog(catalog_copy).claims.loc[row, "printed_text"] == text


def test_every_problem_of_the_folder_in_one_run(catalog_copy):
    # a table that cannot be read no longer hides the problems of the others
    path = catalog_copy / "groups.csv"
    pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns="share").to_csv(path, index=False)
    _edit(catalog_copy, "figures", 0, "pct", "150")
    _edit(catalog_copy, "surveys", 0, "n", "1e20")
    _edit(catalog_copy, "claims", 0, "printed", "2.05")
    with pytest.raises(CatalogError) as err:
        load_catalog(catalog_copy)
    found = " | ".join(err.value.problems)
    for part in ("groups.csv: missing column 'share'", "figures.csv, row 2, column 'pct'",
                 "surveys.csv, row 2, column 'n'", "claims.csv, row 2, column 'printed'"):
        assert part in found
