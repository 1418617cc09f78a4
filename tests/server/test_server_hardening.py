"""The app server started by the README's first line (`streamlit run app.py`), asked over real HTTP: every
response carries the security headers, /_stcore/metrics is closed, /healthz is cheap and /readyz says
whether the database answers."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest

from tests.conftest import free_port, streamlit_server

pytestmark = pytest.mark.slow

EXPECTED = {
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
}


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def assert_hardened(headers: dict[str, str]) -> None:
    for name, value in EXPECTED.items():
        assert headers.get(name) == value, (name, headers.get(name))
    csp = headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    script = directives["script-src"]
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script and "*" not in script


def bundle_path(index_html: str) -> str:
    return re.search(r'src="\./(static/js/index\.[^"]+\.js)"', index_html).group(1)


def test_headers_closed_metrics_and_health(app_url):
    status, headers, body = fetch(f"{app_url}/")
    assert status == 200
    assert_hardened(headers)
    # the page's one inline script is allowed by its digest, so the policy needs no 'unsafe-inline'
    assert re.search(r"'sha256-[A-Za-z0-9+/=]+'", headers["content-security-policy"])

    for path in ("/respond?a=x", "/organisation", f"/{bundle_path(body.decode())}", "/_stcore/health", "/healthz"):
        status, headers, _ = fetch(app_url + path)
        assert status == 200, path
        assert_hardened(headers)

    status, headers, body = fetch(f"{app_url}/_stcore/metrics")
    assert status == 404 and b"session" not in body.lower()
    assert_hardened(headers)
    status, _, _ = fetch(f"{app_url}/_stcore/metrics", {"Accept": "application/x-protobuf"})
    assert status == 404

    status, headers, body = fetch(f"{app_url}/healthz")
    assert (status, body) == (200, b"ok")
    status, _, body = fetch(f"{app_url}/readyz")
    assert status == 200 and json.loads(body) == {"ready": True, "database": "ok"}


def test_readiness_says_when_the_database_does_not_answer(tmp_path):
    nowhere = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/none"  # nothing listens there
    with streamlit_server({"DATABASE_URL": nowhere, "DATABASE_TIMEOUT_SECONDS": "2"}) as url:
        status, headers, body = fetch(f"{url}/readyz")
        assert status == 503
        assert json.loads(body) == {"ready": False, "database": "OperationalError"}
        assert headers["cache-control"] == "no-store"
        status, _, body = fetch(f"{url}/healthz")  # liveness does not ask the database
        assert (status, body) == (200, b"ok")
