"""Organisation results at scale, on SQLite and PostgreSQL, and concurrent submission throughput.

Run: python perf/bench_organisation.py [--total 100000] [--target 10000] [--runs 5]
Stores `total` submitted responses (ten answers each) spread over 10 assessments, `target` of them in
one; times computing that assessment's results (SQL counts + shares + intervals + gaps); then times
200 submissions by 20 concurrent writers. Prints figures side by side; asserts nothing.
PostgreSQL: TEST_POSTGRES_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test (a schema is made
for the run and dropped).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from alignment.core.questionnaire import load_questionnaire  # noqa: E402
from alignment.org.rounds import NewAssessment, gaps, round_results  # noqa: E402
from benchmark import figures_by_item  # noqa: E402
from storage import Database, hash_code  # noqa: E402
from storage.gateway import round_count_queries  # noqa: E402
from storage.schema import answers, responses  # noqa: E402

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SIDES = ("it", "marketing", "digital", "other")


def seed(db: Database, total: int, target: int) -> int:
    """Bulk-load submitted responses; return the target round id."""
    q = load_questionnaire()
    rounds = []
    for n in range(10):
        created = db.create_assessment(NewAssessment(f"Org {n}", "2026 Q4", "en", 5))
        rounds.append(db.current_round(db.find_by_results_code(created.results_code).id).id)
    per_other = (total - target) // 9
    plan = [(rounds[0], target)] + [(r, per_other) for r in rounds[1:]]
    rng = random.Random(7)
    now = datetime.now(UTC)
    with db.transaction() as c:
        for round_id, count in plan:
            for start in range(0, count, 2000):
                batch = range(start, min(start + 2000, count))
                heads, rows = [], []
                for _ in batch:
                    rid = str(uuid.uuid4())
                    heads.append(
                        dict(
                            id=rid,
                            round_id=round_id,
                            side=rng.choice(SIDES),
                            status="submitted",
                            resume_code_hash=hash_code(rid),
                            created_at=now,
                            updated_at=now,
                            submitted_at=now,
                        )
                    )
                    rows += [
                        dict(response_id=rid, round_id=round_id, item=i, value=rng.choice((0, 1, 2, 3, 4, 5)))
                        for i in q.item_ids
                    ]
                c.execute(insert(responses), heads)
                c.execute(insert(answers), rows)
    db.recount()  # the counts Database.submit keeps, for responses loaded in bulk
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("ANALYZE"))  # what autovacuum would do after a bulk load
    return rounds[0]


def plan(db: Database, round_id: int) -> str:
    """The engine's plans for one round's counts, per side and per (side, item, value) (EXPLAIN, not run)."""
    plans = []
    for statement in round_count_queries(round_id):
        sql = str(statement.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
        with db.engine.connect() as c:
            if db.engine.dialect.name == "sqlite":
                plans += [row[-1] for row in c.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
            else:
                plans += [row[0] for row in c.execute(text(f"EXPLAIN {sql}"))]
    return "\n".join(plans)


def time_counts(db: Database, round_id: int, runs: int) -> list[float]:
    """Database.round_counts alone, in ms."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        db.round_counts(round_id)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def time_results(db: Database, round_id: int, runs: int) -> list[float]:
    q, figures = load_questionnaire(), figures_by_item()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        results = round_results(db.round_counts(round_id), 5, q)
        gaps(results, figures, q)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def throughput(db: Database, round_id: int, writers: int = 20, each: int = 10) -> float:
    q = load_questionnaire()
    barrier = threading.Barrier(writers)
    before = sum(db.round_counts(round_id).sides.values())

    def write(w: int) -> None:
        barrier.wait()
        for _ in range(each):
            rid = str(uuid.uuid4())
            db.submit(round_id, rid, rid, SIDES[w % 2], dict.fromkeys(q.item_ids, 4))

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    stored = sum(db.round_counts(round_id).sides.values())
    if stored != before + writers * each:
        raise RuntimeError(f"expected {before + writers * each} responses, found {stored}")
    return writers * each / elapsed


def run(name: str, url: str, args) -> tuple[str, list[float], float, float, list[float]]:
    db = Database(url)
    db.migrate()
    start = time.perf_counter()
    round_id = seed(db, args.total, args.target)
    load = time.perf_counter() - start
    print(f"{name} plan of one round's counts ({args.target:,} responses among {args.total:,}):")
    print("    " + plan(db, round_id).replace("\n", "\n    "))
    counts = time_counts(db, round_id, args.runs)
    samples = time_results(db, round_id, args.runs)
    rate = throughput(db, round_id)
    db.dispose()
    return name, samples, rate, load, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--target", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(run("SQLite", f"sqlite:///{tmp}/bench.db", args))
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    dsn = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.OperationalError as error:
        print(f"PostgreSQL not reachable ({error}); SQLite only.")
    else:
        try:
            rows.append(run("PostgreSQL", f"{POSTGRES_URL}?options=-csearch_path%3D{schema}", args))
        finally:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    print(
        f"Organisation results: {args.target:,} responses of one assessment among {args.total:,} stored "
        f"(10 answers each); median of {args.runs} runs"
    )
    print(
        f"{'engine':<12}{'counts (ms)':>13}{'results (ms)':>14}{'min (ms)':>10}"
        f"{'20 writers (responses/s)':>27}{'bulk load (s)':>15}"
    )
    for name, samples, rate, load, counts in rows:
        print(
            f"{name:<12}{statistics.median(counts):>13.1f}{statistics.median(samples):>14.1f}{min(samples):>10.1f}"
            f"{rate:>27.0f}{load:>15.1f}"
        )


if __name__ == "__main__":
    main()
