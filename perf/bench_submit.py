"""Submit throughput on PostgreSQL: Database.submit() with 20 concurrent writers beside pgbench running the
same SQL statements.

Run: python perf/bench_submit.py [--runs 30] [--each 10] [--writers 20]

One assessment (minimum group size 5) on a fresh PostgreSQL schema. The SQL one submit sends is captured
from the engine (SQLAlchemy's before_cursor_execute, parameters rendered by psycopg as the server sees
them; an executemany's rows in one pipeline, as psycopg sends them), and written as a pgbench script: BEGIN, the same
statements in the same order, COMMIT, the response id and key digest made unique per transaction from a
random number (`\\set n random(...)`). A run is `writers` threads submitting `each` new complete responses
(10 statements and 6 context answers) through the app's Database (its pool, its checks, its
transaction), timed from a barrier to the last commit; then pgbench (/usr/bin/pgbench, extended protocol as psycopg,
`writers` clients, 2 threads, `each` transactions per client), its tps without the initial connection
time. Runs alternate (A B, then B A) after one warm-up of each. Counts are checked against a recount at the
end. Prints the SQL, the medians with their spread (p10-p90), the pairwise ratios, the load average and, as
its last line, the ratio of the medians. PostgreSQL: TEST_POSTGRES_URL or
postgresql+psycopg://postgres@127.0.0.1:5432/test (a schema is made for the run and dropped).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from alignment.core.context import context_questions  # noqa: E402
from alignment.core.questionnaire import load_questionnaire  # noqa: E402
from alignment.org.rounds import NewAssessment  # noqa: E402
from storage import Database  # noqa: E402

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PGBENCH = shutil.which("pgbench") or "/usr/bin/pgbench"


def values() -> dict[str, int]:
    """A complete response: the ten statements and the six context questions."""
    q = load_questionnaire()
    answers = dict.fromkeys(q.item_ids, 4)
    answers |= {c.key: c.codes[0] for c in context_questions()}
    return answers


def capture_submit(db: Database, round_id: int) -> tuple[list[list[str]], str, str]:
    """The SQL statements one submit sends, rendered with their values, grouped by call (an executemany's
    rows are one group: psycopg sends them in one pipeline); and that submit's response id and key digest
    (to be replaced by per-transaction values in the pgbench script)."""
    statements: list[list[str]] = []

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:
        raw = conn.connection.dbapi_connection
        render = psycopg.ClientCursor(raw)
        statements.append([render.mogrify(statement, p) for p in (parameters if executemany else [parameters])])

    event.listen(db.engine, "before_cursor_execute", keep)
    rid, key = str(uuid.uuid4()), secrets.token_urlsafe(24)
    try:
        db.submit(round_id, rid, key, "it", values())
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    from storage.write_path import key_digest

    return statements, rid, key_digest(round_id, key)


def pgbench_script(statements: list[list[str]], rid: str, digest: str) -> str:
    """BEGIN, the statements (a pool's connection check, if any, left out), COMMIT; unique id and digest;
    an executemany's statements in one pipeline, as psycopg sends them."""
    body = []
    for group in statements:
        if len(group) == 1 and re.fullmatch(r"\s*select 1\s*;?\s*", group[0], re.IGNORECASE):
            continue  # the pool's pre-ping: the app's own overhead, not the submit's SQL
        lines = []
        for sql in group:
            sql = sql.replace(f"'{rid}'", "('bench-' || :n)").replace(f"'{digest}'", "('digest-' || :n)")
            lines.append(" ".join(sql.split()) + ";")
        body += ["\\startpipeline", *lines, "\\endpipeline"] if len(lines) > 1 else lines
    return "\\set n random(1, 1000000000000)\nBEGIN;\n" + "\n".join(body) + "\nCOMMIT;\n"


def submit_run(db: Database, round_id: int, writers: int, each: int) -> float:
    """`writers` threads each submitting `each` new responses; submits per second."""
    answers = values()
    barrier = threading.Barrier(writers + 1)
    failures: list[BaseException] = []

    def write() -> None:
        barrier.wait()
        try:
            for _ in range(each):
                db.submit(round_id, str(uuid.uuid4()), secrets.token_urlsafe(24), "it", answers)
        except BaseException as error:  # reported after the run
            failures.append(error)

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"{len(failures)} writers failed: {failures[0]!r}")
    return writers * each / elapsed


def pgbench_run(script: Path, schema: str, writers: int, each: int) -> float:
    url = make_url(POSTGRES_URL)
    env = {**os.environ, "PGOPTIONS": f"-csearch_path={schema}"}
    command = [PGBENCH, "-n", "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432)]
    command += ["-U", url.username or "postgres", "-c", str(writers), "-j", "2", "-M", "extended"]
    command += ["-t", str(each), "-f", str(script)]
    command.append(url.database or "test")
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=True).stdout
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out)
    failed = re.search(r"number of failed transactions: (\d+)", out)
    if tps is None or (failed and int(failed.group(1))):
        raise RuntimeError(f"pgbench: {out}")
    return float(tps.group(1))


def counts_table(db: Database, round_id: int) -> dict:
    """The round's kept counts (n, not what is reported at the last step)."""
    from sqlalchemy import text

    with db.engine.connect() as c:
        sides = c.execute(text("SELECT side, n FROM response_counts WHERE round_id = :r"), {"r": round_id}).all()
        items = c.execute(
            text("SELECT side, item, value, n FROM answer_counts WHERE round_id = :r"), {"r": round_id}
        ).all()
    return {("side", s): n for s, n in sides} | {("item", s, i, v): n for s, i, v, n in items}


def spread(values_: list[float], fmt: str = "{:.0f}") -> str:
    d = statistics.quantiles(values_, n=10)
    return f"median {fmt.format(statistics.median(values_))}  p10-p90 {fmt.format(d[0])}-{fmt.format(d[-1])}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--each", type=int, default=10, help="submits per writer per run")
    parser.add_argument("--writers", type=int, default=20)
    args = parser.parse_args()

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    dsn = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        # A generous budget: on a loaded shared machine a queued writer may wait past the app's 4 s.
        db = Database(f"{POSTGRES_URL}?options=-csearch_path%3D{schema}", timeout=60)
        db.migrate()
        created = db.create_assessment(NewAssessment("Submit bench", "R1", "en", 5))
        round_id = db.current_round(db.find_by_respondent_code(created.respondent_code).id).id
        statements, rid, digest = capture_submit(db, round_id)
        script_text = pgbench_script(statements, rid, digest)
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "submit.sql"
            script.write_text(script_text, encoding="utf-8")
            load_before = os.getloadavg()
            submit_run(db, round_id, args.writers, args.each)  # warm-up: pool, compiled statements
            pgbench_run(script, schema, args.writers, args.each)
            ours, theirs = [], []
            for i in range(args.runs):
                runs = [("app", lambda: submit_run(db, round_id, args.writers, args.each), ours)]
                runs.append(("pgbench", lambda: pgbench_run(script, schema, args.writers, args.each), theirs))
                for _, run, samples in runs if i % 2 == 0 else runs[::-1]:
                    samples.append(run())
            load_after = os.getloadavg()
        kept = counts_table(db, round_id)
        db.recount(round_id)
        if kept != counts_table(db, round_id):
            raise RuntimeError("the counts kept by the submits differ from a recount")
        counted = sum(n for (kind, *_), n in kept.items() if kind == "side")
        db.dispose()
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')

    sent = sum(len(g) for g in statements)
    print(f"The SQL of one submit ({sent} statements in {len(statements)} calls), as pgbench runs it:")
    print("    " + script_text.strip().replace("\n", "\n    "))
    print(
        f"Submit throughput, PostgreSQL, {args.writers} writers x {args.each} submits per run, {args.runs} runs "
        f"alternating after a warm-up; Python {sys.version.split()[0]}"
    )
    print(
        f"load average (1, 5, 15 min): before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}"
    )
    print(f"counts kept by the submits equal a recount: {counted} responses (app and pgbench)")
    print(f"Database.submit(), submits/s             {spread(ours)}")
    print(f"pgbench, same statements, transactions/s {spread(theirs)}")
    print(f"pairwise ratio app / pgbench: {spread([a / b for a, b in zip(ours, theirs, strict=True)], '{:.2f}')}")
    print(
        f"submit throughput, postgresql 20 writers / pgbench same statements: "
        f"{statistics.median(ours) / statistics.median(theirs):.2f}x"
    )


if __name__ == "__main__":
    main()
