"""Attacks on respondents' privacy, on SQLite and PostgreSQL: each was reproduced before the fix.

The organiser holds the respondent and results links; these tests play them, or a stranger guessing,
against the gateway, which is what every page and export reads.
"""

import contextlib
import fcntl
import os
import secrets
import tempfile
import uuid
from datetime import UTC, datetime

import pytest

from alignment.core.questionnaire import load_questionnaire
from alignment.org.rounds import NewAssessment, round_results
from storage import NotInvited

Q = load_questionnaire()


def answers(value: int) -> dict[str, int]:
    return dict.fromkeys(Q.item_ids, value)


def new(db, access="open", min_group=5, **invited):
    created = db.create_assessment(NewAssessment("Acme", "R1", "en", min_group, access=access, invited=invited))
    assessment = db.find_by_results_code(created.results_code)
    return created, assessment, db.current_round(assessment.id)


def submit(db, round_id, key, side="it", value=4) -> bool:
    return db.submit(round_id, str(uuid.uuid4()), key, side, answers(value))


def shown(db, round_id, min_group=5):
    """What the results page, the PDF and the exports show of a round."""
    results = round_results(db.round_counts(round_id), min_group, Q)
    return results.shares, db.export_rows(round_id, results.visible_sides)


def test_padding_from_the_organisers_browser_counts_once(database):
    """One real IT answer; the organiser adds four through the respondent link from their browser."""
    _, _, rnd = new(database)
    assert submit(database, rnd.id, secrets.token_urlsafe(24), value=1)  # the real respondent
    organiser = secrets.token_urlsafe(24)  # the key the organiser's browser keeps
    outcomes = [submit(database, rnd.id, organiser, value=5) for _ in range(4)]
    assert outcomes == [True, False, False, False]
    assert database.round_counts(rnd.id).sides == {"it": 2}
    assert shown(database, rnd.id) == ({}, [])  # the side stays hidden: no share, no row


def test_padding_by_invitation_needs_an_invitation(database):
    """By invitation, the respondent link and made-up keys add nothing; only the invitees' codes answer."""
    created, assessment, rnd = new(database, "invitations", it=1)
    ((side, code),) = created.invitations
    assert side == "it" and submit(database, rnd.id, code, value=1)
    for _ in range(4):
        with pytest.raises(NotInvited):
            submit(database, rnd.id, secrets.token_urlsafe(24), value=5)
    with pytest.raises(NotInvited):
        submit(database, rnd.id, created.respondent_code, value=5)
    assert database.round_counts(rnd.id).sides == {"it": 1}
    assert database.invited_counts(assessment.id) == {"it": 1}


def test_an_export_row_cannot_be_found_by_its_order_or_day(database):
    """Rows carry no id, no date and no order: two rounds answered in opposite orders export alike."""
    _, assessment, first = new(database)
    values = [1, 2, 3, 4, 5]
    for value in values:
        submit(database, first.id, secrets.token_urlsafe(24), value=value)
    second = database.start_new_round(assessment.id, "R2")
    for value in reversed(values):
        submit(database, second.id, secrets.token_urlsafe(24), value=value)
    database.set_round_open(second.id, False)  # an open link's round shows its rows once closed
    rows_first, rows_second = database.export_rows(first.id, ("it",)), database.export_rows(second.id, ("it",))
    assert rows_first == rows_second and len(rows_first) == 5
    assert all(set(row) == {"side", "answers"} for row in rows_first)


def test_watching_between_two_submissions_reveals_nothing(database):
    """By invitation, shares, exports and the counts behind them move only in steps of the minimum group size
    (with an open link they do not move at all until the round closes: see the issue 16 tests below)."""
    created, _, rnd = new(database, "invitations", it=10)
    codes = iter(code for _, code in created.invitations)
    for value in (1, 2, 4, 5, 5):
        submit(database, rnd.id, next(codes), value=value)
    before = shown(database, rnd.id)
    assert before[0] and len(before[1]) == 5
    submit(database, rnd.id, next(codes), value=1)  # the newest respondent disagrees
    assert shown(database, rnd.id) == before
    for _ in range(3):
        submit(database, rnd.id, next(codes), value=5)
        assert shown(database, rnd.id) == before
    submit(database, rnd.id, next(codes), value=5)  # the tenth: a whole step
    after = shown(database, rnd.id)
    assert after != before and len(after[1]) == 10


def test_twenty_five_submissions_from_one_browser_count_once(database):
    _, _, rnd = new(database, min_group=1)
    browser = secrets.token_urlsafe(24)
    outcomes = [submit(database, rnd.id, browser, value=v % 5 + 1) for v in range(25)]
    assert outcomes == [True] + [False] * 24
    assert database.round_counts(rnd.id).sides == {"it": 1}


def test_an_invitation_code_answers_once_per_round_for_its_side(database):
    created, assessment, rnd = new(database, "invitations", min_group=1, it=1, marketing=1)
    codes = dict(created.invitations)
    assert submit(database, rnd.id, codes["it"])
    assert not submit(database, rnd.id, codes["it"])  # reused: already submitted, not counted
    with pytest.raises(Exception) as refused:
        submit(database, rnd.id, codes["marketing"], side="it")  # a code answers for its own side only
    assert type(refused.value).__name__ == "InvalidData"
    assert database.round_counts(rnd.id).sides == {"it": 1}
    second = database.start_new_round(assessment.id, "R2")
    assert submit(database, second.id, codes["it"])  # a new round: the invitee answers again


def test_a_code_of_another_assessment_is_refused(database):
    ours = new(database, "invitations", it=2)
    theirs = new(database, "invitations", it=2)
    other_code = theirs[0].invitations[0][1]
    with pytest.raises(NotInvited):
        submit(database, ours[2].id, other_code)
    assert database.find_invitation(other_code)[0].id == theirs[1].id
    assert database.round_counts(ours[2].id).sides == {}


def test_guessed_codes_find_nothing(database):
    created, _, rnd = new(database, "invitations", it=3)
    assert all(len(code) >= 32 for _, code in created.invitations)  # 192 random bits each
    real = created.invitations[0][1]
    guesses = [secrets.token_urlsafe(24) for _ in range(200)]
    guesses += [real[:-1] + ("A" if real[-1] != "A" else "B"), real.upper(), real + "x", "x" * 32, "", "'; --"]
    assert all(database.find_invitation(g) is None for g in guesses)
    for guess in guesses[:20]:
        with pytest.raises(NotInvited):
            submit(database, rnd.id, guess)
    assert database.round_counts(rnd.id).sides == {}


def test_invitation_codes_are_stored_only_as_digests(database):
    from storage.schema import invitations

    created, _, _ = new(database, "invitations", it=2, marketing=1)
    with database.engine.connect() as c:
        stored = " ".join(str(v) for row in c.execute(invitations.select()).all() for v in row)
    assert len(created.invitations) == 3
    assert not any(code in stored for _, code in created.invitations)


# --- Issue 16 -------------------------------------------------------------------------------------------------
# Attack 2, open link: the organiser adds answers right after one person's to complete a step, and compares the
# views before and after. Defence: with an open link, nothing of a round is shown (no share, no row) while it is
# open, everything once it is closed, and a closed round never reopens: one view per round, never two.


def recovered_by_difference(before: list[dict], after: list[dict], own: list[dict]) -> list[dict]:
    """The attacker's computation: the rows of `after` not in `before`, minus their own (multisets)."""
    left = [repr(row) for row in after]
    for row in [*before, *own]:
        if repr(row) in left:
            left.remove(repr(row))
    return left


def row(side: str, values: dict[str, int]) -> dict:
    return {"side": side, "answers": dict(sorted(values.items()))}


def varied(seed: int) -> dict[str, int]:
    """A distinct complete response (statements 1-5)."""
    return {item: (seed * 7 + i * 3) % 5 + 1 for i, item in enumerate(Q.item_ids)}


def test_padding_after_one_person_recovers_nothing_with_an_open_link(database):
    """Attack 2 as the issue plays it: ten real marketing answers, the victim eleventh, four of the organiser's
    own right after her. Every view while the round is open shows no share and no row; at close one view of
    all fifteen, the same whatever the order; the round does not reopen for a second view."""
    _, _, rnd = new(database)
    for n in range(10):
        assert database.submit(rnd.id, str(uuid.uuid4()), secrets.token_urlsafe(24), "marketing", varied(n))
    at_ten = shown(database, rnd.id)
    victim = {item: 1 for item in Q.item_ids}
    assert database.submit(rnd.id, str(uuid.uuid4()), secrets.token_urlsafe(24), "marketing", victim)
    own = [varied(100 + n) for n in range(4)]
    for values in own:  # four private windows on the open link
        assert database.submit(rnd.id, str(uuid.uuid4()), secrets.token_urlsafe(24), "marketing", values)
    at_fifteen = shown(database, rnd.id)
    assert at_ten == at_fifteen == ({}, [])  # open: nothing to compare
    assert database.round_counts(rnd.id).sides == {"marketing": 15}  # the count is all that shows
    assert database.set_round_open(rnd.id, False)
    shares, rows = shown(database, rnd.id)
    assert len(rows) == 15 and shares  # one view, of everyone
    assert database.set_round_open(rnd.id, True) is False  # no reopening for a second view
    own_rows = [row("marketing", v) for v in own]
    assert recovered_by_difference(at_ten[1], at_fifteen[1], own_rows) == []
    # What the organiser can do with the one view: take their own four rows out, which leaves the eleven real
    # rows, the victim's among them with nothing to say which.
    left = recovered_by_difference([], rows, own_rows)
    assert len(left) == 11 and repr(row("marketing", victim)) in left


def test_what_padding_still_recovers_with_an_open_link_the_victim_alone_on_her_side(database):
    """The stated limit: if she is the only real answer on her side when the round closes (the link sent to her
    alone, or the round closed right after her), the organiser's four complete the group and her row is what
    remains once theirs are taken out. Said at creation and in the privacy text."""
    _, _, rnd = new(database)
    victim = varied(42)
    assert database.submit(rnd.id, str(uuid.uuid4()), secrets.token_urlsafe(24), "marketing", victim)
    own = [varied(100 + n) for n in range(4)]
    for values in own:
        assert database.submit(rnd.id, str(uuid.uuid4()), secrets.token_urlsafe(24), "marketing", values)
    database.set_round_open(rnd.id, False)
    _, rows = shown(database, rnd.id)
    assert recovered_by_difference([], rows, [row("marketing", v) for v in own]) == [repr(row("marketing", victim))]


def test_an_open_links_round_closed_by_a_new_round_is_shown_whole(database):
    _, assessment, rnd = new(database, min_group=3)
    for n in range(7):
        submit(database, rnd.id, secrets.token_urlsafe(24), value=n % 5 + 1)
    assert shown(database, rnd.id, 3) == ({}, [])
    database.start_new_round(assessment.id, "R2")
    assert len(shown(database, rnd.id, 3)[1]) == 7  # all seven, not the first six
    database.recount(rnd.id)  # the rebuilt counts say the same
    assert len(shown(database, rnd.id, 3)[1]) == 7


def test_by_invitation_steps_are_kept_and_reopening_is_allowed(database):
    created, _, rnd = new(database, "invitations", min_group=2, it=3)
    codes = [code for _, code in created.invitations]
    for code in codes:
        submit(database, rnd.id, code)
    assert database.round_counts(rnd.id).reported == {"it": 2}
    assert database.set_round_open(rnd.id, False) and database.set_round_open(rnd.id, True)


# Attack 3: the room view, made to be projected, carried the results code. It has its own read-only key now.


def test_the_room_key_opens_the_room_and_nothing_else(database):
    created, assessment, _ = new(database)
    key, expires = database.new_room_key(assessment.id)
    assert key not in (created.results_code, created.respondent_code) and expires > datetime.now(UTC)
    assert database.find_by_room_key(key).id == assessment.id
    assert database.find_by_results_code(key) is None  # no management, no exports, no deletion
    assert database.find_by_respondent_code(key) is None
    assert database.find_by_room_key(created.results_code) is None  # and the master key is not a room key
    with database.engine.connect() as c:
        from storage.schema import room_keys

        stored = " ".join(str(v) for r in c.execute(room_keys.select()).all() for v in r)
    assert key not in stored  # a digest only


def test_a_room_key_is_revoked_and_expires(database):
    _, assessment, _ = new(database)
    key, _ = database.new_room_key(assessment.id)
    other, _ = database.new_room_key(assessment.id)
    assert database.room_keys_live(assessment.id) == 2
    assert database.revoke_room_keys(assessment.id) == 2
    assert database.find_by_room_key(key) is None and database.find_by_room_key(other) is None
    stale, _ = database.new_room_key(assessment.id, hours=-1)  # expired already
    assert database.find_by_room_key(stale) is None and database.room_keys_live(assessment.id) == 0
    assert database.delete_assessment(assessment.id)


# Attack 4: a flood of wrong join codes cut off joined respondents; 300 concurrent guesses all reached the
# database. The failure budget is now spent atomically in the database, per client and overall.


def count_join_lookups(db) -> list:
    """A list that grows by one for every statement that looks a join code up (what a guess reaches)."""
    from sqlalchemy import event

    seen: list = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if "FROM assessments JOIN join_codes" in statement:
            seen.append(1)

    event.listen(db.engine, "before_cursor_execute", before)
    return seen


def wrong_code(rng) -> str:
    from storage.codes import JOIN_ALPHABET, JOIN_LENGTH

    return "".join(rng.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH))


def burst(servers, guesses: list[tuple[str, str | None]]) -> dict[str, int]:
    """Every guess on its own thread, all released at once, spread over the servers; outcomes by kind."""
    import threading

    from storage import TooManyAttempts

    start, outcomes, lock = threading.Barrier(len(guesses)), {}, threading.Lock()

    def guess(n: int, code: str, client: str | None) -> None:
        start.wait()
        try:
            kind = "found" if servers[n % len(servers)].find_by_join_code(code, client) else "not found"
        except TooManyAttempts:
            kind = "refused"
        except Exception as error:  # counted, so the test says what went wrong
            kind = type(error).__name__
        with lock:
            outcomes[kind] = outcomes.get(kind, 0) + 1

    threads = [threading.Thread(target=guess, args=(n, *g)) for n, g in enumerate(guesses)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.fixture
def two_servers(database, monkeypatch):
    """Two gateways on the same database, as two app servers are, with a 60-failure overall budget; the burst
    counted in one slot of the window, not split across two."""
    from storage import Database, JoinLimits
    from tests.conftest import early_in_a_join_slot

    # Each burst fills both pools (25 connections each): two bursts at once on two test workers went over
    # PostgreSQL's 100 connections ("too many clients already", seen on a fresh machine): one at a time.
    with one_burst_at_a_time():
        early_in_a_join_slot(monkeypatch, 600)
        limits = JoinLimits(window_seconds=600, per_client=20, overall=60)
        servers = [Database(database.url, timeout=60, join_limits=limits) for _ in range(2)]
        yield servers
        for server in servers:
            server.dispose()


@contextlib.contextmanager
def one_burst_at_a_time():
    """Held by one test process at a time (an advisory lock on a file beside the system's temporary files)."""
    with open(os.path.join(tempfile.gettempdir(), "alignment-tests-burst.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def test_a_burst_of_300_wrong_codes_spends_the_budget_once(database, two_servers):
    """300 concurrent wrong guesses from 300 addresses over two app servers: 60 are looked up, 240 refused
    without reaching the join codes; the overall budget is spent once, whatever the server."""
    import random

    rng = random.Random(16)
    _, assessment, _ = new(database)
    database.new_join_code(assessment.id)
    lookups = [count_join_lookups(server) for server in two_servers]
    outcomes = burst(two_servers, [(wrong_code(rng), f"10.0.{n // 250}.{n % 250}") for n in range(300)])
    assert outcomes == {"not found": 60, "refused": 240}
    assert sum(map(len, lookups)) == 60
    assert two_servers[0].join_budget_spent("10.0.0.1")["all"] == 60


def test_a_burst_from_one_client_spends_its_own_budget_once(database, two_servers):
    import random

    rng = random.Random(17)
    outcomes = burst(two_servers, [(wrong_code(rng), "203.0.113.9") for _ in range(300)])
    assert outcomes == {"not found": 20, "refused": 280}
    assert two_servers[1].join_budget_spent("203.0.113.9") == {"client": 20, "all": 20}


@pytest.mark.slow  # about 8 s: two compressed minutes of flood
def test_a_flood_from_one_client_does_not_stop_a_newcomer(database):
    """The issue's flood, time compressed 30 times (a 2 s window for 60 s): one client sends two wrong codes a
    (compressed) second for two (compressed) minutes, 240 in all; meanwhile a newcomer from another address
    joins with the valid code every few guesses, and each time gets in. The flood gets `per_client` look-ups
    per window; the overall budget is never reached."""
    import random
    import time

    from storage import Database, JoinLimits, TooManyAttempts

    limits = JoinLimits(window_seconds=2, per_client=20, overall=600)
    server = Database(database.url, timeout=30, join_limits=limits)
    _, assessment, _ = new(database)
    code, _ = server.new_join_code(assessment.id)
    lookups = count_join_lookups(server)
    rng, refused, joined, flood = random.Random(18), 0, 0, 240
    began = time.monotonic()
    for n in range(flood):
        try:
            assert server.find_by_join_code(wrong_code(rng), "198.51.100.7") is None
        except TooManyAttempts:
            refused += 1
        if n % 8 == 0:  # a newcomer, from the room's other network, typing the code on the screen
            found = server.find_by_join_code(code.lower(), f"192.0.2.{n // 8}")
            joined += found is not None and found.id == assessment.id
        time.sleep(max(0.0, began + (n + 1) / 60 - time.monotonic()))  # 60 a second: 2/s at 30 times speed
    windows = int((time.monotonic() - began) // limits.window_seconds) + 2
    assert joined == flood // 8  # every newcomer got in
    assert refused >= flood - 20 * windows  # the flood was held to its own budget
    assert len(lookups) - joined <= 20 * windows
    server.dispose()
