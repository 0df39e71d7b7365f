"""Exact per-group counts and group sizes that reproduce every printed figure."""
from __future__ import annotations

import numpy as np
import pytest

from simsurvey.synth.calibrate import probabilities
from simsurvey.synth.exact import choose_sizes, exact_counts
from simsurvey.synth.counts import InfeasibleError, admissible
from simsurvey.synth.design import design
from simsurvey.forensics.rounding import rounds_to
from simsurvey.catalog.spec import survey_spec


@pytest.fixture(scope="module")
def sos():
    d = design(survey_spec("sos-smb-2016"))
    return d, {q.id: q for q in d.questions}


def test_sos_group_sizes_are_forced_to_90_high_performers(sos):
    d, _ = sos
    # 83-90 of 786 print as 11%, but only 90 lets every high-performer figure print as
    # published: with 86, 89% is impossible (76/86 = 88.4%, 77/86 = 89.5%)
    assert admissible(11, 786) == (83, 90)
    assert admissible(89, 86) == (1, 0) and admissible(89, 90) == (80, 80)
    sizes, problems = choose_sizes(d, [11, 53, 36], 786, printed=True)
    assert sizes.tolist() == [90, 415, 281] and problems == []
    # with high fixed at 90, 415/281 is the closest split of the other 696 (targets 416.58, 282.96)
    assert rounds_to(100 * sizes, 786, [11, 53, 36]).all()


def test_budget_question_counts_sum_to_the_group(sos):
    d, q = sos
    counts, problems = exact_counts(q["budget_past"], d.groups, [90, 415, 281])
    # high: 73/23/3% of 90 -> 66/21/3 (73.3%, 23.3%, 3.3%), summing to 90
    assert counts[0].tolist() == [66, 21, 3]
    assert counts.sum(axis=1).tolist() == [90, 415, 281] and problems == []
    assert rounds_to(100 * counts, np.array([[90], [415], [281]]), q["budget_past"].pct).all()


def test_binary_counts_also_match_the_overall_figure(sos):
    d, q = sos
    counts, _ = exact_counts(q["lead_cx_initiatives"], d.groups, [90, 415, 281])
    yes = counts[:, 0]
    # high 81/90 = 90.0%, and the total prints as the 63% printed for everyone
    assert yes[0] == 81
    assert rounds_to(100 * yes, [90, 415, 281], [90, 70, 46]).all()
    assert rounds_to(100 * yes.sum(), 786, 63)
    assert (counts.sum(axis=1) == [90, 415, 281]).all()


def test_overall_only_item_is_split_in_proportion(sos):
    d, q = sos
    counts, _ = exact_counts(q["cx_key_differentiator"], d.groups, [90, 415, 281])
    # 83% of 786: 652 (82.95%) is the admissible count closest to 652.38
    assert counts[:, 0].sum() == 652
    assert counts[:, 0].tolist() == [75, 344, 233]  # 652 * (90, 415, 281) / 786 = 74.7, 344.3, 233.1


def test_infeasible_figure_raises_with_forensics_verdict(sos):
    d, q = sos
    with pytest.raises(InfeasibleError, match=r"forensics inconsistency: item 'engage_consistently_every_channel', "
                                              r"group 'high': no whole number of the 86 respondents prints as 89%"):
        exact_counts(q["engage_consistently_every_channel"], d.groups, [86, 417, 283])
    counts, problems = exact_counts(q["engage_consistently_every_channel"], d.groups, [86, 417, 283],
                                    on_infeasible="nearest")
    assert problems[0]["item"] == "engage_consistently_every_channel" and problems[0]["group"] == "high"
    assert problems[0]["count"] == counts[0, 0] == 77  # round(0.89 * 86) = 76.54 -> 77
    with pytest.raises(ValueError, match="on_infeasible must be one of raise, nearest"):
        exact_counts(q["budget_past"], d.groups, [90, 415, 281], on_infeasible="skip")


def test_choose_sizes_reports_what_fails(sos):
    d, _ = sos
    with pytest.raises(InfeasibleError, match=r"no size of group 'high' in 105-114 .*budget_past"):
        choose_sizes(d, [11, 53, 36], 1000, printed=True)
    sizes, problems = choose_sizes(d, [11, 53, 36], 1000, printed=True, on_infeasible="nearest")
    assert sizes.sum() == 1000 and len(problems) == 1
    with pytest.raises(ValueError, match="n must be at least the number of groups"):
        choose_sizes(d, [11, 53, 36], 2, printed=True)
    with pytest.raises(InfeasibleError, match="shares: no whole number of the n=5 respondents prints as 11%"):
        choose_sizes(d, [11, 53, 36], 5, printed=True)


def test_chosen_shares_stay_within_half_a_point():
    d = design(survey_spec("smb-trends-2017"))
    sizes, _ = choose_sizes(d, [74.0, 26.0], 490, printed=False)
    assert sizes.sum() == 490 and abs(100 * sizes[0] / 490 - 74) <= 0.5


def test_probabilities(sos):
    _, q = sos
    p = probabilities(q["budget_past"], 3)
    # 73 + 23 + 3 = 99: the missing point is spread equally, every value stays in its interval
    assert p[0] == pytest.approx([0.73 + 1 / 300, 0.23 + 1 / 300, 0.03 + 1 / 300])
    assert p.sum(axis=1) == pytest.approx([1, 1, 1])
    assert probabilities(q["cx_key_differentiator"], 3)[:, 0].tolist() == [0.83] * 3
    rest = design(survey_spec("support-transformation-b2b")).questions
    next_step = next(x for x in rest if x.id == "st_q_next_step")
    assert probabilities(next_step, 1)[0] == pytest.approx([0.38, 0.35, 0.27])


def test_exact_counts_for_a_survey_without_groups():
    d = design(survey_spec("support-transformation-b2b"))
    q = {x.id: x for x in d.questions}["st_q_phone_vs_electronic"]
    counts, _ = exact_counts(q, d.groups, [215])
    # 83/2/15% of 215: targets 178.45, 4.30, 32.25; admissible 178-179, 4-5, 32-33;
    # summing to 215, 179/4/32 (83.3%, 1.9%, 14.9%) is closest (cost 0.45 against 0.75 for 178/5/32)
    assert counts.tolist() == [[179, 4, 32]]
