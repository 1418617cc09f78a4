"""Server CPU of one room view refreshing itself every 5 s while 30 respondents submit.

Run: python perf/room_load.py [--respondents 30] [--repeats 3] [--idle 15] [--window 60]

One `streamlit run app.py` on a fresh SQLite file. Per repeat, on a new assessment (minimum group size 5):
1. the room view open in headless Chromium (1920×1080), nothing else: the server's CPU over `--idle` s;
2. the room view open while N respondents (perf/load_server.py's WebSocket respondents) open the link,
   answer and submit, one starting every second as in a room: CPU over the time they take;
3. the same N respondents with no room view open (on another new assessment): the respondents' own cost.
(2) and (3) are measured over the same window (60 s from the first respondent). Prints each repeat and the
medians, in cores (CPU seconds per second of wall time); the room view's share under load is (2) − (3).
Goal: the room view under half a core. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from alignment.org.rounds import NewAssessment  # noqa: E402
from perf.load_server import HOST, respondent, servers  # noqa: E402
from storage import Database  # noqa: E402
from tests.servers import run_async  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def cores(server, seconds: float, work=None, *args):
    """Cores the server used over a window of `seconds` (longer if `work(*args)` takes longer), in which
    `work(*args)` runs from the start; and what it returned. A fixed window makes runs comparable."""
    before, start = server.cpu_seconds(), time.monotonic()
    result = work(*args) if work is not None else None
    time.sleep(max(0.0, seconds - (time.monotonic() - start)))
    return (server.cpu_seconds() - before) / (time.monotonic() - start), result


def respondents(port: int, code: str, n: int) -> list:
    async def one(k: int):
        await asyncio.sleep(k)  # one new respondent a second, as people in a room pick up their phones
        return await respondent(port, code)

    async def everyone():
        return await asyncio.gather(*(one(k) for k in range(n)))

    return run_async(everyone())  # Playwright's sync API keeps an event loop running in this thread


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped from outside: the server is stopped too
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--idle", type=float, default=15, help="seconds of the room view alone")
    parser.add_argument("--window", type=float, default=60, help="seconds measured from the first respondent")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        url = f"sqlite:///{tmp}/room.db"
        db = Database(url)
        db.migrate()
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        with servers(1, url) as (server,):
            base = f"http://{HOST}:{server.port}"
            print(
                f"{'repeat':<8}{'room idle':>11}{'room + N':>11}{'N alone':>11}{'room share':>12}"
                f"{'confirmed':>11}{'stored':>8}"
            )
            for repeat in range(1, args.repeats + 1):
                created = db.create_assessment(NewAssessment(f"Room load {repeat}", "R", "en", 5))
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                key, _ = db.new_room_key(created.assessment_id)  # the room view's own key (issue 16)
                page.goto(f"{base}/room?v={key}")
                page.wait_for_selector(".room-side", timeout=60_000)
                code = page.locator(".room-code").get_attribute("data-join-code")
                idle, _ = cores(server, args.idle)
                loaded, outcomes = cores(server, args.window, respondents, server.port, code, args.respondents)
                confirmed = sum(o.confirmed for o in outcomes)
                stored = sum(db.round_counts(db.current_round(created.assessment_id).id).sides.values())
                expect(page.locator('.room-side[data-side="it"]')).to_have_attribute(
                    "data-count", str(stored), timeout=30_000
                )  # the room view kept up with what was stored
                page.close()
                n = args.respondents
                other = db.create_assessment(NewAssessment(f"No room {repeat}", "R", "en", 5))
                alone, others = cores(server, args.window, respondents, server.port, other.respondent_code, n)
                rows.append((idle, loaded, alone, loaded - alone))
                for failed in [o.error for o in [*outcomes, *others] if o.error][:3]:
                    print(f"    failed respondent: {failed}", flush=True)
                print(
                    f"{repeat:<8}{idle:>11.3f}{loaded:>11.3f}{alone:>11.3f}{loaded - alone:>12.3f}"
                    f"{confirmed:>8}/{args.respondents}{stored:>8}",
                    flush=True,
                )
        browser.close()
        db.dispose()
    medians = [statistics.median(column) for column in zip(*rows, strict=True)]
    print(
        f"{'median':<8}{medians[0]:>11.3f}{medians[1]:>11.3f}{medians[2]:>11.3f}{medians[3]:>12.3f}"
        f"   (cores; goal: room view under 0.5)"
    )


if __name__ == "__main__":
    main()
