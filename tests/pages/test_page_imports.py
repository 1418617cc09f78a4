"""Opening a page loads no PDF or image-export library: reportlab and plotly's image export (kaleido) load
only when a download is clicked. Every page is opened, with content, in one fresh interpreter; the first
page that loads one of them is named."""

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

SCRIPT = r"""
import json, os, secrets, sys, uuid

from alignment.core.questionnaire import load_questionnaire
from alignment.org.rounds import NewAssessment
from storage import Database
from tests.apptest_helpers import assert_no_error, start

db = Database(os.environ["DATABASE_URL"])
db.migrate()
created = db.create_assessment(NewAssessment("Acme", "R1", "en", 1))
assessment = db.find_by_results_code(created.results_code)
rnd = db.current_round(assessment.id)
q = load_questionnaire()
for side in ("it", "marketing"):  # one a side, minimum 1: strips, gaps and the plan are all drawn
    db.submit(rnd.id, str(uuid.uuid4()), secrets.token_urlsafe(24), side, dict.fromkeys(q.item_ids, 4))
db.set_round_open(rnd.id, False)  # an open link's figures are drawn once the round is closed (issue 16)
complete = {"side": "it", **dict.fromkeys(q.item_ids, "4")}
results = {"k": created.results_code}
for page, query in [
    (None, {}),
    ("pages/results.py", complete),
    ("pages/about.py", {}),
    ("pages/new_assessment.py", {}),
    ("pages/organisation.py", results),
    ("pages/plan.py", results),
    ("pages/room.py", results),
    ("pages/respond.py", {"a": created.respondent_code}),
    ("pages/join.py", {}),
]:
    at = assert_no_error(start(query=query, page=page))
    loaded = sorted({m.split(".")[0] if m.startswith("reportlab.") else m for m in sys.modules
                     if m.split(".")[0] in ("reportlab", "kaleido") or "_kaleido" in m})
    print(json.dumps({"page": page, "charts": len(at.get("plotly_chart")), "loaded": loaded}))
"""


@pytest.mark.slow
def test_opening_a_page_loads_neither_reportlab_nor_plotly_image_export(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    opened = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert len(opened) == 9
    charts = {o["page"]: o["charts"] for o in opened}
    assert charts["pages/results.py"] and charts["pages/organisation.py"]  # the pages drew what they show
    for o in opened:
        assert not o["loaded"], f"opening {o['page'] or 'app.py'} loaded {o['loaded']}"
