"""perf/load_server.py still drives the real server: two simulated respondents answer and submit."""

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # starts a real server and a load run


def test_the_load_test_stores_what_its_respondents_submit():
    run = subprocess.run(
        [sys.executable, str(ROOT / "perf" / "load_server.py"), "--levels", "2", "--engines", "sqlite"],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    [row] = [line for line in run.stdout.splitlines() if line.startswith("one server, SQLite")]
    n, confirmed, stored = (int(x) for x in row.split()[3:6])
    assert (n, confirmed, stored) == (2, 2, 2), run.stdout
    assert re.search(r"largest N with p95 submit <= 2 s, one server, SQLite: \d+", run.stdout)
