"""Benches run the app under st.navigation only, never through Streamlit's legacy pages/ path.

Streamlit flags an app with a pages/ folder beside its entry file as a legacy multipage app until the
first st.navigation() call, and AppTest re-arms that flag on every run: each AppTest run of app.py would
then run through the legacy path (app.py clears the flag once, at server start, not per AppTest run).
A real server pays that once, on its first session, which the benches' warm-up absorbs. Importing this
module makes AppTest keep the flag off, so an AppTest run costs what a server's rerun costs.
"""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager

_original_init = PagesManager.__init__


def _navigation_only(self, *args, **kwargs) -> None:
    _original_init(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False


PagesManager.__init__ = _navigation_only  # type: ignore[method-assign]
