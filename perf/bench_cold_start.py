"""Cold start: from `streamlit run` to the questionnaire drawn in Chromium, beside a one-radio hello page.

Run: python perf/bench_cold_start.py [--runs 30] [--warmup 1]
Each run starts a fresh server process and a fresh browser page, and times until the first radio is
visible (the questionnaire's submit button, for the app: the script has run to its end). The hello page
runs with the app's own .streamlit/config.toml (copied beside it), so only the page differs. The two
alternate, in turn first (A B, then B A), so both see the same machine load and neither always starts
right after the other; one warm-up run of each (page cache, Chromium, Python's bytecode) is not counted.
A fresh server's first session is the app's real first visitor: it includes Streamlit's legacy pages/
check (ui.session.leave_legacy_pages_mode), as it would for a user. Prints medians with their spread
(p10-p90), the pairwise ratios, the load average, and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
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


def spread(values: list[float]) -> str:
    d = statistics.quantiles(values, n=10) if len(values) > 1 else [values[0]] * 9
    return f"median {statistics.median(values) * 1000:6.0f} ms  p10-p90 {d[0] * 1000:.0f}-{d[-1] * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args()
    app, hello = [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        hello_script = Path(tmp) / "hello.py"
        hello_script.write_text(HELLO, encoding="utf-8")
        (Path(tmp) / ".streamlit").mkdir()
        shutil.copy(ROOT / ".streamlit" / "config.toml", Path(tmp) / ".streamlit" / "config.toml")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = [
            (lambda: cold_start(ROOT / "app.py", 'button:has-text("See my results")', browser, ROOT), app),
            (lambda: cold_start(hello_script, '[data-testid="stRadio"]', browser, Path(tmp)), hello),
        ]
        for _ in range(args.warmup):
            for run, _samples in pages:
                run()
        load_before = os.getloadavg()
        for i in range(args.runs):
            for run, samples in pages if i % 2 == 0 else pages[::-1]:
                samples.append(run())
        load_after = os.getloadavg()
        browser.close()
    a, h = statistics.median(app), statistics.median(hello)
    pairs = sorted(x / y for x, y in zip(app, hello, strict=True))
    d = statistics.quantiles(pairs, n=10) if len(pairs) > 1 else pairs * 9
    print(f"cold start to first page drawn, {args.runs} alternating runs after {args.warmup} warm-up each")
    print(
        f"load average (1, 5, 15 min): before {' '.join(f'{x:.2f}' for x in load_before)}, "
        f"after {' '.join(f'{x:.2f}' for x in load_after)}"
    )
    print(f"questionnaire (app.py)                    {spread(app)}")
    print(f"one-radio page, the app's config          {spread(hello)}")
    print(f"pairwise ratio: median {statistics.median(pairs):.2f}  p10-p90 {d[0]:.2f}-{d[-1]:.2f}")
    print(f"cold start questionnaire / hello page: {a / h:.2f}x")


if __name__ == "__main__":
    main()
