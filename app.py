"""Entry point: page config, language, navigation. The pages render; alignment/ holds the logic."""

import streamlit as st

from ui.session import language_selector

t = language_selector()
st.set_page_config(page_title=t("app.name"), page_icon="🤝", layout="centered")

pages = [
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
st.navigation(pages).run()
