"""Report and page performance: the quick-check and organisation PDFs' build times, and the results
page's rerun beside a content-matched bare page.

Run: python perf/bench_pages_and_reports.py [--runs 30] [--page-only]
The bare page draws the same figure and the same texts, precomputed, with the same widgets, in plain
Streamlit calls: the ratio is what our code adds to a rerun. The two pages are rerun alternately (A B, then
B A) and compared by their medians; AppTest runs the app under st.navigation only (perf/navigation_only.py).
PDFs: warm (the same process, fonts and caches ready) and cold (a fresh Python process that has imported
what the page imports, timing the first build: what a server's first PDF click pays), cold runs alternating
quick check and organisation. Prints medians and p10-p90 in milliseconds, the load average; it asserts
nothing (figures, not tests).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import perf.navigation_only  # noqa: E402, F401  (AppTest runs under st.navigation only)
from alignment.core.i18n import translator  # noqa: E402
from alignment.core.questionnaire import Profile, Submission, load_questionnaire  # noqa: E402
from alignment.org.result import org_result  # noqa: E402
from alignment.org.rounds import Assessment, Round, RoundCounts  # noqa: E402
from alignment.quick.address import encode  # noqa: E402
from alignment.quick.result import quick_result  # noqa: E402
from benchmark import figures_by_item  # noqa: E402
from perf.bare_page import bare_page  # noqa: E402

# The results page's content below perf/bare_page.py's HEAD, drawn from precomputed texts and figure.
CONTENT_MATCHED_PAGE = """
st.caption(c["survey"])
st.markdown(c["profile"])
st.caption(c["definition"])
st.header(c["summary_title"])
left, right = st.columns(2)
with left:
    st.subheader(c["strengths_title"])
    st.markdown(c["strengths"])
with right:
    st.subheader(c["frictions_title"])
    st.markdown(c["frictions"])
st.header(c["recs_title"])
st.caption(c["recs_intro"])
st.markdown(c["recs"])
st.header(c["chart_title"])
st.plotly_chart(c["figure"], config={"displayModeBar": False})
st.caption(c["chart_caption"])
st.download_button(c["download"], data=lambda: b"%PDF", file_name="x.pdf", on_click="ignore", type="primary")
st.header(c["details"])
for title, text, answer, sentence, notes in c["statements"]:
    with st.container(border=True):
        st.markdown(title)
        st.write(text)
        st.markdown(answer)
        st.write(sentence)
        for note in notes:
            st.caption(note)
st.header(c["transfer_title"])
st.caption(c["transfer_help"])
st.download_button(c["transfer_download"], data=lambda: b"{}", file_name="x.json", on_click="ignore", key="j")
st.file_uploader(c["upload"], type=["json"], key="u")
st.header(c["share_title"])
st.write(c["share_hint"])
st.code(c["address"], language=None, wrap_lines=True)
st.button(c["edit"], key="edit")
"""


def timed(fn, runs: int, clock=time.perf_counter) -> list[float]:
    samples = []
    for _ in range(runs):
        start = clock()
        fn()
        samples.append((clock() - start) * 1000)
    return samples


def line(name: str, samples: list[float]) -> str:
    d = statistics.quantiles(samples, n=10) if len(samples) >= 2 else samples * 9
    return (
        f"{name:<52} median {statistics.median(samples):8.1f} ms   p10-p90 {d[0]:7.1f}-{d[-1]:7.1f} ms"
        f"   (n={len(samples)})"
    )


COLD_PDF = """
import sys, time
sys.path.insert(0, {root!r})
import streamlit  # what a server has imported before the first PDF click
from alignment.core.i18n import translator
from perf.bench_pages_and_reports import organisation_pdf, submission
from alignment.core.questionnaire import load_questionnaire
from alignment.quick.result import quick_result
from benchmark import figures_by_item
from datetime import date
if {kind!r} == "organisation":
    import alignment.render.org_pdf  # the organisation page imports it (ui/org_sections.py) before any click
start = time.perf_counter()
if {kind!r} == "quick":
    from alignment.render.quick_pdf import build_pdf
    q = load_questionnaire()
    build_pdf(quick_result(submission(), q, figures_by_item(), "fr", "?"), q, translator("fr"), date.today())
else:
    organisation_pdf()
print((time.perf_counter() - start) * 1000)
"""


def cold_pdf(kind: str) -> float:
    """Milliseconds of the first PDF build in a fresh process: what the page has not imported yet (reportlab
    for the quick check; the organisation page has it) and the first build's fonts and caches."""
    code = COLD_PDF.format(root=str(ROOT), kind=kind)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    return float(out.stdout.strip().splitlines()[-1])


def submission() -> Submission:
    q = load_questionnaire()
    answers = dict(zip(q.item_ids, [5, 4, 2, 3, 1, 4, 5, 0, 2, 4], strict=True))
    return Submission("marketing", answers, Profile("retail", "", "FR", "", "1b_10b"))


def organisation_pdf() -> bytes:
    """The full organisation report for a round of 40 responses, compared with a previous round."""
    from alignment.render.org_pdf import build_org_pdf

    return build_org_pdf(organisation_result(), figures_by_item(), load_questionnaire(), translator("fr"), date.today())


def organisation_result():
    """A round of 40 responses (French), compared with a previous round: what the organisation page shows."""
    q = load_questionnaire()
    sides = {"it": 18, "marketing": 16, "digital": 4, "other": 2}
    values = {}
    for n, (side, count) in enumerate(sides.items()):
        for i, item in enumerate(q.item_ids):
            agree = (count * (3 + (i + n) % 5)) // 8
            values[(side, item, 4)] = agree
            values[(side, item, 2)] = count - agree
    assessment = Assessment(
        "a", "Société Générale d'Exemple", "fr", 5, Profile(industry="banking", country="FR", size="gt_10b"), None
    )
    rnd, before = Round(2, "a", 2, "2026 T4", "open", None), Round(1, "a", 1, "2026 T3", "closed", None)
    figures = figures_by_item()
    earlier = RoundCounts(sides, {k: v // 2 for k, v in values.items()})
    return org_result(assessment, rnd, RoundCounts(sides, values), q, figures, earlier, before.label, before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--page-only", action="store_true", help="the results page's rerun alone, no PDF")
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="the page reruns' clock: this process's CPU time (default: on a shared machine, wall time counts "
        "the waits for a core, which the two pages do not see alike) or wall time",
    )
    args = parser.parse_args()
    runs = args.runs
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    from alignment.render.quick_pdf import build_pdf

    q, sub = load_questionnaire(), submission()
    result = quick_result(sub, q, figures_by_item(), "en", "?")

    load_before = os.getloadavg()
    print(f"Pages and reports, {runs} runs each, Python {sys.version.split()[0]}")
    if not args.page_only:
        pdfs(runs, result, q, build_pdf)

    results = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    results.query_params.update(encode(sub))
    results.switch_page("pages/results.py")
    results.run()
    assert not results.exception and results.get("plotly_chart"), "the results page did not render"
    with tempfile.TemporaryDirectory() as tmp:
        bare = bare_page(CONTENT_MATCHED_PAGE, page_content(sub), tmp)
        ours, theirs = [], []
        pairs = ((results, ours), (bare, theirs))
        for i in range(runs):  # alternate (A B, then B A), so both see the same machine load
            for page, samples in pairs if i % 2 == 0 else pairs[::-1]:
                samples += timed(page.run, 1, clock)
        if not results.get("plotly_chart"):
            raise RuntimeError("the results page stopped rendering its chart")
    print(f"page reruns timed by {'process CPU time' if args.clock == 'cpu' else 'wall time'}")
    print(line("quick-check results page rerun", ours))
    print(line("content-matched bare page rerun", theirs))
    load_after = os.getloadavg()
    print(
        f"load average (1, 5, 15 min): before {' '.join(f'{x:.2f}' for x in load_before)}, "
        f"after {' '.join(f'{x:.2f}' for x in load_after)}"
    )
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"quick-check results rerun / content-matched bare page: {ratio:.1f}x")


def pdfs(runs: int, result, q, build_pdf) -> None:
    """The PDFs' build times: cold (a fresh process each, quick check and organisation alternating), then warm."""
    cold: dict[str, list[float]] = {"quick": [], "organisation": []}
    for i in range(runs):
        for kind in ("quick", "organisation") if i % 2 == 0 else ("organisation", "quick"):
            cold[kind].append(cold_pdf(kind))
    print(line("PDF build, cold: first in a fresh process (fr)", cold["quick"]))
    print(line("organisation report PDF, cold (fr)", cold["organisation"]))
    for lang in ("fr", "en"):
        t = translator(lang)
        build_pdf(result, q, t, date.today())  # fonts registered, caches warm
        print(line(f"PDF build ({lang})", timed(lambda t=t: build_pdf(result, q, t, date.today()), runs)))
    print(line("organisation report PDF (exec summary, 10 statements)", timed(organisation_pdf, runs)))


def page_content(sub: Submission) -> dict:
    """The texts and figure the results page shows for `sub` in English, computed once, for the bare page."""
    from alignment.core.method import survey_line
    from alignment.core.recommendations import FIRST_FRICTIONS
    from alignment.quick.address import encode as encode_address
    from alignment.quick.result import quick_result
    from alignment.quick.sentences import answer_label, frictions_heading, previous_edition, unpublished, verdict
    from alignment.render.charts import strips_figure

    q, t = load_questionnaire(), translator("en")
    result = quick_result(sub, q, figures_by_item(), "en", t("scale.0"))
    summary, wording = result.summary, q.side(sub.side).wording
    return {
        "title": t("results.title"),
        "survey": survey_line(t),
        "profile": " · ".join(f"{label}: **{value}**" for label, value in [("Side", sub.side)]),
        "definition": t("results.agree_definition"),
        "summary_title": t("summary.title"),
        "strengths_title": t("summary.strengths"),
        "strengths": "\n".join(f"- **{c.item.short_in('en')}** — {verdict(t, c)}" for c in summary.strengths),
        "frictions_title": frictions_heading(t, FIRST_FRICTIONS),
        "frictions": "\n".join(f"- **{c.item.short_in('en')}** — {verdict(t, c)}" for c in summary.frictions[:3]),
        "recs_title": t("recs.title"),
        "recs_intro": t("recs.intro"),
        "recs": "\n".join(f"- **{t(f'recs.theme.{a.theme}')}** — {a.text['en']}" for a in result.actions),
        "chart_title": t("results.chart_title"),
        "figure": strips_figure(summary, t),
        "chart_caption": t("results.chart_caption"),
        "download": t("results.download"),
        "details": t("results.details"),
        "statements": [
            (
                f"**{n}. {c.item.short_in('en')}**",
                c.item.text_for(wording, "en"),
                f"{t('results.your_answer')} **{answer_label(t, c.answer)}**",
                verdict(t, c),
                [x for x in (previous_edition(t, c), unpublished(t, c)) if x],
            )
            for n, c in enumerate(summary.comparisons, start=1)
        ],
        "transfer_title": t("transfer.title"),
        "transfer_help": t("transfer.help"),
        "transfer_download": t("transfer.download"),
        "upload": t("transfer.upload"),
        "share_title": t("results.share_title"),
        "share_hint": t("results.share_hint"),
        "address": "http://localhost:8501/results?" + "&".join(f"{k}={v}" for k, v in encode_address(sub).items()),
        "edit": t("results.edit"),
    }


if __name__ == "__main__":
    main()
