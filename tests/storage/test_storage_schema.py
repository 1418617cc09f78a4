"""The schema on both engines: migrations 0002 and 0003 carry data over, schema.py and the migrations agree, and
one round's counts read that round's rows only, through an index, while other organisations' data is there."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, insert, select, text

from alignment.org.rounds import NewAssessment
from storage import Database, hash_code
from storage.gateway import round_count_queries
from storage.schema import answer_counts, answers, metadata, response_counts, responses, rounds
from tests.conftest import postgres_schema_url

ITEMS = ("alignment_needed", "collaboration_satisfactory", "relationship_improving")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    """A storage.Database on each engine with no tables yet."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'empty.db'}")
        yield db
        db.dispose()
        return
    with postgres_schema_url() as url:
        db = Database(url)
        yield db
        db.dispose()


def drift(db: Database) -> list:
    """What `alembic check` would report: differences between schema.py and the migrated database."""
    with db.engine.connect() as c:
        return compare_metadata(MigrationContext.configure(c), metadata)


def test_upgrades_from_0001_carry_the_data_over(empty_database):
    db = empty_database
    db.migrate("0001")
    now = datetime.now(UTC)
    with db.transaction() as c:  # data written in 0001's shape: answers without a round
        for n, org in enumerate(("a1", "a2")):
            c.execute(
                text(
                    "INSERT INTO assessments (id, org_name, lang, min_group_size, respondent_code_hash, "
                    "results_code_hash, created_at) VALUES (:id, :name, 'en', :min, :rc, :kc, :now)"
                ),
                {"id": org, "name": f"Org {n}", "min": n + 1, "rc": f"r{n}" * 10, "kc": f"k{n}" * 10, "now": now},
            )
        for rid, org, number in ((10, "a1", 1), (11, "a1", 2), (20, "a2", 1)):
            c.execute(
                text(
                    "INSERT INTO rounds (id, assessment_id, number, label, status, created_at) "
                    "VALUES (:id, :org, :number, 'R', 'open', :now)"
                ),
                {"id": rid, "org": org, "number": number, "now": now},
            )
        plan = [("x1", 10, "it", "submitted"), ("x2", 11, "marketing", "submitted"), ("x3", 20, "it", "draft")]
        plan += [(f"y{n}", 20, "marketing", "submitted") for n in range(3)]
        for response_id, round_id, side, status in plan:
            c.execute(
                text(
                    "INSERT INTO responses (id, round_id, side, status, resume_code_hash, created_at, updated_at) "
                    "VALUES (:id, :round, :side, :status, :hash, :now, :now)"
                ),
                {"id": response_id, "round": round_id, "side": side, "status": status, "hash": response_id, "now": now},
            )
            for value, item in enumerate(ITEMS, start=2):
                c.execute(
                    text("INSERT INTO answers (response_id, item, value) VALUES (:id, :item, :value)"),
                    {"id": response_id, "item": item, "value": value},
                )
    db.migrate("0002")  # answers take their response's round
    with db.engine.connect() as c:
        carried = c.execute(
            text(
                "SELECT answers.round_id, responses.round_id FROM answers "
                "JOIN responses ON responses.id = answers.response_id"
            )
        ).all()
    assert len(carried) == 6 * len(ITEMS)
    assert all(answer_round == response_round for answer_round, response_round in carried)
    db.migrate("0008")  # 0003: counts per round; 0004: steps; 0006: plan notes; 0007: actions; 0008: e-mail
    stepped = db.round_counts(20)  # Org 1 reports in steps of two
    assert stepped.reported == {"marketing": 2}
    assert stepped.values == {("marketing", item, value): 2 for value, item in enumerate(ITEMS, start=2)}
    db.migrate()  # 0009: open-link rounds show nothing until closed; 0010: join links, salts; 0011: send claims;
    # 0012: responses keep no time
    assert drift(db) == []
    with db.engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0012"
        ranks = dict(c.execute(text("SELECT id, side_seq FROM responses WHERE round_id = 20")).all())
        access = set(c.execute(text("SELECT access FROM assessments")).scalars())
    assert ranks == {"x3": None, "y0": 1, "y1": 2, "y2": 3} and access == {"open"}
    assert db.round_counts(10).sides == {"it": 1} and db.round_counts(11).sides == {"marketing": 1}
    counts = db.round_counts(20)  # open: nothing shown
    assert counts.sides == {"marketing": 3} and counts.reported == {"marketing": 0}  # the draft does not count
    assert counts.values == {}
    # The upgraded database takes new answers like a fresh one, and shows them all at close.
    assert db.submit(20, str(uuid.uuid4()), "resume" + "u" * 20, "it", {"alignment_needed": 5})
    assert db.submit(20, str(uuid.uuid4()), "resume" + "v" * 20, "it", {"alignment_needed": 5})
    assert ("it", "alignment_needed", 5) not in db.round_counts(20).values
    assert db.set_round_open(20, False)
    closed = db.round_counts(20)
    assert closed.values[("it", "alignment_needed", 5)] == 2 and closed.reported == {"marketing": 3, "it": 2}


def test_schema_and_migrations_do_not_drift(database):
    assert drift(database) == []


def seed(db: Database, organisations: int, per_organisation: int, target: int, filler_rounds: int = 1500) -> int:
    """Submitted responses in several organisations plus one small target round; returns its id."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    round_ids = []
    for n in range(organisations + 1):
        created = db.create_assessment(NewAssessment(f"Org {n}", "R1", "en", 1))
        round_ids.append(db.current_round(db.find_by_results_code(created.results_code).id).id)
    with db.transaction() as c:
        for round_id, count in [(round_ids[0], target)] + [(r, per_organisation) for r in round_ids[1:]]:
            heads, rows = [], []
            for _ in range(count):
                rid = str(uuid.uuid4())
                heads.append(
                    dict(
                        id=rid,
                        round_id=round_id,
                        side=rng.choice(("it", "marketing")),
                        status="submitted",
                        resume_code_hash=hash_code(rid),
                    )
                )
                rows += [dict(response_id=rid, round_id=round_id, item=i, value=rng.randrange(6)) for i in ITEMS]
            c.execute(insert(responses), heads)
            c.execute(insert(answers), rows)
    db.recount()  # the counts a submit keeps, for rows loaded in bulk
    filler = db.find_by_results_code(created.results_code).id
    with db.transaction() as c:  # many more (small) rounds, as in a database that serves many organisations
        start = c.execute(select(func.max(rounds.c.id))).scalar_one() + 1
        c.execute(
            insert(rounds),
            [
                dict(id=start + k, assessment_id=filler, number=2 + k, label="R", status="closed", created_at=now)
                for k in range(filler_rounds)
            ],
        )
        c.execute(
            insert(response_counts),
            [dict(round_id=start + k, side=side, n=1) for k in range(filler_rounds) for side in ("it", "marketing")],
        )
        c.execute(
            insert(answer_counts),
            [
                dict(round_id=start + k, side=side, item=item, value=value, n=1)
                for k in range(filler_rounds)
                for side in ("it", "marketing")
                for item in ITEMS
                for value in range(6)
            ],
        )
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        postgresql = c.dialect.name == "postgresql"
        if postgresql:  # maintenance, not a page: no 4 s budget on a busy machine
            c.execute(text("SET statement_timeout = 0"))
        c.execute(text("ANALYZE"))
        if postgresql:
            c.execute(text("RESET statement_timeout"))
    return round_ids[0]


def explain(db: Database, statement) -> str:
    """The engine's plan for a statement, as text."""
    sql = str(statement.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as c:
        if db.engine.dialect.name == "sqlite":
            return "\n".join(row[-1] for row in c.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        return "\n".join(row[0] for row in c.execute(text(f"EXPLAIN {sql}")))


def assert_reads_one_round_through_indexes(db: Database, plan: str) -> None:
    if db.engine.dialect.name == "sqlite":
        # SQLite's plan names every table access: SEARCH (through an index) or SCAN (all rows).
        assert "SCAN " not in plan.replace("SCAN CONSTANT", ""), plan
    else:
        assert "Seq Scan" not in plan, plan


@pytest.mark.slow  # seeds other organisations' rounds to read the plans
def test_a_rounds_counts_read_that_round_only_through_indexes(database):
    target = seed(database, organisations=4, per_organisation=1500, target=40)
    database.set_round_open(target, False)  # an open link's round shows its answers once closed
    by_side, by_value = round_count_queries(target)
    side_plan, value_plan = explain(database, by_side), explain(database, by_value)
    assert_reads_one_round_through_indexes(database, side_plan)
    assert_reads_one_round_through_indexes(database, value_plan)
    assert "answer_counts" in value_plan and "response_counts" in side_plan, (side_plan, value_plan)
    counts = database.round_counts(target)
    assert sum(counts.sides.values()) == 40
    assert sum(n for (_, item, _), n in counts.values.items() if item == ITEMS[0]) == 40


def test_migrations_of_several_databases_at_once_in_one_process(tmp_path):
    """Alembic keeps the running migration in module globals: the app's background migration and another
    one (another DATABASE_URL, a test's fixture) must not run into each other."""
    import threading

    databases = [Database(f"sqlite:///{tmp_path / f'{n}.db'}") for n in range(8)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(databases))

    def migrate(db: Database) -> None:
        barrier.wait()
        try:
            db.migrate()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=migrate, args=(db,)) for db in databases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for db in databases:
        assert drift(db) == []
        db.dispose()


def test_downgrading_to_0003_keeps_every_assessment_and_answer(database):
    """0004's columns are dropped in place: a batch copy of `assessments` or `responses` on SQLite would
    cascade to every round, response and answer."""
    from sqlalchemy import func, select

    from alignment.org.rounds import NewAssessment
    from storage.schema import answers, assessments, responses, rounds
    from tests.storage.migrating import downgrade

    created = database.create_assessment(NewAssessment("Keep", "R1", "en", 2))
    assessment = database.find_by_results_code(created.results_code)
    rnd = database.current_round(assessment.id)
    for n in range(3):
        database.submit(rnd.id, str(uuid.uuid4()), f"keep{n}" + "k" * 20, "it", {"alignment_needed": 4})
    downgrade(database, "0003")
    with database.engine.connect() as c:
        kept = [c.execute(select(func.count()).select_from(t)).scalar_one() for t in (assessments, rounds, responses)]
        assert kept == [1, 1, 3]
        assert c.execute(select(func.count()).select_from(answers)).scalar_one() == 3
    database.migrate()  # and up again: ranked and reported anew (an open link's open round: nothing yet)
    counts = database.round_counts(rnd.id)
    assert counts.sides == {"it": 3} and counts.reported == {"it": 0}
    database.set_round_open(rnd.id, False)
    assert database.round_counts(rnd.id).reported == {"it": 3}
