"""``check-ratio``: one multiplier in one line; ``new-catalog``: a template that loads and checks."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import simsurvey as ss
from simsurvey.cli import main
from simsurvey.inference.analytic import koopman_score
from simsurvey.report.one_claim import check_ratio
from simsurvey.report.template import TEMPLATE_SURVEY, new_catalog


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_readme_one_liner(capsys):
    code, out, err = run(capsys, "check-ratio", "91", "16", "5.7", "--n", "786", "--shares", "11,53,36")
    assert code == 0 and err == "" and len(out.splitlines()) == 1
    assert "5.69x" in out and "consistent" in out and "29 of 44" in out and "4.35x to 7.55x" in out


def test_agrees_with_the_catalogue_check(catalog):
    # the same claim in check(): same rounding range, same number of fitting size vectors
    row = ss.check(catalog, survey="sos-smb-2016").claims.set_index("claim_id").loc["sos-smb-2016#8"]
    r = check_ratio("91", "16", "5.7", n=786, shares=[11, 53, 36])
    assert (r.low, r.high) == pytest.approx((row["low"], row["high"]))
    assert f"fit {r.sizes_fit} of {r.sizes} " in row["note"]


def test_interval_is_koopman_on_the_fitting_sizes():
    r = check_ratio("91", "16", "5.7", n=786, shares=[11, 53, 36])
    # 86 high performers: 78 of 86 print as 91%; 283 under: 45 of 283 print as 16%
    low, high = koopman_score(78, 86, 45, 283)
    assert (r.ci_low, r.ci_high) == pytest.approx((float(low), float(high)))


def test_impossible_multiplier_is_inconsistent():
    assert check_ratio("91", "16", "6.2").verdict == "inconsistent"
    assert check_ratio("91", "16", "6.2", n=786, shares=[11, 53, 36]).sizes_fit == 0


def test_less_likely_and_pair(capsys):
    r = check_ratio("45", "50", "1.1", direction="less")
    assert r.verdict == "consistent" and r.low < 50 / 45 < r.high
    code, out, _ = run(capsys, "check-ratio", "70", "46", "1.5", "--n", "786", "--shares", "11,53,36", "--pair", "2,3")
    assert code == 0 and "415" not in out and "vs 28" in out  # moderate (2nd) vs under (3rd)


@pytest.mark.parametrize("argv, message", [
    (["101", "16", "5.7"], "num_pct: 101 is outside 0-100"),
    (["91", "x", "5.7"], "den_pct: not a number"),
    (["91", "16", "5.7", "--n", "786"], "--shares: needed with --n"),
    (["91", "16", "5.7", "--n", "786", "--shares", "11,53,36", "--pair", "1,1"], "pair: two different positions"),
])
def test_bad_input_is_one_line(capsys, argv, message):
    code, out, err = run(capsys, "check-ratio", *argv)
    assert code == 2 and out == "" and message in err and len(err.splitlines()) == 1


@settings(max_examples=60, deadline=None)
@given(a=st.integers(1, 100), b=st.integers(1, 100))
def test_the_exact_ratio_is_always_consistent(a, b):
    # the ratio of the printed percentages themselves, rounded to one decimal, can always be printed
    printed = f"{math.floor(a / b * 10 + 0.5) / 10:.1f}"
    if float(printed) > 0:
        assert check_ratio(str(a), str(b), printed).verdict == "consistent"


def test_new_catalog_loads_checks_and_refuses_to_overwrite(tmp_path, capsys):
    folder = tmp_path / "mine"
    code, out, _ = run(capsys, "new-catalog", str(folder))
    assert code == 0 and "critique --catalog" in out
    cat = ss.load_catalog(folder)
    assert "source_file" in cat.figures.columns and (cat.figures["source_file"] == "").all()
    res = ss.check(cat, survey=TEMPLATE_SURVEY)
    assert res.claims["verdict"].tolist() == ["consistent", "consistent", "unresolved"]
    code, out, err = run(capsys, "new-catalog", str(folder))
    assert code == 2 and "not empty" in err


def test_provenance_is_required_only_in_the_shipped_catalogue(catalog_copy, monkeypatch):
    f = pd.read_csv(catalog_copy / "figures.csv", dtype=str, keep_default_na=False)
    f.loc[4, "quote"] = ""
    f.drop(columns="note").to_csv(catalog_copy / "figures.csv", index=False)
    # a user's folder: an empty quote and a missing note column are fine
    assert ss.load_catalog(catalog_copy).figures["quote"].eq("").sum() == 1
    # the same folder as the shipped catalogue: the quote is required (the note column stays optional there
    # only if present, so put it back)
    f.loc[4, "quote"] = ""
    f.to_csv(catalog_copy / "figures.csv", index=False)
    monkeypatch.setattr("simsurvey.catalog.load.default_catalog_path", lambda: catalog_copy)
    with pytest.raises(ss.CatalogError, match=r"figures.csv, row 6, column 'quote': empty \(required in the shipped"):
        ss.load_catalog(catalog_copy)
