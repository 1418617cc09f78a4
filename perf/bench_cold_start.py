"""Cold start: from `streamlit run` to the questionnaire drawn in Chromium, beside a one-radio hello page.

Run: python perf/bench_cold_start.py [--runs N]
Each run starts a fresh server process and a fresh browser page, and times until the first radio is
visible (the questionnaire's submit button, for the app: the script has run to its end). The app and
the hello page alternate, so both see the same machine load. Prints medians and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.servers import start_streamlit, stop  # noqa: E402

HELLO = 'import streamlit as st\nst.radio("Hello", ["a", "b"], index=None)\n'


def cold_start(script: Path, ready_selector: str, browser, cwd: Path) -> float:
    """Seconds from starting the server to `ready_selector` visible in a new page."""
    start = time.perf_counter()
    proc, port = start_streamlit(script, cwd=cwd)
    try:
        page = browser.new_page(locale="en-US")
        deadline = time.monotonic() + 60
        while True:  # the server is not listening yet: retry until it answers
            try:
                page.goto(f"http://127.0.0.1:{port}/")
                break
            except Exception:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.05)
        page.locator(ready_selector).first.wait_for(state="visible", timeout=60_000)
        elapsed = time.perf_counter() - start
        page.close()
        return elapsed
    finally:
        stop(proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    app, hello = [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        hello_script = Path(tmp) / "hello.py"
        hello_script.write_text(HELLO, encoding="utf-8")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            app.append(cold_start(ROOT / "app.py", 'button:has-text("See my results")', browser, ROOT))
            hello.append(cold_start(hello_script, '[data-testid="stRadio"]', browser, Path(tmp)))
        browser.close()
    a, h = statistics.median(app), statistics.median(hello)
    print(f"cold start to first page drawn, median of {runs} alternating runs")
    print(f"questionnaire (app.py)   {a * 1000:8.0f} ms   {[round(x * 1000) for x in app]}")
    print(f"one-radio hello page     {h * 1000:8.0f} ms   {[round(x * 1000) for x in hello]}")
    print(f"cold start questionnaire / hello page: {a / h:.2f}x")


if __name__ == "__main__":
    main()
