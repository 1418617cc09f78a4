"""Every refusal is said, in the page's language, and nothing typed is lost: the results link accepted where
the code is asked, a long paste kept in its box, a malformed resume link named instead of an empty form."""

from __future__ import annotations

import pytest

from alignment.core.i18n import translator
from alignment.org.rounds import NewAssessment
from tests.apptest_helpers import start


def open_with(at, typed):
    at.text_input[0].input(typed)
    return next(b for b in at.button if b.key and "organisation:code" in b.key).click().run()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_full_results_link_opens_the_results(db, lang):
    created = db.create_assessment(NewAssessment("Links SA", "Q1", lang, 3))
    at = start(lang, page="pages/organisation.py")
    at = open_with(at, f"  https://alignment.example.org/organisation?k={created.results_code}#top ")
    assert not at.error
    assert at.query_params["k"] == created.results_code
    assert "Links SA" in at.title[0].value


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_long_paste_stays_in_the_box_and_is_refused_in_words(db, lang):
    at = start(lang, page="pages/organisation.py")
    pasted = "not a code " * 30  # 330 characters: past the old 100-character limit that emptied the box
    at = open_with(at, pasted)
    assert at.text_input[0].value == pasted
    assert [e.value for e in at.error] == [translator(lang)("org.bad_code")]
    assert "k" not in at.query_params


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_malformed_resume_link_is_said(db, lang):
    created = db.create_assessment(NewAssessment("Resume SA", "Q1", lang, 3))
    message = translator(lang)("org.respond.bad_resume")
    at = start(lang, query={"a": created.respondent_code, "r": "cut-off"}, page="pages/respond.py")
    assert [w.value for w in at.warning] == [message]
    # A well-formed key (a fresh start on another device, say) is not a malformed link.
    at = start(lang, query={"a": created.respondent_code, "r": "A" * 32}, page="pages/respond.py")
    assert message not in [w.value for w in at.warning]
