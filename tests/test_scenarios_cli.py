"""`simsurvey experiment ...`: every mechanism from the command line, tidy output, errors naming the flag."""
import io
import json

import pandas as pd
import pytest

from simsurvey.cli import main
from simsurvey.scenarios.experiments import run_experiment


def _run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("name, knob", [("selection", "strength"), ("halo", "mix"), ("misclassification", "noise"),
                                        ("nonresponse", "strength"), ("winners-curse", "spread")])
def test_each_experiment_prints_a_tidy_csv(name, knob, capsys):
    code, out, _ = _run(["experiment", name, "--replications", "2", "--seed", "3", "--workers", "1",
                         "--format", "csv"] + ([] if name == "winners-curse" else ["--replicates", "50"]), capsys)
    assert code == 0
    table = pd.read_csv(io.StringIO(out))
    assert knob in table.columns and (table["samples"] == 2).all()


def test_same_seed_same_output_whatever_the_workers(capsys):
    args = ["experiment", "halo", "--replications", "2", "--seed", "4", "--replicates", "50", "--format", "json"]
    _, one, _ = _run(args + ["--workers", "1"], capsys)
    _, two, _ = _run(args + ["--workers", "2"], capsys)
    assert one == two and json.loads(one)


def test_fresh_seed_is_printed(capsys):
    code, _, err = _run(["experiment", "misclassification", "--replications", "1", "--workers", "1",
                         "--replicates", "0"], capsys)
    assert code == 0 and "rerun with --seed" in err


def test_evalue_and_tests_tables(capsys):
    code, out, _ = _run(["experiment", "evalue", "--format", "csv"], capsys)
    table = pd.read_csv(io.StringIO(out))
    assert code == 0 and table.set_index("claim_id").loc["sos-smb-2016#8", "evalue"] == pytest.approx(10.876, abs=1e-3)
    code, out, _ = _run(["experiment", "winners-curse", "--table", "tests", "--format", "csv"], capsys)
    assert code == 0 and {"p_holm", "p_bh"} <= set(pd.read_csv(io.StringIO(out)).columns)


@pytest.mark.parametrize("flag, value", [("--replications", "0"), ("--workers", "0"), ("--replicates", "-1")])
def test_bad_flags_are_named(flag, value, capsys):
    code, _, err = _run(["experiment", "halo", flag, value], capsys)
    assert code == 2 and flag in err and err.count("\n") == 1


def test_unknown_survey_is_one_line(capsys):
    code, _, err = _run(["experiment", "evalue", "--survey", "nope"], capsys)
    assert code == 2 and "nope" in err


def test_api_summary_has_bias_and_coverage():
    res = run_experiment("selection", replications=3, seed=1, workers=1, replicates=100,
                         grid={"strength": [0.0, 2.0], "on": ["performance"], "weighting": ["none"]})
    assert {"truth", "mean_estimate", "bias", "relative_bias", "mc_se", "coverage"} <= set(res.summary.columns)
    assert res.summary["coverage"].between(0, 1).all()
    assert len(res.summary) == 2 * 24 and len(res.runs) == 2 * 3 * 24
    assert res.assumptions["bootstrap_replicates"] == 100 and res.assumptions["seed"] == 1
