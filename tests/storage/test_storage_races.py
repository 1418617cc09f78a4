"""Concurrent writes on both engines, forced to overlap hundreds of times: a draft save never changes a
submitted response, a second submit is "already submitted" and never an error, concurrent "new round"
clicks make one round."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest

from alignment.org.rounds import NewAssessment
from storage import AlreadySubmitted

pytestmark = pytest.mark.slow  # each race is forced hundreds of times, on both engines

FULL = dict.fromkeys(("alignment_needed", "collaboration_satisfactory", "relationship_improving"), 5)
PARTIAL = {"alignment_needed": 1, "collaboration_satisfactory": 1}


def new_assessment(db, name: str = "Acme") -> tuple[str, int]:
    created = db.create_assessment(NewAssessment(name, "R1", "en", 1))
    assessment = db.find_by_results_code(created.results_code)
    return assessment.id, db.current_round(assessment.id).id


def race(rounds: int, *actions: Callable[[int], object]) -> list[list[object]]:
    """Run the actions in threads, `rounds` times, each time released together by a barrier.

    Returns, per action, what it returned (or raised) in each round.
    """
    barrier = threading.Barrier(len(actions))
    outcomes: list[list[object]] = [[None] * rounds for _ in actions]

    def worker(k: int) -> None:
        for n in range(rounds):
            barrier.wait()
            try:
                outcomes[k][n] = actions[k](n)
            except Exception as error:  # kept, and checked by the test
                outcomes[k][n] = error

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(len(actions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_a_draft_save_racing_a_submit_never_changes_the_submitted_response(database):
    assessment_id, round_id = new_assessment(database)
    n = 200
    ids = [str(uuid.uuid4()) for _ in range(n)]
    codes = [f"resume-{k:04d}-" + "r" * 20 for k in range(n)]
    for k in range(0, n, 2):  # half are drafts already (two tabs on one resume link); half are new
        database.save_draft(round_id, ids[k], codes[k], "it", {"alignment_needed": 3})
    submits, drafts = race(
        n,
        lambda k: database.submit(round_id, ids[k], codes[k], "it", FULL),
        lambda k: database.save_draft(round_id, ids[k], codes[k], "marketing", PARTIAL),
    )
    assert all(outcome is True for outcome in submits), [o for o in submits if o is not True][:3]
    assert all(outcome is None or isinstance(outcome, AlreadySubmitted) for outcome in drafts), [
        o for o in drafts if o is not None and not isinstance(o, AlreadySubmitted)
    ][:3]
    overwritten = []
    for k in range(n):
        draft = database.load_draft(assessment_id, codes[k])
        if not draft.submitted or draft.side != "it" or draft.answers != FULL:
            overwritten.append((k, draft))
    assert overwritten == []
    database.set_round_open(round_id, False)  # an open link's answers show once the round is closed
    counts = database.round_counts(round_id)
    assert counts.sides == {"it": n}
    assert counts.values == {("it", item, 5): n for item in FULL}
    assert_counts_match_the_answers(database, round_id)


def test_two_submits_at_once_count_once_and_neither_is_an_error(database):
    _, round_id = new_assessment(database)
    n = 200
    ids = [str(uuid.uuid4()) for _ in range(n)]
    first, second = race(
        n,
        lambda k: database.submit(round_id, ids[k], f"one-{k:04d}-" + "s" * 20, "it", FULL),
        lambda k: database.submit(round_id, ids[k], f"two-{k:04d}-" + "s" * 20, "it", FULL),
    )
    errors = [o for o in first + second if isinstance(o, Exception)]
    assert errors == []
    assert all(sorted([a, b]) == [False, True] for a, b in zip(first, second, strict=True))
    database.set_round_open(round_id, False)  # an open link's answers show once the round is closed
    counts = database.round_counts(round_id)
    assert counts.sides == {"it": n} and counts.values == {("it", item, 5): n for item in FULL}
    assert_counts_match_the_answers(database, round_id)


def test_counts_kept_by_many_concurrent_writers_match_the_answers(database):
    _, round_id = new_assessment(database)
    writers, each = 8, 25
    sides = ("it", "marketing", "digital", "other")

    def write(w: int, k: int) -> bool:
        values = {item: (w + k + n) % 6 for n, item in enumerate(FULL)}
        return database.submit(round_id, str(uuid.uuid4()), f"w{w}-{k:03d}-" + "m" * 20, sides[w % 4], values)

    outcomes = race(each, *[lambda k, w=w: write(w, k) for w in range(writers)])
    assert all(o is True for column in outcomes for o in column)
    assert sum(database.round_counts(round_id).sides.values()) == writers * each
    assert_counts_match_the_answers(database, round_id)


def assert_counts_match_the_answers(database, round_id: int) -> None:
    """The counts kept at each submit equal a recount from the stored answers."""
    kept = database.round_counts(round_id)
    database.recount(round_id)
    recounted = database.round_counts(round_id)
    assert kept.values == recounted.values and kept.sides == recounted.sides


def test_concurrent_new_round_clicks_make_one_round(database):
    clicks, assessments = 4, 60
    made = [new_assessment(database, f"Org {k}")[0] for k in range(assessments)]
    click = [lambda k, c=c: database.start_new_round(made[k], f"R2 from click {c}", after=1) for c in range(clicks)]
    outcomes = race(assessments, *click)
    errors = [o for column in outcomes for o in column if isinstance(o, Exception)]
    assert errors == []
    for k, assessment_id in enumerate(made):
        rounds = database.rounds(assessment_id)
        assert [(r.number, r.status) for r in rounds] == [(1, "closed"), (2, "open")]
        assert {column[k].id for column in outcomes} == {rounds[1].id}  # every click lands on the one new round


def test_reopening_an_older_round_is_refused_once_a_newer_one_exists(database):
    assessment_id, first = new_assessment(database)
    database.start_new_round(assessment_id, "R2", after=1)
    assert database.set_round_open(first, True) is False
    assert [r.status for r in database.rounds(assessment_id)] == ["closed", "open"]
