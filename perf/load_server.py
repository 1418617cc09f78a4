"""Load test of the real server, without browsers: simulated respondents over Streamlit's WebSocket.

Run: python perf/load_server.py [--levels 25,50,100,200] [--engines sqlite,postgresql] [--postgresql-servers 1,2]
     [--think 0]

Each simulated respondent opens the respondent link (a WebSocket to /_stcore/stream and the protobuf
BackMsg/ForwardMsg messages that ship inside the streamlit package, as a browser would) and clicks as a
browser does (perf/clicking.py): one rerun per answer, the side, the ten statements and the six context
questions, then submit; each level N simulates N respondents. Configurations: one `streamlit
run app.py` on SQLite; one server, and two servers sharing one PostgreSQL (respondents alternate between
them). With --think S, respondents arrive within S seconds and read 0.5 to 1.5 x S seconds before each
click (the reading is not timed), so N sessions are open together as with real people; without it all N
start together and click without pause (a burst). All servers run from the start and are warmed by two
respondents each; each level is run on every configuration in turn, in the opposite order at the next
level, so that other work on the machine weighs on all alike. A respondent whose page says the database
cannot be reached fails at once (named in the output). Prints, per configuration and N: responses stored
against submissions confirmed, p50/p95 seconds from open to questionnaire and from submit to
confirmation, the servers' CPU (cores used) and peak RSS, the throughput (confirmed submissions per
second of the level's wall time), the servers' CPU-s per respondent and the cores used by this load
generator; then the largest N whose p95
submit stays under 2 s, and two servers' throughput against one's on PostgreSQL at each N. Traffic goes
to 127.0.0.1 only; every wait is bounded and the servers are stopped at the end. PostgreSQL:
TEST_POSTGRES_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test (a schema is made for the run and
dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from alignment.core.context import context_questions  # noqa: E402
from alignment.org.rounds import NewAssessment  # noqa: E402
from perf.clicking import respond  # noqa: E402
from storage import Database  # noqa: E402
from tests.servers import (  # noqa: E402
    cpu_seconds,
    memory_mb,
    postgres_schema,
    start_streamlit,
    stop,
    wait_until_healthy,
)

# Seconds any one step of a respondent may take before it counts as failed (LOAD_STEP_TIMEOUT).
STEP_TIMEOUT = float(os.environ.get("LOAD_STEP_TIMEOUT", 60))
RADIOS = 1 + 10 + len(context_questions())  # the side, the statements, the context questions: one click each


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.process.pid)

    def peak_rss_mb(self) -> float:
        return memory_mb(self.process.pid, "VmHWM")


@dataclass
class Outcome:
    open_s: float | None = None
    submit_s: float | None = None
    confirmed: bool = False
    error: str = ""
    timings: dict = field(default_factory=dict)


@contextmanager
def servers(count: int, database_url: str):
    """`count` app servers on free local ports, all on `database_url`; stopped on exit."""
    started = []
    try:
        for _ in range(count):
            started.append(Server(*start_streamlit(env={"DATABASE_URL": database_url})))
        for server in started:
            wait_until_healthy(server.process, server.port)
        yield started
    finally:
        for server in started:
            stop(server.process)


async def respondent(port: int, code: str, think: float = 0.0, seed: int = 0) -> Outcome:
    """One respondent clicking like a browser (perf/clicking.py): open, the side, the ten statements and the
    context questions one rerun each, submit. With `think` > 0 it arrives at a random moment within `think`
    seconds and reads for 0.5 to 1.5 x `think` seconds before each click (not timed)."""
    outcome = Outcome()
    rng = random.Random(seed)

    async def reads() -> None:
        await asyncio.sleep(rng.uniform(0.5, 1.5) * think)

    try:
        if think:
            await asyncio.sleep(rng.uniform(0, think))
        clicks = await respond(port, f"a={code}", "respond", RADIOS, STEP_TIMEOUT, reads if think else None)
        outcome.open_s, outcome.submit_s, outcome.confirmed = clicks.open_s, clicks.submit_s, True
    except Exception as error:  # counted and reported, never raised: a load test reports failures
        outcome.error = f"{type(error).__name__}: {error}"[:120]
    return outcome


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def stored(db: Database, round_id: int) -> int:
    return sum(db.round_counts(round_id).sides.values())


def run_level(db: Database, group: list[Server], n: int, think: float = 0.0) -> dict:
    created = db.create_assessment(NewAssessment(f"Load {n} {uuid.uuid4().hex[:6]}", "R1", "en", 1))
    assessment = db.find_by_respondent_code(created.respondent_code)
    round_id = db.current_round(assessment.id).id
    cpu_before = [s.cpu_seconds() for s in group]
    client_before = time.process_time()
    start = time.monotonic()

    async def everyone():
        return await asyncio.gather(
            *(respondent(group[k % len(group)].port, created.respondent_code, think, k) for k in range(n))
        )

    outcomes = asyncio.run(everyone())
    wall = time.monotonic() - start
    client = time.process_time() - client_before
    cpu = sum(s.cpu_seconds() - b for s, b in zip(group, cpu_before, strict=True))
    opens = [o.open_s for o in outcomes if o.open_s is not None]
    submits = [o.submit_s for o in outcomes if o.submit_s is not None]
    errors = [o.error for o in outcomes if o.error]
    return {
        "n": n,
        "confirmed": sum(o.confirmed for o in outcomes),
        "stored": stored(db, round_id),
        "open_p50": percentile(opens, 50),
        "open_p95": percentile(opens, 95),
        "submit_p50": percentile(submits, 50),
        "submit_p95": percentile(submits, 95) if len(submits) == n else float("inf"),
        "cores": cpu / wall,
        "cpu_each": cpu / n,
        "client_cores": client / wall,
        "rate": sum(o.confirmed for o in outcomes) / wall,
        "rss": max(s.peak_rss_mb() for s in group),
        "errors": errors[:3],
    }


@dataclass
class Configuration:
    name: str
    db: Database
    group: list[Server]
    rows: list[dict] = field(default_factory=list)
    stopped: bool = False  # far past the goal at some N: higher levels only take longer


def print_row(name: str, row: dict) -> None:
    print(
        f"{name:<24}{row['n']:>5}{row['confirmed']:>10}{row['stored']:>8}"
        f"{row['open_p50']:>9.2f}{row['open_p95']:>9.2f}{row['submit_p50']:>9.2f}{row['submit_p95']:>9.2f}"
        f"{row['cores']:>7.2f}{row['cpu_each']:>8.3f}{row['rss']:>9.0f}{row['rate']:>8.1f}{row['client_cores']:>8.2f}",
        flush=True,
    )
    for error in row["errors"]:
        print(f"    failed respondent: {error}", flush=True)


def run_side_by_side(configurations: list[Configuration], levels: list[int], think: float) -> None:
    """Every configuration's servers run together from the start, warmed by two respondents each; each level
    N is run on every configuration in turn, in the opposite order at the next level, so that whatever else
    the machine does weighs on all of them alike."""
    for configuration in configurations:
        run_level(configuration.db, configuration.group, 2 * len(configuration.group))  # imports, migration
    for k, n in enumerate(levels):
        for configuration in configurations if k % 2 == 0 else configurations[::-1]:
            if configuration.stopped:
                continue
            row = run_level(configuration.db, configuration.group, n, think)
            configuration.rows.append(row)
            print_row(configuration.name, row)
            configuration.stopped = row["submit_p95"] > 2 * 4


def largest_under(rows: list[dict], seconds: float = 2.0) -> int:
    ok = [r["n"] for r in rows if r["submit_p95"] <= seconds and r["stored"] == r["confirmed"] == r["n"]]
    return max(ok, default=0)


def start_configuration(stack: ExitStack, name: str, url: str, count: int) -> Configuration:
    """`count` servers on `url` (stopped when the stack closes) and a Database to count what they store."""
    db = Database(url)
    db.migrate()
    stack.callback(db.dispose)
    return Configuration(name, db, stack.enter_context(servers(count, url)))


def main() -> None:
    # Stopped from outside (timeout, kill): unwind, so the servers are stopped and the schema dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--levels", default="25,50,100,200", help="comma-separated numbers of respondents")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument(
        "--postgresql-servers", default="1,2", help="app servers sharing PostgreSQL, one configuration each"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds: respondents arrive within this time and read 0.5-1.5x it before each click "
        "(0: all start together and click at once)",
    )
    args = parser.parse_args()
    print("load average (1, 5, 15 min): " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"think time {args.think:g} s" if args.think else "no think time: every respondent starts at once")
    levels = [int(n) for n in args.levels.split(",")]
    servers_on_postgresql = [int(n) for n in args.postgresql_servers.split(",")]
    if not set(servers_on_postgresql) <= {1, 2}:
        parser.error("--postgresql-servers: 1, 2 or 1,2")
    print(
        f"{'configuration':<24}{'N':>5}{'confirmed':>10}{'stored':>8}{'open50':>9}{'open95':>9}"
        f"{'submit50':>9}{'submit95':>9}{'cores':>7}{'CPU-s':>8}{'RSS MB':>9}{'done/s':>8}{'client':>8}"
    )
    with ExitStack() as stack:
        configurations = []
        if "sqlite" in args.engines:
            url = f"sqlite:///{stack.enter_context(tempfile.TemporaryDirectory())}/load.db"
            configurations.append(start_configuration(stack, "one server, SQLite", url, 1))
        if "postgresql" in args.engines:
            url = stack.enter_context(postgres_schema("load"))
            for count in servers_on_postgresql:
                name = f"{'one' if count == 1 else 'two'} server{'s' if count > 1 else ''}, PostgreSQL"
                configurations.append(start_configuration(stack, name, url, count))
        run_side_by_side(configurations, levels, args.think)
    print("load average (1, 5, 15 min): " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    results = {c.name: c.rows for c in configurations}
    for name, rows in results.items():
        print(f"largest N with p95 submit <= 2 s, {name}: {largest_under(rows)}")
    one, two = results.get("one server, PostgreSQL"), results.get("two servers, PostgreSQL")
    if one and two:
        for a, b in zip(one, two, strict=False):
            print(
                f"two servers / one server on PostgreSQL, {a['n']} respondents: throughput "
                f"{b['rate']:.1f} / {a['rate']:.1f} responses/s = {b['rate'] / a['rate']:.2f}x, "
                f"p95 submit {b['submit_p95']:.2f} / {a['submit_p95']:.2f} s"
            )


if __name__ == "__main__":
    main()
