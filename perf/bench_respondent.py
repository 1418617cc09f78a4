"""Server CPU per respondent, clicking like a browser, beside a bare Streamlit form with the same radios.

Run: python perf/bench_respondent.py [--runs 30] [--warmup 2] [--batch 5]

Two servers run side by side, both with the app's .streamlit/config.toml: `streamlit run app.py` on a fresh
SQLite database, and a bare form (plain st.radio calls with the same labels and options: the side, the ten
statements worded for it once the side is chosen, the six context questions in an expander drawn when
opened, the language radio in the sidebar, a submit button writing one row to SQLite and saying thanks). A
simulated respondent (perf/clicking.py) opens the page and clicks as a browser does: one rerun per answer
(side, 10 statements, 6 context questions) and one to open the context, then submit. Respondents go one
at a time, alternating app and bare form (A B, then B A), and
each server's CPU (user + system, /proc) is read before and after each respondent. Both servers are
warmed first (the first session of a server pays imports and Streamlit's legacy-pages check; warm-up
respondents are not counted). The kernel gives a process's CPU in 10 ms ticks, a step of 7 % of a bare
form's respondent: each sample is a batch of `--batch` respondents in a row on one server (their CPU, wall
time and bytes divided by the batch), and batches alternate. Prints medians with their spread (p10-p90)
per respondent: server CPU, wall seconds, reruns, bytes sent to the browser; the ratio of each pair; the
load average; and, as its last line, the ratio of the medians.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perf.clicking import respond  # noqa: E402
from tests.servers import cpu_seconds, memory_mb, start_streamlit, stop, wait_until_healthy  # noqa: E402

BARE_FORM = """
import json
import sqlite3

import streamlit as st

C = {content!r}
st.set_page_config(page_title="bare form", layout="centered")
st.sidebar.radio("Langue / Language", ["fr", "en"], index=1, key="lang", horizontal=True)
st.title(C["title"])
side = st.radio(C["side_label"], C["sides"], index=None, format_func=C["side_names"].__getitem__, key="side")
answers = {{"side": side}}
if side:  # as in the app: the statements, worded for the side, once it is chosen
    st.header(C["statements"])
    texts = C["texts"][C["wording"][side]]
    for n, item in enumerate(C["items"]):
        answers[item] = st.radio(
            f"{{n + 1}}. {{texts[n]}}", C["answers"], index=None, format_func=C["scale"].__getitem__,
            horizontal=True, key=item,
        )
box = st.expander(C["context_title"], key="context_open", on_change="rerun")  # as in the app: drawn when opened
if box.open:
    with box:
        for key, text, codes, labels in C["context"]:
            answers[key] = st.radio(text, codes, index=None, format_func=labels.__getitem__, horizontal=True, key=key)
if st.button(C["submit"], type="primary"):
    with sqlite3.connect({database!r}) as db:
        db.execute("INSERT INTO responses (answers) VALUES (?)", (json.dumps(answers),))
    st.success(C["thanks"])
"""


def bare_form_content() -> dict:
    """The English labels and options the respondent page shows."""
    from alignment.core.context import context_questions
    from alignment.core.i18n import translator
    from alignment.core.questionnaire import ANSWERS, load_questionnaire

    t, q = translator("en"), load_questionnaire()
    wordings = {s: q.side(s).wording for s in q.side_ids}
    return {
        "title": t("org.respond.title"),
        "side_label": t("questionnaire.side_label"),
        "sides": list(q.side_ids),
        "side_names": {s: t(f"side.{s}") for s in q.side_ids},
        "statements": t("questionnaire.statements"),
        "wording": wordings,
        "texts": {w: [i.text_for(w, "en") for i in q.items] for w in {*wordings.values(), "neutral"}},
        "items": list(q.item_ids),
        "answers": list(ANSWERS),
        "scale": {v: t(f"scale.{v}") for v in ANSWERS},
        "context_title": t("context.title"),
        "context": [(c.key, c.text["en"], list(c.codes), c.labels("en", t("scale.0"))) for c in context_questions()],
        "submit": t("org.respond.submit"),
        "thanks": t("org.respond.thanks"),
    }


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    query: str
    page_name: str

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.process.pid)

    def rss_mb(self) -> float:
        return memory_mb(self.process.pid)


def start(script: Path, cwd: Path, env: dict) -> tuple[subprocess.Popen, int]:
    """`streamlit run script` on a free port, once it answers (tests/servers.py, as the tests start theirs)."""
    process, port = start_streamlit(script, env=env, cwd=cwd)
    try:
        wait_until_healthy(process, port, seconds=90)
    except RuntimeError:
        stop(process)
        raise
    return process, port


def spread(values: list[float], fmt: str = "{:.3f}") -> str:
    deciles = statistics.quantiles(values, n=10) if len(values) >= 2 else [values[0]] * 9
    return f"median {fmt.format(statistics.median(values))}  p10-p90 {fmt.format(deciles[0])}-{fmt.format(deciles[-1])}"


def one_batch(server: Server, radios: int, size: int) -> dict:
    """`size` respondents in a row on one server: their CPU, wall time, reruns and bytes, per respondent."""
    before = server.cpu_seconds()
    start_ = time.monotonic()
    clicks = [asyncio.run(respond(server.port, server.query, server.page_name, radios)) for _ in range(size)]
    return {
        "cpu": (server.cpu_seconds() - before) / size,
        "wall": (time.monotonic() - start_) / size,
        "reruns": statistics.median(c.reruns for c in clicks),
        "bytes": statistics.mean(c.bytes for c in clicks),
    }


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30, help="batches measured on each server")
    parser.add_argument("--batch", type=int, default=5, help="respondents in a row in one measured batch")
    parser.add_argument("--warmup", type=int, default=2, help="respondents per server not counted")
    args = parser.parse_args()

    from alignment.core.context import context_questions
    from alignment.org.rounds import NewAssessment
    from storage import Database

    radios = 1 + 10 + len(context_questions())
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        app_url = f"sqlite:///{tmp}/app.db"
        db = Database(app_url)
        db.migrate()
        created = db.create_assessment(NewAssessment("Bench", "R1", "en", 1))
        db.dispose()
        bare_dir = tmp_path / "bare"
        (bare_dir / ".streamlit").mkdir(parents=True)
        shutil.copy(ROOT / ".streamlit" / "config.toml", bare_dir / ".streamlit" / "config.toml")
        bare_db = str(tmp_path / "bare.db")
        import sqlite3

        with sqlite3.connect(bare_db) as c:
            c.execute("CREATE TABLE responses (id INTEGER PRIMARY KEY, answers TEXT NOT NULL)")
        (bare_dir / "bare.py").write_text(
            BARE_FORM.format(content=bare_form_content(), database=bare_db), encoding="utf-8"
        )
        processes = []
        try:
            p, port = start(ROOT / "app.py", ROOT, {"DATABASE_URL": app_url})
            processes.append(p)
            app = Server("app (respondent page)", p, port, f"a={created.respondent_code}", "respond")
            p, port = start(bare_dir / "bare.py", bare_dir, {})
            processes.append(p)
            bare = Server("bare form", p, port, "", "")
            load_before = os.getloadavg()
            for _ in range(args.warmup):
                for server in (app, bare):
                    one_batch(server, radios, 1)
            samples: dict[str, list[dict]] = {app.name: [], bare.name: []}
            for i in range(args.runs):
                for server in (app, bare) if i % 2 == 0 else (bare, app):
                    samples[server.name].append(one_batch(server, radios, args.batch))
            load_after = os.getloadavg()
            rss = {s.name: s.rss_mb() for s in (app, bare)}
        finally:
            for p in processes:
                stop(p)
        stored = sqlite3.connect(bare_db).execute("SELECT count(*) FROM responses").fetchone()[0]
        db = Database(app_url)
        assessment = db.find_by_respondent_code(created.respondent_code)
        counted = sum(db.round_counts(db.current_round(assessment.id).id).sides.values())
        db.dispose()

    total = args.runs * args.batch + args.warmup
    print(f"Respondent clicking flow: open, {radios} answers one rerun each, submit; {args.runs} batches of")
    print(f"{args.batch} per server (after {args.warmup} warm-up each), alternating; Python {sys.version.split()[0]}")
    print(
        f"load average (1, 5, 15 min): before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}"
    )
    print(f"stored: app {counted} of {total} submitted, bare form {stored} of {total}")
    for name, rows in samples.items():
        print(f"{name}:")
        print(f"    server CPU-s per respondent   {spread([r['cpu'] for r in rows])}")
        print(f"    wall s per respondent         {spread([r['wall'] for r in rows], '{:.2f}')}")
        print(f"    reruns per respondent         {statistics.median([r['reruns'] for r in rows]):.0f}")
        print(f"    bytes to the browser          {spread([r['bytes'] for r in rows], '{:,.0f}')}")
        print(f"    server RSS after the runs     {rss[name]:.0f} MB")
    ours, theirs = ([r["cpu"] for r in samples[n]] for n in (app.name, bare.name))
    pairs = [a / b for a, b in zip(ours, theirs, strict=True) if b > 0]
    print(f"pairwise ratio app / bare form, CPU per respondent: {spread(pairs, '{:.2f}')}")
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"respondent server CPU, clicking flow / bare form: {ratio:.1f}x")


if __name__ == "__main__":
    main()
