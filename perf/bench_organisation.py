"""Organisation results at scale, on SQLite and PostgreSQL: the real page, its counts, and concurrent writes.

Run: python perf/bench_organisation.py [--targets 10000 1000 [100000]] [--others 100000] [--runs 30]
     [--memory-sessions 5]
Stores, in one database per engine, one assessment per target size and nine other organisations holding
`others` responses between them (ten answers and the six context answers each). For each target it
prints the plan of the round's counts, times the counts alone, the results built from them, and a warm
rerun of the real organisation page through AppTest (everything the page does) beside a content-matched
bare page drawing the same figure and texts, alternating the two (A B, then B A); for the largest target,
the memory held by sessions of the page kept open (tracemalloc and RSS); then 200 submissions by 20
concurrent writers. Medians with their spread (p10-p90; the ratio's from the pairs run side by side) and the
load average; AppTest runs the app under st.navigation only (perf/navigation_only.py); asserts nothing.
The last line gives the 10,000-response page on both engines.
PostgreSQL: TEST_POSTGRES_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test (a schema is made
for the run and dropped).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

import perf.navigation_only  # noqa: E402, F401  (AppTest runs under st.navigation only)
from alignment.core.context import context_questions  # noqa: E402
from alignment.core.questionnaire import load_questionnaire  # noqa: E402
from alignment.org.rounds import NewAssessment, gaps, round_results  # noqa: E402
from benchmark import figures_by_item  # noqa: E402
from perf.bare_page import bare_page  # noqa: E402
from storage import Database, hash_code  # noqa: E402
from storage.gateway import round_count_queries  # noqa: E402
from storage.schema import answers, responses  # noqa: E402
from tests.servers import memory_mb, postgres_schema  # noqa: E402

SIDES = ("it", "marketing", "digital", "other")


def seed(db: Database, sizes: list[int]) -> list[tuple[int, str]]:
    """Bulk-load submitted responses (ten answers and the context answers each) into one new assessment per
    size; return each one's round id and results code."""
    q = load_questionnaire()
    contexts = [(c.key, c.codes) for c in context_questions()]
    made = []
    for n in range(len(sizes)):
        created = db.create_assessment(NewAssessment(f"Org {n}", "2026 Q4", "en", 5))
        made.append((db.current_round(db.find_by_results_code(created.results_code).id).id, created.results_code))
    rng = random.Random(7)
    with db.transaction() as c:
        for (round_id, _), count in zip(made, sizes, strict=True):
            for start in range(0, count, 2000):
                batch = range(start, min(start + 2000, count))
                heads, rows = [], []
                for _ in batch:
                    rid = str(uuid.uuid4())
                    heads.append(
                        dict(
                            id=rid,
                            round_id=round_id,
                            side=rng.choice(SIDES),
                            status="submitted",
                            resume_code_hash=hash_code(rid),
                        )
                    )
                    rows += [
                        dict(response_id=rid, round_id=round_id, item=i, value=rng.choice((0, 1, 2, 3, 4, 5)))
                        for i in q.item_ids
                    ]
                    rows += [
                        dict(response_id=rid, round_id=round_id, item=key, value=rng.choice(codes))
                        for key, codes in contexts
                    ]
                c.execute(insert(responses), heads)
                c.execute(insert(answers), rows)
    db.recount()  # the counts Database.submit keeps, for responses loaded in bulk
    for round_id, _ in made:  # an open link's figures are drawn once its round is closed (issue 16)
        db.set_round_open(round_id, False)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("ANALYZE"))  # what autovacuum would do after a bulk load
    return made


# The organisation page's content below perf/bare_page.py's HEAD, drawn from precomputed texts and figure.
CONTENT_MATCHED_PAGE = """
for css in c["styles"]:
    st.html(css)
with st.container(border=True):
    st.markdown(c["room_heading"])
    st.caption(c["room_note"])
    st.button(c["room_make"])
    left, right = st.columns(2)
    left.button(c["rehearsal_add"])
    right.button(c["rehearsal_delete"])
st.selectbox(c["round"], c["rounds"], key="round")
with st.container():
    st.file_uploader(c["upload"], type=["json"])
st.header(c["counts_title"])
st.caption(c["access"])
for column, (label, n) in zip(st.columns(len(c["counts"])), c["counts"]):
    column.metric(label, n)
st.caption(c["min_note"])
st.header(c["chart_title"])
st.plotly_chart(c["figure"], config={"displayModeBar": False})
st.caption(c["chart_caption"])
st.header(c["gap_title"])
st.caption(c["gap_caption"])
st.table(c["gaps"], hide_index=True, border="horizontal")
st.header(c["recs_title"])
st.caption(c["recs_caption"])
st.markdown(c["recs"])
st.subheader(c["workshop_title"])
st.caption(c["workshop_caption"])
st.markdown(c["workshop"])
st.header(c["details"])
st.caption(c["details_caption"])
for title, lines, captions in c["statements"]:
    with st.container(border=True):
        st.markdown(title)
        for line in lines:
            st.write(line)
        for caption in captions:
            st.caption(caption)
st.header(c["followup_title"])
st.caption(c["followup_intro"])
st.info(c["followup_none"])
with st.expander(c["followup_add"]):
    with st.form("action"):
        st.selectbox(c["followup_statement"], c["statement_titles"])
        st.text_area(c["followup_text"])
        st.text_input(c["followup_owner"])
        left, right = st.columns(2)
        left.checkbox(c["followup_has_due"])
        left.date_input(c["followup_due"], value=None)
        right.selectbox(c["followup_status"], c["statuses"])
        st.text_input(c["followup_note"])
        st.form_submit_button(c["followup_save"])
st.subheader(c["widened_title"])
st.caption(c["widened_intro"])
st.markdown(c["widened_none"])
st.caption(c["cannot_prove"])
st.subheader(c["trend_title"])
st.markdown(c["trend_one_round"])
for column, labels in zip(st.columns(2), (c["downloads"][:2], c["downloads"][2:])):
    for label in labels:
        column.download_button(label, data=lambda: b"x", file_name="x", on_click="ignore", key=label)
st.download_button(c["workbook"], data=lambda: b"x", file_name="x", on_click="ignore", key="workbook")
st.page_link("https://example.org/plan", label=c["plan"])
with st.expander(c["manage"]):
    st.caption(c["link_note"])
    st.markdown(c["new_round_heading"])
    with st.form("new_round"):
        st.text_input(c["new_round"])
        st.form_submit_button(c["new_round_submit"])
    st.markdown(c["delete_heading"])
    st.caption(c["delete_warning"])
    with st.form("delete"):
        st.text_input(c["org_name"])
        st.form_submit_button(c["delete"])
"""


def page_content(db: Database, assessment_code: str, styles: list[str]) -> dict:
    """What the organisation page shows for the assessment, in English, computed once for the bare page;
    `styles`: the page's own style blocks (st.html), drawn as they are."""
    from alignment.core.i18n import translator
    from alignment.org.gap_table import gap_rows
    from alignment.org.result import org_result
    from alignment.org.sentences import gap_sentence, share_line, side_sentences
    from alignment.render.charts import organisation_figure

    t, q, figures = translator("en"), load_questionnaire(), figures_by_item()
    assessment = db.find_by_results_code(assessment_code)
    rnd = db.current_round(assessment.id)
    result = org_result(assessment, rnd, db.round_counts(rnd.id), q, figures)
    results = result.results
    header, *rows = gap_rows(t, q, list(result.gaps))
    return {
        "title": t("org.results.title", org=assessment.org_name),
        "round": t("org.results.round"),
        "rounds": [f"{rnd.number} · {rnd.label}"],
        "upload": t("org.import.upload"),
        "counts_title": t("org.results.counts"),
        "counts": [(t(f"org.side_short.{s}"), results.count(s)) for s in q.side_ids],
        "min_note": t("org.results.min_note", min=assessment.min_group_size),
        "chart_title": t("org.results.chart_title"),
        "figure": organisation_figure(t, q, figures, results, None, ""),
        "chart_caption": t("org.results.chart_caption"),
        "gap_title": t("org.results.gap_title"),
        "gaps": [dict(zip(header, row, strict=True)) for row in rows],
        "recs_title": t("recs.title"),
        "recs": "\n".join(f"- **{t(f'recs.theme.{a.theme}')}** — {a.text['en']}" for a in result.actions),
        "workshop_title": t("recs.workshop"),
        "workshop": "\n".join(f"- {text['en']}" for _, text in result.questions) or t("recs.workshop_none"),
        "details": t("results.details"),
        "statements": [
            (
                f"**{n}. {item.short_in('en')}**",
                [share_line(t, results, side, item.id) for side in results.visible_sides],
                [
                    s
                    for s in [
                        *side_sentences(t, results, item.id, figures.get(item.id, {})),
                        gap_sentence(t, results, item.id),
                    ]
                    if s
                ],
            )
            for n, item in enumerate(q.items, start=1)
        ],
        "downloads": [t("org.results.pdf"), t("org.results.html"), t("org.results.csv"), t("org.results.json")],
        "workbook": t("followup.workbook"),
        "manage": t("org.results.manage"),
        "link_note": t("org.results.respondent_link_note"),
        "new_round_heading": f"**{t('org.results.new_round')}**",
        "new_round": t("org.results.new_round_label"),
        "new_round_submit": t("org.results.new_round_submit"),
        "delete_heading": f"**{t('org.results.delete')}**",
        "delete_warning": t("org.results.delete_warning"),
        "org_name": t("org.create.org_name"),
        "delete": t("org.results.delete_submit"),
        # What the page drew since this bare page was written (issues 16-20): the room-view card, the
        # follow-up section, the fifth download, the plan link and the style blocks (their CSS, as long).
        "styles": styles,
        "room_heading": f"**{t('room.access.heading')}**",
        "room_note": t("room.access.note", hours=12),
        "room_make": t("room.access.make"),
        "rehearsal_add": t("room.rehearsal.add", count=5),
        "rehearsal_delete": t("room.rehearsal.delete"),
        "access": t("org.results.access_open"),
        "gap_caption": t("org.results.gap_caption"),
        "recs_caption": t("recs.intro"),
        "workshop_caption": t("recs.workshop_intro"),
        "details_caption": t("method.assumption", n=t.number(550), min=5),
        "followup_title": t("followup.title"),
        "followup_intro": t("followup.intro"),
        "followup_none": t("followup.none"),
        "followup_add": t("followup.add_title"),
        "followup_statement": t("followup.statement"),
        "statement_titles": [f"{n}. {item.short_in('en')}" for n, item in enumerate(q.items, start=1)],
        "followup_text": t("followup.text", max=300),
        "followup_owner": t("followup.owner", max=80),
        "followup_has_due": t("followup.has_due"),
        "followup_due": t("followup.due"),
        "followup_status": t("followup.status_label"),
        "statuses": ["planned", "under way", "done", "dropped"],
        "followup_note": t("followup.note", max=300),
        "followup_save": t("followup.save"),
        "widened_title": t("followup.widened_title"),
        "widened_intro": t("followup.widened_intro"),
        "widened_none": t("followup.widened_none"),
        "cannot_prove": t("followup.cannot_prove"),
        "trend_title": t("followup.trend_title"),
        "trend_one_round": t("followup.trend_one_round"),
        "plan": t("plan.open"),
    }


def time_page(url: str, results_code: str, runs: int) -> tuple[list[float], list[float]]:
    """Warm reruns of the real organisation page (AppTest, everything it does) and of a content-matched bare
    page, alternating, in ms."""
    import streamlit as st

    os.environ["DATABASE_URL"] = url
    st.cache_resource.clear()
    st.cache_data.clear()
    page = open_page(results_code)
    db = Database(url)
    with tempfile.TemporaryDirectory() as tmp:
        styles = [html.proto.body for html in page.get("html")]
        bare = bare_page(CONTENT_MATCHED_PAGE, page_content(db, results_code, styles), tmp, timeout=120)
        ours, theirs = [], []
        pairs = ((page, ours), (bare, theirs))
        for i in range(runs):
            # A B, then B A: neither page always runs right after the other's garbage.
            for app, samples in pairs if i % 2 == 0 else pairs[::-1]:
                start = time.perf_counter()
                app.run()
                samples.append((time.perf_counter() - start) * 1000)
        check_rendered(page)
    db.dispose()
    return ours, theirs


def open_page(results_code: str):
    """A new session of the real organisation page (AppTest of app.py), run once and checked."""
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    page.query_params["k"] = results_code
    page.switch_page("pages/organisation.py")
    page.run()
    check_rendered(page)
    return page


def check_rendered(page) -> None:
    """The run drew the organisation's results (chart and exports), not an error or the code form."""
    if page.exception or not page.get("plotly_chart") or len(page.get("download_button")) < 3:
        raise RuntimeError(f"the organisation page did not render: {page.exception or page.error}")


def session_memory(url: str, results_code: str, sessions: int) -> dict:
    """Memory held by `sessions` open sessions of the organisation page, each run twice (open, then a rerun)
    and kept alive, as a server keeps its sessions: Python memory traced by tracemalloc from before the
    first one (so the process-wide cached result and figure count in the first session), and the process's
    RSS. In one process, as on one server, the sessions share the caches."""
    import gc
    import tracemalloc

    import streamlit as st

    os.environ["DATABASE_URL"] = url
    st.cache_resource.clear()
    st.cache_data.clear()
    open_page(results_code)  # imports, migrations check and engine: the server's, not a session's
    st.cache_resource.clear()
    st.cache_data.clear()
    gc.collect()
    rss_before = memory_mb()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    held, kept = [], []
    for _ in range(sessions):
        page = open_page(results_code)
        page.run()
        check_rendered(page)
        kept.append(page)
        gc.collect()
        held.append(tracemalloc.get_traced_memory()[0] - base)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    gc.collect()
    rss_after = memory_mb()
    steps = [b - a for a, b in itertools.pairwise(held)]
    return {
        "sessions": sessions,
        "first": held[0] / 2**20,
        "each": statistics.median(steps) / 2**20 if steps else float("nan"),
        "all": held[-1] / 2**20,
        "peak": peak / 2**20,
        "rss": rss_after - rss_before,
        "held": [h / 2**20 for h in held],
    }


def plan(db: Database, round_id: int) -> str:
    """The engine's plans for one round's counts, per side and per (side, item, value) (EXPLAIN, not run)."""
    plans = []
    for statement in round_count_queries(round_id):
        sql = str(statement.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
        with db.engine.connect() as c:
            if db.engine.dialect.name == "sqlite":
                plans += [row[-1] for row in c.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
            else:
                plans += [row[0] for row in c.execute(text(f"EXPLAIN {sql}"))]
    return "\n".join(plans)


def time_counts(db: Database, round_id: int, runs: int) -> list[float]:
    """Database.round_counts alone, in ms."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        db.round_counts(round_id)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def time_results(db: Database, round_id: int, runs: int) -> list[float]:
    q, figures = load_questionnaire(), figures_by_item()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        results = round_results(db.round_counts(round_id), 5, q)
        gaps(results, figures, q)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def throughput(db: Database, writers: int = 20, each: int = 10) -> float:
    # Its own gateway with a generous budget: on a loaded shared machine (load average 20 to 40 on 2 cores) a
    # queued writer may wait past the app's 4 s, which would end the run without any figure.
    db = Database(db.url, timeout=60)
    # seed() closed the measured rounds (an open link's figures are drawn at close), and a closed open-link
    # round does not reopen: the writers submit into a new assessment's round.
    created = db.create_assessment(NewAssessment("Writers", "2026 Q4", "en", 5))
    round_id = db.current_round(db.find_by_results_code(created.results_code).id).id
    q = load_questionnaire()
    barrier = threading.Barrier(writers)
    before = sum(db.round_counts(round_id).sides.values())

    def write(w: int) -> None:
        barrier.wait()
        for _ in range(each):
            rid = str(uuid.uuid4())
            db.submit(round_id, rid, rid, SIDES[w % 2], dict.fromkeys(q.item_ids, 4))

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    stored = sum(db.round_counts(round_id).sides.values())
    if stored != before + writers * each:
        raise RuntimeError(f"expected {before + writers * each} responses, found {stored}")
    return writers * each / elapsed


def deciles(values: list[float]) -> tuple[float, float]:
    d = statistics.quantiles(values, n=10) if len(values) > 1 else values * 9
    return d[0], d[-1]


def run(name: str, url: str, args) -> dict:
    """One engine: the targets and the other organisations in one database, then every measure."""
    db = Database(url)
    db.migrate()
    per_other, extra = divmod(args.others, 9)
    others = [per_other + (1 if n < extra else 0) for n in range(9)]
    start = time.perf_counter()
    made = seed(db, [*args.targets, *others])
    load = time.perf_counter() - start
    stored = sum(args.targets) + args.others
    figures = {"load": load, "stored": stored, "targets": {}}
    for (round_id, code), target in zip(made, args.targets, strict=False):
        if target == max(args.targets):
            print(f"{name} plan of one round's counts ({target:,} responses among {stored:,}):")
            print("    " + plan(db, round_id).replace("\n", "\n    "))
        ours, bare = time_page(url, code, args.runs)
        figures["targets"][target] = {
            "counts": statistics.median(time_counts(db, round_id, args.runs)),
            "results": statistics.median(time_results(db, round_id, args.runs)),
            "page": statistics.median(ours),
            "bare": statistics.median(bare),
            "page_spread": deciles(ours),
            "bare_spread": deciles(bare),
            "ratio_spread": deciles([a / b for a, b in zip(ours, bare, strict=True)]),
        }
    if args.memory_sessions:
        code = made[args.targets.index(max(args.targets))][1]
        figures["memory"] = session_memory(url, code, args.memory_sessions)
    figures["rate"] = throughput(db)
    db.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--targets", type=int, nargs="+", default=[10_000, 1_000], help="responses in the measured assessments"
    )
    parser.add_argument("--others", type=int, default=100_000, help="responses of nine other organisations")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--memory-sessions",
        type=int,
        default=5,
        help="sessions of the largest target's page kept open to measure memory per session (0: skip)",
    )
    args = parser.parse_args()
    load_before = os.getloadavg()
    engines = {}
    with tempfile.TemporaryDirectory() as tmp:
        engines["sqlite"] = run("SQLite", f"sqlite:///{tmp}/bench.db", args)
    with postgres_schema("bench") as url:
        engines["postgresql"] = run("PostgreSQL", url, args)
    stored = engines["sqlite"]["stored"]
    print(f"Organisations: {stored:,} responses stored (10 answers and 6 context answers each); medians of {args.runs}")
    print(
        f"{'engine':<12}{'responses':>10}{'counts ms':>11}{'results ms':>12}{'page ms':>10}{'bare ms':>9}{'ratio':>7}"
    )
    for name, figures in engines.items():
        for target, f in sorted(figures["targets"].items()):
            print(
                f"{name:<12}{target:>10,}{f['counts']:>11.1f}{f['results']:>12.1f}{f['page']:>10.1f}"
                f"{f['bare']:>9.1f}{f['page'] / f['bare']:>6.1f}x"
                f"   p10-p90: page {f['page_spread'][0]:.0f}-{f['page_spread'][1]:.0f}, bare "
                f"{f['bare_spread'][0]:.0f}-{f['bare_spread'][1]:.0f}, pairwise ratio "
                f"{f['ratio_spread'][0]:.1f}-{f['ratio_spread'][1]:.1f}"
            )
    for name, figures in engines.items():
        if m := figures.get("memory"):
            print(
                f"{name}: memory of the organisation page at {max(args.targets):,} responses, {m['sessions']} sessions "
                f"kept open (each opened and rerun): first session {m['first']:.1f} MB (with the process-wide "
                f"cached result and figure), each further session {m['each']:.1f} MB (median), all "
                f"{m['all']:.1f} MB, peak {m['peak']:.1f} MB (tracemalloc); process RSS {m['rss']:+.0f} MB"
            )
            print(f"    held after each session, MB: {', '.join(f'{h:.1f}' for h in m['held'])}")
    for name, figures in engines.items():
        print(f"{name}: bulk load {figures['load']:.1f} s; 20 concurrent writers {figures['rate']:.0f} responses/s")
    print(
        f"load average (1, 5, 15 min): before {' '.join(f'{x:.2f}' for x in load_before)}, "
        f"after {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    target = 10_000 if 10_000 in args.targets else max(args.targets)
    sqlite, postgresql = (engines[e]["targets"][target] for e in ("sqlite", "postgresql"))
    bare = statistics.median([sqlite["bare"], postgresql["bare"]])
    print(
        f"organisation page rerun, {target} responses among {stored}: sqlite {sqlite['page']:.0f} ms, "
        f"postgresql {postgresql['page']:.0f} ms, bare page {bare:.0f} ms"
    )


if __name__ == "__main__":
    main()
