"""A respondent answers for their organisation: saved as they go, resumable, submitted once per key."""

import streamlit as st

from alignment.core.text import escape_markdown
from ui.address_draft import clear_from_address, keep_in_address
from ui.db import base_url
from ui.questionnaire_form import questionnaire_form
from ui.respondent import remember_in_browser, respondent_context, restore, save, submit
from ui.session import DraftState, current_translator, leave_legacy_pages_mode, questionnaire

leave_legacy_pages_mode()
t = current_translator()
q = questionnaire()

st.title(t("org.respond.title"))
context = respondent_context(t, q)  # stops with a message on a bad link or an unreachable database
assessment, rnd = context["assessment"], context["round"]
draft = DraftState(f"org:{assessment.id}")

if context["done"]:
    st.success(t(f"org.respond.{context['done']}"))
    st.stop()
if not rnd.is_open:
    st.warning(t("org.respond.closed"))
    st.stop()
remember_in_browser(context)
restore(t, q, context, draft)

st.write(t("org.respond.intro", org=escape_markdown(assessment.org_name), min=assessment.min_group_size))
st.caption(t(f"org.respond.access_{assessment.access}", min=assessment.min_group_size))
submission = questionnaire_form(  # an invitation answers for the side it was given for
    t, q, draft, with_profile=False, submit_label=t("org.respond.submit"), fixed_side=context["side"]
)
if draft.values and draft.values != context.get("saved_values"):
    save(t, context, draft)  # what changed since the last save, including anything kept while the database was away
# The notices come below the form: appearing above it, they would push the form down mid-tap.
if context["unsaved"]:
    keep_in_address(draft.values)  # outlives this session and the app server, until saved
    st.warning(t("org.respond.unsaved"))
elif context.get("stored"):
    clear_from_address()
    if context["side"] is None:  # an open link: the key resumes on another device
        st.query_params["r"] = context["key"]
        st.caption(t("org.respond.saved"))
        # Plain text, not st.code: that loads Streamlit's 1.6 MB syntax highlighter on phones.
        st.text(f"{base_url()}/respond?a={context['code']}&r={context['key']}")
    else:
        st.caption(t("org.respond.saved_invitation"))
if submission:
    submit(t, context, draft, submission)
