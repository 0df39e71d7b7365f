"""Terminal output a person can read: ``check`` and ``bootstrap`` in ~100 columns, nothing cut."""
from __future__ import annotations

import json

import pandas as pd

from simsurvey.cli import main
from simsurvey.io.readable import Column, readable_table
from simsurvey.report.wording import claim_wording


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _widest(text):
    return max(len(line) for line in text.splitlines())


def test_check_fits_100_columns_and_quotes_every_claim(capsys, catalog):
    code, out, _ = run(capsys, "check")
    assert code == 0 and _widest(out) <= 100
    # one row per claim, named by its id, in every survey (the 19 Connected Customer rows included)
    ids = [line.split()[0] for line in out.splitlines() if line[:1] == "#"]
    assert len(ids) == len(catalog.claims)
    assert "legend" not in out and "verdicts: consistent" in out and "not shown:" in out


def test_check_prints_the_percentages_and_the_whole_note(capsys):
    code, out, _ = run(capsys, "check", "--survey", "sos-smb-2016")
    flat = " ".join(out.split())
    assert "91% high vs 16% under" in flat and "5.48x–5.90x" in flat
    assert "+21% anticipated growth:" in flat and "0.21" not in flat
    # the no-percentage claim's note, 150+ characters, is printed whole (wrapped, not cut)
    res = __import__("simsurvey").check(survey="sos-smb-2016")
    note = res.claims.set_index("claim_id").loc["sos-smb-2016#18", "note"]
    assert len(note) > 100 and " ".join(note.split()) in flat and "…" not in out


def test_check_other_tables_fit_too(capsys):
    for table in ("mixtures", "inverse", "scrambled", "restated", "totals", "sizes", "summary"):
        code, out, _ = run(capsys, "check", "--table", table)
        assert code == 0 and _widest(out) <= 100, table


def test_wide_and_csv_keep_every_column(capsys):
    _, wide, _ = run(capsys, "check", "--survey", "sos-smb-2016", "--wide")
    _, csv, _ = run(capsys, "check", "--survey", "sos-smb-2016", "--format", "csv")
    header = csv.splitlines()[0].split(",")
    assert "integer_feasible" in header and all(c in wide.splitlines()[0] for c in header)
    assert _widest(wide) > 100 and "…" not in wide


def test_bootstrap_is_one_row_per_claim_with_methods_side_by_side(capsys):
    code, out, _ = run(capsys, "bootstrap", "--seed", "1", "--replicates", "1000")
    assert code == 0 and _widest(out) <= 100
    lines = out.splitlines()
    assert all(m in lines[0] for m in ("percentile", "bca", "koopman", "simultaneous"))
    ids = [line.split()[0] for line in lines if line[:1] == "#"]
    # 32 estimable claims, each once: re-paired, the chart's prompt-first-touch claim is the text's 2.7x
    assert len(ids) == len(set(ids)) == 32
    row = next(line for line in lines if line.startswith("#8 "))
    assert "5.7x" in row and "5.69x" in row and "respondents in the sample: high 90, under 281" in out
    assert "skipped #18: no percentages published" in out   # the footer says what was left out and why
    assert "not shown: the basic, katz, mover_wilson intervals" in " ".join(out.split())


def test_bootstrap_csv_unchanged_by_the_view(capsys):
    _, out, _ = run(capsys, "bootstrap", "--seed", "1", "--replicates", "500", "--format", "json",
                    "--methods", "katz")
    records = json.loads(out)
    assert {r["method"] for r in records} == {"katz"} and "share_above_1" in records[0]


def test_readable_table_wraps_without_losing_a_character():
    text = "word " * 40
    out = readable_table(pd.DataFrame({"a": [text], "n": ["a note " * 30]}), [Column("a", "a", 15)], note="n",
                         width=40)
    assert _widest(out) <= 40
    assert " ".join(out.split()[2:]) == " ".join((text + "a note " * 30).split())


def test_claim_wording_restores_the_chart_item_for_positional_claims(catalog):
    labels = dict(zip(catalog.figures["item"], catalog.figures["label"]))
    claims = catalog.claims.set_index("claim_id")
    words = claim_wording(claims.loc[["sos-smb-2016#19"]].reset_index(), labels)
    assert words.iloc[0].startswith("2.0x more likely (printed at chart position 1, beside: ")
    resolved = __import__("simsurvey").resolve("sos-smb-2016").claims.set_index("claim_id")
    words = claim_wording(resolved.loc[["sos-smb-2016#20"]].reset_index(), labels)
    assert words.iloc[0] == "2.0x more likely: " + labels["intelligence_2"]  # re-paired: 1.9x was printed there
