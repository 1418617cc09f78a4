"""Where a respondent's server time goes: py-spy attached to the app server while respondents click.

Run: python perf/profile_respondent.py [--respondents 10] [--out /tmp/respondent.collapsed]

Starts `streamlit run app.py` on a fresh SQLite database (the app's config), warms it with two respondents,
then records GIL-holding samples at 200 Hz (py-spy, `--gil`) while respondents click as a browser does
(perf/clicking.py: one rerun per answer, context questions, submit). Writes the collapsed stacks to --out
and prints the share of samples under each of the app's own functions and the top leaf frames.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perf.clicking import respond  # noqa: E402
from tests.servers import start_streamlit, stop, wait_until_healthy  # noqa: E402

GROUPS = [  # (label, substring of a frame): a sample counts under every group one of its frames matches
    ("the respondent page's script (pages/respond.py)", " (respond.py:"),
    ("  the form's widgets (ui/questionnaire_form.py)", "(ui/questionnaire_form.py"),
    ("    the draft state (ui/session.py)", "(ui/session.py"),
    ("  saving the draft (save_if_changed)", "save_if_changed"),
    ("  saving notice (saving_notice)", "saving_notice"),
    ("  submit", "submit (ui/respondent.py"),
    ("app.py (navigation, page config, language)", "route (app.py"),
    ("storage (the app's database layer)", "(storage/"),
    ("SQLAlchemy / sqlite", "sqlalchemy"),
    ("the deadline's hand-off (storage/deadline.py)", "(storage/deadline.py"),
    ("serialising and sending to the browser (protobuf, websocket)", "_enqueue"),
]


def summarise(collapsed: Path) -> list[str]:
    totals: collections.Counter[str] = collections.Counter()
    leaves: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        total += n
        frames = stack.split(";")
        leaves[frames[-1]] += n
        for label, needle in GROUPS:
            if any(needle in f for f in frames):
                totals[label] += n
    lines = [f"{total} GIL-holding samples at 200 Hz"]
    lines += [f"{100 * totals[label] / total:5.1f} %  {label}" for label, _ in GROUPS]
    lines.append("top leaf frames:")
    lines += [f"{100 * n / total:5.1f} %  {frame}" for frame, n in leaves.most_common(15)]
    return lines


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "respondent.collapsed")
    args = parser.parse_args()

    from alignment.core.context import context_questions
    from alignment.org.rounds import NewAssessment
    from storage import Database

    radios = 1 + 10 + len(context_questions())
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/app.db"
        db = Database(url)
        db.migrate()
        created = db.create_assessment(NewAssessment("Profile", "R1", "en", 1))
        db.dispose()
        process, port = start_streamlit(ROOT / "app.py", env={"DATABASE_URL": url}, cwd=ROOT)
        try:
            wait_until_healthy(process, port, seconds=90)
            query = f"a={created.respondent_code}"
            for _ in range(2):
                asyncio.run(respond(port, query, "respond", radios))
            spy = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "py-spy"),
                    "record",
                    "--pid",
                    str(process.pid),
                    "--gil",
                    "--rate",
                    "200",
                    "--format",
                    "raw",
                    "--output",
                    str(args.out),
                    "--nonblocking",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(1)  # attached
            load = os.getloadavg()
            for _ in range(args.respondents):
                asyncio.run(respond(port, query, "respond", radios))
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=60)
        finally:
            stop(process)
    print(
        f"{args.respondents} respondents (clicking flow), "
        f"load average before {load[0]:.2f}, after {os.getloadavg()[0]:.2f}"
    )
    print("\n".join(summarise(args.out)))


if __name__ == "__main__":
    main()
