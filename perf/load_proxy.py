"""Load through the reverse proxy: deploy/demo.sh (nginx, two app servers, one PostgreSQL), simulated
respondents arriving within --think seconds and reading between clicks; and the page weight of a first
visit through the proxy against the same visit straight to an app server.

Run: python perf/load_proxy.py [--levels 100,200,400] [--think 10] [--app-servers 2] [--weight-only]

The respondents are perf/load_server.py's (Streamlit's WebSocket protocol, one connection each, here to
nginx's port); each level gets its own assessment. Prints, per N: confirmed, stored, p50/p95 open and
submit seconds, the app servers' CPU (cores) and peak RSS, throughput, the failures; then the page weight
(bytes on the wire, Chromium's encodedDataLength, and the bytes once decoded) of a first visit to the
respondent page, direct and proxied. PostgreSQL: TEST_POSTGRES_URL or the local test database (a schema
is made and dropped). Everything started is stopped at the end (deploy/demo.sh down).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alignment.org.rounds import NewAssessment  # noqa: E402
from perf.load_server import percentile, print_row, respondent, run_level, stored  # noqa: E402
from storage import Database  # noqa: E402
from tests.servers import cpu_seconds, memory_mb, postgres_schema  # noqa: E402


@dataclass
class Proxied:
    """What run_level needs of a 'server': the port respondents connect to (nginx's), and the app servers'
    CPU and memory (read from /proc by their pids)."""

    port: int
    pids: list[int]

    def cpu_seconds(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)

    def peak_rss_mb(self) -> float:
        return max(memory_mb(pid, "VmHWM") for pid in self.pids)


def errors_by_kind(db: Database, target: Proxied, n: int, think: float) -> None:
    """One more level of `n`, told in full: p50/p95 of the submits that were confirmed, and every failure
    counted by its kind (run_level prints the p95 of all N, infinite when any failed, and three failures)."""
    import asyncio
    import uuid
    from collections import Counter

    created = db.create_assessment(NewAssessment(f"Proxy {n} {uuid.uuid4().hex[:6]}", "R1", "en", 1))
    round_id = db.current_round(created.assessment_id).id
    cpu_before, started = target.cpu_seconds(), time.monotonic()

    async def everyone():
        return await asyncio.gather(*(respondent(target.port, created.respondent_code, think, k) for k in range(n)))

    outcomes = asyncio.run(everyone())
    wall = time.monotonic() - started
    submits = [o.submit_s for o in outcomes if o.confirmed]
    kinds = Counter(o.error.split(":", 1)[0] for o in outcomes if o.error)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"N={n}: confirmed {len(submits)}, stored {stored(db, round_id)}, submit p50 {percentile(submits, 50):.2f} s, "
        f"p95 {percentile(submits, 95):.2f} s (of the confirmed), failed {n - len(submits)}: {dict(kinds)}; "
        f"app servers {(target.cpu_seconds() - cpu_before) / wall:.2f} cores, {wall:.0f} s wall, load average {load}",
        flush=True,
    )


def demo(state: Path, command: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", str(ROOT / "deploy" / "demo.sh"), command],
        env={**os.environ, "DEMO_STATE_DIR": str(state), "PYTHON": sys.executable, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode:
        raise RuntimeError(done.stdout + done.stderr)
    return done.stdout.strip()


def page_weight(url: str) -> tuple[int, int, int]:
    """(bytes on the wire, bytes decoded, requests) of a first visit (fresh browser, empty cache) to `url`,
    until the questionnaire's first screen is drawn (the side, then its submit button, drawn last) and the
    network has been idle."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_context(locale="en-US").new_page()
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        wire: dict[str, float] = {}
        decoded: dict[str, int] = {}
        cdp.on("Network.loadingFinished", lambda e: wire.__setitem__(e["requestId"], e["encodedDataLength"]))
        cdp.on(
            "Network.dataReceived",
            lambda e: decoded.__setitem__(e["requestId"], decoded.get(e["requestId"], 0) + e["dataLength"]),
        )
        page.goto(url)
        page.locator('[data-testid="stMain"] [data-testid="stButton"] button').last.wait_for(timeout=120_000)
        page.wait_for_load_state("networkidle", timeout=120_000)
        browser.close()
    return int(sum(wire.values())), sum(decoded.values()), len(wire)


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="100,200,400")
    parser.add_argument("--think", type=float, default=10.0, help="seconds: arrival window and mean reading time")
    parser.add_argument("--app-servers", type=int, default=2)
    parser.add_argument(
        "--detailed", action="store_true", help="per level: p95 of the confirmed submits and failures by kind"
    )
    parser.add_argument("--weight-only", action="store_true", help="only the page weight, direct and proxied")
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores, shared)", flush=True)
    with tempfile.TemporaryDirectory() as folder, postgres_schema("proxy") as url:
        state = Path(folder) / "demo"
        address = demo(state, "up", {"DATABASE_URL": url, "DEMO_APP_SERVERS": str(args.app_servers)})
        try:
            proxy_port = int(address.rsplit(":", 1)[1])
            pids = [int((state / f"app-{i}.pid").read_text()) for i in range(1, args.app_servers + 1)]
            direct_port = int((state / "app-1.port").read_text())
            db = Database(url)
            created = db.create_assessment(NewAssessment("Weight", "R1", "en", 1))
            for name, port in (("direct to one app server", direct_port), ("through nginx", proxy_port)):
                wire, decoded, requests = page_weight(f"http://127.0.0.1:{port}/respond?a={created.respondent_code}")
                print(
                    f"first visit, {name}: {wire / 1e6:.2f} MB on the wire, {decoded / 1e6:.2f} MB decoded, "
                    f"{requests} requests",
                    flush=True,
                )
            if not args.weight_only:
                target = [Proxied(proxy_port, pids)]
                run_level(db, target, 4)  # warm: imports on both servers
                print(
                    f"{'through nginx, ' + str(args.app_servers) + ' servers':<24}{'N':>5}{'confirmed':>10}"
                    f"{'stored':>8}{'open50':>9}{'open95':>9}{'submit50':>9}{'submit95':>9}{'cores':>7}"
                    f"{'RSS MB':>9}{'done/s':>8}{'client':>8}",
                    flush=True,
                )
                for n in [int(n) for n in args.levels.split(",")]:
                    if args.detailed:
                        errors_by_kind(db, target[0], n, args.think)
                        continue
                    started = time.monotonic()
                    row = run_level(db, target, n, args.think)
                    print_row(f"think {args.think:g} s", row)
                    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
                    print(f"    level {n}: {time.monotonic() - started:.0f} s wall, load average {load}", flush=True)
            db.dispose()
        finally:
            print(demo(state, "down", {}), flush=True)


if __name__ == "__main__":
    main()
