"""The server's warm-up (ui/server.py, started at server start) loads what the quick check's first view needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_warm_up_loads_what_the_first_view_needs_and_not_the_database_layer():
    # A fresh interpreter: the test process has loaded everything already.
    code = (
        "import sys; from ui.server import warm_up; warm_up(); "
        "print(' '.join(m for m in ('streamlit.emojis', 'ui.questionnaire_form', 'sqlalchemy', 'alembic') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["streamlit.emojis", "ui.questionnaire_form"]
