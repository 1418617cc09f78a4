"""The gateway behind a deadline: a caller waits at most a few seconds, whatever the database does.

The engine's own timeouts (connect, statement, pool, SQLite busy) end most waits. A frozen server (its
process stopped, its host unplugged) still answers TCP from the kernel, so a query on an open
connection can wait for ever; the page must not. Each call runs on a bounded pool of worker threads
and the caller stops waiting at the deadline (DatabaseTimeout). A call that had not started is
cancelled; one that had keeps its transaction and finishes, or fails, when the server does.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from storage.errors import UNAVAILABLE_ERRORS, DatabaseTimeout

_WORKERS = ThreadPoolExecutor(max_workers=16, thread_name_prefix="database")


def within(seconds: float, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """function(*args, **kwargs) on a worker thread; its result within `seconds`, else DatabaseTimeout."""
    return wait(_WORKERS.submit(function, *args, **kwargs), seconds, getattr(function, "__name__", "call"))


def start(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
    """Start function(*args, **kwargs) on a worker thread, to wait on later with `wait`."""
    return _WORKERS.submit(function, *args, **kwargs)


def wait(future: Future, seconds: float, name: str) -> Any:
    """The future's result within `seconds`, else DatabaseTimeout (and the future cancelled if not started)."""
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        future.cancel()
        raise DatabaseTimeout(f"{name} took more than {seconds:g} s") from None


class Deadlined:
    """Wraps an object (a storage.Database): every method call returns within `seconds` or raises."""

    def __init__(
        self,
        target: Any,
        seconds: float,
        on_failure: Callable[[str, BaseException], None] | None = None,
        budget: Callable[[float], float] | None = None,
    ) -> None:
        """`on_failure(name, error)` is told of every call that failed with one of UNAVAILABLE_ERRORS.
        `budget(seconds)` gives this call's deadline: `seconds`, or 0 to fail at once without asking (a page
        interaction whose database already failed: ui/db.py)."""
        self._target = target
        self._seconds = seconds
        self._on_failure = on_failure
        self._budget = budget

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._target, name)
        if not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            seconds = self._seconds if self._budget is None else self._budget(self._seconds)
            if seconds <= 0:  # not asked: the interaction's database already failed (not logged again)
                raise DatabaseTimeout(f"{name}: not asked, the database failed earlier in this interaction")
            try:
                return wait(_WORKERS.submit(attribute, *args, **kwargs), seconds, name)
            except UNAVAILABLE_ERRORS as error:
                if self._on_failure is not None:
                    self._on_failure(name, error)
                raise

        return call
