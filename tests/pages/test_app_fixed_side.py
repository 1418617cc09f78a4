"""questionnaire_form(fixed_side=...): an invitation given for one side does not ask for the side."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import assert_no_error


def _page(side, lang):
    """A bare page around the form, as pages/respond.py would call it for an invitation of one side."""
    import streamlit as st

    from ui.questionnaire_form import questionnaire_form
    from ui.session import DraftState, current_translator, questionnaire

    st.session_state.setdefault("lang", lang)
    submission = questionnaire_form(
        current_translator(),
        questionnaire(),
        DraftState("org:test"),
        with_profile=False,
        fixed_side=side,
    )
    if submission:
        st.session_state["submitted"] = submission


def start(side: str | None, lang: str = "en") -> AppTest:
    return AppTest.from_function(_page, args=(side, lang), default_timeout=60).run()


def statements(at: AppTest) -> list:
    return [r for r in at.radio if r.key and not r.key.endswith(":side") and ":ctx_" not in r.key]


@pytest.mark.parametrize(
    ("lang", "caption", "first"),
    [
        ("en", "You answer for: IT (CIO and IT leadership)", "IT needs to be aligned with marketing"),
        ("fr", "Vous répondez pour\u00a0: Informatique (DSI et direction informatique)", "La DSI doit être alignée"),
    ],
)
def test_fixed_side_is_named_not_asked_and_words_the_statements(lang, caption, first):
    at = start("it", lang)
    assert_no_error(at)
    assert [r.key for r in at.radio if r.key.endswith(":side")] == []
    assert any(c.value.startswith(caption) for c in at.caption), [c.value for c in at.caption]
    assert first in statements(at)[0].label
    assert not at.info  # no "choose your side first"
    assert at.session_state["org:test"]["side"] == "it"


def test_fixed_side_is_carried_by_the_submission():
    at = start("marketing")
    for radio in statements(at):
        radio.set_value(4)
    at = at.run()
    assert "10 of 10 statements answered: ready to submit" in at.get("progress")[0].proto.text
    at = at.button(key="org:test:submit").click().run()
    assert not at.error
    submission = at.session_state["submitted"]
    assert submission.side == "marketing"
    assert submission.answers == dict.fromkeys(submission.answers, 4) and len(submission.answers) == 10


def test_without_fixed_side_the_side_is_asked():
    at = start(None)
    assert [r.key for r in at.radio if r.key.endswith(":side")] == ["w:org:test:en:side"]
    at = at.button(key="org:test:submit").click().run()
    assert "Which side are you on?" in at.error[0].value


def test_unknown_fixed_side_is_refused():
    at = start("finance")
    assert at.exception
