"""Issue 16, the second independent review, through the pages (AppTest), on SQLite and PostgreSQL: what the
QR code's join link lets an outsider in the room or a curious organiser learn. Storage-level attacks of the
same review are in tests/storage/test_privacy_review.py.
"""

from __future__ import annotations

import re

from sqlalchemy import text

from alignment.org.rounds import NewAssessment
from storage.codes import room_join_codes, show_join_code
from tests.apptest_helpers import assert_no_error, start
from tests.pages import test_app_privacy_links as links
from tests.pages.test_app_privacy_links import item_radios, page_text

app_db = links.app_db  # the same fixture: the app's database on each engine


def room_counts_shown(at) -> dict[str, str]:
    """The counts the room view projects, per side (its bars' data attributes)."""
    return dict(re.findall(r'data-side=\\?"(\w+)\\?" data-count=\\?"(\d+)', page_text(at)))


def stored(db) -> tuple[int, int]:
    with db.engine.connect() as c:
        total = c.execute(text("SELECT count(*) FROM responses")).scalar_one()
        submitted = c.execute(text("SELECT count(*) FROM responses WHERE status = 'submitted'")).scalar_one()
    return total, submitted


def test_scanning_the_qr_code_moves_no_count_until_a_submit(app_db):
    """An organiser watching the projected counts while one person scans the QR code, picks her side and
    answers a statement: nothing moves (merely opening writes nothing; a draft is not counted). Only her
    submit moves her side's count by one: the limit the privacy text states (counts per side while open)."""
    created = app_db.create_assessment(NewAssessment("Acme", "R1", "en", 3))
    assessment = app_db.find_by_results_code(created.results_code)
    key, _ = app_db.new_room_key(assessment.id)
    room = start(query={"v": key}, page="pages/room.py")
    assert_no_error(room)
    before = room_counts_shown(room)
    _, link = room_join_codes(key)  # the link the QR code carries

    phone = start(query={"a": link}, page="pages/respond.py")  # she scans the QR code
    assert_no_error(phone)
    assert stored(app_db) == (0, 0)  # opening writes nothing
    phone.radio(key=f"w:org:{assessment.id}:en:side").set_value("marketing").run()
    item_radios(phone, assessment.id)[0].set_value(1)
    phone.run()
    assert_no_error(phone)
    assert stored(app_db) == (1, 0)  # a draft, not counted
    room.run()
    assert room_counts_shown(room) == before
    assert app_db.round_counts(app_db.current_round(assessment.id).id).sides == {}


def join_code_shown(at) -> str:
    """The short join code the room view projects (its data attribute)."""
    [code] = re.findall(r'data-join-code=\\?"(\w+)', page_text(at))
    return code


def test_the_room_shows_the_same_join_code_on_every_load_of_its_address(app_db):
    """Issue 20: two fresh loads of `/room?v=…` (a new browser each) show the same code and the same QR code,
    another room key another code; the address holds the room's key only (no code nor link in it), and the
    screen no results or respondent code, nor the long join link in clear (only inside the QR code)."""
    created = app_db.create_assessment(NewAssessment("Acme", "R1", "en", 3))
    assessment = app_db.find_by_results_code(created.results_code)
    key, _ = app_db.new_room_key(assessment.id)
    room = start(query={"v": key}, page="pages/room.py")
    assert_no_error(room)
    assert set(room.query_params) == {"v"}, dict(room.query_params)
    code, link = room_join_codes(key)
    assert join_code_shown(room) == code
    again = start(query={"v": key}, page="pages/room.py")  # a fresh load of the same address
    assert join_code_shown(again) == code
    other_key, _ = app_db.new_room_key(assessment.id)
    other = start(query={"v": other_key}, page="pages/room.py")
    assert join_code_shown(other) != code
    shown = page_text(room)
    assert show_join_code(code) in shown and link not in shown  # the link only in the QR code's image
    for secret in (created.results_code, created.respondent_code):
        assert secret not in shown and secret not in " ".join(map(str, room.query_params.values()))
    assert app_db.find_by_join_link(link).id == assessment.id


def test_an_expired_join_link_opens_nothing_on_the_pages(app_db):
    """The QR code's link and its short code replayed after they expired: the respondent page and /join
    refuse them, with the same message as any wrong link."""
    created = app_db.create_assessment(NewAssessment("Acme", "R1", "en", 3))
    assessment = app_db.find_by_results_code(created.results_code)
    expired = app_db.new_room_join(assessment.id, hours=-0.001)
    for code in (expired.link, expired.code):
        phone = start(query={"a": code}, page="pages/respond.py")
        assert any("not valid" in e.value for e in phone.error), [e.value for e in phone.error]
        assert item_radios(phone, assessment.id) == []
    for typed in (f"https://x.example/respond?a={expired.link}", expired.code.lower()):  # pasted, typed
        join = start(page="pages/join.py")
        join.text_input[0].input(typed)
        join.button[0].click().run()
        assert [e.value for e in join.error] == [
            "This code is not valid or has expired. Check it against the screen, or ask the facilitator."
        ]
        assert item_radios(join, assessment.id) == []


# --- A minimum group below five: the respondent was promised what the results could not keep -------------------


def test_a_small_minimum_group_is_told_to_the_respondent_not_promised_away(app_db):
    """An organiser may set the minimum group below five (warned on the new-assessment page). The respondent
    was still told "no single answer can be picked out", which a group of one or two cannot keep: she must be
    told the truth before answering, in her language."""
    for lang, promise, truth in (
        ("en", "no single answer can be picked out", "your answers may be recognisable"),
        ("fr", "aucune réponse isolée ne peut être repérée", "vos réponses peuvent être reconnues"),
    ):
        for min_group, small in ((1, True), (4, True), (5, False)):
            created = app_db.create_assessment(NewAssessment("Acme", "R1", lang, min_group))
            at = start(lang, query={"a": created.respondent_code}, page="pages/respond.py")
            assert_no_error(at)
            shown = page_text(at)
            assert (promise in shown) is not small, (lang, min_group)
            assert (truth in shown) is small, (lang, min_group)


def test_the_room_view_does_not_project_the_promise_a_small_minimum_group_cannot_keep(app_db):
    """The projected room view said "no single answer can be read from the screen" whatever the minimum; with
    a minimum below five a group is small enough to recognise someone, and the room must not say otherwise."""
    for lang, promise, truth in (
        ("en", "no single answer can be read from the screen", "recognised on the screen"),
        ("fr", "aucune réponse isolée ne se lit à l’écran", "reconnaître les réponses de quelqu’un"),
    ):
        for min_group, small in ((2, True), (5, False)):
            created = app_db.create_assessment(
                NewAssessment("Acme", "R1", lang, min_group, access="invitations", invited={"it": 2})
            )
            key, _ = app_db.new_room_key(app_db.find_by_results_code(created.results_code).id)
            room = start(lang, query={"v": key}, page="pages/room.py")
            assert_no_error(room)
            notices = " ".join(i.value for i in room.info)
            assert notices, "the room view says why no figure is shown yet"
            assert (promise in notices) is not small, (lang, min_group, notices)
            assert (truth in notices) is small, (lang, min_group, notices)
