"""The report's tiering rule: ratings drawn per tier give back the tier."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from simsurvey import generate
from simsurvey.synth.tiering import OVERALL_SERVICE, VS_COMPETITION, RatingAssumptions, draw_ratings, tier_from_ratings


def test_rule_on_every_combination():
    pairs = list(itertools.product(VS_COMPETITION, OVERALL_SERVICE))
    tiers = tier_from_ratings([c for c, _ in pairs], [o for _, o in pairs])
    expected = {}
    for comp, overall in pairs:
        if comp == "excellent":
            expected[comp, overall] = "high" if overall == "excellent" else "moderate"
        elif comp == "above average":
            expected[comp, overall] = "moderate"  # whatever the overall rating
        else:
            expected[comp, overall] = "under"
    assert list(tiers) == [expected[p] for p in pairs]
    assert list(tiers.categories) == ["high", "moderate", "under"]


def test_rule_rejects_unknown_labels():
    with pytest.raises(ValueError, match="vs_competition must be one of .*got 'great'"):
        tier_from_ratings(["great"], ["excellent"])
    with pytest.raises(ValueError, match="overall_service must be one of"):
        tier_from_ratings(["average"], ["superb"])
    with pytest.raises(ValueError, match="same length"):
        tier_from_ratings(["average"], ["good", "good"])


@pytest.mark.parametrize("mode", ["exact", "sampled"])
def test_generated_ratings_give_back_the_group(mode):
    df = generate("sos-smb-2016", seed=4, mode=mode)
    derived = tier_from_ratings(df["vs_competition"], df["overall_service"])
    assert (np.asarray(derived) == df["group"].astype(str).to_numpy()).all()


def test_exact_route_split_of_the_moderate_tier():
    # 415 moderate performers, 75% by "above average": 311.25 -> 311
    df = generate("sos-smb-2016", seed=4)
    moderate = df[df["group"] == "moderate"]
    assert (moderate["vs_competition"] == "above average").sum() == 311
    assert (moderate["vs_competition"] == "excellent").sum() == 415 - 311
    assert not ((moderate["vs_competition"] == "excellent") & (moderate["overall_service"] == "excellent")).any()
    other = generate("sos-smb-2016", seed=4, ratings=RatingAssumptions(moderate_above_average=0.5))
    # 207.5 each way: both round up to 208, one unit too many, taken from the first route
    assert (other.query("group == 'moderate'")["vs_competition"] == "above average").sum() == 207
    under = df[df["group"] == "under"]["vs_competition"].value_counts()
    # 281 under: 70/22/8% -> 196.7, 61.8, 22.5 -> 197/62/22
    assert (under["average"], under["below average"], under["poor"]) == (197, 62, 22)


def test_draw_ratings_counts():
    comp, overall = draw_ratings("high", 10, np.random.default_rng(0), RatingAssumptions(), exact=True)
    assert comp.tolist() == [0] * 10 and overall.tolist() == [0] * 10
    with pytest.raises(ValueError, match="tier must be one of"):
        draw_ratings("top", 10, np.random.default_rng(0), RatingAssumptions(), exact=True)


@pytest.mark.parametrize("kwargs, message", [
    (dict(moderate_above_average=1.5), "moderate_above_average must be within"),
    (dict(under=(0.5, 0.5)), "under must be 3 probabilities summing to 1"),
    (dict(overall_not_excellent=(0.5, 0.5, 0.5, 0.5)), "overall_not_excellent must be 4 probabilities"),
    (dict(overall_excellent={"average": 0.1}), "overall_excellent must give a probability"),
])
def test_rating_assumptions_validate(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RatingAssumptions(**kwargs)


def test_ratings_only_for_tiered_surveys():
    assert "vs_competition" not in generate("smb-trends-2017", seed=1)
    with pytest.raises(ValueError, match="ratings: the tier self-ratings exist only"):
        generate("smb-trends-2017", seed=1, ratings=True)
    assert "vs_competition" not in generate("sos-smb-2016", seed=1, ratings=False)
