"""Invitations by e-mail through a real SMTP server on loopback (aiosmtpd), on SQLite and PostgreSQL:
the messages as delivered, reminders, stop links, failures and retries, erasure."""

from __future__ import annotations

import logging
import uuid

import pytest

from alignment.core.questionnaire import load_questionnaire
from alignment.org.rounds import NewAssessment
from outbox.campaign import send_invitations, send_reminders
from outbox.smtp import SmtpSettings
from storage import AlreadySubmitted
from tests.conftest import free_port
from tests.smtp_helpers import STOP, SmtpSink

Q = load_questionnaire()
BASE = "https://alignment.example.org"
IT = ("ines.it@example.com", "Omar.IT@Example.com")
MARKETING = ("maya.mk@example.net", "lea.mk@example.net", "noor.mk@example.org")


def settings(sink: SmtpSink, **changes) -> SmtpSettings:
    return SmtpSettings.from_env(sink.env() | changes)


def create(db, lang="en", min_group=5, it=IT, marketing=MARKETING):
    addresses = {side: tuple(a) for side, a in (("it", it), ("marketing", marketing)) if a}
    created = db.create_assessment(NewAssessment("Acme", "R1", lang, min_group, access="email", addresses=addresses))
    assessment = db.find_by_results_code(created.results_code)
    return created, assessment, db.current_round(assessment.id)


def answer(db, round_id, code, side, value=4) -> bool:
    return db.submit(round_id, str(uuid.uuid4()), code, side, dict.fromkeys(Q.item_ids, value))


def sides_of(db, codes):
    return {db.find_invitation(code)[1] for code in codes}


def test_one_message_per_invitee_with_a_distinct_link_in_the_assessments_language(database, smtp_server):
    created, assessment, _ = create(database, lang="fr")
    assert created.invitations == ()  # the organiser is handed no link
    outcome = send_invitations(database, assessment.id, BASE, settings(smtp_server))
    assert (outcome.sent, outcome.failed) == (5, {})
    delivered = smtp_server.delivered()
    assert sorted(to.lower() for to, _ in delivered) == sorted(a.lower() for a in IT + MARKETING)
    links = smtp_server.links()
    codes = [code for found in links.values() for code in found]
    assert len(codes) == 5 == len(set(codes)) and all(len(found) == 1 for found in links.values())
    for address in IT:
        assert sides_of(database, links[address.lower()]) == {"it"}
    for address in MARKETING:
        assert sides_of(database, links[address.lower()]) == {"marketing"}
    for to, message in delivered:
        body = message.get_content()
        assert message["Content-Language"] == "fr" and "DSI et marketing" in message["Subject"]
        assert "Votre lien personnel" in body and "Acme" in body
        assert STOP.search(body) and str(message["List-Unsubscribe"]).strip().startswith(f"<{BASE}/stop?u=")
        others = [a for a in IT + MARKETING if a.lower() != to.lower()]
        assert not any(other.lower() in body.lower() or other.lower() in str(message).lower() for other in others)
    counts = database.mail_counts(assessment.id, database.current_round(assessment.id).id)
    assert {s: (c.invited, c.sent, c.pending, c.failed, c.answered) for s, c in counts.sides.items()} == {
        "it": (2, 2, 0, {}, 0),
        "marketing": (3, 3, 0, {}, 0),
    }
    # Sending again sends nothing: every invitation went.
    assert send_invitations(database, assessment.id, BASE, settings(smtp_server)).sent == 0
    assert len(smtp_server.delivered()) == 5


def test_english_messages_for_an_english_assessment(database, smtp_server):
    _, assessment, _ = create(database, lang="en", it=IT[:1], marketing=())
    send_invitations(database, assessment.id, BASE, settings(smtp_server))
    ((_to, message),) = smtp_server.delivered()
    assert message["Content-Language"] == "en" and "IT and marketing" in message["Subject"]
    assert "Your personal link" in message.get_content()


def test_reminders_reach_only_those_who_have_not_answered(database, smtp_server):
    _, assessment, rnd = create(database)
    send_invitations(database, assessment.id, BASE, settings(smtp_server))
    links = smtp_server.links()
    assert answer(database, rnd.id, links["maya.mk@example.net"][0], "marketing")
    assert answer(database, rnd.id, links["ines.it@example.com"][0], "it")
    smtp_server.clear()
    outcome = send_reminders(database, assessment.id, BASE, settings(smtp_server))
    reminded = sorted(to.lower() for to, _ in smtp_server.delivered())
    assert reminded == sorted(["omar.it@example.com", "lea.mk@example.net", "noor.mk@example.org"])
    assert (outcome.sent, outcome.failed) == (3, {})
    assert all("Reminder" in message["Subject"] for _, message in smtp_server.delivered())
    counts = database.mail_counts(assessment.id, rnd.id)
    assert counts.last_reminder[1:] == (3, 0)
    assert {s: c.answered for s, c in counts.sides.items()} == {"it": 1, "marketing": 1}
    # A reminder's link is a new link of the same invitation: it answers, once for both links.
    reminder_link = smtp_server.links()["lea.mk@example.net"][0]
    assert reminder_link != links["lea.mk@example.net"][0]
    assert answer(database, rnd.id, reminder_link, "marketing")
    assert not answer(database, rnd.id, links["lea.mk@example.net"][0], "marketing")  # the first link: counted once
    with pytest.raises(AlreadySubmitted):  # nor does it open a draft: the invitee has answered this round
        database.save_draft(rnd.id, str(uuid.uuid4()), links["lea.mk@example.net"][0], "marketing", {})
    assert database.round_counts(rnd.id).sides == {"it": 1, "marketing": 2}
    # Reminding again at once sends nothing (20 hours apart at least), whoever asks.
    smtp_server.clear()
    assert send_reminders(database, assessment.id, BASE, settings(smtp_server)).sent == 0
    assert smtp_server.delivered() == []


def test_the_stop_link_is_honoured(database, smtp_server):
    _, assessment, _ = create(database, it=IT, marketing=())
    send_invitations(database, assessment.id, BASE, settings(smtp_server))
    by_address = {to.lower(): message for to, message in smtp_server.delivered()}
    token = STOP.search(by_address["omar.it@example.com"].get_content()).group(1)
    assert database.stop_mail(token)
    assert not database.stop_mail(token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert not database.stop_mail("not a token")
    smtp_server.clear()
    assert send_reminders(database, assessment.id, BASE, settings(smtp_server)).sent == 1
    assert [to for to, _ in smtp_server.delivered()] == ["ines.it@example.com"]


def test_server_down_nothing_lost_the_failure_counted_and_retry_works(database, smtp_server):
    _, assessment, rnd = create(database)
    down = SmtpSettings("127.0.0.1", free_port(), "alignment@example.org", "none", timeout=5)  # nothing listens
    outcome = send_invitations(database, assessment.id, BASE, down)
    assert (outcome.sent, outcome.failed) == (0, {"unreachable": 5})
    counts = database.mail_counts(assessment.id, rnd.id)
    assert {s: (c.sent, c.failed) for s, c in counts.sides.items()} == {
        "it": (0, {"unreachable": 2}),
        "marketing": (0, {"unreachable": 3}),
    }
    assert counts.to_retry == 5 and counts.addresses_kept == 5
    outcome = send_invitations(database, assessment.id, BASE, settings(smtp_server))  # the retry button
    assert (outcome.sent, outcome.failed) == (5, {})
    assert len(smtp_server.delivered()) == 5 and len({c for f in smtp_server.links().values() for c in f}) == 5
    counts = database.mail_counts(assessment.id, rnd.id)
    assert counts.to_retry == 0 and sum(c.sent for c in counts.sides.values()) == 5


def test_a_server_that_goes_down_mid_batch(database):
    _, assessment, rnd = create(database)
    with SmtpSink() as sink:
        first = settings(sink)
        sink.refuse_addresses = set()
        sink.stop()  # down before the batch: connection refused
        assert send_invitations(database, assessment.id, BASE, first).failed == {"unreachable": 5}
    assert database.mail_counts(assessment.id, rnd.id).to_retry == 5


def test_a_refused_address_is_counted_and_the_others_delivered(database, smtp_server):
    _, assessment, rnd = create(database)
    smtp_server.refuse_addresses = {"noor.mk@example.org"}
    outcome = send_invitations(database, assessment.id, BASE, settings(smtp_server))
    assert (outcome.sent, outcome.failed) == (4, {"refused": 1})
    assert database.mail_counts(assessment.id, rnd.id).sides["marketing"].failed == {"refused": 1}
    smtp_server.refuse_addresses = set()
    assert send_invitations(database, assessment.id, BASE, settings(smtp_server)).sent == 1  # retry: that one only
    assert sorted(smtp_server.links()) == sorted(a.lower() for a in IT + MARKETING)


def test_a_refused_message_and_a_refused_login_are_counted(database):
    _, assessment, rnd = create(database, it=IT, marketing=())
    with SmtpSink() as sink:
        sink.refuse_data = True
        assert send_invitations(database, assessment.id, BASE, settings(sink)).failed == {"rejected": 2}
    with SmtpSink(user="alignment", password="right") as sink:
        wrong = settings(sink, SMTP_PASSWORD="wrong")
        assert send_invitations(database, assessment.id, BASE, wrong).failed == {"auth": 2}
        assert database.mail_counts(assessment.id, rnd.id).sides["it"].failed == {"auth": 2}
        assert send_invitations(database, assessment.id, BASE, settings(sink)).sent == 2
        assert len(sink.delivered()) == 2


def test_not_configured_counts_and_sends_later(database, smtp_server):
    _, assessment, _rnd = create(database, it=IT, marketing=())
    assert send_invitations(database, assessment.id, BASE, None).failed == {"config": 2}
    assert send_invitations(database, assessment.id, BASE, settings(smtp_server)).sent == 2


def test_closing_the_round_or_the_button_erases_the_addresses(database, smtp_server):
    _, assessment, rnd = create(database)
    send_invitations(database, assessment.id, BASE, settings(smtp_server))
    assert database.mail_counts(assessment.id, rnd.id).addresses_kept == 5
    assert database.set_round_open(rnd.id, False)
    assert database.mail_counts(assessment.id, rnd.id).addresses_kept == 0
    assert database.set_round_open(rnd.id, True)  # reopened: the addresses stay gone, nothing is sent
    smtp_server.clear()
    assert send_reminders(database, assessment.id, BASE, settings(smtp_server)).sent == 0
    assert smtp_server.delivered() == []
    _, other, other_round = create(database)
    send_invitations(database, other.id, BASE, settings(smtp_server))
    assert database.erase_addresses(other.id) == 5
    assert database.mail_to_send(other.id) == [] and database.mail_to_remind(other.id, claim=False) == (
        other_round.id,
        [],
    )
    code = smtp_server.links()["maya.mk@example.net"][0]
    assert answer(database, other_round.id, code, "marketing")  # erased addresses: the links still answer
    second = database.start_new_round(assessment.id, "R2")
    assert database.mail_counts(assessment.id, second.id).addresses_kept == 0


def test_a_new_round_erases_the_addresses(database, smtp_server):
    _, assessment, _rnd = create(database)
    send_invitations(database, assessment.id, BASE, settings(smtp_server))
    code = smtp_server.links()["maya.mk@example.net"][0]
    second = database.start_new_round(assessment.id, "R2")
    assert database.mail_counts(assessment.id, second.id).addresses_kept == 0
    assert answer(database, second.id, code, "marketing")  # the invitee answers the new round with their link


def test_no_address_or_link_reaches_a_log_line(database, smtp_server, caplog):
    caplog.set_level(logging.DEBUG)
    _, assessment, _rnd = create(database)
    smtp_server.refuse_addresses = {"noor.mk@example.org"}
    send_invitations(database, assessment.id, BASE, settings(smtp_server))
    send_invitations(database, assessment.id, BASE, SmtpSettings("127.0.0.1", free_port(), "a@example.org", "none"))
    send_reminders(database, assessment.id, BASE, settings(smtp_server))
    codes = [c for found in smtp_server.links().values() for c in found]
    ours = "\n".join(
        f"{r.getMessage()} {vars(r)}" for r in caplog.records if not r.name.startswith("mail")
    )  # not aiosmtpd's
    assert codes and not any(code in ours for code in codes)
    assert not any(address.lower() in ours.lower() for address in IT + MARKETING)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_organiser_is_never_handed_a_link_or_an_address(database, smtp_server, lang):
    created, assessment, rnd = create(database, lang=lang)
    outcome = send_invitations(database, assessment.id, BASE, settings(smtp_server))
    counts = database.mail_counts(assessment.id, rnd.id)
    seen = repr((created, outcome, counts))
    codes = [c for found in smtp_server.links().values() for c in found]
    assert not any(code in seen for code in codes)
    assert not any(address.lower() in seen.lower() for address in IT + MARKETING)


@pytest.mark.slow  # its own Python processes
def test_the_scheduled_command_reminds_and_prints_counts_only(tmp_path, smtp_server):
    """`python -m outbox remind`, as cron runs it: its own process, the app's environment variables."""
    import os
    import subprocess
    import sys

    from storage import Database
    from tests.conftest import ROOT

    url = f"sqlite:///{tmp_path / 'cron.db'}"
    db = Database(url)
    db.migrate()
    _, assessment, rnd = create(db)
    send_invitations(db, assessment.id, BASE, settings(smtp_server))
    assert answer(db, rnd.id, smtp_server.links()["maya.mk@example.net"][0], "marketing")
    db.dispose()
    smtp_server.clear()
    env = {**os.environ, "DATABASE_URL": url, "PUBLIC_URL": BASE, **smtp_server.env()}
    run = subprocess.run(
        [sys.executable, "-m", "outbox", "remind"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "assessments with addresses: 1; reminded: 4; failed: none"
    assert len(smtp_server.delivered()) == 4 and "maya.mk@example.net" not in smtp_server.links()
    assert all(
        link.startswith(f"{BASE}/respond?i=")
        for _, m in smtp_server.delivered()
        for link in [w for w in m.get_content().split() if "/respond?i=" in w]
    )
    output = run.stdout + run.stderr
    assert not any(a.lower() in output.lower() for a in IT + MARKETING)
    again = subprocess.run(
        [sys.executable, "-m", "outbox", "remind"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert again.stdout.strip() == "assessments with addresses: 1; reminded: 0; failed: none"  # 20 hours apart
    unconfigured = {k: v for k, v in env.items() if not k.startswith("SMTP_")}
    refused = subprocess.run(
        [sys.executable, "-m", "outbox", "remind"], cwd=ROOT, env=unconfigured, capture_output=True, text=True
    )
    assert refused.returncode == 2 and "SMTP_HOST" in refused.stderr


@pytest.mark.slow  # openssl makes a key
@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_tls_with_a_login_and_the_certificate_checked(tmp_path, security):
    """STARTTLS (the default) and TLS from the first byte, with a login the server accepts only over TLS;
    a certificate the app does not trust is refused, never sent to."""
    from storage import Database
    from tests.smtp_helpers import make_certificate

    certificate = make_certificate(tmp_path)
    db = Database(f"sqlite:///{tmp_path / 'tls.db'}")
    db.migrate()
    _, assessment, _ = create(db, it=IT, marketing=())
    with SmtpSink(user="alignment", password="secret", tls=security, certificate=certificate) as sink:
        untrusted = settings(sink)  # the system's CAs only: the self-signed certificate is refused
        assert send_invitations(db, assessment.id, BASE, untrusted).failed == {"unreachable": 2}
        assert sink.delivered() == []
        trusted = settings(sink, SMTP_CA_FILE=str(certificate))
        assert send_invitations(db, assessment.id, BASE, trusted).sent == 2
        assert sorted(sink.links()) == sorted(a.lower() for a in IT)
    db.dispose()


def test_deleting_the_assessment_deletes_addresses_links_and_runs(database, smtp_server):
    from sqlalchemy import func, select

    from storage.schema import invitation_links, invitations, invitees, reminder_runs

    _, assessment, _ = create(database)
    send_invitations(database, assessment.id, BASE, settings(smtp_server))
    send_reminders(database, assessment.id, BASE, settings(smtp_server))
    tables = (invitees, invitation_links, invitations, reminder_runs)
    with database.engine.connect() as c:
        assert [c.execute(select(func.count()).select_from(t)).scalar_one() for t in tables] == [5, 10, 5, 1]
    assert database.delete_assessment(assessment.id)
    with database.engine.connect() as c:
        assert [c.execute(select(func.count()).select_from(t)).scalar_one() for t in tables] == [0, 0, 0, 0]


def test_two_reminder_runs_at_once_remind_each_invitee_once(database, smtp_server):
    """The button and the scheduler (or two servers) at the same moment: one reminder each, not two."""
    from concurrent.futures import ThreadPoolExecutor

    _, assessment, _ = create(database)
    send_invitations(database, assessment.id, BASE, settings(smtp_server))
    smtp_server.clear()
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda _: send_reminders(database, assessment.id, BASE, settings(smtp_server)), range(4)))
    assert sum(run.sent for run in runs) == 5
    assert sorted(to.lower() for to, _ in smtp_server.delivered()) == sorted(a.lower() for a in IT + MARKETING)


def test_a_reminder_that_failed_is_tried_again(database, smtp_server):
    _, assessment, _ = create(database)
    send_invitations(database, assessment.id, BASE, settings(smtp_server))
    smtp_server.clear()
    smtp_server.refuse_addresses = {"noor.mk@example.org"}
    assert send_reminders(database, assessment.id, BASE, settings(smtp_server)).failed == {"refused": 1}
    smtp_server.refuse_addresses = set()
    again = send_reminders(database, assessment.id, BASE, settings(smtp_server))
    assert (again.sent, again.failed) == (1, {})
    assert sorted(smtp_server.links()) == sorted(a.lower() for a in IT + MARKETING)


def test_two_retries_at_once_send_each_invitee_one_invitation(database, smtp_server):
    """Two "Retry" clicks at the same moment (two tabs, two servers) after a failed send: both read the same
    failed invitations; each invitee still gets one invitation, not two (the retry's claim is one
    conditional UPDATE … RETURNING per batch, as reminders'). A barrier makes both runs read before either
    sends: before the claim, every invitee got two messages."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    _, assessment, rnd = create(database)
    down = SmtpSettings("127.0.0.1", free_port(), "alignment@example.org", "none", timeout=5)
    assert send_invitations(database, assessment.id, BASE, down).failed == {"unreachable": 5}
    barrier, read = threading.Barrier(2, timeout=30), database.mail_to_send

    class BothRead:  # the gateway, with its pending invitations read by both runs before either goes on
        def __getattr__(self, name):
            return getattr(database, name)

        def mail_to_send(self, assessment_id):
            pending = read(assessment_id)
            barrier.wait()
            return pending

    with ThreadPoolExecutor(2) as pool:
        runs = list(
            pool.map(lambda _: send_invitations(BothRead(), assessment.id, BASE, settings(smtp_server)), range(2))
        )
    assert sum(run.sent for run in runs) == 5 and all(not run.failed for run in runs)
    delivered = sorted(to.lower() for to, _ in smtp_server.delivered())
    assert delivered == sorted(a.lower() for a in IT + MARKETING)  # one message each
    counts = database.mail_counts(assessment.id, rnd.id)
    assert counts.to_retry == 0 and sum(c.sent for c in counts.sides.values()) == 5
