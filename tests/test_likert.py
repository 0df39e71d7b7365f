"""Five-point answers whose top boxes are exactly the yes/no items."""
from __future__ import annotations

import numpy as np
import pytest

from simsurvey import generate, margin_check
from simsurvey.synth.likert import likert_codes_exact, likert_codes_sampled, likert_scale


@pytest.mark.parametrize("survey, mode", [("sos-smb-2016", "exact"), ("sos-smb-2016", "sampled"),
                                          ("connected-customer-2018", "exact")])
def test_top_boxes_equal_the_item(survey, mode):
    df = generate(survey, seed=8, likert=True, mode=mode)
    scales = df.attrs["assumptions"]["likert"]["scales"]
    if survey == "connected-customer-2018":  # base "very important": the top box alone
        assert scales["connected_processes_very_important"]["top_boxes"] == 1
    for item, scale in scales.items():
        labels, n_top = scale["labels"], scale["top_boxes"]
        answers = df[f"{item}_likert"]
        assert answers.cat.ordered and list(answers.cat.categories) == labels[::-1]
        top = answers.isin(labels[:n_top]).astype("int8").to_numpy()
        assert np.array_equal(top, df[item].to_numpy()), item


def test_scales_from_the_base():
    df = generate("sos-smb-2016", seed=8, likert=True)
    assert list(df["focus_deeper_relationships_likert"].cat.categories) == [
        "much less focused on", "less focused on", "about the same", "more focused on", "much more focused on"]
    assert list(df["lead_cx_initiatives_likert"].cat.categories) == ["1", "2", "3", "4", "5"]  # no base printed
    assert likert_scale("Strongly agree/Agree")[0][0] == "strongly agree"
    assert likert_scale("critical, major, or moderate challenge")[1] == 3
    # the exact sample still reproduces every printed figure
    assert margin_check(df, "sos-smb-2016")["rounds_to_published"].dropna().all()


def test_exact_split_within_boxes_is_equal_and_monotone():
    z = np.linspace(3, -3, 20)
    top = z > 1.0  # 7 of 20 in the top boxes
    codes = likert_codes_exact(z, top, 2)
    # 7 -> 3.5 each (both round up, the unit too many comes off the first); 13 -> 4.33 each
    assert np.bincount(codes).tolist() == [3, 4, 5, 4, 4]
    assert np.all(np.diff(codes) >= 0)  # a lower latent value never gives a higher answer


def test_sampled_codes_follow_the_item():
    z = np.random.default_rng(1).standard_normal(100_000)
    top = z > 0.3
    p = float((z > 0.3).mean())
    codes = likert_codes_sampled(z, top, p, 2)
    assert np.array_equal(codes < 2, top)
    shares = np.bincount(codes) / z.size
    # the top boxes split p equally; binomial sd at n=100k is < 0.0016; 0.008 is 5 sd
    assert shares[:2] == pytest.approx([p / 2, p / 2], abs=0.008)
