"""Figures speak the report's words: every item and group has a label that is not its id."""
import simsurvey as ss
from simsurvey.plots.labels import UNCERTAIN_MARK, group_labels, item_labels


def test_every_item_of_every_survey_has_the_reports_words():
    cat = ss.load_catalog()
    for survey in cat.survey_ids:
        labels = item_labels(survey, catalog=cat, width=None)
        items = set(cat.figures.loc[(cat.figures["survey"] == survey) & cat.figures["item"].ne(""), "item"])
        assert set(labels) == items
        assert all(label and label != item for item, label in labels.items())


def test_uncertain_labels_are_marked_and_width_is_kept():
    cat = ss.load_catalog()
    uncertain = set(cat.figures.query("survey == 'sos-smb-2016' and certainty == 'uncertain'")["item"])
    labels = item_labels("sos-smb-2016", catalog=cat, width=30)
    assert uncertain and all(labels[i].endswith(UNCERTAIN_MARK) for i in uncertain)
    assert not any(labels[i].endswith(UNCERTAIN_MARK) for i in set(labels) - uncertain)
    assert max(map(len, labels.values())) <= 30


def test_group_labels_follow_the_catalogue():
    assert group_labels("smb-trends-2017") == dict(
        ss.load_catalog().groups.query("survey == 'smb-trends-2017'")[["group", "label"]].itertuples(index=False))


def test_every_claim_is_named_in_words_never_by_id():
    from simsurvey.plots.labels import claim_labels
    cat = ss.load_catalog()
    for survey in ("sos-smb-2016", "smb-trends-2017", "connected-customer-2018"):
        words = claim_labels(survey, catalog=cat, width=40)
        assert set(words) == set(cat.claims.loc[cat.claims["survey"] == survey, "claim_id"])
        assert all(w and "#" not in w and "_" not in w and len(w) <= 40 for w in words.values())
