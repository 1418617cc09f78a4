"""A fragment's rerun (a click in the respondent's form, the room's timer) runs the fragment alone, outside
app.py's run_guarded, and often on the script thread of the run before it: Streamlit runs a click queued
behind a running save on the same thread. Each such rerun is a new page interaction (ui/db.py's
interaction_budget asks the database again) and is guarded (the app's message, never Streamlit's box).

Before: the respondent's form fragment had no guard, so a submit queued behind a save that failed during an
outage inherited the thread's "failed" mark and was refused without the database being asked, even after
it came back."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

from tests.conftest import ROOT
from ui import errors
from ui.db import interaction_budget
from ui.errors import INTERACTION, run_guarded


def _in_thread(function) -> None:
    """Run on a fresh thread (a script thread), re-raising what it raised."""
    raised: list[BaseException] = []

    def target() -> None:
        try:
            function()
        except BaseException as error:  # re-raised below
            raised.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if raised:
        raise raised[0]


def test_a_rerun_on_the_thread_of_a_failed_run_asks_the_database_again():
    def script_thread() -> None:
        INTERACTION.failed = True  # the run before, on this thread, had a database call fail
        budgets: list[float] = []
        run_guarded(lambda: budgets.append(interaction_budget(8.0)), lambda *_a, **_k: "")
        assert budgets == [8.0]  # the fragment's rerun (its own outermost guard) asks again

    _in_thread(script_thread)


def test_a_fragment_inside_the_page_run_keeps_the_page_interaction():
    def script_thread() -> None:
        budgets: list[float] = []

        def page() -> None:
            INTERACTION.failed = True  # a call of this page run failed
            run_guarded(lambda: budgets.append(interaction_budget(8.0)), lambda *_a, **_k: "")  # the fragment

        run_guarded(page, lambda *_a, **_k: "")
        assert budgets == [0.0]  # one deadline per run: not a second wait within the same page run
        assert not getattr(INTERACTION, "guarded", False)

    _in_thread(script_thread)


def _fragments(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(target) == "st.fragment":
                    yield node


def test_every_fragment_runs_under_run_guarded():
    found = []
    for path in [*sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py")), ROOT / "app.py"]:
        for fragment in _fragments(path):
            body = fragment.body[1:] if ast.get_docstring(fragment) else fragment.body
            if not body:  # runs nothing (ui/respondent.py's rerun_on_reconnect): nothing to guard
                continue
            calls = {ast.unparse(n.func) for n in ast.walk(fragment) if isinstance(n, ast.Call)}
            found.append(f"{path.name}:{fragment.name}")
            assert "run_guarded" in calls, f"{path.name}: fragment {fragment.name} does not call run_guarded"
    assert {"respond.py:statements", "respond.py:context", "room.py:live_room"} <= set(found), found
    assert errors.run_guarded is run_guarded
