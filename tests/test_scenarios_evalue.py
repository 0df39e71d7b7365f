"""E-values against hand-worked values of VanderWeele & Ding's (2017) formula RR + sqrt(RR (RR - 1))."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from simsurvey.scenarios.evalues import evalue, evalue_limit, evalue_table


@pytest.mark.parametrize("rr, expected", [
    (1.0, 1.0),                                   # no association: nothing to explain away
    (2.0, 2 + math.sqrt(2)),                      # 2 + sqrt(2 * 1) = 3.41421
    (5.7, 5.7 + math.sqrt(5.7 * 4.7)),            # 5.7 + sqrt(26.79) = 10.87591
    (3.9, 7.2631),                                # the paper's example, 3.9 + sqrt(11.31)
    (1.8, 3.0),                                   # its lower limit: 1.8 + sqrt(1.44) = 3.0 exactly
    (0.5, 2 + math.sqrt(2)),                      # RR < 1 is inverted: 1/0.5 = 2
    (1 / 5.7, 5.7 + math.sqrt(5.7 * 4.7)),
])
def test_evalue_hand_worked(rr, expected):
    assert float(evalue(rr)) == pytest.approx(expected, abs=1e-4)


@given(st.floats(1.0, 1e6))
def test_evalue_is_at_least_rr_and_symmetric_in_inversion(rr):
    e = float(evalue(rr))
    assert e >= rr
    assert float(evalue(1 / rr)) == pytest.approx(e, rel=1e-9)


def test_evalue_rejects_non_positive():
    with pytest.raises(ValueError, match="rr must be positive"):
        evalue([2.0, 0.0])


def test_limit_is_one_when_interval_contains_one():
    assert evalue_limit([0.8, 1.8, 0.2], [1.3, 8.7, 0.5]).tolist() == pytest.approx([1.0, 3.0, 2 + math.sqrt(2)])


def test_table_covers_every_smb_ratio_claim():
    t = evalue_table("sos-smb-2016")
    catalog_ratios = {"sos-smb-2016#%d" % k for k in (18, 24, 29, 37)}  # claims without both percentages
    assert catalog_ratios <= set(t["claim_id"])
    no_pct = t[t["claim_id"].isin(catalog_ratios)]
    assert no_pct["evalue"].notna().all() and no_pct["evalue_low"].isna().all()
    row = t.set_index("claim_id").loc["sos-smb-2016#8"]
    # 5.7x from 82/90 against 45/281 (91% and 16% at the resolved sizes): Katz low = 4.32
    assert row["low"] == pytest.approx(4.32, abs=0.01)
    assert row["evalue_low"] == pytest.approx(4.32 + math.sqrt(4.32 * 3.32), abs=0.02)
    assert "10.9-fold" in row["sentence"] and "4.32x" in row["sentence"]


def test_table_from_a_sample_uses_its_counts():
    sample = pd.DataFrame({"group": ["high"] * 40 + ["under"] * 80,
                           "excel_engage_at_scale": [1] * 36 + [0] * 4 + [1] * 16 + [0] * 64})
    t = evalue_table(sample)
    assert t["ratio"].tolist() == pytest.approx([4.5])
    assert t["evalue"].tolist() == pytest.approx([4.5 + math.sqrt(4.5 * 3.5)])


def test_caveat_quotes_are_verbatim(seeds):
    from simsurvey.scenarios.caveats import caveat_table

    for row in caveat_table().itertuples():
        text = " ".join((seeds / row.source_file).read_text(encoding="utf-8").split())
        assert " ".join(row.quote.split()) in text, row.quote


def test_weighted_survey_gets_evalues_and_halo_shares_without_intervals():
    from simsurvey.scenarios.halo import halo_share_table

    t = evalue_table("smb-trends-2017")
    assert len(t) == 4 and t["evalue"].notna().all() and t["evalue_low"].isna().all()
    assert t["note"].str.contains("no whole-number group sizes").all()
    h = halo_share_table("smb-trends-2017")
    assert h["halo_share"].between(0, 1).all() and h["fitted_loading"].isna().all()
