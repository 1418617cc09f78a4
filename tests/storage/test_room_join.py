"""The room's join code and join link are derived from the room-view key (issue 20): every fresh load of the
same `/room?v=…` shows the same code and QR code, another key shows another, and neither gives the key away
(HMAC under the key). They are stored only as digests, made again if they expired while the key lives."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from alignment.org.rounds import NewAssessment
from storage.codes import JOIN_ALPHABET, JOIN_LENGTH, room_join_codes, well_formed
from storage.validation import InvalidData


def open_assessment(db, access: str = "open"):
    invited = {"it": 2} if access == "invitations" else {}
    created = db.create_assessment(NewAssessment("Acme", "R1", "en", 3, access=access, invited=invited))
    return db.find_by_results_code(created.results_code)


def test_the_same_room_key_gives_the_same_code_and_link(database):
    assessment = open_assessment(database)
    key, _ = database.new_room_key(assessment.id)
    first, second = database.room_join(key), database.room_join(key)  # two fresh loads of the room address
    assert (first.code, first.link) == (second.code, second.link)
    assert database.find_by_join_link(first.link).id == assessment.id
    assert database.find_by_join_code(first.code, "192.0.2.1").id == assessment.id
    other_key, _ = database.new_room_key(assessment.id)  # another room view of the same assessment
    other = database.room_join(other_key)
    assert other.code != first.code and other.link != first.link
    with database.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM join_codes")).scalar_one() == 2  # one row per room key
        stored = " ".join(str(v) for row in c.execute(text("SELECT * FROM join_codes")).all() for v in row)
    assert first.code not in stored and first.link not in stored and key not in stored


def test_the_code_is_made_again_when_it_expired_while_the_key_lives(database):
    assessment = open_assessment(database)
    key, key_expires = database.new_room_key(assessment.id)
    expired = database.room_join(key, hours=-1)
    assert database.find_by_join_link(expired.link) is None
    again = database.room_join(key)
    assert (again.code, again.link) == (expired.code, expired.link)
    assert database.find_by_join_link(again.link).id == assessment.id
    assert again.expires <= key_expires  # never outlives the room key that shows it


def test_no_code_without_a_live_room_key_nor_for_an_invitation_assessment(database):
    assessment = open_assessment(database)
    key, _ = database.new_room_key(assessment.id)
    database.revoke_room_keys(assessment.id)
    assert database.room_join(key) is None
    assert database.room_join("not-a-room-key-at-all-0000") is None
    invited = open_assessment(database, access="invitations")
    invited_key, _ = database.new_room_key(invited.id)
    with pytest.raises(InvalidData):
        database.room_join(invited_key)


def test_the_code_and_link_are_derived_one_way_from_the_key():
    key = "vuOJX78US93LhS5ALcC5eGemA6jUHd7D"
    code, link = room_join_codes(key)
    assert (code, link) == room_join_codes(key) and room_join_codes(key[:-1] + "E") != (code, link)
    assert len(code) == JOIN_LENGTH and set(code) <= set(JOIN_ALPHABET)
    assert well_formed(link) and len(link) == 32 and key not in link and link != key
