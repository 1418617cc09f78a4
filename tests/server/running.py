"""A real app server (`streamlit run app.py`) whose stderr (the JSON-lines log) goes to a file."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.servers import start_streamlit, stop


def wait_until_answers(url: str, proc: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError as error:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app server did not start: {log.read_text(errors='replace')}") from error
            time.sleep(0.2)


@contextmanager
def app_server(log: Path, env: dict[str, str] | None = None):
    """Yields (base URL, process); stops the server at the end (SIGTERM, then SIGKILL)."""
    with log.open("w") as stderr:
        proc, port = start_streamlit(env=env, stderr=stderr)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(url, proc, log)
        yield url, proc
    finally:
        stop(proc)


def events(log: Path) -> list[dict]:
    """The log's JSON lines from the server's start line on (Streamlit prints a banner line or two before
    it imports app.py, where the JSON log takes over)."""
    lines = log.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if '"server start"' in line)
    return [json.loads(line) for line in lines[start:] if line.strip()]
