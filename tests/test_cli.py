"""The simsurvey command line: output formats, help, and one-line errors."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import pandas as pd
import pytest

from simsurvey.cli import build_parser, main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_catalog_prints_the_whole_tier_table(capsys, catalog):
    code, out, err = run(capsys, "catalog", "--survey", "sos-smb-2016")
    assert code == 0 and err == ""
    for item in catalog.figures.query("survey == 'sos-smb-2016'")["item"].unique():
        assert item in out
    line = next(l for l in out.splitlines() if l.lstrip().startswith("excel_engage_at_scale"))
    assert re.search(r"\s91\s+56\s+16\s+certain\s*$", line), line


def test_catalog_csv_round_trips(capsys, catalog):
    code, out, _ = run(capsys, "catalog", "--survey", "sos-smb-2016", "--format", "csv")
    table = pd.read_csv(io.StringIO(out)).set_index("item")
    assert code == 0
    assert table.loc["excel_engage_at_scale", ["high", "moderate", "under"]].tolist() == [91, 56, 16]
    assert table.loc["lead_cx_initiatives", "all"] == 63
    assert len(table) == catalog.figures.query("survey == 'sos-smb-2016'")["item"].nunique()


def test_catalog_json_claims(capsys):
    code, out, _ = run(capsys, "catalog", "--survey", "sos-smb-2016", "--table", "claims", "--format", "json")
    records = json.loads(out)
    assert code == 0
    at_scale = [r for r in records if r["item"] == "excel_engage_at_scale"]
    assert {r["printed"] for r in at_scale} == {5.7}
    assert all(r["survey"] == "sos-smb-2016" for r in records)


def test_catalog_without_survey_lists_surveys(capsys):
    code, out, _ = run(capsys, "catalog")
    assert code == 0
    for survey in ("sos-smb-2016", "smb-trends-2017", "connected-customer-2018", "support-transformation-b2b"):
        assert survey in out


def test_unknown_survey_is_one_line_error(capsys):
    code, out, err = run(capsys, "catalog", "--survey", "sos-2099")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "unknown survey 'sos-2099'" in err and "sos-smb-2016" in err


def test_broken_catalogue_is_one_line_error_naming_row_and_column(capsys, catalog_copy):
    figures = pd.read_csv(catalog_copy / "figures.csv", dtype=str, keep_default_na=False)
    figures.loc[3, "pct"] = "190"
    figures.to_csv(catalog_copy / "figures.csv", index=False)
    code, out, err = run(capsys, "catalog", "--catalog", str(catalog_copy))
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "figures.csv, row 5, column 'pct': 190 is outside 0-100" in err


def test_every_command_has_help(capsys):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert "catalog" in commands
    for name, sub in commands.items():
        # a command with its own sub-commands (experiment NAME) puts the common flags on each of them
        nested = sub._subparsers._group_actions[0].choices if sub._subparsers else {None: None}
        for inner in nested:
            with pytest.raises(SystemExit) as exit_:
                main([name, "--help"] if inner is None else [name, inner, "--help"])
            assert exit_.value.code == 0
            out = capsys.readouterr().out
            if name != "new-catalog":  # the one command that writes a catalogue rather than reading one
                assert "--catalog" in out


@pytest.mark.skipif(shutil.which("simsurvey") is None, reason="console script not installed")
def test_console_script_runs():
    done = subprocess.run(["simsurvey", "catalog", "--survey", "smb-trends-2017", "--format", "csv"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(io.StringIO(done.stdout)).set_index("item")
    assert table.loc["uses_helpdesk", ["growing", "stagnant"]].tolist() == [30, 12]


def test_bootstrap_command_on_the_generated_sample(capsys, tmp_path):
    reps = tmp_path / "reps.csv"
    code, out, err = run(capsys, "bootstrap", "--seed", "3", "--replicates", "1000", "--methods", "percentile,katz",
                         "--format", "csv", "--replicates-out", str(reps))
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out))
    assert set(table["method"]) == {"percentile", "katz"}
    row = table[(table["item"] == "excel_engage_at_scale") & (table["method"] == "katz")].iloc[0]
    # the exact-mode sample reproduces 91% of 90 and 16% of 281, so the estimate prints as 5.7
    assert round(row["estimate"], 1) == 5.7 and row["low"] > 4 and row["high"] < 9
    layout = pd.read_csv(reps, nrows=2)
    assert layout.columns[:3].tolist() == ["respondent", "weight", "rep1"] and layout.shape[1] == 1002
    # the same seed gives the same table
    assert run(capsys, "bootstrap", "--seed", "3", "--replicates", "1000", "--methods", "percentile,katz",
               "--format", "csv")[1] == out


def test_bootstrap_command_reads_a_sample_file(capsys, tmp_path):
    path = tmp_path / "sample.csv"
    assert run(capsys, "generate", "--seed", "5", "--out", str(path))[0] == 0
    code, out, err = run(capsys, "bootstrap", "--sample", str(path), "--seed", "1", "--replicates", "1000",
                         "--methods", "katz", "--format", "json")
    assert code == 0, err
    assert {r["method"] for r in json.loads(out)} == {"katz"}
    code, out, err = run(capsys, "bootstrap", "--sample", str(tmp_path / "missing.csv"))
    assert code == 2 and "not found" in err and err.count("\n") == 1


# -- files, flags, exit codes ---------------------------------------------------------------

def test_replicates_out_is_checked_before_the_work(capsys, tmp_path, monkeypatch):
    import simsurvey.inference.resampling as resampling

    def no_work(*args, **kwargs):
        raise AssertionError("bootstrap ran before --replicates-out was checked")

    monkeypatch.setattr(resampling, "bootstrap", no_work)
    for bad, message in ((tmp_path / "missing" / "r.csv", "--replicates-out: folder"),
                         (tmp_path / "r.parquet", "--replicates-out: unsupported file extension '.parquet'")):
        code, out, err = run(capsys, "bootstrap", "--seed", "1", "--replicates-out", str(bad))
        assert code == 2 and out == "" and err.count("\n") == 1 and message in err, err


@pytest.mark.parametrize("argv, message", [
    (["--replicates", "10"], "error: --replicates must be at least 40"),
    (["--confidence", "1.5"], "error: --confidence must be between 0 and 1"),
    (["--methods", "percentile,jackknife"], "error: --methods must be some of"),
])
def test_bootstrap_errors_name_the_flag(capsys, argv, message):
    code, out, err = run(capsys, "bootstrap", "--seed", "1", *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err, err


def test_errors_reading_the_sample_name_the_file(capsys, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    code, out, err = run(capsys, "bootstrap", "--sample", str(empty), "--seed", "1")
    assert code == 2 and err.count("\n") == 1
    assert f"error: --sample: cannot read '{empty}'" in err
    # a weight error names the file and the row as every weight check does (header not counted)
    sample = tmp_path / "weighted.csv"
    frame = pd.DataFrame({"group": ["high", "under"] * 3, "excel_engage_at_scale": [1, 0] * 3,
                          "weight": [1.0, 1.0, 1.0, -2.0, 1.0, 1.0]})
    frame.to_csv(sample, index=False)
    code, out, err = run(capsys, "bootstrap", "--sample", str(sample), "--seed", "1", "--replicates", "1000")
    assert code == 2 and err.count("\n") == 1
    assert f"error: --sample {sample} column 'weight': row 4 (header not counted) is -2.0; weights must be positive and finite\n" in err, err


def test_no_column_is_only_said_when_it_is_the_reason():
    from simsurvey import bootstrap

    with pytest.raises(ValueError, match="sample has no column for any claim"):
        bootstrap(pd.DataFrame({"group": ["high", "under"], "other": [1, 0]}), replicates=100)
    # every item is there, but nobody is an underperformer or moderate: a different reason
    only_high = pd.DataFrame({"group": ["high"] * 4, "excel_engage_at_scale": [1, 0, 1, 1]})
    with pytest.raises(ValueError, match="no claim of survey 'sos-smb-2016' can be recomputed from the sample: "
                                         ".*has no respondents") as err:
        bootstrap(only_high, replicates=100)
    assert "no column for any claim" not in str(err.value)


def test_json_is_strict(capsys):
    from simsurvey.io.tables import format_table

    text = format_table(pd.DataFrame({"low": [0.0, float("nan")], "high": [float("inf"), 2.0]}), "json")

    def refuse(constant):
        raise ValueError(f"non-standard JSON constant {constant}")

    assert json.loads(text, parse_constant=refuse) == [{"low": 0.0, "high": "Infinity"}, {"low": None, "high": 2.0}]
    code, out, _ = run(capsys, "bootstrap", "--seed", "1", "--replicates", "200", "--methods", "koopman",
                       "--format", "json")
    assert code == 0 and json.loads(out, parse_constant=refuse)


def test_ctrl_c_is_one_line_and_exit_130(capsys, monkeypatch):
    import simsurvey.cli as cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_run_catalog", interrupted)
    code, out, err = run(capsys, "catalog")
    assert (code, out, err) == (130, "", "simsurvey catalog: interrupted\n")


def test_a_run_without_seed_prints_a_seed_that_replays_it(capsys):
    argv = ["bootstrap", "--replicates", "200", "--methods", "percentile", "--format", "csv"]
    code, out, err = run(capsys, *argv)
    assert code == 0
    seed = re.search(r"seed (\d+) \(rerun with --seed \1 to replay\)", err).group(1)
    code, again, err_again = run(capsys, *argv, "--seed", seed)
    assert code == 0 and again == out and "seed" not in err_again
