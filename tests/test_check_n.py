"""Every entry point that takes a count of respondents (or surveys) checks it with one function.

``simsurvey._validation.check_n``: ``2.0`` is accepted as 2, ``True`` and ``2.5`` are refused with a
message naming the argument, the same way everywhere (issue 8: the copies disagreed on ``n=2.0``).
"""
import numpy as np
import pandas as pd
import pytest

from simsurvey import coverage_study, fit_latent, generate, resolve
from simsurvey.catalog.spec import SurveySpec
from simsurvey.cli import main
from simsurvey.forensics.groupsizes import group_sizes
from simsurvey.forensics.rounding import counts_for_pct
from simsurvey.inference.replicates import replicate_weights
from simsurvey.report.one_claim import check_ratio
from simsurvey.synth.counts import admissible
from simsurvey.weighting.experiments import relevance_experiment


def _two_groups():
    rows = [("x", "a", 61.0, ""), ("x", "b", 38.0, ""), ("x", "all", 52.0, "")]
    figures = pd.DataFrame(rows, columns=["item", "group", "pct", "question"]).assign(pct_decimals=0, base="")
    return SurveySpec(survey="hypothetical", n=120, groups=("a", "b"), shares=(60.0, 40.0), figures=figures,
                      claims=pd.DataFrame())


SOS = resolve("sos-smb-2016")
POPULATION = generate(SOS, n=4000, mode="sampled", seed=1, employees=False, country=False, ratings=False)


def _frame(df):
    return df.to_csv(), df.attrs


def _coverage(**kw):
    args = dict(surveys=2, n=300, replicates=40, seed=1, methods=["katz"], progress=False, workers=1)
    return coverage_study(POPULATION, SOS, **{**args, **kw}).overall.to_csv()


# entry point, argument name, a good whole value, a call with that argument set
ENTRY_POINTS = [
    ("generate", "n", 50, lambda v: _frame(generate(SOS, n=v, mode="sampled", seed=1, employees=False,
                                                    country=False))),
    ("fit_latent", "n", 120, lambda v: fit_latent(_two_groups(), n=v).table.to_csv()),
    ("coverage_study", "n", 300, lambda v: _coverage(n=v)),
    ("coverage_study", "surveys", 2, lambda v: _coverage(surveys=v)),
    ("relevance_experiment", "n", 60, lambda v: relevance_experiment(n=v, surveys=2, replicates=20, seed=1).to_csv()),
    ("relevance_experiment", "surveys", 2,
     lambda v: relevance_experiment(n=60, surveys=v, replicates=20, seed=1).to_csv()),
    ("replicate_weights", "n", 5, lambda v: replicate_weights(v, 3, seed=1).counts.tolist()),
    ("check_ratio", "n", 786, lambda v: check_ratio("91", "16", "5.7", n=v, shares=[11, 53, 36])),
    ("group_sizes", "n", 10, lambda v: group_sizes(v, [None, None]).tolist()),
    ("counts_for_pct", "n", 86, lambda v: counts_for_pct(91, v).tolist()),
    ("admissible", "n", 283, lambda v: admissible(16, v)),
]
IDS = [f"{f}-{arg}" for f, arg, _, _ in ENTRY_POINTS]


@pytest.mark.parametrize("name, arg, good, call", ENTRY_POINTS, ids=IDS)
def test_a_whole_float_is_the_whole_number(name, arg, good, call):
    assert call(float(good)) == call(good)


@pytest.mark.parametrize("bad", [True, 2.5, "3", None])
@pytest.mark.parametrize("name, arg, good, call", ENTRY_POINTS, ids=IDS)
def test_true_and_fractions_are_refused_naming_the_argument(name, arg, good, call, bad):
    if bad is None and arg == "n" and name in ("generate", "fit_latent", "coverage_study", "check_ratio"):
        pytest.skip("n=None means the published n here")
    with pytest.raises(ValueError, match=rf"^{arg} must be a (positive )?whole number"):
        call(bad)


def test_the_command_line_agrees(capsys):
    args = ["check-ratio", "91", "16", "5.7", "--shares", "11,53,36", "--n"]
    assert main(args + ["786"]) == main(args + ["786.0"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == out[1]
    assert main(args + ["786.5"]) != 0
    assert "--n must be a positive whole number, got 786.5" in capsys.readouterr().err
