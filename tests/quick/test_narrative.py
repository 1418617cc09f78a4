"""Sentences in both languages, with each language's number style."""

from alignment.core.i18n import pick_language, translator
from alignment.quick.compare import compare
from alignment.quick.sentences import previous_edition, unpublished, verdict
from benchmark import figures_by_item

NBSP = "\u00a0"


def comparisons(make_submission, questionnaire, **kw):
    return {c.item.id: c for c in compare(make_submission(**kw), questionnaire, figures_by_item()).comparisons}


def test_agree_like_peers_in_both_languages(make_submission, questionnaire):
    c = comparisons(make_submission, questionnaire, side="marketing", relationship_improving=4)[
        "relationship_improving"
    ]
    assert verdict(translator("en"), c) == "You agree, like 43% of CMOs in 2014. For comparison, 50% of CIOs agreed."
    assert verdict(translator("fr"), c) == (
        f"Vous êtes d’accord, comme 43{NBSP}% des CMO en 2014. Pour comparaison, 50{NBSP}% des DSI étaient d’accord."
    )


def test_disagree_and_dont_know(make_submission, questionnaire):
    cs = comparisons(make_submission, questionnaire, side="it", alignment_needed=2, relationship_improving=0)
    en = translator("en")
    assert verdict(en, cs["alignment_needed"]).startswith("You disagree; 83% of CIOs agreed in 2014.")
    assert verdict(en, cs["relationship_improving"]).startswith("You don't know; 50% of CIOs agreed in 2014.")


def test_missing_peer_figure_is_said(make_submission, questionnaire):
    c = comparisons(make_submission, questionnaire, side="it", it_development_too_slow=5)["it_development_too_slow"]
    text = verdict(translator("en"), c)
    assert text == "You agree. The survey published no figure for CIOs on this statement. In 2014, 43% of CMOs agreed."
    assert unpublished(translator("fr"), c) == ""  # already said in the verdict
    c = comparisons(make_submission, questionnaire, side="marketing")["it_development_too_slow"]
    assert unpublished(translator("fr"), c) == "Aucun chiffre publié pour les DSI sur cette affirmation."


def test_neutral_side_sees_both_figures(make_submission, questionnaire):
    c = comparisons(make_submission, questionnaire, side="digital", alignment_needed=3)["alignment_needed"]
    assert verdict(translator("en"), c) == (
        "You neither agree nor disagree. In 2014, 83% of CIOs and 69% of CMOs agreed."
    )
    assert previous_edition(translator("en"), c) == "Previous edition (2012): 77% of CIOs and 56% of CMOs agreed."


def test_no_previous_edition_gives_no_line(make_submission, questionnaire):
    c = comparisons(make_submission, questionnaire)["relationship_improving"]
    assert previous_edition(translator("fr"), c) == ""


def test_numbers_and_dates_per_language():
    from datetime import date

    assert translator("fr").percent(43) == f"43{NBSP}%"
    assert translator("en").percent(43) == "43%"
    assert translator("fr").number(1100) == "1\u202f100"
    assert translator("en").number(1100) == "1,100"
    assert translator("fr").date(date(2026, 11, 23)) == "23 novembre 2026"


def test_language_follows_the_browser_only_for_french():
    assert pick_language("fr-FR") == "fr"
    assert pick_language("fr_CA") == "fr"
    assert pick_language("en-GB") == "en"
    assert pick_language("de-DE") == "en"
    assert pick_language(None) == "en"
    assert translator("xx").lang == "en"


def test_a_placeholder_may_be_called_key():
    assert translator("en")("share.quoted", key="zz") == "“zz”"


def test_plurals_follow_each_language_rules():
    en, fr = translator("en"), translator("fr")
    assert en.plural("summary.dont_know", 1).startswith("You answered “don't know” to 1 statement:")
    assert "2 statements" in en.plural("summary.dont_know", 2)
    assert "0\u00a0affirmation\u00a0:" in fr.plural("summary.dont_know", 0)  # French: 0 is singular
    assert "(s)" not in en.plural("summary.dont_know", 3) + fr.plural("summary.dont_know", 3)


def test_signed_numbers_use_a_true_minus_sign():
    from alignment.org.gap_table import points

    en, fr = translator("en"), translator("fr")
    assert points(en, -5.2) == "\u22125 pts"
    assert points(en, 1) == "+1 pt"
    assert points(en, 0.2) == "0 pts"
    assert points(fr, 0) == "0\u00a0pt"
    assert points(fr, 12) == "+12\u00a0pts"
    assert "-" not in points(fr, -40)
