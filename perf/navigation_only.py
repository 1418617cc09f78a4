"""Benches run the app under st.navigation only, never through Streamlit's legacy pages/ path.

Streamlit flags an app with a pages/ folder beside its entry file as a legacy multipage app until the
first st.navigation() call, and AppTest re-arms that flag on every run: each AppTest run of app.py would
then run through the legacy path (app.py clears the flag once, at server start, not per AppTest run).
A real server pays that once, on its first session, which the benches' warm-up absorbs. Importing this
module makes AppTest keep the flag off, so an AppTest run costs what a server's rerun costs.

It also gives every AppTest run one script cache, as a server's Runtime has: AppTest makes a new one per run,
so each run compiled app.py and the page again (about 3 ms of the organisation page's rerun; a bare page
of one small script paid far less), which no server does after a page's first run.
"""

from __future__ import annotations

import streamlit.testing.v1.app_test as app_test
import streamlit.testing.v1.local_script_runner as local_script_runner
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner.script_cache import ScriptCache

_original_init = PagesManager.__init__


def _navigation_only(self, *args, **kwargs) -> None:
    _original_init(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False


PagesManager.__init__ = _navigation_only  # type: ignore[method-assign]


_SCRIPTS = ScriptCache()  # one per process, as a server's Runtime keeps one
app_test.ScriptCache = local_script_runner.ScriptCache = lambda: _SCRIPTS  # type: ignore[assignment, misc]
