"""Report and page performance: the quick-check and organisation PDFs' build times, and the results
page's rerun time beside a bare page.

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
from alignment.org_report import build_org_pdf  # noqa: E402
from alignment.organisation import Assessment, Round, RoundCounts, gaps, round_results  # noqa: E402
from alignment.questionnaire import Profile, Submission, load_questionnaire  # noqa: E402
from alignment.report import build_pdf  # noqa: E402
from alignment.share import encode  # noqa: E402
from benchmark import figures_by_item  # noqa: E402

BARE_PAGE = """
import streamlit as st
st.sidebar.radio("Language", ["fr", "en"], key="lang")
st.title("Bare page")
st.download_button("Download", data=b"%PDF-1.4", file_name="x.pdf")
st.download_button("Save", data=b"{}", file_name="x.json")
st.file_uploader("Load", type=["json"])
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


def organisation_pdf() -> bytes:
    """The full organisation report for a round of 40 responses, compared with a previous round."""
    q = load_questionnaire()
    sides = {"it": 18, "marketing": 16, "digital": 4, "other": 2}
    values = {}
    for n, (side, count) in enumerate(sides.items()):
        for i, item in enumerate(q.item_ids):
            agree = (count * (3 + (i + n) % 5)) // 8
            values[(side, item, 4)] = agree
            values[(side, item, 2)] = count - agree
    current = round_results(RoundCounts(sides, values), 5, q)
    previous = round_results(RoundCounts(sides, {k: v // 2 for k, v in values.items()} | {}), 5, q)
    assessment = Assessment("a", "Société Générale d'Exemple", "fr", 5, "banking", "", "FR", "", "gt_10b", None)
    rnd, before = Round(2, "a", 2, "2026 T4", "open", None), Round(1, "a", 1, "2026 T3", "closed", None)
    figures = figures_by_item()
    return build_org_pdf(
        assessment,
        rnd,
        current,
        gaps(current, figures, q),
        figures,
        q,
        translator("fr"),
        date.today(),
        previous,
        before,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    q, sub = load_questionnaire(), submission()
    summary = compare(sub, q, figures_by_item())

    print(f"Pages and reports, {runs} runs each, Python {sys.version.split()[0]}")
    for lang in ("fr", "en"):
        t = translator(lang)
        build_pdf(summary, sub, q, t, date.today())  # fonts registered, caches warm
        print(line(f"PDF build ({lang})", timed(lambda t=t: build_pdf(summary, sub, q, t, date.today()), runs)))

    print(line("organisation report PDF (exec summary, 10 statements)", timed(organisation_pdf, runs)))

    results = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    results.query_params.update(encode(sub))
    results.switch_page("pages/results.py")
    results.run()
    assert not results.exception and results.get("plotly_chart"), "the results page did not render"

    def widgets_of(at: AppTest) -> int:
        kinds = ("radio", "button", "download_button", "file_uploader")
        return sum(len(at.get(kind)) for kind in kinds)

    widgets = widgets_of(results)
    bare = AppTest.from_string(BARE_PAGE, default_timeout=60).run()
    bare_widgets = widgets_of(bare)
    print(line(f"results page rerun ({widgets} widgets, chart, PDF cached)", timed(results.run, runs)))
    print(line(f"bare Streamlit page rerun ({bare_widgets} widgets)", timed(bare.run, runs)))


if __name__ == "__main__":
    main()
