"""Entry point: the router (page config, navigation, language) and, for the server, the ASGI app around it.

Streamlit runs this file as __main__ for every page view: route() below. `streamlit run app.py` also
imports it once as the module "app", finds `app = st.App(...)` and serves that with uvicorn:
security headers, health routes and JSON logs (ui/server.py) around the same pages.
"""

from urllib.parse import urlparse

import streamlit as st

from alignment.core.i18n import Translator
from ui.errors import run_guarded
from ui.session import current_translator, language_selector
from ui.widgets import input_hints

# The pages: (script, title's key, icon, url_path, hidden). The questionnaire is the default page.
PAGES = (
    ("pages/questionnaire.py", "nav.questionnaire", ":material/checklist:", None, False),
    ("pages/results.py", "nav.results", ":material/insights:", "results", False),
    ("pages/new_assessment.py", "org.nav_create", ":material/groups:", "new_assessment", False),
    ("pages/organisation.py", "org.nav_results", ":material/monitoring:", "organisation", False),
    ("pages/respond.py", "org.nav_respond", ":material/edit_note:", "respond", True),
    ("pages/plan.py", "plan.nav", ":material/forum:", "plan", True),
    ("pages/about.py", "nav.about", ":material/menu_book:", "about", False),
    ("pages/room.py", "room.nav", ":material/co_present:", "room", True),
    ("pages/join.py", "room.join.title", None, "join", True),
    ("pages/stop.py", "mail.stop.title", None, "stop", True),
)


def pages(t: Translator) -> list[st.Page]:
    """The pages in the session's language, made once per session and language and kept in its state: making
    ten st.Page objects resolves ten paths on disk, a sixth of what app.py costs a rerun. Kept per session,
    not shared: st.navigation marks the page it runs on the object."""
    key = f"app:pages:{t.lang}"
    made = st.session_state.get(key)
    if made is None:
        made = st.session_state[key] = [
            st.Page(
                script,
                title=t(title),
                icon=icon,
                url_path=url_path,
                default=url_path is None,
                visibility="hidden" if hidden else "visible",
            )
            for script, title, icon, url_path, hidden in PAGES
        ]
    return made


def route() -> None:
    """Page config, navigation and language; the pages render; alignment/ holds the logic."""
    st.set_page_config(page_title="CIO–CMO alignment · Alignement DSI–marketing", page_icon="🤝", layout="centered")
    t = current_translator()
    # Respondents (on /respond, their link carries "a=" or an invitation "i=") see the questionnaire alone, not
    # the organiser's menu; an "a=" or "i=" on any other page changes nothing.
    # The stop page of an invitation e-mail (/stop?u=…) shows no menu either.
    page_name = urlparse(st.context.url or "").path.rstrip("/").rsplit("/", 1)[-1]
    on_respond_page = page_name == "respond"
    respondent_only = (on_respond_page and ("a" in st.query_params or "i" in st.query_params)) or page_name == "stop"
    navigation = st.navigation(position="hidden" if respondent_only else "sidebar", pages=pages(t))
    # A keyboard user sees where the focus is on the sidebar's links: a thick outline and an underline, unlike the
    # current page's grey background (tests/pages/test_browser_focus.py).
    st.html(
        """<style>
    [data-testid="stSidebarNavLink"]:focus-visible {outline-style: solid !important; outline-width: 3px !important;
      outline-color: #0b57d0 !important; outline-offset: -3px; box-shadow: inset 0 0 0 5px #ffffff;}
    [data-testid="stSidebarNavLink"]:focus-visible span {text-decoration: underline; text-decoration-thickness: 2px;}
    </style>"""
    )
    input_hints(t)  # Streamlit's "Press Enter to submit form", in the page's language
    # The database is opened (and migrated) by the first organisation page that needs it: the quick check
    # never loads SQLAlchemy or Alembic.
    language_selector()
    run_guarded(navigation.run, t)  # an unexpected exception: a short message and a reference, never a trace


if __name__ == "__main__":
    route()
else:  # imported by `streamlit run app.py` (uvicorn), not a page view
    from ui import server
    from ui.session import leave_legacy_pages_mode

    leave_legacy_pages_mode()  # before any session: pages/ beside app.py is not a legacy multipage app
    server.keep_clicks_after_a_failover()  # a click on a page another app server drew is not dropped

    app = st.App("app.py", routes=server.routes(), middleware=server.middleware(), lifespan=server.lifespan)
