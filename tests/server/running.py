"""A real app server (`streamlit run app.py`) whose stderr (the JSON-lines log) goes to a file."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

from tests.servers import start_streamlit, stop, wait_until_healthy


@contextmanager
def app_server(log: Path, env: dict[str, str] | None = None):
    """Yields (base URL, process); stops the server at the end (SIGTERM, then SIGKILL)."""
    with log.open("w") as stderr:
        proc, port = start_streamlit(env=env, stderr=stderr)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(proc, port, 90, path="/healthz", log=log)
        yield url, proc
    finally:
        stop(proc)


def events(log: Path) -> list[dict]:
    """The log's JSON lines from the server's start line on (Streamlit prints a banner line or two before
    it imports app.py, where the JSON log takes over)."""
    lines = log.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if '"server start"' in line)
    return [json.loads(line) for line in lines[start:] if line.strip()]
