"""One check per concept: every entry point that takes weights judges them the same way."""
import numpy as np
import pandas as pd
import pytest

import simsurvey as ss
from simsurvey._validation import check_weights
from simsurvey.inference.replicates import replicate_weights


@pytest.fixture(scope="module")
def sample():
    return ss.generate("sos-smb-2016", seed=1, ratings=False, employees=False, country=False)


def _with_weight(sample, row, value):
    w = np.ones(len(sample))
    w[row] = value
    return sample.assign(weight=w)


# Each entry point gets the same bad weight at row position 6 (row 7 counted from 1).
ENTRY_POINTS = {
    "bootstrap": lambda s: ss.bootstrap(s, "sos-smb-2016", replicates=1000, seed=1, methods=["percentile"]),
    "margin_check": lambda s: ss.margin_check(s, "sos-smb-2016"),
    "rake": lambda s: ss.rake(s, {"group": {"high": 0.11, "moderate": 0.53, "under": 0.36}},
                              base_weights="weight"),
    "weight_summary": lambda s: ss.weight_summary(s["weight"].to_numpy()),
    "replicate_weights": lambda s: replicate_weights(len(s), 10, seed=1, base=s["weight"].to_numpy()),
}


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, np.inf])
@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_every_entry_point_refuses_the_same_weights_naming_the_same_row(sample, entry, bad):
    with pytest.raises(ValueError, match=r"row 7 \(header not counted\) is .*weights must be positive and finite"):
        ENTRY_POINTS[entry](_with_weight(sample, 6, bad))


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_every_entry_point_accepts_positive_weights(sample, entry):
    ENTRY_POINTS[entry](_with_weight(sample, 6, 2.5))  # no error


def test_check_weights_counts_and_shape():
    assert check_weights(pd.Series([1, 2])).tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match="w: 2 weights for 3 respondents"):
        check_weights([1.0, 2.0], n=3, argument="w")
    with pytest.raises(ValueError, match="w: must be a non-empty one-dimensional array"):
        check_weights([[1.0, 2.0]], argument="w")
    with pytest.raises(ValueError, match=r"w: row 2 \(header not counted\) is 'heavy'"):
        check_weights([1.0, "heavy"], argument="w")
