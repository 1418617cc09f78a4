"""The quick check: side, ten statements, optional profile; answers kept in the session draft."""

import streamlit as st

from alignment.questionnaire import ANSWERS
from alignment.share import OTHER, encode
from alignment.text import MAX_FREE_TEXT, clean_text
from benchmark import load_survey
from ui.session import bound, current_translator, draft_submission, leave_legacy_pages_mode, questionnaire, remember

leave_legacy_pages_mode()
t = current_translator()
q = questionnaire()
survey = load_survey()


def as_int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


def as_str(value: object) -> str | None:
    return None if value is None else str(value)


st.title(t("questionnaire.title"))
st.write(t("questionnaire.intro"))

submission, _ = draft_submission()
show_missing = st.session_state.get("show_missing", False)
missing = set(submission.missing(q))

side_label = t("questionnaire.side_label") + (
    f" ({t('questionnaire.required')})" if show_missing and "side" in missing else ""
)
side = st.radio(
    side_label,
    q.side_ids,
    index=None,
    format_func=lambda s: t(f"side.{s}"),
    help=t("questionnaire.side_help"),
    key=bound("side"),
    on_change=remember,
    args=("side",),
)
wording = q.side(side).wording if side else "neutral"
if not side:
    st.info(t("questionnaire.side_first"))

st.subheader(t("questionnaire.statements"))
st.caption(t("questionnaire.scale_hint"))
for n, item in enumerate(q.items, start=1):
    flag = f" ({t('questionnaire.required')})" if show_missing and item.id in missing else ""
    st.radio(
        f"{n}. {item.text_for(wording, t.lang)}{flag}",
        ANSWERS,
        index=None,
        format_func=lambda v: t(f"scale.{v}"),
        horizontal=True,
        key=bound(item.id, as_int),
        on_change=remember,
        args=(item.id, as_str),
    )

answered = sum(1 for i in q.item_ids if i not in missing)
st.progress(answered / len(q.items), text=t("questionnaire.progress", answered=answered, total=len(q.items)))

with st.expander(t("questionnaire.profile")):
    st.caption(t("questionnaire.profile_help"))
    for field, options in (("industry", survey["industries"]), ("country", survey["countries"])):
        labels = {o["code"]: t.pick(o) for o in options} | {OTHER: t("profile.other")}
        choice = st.selectbox(
            t(f"questionnaire.{field}"),
            list(labels),
            index=None,
            format_func=labels.__getitem__,
            placeholder=t("questionnaire.choose"),
            key=bound(field),
            on_change=remember,
            args=(field,),
        )
        if choice == OTHER:
            st.text_input(
                t(f"questionnaire.{field}_other"),
                max_chars=MAX_FREE_TEXT,
                key=bound(f"{field}_other", lambda v: v or ""),
                on_change=remember,
                args=(f"{field}_other", clean_text),
            )
    bands = {b["code"]: t.pick(b) for b in q.size_bands}
    st.selectbox(
        t("questionnaire.size"),
        list(bands),
        index=None,
        format_func=bands.__getitem__,
        placeholder=t("questionnaire.choose"),
        key=bound("size"),
        on_change=remember,
        args=("size",),
    )


def on_submit() -> None:
    """Runs before the rerun, so the missing answers are flagged in the same pass as the message."""
    st.session_state["show_missing"] = True
    st.session_state["submit_clicked"] = True


st.button(t("questionnaire.submit"), type="primary", on_click=on_submit, key="submit")
if st.session_state.pop("submit_clicked", False):
    gaps = submission.missing(q)
    if gaps:
        lines = [
            t("questionnaire.missing_side")
            if gap == "side"
            else t("questionnaire.missing_item", number=q.item_ids.index(gap) + 1, title=q.item(gap).short_in(t.lang))
            for gap in gaps
        ]
        st.error(t("questionnaire.missing_title") + "\n\n" + "\n".join(f"- {line}" for line in lines))
    else:
        st.session_state["show_missing"] = False
        st.switch_page("pages/results.py", query_params=encode(submission))
