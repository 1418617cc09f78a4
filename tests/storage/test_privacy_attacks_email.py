"""The padding attack of issue 16, point 2, played against invitations by e-mail, on SQLite and PostgreSQL.

Ten real marketing answers are shown (two steps of five). The victim answers eleventh. The organiser adds
four answers of their own, which completes the next step, and subtracts the export at 10 rows and their
own four rows from the export at 15: what remains is the victim's whole row (10 statements and 6 context
answers). With links handed out, an organiser who kept four links does exactly that (the first test: the
attack works, so the harness can see a success). By e-mail the organiser holds no credential that answers:
every channel they have is tried, and the attack recovers nothing.
"""

from __future__ import annotations

import secrets
import uuid
from collections import Counter

import pytest

from alignment.core.context import context_questions
from alignment.core.questionnaire import load_questionnaire
from alignment.org.rounds import NewAssessment, round_results
from outbox.campaign import send_invitations, send_reminders
from outbox.smtp import SmtpSettings
from storage import InvalidData, NotInvited

Q = load_questionnaire()
BASE = "https://alignment.example.org"
MIN = 5


def row(value: int, context: int = 0) -> dict[str, int]:
    """A full response: ten statements at `value` and the six context answers at their n-th code."""
    answers = dict.fromkeys(Q.item_ids, value)
    for question in context_questions():
        answers[question.key] = question.codes[context % len(question.codes)]
    return answers


REAL = [row(2 + n % 4, n) for n in range(10)]  # ten real marketers: agree, disagree, a bit of everything
VICTIM = row(1, 1)  # the dissenting marketer: strongly disagrees with every statement
PADDING = row(5, 2)  # the organiser's four made-up answers, all alike and known to them


def shown(db, round_id):
    """What the organiser sees: the shares on the page and PDF, and the export's rows."""
    results = round_results(db.round_counts(round_id), MIN, Q)
    return results.shares, db.export_rows(round_id, results.visible_sides)


def recovered(before: list[dict], after: list[dict], own: list[dict]) -> list[dict]:
    """The attack's arithmetic: rows in the later export that are neither in the earlier one nor the organiser's."""
    key = lambda r: (r["side"], tuple(sorted(r["answers"].items())))  # noqa: E731
    left = Counter(map(key, after)) - Counter(map(key, before)) - Counter(map(key, own))
    return [dict(answers) for (_, answers), n in left.items() for _ in range(n)]


def submit(db, round_id, key, answers, side="marketing") -> bool:
    return db.submit(round_id, str(uuid.uuid4()), key, side, answers)


def test_with_links_handed_out_an_organiser_who_keeps_four_recovers_the_victims_row(database):
    """The attack succeeds where the organiser holds links: the warning of the hand-out mode."""
    created = database.create_assessment(
        NewAssessment("Acme", "R1", "en", MIN, access="invitations", invited={"marketing": 15})
    )
    rnd = database.current_round(database.find_by_results_code(created.results_code).id)
    codes = [code for _, code in created.invitations]
    for code, answers in zip(codes[:10], REAL, strict=True):
        assert submit(database, rnd.id, code, answers)
    _, before = shown(database, rnd.id)
    assert len(before) == 10
    assert submit(database, rnd.id, codes[10], VICTIM)  # the victim, eleventh
    for code in codes[11:15]:  # four links the organiser kept instead of handing them out
        assert submit(database, rnd.id, code, PADDING)
    _, after = shown(database, rnd.id)
    own = [{"side": "marketing", "answers": PADDING}] * 4
    assert recovered(before, after, own) == [VICTIM]  # her whole row: 10 statements and 6 context answers


def test_by_email_padding_recovers_nothing(database, smtp_server):
    """Every channel the organiser holds is tried; the victim's answer never becomes visible alone."""
    addresses = tuple(f"marketer{n}@example.com" for n in range(11))  # ten real marketers and the victim
    created = database.create_assessment(
        NewAssessment("Acme", "R1", "en", MIN, access="email", addresses={"marketing": addresses})
    )
    assessment = database.find_by_results_code(created.results_code)
    rnd = database.current_round(assessment.id)
    settings = SmtpSettings.from_env(smtp_server.env())
    sent = send_invitations(database, assessment.id, BASE, settings)
    assert created.invitations == () and sent.sent == 11  # the organiser was handed no link
    links = smtp_server.links()
    for n, answers in enumerate(REAL):
        assert submit(database, rnd.id, links[f"marketer{n}@example.com"][0], answers)
    before_shares, before = shown(database, rnd.id)
    assert len(before) == 10
    assert submit(database, rnd.id, links["marketer10@example.com"][0], VICTIM)  # the victim, eleventh

    # The organiser's four answers, through everything they hold or can make.
    attempts = 0
    for _ in range(4):  # the respondent link (made at creation, never shown), from four private windows
        with pytest.raises(NotInvited):
            submit(database, rnd.id, secrets.token_urlsafe(24), PADDING)
        attempts += 1
    for key in (created.respondent_code, created.results_code, secrets.token_urlsafe(24)):  # any code as a link
        assert database.find_invitation(key) is None
        with pytest.raises(NotInvited):
            submit(database, rnd.id, key, PADDING)
        attempts += 1
    assert database.find_by_respondent_code(created.respondent_code).id == assessment.id  # it opens nothing more:
    with pytest.raises(InvalidData):  # no join code for an assessment by e-mail
        database.new_join_code(assessment.id)
    database.add_simulated(assessment.id, [("marketing", PADDING)] * 4)  # the rehearsal: a round of its own
    smtp_server.clear()
    reminded = send_reminders(database, assessment.id, BASE, settings)  # the buttons e-mail the invitees, not them
    retried = send_invitations(database, assessment.id, BASE, settings)
    assert not any(code in repr((reminded, retried)) for found in smtp_server.links().values() for code in found)
    assert attempts == 7

    after_shares, after = shown(database, rnd.id)
    own = [{"side": "marketing", "answers": PADDING}] * 4
    assert recovered(before, after, own) == []  # nothing
    assert (after_shares, after) == (before_shares, before)  # the page, PDF and exports did not move
    assert all(r["answers"] != VICTIM for r in after)
    assert database.round_counts(rnd.id).sides == {"marketing": 11}  # the count says someone answered: not who


def test_by_email_an_organiser_who_invites_addresses_they_read_holds_those_links(database, smtp_server):
    """What e-mail does not promise (said at creation and in the privacy text): the app cannot tell whose
    address is whose, so an organiser who invites four mailboxes they read gets four links and can pad."""
    real = tuple(f"marketer{n}@example.com" for n in range(11))
    own_boxes = tuple(f"organiser+{n}@example.org" for n in range(4))
    created = database.create_assessment(
        NewAssessment("Acme", "R1", "en", MIN, access="email", addresses={"marketing": real + own_boxes})
    )
    rnd = database.current_round(database.find_by_results_code(created.results_code).id)
    send_invitations(database, rnd.assessment_id, BASE, SmtpSettings.from_env(smtp_server.env()))
    links = smtp_server.links()
    for n, answers in enumerate(REAL):
        assert submit(database, rnd.id, links[f"marketer{n}@example.com"][0], answers)
    _, before = shown(database, rnd.id)
    assert submit(database, rnd.id, links["marketer10@example.com"][0], VICTIM)
    for box in own_boxes:
        assert submit(database, rnd.id, links[box][0], PADDING)
    _, after = shown(database, rnd.id)
    assert recovered(before, after, [{"side": "marketing", "answers": PADDING}] * 4) == [VICTIM]
