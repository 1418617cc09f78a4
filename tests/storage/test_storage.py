"""storage.Database on SQLite and on a real PostgreSQL: codes, rounds, drafts, submissions, counts."""

import threading
import uuid

import pytest
from sqlalchemy import inspect

from alignment.org.rounds import NewAssessment
from storage import CODE_PATTERN, AlreadySubmitted, RoundClosed, hash_code
from storage.schema import assessments


def create(db, **kw):
    created = db.create_assessment(NewAssessment(kw.pop("org_name", "Acme <b>&</b>"), "2026 Q4", "fr", **kw))
    assessment = db.find_by_results_code(created.results_code)
    return created, assessment, db.current_round(assessment.id)


def test_migrations_create_the_tables_and_are_idempotent(database):
    database.migrate()
    tables = set(inspect(database.engine).get_table_names())
    assert {"assessments", "rounds", "responses", "answers", "alembic_version"} <= tables


def test_codes_are_long_random_and_stored_only_as_hashes(database):
    created, assessment, _ = create(database)
    assert created.respondent_code != created.results_code
    assert all(CODE_PATTERN.fullmatch(c) and len(c) >= 32 for c in (created.respondent_code, created.results_code))
    with database.engine.connect() as c:
        row = c.execute(assessments.select()).mappings().one()
    stored = " ".join(str(v) for v in row.values())
    assert created.respondent_code not in stored and created.results_code not in stored
    assert row["results_code_hash"] == hash_code(created.results_code)
    assert assessment.org_name == "Acme <b>&</b>"


def test_codes_do_not_cross_and_bad_codes_find_nothing(database):
    created, _, _ = create(database)
    assert database.find_by_results_code(created.respondent_code) is None
    assert database.find_by_respondent_code(created.results_code) is None
    for bad in (
        "",
        "short",
        created.results_code[:-1],
        created.results_code + "x",
        "'; DROP TABLE x; --" * 3,
        "é" * 30,
        None,
    ):
        assert database.find_by_results_code(bad) is None


def test_draft_resume_and_single_submission(database):
    _, assessment, rnd = create(database)
    rid, resume = str(uuid.uuid4()), "resume_" + "a" * 30
    database.save_draft(rnd.id, rid, resume, "it", {"alignment_needed": 4})
    database.save_draft(rnd.id, rid, resume, "it", {"alignment_needed": 5, "relationship_improving": 0})
    draft = database.load_draft(assessment.id, resume)
    assert draft.answers == {"alignment_needed": 5, "relationship_improving": 0} and not draft.submitted
    assert database.round_counts(rnd.id).sides == {}  # drafts do not count
    full = dict.fromkeys(["alignment_needed", "relationship_improving"], 4)
    assert database.submit(rnd.id, rid, resume, "it", full) is True
    assert database.submit(rnd.id, rid, resume, "it", full) is False  # a double submit counts once
    assert database.round_counts(rnd.id).sides == {"it": 1}
    with pytest.raises(AlreadySubmitted):
        database.save_draft(rnd.id, rid, resume, "it", full)
    assert database.load_draft(assessment.id, resume).submitted
    other, _, _ = create(database, org_name="Other")
    assert database.load_draft(database.find_by_results_code(other.results_code).id, resume) is None


def test_closed_round_refuses_answers_and_reopens(database):
    created, _, rnd = create(database, access="invitations", invited={"it": 2})
    (_, first), (_, second) = created.invitations
    database.set_round_open(rnd.id, False)
    with pytest.raises(RoundClosed):
        database.submit(rnd.id, str(uuid.uuid4()), first, "it", {"alignment_needed": 4})
    assert database.set_round_open(rnd.id, True)
    assert database.submit(rnd.id, str(uuid.uuid4()), second, "it", {"alignment_needed": 4})


def test_an_open_links_closed_round_does_not_reopen(database):
    """Shown whole once closed, it would otherwise give a second view to compare (issue 16)."""
    _, _, rnd = create(database)
    assert database.set_round_open(rnd.id, False)
    assert database.set_round_open(rnd.id, True) is False
    with pytest.raises(RoundClosed):
        database.submit(rnd.id, str(uuid.uuid4()), "s" * 30, "it", {"alignment_needed": 4})


def test_new_round_closes_the_previous_one(database):
    _, assessment, first = create(database)
    second = database.start_new_round(assessment.id, "2027 Q1")
    rounds = database.rounds(assessment.id)
    assert [(r.number, r.label, r.status) for r in rounds] == [(1, "2026 Q4", "closed"), (2, "2027 Q1", "open")]
    assert second.id != first.id


def test_counts_and_export_move_in_steps_of_the_minimum(database):
    """By invitation; with an open link nothing shows until the round closes (test_privacy_attacks.py)."""
    created, _, rnd = create(database, min_group_size=2, access="invitations", invited={"it": 3, "marketing": 1})
    codes = [code for _, code in created.invitations]
    for code, (side, value) in zip(codes, [("it", 5), ("it", 4), ("it", 2), ("marketing", 0)], strict=True):
        database.submit(rnd.id, str(uuid.uuid4()), code, side, {"alignment_needed": value})
    counts = database.round_counts(rnd.id)
    assert counts.sides == {"it": 3, "marketing": 1}  # every submission is counted…
    assert counts.reported == {"it": 2, "marketing": 0}  # …but shown in steps of two
    assert counts.values == {("it", "alignment_needed", 5): 1, ("it", "alignment_needed", 4): 1}
    rows = database.export_rows(rnd.id, ("it", "marketing"))
    assert rows == [
        {"side": "it", "answers": {"alignment_needed": 4}},
        {"side": "it", "answers": {"alignment_needed": 5}},
    ]


def test_delete_removes_everything(database):
    created, assessment, rnd = create(database)
    database.submit(rnd.id, str(uuid.uuid4()), "resume" + "y" * 20, "it", {"alignment_needed": 4})
    assert database.delete_assessment(assessment.id)
    assert database.find_by_results_code(created.results_code) is None
    assert database.round_counts(rnd.id).sides == {}
    assert not database.delete_assessment(assessment.id)


@pytest.mark.slow  # 200 submits from 20 threads
def test_two_hundred_responses_from_twenty_concurrent_writers(database):
    """Nothing lost or doubled. The writers queue for the same rows: on a loaded 2-core machine a writer
    can wait longer than the 4 s a page would, which is not what this test is about, so it waits longer."""
    from storage import Database

    database = Database(database.url, timeout=60)
    _, _, rnd = create(database)
    errors: list[BaseException] = []
    barrier = threading.Barrier(20)

    def writer(w: int) -> None:
        try:
            barrier.wait()
            for n in range(10):
                rid = str(uuid.uuid4())
                values = dict.fromkeys(["alignment_needed", "collaboration_satisfactory"], (w + n) % 6)
                database.submit(rnd.id, rid, f"resume-{w}-{n}-" + "z" * 20, "it" if w % 2 else "marketing", values)
                if n % 3 == 0:  # a double submit of the same response must not count twice
                    database.submit(rnd.id, rid, "again" + "z" * 20, "it", values)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    database.set_round_open(rnd.id, False)  # an open link's answers show once the round is closed
    counts = database.round_counts(rnd.id)
    assert sum(counts.sides.values()) == 200
    assert counts.sides == {"it": 100, "marketing": 100}
    assert sum(n for (s, i, v), n in counts.values.items() if i == "alignment_needed") == 200
    database.dispose()


def test_a_draft_left_in_a_closed_round_counts_in_the_open_one(database):
    _, assessment, first = create(database)
    rid, resume = str(uuid.uuid4()), "resume_" + "q" * 30
    database.save_draft(first.id, rid, resume, "it", {"alignment_needed": 4})
    second = database.start_new_round(assessment.id, "2027 Q1")
    draft = database.load_draft(assessment.id, resume)
    assert draft.answers == {"alignment_needed": 4} and not draft.submitted
    assert database.submit(second.id, rid, resume, "it", {"alignment_needed": 5}) is True
    assert database.round_counts(second.id).sides == {"it": 1}
    assert database.round_counts(first.id).sides == {}


def test_results_page_reads_the_assessment_its_rounds_and_their_counts_per_side(database):
    created, assessment, first = create(database, min_group_size=2)
    for n, side in enumerate(["it", "it", "marketing"]):
        database.submit(first.id, str(uuid.uuid4()), f"page{n}" + "x" * 20, side, {"alignment_needed": 4})
    second = database.start_new_round(assessment.id, "2027 Q1")
    database.add_simulated(assessment.id, [("it", {"alignment_needed": 3})])  # a rehearsal: never listed
    page = database.results_page(created.results_code)
    assert page.assessment == assessment
    assert list(page.rounds) == database.rounds(assessment.id) == [database.rounds(assessment.id)[0], second]
    # Round 1 of an open link, closed by round 2: reported whole (issue 16), not in steps of two.
    assert page.versions == {first.id: (("it", 2, 2), ("marketing", 1, 1)), second.id: ()}
    assert database.results_page(created.respondent_code) is None  # the other code opens nothing here
    assert database.results_page("not a code") is None


def test_a_new_submit_is_three_short_statements_on_postgresql(database):
    """Issue 21: a submit of a new response reads once, writes the response with its answers, and counts
    them: on PostgreSQL three statements besides BEGIN and COMMIT, each short and with few parameters
    (psycopg caches the parsing of a statement under 4,096 characters and 50 parameters, and prepares it
    on the server), whatever the number of answers; and the counts equal a recount."""
    from sqlalchemy import event

    from alignment.core.questionnaire import load_questionnaire

    _, assessment, rnd = create(database, access="open")
    items = load_questionnaire().item_ids
    values = {item: 1 + n % 5 for n, item in reversed(list(enumerate(items)))}  # each its own, not sorted
    database.submit(rnd.id, str(uuid.uuid4()), "k" * 32, "it", values)  # compiled once
    seen: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", keep)
    try:
        assert database.submit(rnd.id, str(uuid.uuid4()), "j" * 32, "it", values)
    finally:
        event.remove(database.engine, "before_cursor_execute", keep)
    if database.engine.dialect.name == "postgresql":
        assert len(seen) == 3, [s for s, _ in seen]
        for statement, parameters in seen:
            assert len(statement) < 4096 and len(parameters) <= 20, statement
    else:  # SQLite, in process: the same steps one by one, the rows of VALUES as parameters
        assert len(seen) <= 7, [s for s, _ in seen]  # BEGIN IMMEDIATE included
    assert database.load_draft(assessment.id, "j" * 32).answers == values  # each answer under its own item
    database.set_round_open(rnd.id, False)  # an open link's counts are shown once the round closes
    counts = database.round_counts(rnd.id)
    assert {item: value for (_, item, value), n in counts.values.items() if n == 2} == values
    database.recount(rnd.id)
    assert database.round_counts(rnd.id) == counts
