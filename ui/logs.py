"""The server's log: one JSON object per line on stderr, for an operator's tools (jq, Loki, CloudWatch...).

Every line has `time` (UTC, ISO 8601), `level`, `logger` and `event`; the app's own events add their fields
(`page`, `error`, `reference`, `call`...). Streamlit's and uvicorn's lines are turned into the same shape
(`event` "log", the message in `message`); a traceback is one field (`traceback`), never lines of its own.

Nothing secret is ever written: the app logs classes, names and references, never a value it was given,
and every line passes through `scrub`, which blanks what looks like a code, a key, a digest, a link's query,
an e-mail address or SQL parameters (a driver's message may carry them) before it is written.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from datetime import UTC, datetime

LOGGER = "alignment"

# Codes and browser keys are 20-64 URL-safe characters (storage/codes.py); digests are 64 hex. Any long run
# of such characters goes, whatever it is: an operator needs classes and references, not values.
_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])")
_EMAIL = re.compile(r"[^\s@\"'<>(),;:]+@[^\s@\"'<>(),;:]+\.[A-Za-z]{2,}")
_QUERY = re.compile(r"\?[^\s\"'<>]*")
# The app's code parameters (respondent, invitation, join, results, room link and key, resume) wherever a
# query appears without its "?", and the room's short join codes (8 of storage.codes.JOIN_ALPHABET, with a
# digit and a letter, as stored "K7M2QX9P" or shown "K7M2 QX9P"): too short for _TOKEN (issue 16 review).
_PARAM = re.compile(r"(?<![A-Za-z0-9_])([aijklrv])=[^&\s\"'<>]+")
_JOIN_CODE = re.compile(r"(?<![A-Za-z0-9_-])[2-9A-HJKMNP-TV-Z]{4} ?[2-9A-HJKMNP-TV-Z]{4}(?![A-Za-z0-9_-])")
# SQLAlchemy appends the statement's parameters to its messages: answers, digests, names.
_SQL_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\s*(\(Background|\n|$))", re.DOTALL)


def scrub(text: str) -> str:
    """`text` without anything that could be a secret: codes, keys, queries, e-mail addresses, SQL parameters."""
    text = _SQL_PARAMETERS.sub("[parameters: ...]", text)
    text = _EMAIL.sub("<e-mail>", text)
    text = _QUERY.sub("?…", text)
    text = _PARAM.sub(r"\1=…", text)
    text = _JOIN_CODE.sub(_blank_join_code, text)
    return _TOKEN.sub(_blank_token, text)


def _blank_join_code(match: re.Match) -> str:
    from storage.codes import mixed  # here: the first view is drawn before the database layer loads (ui/server.warm_up)

    code = match.group(0)  # join codes always mix digits and letters; a word ("DATABASE") or a number stays
    return "<redacted>" if mixed(code) else code


def _blank_token(match: re.Match) -> str:
    token = match.group(0)
    # Identifiers made of words (module_names_like_this, a-css-class) are not secrets; random codes mix
    # cases and digits.
    if re.fullmatch(r"[a-z_]+|[a-z-]+|[A-Z_]+", token):
        return token
    return "<redacted>"


class JsonLines(logging.Formatter):
    """A record as one JSON line: time, level, logger, event, the app's fields, a scrubbed message."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if fields:
            line["event"] = record.getMessage()
            line.update({key: _clean(value) for key, value in fields.items()})
        else:
            line["event"] = "log"
            line["message"] = scrub(record.getMessage())
        if record.exc_info and record.exc_info[0] is not None:
            line.setdefault("error", record.exc_info[0].__name__)
            line["traceback"] = scrub("".join(traceback.format_exception(*record.exc_info)).rstrip())
        return json.dumps(line, ensure_ascii=False, default=str)


def _clean(value: object) -> object:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _clean(item) for key, item in value.items()}
    return scrub(str(value))


def event(name: str, level: int = logging.INFO, exc_info: bool = False, **fields: object) -> None:
    """Write one event: `name` and its fields (classes, names, references; never a value given by a user)."""
    logging.getLogger(LOGGER).log(level, name, exc_info=exc_info, extra={"fields": fields})


def page_name() -> str:
    """The page's path ("/respond"), never its query (which may carry a code)."""
    from urllib.parse import urlsplit

    import streamlit as st

    try:
        url = st.context.url
    except Exception:  # outside a page (the readiness route)
        return "-"
    return urlsplit(url or "").path or "/"


def _handler() -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    handler.set_name("alignment-json")
    return handler


def configure_app_logger() -> logging.Logger:
    """The app's logger ("alignment"), writing JSON lines on stderr; idempotent."""
    log = logging.getLogger(LOGGER)
    if not any(handler.get_name() == "alignment-json" for handler in log.handlers):
        for handler in list(log.handlers):
            log.removeHandler(handler)
        log.addHandler(_handler())
    log.setLevel(logging.INFO)
    log.propagate = True  # tests read it through pytest's caplog (take_over_server_logs turns it off)
    return log


def take_over_server_logs() -> None:
    """Every logger of the server process (Streamlit, uvicorn, warnings) writes JSON lines, scrubbed.

    Streamlit gives each of its loggers its own console handler (streamlit.logger.setup_formatter), also
    for loggers made later: that function is replaced by one that installs ours.
    """
    import streamlit.logger as streamlit_logger

    configure_app_logger().propagate = False  # the root logger gets a handler of ours below

    def setup_formatter(logger: logging.Logger) -> None:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.addHandler(_handler())

    streamlit_logger.setup_formatter = setup_formatter
    names = [name for name in logging.root.manager.loggerDict if name != LOGGER]
    for name in names:
        logger = logging.getLogger(name)
        streams = [handler for handler in logger.handlers if isinstance(handler, logging.StreamHandler)]
        for handler in streams:
            handler.setFormatter(JsonLines())
    root = logging.getLogger()
    if not any(handler.get_name() == "alignment-json" for handler in root.handlers):
        root.addHandler(_handler())
    logging.captureWarnings(True)
