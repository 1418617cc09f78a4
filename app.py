"""Entry point: the router (page config, navigation, language) and, for the server, the ASGI app around it.

Streamlit runs this file as __main__ for every page view: route() below. `streamlit run app.py` also
imports it once as the module "app", finds `app = st.App(...)` and serves that with uvicorn:
security headers, health routes and JSON logs (ui/server.py) around the same pages.
"""

from urllib.parse import urlparse

import streamlit as st

from ui.errors import run_guarded
from ui.session import current_translator, language_selector


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
    navigation = st.navigation(
        position="hidden" if respondent_only else "sidebar",
        pages=[
            st.Page(
                "pages/questionnaire.py",
                title=t("nav.questionnaire"),
                icon=":material/checklist:",
                default=True,
            ),
            st.Page("pages/results.py", title=t("nav.results"), icon=":material/insights:", url_path="results"),
            st.Page(
                "pages/new_assessment.py",
                title=t("org.nav_create"),
                icon=":material/groups:",
                url_path="new_assessment",
            ),
            st.Page(
                "pages/organisation.py",
                title=t("org.nav_results"),
                icon=":material/monitoring:",
                url_path="organisation",
            ),
            st.Page(
                "pages/respond.py",
                title=t("org.nav_respond"),
                icon=":material/edit_note:",
                url_path="respond",
                visibility="hidden",
            ),
            st.Page(
                "pages/plan.py", title=t("plan.nav"), icon=":material/forum:", url_path="plan", visibility="hidden"
            ),
            st.Page("pages/about.py", title=t("nav.about"), icon=":material/menu_book:", url_path="about"),
            st.Page(
                "pages/room.py", title=t("room.nav"), icon=":material/co_present:", url_path="room", visibility="hidden"
            ),
            st.Page("pages/join.py", title=t("room.join.title"), url_path="join", visibility="hidden"),
            st.Page("pages/stop.py", title=t("mail.stop.title"), url_path="stop", visibility="hidden"),
        ],
    )
    # A keyboard user sees where the focus is on the sidebar's links: a thick outline and an underline, unlike the
    # current page's grey background (tests/pages/test_browser_focus.py).
    st.html(
        """<style>
    [data-testid="stSidebarNavLink"]:focus-visible {outline-style: solid !important; outline-width: 3px !important;
      outline-color: #0b57d0 !important; outline-offset: -3px; box-shadow: inset 0 0 0 5px #ffffff;}
    [data-testid="stSidebarNavLink"]:focus-visible span {text-decoration: underline; text-decoration-thickness: 2px;}
    </style>"""
    )
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
