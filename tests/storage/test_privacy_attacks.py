"""Attacks on respondents' privacy, on SQLite and PostgreSQL: each was reproduced before the fix.

The organiser holds the respondent and results links; these tests play them, or a stranger guessing,
against the gateway, which is what every page and export reads.
"""

import secrets
import uuid

import pytest

from alignment.core.questionnaire import load_questionnaire
from alignment.org.rounds import NewAssessment, round_results
from storage import NotInvited

Q = load_questionnaire()


def answers(value: int) -> dict[str, int]:
    return dict.fromkeys(Q.item_ids, value)


def new(db, access="open", min_group=5, **invited):
    created = db.create_assessment(NewAssessment("Acme", "R1", "en", min_group, access=access, invited=invited))
    assessment = db.find_by_results_code(created.results_code)
    return created, assessment, db.current_round(assessment.id)


def submit(db, round_id, key, side="it", value=4) -> bool:
    return db.submit(round_id, str(uuid.uuid4()), key, side, answers(value))


def shown(db, round_id, min_group=5):
    """What the results page, the PDF and the exports show of a round."""
    results = round_results(db.round_counts(round_id), min_group, Q)
    return results.shares, db.export_rows(round_id, results.visible_sides)


def test_padding_from_the_organisers_browser_counts_once(database):
    """One real IT answer; the organiser adds four through the respondent link from their browser."""
    _, _, rnd = new(database)
    assert submit(database, rnd.id, secrets.token_urlsafe(24), value=1)  # the real respondent
    organiser = secrets.token_urlsafe(24)  # the key the organiser's browser keeps
    outcomes = [submit(database, rnd.id, organiser, value=5) for _ in range(4)]
    assert outcomes == [True, False, False, False]
    assert database.round_counts(rnd.id).sides == {"it": 2}
    assert shown(database, rnd.id) == ({}, [])  # the side stays hidden: no share, no row


def test_padding_by_invitation_needs_an_invitation(database):
    """By invitation, the respondent link and made-up keys add nothing; only the invitees' codes answer."""
    created, assessment, rnd = new(database, "invitations", it=1)
    ((side, code),) = created.invitations
    assert side == "it" and submit(database, rnd.id, code, value=1)
    for _ in range(4):
        with pytest.raises(NotInvited):
            submit(database, rnd.id, secrets.token_urlsafe(24), value=5)
    with pytest.raises(NotInvited):
        submit(database, rnd.id, created.respondent_code, value=5)
    assert database.round_counts(rnd.id).sides == {"it": 1}
    assert database.invited_counts(assessment.id) == {"it": 1}


def test_an_export_row_cannot_be_found_by_its_order_or_day(database):
    """Rows carry no id, no date and no order: two rounds answered in opposite orders export alike."""
    _, assessment, first = new(database)
    values = [1, 2, 3, 4, 5]
    for value in values:
        submit(database, first.id, secrets.token_urlsafe(24), value=value)
    second = database.start_new_round(assessment.id, "R2")
    for value in reversed(values):
        submit(database, second.id, secrets.token_urlsafe(24), value=value)
    rows_first, rows_second = database.export_rows(first.id, ("it",)), database.export_rows(second.id, ("it",))
    assert rows_first == rows_second and len(rows_first) == 5
    assert all(set(row) == {"side", "answers"} for row in rows_first)


def test_watching_between_two_submissions_reveals_nothing(database):
    """Shares, exports and the counts behind them move only in steps of the minimum group size."""
    _, _, rnd = new(database)
    for value in (1, 2, 4, 5, 5):
        submit(database, rnd.id, secrets.token_urlsafe(24), value=value)
    before = shown(database, rnd.id)
    assert before[0] and len(before[1]) == 5
    submit(database, rnd.id, secrets.token_urlsafe(24), value=1)  # the newest respondent disagrees
    assert shown(database, rnd.id) == before
    for _ in range(3):
        submit(database, rnd.id, secrets.token_urlsafe(24), value=5)
        assert shown(database, rnd.id) == before
    submit(database, rnd.id, secrets.token_urlsafe(24), value=5)  # the tenth: a whole step
    after = shown(database, rnd.id)
    assert after != before and len(after[1]) == 10


def test_twenty_five_submissions_from_one_browser_count_once(database):
    _, _, rnd = new(database, min_group=1)
    browser = secrets.token_urlsafe(24)
    outcomes = [submit(database, rnd.id, browser, value=v % 5 + 1) for v in range(25)]
    assert outcomes == [True] + [False] * 24
    assert database.round_counts(rnd.id).sides == {"it": 1}


def test_an_invitation_code_answers_once_per_round_for_its_side(database):
    created, assessment, rnd = new(database, "invitations", min_group=1, it=1, marketing=1)
    codes = dict(created.invitations)
    assert submit(database, rnd.id, codes["it"])
    assert not submit(database, rnd.id, codes["it"])  # reused: already submitted, not counted
    with pytest.raises(Exception) as refused:
        submit(database, rnd.id, codes["marketing"], side="it")  # a code answers for its own side only
    assert type(refused.value).__name__ == "InvalidData"
    assert database.round_counts(rnd.id).sides == {"it": 1}
    second = database.start_new_round(assessment.id, "R2")
    assert submit(database, second.id, codes["it"])  # a new round: the invitee answers again


def test_a_code_of_another_assessment_is_refused(database):
    ours = new(database, "invitations", it=2)
    theirs = new(database, "invitations", it=2)
    other_code = theirs[0].invitations[0][1]
    with pytest.raises(NotInvited):
        submit(database, ours[2].id, other_code)
    assert database.find_invitation(other_code)[0].id == theirs[1].id
    assert database.round_counts(ours[2].id).sides == {}


def test_guessed_codes_find_nothing(database):
    created, _, rnd = new(database, "invitations", it=3)
    assert all(len(code) >= 32 for _, code in created.invitations)  # 192 random bits each
    real = created.invitations[0][1]
    guesses = [secrets.token_urlsafe(24) for _ in range(200)]
    guesses += [real[:-1] + ("A" if real[-1] != "A" else "B"), real.upper(), real + "x", "x" * 32, "", "'; --"]
    assert all(database.find_invitation(g) is None for g in guesses)
    for guess in guesses[:20]:
        with pytest.raises(NotInvited):
            submit(database, rnd.id, guess)
    assert database.round_counts(rnd.id).sides == {}


def test_invitation_codes_are_stored_only_as_digests(database):
    from storage.schema import invitations

    created, _, _ = new(database, "invitations", it=2, marketing=1)
    with database.engine.connect() as c:
        stored = " ".join(str(v) for row in c.execute(invitations.select()).all() for v in row)
    assert len(created.invitations) == 3
    assert not any(code in stored for _, code in created.invitations)
