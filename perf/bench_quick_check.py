"""Quick-check performance: PDF build time, and the results page's rerun time beside a bare page.

Run: python perf/bench_quick_check.py [--runs N]
Prints medians and 90th percentiles in milliseconds; it asserts nothing (figures, not tests).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from alignment.comparison import compare  # noqa: E402
from alignment.i18n import translator  # noqa: E402
from alignment.questionnaire import Profile, Submission, load_questionnaire  # noqa: E402
from alignment.report import build_pdf  # noqa: E402
from alignment.share import encode  # noqa: E402
from benchmark import figures_by_item  # noqa: E402

BARE_PAGE = """
import streamlit as st
st.sidebar.radio("Language", ["fr", "en"], key="lang")
st.title("Bare page")
st.download_button("Download", data=b"%PDF-1.4", file_name="x.pdf")
st.button("Edit", key="edit")
"""


def timed(fn, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def line(name: str, samples: list[float]) -> str:
    p90 = statistics.quantiles(samples, n=10)[-1] if len(samples) >= 10 else max(samples)
    return f"{name:<48} median {statistics.median(samples):8.1f} ms   p90 {p90:8.1f} ms   (n={len(samples)})"


def submission() -> Submission:
    q = load_questionnaire()
    answers = dict(zip(q.item_ids, [5, 4, 2, 3, 1, 4, 5, 0, 2, 4], strict=True))
    return Submission("marketing", answers, Profile("retail", "", "FR", "", "1b_10b"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    q, sub = load_questionnaire(), submission()
    summary = compare(sub, q, figures_by_item())

    print(f"Quick-check benchmark, {runs} runs each, Python {sys.version.split()[0]}")
    for lang in ("fr", "en"):
        t = translator(lang)
        build_pdf(summary, sub, q, t, date.today())  # fonts registered, caches warm
        print(line(f"PDF build ({lang})", timed(lambda t=t: build_pdf(summary, sub, q, t, date.today()), runs)))

    results = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    results.query_params.update(encode(sub))
    results.switch_page("pages/results.py")
    results.run()
    assert not results.exception and results.get("plotly_chart"), "the results page did not render"
    widgets = len(results.radio) + len(results.button) + len(results.get("download_button"))
    bare = AppTest.from_string(BARE_PAGE, default_timeout=60).run()
    bare_widgets = len(bare.radio) + len(bare.button) + len(bare.get("download_button"))
    print(line(f"results page rerun ({widgets} widgets, chart, PDF cached)", timed(results.run, runs)))
    print(line(f"bare Streamlit page rerun ({bare_widgets} widgets)", timed(bare.run, runs)))


if __name__ == "__main__":
    main()
