"""Issue 16's attacks through the pages (AppTest), on SQLite and PostgreSQL: what an organiser who holds the
links sees when opening them in another browser, what the projected room view holds, and a respondent who
joined by code while someone floods the join page with wrong codes.

Each AppTest run with no cookie is a new browser (a private window); the storage-level attacks (padding,
a 300-thread burst, a flood against a newcomer) are in tests/storage/test_privacy_attacks.py.
"""

from __future__ import annotations

import base64
import contextlib
import random

import pytest
import streamlit as st

from alignment.org.rounds import NewAssessment
from storage import Database, JoinLimits, TooManyAttempts
from storage.codes import room_join_codes
from tests.apptest_helpers import assert_no_error, start
from tests.conftest import early_in_a_join_slot, postgres_schema_url


@pytest.fixture(params=["sqlite", "postgresql"])
def app_db(request, tmp_path, monkeypatch):
    """The app's database (DATABASE_URL) on each engine, migrated; the app's cached Database is cleared."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'app.db'}"
        yield from _serve(url, monkeypatch)
        return
    with postgres_schema_url() as url:
        yield from _serve(url, monkeypatch)


def _serve(url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_resource.clear()
    db = Database(url)
    db.migrate()
    yield db
    db.dispose()
    st.cache_resource.clear()


def page_text(at) -> str:
    """Everything the page sent to the browser: every element's message, as text."""

    def walk(node, out):
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child, out)
        return out

    return "\n".join(walk(at._tree, []))


def session_values(at) -> str:
    state = at.session_state._state._state.filtered_state  # what the session keeps, widgets included
    return "\n".join(f"{k}={v!r}" for k, v in state.items())


def item_radios(at, assessment_id: str) -> list:
    prefix = f"w:org:{assessment_id}:en:"
    return [r for r in at.radio if r.key and r.key.startswith(prefix) and ":ctx_" not in r.key and ":side" not in r.key]


# --- Attack 1: an invitation link shows its invitee's unsubmitted answers to whoever opens it ------------------


def test_an_invitation_link_opened_in_another_browser_shows_no_answer(app_db):
    created = app_db.create_assessment(
        NewAssessment("Acme", "R1", "en", 1, access="invitations", invited={"marketing": 2})
    )
    assessment = app_db.find_by_results_code(created.results_code)
    code = created.invitations[0][1]
    invitee = start(query={"i": code}, page="pages/respond.py")
    radios = item_radios(invitee, assessment.id)
    radios[0].set_value(1)
    radios[1].set_value(2)
    invitee.run()
    assert_no_error(invitee)
    assert any("on another device, use this link" in c.value for c in invitee.caption)
    resume = invitee.query_params["r"]
    assert resume and resume != code

    organiser = start(query={"i": code}, page="pages/respond.py")  # the same link, another browser
    assert_no_error(organiser)
    assert [r.value for r in item_radios(organiser, assessment.id)] == [None] * len(radios)  # an empty form
    assert not any("Welcome back" in i.value for i in organiser.info)
    assert "Welcome back" not in page_text(organiser)

    mine = start(query={"i": code, "r": resume}, page="pages/respond.py")  # the link shown on her screen
    assert any("Welcome back" in i.value for i in mine.info)
    assert [r.value for r in item_radios(mine, assessment.id)][:2] == [1, 2]


def test_the_open_link_and_a_join_code_opened_elsewhere_show_no_answer(app_db):
    created = app_db.create_assessment(NewAssessment("Acme", "R1", "en", 1))
    assessment = app_db.find_by_results_code(created.results_code)
    room = app_db.new_room_join(assessment.id)
    for code in (created.respondent_code, room.code, room.link):
        respondent = start(query={"a": code}, page="pages/respond.py")
        respondent.radio(key=f"w:org:{assessment.id}:en:side").set_value("marketing").run()
        item_radios(respondent, assessment.id)[0].set_value(1)
        respondent.run()
        assert_no_error(respondent)
        other = start(query={"a": code}, page="pages/respond.py")  # a private window on the same link
        assert_no_error(other)
        assert other.radio(key=f"w:org:{assessment.id}:en:side").value is None  # not her side either
        assert not item_radios(other, assessment.id)  # the statements wait for a side
        other.radio(key=f"w:org:{assessment.id}:en:side").set_value("marketing").run()
        assert [r.value for r in item_radios(other, assessment.id)] == [None] * 10
        assert not any("Welcome back" in i.value for i in other.info)


# --- Attack 3: the room view carried the results code in its address --------------------------------------------


def test_the_room_view_holds_no_results_code(app_db):
    created = app_db.create_assessment(NewAssessment("Acme Room", "R1", "en", 3))
    results = start(query={"k": created.results_code}, page="pages/organisation.py")
    results.button(key=f"room_access:{app_db.find_by_results_code(created.results_code).id}:make").click().run()
    assert_no_error(results)
    [link] = [t.value for t in results.text if "/room?" in t.value]
    assert created.results_code not in link and "/room?v=" in link
    key = link.split("v=", 1)[1]

    room = start(query={"v": key}, page="pages/room.py")  # the projected browser: a new session, the link only
    assert_no_error(room)
    assert room.title[0].value == "Acme Room · R1"
    assert created.results_code not in page_text(room)
    assert created.results_code not in " ".join(room.query_params.values())
    assert created.results_code not in session_values(room)
    assert created.respondent_code not in page_text(room)
    # The live view and nothing else: no button, no download, no management.
    assert [b.label for b in room.button] == [] and room.get("download_button") == []
    assert [t.label for t in room.toggle] == ["Rehearsal with simulated answers"]
    assert any("appear when the round is closed" in i.value for i in room.info)


def test_the_room_key_is_revoked_and_the_old_address_is_cleared(app_db):
    created = app_db.create_assessment(NewAssessment("Acme", "R1", "en", 3))
    assessment = app_db.find_by_results_code(created.results_code)
    key, _ = app_db.new_room_key(assessment.id)
    results = start(query={"k": created.results_code}, page="pages/organisation.py")
    results.button(key=f"room_access:{assessment.id}:revoke").click().run()
    assert any("revoked" in s.value for s in results.success)
    room = start(query={"v": key}, page="pages/room.py")
    assert "not valid, has expired or was revoked" in room.error[0].value and not room.title
    old = start(query={"k": created.results_code}, page="pages/room.py")  # a room address of before
    assert "k" not in old.query_params and "no longer opens with the results link" in old.error[0].value
    assert "Acme" not in page_text(old)


# --- Attack 4: a flood of wrong join codes cut off a respondent who had joined ----------------------------------


def test_a_joined_respondent_keeps_answering_through_a_flood(app_db, monkeypatch):
    monkeypatch.setenv("JOIN_FAILURES_PER_CLIENT", "5")
    monkeypatch.setenv("JOIN_FAILURES_OVERALL", "8")
    monkeypatch.setenv("JOIN_WINDOW_SECONDS", "600")
    early_in_a_join_slot(monkeypatch, 600)  # the flood counted in one slot, not split across two
    st.cache_resource.clear()  # the app's Database reads the limits when it is made
    created = app_db.create_assessment(NewAssessment("Acme", "R1", "en", 1))
    assessment = app_db.find_by_results_code(created.results_code)
    code, _ = app_db.new_join_code(assessment.id)

    joined = start(query={"a": code}, page="pages/respond.py")  # the QR code's link
    joined.radio(key=f"w:org:{assessment.id}:en:side").set_value("marketing").run()
    radios = item_radios(joined, assessment.id)
    radios[0].set_value(4)
    radios[1].set_value(5)
    joined.run()
    assert_no_error(joined)

    flooder = Database(app_db.url, join_limits=JoinLimits(600, 5, 8))
    rng, refused = random.Random(4), 0
    for n in range(40):  # from many addresses: the overall budget is spent, for everyone
        try:
            flooder.find_by_join_code("".join(rng.choice("23456789ABCDEFGH") for _ in range(8)), f"10.0.0.{n % 4}")
        except TooManyAttempts:
            refused += 1
    flooder.dispose()
    assert refused == 32

    item_radios(joined, assessment.id)[2].set_value(3)
    joined.run()  # her next tap: the form stays and is saved
    assert_no_error(joined)
    assert not joined.error and item_radios(joined, assessment.id)
    assert any("saved as you go" in c.value for c in joined.caption)

    newcomer = start(page="pages/join.py")  # typing the code now: asked to wait, never told it is wrong
    newcomer.text_input[0].input(code)
    newcomer.button[0].click().run()
    assert "Too many wrong codes" in newcomer.warning[0].value and not newcomer.error
    assert "Scan the QR code on the screen instead" in newcomer.warning[0].value


def test_a_typed_right_code_is_looked_up_once(app_db, monkeypatch):
    """/join finds the code (one budgeted look-up), then opens the questionnaire, which takes the assessment
    by id from the session: before, it looked the code up a second time, which a flood spending the budget
    in between could refuse ("wait a minute") to someone the join page had just let in."""
    from storage.access_keys import AccessKeys

    created = app_db.create_assessment(NewAssessment("Acme", "R1", "en", 1))
    assessment = app_db.find_by_results_code(created.results_code)
    code, _ = app_db.new_join_code(assessment.id)
    looked_up, real = [], AccessKeys.find_by_join_code

    def counted(self, typed, client=None):
        looked_up.append(typed)
        return real(self, typed, client)

    monkeypatch.setattr(AccessKeys, "find_by_join_code", counted)
    typist = start(page="pages/join.py")
    typist.text_input[0].input(code.lower())
    typist.button[0].click().run()
    assert_no_error(typist)
    assert typist.radio(key=f"w:org:{assessment.id}:en:side") is not None  # the questionnaire
    assert len(looked_up) == 1 and not typist.warning and not typist.error


def qr_link(room) -> str:
    """The link the room view's QR code carries (the SVG's title), from the image the room view drew."""
    [svg] = [
        base64.b64decode(i.url.split(",", 1)[1]).decode()
        for image in room.get("image")
        for i in image.proto.imgs
        if i.url.startswith("data:image/svg+xml;base64,")
    ]
    return svg.split("<title>", 1)[1].split("</title>", 1)[0].replace("&amp;", "&")


def test_a_newcomer_who_scans_the_qr_code_joins_through_a_flood(app_db, monkeypatch):
    """Issue 16, item 6: the overall budget spent by a flood (here from 4 networks, the limits made small),
    a newcomer who scans the room's QR code gets the questionnaire; the QR code's link is not the short code,
    a reloaded room view shows the same one, and the respondent's address keeps it as it kept the short code
    (the resume link), nothing more. Before the fix the QR code carried the short code: refused."""
    monkeypatch.setenv("JOIN_FAILURES_PER_CLIENT", "5")
    monkeypatch.setenv("JOIN_FAILURES_OVERALL", "8")
    monkeypatch.setenv("JOIN_WINDOW_SECONDS", "600")
    early_in_a_join_slot(monkeypatch, 600)  # the flood counted in one slot, not split across two
    st.cache_resource.clear()
    created = app_db.create_assessment(NewAssessment("Acme", "R1", "en", 1))
    assessment = app_db.find_by_results_code(created.results_code)
    key, _ = app_db.new_room_key(assessment.id)
    room = start(query={"v": key}, page="pages/room.py")
    assert_no_error(room)
    link = qr_link(room)
    code, join_link = room_join_codes(key)
    assert link.split("/respond?a=", 1)[1] == join_link and code not in link
    again = start(query=dict(room.query_params), page="pages/room.py")  # the projector reloads
    assert qr_link(again) == link
    assert created.results_code not in " ".join(again.query_params.values())

    flooder = Database(app_db.url, join_limits=JoinLimits(600, 5, 8))
    rng = random.Random(5)
    for n in range(40):
        with contextlib.suppress(TooManyAttempts):
            flooder.find_by_join_code("".join(rng.choice("23456789ABCDEFGH") for _ in range(8)), f"10.0.0.{n % 4}")
    flooder.dispose()

    scanner = start(query={"a": link.split("a=", 1)[1]}, page="pages/respond.py")
    assert_no_error(scanner)
    assert not scanner.warning and not scanner.error
    scanner.radio(key=f"w:org:{assessment.id}:en:side").set_value("it").run()
    item_radios(scanner, assessment.id)[0].set_value(4)
    scanner.run()
    assert_no_error(scanner)
    assert any("saved as you go" in c.value for c in scanner.caption)
    assert set(scanner.query_params) <= {"a", "r"}  # as with a short code: the link and the resume key

    typist = start(query={"a": code}, page="pages/respond.py")  # the short code's link: budgeted, it waits
    assert "Scan the QR code on the screen instead" in typist.warning[0].value


# --- The privacy text: what each way of answering promises and what it does not, everywhere the same ---------


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_privacy_text_is_on_the_about_page_and_in_the_pdf(lang, questionnaire):
    """The About page and the organisation PDF show the same paragraphs (docs/privacy.md is kept equal to them
    by tests/test_docs.py), with the figures the code uses."""
    from datetime import date, datetime

    from alignment.core.i18n import translator
    from alignment.core.method import privacy_section
    from alignment.core.questionnaire import Profile
    from alignment.org.result import org_result
    from alignment.org.rounds import Assessment, Round, RoundCounts
    from alignment.render.org_pdf import build_org_pdf
    from benchmark import figures_by_item
    from storage.access_keys import ROOM_KEY_HOURS
    from tests.render.test_org_report import pdf_text

    t = translator(lang)
    section = privacy_section(t)
    keys = [t(f"privacy.{k}") for k in ("mode_open", "mode_invitations", "links", "room", "join")]
    assert all(paragraph in section.paragraphs for paragraph in keys)
    limits = JoinLimits()
    assert f" {limits.per_client} " in t("privacy.join") and f" {limits.overall} " in t("privacy.join")
    from ui.server import SWEEP_SECONDS  # how long a network's digest may live: a window and the timer's tick

    assert f" {int(limits.window_seconds + SWEEP_SECONDS)} " in t("privacy.join")
    assert f" {ROOM_KEY_HOURS} " in t("privacy.room")
    promised, not_promised = ("Promised:", "Not promised:") if lang == "en" else ("Promis\u202f:", "Pas promis\u202f:")
    for mode in ("mode_open", "mode_invitations"):
        assert promised in t(f"privacy.{mode}") and not_promised in t(f"privacy.{mode}")

    about = start(lang, page="pages/about.py")
    shown = " ".join(m.value for m in about.markdown)
    assert all(paragraph in shown for paragraph in section.paragraphs)

    assessment = Assessment("a", "Acme", lang, 3, Profile(), datetime(2026, 1, 1))
    rnd = Round(1, "a", 1, "R1", "closed", datetime(2026, 1, 1))
    result = org_result(assessment, rnd, RoundCounts({"it": 1}), questionnaire, figures_by_item())
    text = "".join(pdf_text(build_org_pdf(result, figures_by_item(), questionnaire, t, date(2026, 12, 3))).split())
    for paragraph in section.paragraphs:  # compared without white space: the PDF breaks lines at hyphens
        assert "".join(paragraph.split())[:120] in text
