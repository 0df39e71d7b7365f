"""Group shares: published, chosen, or implied by the figures printed for everyone."""
from __future__ import annotations

import pandas as pd
import pytest

from simsurvey.synth.shares import implied_share, resolve_shares
from simsurvey.catalog.spec import SurveySpec, survey_spec


def test_implied_share_hand_worked():
    res = implied_share(survey_spec("smb-trends-2017"))
    # uses_crm: 35 = s*41 + (1-s)*20 with each number off by up to 0.5:
    #   s ranges from (34.5-20.5)/(41.5-20.5) = 14/21 to (35.5-19.5)/(40.5-19.5) = 16/21
    assert res.per_item["uses_crm"] == pytest.approx((14 / 21, 16 / 21))
    # uses_social_monitoring: 44 = s*49 + (1-s)*28 -> from 15/21 to 17/21
    assert res.per_item["uses_social_monitoring"] == pytest.approx((15 / 21, 17 / 21))
    # has_service_department: 47 = s*52 + (1-s)*33 -> from 13/19 to 15/19
    assert res.per_item["has_service_department"] == pytest.approx((13 / 19, 15 / 19))
    assert res.consistent
    assert (res.low, res.high) == pytest.approx((15 / 21, 16 / 21))
    assert res.share == pytest.approx(31 / 42)


def test_implied_share_needs_two_groups_and_overall_figures():
    with pytest.raises(ValueError, match="needs exactly two groups"):
        implied_share(survey_spec("sos-smb-2016"))
    f = pd.DataFrame({"item": ["x", "x"], "group": ["a", "b"], "pct": [50.0, 40.0], "pct_decimals": [0, 0]})
    spec = SurveySpec("toy", 100, ("a", "b"), (None, None), f, pd.DataFrame())
    with pytest.raises(ValueError, match="pass shares= explicitly"):
        implied_share(spec)


def test_resolve_shares_sources():
    pct, printed, source = resolve_shares(survey_spec("sos-smb-2016"))
    assert pct.tolist() == [11, 53, 36] and printed and source == "published"
    pct, printed, source = resolve_shares(survey_spec("smb-trends-2017"))
    assert pct[0] == pytest.approx(100 * 31 / 42) and not printed
    assert "midpoint" in source and "uses_crm" in source
    pct, printed, source = resolve_shares(survey_spec("smb-trends-2017"), {"growing": 0.74, "stagnant": 0.26})
    assert pct.tolist() == pytest.approx([74, 26]) and source == "given by the caller"


@pytest.mark.parametrize("shares, message", [
    ({"growing": 0.7}, "shares must give a proportion for each group"),
    ({"growing": 0.7, "stagnant": 0.4}, "shares must be proportions .* summing to 1"),
    ({"growing": -0.1, "stagnant": 1.1}, "shares must be proportions"),
    ([0.7, 0.3], "shares must be a mapping"),
])
def test_bad_shares_name_the_argument(shares, message):
    with pytest.raises(ValueError, match=message):
        resolve_shares(survey_spec("smb-trends-2017"), shares)
