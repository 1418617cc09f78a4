"""About the survey: every published figure with its source, and the method."""

import streamlit as st

from alignment.core.method import method_sections, privacy_section, survey_line
from alignment.core.text import escape_markdown
from alignment.quick.sentences import population
from benchmark import load_figures
from ui.session import current_translator, questionnaire

t = current_translator()
q = questionnaire()

st.title(t("about.title"))
st.write(t("about.intro"))
st.caption(survey_line(t))

st.header(t("about.figures"))
# st.table, not st.dataframe: it wraps its cells, so on a 390 px phone the figure column stays in view
# (a data grid of this width scrolls it out of sight).
st.table(
    [
        {
            t("about.col_item"): escape_markdown(q.item(f.item).short_in(t.lang)),  # st.table reads Markdown
            t("about.col_population"): population(t, f.population),
            t("about.col_year"): str(f.year),
            t("about.col_percent"): t.percent(f.percent),
        }
        for f in load_figures()
    ],
    hide_index=True,
    border="horizontal",
)
st.caption(t("about.figures_source"))

for section in [privacy_section(t), *method_sections(t)]:  # who sees what first: the question organisers ask
    st.header(section.title)
    for paragraph in section.paragraphs:
        st.write(paragraph)
    st.markdown("\n".join(f"- {line}" for line in section.bullets))
