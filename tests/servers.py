"""Real servers for the tests and the benchmarks: a free port, `streamlit run` on it, a PostgreSQL schema.

Plain functions with no pytest in them, so that perf/ uses the same ones as tests/conftest.py.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
HOST = "127.0.0.1"  # servers listen here only
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
POSTGRES_DSN = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")  # the same, for psycopg itself
T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: in a pytest-xdist worker that ran a browser test first, Playwright's
    sync API keeps an event loop running in the main thread, and asyncio.run there refuses to start."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_streamlit(
    script: Path = APP,
    port: int | None = None,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    output=None,
    stderr=None,
) -> tuple[subprocess.Popen, int]:
    """`streamlit run script` on `port` (a free one if None), headless, on 127.0.0.1; not waited for.

    `output`: where its stdout and stderr go (subprocess.PIPE to read them; by default nowhere); `stderr`:
    a file for stderr alone (the app's JSON log), stdout then going nowhere."""
    port = port or free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", HOST, "--browser.gatherUsageStats", "false"]
    if stderr is None:
        stderr = subprocess.DEVNULL if output is None else subprocess.STDOUT
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL if output is None else output,
        stderr=stderr,
        text=True,
    )
    return process, port


def wait_until_healthy(
    process: subprocess.Popen, port: int, seconds: float = 60, path: str = "/_stcore/health", log: Path | None = None
) -> None:
    """Return once the server answers `path` (Streamlit's health check by default); raise if it exits or takes
    longer than `seconds`, with what it wrote (its piped output, or the `log` file its stderr went to)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError as error:
            if process.poll() is not None or time.monotonic() > deadline:
                output = log.read_text(errors="replace") if log else process.stdout.read() if process.stdout else ""
                raise RuntimeError(f"streamlit did not start on port {port}: {output}") from error
        time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    """Terminate, and kill if it has not exited 10 s later."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def cpu_seconds(pid: int | str = "self") -> float:
    """The CPU time (user and system) a process has used so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int | str = "self", kind: str = "VmRSS") -> float:
    """A process's memory in MiB, from /proc (Linux): resident now ("VmRSS") or at its peak ("VmHWM")."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{kind}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def streamlit_server(env: dict[str, str] | None = None) -> Iterator[str]:
    """A real `streamlit run app.py` on a free local port, up; yields its base URL; stopped on exit."""
    process, port = start_streamlit(env=env, output=subprocess.PIPE)
    try:
        wait_until_healthy(process, port)
        yield f"http://{HOST}:{port}"
    finally:
        stop(process)


def postgres_available() -> str | None:
    """None if the test PostgreSQL answers, else the reason it does not."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_DSN, connect_timeout=3):
            return None
    except Exception as error:  # any failure means: no server to test against
        return f"PostgreSQL at {POSTGRES_URL} is not reachable ({error.__class__.__name__}: {error})"


@contextmanager
def postgres_schema(prefix: str = "t") -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    import psycopg

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(POSTGRES_DSN, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
