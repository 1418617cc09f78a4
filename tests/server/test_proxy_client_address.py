"""Behind deploy/'s nginx, the join budget counts the visitor's network, not the proxy's: st.context.ip_address
is the address nginx saw (uvicorn trusts X-Forwarded-For from 127.0.0.1 only, FORWARDED_ALLOW_IPS), on the
WebSocket where the pages run, and a forged X-Forwarded-For sent by the visitor moves them nowhere.

A real nginx (deploy/nginx.conf, rendered as deploy/demo.sh does) in front of one app server; the visitor is
a Streamlit WebSocket client (perf/clicking.py) bound to 127.0.0.5, which opens /respond?a=<a wrong short
code>: the look-up spends one unit of that network's budget, whose row the test finds by the servers'
secret (STREAMLIT_SERVER_COOKIE_SECRET, which deploy/ shares) and the slot's salt.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import pytest
import websockets
from sqlalchemy import select

from deploy.render_nginx import render
from perf.clicking import Session
from storage import Database
from storage.codes import budget_key, network_scope
from storage.schema import join_budget, join_salts
from tests.conftest import skip_or_fail
from tests.servers import HOST, free_port, run_async, start_streamlit, stop, wait_until_healthy

pytestmark = pytest.mark.slow
SECRET = "proxy-test-secret-" + "0" * 40
VISITOR = "127.0.0.5"  # a loopback address that is not the proxy's (127.0.0.1): what nginx sees as the visitor
OTHER = "127.0.0.6"  # another visitor, who sends no X-Forwarded-For


async def open_respond(port: int, code: str, visitor: str, forged: str | None = None) -> list[str]:
    """A tab from `visitor`, through the proxy, opening /respond?a=code, with a forged X-Forwarded-For if any."""
    async with websockets.connect(
        f"ws://{HOST}:{port}/_stcore/stream",
        subprotocols=["streamlit"],
        additional_headers={"X-Forwarded-For": forged} if forged else {},
        local_addr=(visitor, 0),
        open_timeout=60,
        max_size=None,
    ) as ws:
        session = Session(ws, f"a={code}", "respond", 60)
        await session.rerun()
        await session.until_finished(lambda s: any("not valid" in t for t in s.texts))
        return session.texts


@pytest.fixture
def proxied_app(tmp_path):
    nginx = shutil.which("nginx")
    if nginx is None:
        skip_or_fail("nginx is not installed")
    url = f"sqlite:///{tmp_path / 'app.db'}"
    env = {"DATABASE_URL": url, "STREAMLIT_SERVER_COOKIE_SECRET": SECRET, "JOIN_WINDOW_SECONDS": "600"}
    env.pop("FORWARDED_ALLOW_IPS", None)
    os.environ.pop("FORWARDED_ALLOW_IPS", None)
    app, app_port = start_streamlit(env=env, output=subprocess.PIPE)
    state = tmp_path / "nginx"
    (state / "temp").mkdir(parents=True)
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "cache"):
        (state / "temp" / sub).mkdir()
    port = free_port()
    conf = state / "nginx.conf"
    conf.write_text(render(f"{HOST}:{port}", state, [f"{HOST}:{app_port}"], state / "temp"), encoding="utf-8")
    proxy = None
    try:
        wait_until_healthy(app, app_port)
        done = subprocess.run([nginx, "-p", str(state), "-c", str(conf), "-e", str(state / "error.log")], timeout=30)
        assert done.returncode == 0, (state / "error.log").read_text()
        deadline = time.monotonic() + 30
        while not (state / "nginx.pid").exists():
            assert time.monotonic() < deadline, "nginx wrote no pid file"
            time.sleep(0.1)
        proxy = int((state / "nginx.pid").read_text())
        yield port, url
    finally:
        if proxy is not None:
            os.kill(proxy, signal.SIGQUIT)
        stop(app)


def budget_rows(url: str) -> tuple[dict[str, int], str]:
    db = Database(url)
    try:
        with db.engine.connect() as c:
            rows = {r.scope: r.spent for r in c.execute(select(join_budget))}
            [salt] = c.execute(select(join_salts.c.salt)).scalars().all()
    finally:
        db.dispose()
    return rows, salt


def test_the_join_budget_counts_the_visitors_network_behind_the_proxy(proxied_app):
    """Before deploy/nginx.conf repeated its proxy headers in the WebSocket's location, the pages saw the
    visitor's own X-Forwarded-For (forged: any network they liked) or, with none, 127.0.0.1 (no address:
    every visitor one network, so 20 wrong codes from anyone refused every typist behind the proxy)."""
    port, url = proxied_app
    assert any("not valid" in t for t in run_async(open_respond(port, "ZZZZ2345", VISITOR, forged="198.51.100.7")))
    assert any("not valid" in t for t in run_async(open_respond(port, "ZZZZ2346", OTHER)))
    rows, salt = budget_rows(url)
    key = budget_key(SECRET)
    names = (VISITOR, OTHER, "198.51.100.7", "unknown", "127.0.0.1")
    scopes = {name: network_scope(key, salt, name) for name in names}
    assert {name for name, scope in scopes.items() if scope in rows} == {VISITOR, OTHER}, rows
    assert rows[scopes[VISITOR]] == 1 and rows[scopes[OTHER]] == 1 and rows["all"] == 2
