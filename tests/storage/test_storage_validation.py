"""The gateway checks what it stores, on both engines, and names what it refuses; PostgreSQL's DataError
becomes a named refusal too."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, insert, select

from alignment.core.context import context_questions
from alignment.core.i18n import LANGS, load_messages
from alignment.core.questionnaire import Profile
from alignment.org.rounds import NewAssessment
from storage import Database, InvalidData
from storage.schema import answers, responses, rounds
from storage.validation import FIELDS
from tests.conftest import postgres_schema_url

MEGABYTE = "x" * 1_000_000


def open_round(db) -> tuple[str, int]:
    created = db.create_assessment(NewAssessment("Acme", "R1", "en", 1))
    assessment = db.find_by_results_code(created.results_code)
    return assessment.id, db.current_round(assessment.id).id


def stored(db) -> tuple[int, int]:
    with db.engine.connect() as c:
        return (
            c.execute(select(func.count()).select_from(responses)).scalar_one(),
            c.execute(select(func.count()).select_from(answers)).scalar_one(),
        )


@pytest.mark.parametrize(
    ("side", "values", "field"),
    [
        (MEGABYTE, {"alignment_needed": 4}, "side"),
        ("cio", {"alignment_needed": 4}, "side"),
        (None, {"alignment_needed": 4}, "side"),  # a submitted response needs a side
        ("it", {MEGABYTE: 4}, "item"),
        ("it", {f"unknown_{n}": 4 for n in range(10_000)}, "item"),
        ("it", {"alignment_needed": 4, "nope": 4}, "item"),
        ("it", {"alignment_needed": 99}, "value"),
        ("it", {"alignment_needed": -1}, "value"),
        ("it", {"alignment_needed": True}, "value"),
        ("it", {"alignment_needed": "4"}, "value"),
        ("it", {"alignment_needed": 4.0}, "value"),
    ],
    ids=[
        "1MB-side",
        "unknown-side",
        "no-side",
        "1MB-item",
        "10000-unknown-items",
        "one-unknown-item",
        "value-99",
        "value-negative",
        "value-bool",
        "value-text",
        "value-float",
    ],
)
def test_a_response_with_anything_unknown_is_refused_whole_and_named(database, side, values, field):
    _, round_id = open_round(database)
    with pytest.raises(InvalidData) as refused:
        database.submit(round_id, str(uuid.uuid4()), "resume" + "v" * 20, side, values)
    assert refused.value.field == field
    if side is not None:
        with pytest.raises(InvalidData) as refused:
            database.save_draft(round_id, str(uuid.uuid4()), "resume" + "w" * 20, side, values)
        assert refused.value.field == field
    assert stored(database) == (0, 0)  # nothing stored, and nothing counts
    assert database.round_counts(round_id).sides == {}


def test_valid_answers_are_stored_whole_including_context_answers(database):
    assessment_id, round_id = open_round(database)
    context = {q.key: q.codes[0] for q in context_questions()}
    values = {"alignment_needed": 0, "collaboration_satisfactory": 5, **context}
    database.save_draft(round_id, str(uuid.uuid4()), "resume" + "d" * 20, None, {"alignment_needed": 3})
    assert database.submit(round_id, str(uuid.uuid4()), "resume" + "c" * 20, "digital", values)
    assert database.load_draft(assessment_id, "resume" + "c" * 20).answers == values
    key = context_questions()[0].key
    with pytest.raises(InvalidData) as refused:
        database.submit(round_id, str(uuid.uuid4()), "resume" + "e" * 20, "it", {key: 99})
    assert refused.value.field == "value"


@pytest.mark.parametrize(
    ("new", "field"),
    [
        (NewAssessment(MEGABYTE, "R1", "en", 5), "text"),
        (NewAssessment("", "R1", "en", 5), "text"),
        (NewAssessment("Acme", "x" * 81, "en", 5), "text"),
        (NewAssessment("Acme", " ", "en", 5), "text"),
        (NewAssessment("Acme", "R1", "de", 5), "setting"),
        (NewAssessment("Acme", "R1", "en", 0), "setting"),
        (NewAssessment("Acme", "R1", "en", 21), "setting"),
        (NewAssessment("Acme", "R1", "en", 5, profile=Profile(industry_other="y" * 81)), "text"),
        (NewAssessment("Acme", "R1", "en", 5, profile=Profile(country="z" * 11)), "text"),
    ],
    ids=["1MB-name", "no-name", "long-label", "blank-label", "lang", "min-0", "min-21", "long-other", "long-country"],
)
def test_assessments_and_labels_are_checked(database, new, field):
    with pytest.raises(InvalidData) as refused:
        database.create_assessment(new)
    assert refused.value.field == field


def test_a_new_round_label_is_checked(database):
    assessment_id, _ = open_round(database)
    for label in ("", "x" * 81, MEGABYTE):
        with pytest.raises(InvalidData):
            database.start_new_round(assessment_id, label, after=1)
    assert len(database.rounds(assessment_id)) == 1


def test_postgresql_data_error_becomes_a_named_refusal():
    with postgres_schema_url() as url:
        db = Database(url)
        db.migrate()
        try:
            assessment_id, _ = open_round(db)
            with pytest.raises(InvalidData) as refused, db.transaction() as c:  # past the gateway's own checks
                c.execute(insert(rounds).values(assessment_id=assessment_id, number=2, label="x" * 81, status="open"))
            assert refused.value.field == "rejected" and "too long" in refused.value.detail
        finally:
            db.dispose()


def test_every_refusal_has_a_text_in_both_languages():
    for lang in LANGS:
        messages = load_messages(lang)
        assert {f"org.invalid.{field}" for field in FIELDS} <= set(messages)
