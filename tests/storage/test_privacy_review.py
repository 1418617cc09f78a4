"""Issue 16, an independent review: a curious organiser (or whoever reads the database afterwards) against the
privacy text's claims, on SQLite and PostgreSQL. Each test is an attack; the ones that still succeed are
recorded as strict xfails with what they recover (see the reason), so that a fix turns them into failures to
un-mark.
"""

import contextlib
import hashlib
import ipaddress
import uuid

import pytest
from sqlalchemy import select, text

from alignment.core.questionnaire import load_questionnaire
from alignment.org.rounds import NewAssessment
from storage import Database, JoinLimits, TooManyAttempts
from storage.access_keys import client_scope
from storage.schema import join_budget

Q = load_questionnaire()
ADDRESSES = {"it": ("ines.secret@example.com", "omar.secret@example.com"), "marketing": ("maya.secret@example.net",)}


def email_assessment(db):
    created = db.create_assessment(NewAssessment("Acme", "R1", "en", 5, access="email", addresses=ADDRESSES))
    return db.find_by_results_code(created.results_code)


def open_assessment(db):
    created = db.create_assessment(NewAssessment("Acme", "R1", "en", 5))
    return db.find_by_results_code(created.results_code)


def settled(db) -> None:
    """Days pass after creation: SQLite has copied its write-ahead log into the file (as it does every 1,000
    pages), so the addresses are in the file itself, not only in the log."""
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as c:
            c.connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def sqlite_bytes(db) -> bytes:
    """Every byte SQLite keeps on disk for this database: the file, and its write-ahead log if any."""
    path = db.engine.url.database
    found = b""
    for suffix in ("", "-wal", "-journal"):
        try:
            with open(path + suffix, "rb") as file:
                found += file.read()
        except FileNotFoundError:
            pass
    return found


def test_erased_addresses_are_not_left_in_the_database_file(database):
    """'The addresses are kept … only until the round closes or the organiser erases them.' After the
    button, whoever copies the database (a backup, the SQLite file) must not find them. SQLite leaves deleted
    rows in free pages and in the write-ahead log unless secure_delete is on (reproduced: all three addresses
    were found in test.db after erase_addresses)."""
    assessment = email_assessment(database)
    settled(database)
    assert database.erase_addresses(assessment.id) == 3
    with database.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM invitees")).scalar_one() == 0
    if database.engine.dialect.name != "sqlite":
        return  # PostgreSQL: dead tuples are reclaimed by (auto)vacuum, not readable through SQL
    kept = sqlite_bytes(database)
    assert kept, "the SQLite file was not found"
    for address in (a for side in ADDRESSES.values() for a in side):
        assert address.encode() not in kept


def test_erased_addresses_are_not_left_in_the_file_when_the_round_closes(database):
    """The same when closing the round erases them (the usual path)."""
    assessment = email_assessment(database)
    rnd = database.current_round(assessment.id)
    settled(database)
    assert database.set_round_open(rnd.id, False)
    if database.engine.dialect.name != "sqlite":
        return
    kept = sqlite_bytes(database)
    for address in (a for side in ADDRESSES.values() for a in side):
        assert address.encode() not in kept


# --- join codes: can guessing lock honest people out? ---------------------------------------------------------


def wrong(n: int) -> str:
    """The n-th well-formed join code of a series that no test makes live ("ZZ…" then n in base 30)."""
    from storage.codes import JOIN_ALPHABET

    digits = ""
    for _ in range(4):
        n, d = divmod(n, len(JOIN_ALPHABET))
        digits += JOIN_ALPHABET[d]
    return "ZZZZ" + digits


def limited(database, **limits) -> Database:
    return Database(database.url, timeout=30, join_limits=JoinLimits(**({"window_seconds": 600} | limits)))


@pytest.mark.xfail(
    strict=True,
    reason="issue 16 review: the budget is per client address; a room on one Wi-Fi (one NAT address) is one "
    "client, so 20 typos or one flooding phone refuse every newcomer in the room for the window. The privacy "
    "text says so ('holds back newcomers on that same network only'), but the issue asked that a flood from "
    "one client not stop a newcomer 'in the same room'; a fix needs a budget that is not keyed by address "
    "alone (e.g. a valid code always admitted once per browser key), not small.",
)
def test_a_flood_from_the_rooms_own_network_does_not_stop_a_newcomer(database):
    server = limited(database)
    try:
        assessment = open_assessment(database)
        code, _ = server.new_join_code(assessment.id)
        for n in range(25):  # one phone on the room's Wi-Fi, typing wrong codes
            with contextlib.suppress(TooManyAttempts):
                server.find_by_join_code(wrong(n), "198.51.100.7")
        found = server.find_by_join_code(code, "198.51.100.7")  # a colleague on the same Wi-Fi, the right code
        assert found is not None and found.id == assessment.id
    finally:
        server.dispose()


def flood_then_newcomer(database, clients) -> bool:
    """620 wrong codes from `clients` (cycled), then a newcomer from another network types the right code."""
    server = limited(database, per_client=20, overall=600)
    try:
        assessment = open_assessment(database)
        code, _ = server.new_join_code(assessment.id)
        for n in range(620):
            with contextlib.suppress(TooManyAttempts):
                server.find_by_join_code(wrong(n), clients[n % len(clients)])
        found = server.find_by_join_code(code, "192.0.2.44")
        return found is not None and found.id == assessment.id
    finally:
        server.dispose()


def test_a_flood_from_one_ipv6_subnet_does_not_stop_newcomers_elsewhere(database):
    """One machine rotating addresses in its IPv6 /64 (620 addresses): before the review each was a client of
    its own, the flood spent the overall budget and the newcomer was refused. Now the /64 is one client."""
    net = ipaddress.ip_network("2001:db8:16:16::/64")
    assert flood_then_newcomer(database, [str(net[n + 1]) for n in range(620)])


@pytest.mark.xfail(
    strict=True,
    reason="issue 16 review: 31 IPv4 addresses (a small botnet, or 31 phones' mobile data) flooding 20 wrong codes "
    "each spend the overall budget (600 a minute), and then a newcomer from anywhere is refused for the window: "
    "'newcomers from elsewhere still join' holds only below overall / per_client flooding addresses. A fix "
    "(right codes not held by the overall budget, or a per-room budget) changes the guessing bound: design.",
)
def test_a_flood_from_31_addresses_does_not_stop_newcomers_elsewhere(database):
    assert flood_then_newcomer(database, [f"198.51.100.{n}" for n in range(1, 32)])


def test_a_right_join_code_leaves_no_trace_of_the_joiners_address(database):
    """'To count wrong codes the app keeps a scrambled form of the network address … never beside an
    answer.' A respondent who typed the right code spent nothing, so nothing of their address may stay:
    before the review the budget row of their address stayed (spent 0) with its time slot, next to their
    response's creation time."""
    server = limited(database)
    try:
        assessment = open_assessment(database)
        code, _ = server.new_join_code(assessment.id)
        assert server.find_by_join_code(code, "203.0.113.77") is not None
        with server.engine.connect() as c:
            scopes = set(c.execute(select(join_budget.c.scope)).scalars())
        assert client_scope("203.0.113.77") not in scopes
    finally:
        server.dispose()


@pytest.mark.xfail(
    strict=True,
    reason="issue 16 review: the 'scrambled form of the network address' is an unsalted SHA-256 of "
    "'join-budget:<address>': whoever reads join_budget recovers an IPv4 address by trying the 2**32 "
    "addresses (here a /24 in milliseconds), and the row is deleted only by a later look-up two slots on, "
    "so it outlives 'two minutes' when nobody types a code after. Fix: a keyed digest (a secret rotated per "
    "window, kept in the database for every server) and deleting rows older than the window on a timer.",
)
def test_the_scrambled_network_address_cannot_be_turned_back(database):
    server = limited(database)
    try:
        with pytest.raises(TooManyAttempts):
            for n in range(25):
                server.find_by_join_code(wrong(n), "203.0.113.77")
        with server.engine.connect() as c:
            scopes = set(c.execute(select(join_budget.c.scope)).scalars()) - {"all"}
        recovered = {
            str(address)
            for address in ipaddress.ip_network("203.0.113.0/24")
            if "c:" + hashlib.sha256(f"join-budget:{address}".encode()).hexdigest()[:40] in scopes
        }
        assert recovered == set()
    finally:
        server.dispose()


# --- a handed-out invitation: another browser -----------------------------------------------------------------


def test_another_browser_taking_an_invitation_over_never_gets_the_invitees_answers(database):
    """The organiser opens a handed-out link in a private window (another holder), answers one statement (so
    the draft is now 'theirs'), and opens it again: they see their one answer, never the invitee's others."""
    created = database.create_assessment(NewAssessment("Acme", "R1", "en", 5, access="invitations", invited={"it": 1}))
    assessment = database.find_by_results_code(created.results_code)
    rnd = database.current_round(assessment.id)
    ((_, code),) = created.invitations
    victim, organiser = "v" * 32, "o" * 32
    response = str(uuid.uuid4())
    database.save_draft(rnd.id, response, code, "it", dict.fromkeys(Q.item_ids, 2), holder=victim)
    seen = database.load_draft(assessment.id, code, organiser)
    assert seen.withheld and seen.answers == {}
    first = Q.item_ids[0]
    database.save_draft(rnd.id, str(uuid.uuid4()), code, "it", {first: 5}, holder=organiser)
    assert database.load_draft(assessment.id, code, organiser).answers == {first: 5}


def test_right_and_wrong_codes_from_one_address_at_once_are_not_refused_within_the_budget(database):
    """The clean-up above must not refuse a concurrent look-up from the same address (a room on one Wi-Fi):
    20 right and 19 wrong codes from one address, all at once, over two servers, with a budget of 20."""
    import threading

    servers = [limited(database, per_client=20, overall=600) for _ in range(2)]
    try:
        assessment = open_assessment(database)
        code, _ = servers[0].new_join_code(assessment.id)
        guesses = [code] * 20 + [wrong(n) for n in range(19)]
        start, outcomes, lock = threading.Barrier(len(guesses)), [], threading.Lock()

        def guess(n: int, typed: str) -> None:
            start.wait()
            try:
                kind = "found" if servers[n % 2].find_by_join_code(typed, "198.51.100.20") else "not found"
            except TooManyAttempts:
                kind = "refused"
            except Exception as error:  # counted, so the test says what went wrong
                kind = type(error).__name__
            with lock:
                outcomes.append(kind)

        threads = [threading.Thread(target=guess, args=(n, g)) for n, g in enumerate(guesses)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["found"] * 20 + ["not found"] * 19
    finally:
        for server in servers:
            server.dispose()
