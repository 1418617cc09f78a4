"""The server log's scrubbing (ui/logs.py) against the room's codes (issue 16, second review): the room view's
address `/room?v=…&j=…&l=…`, the QR code's link `/respond?a=…`, a typed short code. The long ones (32
characters) were blanked already; a short join code (8 characters) was left whenever it was not in a query
that starts with "?" (seen: `j=K7M2QX9P` and a bare `K7M2QX9P` came out as they went in)."""

from __future__ import annotations

import pytest

from storage.codes import mixed, new_code, new_join_code, room_join_codes, show_join_code
from ui.logs import scrub

CODE, LINK, KEY = new_join_code(), new_code(), new_code()


# Shapes, not lines: the codes are random, so the test ids stay the same in every process (pytest-xdist
# refuses a run whose workers collected different ids).
SHAPES = [
    "GET /room?v={key}&j={code}&l={link} HTTP/1.1",
    "GET /respond?a={link}&r={key}",
    "GET /respond?a={code}",
    'query_string: "v={key}&j={code}&l={link}"',  # a query without its "?"
    "{{'a': '{code}'}}",  # a query's parameters as a dict
    "a={lower}",
    "switch_page pages/respond.py a={code}",
    "joined:{code}",  # the session's key of a joined code
    "code {shown} typed",
    "code {code} typed",
]


@pytest.mark.parametrize("shape", SHAPES)
def test_no_room_code_or_link_survives_scrubbing(shape):
    line = shape.format(code=CODE, lower=CODE.lower(), shown=show_join_code(CODE), link=LINK, key=KEY)
    out = scrub(line)
    for secret in (CODE, CODE.lower(), show_join_code(CODE), LINK, KEY):
        assert secret not in out, (line, out)


def test_words_and_references_stay():
    """What an operator needs stays: class names, uppercase words, an error's reference (8 hex digits)."""
    for line in ("DATABASE failure OperationalError", "reference 3fa9c2d1", "page /room call find_by_room_key"):
        assert scrub(line) == line


def test_every_join_code_mixes_a_digit_and_a_letter():
    """What the scrubbing above relies on to tell a code from a word: a code of letters only ("RDGSEVFB", about 1
    draw in 11 before) went through to the log as it was (CI of stop 25, 4 of the shapes above)."""
    drawn = [new_join_code() for _ in range(3000)]
    derived = [room_join_codes(new_code())[0] for _ in range(3000)]
    assert all(mixed(code) for code in drawn + derived)
    assert all(scrub(f"code {code} typed") == "code <redacted> typed" for code in drawn[:200] + derived[:200])
    assert not mixed("DATABASE") and not mixed("23456789")
