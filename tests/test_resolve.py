"""The resolved survey: what the forensics prove is recorded once, with evidence and source."""
from __future__ import annotations

import pandas as pd
import pytest

import simsurvey as ss
from simsurvey.catalog.spec import SurveySpec
from simsurvey.forensics.resolve import FACT_COLUMNS, ResolvedSurvey, resolve
from simsurvey.inference import BootstrapWarning

CLAIM_COLUMNS = ["claim_id", "survey", "chart", "location", "kind", "item", "numerator", "denominator", "group",
                 "printed", "printed_text", "decimals", "direction", "certainty"]


@pytest.fixture(scope="module")
def smb():
    return resolve("sos-smb-2016")


def test_group_sizes_chosen_from_the_admissible_set(smb):
    assert smb.sizes == (90, 415, 281)
    assert smb.admissible == ((90, 413, 283), (90, 414, 282), (90, 415, 281), (90, 416, 280))
    row = smb.fact("group_sizes").iloc[0]
    assert row["value"] == "90/415/281" and row["source"] == "forensics"
    assert "closest to the printed shares" in row["evidence"]
    # the 8 re-paired claims now count among the integer-tested claims that narrow the sizes
    assert "36 integer-tested claims" in smb.fact("admissible_sizes").iloc[0]["evidence"]
    assert set(smb.facts.columns) == set(FACT_COLUMNS)
    assert set(smb.facts["source"]) == {"published", "forensics"}


def test_scrambled_charts_re_paired(smb):
    c = smb.claims.set_index("item")
    chart = smb.claims[smb.claims["pairing"] == "re-paired"]
    assert len(chart) == 11 and smb.unresolved() == []
    assert c.loc["agents_comprehensive_views", ["printed", "printed_positional", "printed_text"]].tolist() == \
        [4.2, 2.0, "4.2x"]
    assert c.loc["intelligence_5", "printed"] == 1.7
    # multipliers only move within a chart: each chart's multiset is unchanged
    for _, rows in chart.groupby("chart"):
        assert sorted(rows["printed"]) == sorted(rows["printed_positional"])
    assert (chart["verdict"] == "consistent").all()
    assert chart["note"].str.startswith("resolved by the chart solver").all()
    # the published spec keeps the claims as printed; the claim spec carries the re-pairing
    assert smb.spec.claims.set_index("claim_id").loc["sos-smb-2016#31", "printed"] == 2.0
    assert smb.claim_spec().claims.set_index("claim_id").loc["sos-smb-2016#31", "printed"] == 4.2


def test_restated_number_recorded_with_the_one_used(smb):
    row = smb.fact("restated").iloc[0]
    assert row["subject"] == "engage_consistently_every_channel high" and row["value"] == "89%"
    assert "text 90%" in row["evidence"] and "use the chart's value" in row["evidence"]


def test_claims_feasible_in_whole_numbers(smb):
    growth = smb.claims[smb.claims["kind"] == "anticipated_growth"]
    assert len(growth) == 8 and growth["reproducible"].all()
    assert not smb.claims.set_index("claim_id").loc["sos-smb-2016#18", "reproducible"]  # no percentages


def test_agents_chart_alternative_reading_recorded_not_used(smb):
    alt = smb.alternatives
    assert not alt["used"].any() and (alt["source"] == "catalogue reading").all()
    agents = alt[alt["chart"] == "High-Performing Agents Are Trained, Empowered, and Productive"]
    assert agents["carries"].tolist() == ["agents_comprehensive_views 2.0x (86%/42%); "
                                          "agents_productivity 4.2x (96%/23%)"]
    assert "panel by panel in label order" in agents["evidence"].iloc[0]
    # the budget chart's under-tier maintained/decreased swap, read from the catalogue's alternative column
    assert alt["carries"].str.contains("budget_past_maintained under 48% -> 14%", regex=False).any()


def test_harris_share_bounded_and_value_used():
    res = resolve("smb-trends-2017")
    assert res.sizes is None and not res.shares_published
    assert res.shares[0] == pytest.approx(100 * 31 / 42)  # midpoint of 71.43-76.19
    row = res.fact("share", "growing").iloc[0]
    assert row["source"] == "forensics" and "71.4-76.2%" in row["evidence"] and "used: 73.8%" in row["evidence"]


def test_resolve_is_idempotent_and_top_level(smb):
    assert ss.resolve(smb) is smb
    assert isinstance(ss.resolve("sos-smb-2016"), ResolvedSurvey)
    with pytest.raises(ValueError, match="rule must be one of"):
        resolve("sos-smb-2016", rule="banker")
    with pytest.raises(ValueError, match="survey must be"):
        resolve(42)


def two_way_chart() -> SurveySpec:
    """Two pairs (40/20 and 41/20) that can each print 2.0x or 2.1x: two assignments fit."""
    figures = pd.DataFrame({
        "item": ["x1", "x1", "x2", "x2"], "label": "", "base": "", "question": "",
        "group": ["a", "b", "a", "b"], "pct": [40.0, 20.0, 41.0, 20.0], "pct_decimals": 0,
        "location": "chart", "certainty": "certain"})
    claims = pd.DataFrame([
        dict(claim_id="toy#1", survey="toy", chart="c", location="chart", kind="ratio", item="x1", numerator="a",
             denominator="b", group="", printed=2.1, printed_text="2.1x", decimals=1, direction="more",
             certainty="uncertain"),
        dict(claim_id="toy#2", survey="toy", chart="c", location="chart", kind="ratio", item="x2", numerator="a",
             denominator="b", group="", printed=2.0, printed_text="2.0x", decimals=1, direction="more",
             certainty="uncertain")], columns=CLAIM_COLUMNS)
    return SurveySpec(survey="toy", n=400, groups=("a", "b"), shares=(50.0, 50.0), figures=figures, claims=claims)


def test_chart_with_two_assignments_stays_unresolved():
    res = resolve(two_way_chart())
    assert res.unresolved() == ["toy#1", "toy#2"]
    assert (res.claims["verdict"] == "unresolved").all()
    assert res.claims["printed"].tolist() == [2.1, 2.0]  # left as printed
    assert "2 assignments that fit give it 2.0x, 2.1x" in res.claims["note"].iloc[0]
    assert len(res.alternatives) == 2 and res.claim_spec().claims.empty


def test_spec_without_claims_resolves():
    spec = two_way_chart()
    bare = SurveySpec(spec.survey, spec.n, spec.groups, spec.shares, spec.figures, pd.DataFrame())
    res = resolve(bare)
    assert res.claims.empty and res.sizes is not None


def test_bootstrap_skips_an_unresolved_chart_with_a_warning_naming_it():
    spec = two_way_chart()
    sample = pd.DataFrame({"group": ["a"] * 200 + ["b"] * 200,
                           "x1": [1] * 80 + [0] * 120 + [1] * 40 + [0] * 160,
                           "x2": [1] * 82 + [0] * 118 + [1] * 40 + [0] * 160,
                           "x3": [1] * 100 + [0] * 100 + [1] * 50 + [0] * 150})
    extra = pd.DataFrame([dict(claim_id="toy#3", survey="toy", chart="d", location="chart", kind="ratio", item="x3",
                               numerator="a", denominator="b", group="", printed=2.0, printed_text="2.0x",
                               decimals=1, direction="more", certainty="certain")])
    figures = pd.concat([spec.figures, spec.figures.iloc[:2].assign(item="x3", pct=[50.0, 25.0])], ignore_index=True)
    spec = SurveySpec(spec.survey, spec.n, spec.groups, spec.shares, figures,
                      pd.concat([spec.claims, extra], ignore_index=True))
    with pytest.warns(BootstrapWarning,
                      match=r"scrambled chart whose pairing the chart solver leaves unresolved: toy#1, toy#2"):
        res = ss.bootstrap(sample, spec, replicates=1000, seed=1, methods=["percentile"])
    assert res["claim_id"].tolist() == ["toy#3"]
    assert [r["claim_id"] for r in res.attrs["skipped"]] == ["toy#1", "toy#2"]


def test_every_published_claim_inside_its_percentile_interval_once_re_paired():
    # the issue's own check: before re-pairing 4 scrambled claims had their printed value outside
    res = ss.bootstrap(ss.generate("sos-smb-2016", seed=1), "sos-smb-2016", replicates=10_000, seed=1,
                       methods=["percentile"])
    assert res["printed_inside"].all() and len(res) == 32
    views = res.set_index("item").loc["agents_comprehensive_views"]
    assert views["printed"] == 4.2 and views["low"] < 4.2 < views["high"]
