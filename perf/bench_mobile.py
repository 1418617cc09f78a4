"""The questionnaire on a phone beside a desktop: time to answer by taps, and page weight.

Run: python perf/bench_mobile.py [--runs N]
Starts the app (its own SQLite file in a temporary folder) and Debian's Chromium, then for each page (the
quick check, and an organisation's respondent page on an open assessment) and each profile (a phone:
390 x 844, touch, device scale 3; a desktop: 1280 x 900, mouse), alternating so both see the same
machine load, in a fresh browser context each time (nothing cached, a new respondent):

- open: from navigation to the submit button drawn;
- answer: from the first tap (click on the desktop) to the results page or the thanks message, choosing
  the side and the ten statements as a respondent does, each option seen selected before the next;
- weight of the questionnaire page: bytes received from navigation until the form is drawn and the
  network is idle, from Chromium's DevTools Network events: HTTP (encodedDataLength of every response,
  headers included, as sent over the wire) and WebSocket frames (Streamlit's page content). Streamlit
  serves its static bundles uncompressed (it leaves that to a reverse proxy), so the same responses
  gzipped (level 6, as a proxy would) are printed beside them;
- while answering: the WebSocket bytes of every rerun, and the HTTP bytes (the results page's script
  bundles, for the quick check), until the results page or the thanks message shows.

Prints the medians of N runs, phone beside desktop.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alignment.org.rounds import NewAssessment  # noqa: E402
from storage import Database  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

PROFILES = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 3,
    },
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
ANSWERS = [4, 5, 2, 3, 0, 4, 4, 2, 3, 5]  # option values, as the radios' inputs carry them
SIDE = "marketing"


@dataclass
class Weight:
    """Bytes received, counted from CDP Network events."""

    http: int = 0
    ws: int = 0
    ws_frames: int = 0
    requests: set[str] = field(default_factory=set)

    def attach(self, cdp) -> None:
        cdp.send("Network.enable")
        cdp.on("Network.loadingFinished", lambda e: self._http(e))
        cdp.on("Network.webSocketFrameReceived", lambda e: self._frame(e["response"]))

    def _http(self, event: dict) -> None:
        self.http += int(event.get("encodedDataLength", 0))
        self.requests.add(event["requestId"])

    def _frame(self, frame: dict) -> None:
        data = frame.get("payloadData", "")
        # opcode 2: binary (Streamlit's protobuf), given base64-encoded
        self.ws += len(base64.b64decode(data)) if frame.get("opcode") == 2 else len(data.encode())
        self.ws_frames += 1


@dataclass
class Run:
    open_s: float
    answer_s: float
    http_open: int
    http_open_gzip: int
    ws_open: int
    http_answer: int
    ws_answer: int
    requests_open: int


def body(response) -> bytes:
    try:
        return response.body()
    except Exception:  # a redirect or an aborted request has no body
        return b""


def header_bytes(response) -> int:
    return sum(len(k) + len(v) + 4 for k, v in response.headers.items())


def one_run(browser, url: str, profile: str, done_text: str) -> Run:
    context = browser.new_context(locale="en-US", **PROFILES[profile])
    page = context.new_page()
    weight = Weight()
    weight.attach(context.new_cdp_session(page))
    responses = []
    page.on("response", lambda response: responses.append(response))
    act = "tap" if profile == "phone" else "click"

    start = time.perf_counter()
    page.goto(url)
    radios = page.locator('.st-key-questionnaire-form [data-testid="stRadio"]:visible')
    submit = page.locator('.st-key-questionnaire-form [data-testid="stButton"] button')
    expect(submit).to_be_visible(timeout=60_000)
    expect(radios).to_have_count(1, timeout=60_000)  # the side: the statements are drawn once it is chosen
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=60_000)
    opened = time.perf_counter()
    page.wait_for_load_state("networkidle", timeout=60_000)  # lazily loaded bundles counted with the page
    http_open, ws_open, requests_open = weight.http, weight.ws, len(weight.requests)
    http_open_gzip = sum(len(gzip.compress(body(r), 6)) + header_bytes(r) for r in list(responses))

    def choose(group, value: str) -> None:
        option = group.locator(f'[data-testid="stRadioOption"]:has(input[value="{value}"])')
        getattr(option, act)()
        expect(option.locator("input")).to_be_checked()

    begin = time.perf_counter()
    choose(radios.nth(0), "1")  # the side's options are indexed: marketing is the second
    expect(radios).to_have_count(11, timeout=60_000)
    for n, value in enumerate(ANSWERS, start=1):
        choose(radios.nth(n), str(value))
    expect(page.locator('[data-testid="stProgress"]')).to_contain_text("10 of 10", timeout=60_000)
    getattr(submit, act)()
    expect(page.get_by_text(done_text).first).to_be_visible(timeout=60_000)
    answered = time.perf_counter()
    run = Run(
        open_s=opened - start,
        answer_s=answered - begin,
        http_open=http_open,
        http_open_gzip=http_open_gzip,
        ws_open=ws_open,
        http_answer=weight.http - http_open,
        ws_answer=weight.ws - ws_open,
        requests_open=requests_open,
    )
    context.close()
    return run


def median(runs: list[Run], attr: str) -> float:
    return statistics.median(getattr(r, attr) for r in runs)


def report(name: str, results: dict[str, list[Run]]) -> None:
    phone, desktop = results["phone"], results["desktop"]
    print(f"\n{name}: median of {len(phone)} runs each, phone (390 px, taps) | desktop (1280 px, clicks)")
    rows = [
        ("open, to the form drawn", "open_s", 1000, "ms"),
        ("answer side + 10 statements and submit", "answer_s", 1000, "ms"),
        ("page: HTTP received, as served", "http_open", 1 / 1024, "kB"),
        ("page: the same, gzipped by a proxy", "http_open_gzip", 1 / 1024, "kB"),
        ("page: WebSocket received", "ws_open", 1 / 1024, "kB"),
        ("page: HTTP requests", "requests_open", 1, ""),
        ("answering: WebSocket received", "ws_answer", 1 / 1024, "kB"),
        ("answering: HTTP received (next page)", "http_answer", 1 / 1024, "kB"),
    ]
    for label, attr, scale, unit in rows:
        p, d = median(phone, attr) * scale, median(desktop, attr) * scale
        ratio = f"{p / d:5.2f}x" if d else "    -"
        print(f"  {label:<40} {p:9.0f} {unit:<2} | {d:9.0f} {unit:<2}  phone/desktop {ratio}")
    total = {k: (median(v, "http_open") + median(v, "ws_open")) / 1024 for k, v in results.items()}
    print(f"  {'page weight (HTTP + WebSocket)':<40} {total['phone']:9.0f} kB | {total['desktop']:9.0f} kB")
    print(f"  answer times, phone (ms):   {[round(r.answer_s * 1000) for r in phone]}")
    print(f"  answer times, desktop (ms): {[round(r.answer_s * 1000) for r in desktop]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        db = Database(db_url)
        db.migrate()
        created = db.create_assessment(NewAssessment("Bench", "R1", "en", 1))
        db.dispose()
        pages = {
            "quick check (/)": ("/", "Your results against the survey"),
            "respondent page (/respond)": (f"/respond?a={created.respondent_code}", "Thank you"),
        }
        with streamlit_server({"DATABASE_URL": db_url}) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, (path, done) in pages.items():
                one_run(browser, url + path, "desktop", done)  # warm the server (imports, caches): not counted
                results: dict[str, list[Run]] = {"phone": [], "desktop": []}
                for _ in range(runs):
                    for profile in ("phone", "desktop"):
                        results[profile].append(one_run(browser, url + path, profile, done))
                report(name, results)
            browser.close()


if __name__ == "__main__":
    main()
