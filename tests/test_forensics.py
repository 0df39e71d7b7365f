"""simsurvey.check(): the forensic tables over whole catalogues, and the `simsurvey check` command."""
from __future__ import annotations

import io
import json
import math
import tempfile
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from _forensics_reference import copy_catalog, edit_csv, round_to, write_catalog
from simsurvey import check
from simsurvey.catalog.load import default_catalog_path
from simsurvey.cli import main
from simsurvey.forensics.verdicts import TABLES, ForensicsResult
from simsurvey.forensics.ratios import ratio_bounds

SMB_REPORT = ["sos-smb-2016", "smb-trends-2017"]  # the surveys of the SMB report, complete in the catalogue
ISSUE_COLUMNS = ["survey", "item", "printed", "recomputed", "low", "high", "integer_feasible", "verdict", "note"]


@pytest.fixture(scope="module")
def shipped():
    return check()


@pytest.fixture
def folder(tmp_path):
    return copy_catalog(default_catalog_path(), tmp_path / "catalog")


def _claim(res: ForensicsResult, item: str, location: str = "chart") -> pd.Series:
    rows = res.claims[(res.claims["item"] == item) & (res.claims["location"] == location)]
    assert len(rows) == 1, (item, location)
    return rows.iloc[0]


# -- the shipped catalogue ----------------------------------------------------------------

def test_one_row_per_claim_with_the_issue_columns(shipped, catalog):
    assert shipped.claims["claim_id"].tolist() == catalog.claims["claim_id"].tolist()
    assert set(ISSUE_COLUMNS) <= set(shipped.claims.columns)
    assert set(shipped.claims["verdict"]) <= {"consistent", "inconsistent", "unresolved"}
    assert set(shipped.claims["integer_feasible"]) <= {"yes", "no", "n/a"}
    for name in TABLES:
        assert "survey" in shipped.table(name).columns


def test_no_multiplier_of_the_smb_report_is_impossible(shipped):
    report = shipped.claims[shipped.claims["survey"].isin(SMB_REPORT)]
    assert (report["verdict"] != "inconsistent").all()
    smb = shipped.claims[(shipped.claims["survey"] == "sos-smb-2016") & (shipped.claims["certainty"] != "uncertain")
                         & shipped.claims["num_pct"].notna() & shipped.claims["den_pct"].notna()]
    assert len(smb) == 25
    assert (smb["verdict"] == "consistent").all() and (smb["integer_feasible"] == "yes").all()


def test_lead_cx_claim_by_hand(shipped):
    row = _claim(shipped, "lead_cx_initiatives")
    # 90/46 = 1.9565 prints 2.0; the percentages allow 89.5/46.5 = 1.9247 to 90.5/45.5 = 1.9890, which
    # overlaps 2.0x's interval [1.95, 2.05]
    assert row["recomputed"] == pytest.approx(90 / 46)
    assert (row["low"], row["high"]) == (pytest.approx(89.5 / 46.5), pytest.approx(90.5 / 45.5))
    assert row["verdict"] == "consistent" and "38 of 44" in row["note"]


def test_claims_without_percentages_say_what_they_imply(shipped):
    rows = shipped.claims[(shipped.claims["survey"] == "sos-smb-2016") & (shipped.claims["item"] == "")]
    notes = dict(zip(rows["printed"], rows["note"]))
    assert set(rows["verdict"]) == {"unresolved"}
    assert "under% <= high%/5.55" in notes[5.6] and "18.0%" in notes[5.6]
    assert "under% <= high%/5.05" in notes[5.1]
    right = _claim(shipped, "right_amount_training", "text")
    assert right["verdict"] == "unresolved" and "[41.63, 44.15]%" in right["note"]
    assert "42, 43, 44" in right["note"]


def test_scrambled_positions_are_judged_as_the_chart_solver_re_pairs_them(shipped):
    # 71/35 cannot print the 1.9x at its position; the solver gives it 2.0x, which it can
    row = _claim(shipped, "intelligence_2")
    assert row["printed"] == 1.9 and row["verdict"] == "consistent" and row["integer_feasible"] == "yes"
    assert row["note"].startswith("resolved by the chart solver") and "gives this item 2.0x" in row["note"]
    assert "printed at this position: 1.9x" in row["note"]
    assert _claim(shipped, "intelligence_1")["verdict"] == "consistent"


def test_harris_claims_use_the_weighted_rule(shipped):
    crm = _claim(shipped, "uses_crm")
    assert crm["verdict"] == "consistent"
    assert "weighted data" in crm["note"]
    assert "exactly 2.05" in crm["note"] and "half-up prints 2.1, half-even 2.0" in crm["note"]
    assert "1.8" in _claim(shipped, "uses_social_monitoring")["note"]  # 49/28 = 1.75: both rules print 1.8


def test_only_90_high_performers_fit_every_figure(shipped):
    vectors = shipped.size_vectors[shipped.size_vectors["survey"] == "sos-smb-2016"]
    assert len(vectors) == 44
    fits = vectors.loc[vectors["fits_all"] == "yes", "sizes"].tolist()
    assert fits == ["90/413/283", "90/414/282", "90/415/281", "90/416/280"]
    row = shipped.sizes.set_index("survey").loc["sos-smb-2016"]
    assert (row["vectors"], row["fitting"], row["sizes"], row["verdict"]) == (44, 4, "90/413-416/280-283",
                                                                                "consistent")
    assert "assuming every item was asked of the whole group" in row["note"]


def test_summary_counts(shipped):
    s = shipped.summary()
    assert list(s.columns) == ["consistent", "inconsistent", "unresolved"]
    assert s.loc["claims"].sum() == len(shipped.claims)
    report = check(survey=SMB_REPORT).summary()
    # 89% vs 90%; the scrambled 1.8x at the prompt-first-touch position is the text's 2.7x once re-paired
    assert report.loc["restated"].tolist() == [8, 1, 0]
    # the 8 re-paired claims are consistent; unresolved: 4 without percentages, right_amount_training
    assert report.loc["claims"].tolist() == [41, 0, 4]
    assert report.loc["sizes"].tolist() == [1, 0, 0]
    assert "size_vectors" not in report.index  # detail without a verdict


def test_rules_and_surveys_can_be_chosen():
    res = check(survey=["smb-trends-2017"], rule="half_up")
    assert set(res.claims["survey"]) == {"smb-trends-2017"} and res.rule == "half_up"
    assert len(res.mixtures) == 0 and len(res.inverse) == 4


def test_bad_arguments_fail_before_work():
    with pytest.raises(ValueError, match="rule must be"):
        check(rule="nearest")
    with pytest.raises(ValueError, match="unknown survey 'nope'"):
        check(survey="nope")
    with pytest.raises(ValueError, match="unknown survey 'nope'"):
        check(weighted={"nope": True})


# -- broken copies of the catalogue ---------------------------------------------------------

def test_a_wrong_multiplier_is_inconsistent(folder):
    assert edit_csv(folder, "claims", {"item": "excel_engage_at_scale", "location": "chart"},
                    printed="6.5", printed_text="6.5x") == 1
    res = check(folder, survey="sos-smb-2016")
    row = _claim(res, "excel_engage_at_scale")
    assert (row["verdict"], row["integer_feasible"]) == ("inconsistent", "no")
    assert "5.485-5.903" in row["note"]
    assert _claim(res, "excel_engage_at_scale", "text")["verdict"] == "consistent"
    assert res.restated.set_index("item").loc["excel_engage_at_scale", "verdict"] == "inconsistent"


def test_a_multiplier_only_whole_numbers_rule_out_is_inconsistent(folder):
    # 94%/35% allows 2.634-2.739, so 2.6x survives the rounding interval but not whole-number counts
    assert edit_csv(folder, "claims", {"item": "agents_prompt_first_touch", "location": "text"},
                    printed="2.6", printed_text="2.6x") == 1
    row = _claim(check(folder, survey="sos-smb-2016"), "agents_prompt_first_touch", "text")
    assert (row["verdict"], row["integer_feasible"]) == ("inconsistent", "no")
    assert row["note"].startswith("GRIM:")


def test_wrong_overall_figure_is_inconsistent(folder):
    assert edit_csv(folder, "figures", {"item": "lead_cx_initiatives", "group": "all"}, pct="65") == 1
    row = check(folder, survey="sos-smb-2016").mixtures.set_index("item").loc["lead_cx_initiatives"]
    assert row["verdict"] == "inconsistent" and row["integer_feasible"] == "no"


def test_weighting_decides_whether_whole_numbers_count(tmp_path):
    # groups of exactly 10 and 90 out of 100; 55% of 10 is impossible with whole numbers (5 or 6 of 10)
    common = dict(n=100, groups=["a", "b"], shares=[10, 90], figures=[("x", "a", 55), ("x", "b", 50)],
                  claims=[dict(item="x", numerator="a", denominator="b", printed="1.1")])
    plain = check(write_catalog(tmp_path / "plain", **common))
    weighted = check(write_catalog(tmp_path / "weighted", weighted="yes", **common))
    assert plain.claims.loc[0, "verdict"] == "inconsistent" and plain.claims.loc[0, "integer_feasible"] == "no"
    assert weighted.claims.loc[0, "verdict"] == "consistent" and "weighted data" in weighted.claims.loc[0, "note"]
    assert check(tmp_path / "weighted", weighted={"toy": False}).claims.loc[0, "verdict"] == "inconsistent"


def test_survey_without_n_gets_continuous_verdicts_only(tmp_path):
    cat = write_catalog(tmp_path / "c", n="", groups=["a", "b"], shares=[50, 50],
                        figures=[("x", "a", 60), ("x", "b", 30)],
                        claims=[dict(item="x", numerator="a", denominator="b", printed="2.0"),
                                dict(item="x", numerator="a", denominator="b", printed="2.5", location="text")])
    res = check(cat)
    assert res.claims["integer_feasible"].tolist() == ["n/a", "n/a"]
    assert res.claims["verdict"].tolist() == ["consistent", "inconsistent"]
    assert "n unpublished" in res.claims.loc[0, "note"]


# -- impossible premises (issue 9, item 1) ---------------------------------------------------

def test_n_and_shares_that_cannot_coexist_make_group_rows_inconsistent(tmp_path):
    # 33% of 10 is impossible (3 of 10 is 30%, 4 is 40%): no whole-number groups give n=10 and 33/67
    common = dict(n=10, groups=["a", "b"], shares=[33, 67],
                  figures=[("x", "a", 50), ("x", "b", 50), ("x", "all", 50)],
                  claims=[dict(item="x", numerator="a", denominator="b", printed="1.0")])
    res = check(write_catalog(tmp_path / "plain", **common))
    reason = "n=10 and the printed shares 33/67% cannot coexist: no whole-number group sizes give them"
    claim = res.claims.iloc[0]
    assert claim["verdict"] == "inconsistent" and claim["note"].startswith(reason)
    assert res.mixtures["verdict"].tolist() == ["inconsistent"] and res.mixtures.loc[0, "note"].startswith(reason)
    sizes = res.sizes.iloc[0]
    assert (sizes["vectors"], sizes["fitting"], sizes["verdict"], sizes["note"]) == (0, 0, "inconsistent", reason)
    assert res.summary().loc["sizes"].tolist() == [0, 1, 0]
    assert res.summary().loc["claims"].tolist() == [0, 1, 0]
    # weighted shares need not be whole-number fractions of n: nothing is decided
    weighted = check(write_catalog(tmp_path / "weighted", weighted="yes", **common))
    assert weighted.claims.loc[0, "verdict"] == "consistent" and weighted.sizes.loc[0, "verdict"] == "unresolved"


def test_no_group_sizes_fitting_every_figure_is_an_inconsistent_sizes_row(tmp_path):
    # n=100 at 10/90 allows only groups of 10 and 90, and no count of 10 prints as 55%
    res = check(write_catalog(tmp_path / "c", n=100, groups=["a", "b"], shares=[10, 90],
                              figures=[("x", "a", 55), ("x", "b", 50)], claims=[]))
    sizes = res.sizes.iloc[0]
    assert (sizes["vectors"], sizes["fitting"], sizes["sizes"], sizes["verdict"]) == (1, 0, "", "inconsistent")
    assert "the closest, 10/90, allows 1 of 2 figures" in sizes["note"]
    assert res.summary().loc["sizes"].tolist() == [0, 1, 0]


def test_shipped_catalogue_sizes_verdicts(shipped):
    # only the SMB survey publishes n and every share; the others' sizes are in the inverse table
    assert shipped.sizes[["survey", "verdict"]].values.tolist() == [["sos-smb-2016", "consistent"]]


# -- surveys without claims, broken surveys, empty tables (issue 9, item 11) -----------------

@pytest.mark.parametrize("survey", ["support-transformation-b2b", "connected-customer-2016"])
def test_survey_without_claims_gets_empty_tables_and_a_note(capsys, survey):
    res = check(survey=survey)
    assert len(res.claims) == 0 and list(res.claims.columns) == list(shipped_columns())
    assert res.notes == (f"survey {survey!r} has no claims in this catalogue (no printed multiplier): "
                         "its claims table is empty",)
    code, out, err = run(capsys, "check", "--survey", survey)
    assert code == 0 and "Empty DataFrame" not in out and "Traceback" not in err
    assert out == f"No rows: survey {survey!r} has nothing for the claims table to check.\n"
    assert err.startswith("simsurvey check: note: survey") and err.count("\n") == 1
    code, out, _ = run(capsys, "check", "--survey", survey, "--format", "csv")
    assert code == 0 and out.splitlines() == [",".join(shipped_columns())]
    code, out, _ = run(capsys, "check", "--survey", survey, "--format", "json", "--table", "scrambled")
    assert code == 0 and json.loads(out) == []


def shipped_columns():
    return check(survey="sos-smb-2016").claims.columns


def test_a_survey_that_breaks_is_named_in_a_multi_survey_run(monkeypatch, capsys):
    import simsurvey.forensics.verdicts as verdicts

    real = verdicts.totals_table

    def broken(facts):
        if facts.survey == "smb-trends-2017":
            raise KeyError("question")
        return real(facts)

    monkeypatch.setattr(verdicts, "totals_table", broken)
    with pytest.raises(ValueError, match="survey 'smb-trends-2017' cannot be checked: KeyError: 'question'"):
        check()
    code, out, err = run(capsys, "check")
    assert code == 2 and out == "" and "survey 'smb-trends-2017' cannot be checked" in err
    assert err.count("\n") == 1


# -- end to end: any counts in any admissible sizes come out consistent ---------------------

def _printed(x: Fraction, decimals: int) -> str:
    value = min(round_to(x, decimals, "half_up")) / 10 ** decimals
    return f"{value:.{decimals}f}"


@settings(max_examples=25, deadline=None)
@given(n=st.integers(100, 1500), data=st.data())
def test_synthetic_report_is_judged_consistent_and_a_perturbed_one_is_not(n, data):
    n1 = data.draw(st.integers(10, n // 2))
    n2 = n - n1
    k1 = data.draw(st.integers(1, n1))
    k2 = data.draw(st.integers(1, n2))
    p1, p2 = _printed(Fraction(100 * k1, n1), 0), _printed(Fraction(100 * k2, n2), 0)
    assume(p1 != "0" and p2 != "0")  # a 0% makes the ratio unbounded (and the catalogue has no 0.0x)
    overall = _printed(Fraction(100 * (k1 + k2), n), 0)
    ratio = Fraction(k1 * n2, k2 * n1)
    m = _printed(ratio, 1)
    assume(m != "0.0")
    high = ratio_bounds(float(p1), float(p2), rule="half_up").high
    assume(math.isfinite(high))
    far = f"{(math.floor(high * 10) + 2) / 10:.1f}"  # its rounding interval starts above the bound
    with tempfile.TemporaryDirectory() as tmp:
        cat = write_catalog(Path(tmp) / "c", n=n, groups=["a", "b"],
                            shares=[_printed(Fraction(100 * n1, n), 0), _printed(Fraction(100 * n2, n), 0)],
                            figures=[("x", "a", p1), ("x", "b", p2), ("x", "all", overall)],
                            claims=[dict(item="x", numerator="a", denominator="b", printed=m),
                                    dict(item="x", numerator="a", denominator="b", printed=far, location="text")])
        res = check(cat, rule="half_up")
    assert res.claims["verdict"].tolist()[0] == "consistent" and res.claims["integer_feasible"].tolist()[0] == "yes"
    assert res.mixtures["verdict"].tolist() == ["consistent"]
    assert res.claims["verdict"].tolist()[1] == "inconsistent"


# -- the command line ----------------------------------------------------------------------

def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_check_prints_the_claims_table(capsys):
    code, out, err = run(capsys, "check", "--survey", "sos-smb-2016", "--wide")  # every column
    assert code == 0 and err == ""
    header = out.splitlines()[0].split()
    assert set(ISSUE_COLUMNS) <= set(header)
    assert "lead_cx_initiatives" in out and "consistent" in out


def test_cli_check_csv_and_json(capsys):
    code, out, _ = run(capsys, "check", "--format", "csv", "--table", "mixtures")
    table = pd.read_csv(io.StringIO(out))
    assert code == 0 and table.loc[0, "item"] == "lead_cx_initiatives" and table.loc[0, "verdict"] == "consistent"
    code, out, _ = run(capsys, "check", "--format", "json", "--table", "inverse", "--survey", "smb-trends-2017",
                       "--rule", "half_even")
    records = json.loads(out)
    assert code == 0 and records[-1]["item"] == "(all items jointly)"
    assert records[-1]["low"] == pytest.approx(100 * 15 / 21)


def test_cli_check_flags_a_wrong_multiplier(capsys, folder):
    edit_csv(folder, "claims", {"item": "lead_cx_initiatives"}, printed="2.5", printed_text="2.5x")
    code, out, _ = run(capsys, "check", "--catalog", str(folder), "--format", "csv")
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert code == 0
    assert table.set_index("claim_id").loc["sos-smb-2016#1", "verdict"] == "inconsistent"


def test_cli_check_summary_and_errors(capsys):
    code, out, _ = run(capsys, "check", "--table", "summary", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "table,consistent,inconsistent,unresolved"
    code, out, err = run(capsys, "check", "--survey", "sos-2099")
    assert code == 2 and out == "" and "unknown survey 'sos-2099'" in err and err.count("\n") == 1
