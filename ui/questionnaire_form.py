"""The questionnaire as widgets, shared by the quick check and an organisation's respondents."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from alignment.core.context import context_questions
from alignment.core.i18n import Translator
from alignment.core.questionnaire import ANSWERS, Questionnaire, Submission
from alignment.core.text import MAX_FREE_TEXT, clean_text, escape_markdown, too_long
from alignment.quick.address import OTHER
from ui.session import DraftState
from ui.widgets import code_select, profile_labels


def _as_int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


FORM_KEY = "questionnaire-form"

# Phones first (scoped to the form's container, st-key-<key>): on a narrow or touch screen every answer
# option is a box of at least 44 x 44 CSS px (WCAG 2.5.5), the scale's six options sit two to a row so
# nothing scrolls sideways, and the progress stays in view at the top while the respondent scrolls (the
# main area's scroll padding keeps an option the keyboard moves to from hiding under it).
# Only the boxes change: the radios, their keys, labels and keyboard behaviour are Streamlit's own.
TOUCH_CSS = f"""<style>
@media (max-width: 640px), (pointer: coarse) {{
  .st-key-{FORM_KEY} [data-testid="stRadioGroup"] {{
    display: grid; grid-template-columns: 1fr; align-items: stretch; gap: 0.375rem;
  }}
  .st-key-{FORM_KEY} [data-testid="stRadioGroup"][aria-orientation="horizontal"] {{
    grid-template-columns: repeat(2, minmax(0, 1fr));
  }}
  .st-key-{FORM_KEY} [data-testid="stRadioGroup"] > div {{
    display: flex; align-items: stretch; min-width: 0; margin: 0;
  }}
  .st-key-{FORM_KEY} [data-testid="stRadioOption"] {{
    box-sizing: border-box; flex: 1; min-height: 44px; min-width: 44px; margin: 0;
    display: flex; align-items: center; padding: 0.25rem 0.5rem;
    border: 1px solid rgba(49, 51, 63, 0.25); border-radius: 0.5rem;
  }}
  .st-key-{FORM_KEY} [data-testid="stRadioOption"]:has(input:checked) {{
    border-color: #ff4b4b; background: rgba(255, 75, 75, 0.06);
  }}
  .st-key-{FORM_KEY} [data-testid="stRadioOption"] p {{ overflow-wrap: anywhere; }}
  .st-key-{FORM_KEY} [data-testid="stButton"] button, .st-key-{FORM_KEY} summary {{ min-height: 44px; }}
  [data-testid="stMain"] h1 {{ font-size: 2rem; }}
  [data-testid="stMain"] h2 {{ font-size: 1.5rem; }}
}}
.st-key-{FORM_KEY} [data-testid="stRadioOption"][data-focus-visible] {{
  outline: 2px solid #ff4b4b; outline-offset: 2px;
}}
[data-testid="stMain"]:has(.st-key-{FORM_KEY} [data-testid="stProgress"]) {{ scroll-padding-top: 8rem; }}
.st-key-{FORM_KEY} [data-testid="stElementContainer"]:has(> [data-testid="stProgress"]) {{
  position: sticky; top: 3.75rem; z-index: 2; background: #ffffff; padding: 0.25rem 0 0.5rem;
}}
</style>"""


def questionnaire_form(
    t: Translator,
    q: Questionnaire,
    draft: DraftState,
    with_profile: bool = True,
    submit_label: str = "",
    fixed_side: str | None = None,
) -> Submission | None:
    """The whole form in one page run: side, ten statements, context, optional profile and the submit button.

    Every widget writes its value into the draft (DraftState.widget: its on_change callback before the
    script runs, and the value it returns), so the progress and the gaps read a complete draft. Returns the
    submission when the button was clicked with everything answered; with gaps, names them in a message and
    flags them, keeping every answer. A page whose parts rerun alone (pages/respond.py, st.fragment) draws
    the same parts itself: `statements`, `context`, `submit_button`, inside `form_frame()`.

    `fixed_side` (an invitation given for one side): the side is not asked; a caption names it, and the
    draft and the submission carry it.
    """
    with form_frame():
        statements(t, q, draft, fixed_side)
        context(t, draft)
        if with_profile:
            _profile(t, q, draft)
        return submit_button(t, q, draft, submit_label)


def form_frame() -> DeltaGenerator:
    """The form's phone-first styles (TOUCH_CSS) and the keyed container they are scoped to, drawn once a
    page run: a part of the form that reruns alone (an st.fragment) inside it does not send them again."""
    st.html(TOUCH_CSS)
    return st.container(key=FORM_KEY)


def _flags(draft: DraftState) -> tuple[str, str]:
    """The session keys of a draft's form: gaps flagged in the labels (after a submit with gaps), and the
    submit button clicked in this run."""
    return f"{draft.name}:show_missing", f"{draft.name}:clicked"


def statements(t: Translator, q: Questionnaire, draft: DraftState, fixed_side: str | None = None) -> None:
    """The side (asked, or named when an invitation fixes it), then, once there is a side, the ten statements
    worded for it under their progress bar; in the run of a submit with gaps, the gaps named (and flagged in
    the labels until answered)."""
    if fixed_side is not None and fixed_side not in q.side_ids:
        raise ValueError(f"unknown side {fixed_side!r}; expected one of {q.side_ids}")
    flag_key, clicked_key = _flags(draft)
    show_missing = st.session_state.get(flag_key, False)
    if fixed_side is not None:
        draft.set("side", fixed_side)
    before = draft.submission()[0]  # the callbacks have run: current (but see the progress bar below)
    missing = set(before.missing(q))
    required = f" ({t('questionnaire.required')})"

    if fixed_side is not None:
        side = fixed_side
        st.caption(t("mobile.fixed_side", side=t(f"side.{fixed_side}")))
    else:
        side = draft.widget(
            st.radio,
            "side",
            t("questionnaire.side_label") + (required if show_missing and "side" in missing else ""),
            q.side_ids,
            index=None,
            format_func=lambda s: t(f"side.{s}"),
            help=t("questionnaire.side_help"),
            width="stretch",  # on a phone, the side's boxes as wide as the statements'
        )
    if not side:
        # The statements are worded for a side ("We in IT cannot provide…" / "IT cannot provide us…"): they
        # are drawn once it is chosen, so nobody answers a wording that is not theirs (and the first screen
        # draws one radio group, not eleven).
        st.info(t("questionnaire.side_first"))
        if st.session_state.get(clicked_key):  # a submit with no side: the one gap to name
            _name_gaps(t, q, ["side"])
            st.session_state[flag_key] = False  # statements not yet seen are not flagged when they appear
        return
    wording = q.side(side).wording

    # The heading and the scale's hint in one element, the progress bar from the draft, not in a container
    # filled at the end (drawn again in place only if a widget's value changed it meanwhile): a click sends
    # two elements less.
    st.markdown(f"## {t('questionnaire.statements')}\n\n{t('questionnaire.scale_hint')}")
    shown = _progress(t, q, before)
    bar = st.progress(*shown)
    scale = {v: t(f"scale.{v}") for v in ANSWERS}  # translated once a run, not once per option and statement
    for n, item in enumerate(q.items, start=1):
        flag = required if show_missing and item.id in missing else ""
        draft.widget(
            st.radio,
            item.id,
            f"{n}. {item.text_for(wording, t.lang)}{flag}",
            ANSWERS,
            index=None,
            format_func=scale.__getitem__,
            horizontal=True,
            to_widget=_as_int,
        )
    submission, _ = draft.submission()  # every widget has given its value
    if (now := _progress(t, q, submission)) != shown:  # a widget gave a value its callback had not
        bar.progress(*now)
    gaps = submission.missing(q)
    if st.session_state.get(clicked_key) and gaps:  # the submit's run (the button, below, reads it last)
        _name_gaps(t, q, gaps)


def _name_gaps(t: Translator, q: Questionnaire, gaps: list[str]) -> None:
    """The message of a submit with gaps: each gap named, the side or a statement by number and title."""
    lines = [
        t("questionnaire.missing_side")
        if gap == "side"
        else t("questionnaire.missing_item", number=q.item_ids.index(gap) + 1, title=q.item(gap).short_in(t.lang))
        for gap in gaps
    ]
    st.error(t("questionnaire.missing_title") + "\n\n" + "\n".join(f"- {line}" for line in lines))


def submit_button(t: Translator, q: Questionnaire, draft: DraftState, label: str = "") -> Submission | None:
    """The submit button. Returns the submission in the run its click starts, if nothing is missing (the
    statements part names the gaps otherwise); None in any other run."""
    flag_key, clicked_key = _flags(draft)

    def clicked() -> None:  # runs before the rerun, so gaps are flagged in the same pass as the message
        st.session_state[flag_key] = True
        st.session_state[clicked_key] = True

    st.button(label or t("questionnaire.submit"), type="primary", on_click=clicked, key=f"{draft.name}:submit")
    if not st.session_state.pop(clicked_key, False):
        return None
    submission, _ = draft.submission()
    if submission.missing(q):
        return None
    st.session_state[flag_key] = False
    return submission


def _progress(t: Translator, q: Questionnaire, submission: Submission) -> tuple[float, str]:
    """The progress bar's value and text: statements answered, and a word once everything is (the side too)."""
    answered = sum(1 for i in q.item_ids if i in submission.answers)
    ready = answered == len(q.items) and submission.side is not None
    text = t("mobile.ready" if ready else "questionnaire.progress", answered=answered, total=len(q.items))
    return answered / len(q.items), text


def context(t: Translator, draft: DraftState) -> None:
    """The editorial's context questions: optional, and marked as having no published benchmark. In an
    expander drawn only when opened, as the profile: closed (as it comes), its six radio groups are neither
    built nor sent, and the first screen is the side alone (cold start: docs/performance.md). Their answers
    live in the draft, so closing it keeps them."""
    box = st.expander(t("context.title"), key=f"{draft.name}:context_open", on_change="rerun")
    if not box.open:
        return
    with box:
        st.caption(t("context.help"))
        for question in context_questions():
            labels = question.labels(t.lang, t("scale.0"))
            draft.widget(
                st.radio,
                question.key,
                question.text[t.lang],
                question.codes,
                index=None,
                format_func=labels.__getitem__,
                horizontal=True,
                to_widget=_as_int,
            )
            if question.note:
                st.caption(question.note[t.lang])


def _profile(t: Translator, q: Questionnaire, draft: DraftState) -> None:
    """The optional profile, in an expander drawn only when opened: closed (as it comes), its three lists are
    neither built nor sent (in Chromium, two thirds of the browser's extra work on the first page:
    docs/performance.md). Its answers live in the draft, so closing it keeps them."""
    profile = st.expander(t("questionnaire.profile"), key=f"{draft.name}:profile_open", on_change="rerun")
    if not profile.open:
        return
    labels = profile_labels(t, q)
    with profile:
        st.caption(t("questionnaire.profile_help"))
        for field in ("industry", "country"):
            choice = code_select(t, t(f"questionnaire.{field}"), labels[field], draft, field)
            if choice == OTHER:
                label = t(f"questionnaire.{field}_other")
                # No max_chars: Streamlit's input empties itself when a paste goes past it. The field
                # keeps what was typed; the result keeps the first MAX_FREE_TEXT characters, and says so.
                typed = draft.widget(
                    st.text_input,
                    f"{field}_other",
                    label,
                    to_widget=lambda v: v or "",
                    from_widget=lambda v: clean_text(v or ""),
                )
                if too_long(typed, MAX_FREE_TEXT):
                    length = len(clean_text(typed, len(typed)))
                    st.warning(
                        escape_markdown(t("questionnaire.trimmed", field=label, length=length, max=MAX_FREE_TEXT))
                    )
            else:
                draft.set(f"{field}_other", None)
        code_select(t, t("questionnaire.size"), labels["size"], draft, "size")
