"""The legacy-pages workaround lives in one place: app.py clears Streamlit's flag once, at server start.

tests/pages/test_browser.py::test_first_visitor_after_a_server_start_opens_a_deep_link checks that it works
(it fails without it: the fresh server's first session had no language switch).
"""

import re

from tests.conftest import ROOT


def test_only_app_py_leaves_the_legacy_pages_mode():
    callers = sorted(
        str(p.relative_to(ROOT))
        for folder in ("pages", "ui", "alignment", "storage")
        for p in (ROOT / folder).rglob("*.py")
        if re.search(r"^\s*leave_legacy_pages_mode\(\)", p.read_text(encoding="utf-8"), re.MULTILINE)
    )
    assert callers == [], f"remove these calls: app.py clears the flag once, at server start: {callers}"
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    assert len(re.findall(r"^\s*leave_legacy_pages_mode\(\)", app, re.MULTILINE)) == 1
