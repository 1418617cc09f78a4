"""Write deploy/nginx.conf filled in: the proxy's port, the app servers, its folder, the security headers.

    python deploy/render_nginx.py --listen 127.0.0.1:8080 --state /tmp/demo --server 127.0.0.1:8501 ...

The headers come from ui/server.py (SECURITY_HEADERS), so the proxy and the app servers never differ.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ui.server import SECURITY_HEADERS  # noqa: E402  (after the path above)


def render(listen: str, state: Path, servers: list[str], temp: Path | None = None, secure_cookie: bool = False) -> str:
    hidden = "".join(f"        proxy_hide_header {name};\n" for name in SECURITY_HEADERS)
    added = "".join(f'        add_header {name} "{value}" always;\n' for name, value in SECURITY_HEADERS.items())
    headers = (hidden + added).rstrip("\n")
    lines = [f"        server {server} max_fails=1 fail_timeout=10s;" for server in servers]
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    for key, value in {
        "{{STATE}}": str(state),
        "{{TEMP}}": str(temp or state),
        "{{LISTEN}}": listen,
        "{{SERVERS}}": "\n".join(lines),
        "{{HEADERS}}": headers,
        "{{COOKIE_SECURE}}": "; Secure" if secure_cookie else "",
    }.items():
        text = text.replace(key, value)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True, help="address:port nginx listens on")
    parser.add_argument("--state", required=True, type=Path, help="folder for the pid, logs, cache, temp files")
    parser.add_argument("--server", action="append", required=True, help="an app server, host:port (repeat)")
    parser.add_argument("--temp", type=Path, help="folder for nginx's temp files and cache (its workers write there)")
    parser.add_argument("--secure-cookie", action="store_true", help="the route cookie only over HTTPS")
    args = parser.parse_args()
    sys.stdout.write(render(args.listen, args.state, args.server, args.temp, args.secure_cookie))


if __name__ == "__main__":
    main()
