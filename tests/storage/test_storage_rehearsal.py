"""Rehearsal rounds and join codes on both engines: simulated answers never reach real results, and a short
join code stands for the respondent link only while it lives, and cannot be guessed."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from alignment.org.rehearsal import simulated_responses
from alignment.org.rounds import NewAssessment
from storage import InvalidData, normalise_join_code, show_join_code
from storage.schema import join_codes


def create(db, **kw):
    created = db.create_assessment(NewAssessment("Rehearsal Ltd", "2026 Q4", "en", **kw))
    assessment = db.find_by_results_code(created.results_code)
    return created, assessment, db.current_round(assessment.id)


def submit(db, rnd, side, value, n=0):
    db.submit(rnd.id, str(uuid.uuid4()), f"real{n}-{uuid.uuid4().hex}", side, {"alignment_needed": value})


def test_simulated_answers_never_mix_into_real_results(database, questionnaire):
    _, assessment, rnd = create(database, min_group_size=2)
    for n, (side, value) in enumerate([("it", 5), ("it", 4), ("marketing", 1), ("marketing", 2)]):
        submit(database, rnd, side, value, n)
    database.set_round_open(rnd.id, False)  # an open link's round shows its answers once closed
    real_counts, real_rows = database.round_counts(rnd.id), database.export_rows(rnd.id, ("it", "marketing"))

    rehearsal = database.add_simulated(assessment.id, simulated_responses(questionnaire, 40, seed=1))
    assert rehearsal.rehearsal and rehearsal.number == 0 and rehearsal.id != rnd.id
    database.add_simulated(assessment.id, simulated_responses(questionnaire, 3, seed=2))  # the same round again
    assert database.rehearsal_round(assessment.id).id == rehearsal.id
    simulated = database.round_counts(rehearsal.id)
    assert sum(simulated.sides.values()) == 43
    assert all(simulated.reported[s] % 2 == 0 for s in simulated.sides)  # stepped like real answers

    # Not a round of the assessment: not listed, not the current one, not the "previous round".
    assert [r.id for r in database.rounds(assessment.id)] == [rnd.id]
    assert database.current_round(assessment.id).id == rnd.id
    # Real counts and exports are unchanged, also after a recount of every round.
    assert database.round_counts(rnd.id) == real_counts and len(real_rows) == 4
    assert database.export_rows(rnd.id, ("it", "marketing")) == real_rows
    database.recount()
    assert database.round_counts(rnd.id) == real_counts
    # A new real round: numbered after the real ones, the rehearsal stays apart and open.
    second = database.start_new_round(assessment.id, "2027 Q1", after=1)
    assert second.number == 2
    assert [r.number for r in database.rounds(assessment.id)] == [1, 2]
    assert database.rehearsal_round(assessment.id).is_open

    assert database.delete_rehearsal(assessment.id)  # one click: gone, with its counts
    assert database.rehearsal_round(assessment.id) is None
    assert database.round_counts(rehearsal.id).sides == {}
    assert database.round_counts(rnd.id) == real_counts
    assert not database.delete_rehearsal(assessment.id)


def test_deleting_an_assessment_deletes_its_rehearsal_and_join_codes(database, questionnaire):
    _, assessment, _ = create(database)
    database.add_simulated(assessment.id, simulated_responses(questionnaire, 5, seed=3))
    code, _ = database.new_join_code(assessment.id)
    assert database.delete_assessment(assessment.id)
    assert database.find_by_join_code(code) is None


def test_a_join_code_stands_for_the_respondent_link_until_it_expires(database):
    _, assessment, rnd = create(database)
    code, expires = database.new_join_code(assessment.id)
    assert normalise_join_code(code) == code and len(code) == 8
    assert expires > datetime.now(UTC) + timedelta(hours=11)
    for typed in (code, code.lower(), show_join_code(code), f" {code[:4]}-{code[4:]} "):
        assert database.find_by_respondent_code(typed).id == assessment.id
    # Respondents who join with it answer the current round like any other.
    assert database.submit(rnd.id, str(uuid.uuid4()), "joined" + "x" * 20, "it", {"alignment_needed": 4})
    # Stored only as a digest.
    with database.engine.connect() as c:
        stored = c.execute(join_codes.select()).mappings().all()
    assert len(stored) == 1 and code not in str(dict(stored[0]))
    # Expired: refused.
    with database.transaction() as c:
        c.execute(update(join_codes).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert database.find_by_join_code(code) is None


def test_no_join_code_for_an_assessment_by_invitation(database):
    _, assessment, _ = create(database, access="invitations", invited={"it": 2, "marketing": 2})
    with pytest.raises(InvalidData):
        database.new_join_code(assessment.id)


def test_guessing_join_codes_is_cut_off(database, monkeypatch):
    """Past its budget of failures a client's codes are not looked up (TooManyAttempts, not "not valid");
    another client still joins. The flood and burst attacks are in test_privacy_attacks.py."""
    from storage import Database, JoinLimits, TooManyAttempts
    from tests.conftest import early_in_a_join_slot

    early_in_a_join_slot(monkeypatch, 600)  # the failures counted in one slot, not split across two

    db = Database(database.url, join_limits=JoinLimits(window_seconds=600, per_client=5, overall=600))
    _, assessment, _ = create(db)
    code, _ = db.new_join_code(assessment.id)
    assert db.find_by_join_code(code, "client-a").id == assessment.id  # a right code spends nothing
    wrong = [c for c in ("2222AAAA", "3333BBBB", "4444CCCC", "5555DDDD", "6666EEEE", "7777FFFF") if c != code]
    for guess in wrong[:5]:
        assert db.find_by_join_code(guess, "client-a") is None
    with pytest.raises(TooManyAttempts):  # the budget is spent: even the right code is not looked up
        db.find_by_join_code(code, "client-a")
    assert db.find_by_join_code(code, "client-b").id == assessment.id
    assert db.join_budget_spent("client-a") == {"client": 5, "all": 5}
    assert normalise_join_code("K7M2 QX9O") is None  # O is not in the alphabet
    assert normalise_join_code("x" * 100) is None
    db.dispose()


def test_downgrading_0005_takes_the_simulated_answers_with_it(database, questionnaire):
    from sqlalchemy import func, select

    from storage.schema import responses, rounds
    from tests.storage.migrating import downgrade

    _, assessment, rnd = create(database)
    submit(database, rnd, "it", 4)
    database.add_simulated(assessment.id, simulated_responses(questionnaire, 6, seed=5))
    downgrade(database, "0004")
    with database.engine.connect() as c:
        assert c.execute(select(rounds.c.number)).scalars().all() == [1]
        assert c.execute(select(func.count()).select_from(responses)).scalar_one() == 1
    database.migrate()  # and up again
    assert [r.id for r in database.rounds(assessment.id)] == [rnd.id]
