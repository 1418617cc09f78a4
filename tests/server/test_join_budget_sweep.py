"""The server's timer (ui/server.py, started by its lifespan) deletes the join budget's past slots, rows and
salts, with no visitor: after the window nothing of a network's digest is left to turn back. A failing tick
(the database away) is logged by its class and the timer goes on."""

from __future__ import annotations

import asyncio
import time

import streamlit as st
from sqlalchemy import func, select

from storage import Database
from storage.schema import join_budget, join_salts
from tests.servers import run_async
from ui import server


def counts(db: Database) -> tuple[int, int]:
    with db.engine.connect() as c:
        return (
            c.execute(select(func.count()).select_from(join_budget)).scalar_one(),
            c.execute(select(func.count()).select_from(join_salts)).scalar_one(),
        )


def test_the_servers_timer_deletes_past_slots_and_survives_a_failure(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'sweep.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_resource.clear()
    db = Database(url)
    db.migrate()
    now = int(time.time() // db.join_limits.window_seconds)
    with db.transaction() as c:
        past = [{"scope": "c:old", "slot": now - 2, "spent": 20}, {"scope": "all", "slot": now - 1, "spent": 9}]
        c.execute(join_budget.insert(), past)
        c.execute(join_budget.insert().values(scope="c:now", slot=now + 1, spent=1))  # not past: kept
        c.execute(join_salts.insert(), [{"slot": now - 2, "salt": "a" * 64}, {"slot": now + 1, "salt": "b" * 64}])
    calls = []
    real = __import__("ui.db", fromlist=["sweep_join_budget"]).sweep_join_budget

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise OSError("the database is away")
        return real()

    monkeypatch.setattr("ui.db.sweep_join_budget", flaky)

    async def run() -> None:
        timer = asyncio.create_task(server._sweep_join_budget(every=0.05))
        deadline = time.monotonic() + 20
        while counts(db) != (1, 1):
            assert time.monotonic() < deadline and not timer.done(), counts(db)
            await asyncio.sleep(0.05)
        timer.cancel()

    try:
        run_async(run())
        assert len(calls) >= 2  # the first tick failed, a later one swept
    finally:
        db.dispose()
        st.cache_resource.clear()
