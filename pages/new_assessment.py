"""Create an organisation assessment (open link, invitations by e-mail, or links handed out); its links, once."""

import streamlit as st

from alignment.core.i18n import LANGS
from alignment.core.questionnaire import Profile
from alignment.core.text import clean_text, too_long
from alignment.org.rounds import (
    DEFAULT_MIN_GROUP,
    MAX_INVITATIONS_PER_SIDE,
    MAX_ORG_NAME,
    MAX_ROUND_LABEL,
    MIN_GROUP_RANGE,
    SAFE_MIN_GROUP,
    NewAssessment,
)
from ui.db import database
from ui.errors import database_errors
from ui.invitations import access_choice, invitee_inputs, show_created
from ui.mail import address_inputs, check_addresses, handout_warning, send
from ui.session import LANG_NAMES, DraftState, current_translator, questionnaire
from ui.widgets import code_select, profile_labels

t = current_translator()
q = questionnaire()
CREATED = "new_assessment:created"
CARD = "new_assessment:card_text"  # the name and first round label, for the links card
SENT = "new_assessment:sent"  # by e-mail: how many invitations went at creation (counts only)

st.title(t("org.create.title"))
st.write(t("org.create.intro"))

created = st.session_state.get(CREATED)
if created:
    show_created(t, created, *st.session_state.get(CARD, ("", "", {})), *st.session_state.get(SENT, (False, None)))
    if st.button(t("org.create.another"), key="new_assessment:another"):
        del st.session_state[CREATED]
        st.session_state.pop(CARD, None)
        st.session_state.pop(SENT, None)
        st.rerun()
    st.stop()

# No max_chars: Streamlit's input empties itself when a paste goes past it. A value too long is refused
# below with its length, and stays in the field to be shortened.
name = st.text_input(t("org.create.org_name"), key="new_assessment:name")
round_label = st.text_input(t("org.create.round_label"), help=t("org.create.round_help"), key="new_assessment:round")
form = DraftState("new_assessment")  # keeps the choices through a language switch
labels = profile_labels(t, q)
industry = code_select(t, t("questionnaire.industry"), labels["industry"], form, "industry")
country = code_select(t, t("questionnaire.country"), labels["country"], form, "country")
size = code_select(t, t("questionnaire.size"), labels["size"], form, "size")
lang = st.radio(
    t("org.create.lang"),
    LANGS,
    index=LANGS.index(t.lang),
    format_func=LANG_NAMES.__getitem__,
    horizontal=True,
    key="new_assessment:lang",
)
min_group = st.number_input(
    t("org.create.min_group"),
    min_value=MIN_GROUP_RANGE[0],
    max_value=MIN_GROUP_RANGE[1],
    value=DEFAULT_MIN_GROUP,
    step=1,
    help=t("org.create.min_group_help"),
    key="new_assessment:min_group",
)

if min_group < SAFE_MIN_GROUP:
    st.warning(t("org.create.small_group_warning"))
access = access_choice(t)
if access == "invitations":
    handout_warning(t, "create")
invitees = invitee_inputs(t, q) if access == "invitations" else {}
given_addresses = address_inputs(t, q) if access == "email" else {}
submitted = st.button(t("org.create.submit"), type="primary", key="new_assessment:submit")

if submitted:
    problems = [
        t("org.create.too_long", field=t(f"org.create.{field}"), length=len(clean_text(value, len(value))), max=limit)
        for field, value, limit in (("org_name", name, MAX_ORG_NAME), ("round_label", round_label, MAX_ROUND_LABEL))
        if too_long(value, limit)
    ]
    name, round_label = clean_text(name, MAX_ORG_NAME), clean_text(round_label, MAX_ROUND_LABEL)
    problems += [t("org.create.missing_name")] * (not name) + [t("org.create.missing_round")] * (not round_label)
    too_many = [t(f"side.{side}") for side, names in invitees.items() if len(names) > MAX_INVITATIONS_PER_SIDE]
    problems += [t("org.create.too_many_invitees", sides=t.join(too_many), max=MAX_INVITATIONS_PER_SIDE)] * bool(
        too_many
    )
    problems += [t("org.create.no_invitees")] * (access == "invitations" and not any(invitees.values()))
    addresses = {}
    if access == "email":
        checked = check_addresses(t, given_addresses)
        problems += checked.problems
        addresses = checked.addresses
        for note in checked.notes:
            st.info(note)
    if problems:
        st.error("\n".join(f"- {p}" for p in problems))  # our texts; the values are not quoted
        st.stop()
    new = NewAssessment(
        org_name=name,
        round_label=round_label,
        lang=lang,
        min_group_size=int(min_group),
        access=access,
        invited={side: len(names) for side, names in invitees.items() if names},
        addresses=addresses,
        profile=Profile(industry=industry, country=country, size=size),
    )
    with database_errors(t):
        st.session_state[CREATED] = created = database().create_assessment(new)
        st.session_state[CARD] = (name, round_label, invitees)  # the names live only in this session
    if access == "email":  # the addresses are stored (not in this session); the app e-mails the links
        st.session_state[SENT] = (True, send(t, created.assessment_id))
    st.rerun()
