"""Entry point: page config, navigation, language. The pages render; alignment/ holds the logic."""

import streamlit as st

from ui.session import current_translator, language_selector, leave_legacy_pages_mode

st.set_page_config(page_title="CIO–CMO alignment · Alignement DSI–marketing", page_icon="🤝", layout="centered")
leave_legacy_pages_mode()
t = current_translator()
navigation = st.navigation(
    [
        st.Page(
            "pages/questionnaire.py",
            title=t("nav.questionnaire"),
            icon=":material/checklist:",
            url_path="quick-check",
            default=True,
        ),
        st.Page("pages/results.py", title=t("nav.results"), icon=":material/insights:", url_path="results"),
        st.Page("pages/about.py", title=t("nav.about"), icon=":material/menu_book:", url_path="about"),
    ]
)
language_selector()
navigation.run()
