"""margin_check: every printed figure next to the sample's, exact and weighted."""
from __future__ import annotations

import numpy as np
import pytest

from simsurvey import generate, margin_check

SOS = "sos-smb-2016"


@pytest.fixture(scope="module")
def frame():
    return generate(SOS, seed=2)


def test_columns_and_share_rows(frame):
    check = margin_check(frame, SOS)
    assert list(check.columns) == ["kind", "item", "group", "published_pct", "synthetic_pct", "difference", "n",
                                   "rounds_to_published", "p_value", "weighted", "note", "claim_id",
                                   "published_ratio", "synthetic_ratio"]
    shares = check[check["kind"] == "share"].set_index("group")
    # 90/786 = 11.45%, 415/786 = 52.80%, 281/786 = 35.75%
    assert shares["synthetic_pct"].round(2).tolist() == [11.45, 52.8, 35.75]
    assert shares["n"].tolist() == [90, 415, 281]
    assert shares["rounds_to_published"].all() and not check["weighted"].any()
    # inside the rounding interval: the conservative test cannot reject
    assert (check["p_value"].dropna() == 1).all()


def test_claims_are_checked_too(frame):
    claims = margin_check(frame, SOS).query("kind == 'claim'").set_index("claim_id")
    # 32 claims with percentages for both sides (the text's repeats of chart claims counted once)
    assert len(claims) == 33 and claims["rounds_to_published"].dropna().all()
    assert claims["rounds_to_published"].isna().sum() == 1  # right_amount_training: not generated
    views = claims.loc["sos-smb-2016#31"]  # re-paired: 96%/23% carries the chart's 4.2x
    assert views["published_ratio"] == 4.2 and views["note"] == "re-paired by the chart solver"
    assert views["group"] == "high/under" and views["n"] == 90
    growth = claims[claims["item"].str.startswith("tech_plan")]
    assert len(growth) == 8 and growth["rounds_to_published"].all() and (growth["group"] == "all").all()


def test_a_claim_off_by_one_count_is_caught(frame):
    # 86 of 786 prints as 11% (the percentage passes) but 86/362 = 0.2376 prints as 0.24, not 0.23
    broken = frame.copy()
    plan = broken["tech_plan_iot_tracking"].to_numpy().copy()
    plan[np.flatnonzero(plan == 0)[:86 - int(plan.sum())]] = 1
    broken["tech_plan_iot_tracking"] = plan
    check = margin_check(broken, SOS)
    figure = check.query("kind == 'item' and item == 'tech_plan_iot_tracking'").iloc[0]
    claim = check.query("claim_id == 'sos-smb-2016#12'").iloc[0]
    assert figure["rounds_to_published"] and not claim["rounds_to_published"]
    assert claim["synthetic_ratio"] == pytest.approx(86 / 362)


def test_a_wrong_sample_is_caught(frame):
    broken = frame.copy()
    broken.loc[broken["group"] == "high", "excel_engage_at_scale"] = 0
    check = margin_check(broken, SOS).set_index(["item", "group"])
    row = check.loc[("excel_engage_at_scale", "high")]
    assert row["synthetic_pct"] == 0 and row["difference"] == -91 and not row["rounds_to_published"]
    assert row["p_value"] < 1e-50


def test_weights_are_used_and_said(frame):
    weighted = frame.assign(weight=1.0)
    a, b = margin_check(frame, SOS), margin_check(weighted, SOS)
    assert b["weighted"].all()
    assert np.allclose(a["synthetic_pct"].dropna(), b["synthetic_pct"].dropna())
    # doubling the weight of high performers moves their share from 11.45% to 2*90/(2*90+696) = 20.5%
    heavy = frame.assign(weight=np.where(frame["group"] == "high", 2.0, 1.0))
    share = margin_check(heavy, SOS).query("kind == 'share' and group == 'high'").iloc[0]
    assert share["synthetic_pct"] == pytest.approx(100 * 180 / 876) and not share["rounds_to_published"]


def test_bad_samples(frame):
    with pytest.raises(ValueError, match="sample has no 'group' column"):
        margin_check(frame.drop(columns="group"), SOS)
    with pytest.raises(ValueError, match="sample must be a pandas DataFrame"):
        margin_check(frame.to_numpy(), SOS)
    wrong = frame.assign(group=frame["group"].astype(str).replace("high", "top"))
    with pytest.raises(ValueError, match="column 'group' has values \\['top'\\]"):
        margin_check(wrong, SOS)
    with pytest.raises(ValueError, match=r"column 'weight': row 1 \(header not counted\) is -1.0; weights must be positive"):
        margin_check(frame.assign(weight=-1.0), SOS)
    with pytest.raises(ValueError, match="unknown survey"):
        margin_check(frame, "nope")
