"""The app server around Streamlit (st.App, ASGI): security headers, closed routes, health, a start line.

`streamlit run app.py` finds `app = st.App(...)` in app.py and serves it with uvicorn; app.py passes the
parts below. Every HTTP response carries SECURITY_HEADERS (the reverse proxy in deploy/ sets the same);
`/_stcore/metrics` answers 404; `/healthz` is liveness (the process answers; nothing else is asked) and
`/readyz` readiness (the database answers, migrated, within the budget: 200, else 503). While it runs, the
join budget's past slots are deleted every SWEEP_SECONDS (storage/access_keys.py).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ui import logs

ROOT = Path(__file__).resolve().parent.parent
# The one script Streamlit's index.html carries inline; allowed by its digest, not by 'unsafe-inline'.
_INDEX = Path(__import__("streamlit").__file__).with_name("static") / "index.html"


def _inline_script_digests() -> list[str]:
    html = _INDEX.read_text(encoding="utf-8") if _INDEX.exists() else ""
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts]


# Scripts: the app's own bundles and REMEMBER_SCRIPT only (no inline script, no eval); 'wasm-unsafe-eval'
# lets WebAssembly compile (Streamlit's protobuf bundle tries a tiny module for 64-bit arithmetic on every
# page, and reports a violation when refused) without allowing JavaScript's eval. Styles: Streamlit's
# emotion CSS-in-JS writes <style> elements, so inline styles stay allowed. Images: the QR code and charts
# are data: and blob: URLs. The WebSocket is same-origin ('self' covers ws: and wss:).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        " ".join(["script-src 'self' 'wasm-unsafe-eval'", *_inline_script_digests()]),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    # Respondent and results links carry their secret in the address: no Referer ever repeats it.
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
# Routes nobody outside needs: Streamlit's metrics (sessions, cache sizes) answer 404.
CLOSED_PATHS = ("/_stcore/metrics",)

# The respondent's "remember me" cookie is set by this script (a file, so no inline script is needed): it
# reads the cookie from its own data attribute (ui/respondent.py writes the tag).
REMEMBER_PATH = "/remember.js"
REMEMBER_SCRIPT = (
    "(function(){var s=document.currentScript;if(s&&s.dataset.cookie){document.cookie=s.dataset.cookie;}})();\n"
)


class SecurityHeaders:
    """ASGI middleware: SECURITY_HEADERS on every HTTP response; CLOSED_PATHS answer 404."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"].rstrip("/").endswith(CLOSED_PATHS):
            response = PlainTextResponse("Not found", status_code=404, headers=SECURITY_HEADERS)
            await response(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def liveness(_request: Request) -> Response:
    """The process answers (cheap: no database, no session)."""
    return PlainTextResponse("ok", headers={"Cache-Control": "no-store"})


async def readiness(_request: Request) -> Response:
    """200 when the database answers (migrated) within the budget; 503 with the failure's class otherwise."""
    from storage import UNAVAILABLE_ERRORS, database_timeout, deadline
    from ui.db import check_ready

    seconds = 2 * database_timeout()
    try:
        await asyncio.wait_for(asyncio.wrap_future(deadline.start(check_ready)), seconds)
    except (*UNAVAILABLE_ERRORS, TimeoutError, OSError) as error:
        kind = "DatabaseTimeout" if isinstance(error, TimeoutError) else type(error).__name__
        logs.event("readiness failed", level=30, error=kind)
        return JSONResponse({"ready": False, "database": kind}, status_code=503, headers={"Cache-Control": "no-store"})
    return JSONResponse({"ready": True, "database": "ok"}, headers={"Cache-Control": "no-store"})


async def remember_script(_request: Request) -> Response:
    return Response(REMEMBER_SCRIPT, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})


def routes() -> list[Route]:
    return [
        Route("/healthz", liveness, methods=["GET", "HEAD"]),
        Route("/readyz", readiness, methods=["GET", "HEAD"]),
        Route(REMEMBER_PATH, remember_script, methods=["GET"]),
    ]


def middleware() -> list:
    from starlette.middleware import Middleware

    return [Middleware(SecurityHeaders)]


def _engine_name(url: str) -> str:
    return url.split(":", 1)[0].split("+", 1)[0]


def code_head() -> str:
    """The newest migration this code carries (the file names: no Alembic import at start)."""
    names = sorted(p.name for p in (ROOT / "storage" / "migrations" / "versions").glob("[0-9]*.py"))
    return names[-1].split("_", 1)[0] if names else "none"


def warm_up() -> None:
    """What the first page view would otherwise pay before drawing the quick check, done on a thread at server
    start, while the first browser fetches and starts Streamlit's frontend (2.7 MB of scripts): the favicon's
    emoji check (st.set_page_config loads Streamlit's emoji catalogue and its regular expression, 0.1-0.3 s),
    the questionnaire's modules, the questionnaire and both languages. Only what the quick check needs: the
    database layer (SQLAlchemy, Alembic) is still loaded by the first organisation page only."""
    from streamlit.string_util import is_emoji

    is_emoji("🤝")
    from alignment.core.i18n import LANGS, translator
    from ui.questionnaire_form import questionnaire_form  # noqa: F401  (its imports)
    from ui.session import questionnaire

    questionnaire()
    for lang in LANGS:
        translator(lang)


def _warm_up_logged() -> None:
    try:
        warm_up()
    except Exception as error:  # the first page then pays it itself, and shows its own error if any
        logs.event("warm-up failed", level=30, error=type(error).__name__)


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Server start and stop: JSON logs, one start line (version, engine, migrations), one stop line."""
    import os

    logs.take_over_server_logs()
    url = os.environ.get("DATABASE_URL", "").strip()
    logs.event(
        "server start",
        version=metadata.version("cio-cmo-alignment") if _installed() else _pyproject_version(),
        streamlit=metadata.version("streamlit"),
        engine=_engine_name(url) if url else "sqlite",
        database="DATABASE_URL" if url else "data/alignment.db",
        migrations=code_head(),
        migrate="on first organisation page",
        pid=os.getpid(),
    )
    threading.Thread(target=_warm_up_logged, name="warm-up", daemon=True).start()
    sweeper = asyncio.create_task(_sweep_join_budget())
    try:
        yield
    finally:
        sweeper.cancel()
        logs.event("server stop", pid=os.getpid())


# How often the join budget's past slots are deleted (and with them every digest of a network): a row lives
# at most one window (JOIN_WINDOW_SECONDS, 60) and this long after its slot ends.
SWEEP_SECONDS = 15.0


async def _sweep_join_budget(every: float | None = None) -> None:
    """Every SWEEP_SECONDS, on a worker thread within the database's deadline: Database.sweep_join_budget.
    Any failure (the database away) is logged by its class only and tried again at the next tick: the timer
    never stops while the server runs."""
    while True:
        await asyncio.sleep(SWEEP_SECONDS if every is None else every)
        # Imported at the first tick, not at server start: the database layer (SQLAlchemy, Alembic: about a
        # second of imports on a busy machine) would hold up the event loop while the first browser loads.
        from storage import database_timeout, deadline
        from ui.db import sweep_join_budget

        try:
            await asyncio.wait_for(asyncio.wrap_future(deadline.start(sweep_join_budget)), 2 * database_timeout())
        except Exception as error:  # whatever it is, the next tick tries again
            logs.event("join budget sweep failed", level=30, error=type(error).__name__)


def _installed() -> bool:
    try:
        metadata.version("cio-cmo-alignment")
    except metadata.PackageNotFoundError:
        return False
    return True


def _pyproject_version() -> str:
    match = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.MULTILINE)
    return match.group(1) if match else "unknown"


def keep_clicks_after_a_failover() -> None:
    """A click in a fragment this session does not hold, sent by a page this session never drew, runs the
    whole page instead of being dropped. Call once, before any session (app.py).

    Behind the proxy, a respondent whose app server is lost reconnects to another one, which makes a new
    session; the browser keeps the page it had. A click in its form (a fragment, pages/respond.py) names a
    fragment only the lost server knew, and Streamlit 1.67 drops such a rerun without a word
    (AppSession.request_rerun: "the fragment ... does not exist anymore"): the click was lost, and every
    later one until a whole-page run. Run as a whole page instead, with the widget values the browser sent,
    the click included, the form is drawn from them (ui/session.py: drawn_elsewhere) and saved. A stale
    fragment of a page this session drew (its widgets are known here) keeps Streamlit's rule.
    """
    from streamlit.runtime.app_session import AppSession

    original = AppSession.request_rerun
    if getattr(original, "keeps_clicks_after_a_failover", False):
        return

    def request_rerun(self: AppSession, client_state: Any) -> None:
        if client_state is not None and client_state.fragment_id and _drawn_elsewhere(self, client_state):
            whole_page = type(client_state)()
            whole_page.CopyFrom(client_state)
            whole_page.ClearField("fragment_id")
            whole_page.is_auto_rerun = False
            client_state = whole_page
        original(self, client_state)

    request_rerun.keeps_clicks_after_a_failover = True  # type: ignore[attr-defined]
    AppSession.request_rerun = request_rerun  # type: ignore[method-assign]


def _drawn_elsewhere(session: Any, client_state: Any) -> bool:
    """The rerun names a fragment this session does not hold, and widgets it never drew (another server's
    page). Any surprise in Streamlit's internals: False (Streamlit's own rule applies)."""
    try:
        if session.has_fragment(client_state.fragment_id):
            return False
        state = session.session_state
        return any(state.get_widget_metadata(w.id) is None for w in client_state.widget_states.widgets)
    except Exception:
        return False
