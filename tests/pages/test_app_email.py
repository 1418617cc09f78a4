"""Invitations by e-mail through the pages (AppTest, SQLite) and a real SMTP server on loopback (aiosmtpd):
create, validate, send, answer, remind, stop, erase; and no address anywhere but the invitees table."""

from __future__ import annotations

import io
import logging
import uuid
from datetime import date

import pytest
from pypdf import PdfReader

from alignment.core.questionnaire import load_questionnaire
from tests.apptest_helpers import assert_no_error, new_assessment_form, start
from tests.smtp_helpers import STOP

Q = load_questionnaire()
IT = ["ines.it@example.com", "omar.it@example.com", "li.it@example.com"]
MARKETING = ["maya.mk@example.net", "lea.mk@example.net", "noor.mk@example.net"]


@pytest.fixture
def mail_env(smtp_server, monkeypatch):
    for name, value in smtp_server.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PUBLIC_URL", "https://alignment.example.org")
    return smtp_server


def texts(at) -> str:
    """Every text the page shows (markdown, captions, messages, tables, code, labels)."""
    parts = []
    for kind in ("markdown", "caption", "success", "info", "warning", "error", "code", "title", "subheader"):
        parts += [str(getattr(e, "value", "")) for e in getattr(at, kind)]
    parts += [str(t.value) for t in at.table]
    parts += [b.label for b in at.button]
    return "\n".join(parts)


IT_LIST, MARKETING_LIST = "\n".join(IT), "\n".join(MARKETING)


def create_by_email(lang="en", it=IT_LIST, marketing=MARKETING_LIST):
    at = new_assessment_form("email", lang, min_group=2)
    at.text_area(key="new_assessment:addresses:it").input(it)
    at.text_area(key="new_assessment:addresses:marketing").input(marketing)
    return at.button(key="new_assessment:submit").click().run()


def test_created_by_email_each_invitee_gets_a_link_and_the_organiser_none(db, mail_env):
    at = create_by_email(lang="fr")
    assert_no_error(at)
    assert "vous ne verrez jamais un lien personnel" in at.success[0].value
    assert any("Invitations envoyées : 6 sur 6" in i.value.replace("\u202f", " ") for i in at.info)
    shown = texts(at)
    assert "/respond?" not in shown and not any(a in shown for a in IT + MARKETING)
    assert [c.value for c in at.code] == [c.value for c in at.code if "/organisation?k=" in c.value]  # results only
    links = mail_env.links()
    assert sorted(links) == sorted(IT + MARKETING) and len({c for f in links.values() for c in f}) == 6
    assert all(m["Content-Language"] == "fr" for _, m in mail_env.delivered())
    assert all(
        c.startswith("https://alignment.example.org/respond?i=")
        for c in [line for _, m in mail_env.delivered() for line in m.get_content().split() if "/respond?i=" in line]
    )


def test_bad_lines_are_named_and_nothing_is_lost(db, mail_env):
    at = create_by_email(it="ines.it@example.com\nnot an address\nomar@@example.com\n", marketing="maya@example.net")
    assert "new_assessment:created" not in at.session_state
    error = at.error[0].value
    assert "Your IT: lines 2 and 3 do not hold a valid e-mail address" in error
    assert at.text_area(key="new_assessment:addresses:it").value.startswith("ines.it@example.com\nnot an address")
    assert mail_env.delivered() == []
    at = create_by_email(lang="fr", it="a@example.com", marketing="a@example.com")
    assert "la même adresse figure de deux côtés" in at.error[0].value


def test_without_a_mail_server_configured_nothing_is_created(db, monkeypatch):
    monkeypatch.delenv("SMTP_HOST", raising=False)
    at = create_by_email()
    assert "E-mail is not configured on this server" in at.error[0].value
    assert "new_assessment:created" not in at.session_state


def test_an_uploaded_file_of_addresses(db, mail_env):
    at = new_assessment_form("email", round_label="R1")
    # AppTest has no file-upload driver: the pasted list is the same parser; the file path is covered in
    # tests/mail/test_addresses.py. Here a CSV pasted as is: header, names beside addresses.
    at.text_area(key="new_assessment:addresses:marketing").input(
        "name;email\nMaya;maya.mk@example.net\nLea;lea.mk@example.net"
    )
    at = at.button(key="new_assessment:submit").click().run()
    assert_no_error(at)
    assert sorted(mail_env.links()) == ["lea.mk@example.net", "maya.mk@example.net"]


def organisation(created, lang="en"):
    return start(lang, query={"k": created.results_code}, page="pages/organisation.py")


def answer_by_link(code: str, side: str, value: int = 4):
    from storage import Database

    db = Database()
    try:
        found = db.find_invitation(code)
        rnd = db.current_round(found[0].id)
        return db.submit(rnd.id, str(uuid.uuid4()), code, side, dict.fromkeys(Q.item_ids, value))
    finally:
        db.dispose()


def test_the_organiser_sees_counts_reminds_and_erases(db, mail_env):
    at = create_by_email()
    created = at.session_state["new_assessment:created"]
    links = mail_env.links()
    for address in IT[:2] + MARKETING[:1]:
        side = "it" if address in IT else "marketing"
        assert answer_by_link(links[address][0], side)
    page = organisation(created)
    assert_no_error(page)
    table = page.table[0].value
    assert list(table.iloc[:, 0]) == ["Your IT", "Your marketing"]
    assert list(table["Invited"]) == ["3", "3"] and list(table["Answered this round"]) == ["2", "1"]
    mail_env.clear()
    page = page.button(key="mail:remind").click().run()
    assert_no_error(page)
    assert "3 invitees reminded." in page.info[0].value
    assert sorted(to for to, _ in mail_env.delivered()) == sorted([IT[2], *MARKETING[1:]])
    shown = texts(page)
    assert not any(a in shown for a in IT + MARKETING) and "/respond?" not in shown
    page = page.button(key="mail:erase").click().run()
    assert "The addresses are erased." in page.info[0].value
    assert any("no more e-mail is sent" in c.value for c in page.caption)
    assert db.mail_counts(db.find_by_results_code(created.results_code).id, 1).addresses_kept == 0


def test_a_failed_send_is_counted_and_the_retry_button_sends_it(db, mail_env):
    mail_env.refuse_addresses = {"noor.mk@example.net"}
    at = create_by_email()
    assert "Invitations sent: 5 of 6." in at.info[0].value and "1 address refused" in at.warning[-1].value
    created = at.session_state["new_assessment:created"]
    page = organisation(created)
    assert any("Failed, Your marketing: 1 address refused." in c.value for c in page.caption)
    mail_env.refuse_addresses = set()
    page = page.button(key="mail:retry").click().run()
    assert_no_error(page)
    assert "Sent: 1. Failed: 0." in page.info[0].value
    assert "noor.mk@example.net" in mail_env.links()


def test_the_stop_link_is_honoured_after_a_click(db, mail_env):
    at = create_by_email(it=IT[0], marketing="")
    created = at.session_state["new_assessment:created"]
    ((_, message),) = mail_env.delivered()
    token = STOP.search(message.get_content()).group(1)
    stop = start("en", query={"u": token}, page="pages/stop.py")
    assert_no_error(stop)
    assessment = db.find_by_results_code(created.results_code)
    assert db.mail_to_remind(assessment.id, claim=False)[1] != []  # opening the page stops nothing: a click does
    stop = stop.button(key="stop:button").click().run()
    assert "you will receive no more e-mails" in stop.success[0].value
    assert db.mail_to_remind(assessment.id, claim=False)[1] == []
    bad = start("en", query={"u": "x" * 32}, page="pages/stop.py").button(key="stop:button").click().run()
    assert "This stop link is not valid" in bad.error[0].value


def test_no_address_in_any_page_pdf_csv_json_log_or_database_but_the_invitees_table(db, mail_env, caplog, capfd):
    from ui.org_cache import org_view
    from ui.org_downloads import export_csv, export_json, org_pdf

    caplog.set_level(logging.DEBUG)
    at = create_by_email()
    created = at.session_state["new_assessment:created"]
    links = mail_env.links()
    waiting = MARKETING[-1]  # one invitee has not answered: only their address is still kept
    for address in IT + MARKETING[:-1]:
        assert answer_by_link(links[address][0], "it" if address in IT else "marketing")
    assessment = db.find_by_results_code(created.results_code)
    rnd = db.current_round(assessment.id)
    page = organisation(created)
    page = page.button(key="mail:remind").click().run()
    respond = start("en", query={"i": links[IT[0]][0]}, page="pages/respond.py")
    seen = [texts(at), texts(page), texts(respond)]
    result, _ = org_view(assessment, rnd, db.round_counts(rnd.id), "en")
    rows = db.export_rows(rnd.id, result.results.visible_sides)
    pdf = org_pdf(result, date.today())
    seen += [
        "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages),
        pdf.decode("latin-1"),
        export_csv(result, rows).decode("utf-8-sig"),
        export_json(result, rows).decode("utf-8"),
    ]
    assert len(rows) == 4 and "Acme" in seen[3]  # two steps of two: one IT answer is held back
    with db.engine.connect() as c:
        kept = list(c.connection.driver_connection.iterdump())
    with_address = [line for line in kept if any(a in line for a in IT + MARKETING)]
    # An address is erased by the transaction that submits its invitee's answers (privacy review 2).
    assert (
        len(with_address) == 1 and with_address[0].startswith('INSERT INTO "invitees"') and waiting in with_address[0]
    )
    assert db.set_round_open(rnd.id, False)  # the round closes: the addresses go
    with db.engine.connect() as c:
        dump = "\n".join(c.connection.driver_connection.iterdump())
    out, err = capfd.readouterr()
    logs = "\n".join(
        f"{r.getMessage()} {vars(r)}" for r in caplog.records if not r.name.startswith("mail")
    )  # not aiosmtpd's
    seen += [dump, out, err, logs]
    codes = [code for found in links.values() for code in found]
    for where, text in enumerate(seen):
        assert not any(a in text.lower() for a in IT + MARKETING), where
        assert not any(code in text for code in codes), where


def test_an_invitee_answers_once_whichever_of_their_links(db, mail_env):
    at = create_by_email(it=IT[0], marketing="")
    created = at.session_state["new_assessment:created"]
    assessment = db.find_by_results_code(created.results_code)
    first = mail_env.links()[IT[0]][0]
    page = organisation(created).button(key="mail:remind").click().run()  # not answered yet: reminded
    assert "1 invitee reminded." in page.info[0].value
    reminder = mail_env.links()[IT[0]][1]
    respond = start("en", query={"i": reminder}, page="pages/respond.py")  # the reminder's link answers
    assert_no_error(respond)
    assert any("the personal link the app e-mailed to you" in c.value for c in respond.caption)
    prefix = f"w:org:{assessment.id}:en:"
    for radio in [r for r in respond.radio if r.key and r.key.startswith(prefix) and ":ctx_" not in r.key]:
        radio.set_value(4)
    respond.run()
    respond.button(key=f"org:{assessment.id}:submit").click().run()
    assert [s.value for s in respond.success] == ["Thank you: your answers are counted."]
    again = start("en", query={"i": first}, page="pages/respond.py")  # the invitation's link: already used
    assert [s.value for s in again.success] == ["These answers were already submitted and are counted once."]
    assert not list(again.main.radio)
    assert db.round_counts(db.current_round(assessment.id).id).sides == {"it": 1}
