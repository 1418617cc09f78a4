"""The room view's join panel (issue 20): the same code on every load (tests/pages/test_app_privacy_review.py),
nothing to join once the round is closed, and no long link printed (only inside the QR code)."""

from __future__ import annotations

import pytest

from alignment.org.rounds import NewAssessment
from storage import Database
from storage.codes import room_join_codes, show_join_code
from tests.apptest_helpers import assert_no_error, start
from tests.pages.test_app_privacy_links import page_text, qr_link


@pytest.fixture
def app_db(db):
    """The app's SQLite database (tests/pages/conftest.py's db)."""
    return db


def room_with_key(db: Database, lang: str = "en"):
    created = db.create_assessment(NewAssessment("Acme", "R1", lang, 3))
    assessment = db.find_by_results_code(created.results_code)
    key, _ = db.new_room_key(assessment.id)
    return assessment, key


def test_an_open_round_shows_the_qr_code_and_the_code_but_not_the_long_link(app_db):
    _, key = room_with_key(app_db)
    room = start(query={"v": key}, page="pages/room.py")
    assert_no_error(room)
    code, link = room_join_codes(key)
    assert show_join_code(code) in page_text(room)
    assert qr_link(room).endswith(f"/respond?a={link}")
    assert "data-join-code" in page_text(room) and "room-link" not in page_text(room)
    assert "/respond?a=" not in " ".join(h.proto.body for h in room.get("html"))
    assert [h.value for h in room.header] == ["Join on your phone"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_closed_round_says_so_in_place_of_the_code(app_db, lang):
    assessment, key = room_with_key(app_db, lang)
    app_db.set_round_open(app_db.current_round(assessment.id).id, False)
    room = start(query={"v": key}, page="pages/room.py")
    assert_no_error(room)
    assert room.get("image") == [] and "data-join-code" not in page_text(room)
    closed = {"en": "The round is closed", "fr": "La vague est close"}[lang]
    assert any(w.value.startswith(closed) for w in room.warning), [w.value for w in room.warning]
    assert [h.value for h in room.header] == [{"en": "Answers are closed", "fr": "Les réponses sont closes"}[lang]]
    rehearsing = start(query={"v": key, "mode": "rehearsal"}, page="pages/room.py")  # a rehearsal shows it
    assert_no_error(rehearsing)
    assert qr_link(rehearsing).endswith(f"/respond?a={room_join_codes(key)[1]}")


def test_an_older_room_address_loses_its_code_and_link(app_db):
    """A room address of before issue 20 kept the code and link (`j=`, `l=`): they leave the address, and the
    room shows the code derived from its key."""
    _, key = room_with_key(app_db)
    room = start(query={"v": key, "j": "ABCDEFGH", "l": "x" * 32, "mode": "rehearsal"}, page="pages/room.py")
    assert_no_error(room)
    assert set(room.query_params) == {"v", "mode"}
    assert show_join_code(room_join_codes(key)[0]) in page_text(room)
