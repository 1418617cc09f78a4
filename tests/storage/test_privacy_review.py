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
from storage.access_keys import network_of
from storage.codes import budget_key, network_scope
from storage.schema import join_budget, join_salts
from tests.conftest import early_in_a_join_slot, postgres_schema_url

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


@pytest.fixture(autouse=True)
def early_in_a_slot(monkeypatch):
    """The join budget's clock starts a test 1 s into a slot of `limited`'s 600 s window and runs on from there:
    a flood counted across a slot's end was split in two (the 31-network test saw 391 of 600, at 21:10:00)."""
    early_in_a_join_slot(monkeypatch, 600)


def limited(database, **limits) -> Database:
    return Database(database.url, timeout=30, join_limits=JoinLimits(**({"window_seconds": 600} | limits)))


def test_a_flood_from_the_rooms_own_network_does_not_stop_a_newcomer(database):
    """Issue 16, item 6: one phone on the room's Wi-Fi (one NAT address for the whole room) types 25 wrong
    codes. No budget keyed by anything the flooder can forge tells them from a colleague on the same address,
    so the room's QR code carries a long join link, not budgeted (it cannot be guessed): the colleague who
    scans it joins. (Before: the QR code carried the short code, and the colleague was refused for the
    window, on both engines.) The typed short code still waits, and the page says to scan the QR code."""
    server = limited(database)
    try:
        assessment = open_assessment(database)
        room = server.new_room_join(assessment.id)  # what the room view shows: the code and the QR's link
        for n in range(25):  # one phone on the room's Wi-Fi, typing wrong codes
            with contextlib.suppress(TooManyAttempts):
                server.find_by_join_code(wrong(n), "198.51.100.7")
        found = server.find_by_respondent_code(room.link, "198.51.100.7")  # a colleague scans the QR code
        assert found is not None and found.id == assessment.id
        with pytest.raises(TooManyAttempts):  # typing the code on that network waits for the window: said
            server.find_by_respondent_code(room.code, "198.51.100.7")
        assert server.find_by_join_code(room.code, "192.0.2.9") is not None  # another network types it
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


def test_a_flood_from_31_networks_does_not_stop_a_newcomer_who_scans_the_qr_code(database):
    """31 IPv4 networks (a small botnet, or 31 phones on mobile data) flooding 20 wrong codes each spend the
    overall budget (600 a window). Before: a newcomer from anywhere, scanning the QR code (which carried the
    short code), was refused for the window. Now the QR code's link is not budgeted: the newcomer joins.
    Typing the code waits for the window, as the page and the privacy text say."""
    server = limited(database, per_client=20, overall=600)
    clients = [f"198.51.100.{n}" for n in range(1, 32)]
    try:
        assessment = open_assessment(database)
        room = server.new_room_join(assessment.id)
        for n in range(620):
            with contextlib.suppress(TooManyAttempts):
                server.find_by_join_code(wrong(n), clients[n % len(clients)])
        assert server.join_budget_spent("192.0.2.44")["all"] == 600
        found = server.find_by_respondent_code(room.link, "192.0.2.44")
        assert found is not None and found.id == assessment.id
        with pytest.raises(TooManyAttempts):
            server.find_by_respondent_code(room.code, "192.0.2.44")
    finally:
        server.dispose()


def test_the_join_link_lives_and_goes_with_its_code(database):
    """The QR code's link is made with the short code, expires with it and goes with its assessment; it opens
    only an open-access assessment, and nothing but its exact value opens it."""
    assessment = open_assessment(database)
    room = database.new_room_join(assessment.id, hours=12)
    assert len(room.link) == 32 and room.link != room.code and room.expires > room.expires.replace(year=2000)
    assert database.find_by_join_link(room.link).id == assessment.id
    assert database.find_by_join_link(room.link[:-1] + ("A" if room.link[-1] != "A" else "B")) is None
    expired = database.new_room_join(assessment.id, hours=-1)
    assert database.find_by_join_link(expired.link) is None and database.find_by_join_code(expired.code) is None
    with database.engine.connect() as c:
        stored = " ".join(str(v) for row in c.execute(text("SELECT * FROM join_codes")).all() for v in row)
    assert room.link not in stored and room.code not in stored
    assert database.delete_assessment(assessment.id)
    assert database.find_by_join_link(room.link) is None


def test_a_flood_from_one_ipv6_subnet_does_not_stop_newcomers_elsewhere(database):
    """One machine rotating addresses in its IPv6 /64 (620 addresses): before the review each was a client of
    its own, the flood spent the overall budget and the newcomer was refused. Now the /64 is one client."""
    net = ipaddress.ip_network("2001:db8:16:16::/64")
    assert flood_then_newcomer(database, [str(net[n + 1]) for n in range(620)])


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
        assert scopes <= {"all"}
    finally:
        server.dispose()


SECRET = "the app servers' shared secret (server.cookieSecret)"


def recovered(rows: list[tuple[str, int]], salts: dict[int, str], key: bytes | None) -> set[str]:
    """What a reader of join_budget and join_salts turns back into addresses, trying the whole /24: the
    unsalted digest of before, and, if they hold `key`, the keyed digest under each slot's salt."""
    found = set()
    for address in map(str, ipaddress.ip_network("203.0.113.0/24")):
        unsalted = "c:" + hashlib.sha256(f"join-budget:{address}".encode()).hexdigest()[:40]
        for scope, slot in rows:
            keyed = key is not None and slot in salts and scope == network_scope(key, salts[slot], address)
            if scope == unsalted or keyed:
                found.add(address)
    return found


def budget_tables(db) -> tuple[list[tuple[str, int]], dict[int, str]]:
    with db.engine.connect() as c:
        rows = [(r.scope, r.slot) for r in c.execute(select(join_budget)) if r.scope != "all"]
        salts = dict(c.execute(select(join_salts.c.slot, join_salts.c.salt)).all())
    return rows, salts


def test_the_scrambled_network_address_cannot_be_turned_back(database, monkeypatch):
    """'A digest of the network address … keyed with a secret of the app servers that is not in the
    database, deleted within a minute or so.' Before the review it was an unsalted SHA-256 of the address,
    turned back by trying a /24 in milliseconds, and kept until a later look-up. Now: within the window a
    database reader without the servers' secret recovers nothing (the same reader holding the secret would:
    the check can fail); after the window the rows and salts are gone, and even the secret recovers nothing."""
    import storage.access_keys

    server = Database(database.url, timeout=30, join_limits=JoinLimits(600, 20, 600), secret=SECRET)
    try:
        with pytest.raises(TooManyAttempts):
            for n in range(25):
                server.find_by_join_code(wrong(n), "203.0.113.77")
        rows, salts = budget_tables(server)
        assert len(rows) == 1 and len(salts) == 1
        assert recovered(rows, salts, key=None) == set()  # the database alone
        assert recovered(rows, salts, key=budget_key("a guessed secret")) == set()
        assert recovered(rows, salts, key=budget_key(SECRET)) == {"203.0.113.77"}  # what the secret adds
        assert network_of("203.0.113.77") == "203.0.113.77"

        later = storage.access_keys.utc_now() + storage.access_keys.timedelta(seconds=601)
        monkeypatch.setattr(storage.access_keys, "utc_now", lambda: later)  # the window has passed
        assert server.sweep_join_budget() == 3  # the network's row, the overall row, the salt: what the timer does
        rows, salts = budget_tables(server)
        assert rows == [] and salts == {}
        assert recovered(rows, salts, key=budget_key(SECRET)) == set()
    finally:
        server.dispose()


def test_two_servers_with_the_shared_secret_count_one_network_once(database):
    """deploy/ gives every app server the same secret: a network's wrong codes count once across them."""
    servers = [Database(database.url, timeout=30, join_limits=JoinLimits(600, 5, 600), secret=SECRET) for _ in (1, 2)]
    try:
        for n in range(5):
            with contextlib.suppress(TooManyAttempts):
                servers[n % 2].find_by_join_code(wrong(n), "198.51.100.9")
        with pytest.raises(TooManyAttempts):
            servers[1].find_by_join_code(wrong(9), "198.51.100.9")
        assert servers[0].join_budget_spent("198.51.100.9") == {"client": 5, "all": 5}
    finally:
        for server in servers:
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


def test_a_budget_row_made_again_meanwhile_does_not_refuse_a_look_up_within_the_budget():
    """The race behind the flaky test above, made certain on PostgreSQL (READ COMMITTED; SQLite runs one writer
    at a time): right after a look-up's first statement on its network's budget row, another look-up from the
    same network runs, to its end or until it waits on that look-up's lock. The spending UPDATE had found no
    row (none yet, or a right code had just deleted it), and the row the other look-up made meanwhile was then
    taken for a spent budget: refused with 1 unit of 20 spent (the test above failed so in 2 of 40 runs on a
    loaded machine)."""
    import threading

    from sqlalchemy import event

    with postgres_schema_url() as url:
        database = Database(url)
        database.migrate()
        server, other = limited(database, per_client=20), limited(database, per_client=20)
        try:
            open_assessment(database)
            other.find_by_join_code(wrong(0), "203.0.113.9")  # the slot's salt and overall row, made by another network
            meanwhile: list[threading.Thread] = []

            def waiting_on(pid: int) -> bool:  # some session waits on a lock this backend holds
                with database.engine.connect() as c:
                    query = text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))")
                    return bool(c.execute(query, {"pid": pid}).scalar())

            @event.listens_for(server.engine, "after_cursor_execute")
            def another_look_up_in_between(conn, _cursor, statement, parameters, *_):
                on_a_network_row = statement.startswith(("UPDATE join_budget", "INSERT INTO join_budget"))
                if on_a_network_row and parameters.get("scope") != "all" and not meanwhile:
                    look_up = threading.Thread(target=other.find_by_join_code, args=(wrong(1), "198.51.100.30"))
                    meanwhile.append(look_up)
                    look_up.start()
                    pid = conn.connection.dbapi_connection.info.backend_pid
                    while look_up.is_alive() and not waiting_on(pid):  # a condition, polled
                        look_up.join(0.02)

            assert server.find_by_join_code(wrong(2), "198.51.100.30") is None  # not found, not refused
            meanwhile[0].join(30)
            assert server.join_budget_spent("198.51.100.30") == {"client": 2, "all": 3}
        finally:
            for db in (server, other, database):
                db.dispose()


def swept_meanwhile(server, other, after) -> None:
    """Right after the look-up's first statement that `after(statement, parameters)` picks, another app server's
    timer sweeps as the next slot begins (its clock a little ahead): to its end, or until it waits on a lock
    the look-up holds (pg_blocking_pids, a condition polled)."""
    import threading

    from sqlalchemy import event

    swept: list[threading.Thread] = []

    def sweep_next_slot() -> None:
        with other.transaction() as c:
            other._sweep(c, other._slot(storage_now()) + 1)

    def waiting_on(pid: int) -> bool:
        with other.engine.connect() as c:
            query = text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))")
            return bool(c.execute(query, {"pid": pid}).scalar())

    @event.listens_for(server.engine, "after_cursor_execute")
    def sweep_in_between(conn, _cursor, statement, parameters, *_):
        if after(statement, parameters) and not swept:
            sweep = threading.Thread(target=sweep_next_slot)
            swept.append(sweep)
            sweep.start()
            pid = conn.connection.dbapi_connection.info.backend_pid
            while sweep.is_alive() and not waiting_on(pid):
                sweep.join(0.02)

    return swept


def storage_now():
    import storage.access_keys

    return storage.access_keys.utc_now()


@pytest.mark.parametrize("after", ["the overall row is there", "the salt is made"])
def test_a_sweep_at_the_slots_end_does_not_refuse_or_break_a_look_up_within_the_budget(after):
    """Review of ece58bd: the overall ("all") row was made if absent (INSERT … DO NOTHING), then spent by an
    UPDATE; the slot's salt made if absent, then read. Another server's sweep at its next slot, in between,
    deleted either row: the look-up was refused ("all") with 1 unit of 600 spent, or failed on the salt it
    could not read (NoResultFound, a message instead of the questionnaire). Made certain on PostgreSQL
    (READ COMMITTED; SQLite runs one writer at a time)."""
    picks = {
        "the overall row is there": lambda s, p: "join_budget" in s and p.get("scope") == "all",
        "the salt is made": lambda s, p: s.startswith("INSERT INTO join_salts"),
    }
    with postgres_schema_url() as url:
        database = Database(url)
        database.migrate()
        server, other = limited(database), limited(database)
        try:
            open_assessment(database)
            other.find_by_join_code(wrong(0), "203.0.113.9")  # the slot's salt and overall row, made earlier
            swept = swept_meanwhile(server, other, picks[after])
            assert server.find_by_join_code(wrong(1), "198.51.100.31") is None  # not found, not refused
            swept[0].join(30)
            assert not swept[0].is_alive()
        finally:
            for db in (server, other, database):
                db.dispose()


def test_a_look_up_as_the_next_slot_begins_elsewhere_does_not_deadlock():
    """Review of be4e13d: a look-up locks its slot's salt (the upsert), then its budget rows; the first look-up
    of the next slot, on a server whose clock is a little ahead, sweeps the past slots. The sweep deleted the
    budget rows first, then the salts: the opposite order, and PostgreSQL ended one of the two with
    DeadlockDetected ("the database cannot be reached" for a respondent typing a right code). Made certain
    here: the other server's look-up runs right after this one's salt upsert, to its end or until it waits."""
    import threading

    from sqlalchemy import event

    with postgres_schema_url() as url:
        database = Database(url)
        database.migrate()
        server, ahead = limited(database), limited(database)
        real_slot = ahead._slot
        ahead._slot = lambda now: real_slot(now) + 1  # its clock a little ahead: the next slot has begun
        failures: list[str] = []
        meanwhile: list[threading.Thread] = []

        def ahead_look_up() -> None:
            try:
                ahead.find_by_join_code(wrong(2), "203.0.113.9")
            except Exception as error:
                failures.append(f"the other look-up: {type(error).__name__}")

        def waiting_on(pid: int) -> bool:
            with database.engine.connect() as c:
                query = text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))")
                return bool(c.execute(query, {"pid": pid}).scalar())

        try:
            open_assessment(database)
            server.find_by_join_code(wrong(0), "198.51.100.31")  # this network's row, earlier in the slot

            @event.listens_for(server.engine, "after_cursor_execute")
            def next_slot_meanwhile(conn, _cursor, statement, *_):
                if statement.startswith("INSERT INTO join_salts") and not meanwhile:
                    meanwhile.append(threading.Thread(target=ahead_look_up))
                    meanwhile[0].start()
                    pid = conn.connection.dbapi_connection.info.backend_pid
                    while meanwhile[0].is_alive() and not waiting_on(pid):  # a condition, polled
                        meanwhile[0].join(0.02)

            try:
                assert server.find_by_join_code(wrong(1), "198.51.100.31") is None
            except Exception as error:
                failures.append(f"this look-up: {type(error).__name__}")
            meanwhile[0].join(30)
            assert failures == []
        finally:
            for db in (server, ahead, database):
                db.dispose()


# --- second review (after the join link, the keyed digest and the send claim) ----------------------------------


def client_rows(db) -> list[tuple[str, int, int]]:
    """The join budget's rows of client networks (not the overall one): what a database reader finds."""
    with db.engine.connect() as c:
        return [(r.scope, r.slot, r.spent) for r in c.execute(select(join_budget)) if r.scope != "all"]


def test_a_right_code_typed_at_once_leaves_no_trace_of_the_address(database):
    """The privacy text: 'a right code clears it at once'. True for a respondent who types it right."""
    server = limited(database)
    try:
        assessment = open_assessment(database)
        code, _ = server.new_join_code(assessment.id)
        assert server.find_by_join_code(code, "203.0.113.78") is not None
        assert client_rows(server) == []
    finally:
        server.dispose()


@pytest.mark.xfail(
    strict=True,
    reason="Limit, said in the privacy text since this review: a right code gives back only its own unit, so "
    "a respondent who mistyped once keeps a row (their network's keyed digest, its slot, spent=1) until the "
    "slot is swept (at most 75 s), beside their draft's creation. Deleting it would let a flooder in the room, "
    "who knows the right code, reset their network's budget with it.",
)
def test_a_right_code_after_a_mistype_leaves_no_trace_of_the_address(database):
    """The same respondent mistypes once, then types the right code: their network's row stays (spent 1)."""
    server = limited(database)
    try:
        assessment = open_assessment(database)
        code, _ = server.new_join_code(assessment.id)
        assert server.find_by_join_code(wrong(1), "203.0.113.79") is None  # one typo
        assert server.find_by_join_code(code, "203.0.113.79") is not None  # then right
        assert client_rows(server) == []
    finally:
        server.dispose()


def test_a_join_link_is_refused_everywhere_once_expired(database):
    """Replaying the QR code's link after its 12 hours, through every way a page looks it up (the respondent
    page's `a=`, /join's pasted link), opens nothing, and so does its short code; a room key revoked stops
    the room view at once."""
    assessment = open_assessment(database)
    expired = database.new_room_join(assessment.id, hours=-1)
    assert database.find_by_respondent_code(expired.link) is None
    assert database.find_by_join_link(expired.link) is None
    assert database.find_by_respondent_code(expired.code, "192.0.2.1") is None
    key, _ = database.new_room_key(assessment.id)
    assert database.find_by_room_key(key).id == assessment.id
    assert database.revoke_room_keys(assessment.id) == 1
    assert database.find_by_room_key(key) is None


def test_revoking_the_room_view_leaves_the_photographed_join_link_working(database):
    """What revoking the room view does not do (the room card and privacy text say it stops the room view
    only): the QR code's link and the short code a photo of the projector shows keep letting people answer
    until they expire (12 h). In an open-link assessment that is what the respondent link, which never
    expires, already allows: it opens a form, never anyone's answers."""
    assessment = open_assessment(database)
    room = database.new_room_join(assessment.id)
    database.new_room_key(assessment.id)
    database.revoke_room_keys(assessment.id)
    assert database.find_by_respondent_code(room.link).id == assessment.id


def test_a_flood_of_random_long_links_only_reads_like_any_other_link(database):
    """A flood of random 32-character links (`/respond?a=`, `/respond?i=`, `/room?v=`, /join's pasted link):
    each look-up is one or two indexed reads and writes nothing, the same cost as a wrong respondent or
    invitation code; a malformed one does not reach the database at all."""
    from sqlalchemy import event

    assessment = open_assessment(database)
    database.new_room_join(assessment.id)
    statements: list[str] = []
    listener = lambda _c, _cur, statement, *_: statements.append(statement.split()[0].upper())  # noqa: E731
    event.listen(database.engine, "before_cursor_execute", listener)
    try:
        for _ in range(20):
            link = secrets_link()
            assert database.find_by_respondent_code(link, "198.51.100.1") is None
            assert database.find_by_join_link(link) is None
            assert database.find_invitation(link) is None
            assert database.find_by_room_key(link) is None
        per_link = statements.count("SELECT") / 20
        database_calls = len(statements)
        for bad in ("x" * 19, "x" * 65, "a=b&c", "Ω" * 30):
            assert database.find_by_respondent_code(bad) is None and database.find_by_room_key(bad) is None
        assert len(statements) == database_calls  # malformed: not sent
    finally:
        event.remove(database.engine, "before_cursor_execute", listener)
    assert set(statements) <= {"SELECT", "BEGIN", "COMMIT", "ROLLBACK"}, set(statements)  # nothing written
    assert per_link <= 6  # respondent code + join link, join link, e-mailed link + invitation, room key


def secrets_link() -> str:
    import secrets

    return secrets.token_urlsafe(24)


def full_row(value: int) -> dict[str, int]:
    from alignment.core.context import context_questions

    answers = dict.fromkeys(Q.item_ids, value)
    for question in context_questions():
        answers[question.key] = question.codes[value % len(question.codes)]
    return answers


def test_a_database_reader_links_an_emailed_address_to_its_answers(database, smtp_server):
    """Privacy review 2: the submitting transaction marks the invitation answered and writes the response;
    on PostgreSQL both rows carry that transaction's id (the system column xmin), so one copy of the
    database, read with plain SQL, paired every answered address (6 of 6) with its answers. Now the
    address is erased by that same transaction: a copy holds only the addresses of those who have not
    answered, and nothing pairs them with a response. (On SQLite a single copy never held such a mark.)"""
    from outbox.campaign import send_invitations
    from outbox.smtp import SmtpSettings

    postgres = database.engine.dialect.name == "postgresql"
    addresses = {"marketing": tuple(f"m{n}@example.com" for n in range(6))}
    created = database.create_assessment(NewAssessment("Acme", "R1", "en", 5, access="email", addresses=addresses))
    assessment = database.find_by_results_code(created.results_code)
    rnd = database.current_round(assessment.id)
    send_invitations(database, assessment.id, "https://a.example", SmtpSettings.from_env(smtp_server.env()))
    links = smtp_server.links()
    given = {address: full_row(1 + n % 5) for n, address in enumerate(addresses["marketing"])}
    for address, answers in given.items():
        assert database.submit(rnd.id, str(uuid.uuid4()), links[address][0], "marketing", answers)

    recovered: dict[str, dict[str, int]] = {}
    with database.engine.connect() as c:  # the reader: plain SQL on one copy, no code, no secret
        if postgres:
            marked = c.execute(
                text(
                    "SELECT e.address, i.xmin::text AS tx FROM invitees e JOIN invitations i "
                    "ON i.id = e.invitation_id WHERE i.answered_round IS NOT NULL"
                )
            ).all()
            by_tx = {tx: address for address, tx in marked}
            for response_id, tx in c.execute(text("SELECT id, xmin::text FROM responses")).all():
                if tx in by_tx:
                    rows = c.execute(
                        text("SELECT item, value FROM answers WHERE response_id = :r"), {"r": response_id}
                    ).all()
                    recovered[by_tx[tx]] = dict(rows)
    assert recovered == {}, f"{len(recovered)} addresses paired with their answers"
    with database.engine.connect() as c:  # and no address of an invitee who answered is left to pair
        left = c.execute(text("SELECT count(*) FROM invitees")).scalar_one()
    assert left == 0


def test_a_copy_of_the_database_holds_no_time_beside_a_response(database):
    """Privacy review 2: each response kept when it was started, last changed and submitted, so a copy of the
    database tied everyone's answers to a time (and the latest submission to whoever was seen answering).
    Now no table that holds answers, or a response, has a time column."""
    from sqlalchemy import inspect

    columns = {
        table: {col["name"]: str(col["type"]) for col in inspect(database.engine).get_columns(table)}
        for table in ("responses", "answers", "answer_counts", "response_counts")
    }
    timed = {
        t: [n for n, kind in cols.items() if "TIME" in kind.upper() or "DATE" in kind.upper()]
        for t, cols in columns.items()
    }
    assert timed == {t: [] for t in columns}, timed


@pytest.mark.xfail(
    strict=True,
    reason="Limit, said in the privacy text since this review: each response keeps its rank on its side "
    "(side_seq, which the stepped figures are computed from), so a database reader who saw when someone "
    "answered (the room view's count moving) finds her answers by rank; on PostgreSQL the row's transaction "
    "id (xmin) orders submissions in any case. The promise holds against the organiser using the app, not "
    "against whoever reads the database at the moment of a submission.",
)
def test_the_room_views_moment_and_a_copy_of_the_database_give_her_answers(database):
    """An organiser who also reads the database (a self-hosted SQLite file, a PostgreSQL they run) watches
    the room view: a side's count moves from 10 to 11 right after the dissenting marketer taps Submit. The
    database's response of that side with rank 11 is hers."""
    assessment = open_assessment(database)
    rnd = database.current_round(assessment.id)
    for n in range(10):
        assert database.submit(rnd.id, str(uuid.uuid4()), secrets_link(), "marketing", full_row(2 + n % 4))
    before = database.round_counts(rnd.id).sides["marketing"]
    victim = full_row(1)
    assert database.submit(rnd.id, str(uuid.uuid4()), secrets_link(), "marketing", victim)
    assert database.round_counts(rnd.id).sides["marketing"] == before + 1  # what the room view shows
    with database.engine.connect() as c:
        rank = c.execute(
            text("SELECT id FROM responses WHERE side = 'marketing' AND side_seq = :n"), {"n": before + 1}
        ).scalar_one()
        found = dict(c.execute(text("SELECT item, value FROM answers WHERE response_id = :r"), {"r": rank}).all())
    assert found != victim, "her row, found by rank"


def test_with_no_cookie_secret_the_network_digest_is_keyed_by_a_random_secret_of_each_process():
    """Streamlit's server.cookieSecret unset (no deploy/ script, a plain `streamlit run`): the app passes
    what st.get_option returns, which Streamlit then makes at random per process; an empty or missing
    secret gives the process's own random key. Never a constant a database reader could try: two processes
    key a network apart, and neither key is one of an empty, default or well-known secret."""
    import subprocess
    import sys

    probe = (
        "import streamlit as st; from storage.codes import budget_key; "
        "print(budget_key(st.get_option('server.cookieSecret')).hex(), budget_key(None).hex(), budget_key('').hex())"
    )
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("STREAMLIT_")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
        ).stdout.split()
        for _ in range(2)
    ]
    (secret_a, none_a, empty_a), (secret_b, none_b, empty_b) = runs
    assert none_a == empty_a and none_b == empty_b  # no secret: the process's own key
    assert len({secret_a, secret_b, none_a, none_b}) == 4  # each process its own, never a constant
    known = {budget_key(s).hex() for s in ("", "secret", "changeme", "streamlit", "0" * 64)}
    assert not known & {secret_a, secret_b, none_a, none_b}
