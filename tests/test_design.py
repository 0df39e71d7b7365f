"""From a survey spec to the questions the generator draws: scope, single-choice, skipped items."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from simsurvey.synth.design import design, validate_spec
from simsurvey.catalog.spec import SurveySpec, survey_spec


def toy_spec(figures, groups=("a", "b"), shares=(60.0, 40.0), n=100):
    f = pd.DataFrame(figures, columns=["item", "group", "pct", "question"])
    f["pct_decimals"] = 0
    f["base"] = ""
    return SurveySpec(survey="toy", n=n, groups=tuple(groups), shares=tuple(shares), figures=f,
                      claims=pd.DataFrame())


def test_sos_questions_scope_and_skips():
    d = design(survey_spec("sos-smb-2016"))
    q = {q.id: q for q in d.questions}
    assert d.groups == ("high", "moderate", "under")
    assert q["excel_engage_at_scale"].scope == "group"
    assert q["excel_engage_at_scale"].pct[:, 0].tolist() == [91, 56, 16]
    assert not q["excel_engage_at_scale"].single_choice and q["excel_engage_at_scale"].n_categories == 2
    assert q["cx_key_differentiator"].scope == "overall"
    assert q["lead_cx_initiatives"].all_pct.tolist() == [63]
    assert q["budget_next"].items == ("budget_next_increased", "budget_next_maintained", "budget_next_decreased")
    assert q["budget_next"].complete and q["budget_next"].n_categories == 3
    assert list(d.skipped) == ["right_amount_training"]
    assert "right_amount_training" not in d.item_ids and len(d.latent_ids) == len(d.questions)


def test_incomplete_question_gets_a_rest():
    # 38% + 35% leave 27% unpublished: an 'other' rest, not a complete question
    d = design(survey_spec("support-transformation-b2b"))
    q = {q.id: q for q in d.questions}["st_q_next_step"]
    assert d.groups == ("all",) and q.scope == "group"
    assert not q.complete and q.n_categories == 3


def test_question_over_100_is_an_error():
    spec = toy_spec([("x", "a", 70, "q"), ("y", "a", 40, "q"), ("x", "b", 50, "q"), ("y", "b", 50, "q")])
    with pytest.raises(ValueError, match="question 'q' add up to 110%"):
        design(spec)


def test_partially_published_items_are_skipped_with_reason():
    spec = toy_spec([("x", "a", 50, ""), ("x", "b", 40, ""), ("y", "a", 30, "")])
    d = design(spec)
    assert [q.id for q in d.questions] == ["x"]
    assert d.skipped == {"y": "published for a only (not for every group): cannot be calibrated"}


@pytest.mark.parametrize("change, message", [
    (dict(shares=(50.0, 30.0)), r"shares: the group shares sum to 80, not 100 within rounding \(±1\)"),
    (dict(shares=(120.0, -20.0)), "shares: every share must be a percentage within 0-100"),
    (dict(groups=("a", "a")), "group ids must be unique"),
    (dict(groups=("a", "b", "c")), "3 groups"),
])
def test_validate_spec_names_the_problem(change, message):
    spec = replace(toy_spec([("x", "a", 50, ""), ("x", "b", 40, "")]), **change)
    with pytest.raises(ValueError, match=message):
        validate_spec(spec)


def test_validate_spec_percentages():
    with pytest.raises(ValueError, match=r"survey: percentage 140 of item 'x', group 'a' is not a number within 0-100"):
        validate_spec(toy_spec([("x", "a", 140, ""), ("x", "b", 40, "")]))
    with pytest.raises(ValueError, match="unknown group"):
        validate_spec(toy_spec([("x", "z", 40, "")]))
    with pytest.raises(ValueError, match="survey must be a survey id or a SurveySpec"):
        validate_spec("sos-smb-2016")
