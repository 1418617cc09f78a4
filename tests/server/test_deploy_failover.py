"""deploy/demo.sh: nginx in front of two app servers on one PostgreSQL. Through the proxy a static bundle
comes back compressed with a long cache lifetime and the security headers; a respondent answers half the
questionnaire in Chromium, the app server holding the session is killed, and the respondent ends on the
other one with every answer kept and one submission counted; `down` leaves no process behind."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from alignment.core.questionnaire import load_questionnaire
from alignment.org.rounds import NewAssessment
from storage import Database
from tests.conftest import ROOT, postgres_schema_url, skip_or_fail
from tests.pages.test_browser_organisation import IT, choose
from tests.server.test_server_hardening import assert_hardened, fetch
from ui.respondent import cookie_name

pytestmark = pytest.mark.slow
DEMO = ROOT / "deploy" / "demo.sh"
ITEMS = load_questionnaire().item_ids


def demo(state: Path, command: str, database_url: str = "") -> str:
    env = {**os.environ, "DEMO_STATE_DIR": str(state), "PYTHON": sys.executable, "DATABASE_URL": database_url}
    done = subprocess.run(["bash", str(DEMO), command], env=env, capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip()


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def established_to(port: int) -> int:
    """How many TCP connections to 127.0.0.1:port are established (the proxy's WebSocket to a server)."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "01" and local == f"0100007F:{port:04X}":
            count += 1
    return count


def wait_until(condition, seconds: float = 90, what: str = "condition"):
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)
    return value


@pytest.fixture
def deployment(tmp_path):
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        skip_or_fail("nginx is missing: run tests/ensure_system_tools.sh")
    os.environ["PATH"] = os.environ.get("PATH", "") + ":/usr/sbin"
    state = tmp_path / "demo"
    with postgres_schema_url() as url:
        address = demo(state, "up", url)
        pids = {f.name: int(f.read_text()) for f in state.glob("*.pid")}
        try:
            yield address, url, state
        finally:
            demo(state, "down")
        for name, pid in pids.items():  # exactly what was started has stopped
            wait_until(lambda pid=pid: not running(pid), 30, f"{name} to stop")


def test_proxy_compresses_caches_and_keeps_the_headers(deployment):
    address, _, _ = deployment
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", address)
    status, headers, body = fetch(f"{address}/", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert_hardened(headers)
    assert headers["set-cookie"].startswith("alignment_route=")
    bundle = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', _gunzip(body, headers)).group(1)
    status, headers, _ = fetch(f"{address}/{bundle}", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    max_age = int(re.search(r"max-age=(\d+)", headers["cache-control"]).group(1))
    assert max_age >= 30 * 86400
    assert_hardened(headers)
    _, headers, _ = fetch(f"{address}/{bundle}", {"Accept-Encoding": "gzip"})
    assert headers["x-cache"] == "HIT"  # the proxy answers the second time itself
    assert fetch(f"{address}/_stcore/metrics")[0] == 404
    assert fetch(f"{address}/readyz")[0] == 200


def _gunzip(body: bytes, headers: dict) -> str:
    import gzip

    return (gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body).decode()


INPUTS_STATE = "els => els.map(e => [e.disabled, e.checked])"  # a radio group's inputs: (disabled, checked)


@pytest.mark.parametrize("moment", ["before the page knows", "while the page reconnects", "as the page reconnects"])
def test_a_respondent_survives_the_loss_of_their_app_server(deployment, browser, moment):
    """The respondent answers half the questionnaire; the app server holding their session is lost; they
    click the next statement at one of three moments, each made certain here (a click at once after a kill
    falls at one or another by a race: on a loaded machine 1 run in 55 fell in the second):
    - before the page knows: the server has stopped answering but its connection is not closed yet (frozen
      by SIGSTOP, then killed). The click shows as given; its message went to the lost server. The page
      reconnects to the other server, which runs the page with what it shows (rerun_on_reconnect,
      drawn_elsewhere): the click is saved, never undone, and nothing is said.
    - while the page reconnects: the page knows (Streamlit greys the form and shows "Connecting"); a click
      on a greyed radio is not taken and shows as not given. Once reconnected, the respondent gives it
      again, and it is saved. This is the failover a respondent can notice: for the second or so the form
      is greyed, as in any Streamlit app whose connection drops.
    - as the page reconnects: the page is live on the other server, whose session has not drawn the form
      yet (its first run waits on the database): the click names a fragment that session does not hold,
      which Streamlit drops; keep_clicks_after_a_failover (ui/server.py) runs the whole page instead.
    Every earlier answer is kept and the response is counted once."""
    address, url, state = deployment
    db = Database(url)
    created = db.create_assessment(NewAssessment("Failover SA", "Q1", "en", 1))
    rnd = db.current_round(created.assessment_id)
    ports = {int((state / f"app-{i}.port").read_text()): int((state / f"app-{i}.pid").read_text()) for i in (1, 2)}

    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    sent: list[float] = []  # when the page sent a message to its server (any of its WebSockets)
    page.on("websocket", lambda ws: ws.on("framesent", lambda _: sent.append(time.monotonic())))
    page.goto(f"{address}/respond?a={created.respondent_code}")
    radios = page.locator('[data-testid="stMain"] [data-testid="stRadio"]')
    expect(radios).to_have_count(1, timeout=60_000)  # the side: the closed context questions are not drawn
    choose(radios.nth(0), IT)
    expect(radios).to_have_count(11, timeout=60_000)  # the ten statements appear once the side is chosen
    labels = ["Agree", "Disagree", "Strongly agree", "Agree", "Don't know"] + ["Agree", "Disagree"] + ["Agree"] * 3
    for n in range(1, 6):
        choose(radios.nth(n), labels[n - 1])

    # the first half is saved (the draft, under the key the browser keeps in its cookie)
    name = cookie_name(created.assessment_id)
    key = wait_until(lambda: next((c["value"] for c in context.cookies() if c["name"] == name), None), what="cookie")
    wait_until(
        lambda: (d := db.load_draft(created.assessment_id, key)) is not None and len(d.answers) >= 5,
        what="the first half saved",
    )

    def sixth_saved() -> bool:  # "Agree" (4) on the sixth statement, in the saved draft
        return (d := db.load_draft(created.assessment_id, key)) is not None and d.answers.get(ITEMS[5]) == 4

    # the app server holding the session (the proxy's WebSocket goes to it) is lost
    holder = wait_until(lambda: [p for p in ports if established_to(p)], what="the WebSocket's server")
    assert len(holder) == 1, holder
    lost_pid = ports[holder[0]]
    sixth = radios.nth(6).locator("label").filter(has_text=re.compile(f"^{re.escape(labels[5])}$"))
    sixth_inputs = radios.nth(6).locator("input")
    if moment == "before the page knows":
        os.kill(lost_pid, signal.SIGSTOP)  # it answers nothing more; its connections stay open
        sixth.click()
        assert sixth_inputs.evaluate_all(INPUTS_STATE)[3] == [False, True]  # shown as given
        os.kill(lost_pid, signal.SIGKILL)
    elif moment == "as the page reconnects":
        # The other server's first run of the page waits on the database (a lock held here, as a busy
        # database would), so the click reaches that server before its session has drawn the form.
        with db.engine.connect() as locker, locker.begin():
            locker.execute(text("LOCK TABLE assessments IN ACCESS EXCLUSIVE MODE"))
            os.kill(lost_pid, signal.SIGKILL)
            expect(sixth.locator("input")).to_be_enabled(timeout=30_000)  # reconnected: the form is live
            clicked = time.monotonic()
            sixth.click()
            assert sixth_inputs.evaluate_all(INPUTS_STATE)[3] == [False, True]  # shown as given
            wait_until(lambda: sent and sent[-1] >= clicked, 30, "the click sent to the other server")
    else:
        # The other server is frozen meanwhile, so the page stays greyed until after the click (on a fast
        # machine it reconnects within a few hundred milliseconds, before the state could be read).
        other_pid = next(pid for port, pid in ports.items() if port != holder[0])
        os.kill(other_pid, signal.SIGSTOP)
        try:
            os.kill(lost_pid, signal.SIGKILL)
            wait_until(lambda: all(d for d, _ in sixth_inputs.evaluate_all(INPUTS_STATE)), 30, "the form greyed")
            sixth.click(force=True)  # on the greyed radio: a respondent's click, without Playwright's wait
            assert sixth_inputs.evaluate_all(INPUTS_STATE)[3] == [True, False]  # shown as not given
        finally:
            os.kill(other_pid, signal.SIGCONT)
    wait_until(lambda: not running(lost_pid), 30, "the server to die")

    # The browser reconnects through the proxy, to the other server, and the page runs there.
    other = next(p for p in ports if p != holder[0])
    wait_until(lambda: established_to(other), 120, "the WebSocket on the other server")
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=60_000)
    if moment != "while the page reconnects":
        wait_until(sixth_saved, 60, f"the click given {moment}, saved by the other server")
    else:
        expect(sixth.locator("input")).not_to_be_checked()  # still shown as not given: nothing misleads
        assert not sixth_saved()
        sixth.click()  # given again, on the form as it is now
        wait_until(sixth_saved, 60, "the click given again after the reconnection, saved")
    expect(sixth.locator("input")).to_be_checked()
    for n in range(1, 6):
        option = radios.nth(n).locator("label").filter(has_text=re.compile(f"^{re.escape(labels[n - 1])}$"))
        expect(option.locator("input")).to_be_checked()
    expect(page.get_by_text("Welcome back", exact=False)).to_have_count(0)  # a failover is not a comeback
    expect(page.get_by_text("6 of 10 statements answered", exact=False)).to_be_visible()
    for n in range(7, 11):
        choose(radios.nth(n), labels[n - 1])
    expect(page.get_by_text("10 of 10 statements answered", exact=False)).to_be_visible()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("Thank you: your answers are counted.")).to_be_visible(timeout=60_000)

    assert db.round_counts(rnd.id).sides == {"it": 1}
    assert db.set_round_open(rnd.id, False)  # an open link's round reports its answers once closed (issue 16)
    counts = db.round_counts(rnd.id)
    assert counts.values[("it", "alignment_needed", 4)] == 1  # "Agree" on the first statement
    assert counts.values[("it", ITEMS[5], 4)] == 1  # "Agree" on the sixth
    context.close()
    db.dispose()
