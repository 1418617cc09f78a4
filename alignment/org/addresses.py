"""E-mail addresses pasted or uploaded for invitations by e-mail: read, checked, never guessed at.

One address per line; a line may also hold several, separated by commas, semicolons or tabs (a spreadsheet's
columns pasted or exported as CSV, where cells without an "@", such as names, are passed over), or a name
with its address in angle brackets ("Ana Lima <ana@x.org>").
Every line that holds something else is reported by its number, so the organiser can fix it: nothing is
dropped silently. Only plain ASCII addresses are taken (what every mail server accepts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_ADDRESS = 254  # RFC 5321's longest path
MAX_LOCAL = 64
MAX_LINES = 10_000  # a pasted list longer than this is refused whole (see Parsed.too_many_lines)

_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_DOMAIN = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
ADDRESS = re.compile(rf"({_LOCAL})@({_DOMAIN})")
_BRACKETED = re.compile(r"<([^<>]*)>")
_SEPARATORS = re.compile(r"[,;\t]")


def valid_address(text: object) -> bool:
    """True for a plain ASCII address (local@domain.tld) within RFC 5321's lengths."""
    if not isinstance(text, str) or len(text) > MAX_ADDRESS:
        return False
    match = ADDRESS.fullmatch(text)
    return match is not None and len(match.group(1)) <= MAX_LOCAL


def normalise(address: str) -> str:
    """The address as stored and compared: the domain in lower case (the local part is the server's)."""
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


@dataclass(frozen=True)
class Parsed:
    addresses: tuple[str, ...] = ()
    bad_lines: tuple[int, ...] = ()  # 1-based numbers of the lines that hold something not an address
    repeated: int = 0  # addresses given twice or more (kept once)
    too_many_lines: bool = False


def parse_addresses(text: str) -> Parsed:
    """The distinct addresses of a pasted or uploaded list, in order, and the numbers of the bad lines."""
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        return Parsed(too_many_lines=True)
    found: dict[str, None] = {}
    seen: set[str] = set()
    bad, repeated = [], 0
    for number, line in enumerate(lines, start=1):
        cells = [cell.strip().strip('"').strip() for cell in _SEPARATORS.split(line)]
        line_ok, line_has = True, False
        for cell in cells:
            if not cell:
                continue
            bracketed = _BRACKETED.findall(cell)
            candidate = bracketed[0].strip() if len(bracketed) == 1 else cell
            if candidate.lower().startswith("mailto:"):
                candidate = candidate[7:]
            if "@" not in candidate:
                continue  # a name or another column beside the address: fine if the line holds one
            if not valid_address(candidate):
                line_ok = False
                continue
            line_has = True
            address = normalise(candidate)
            if address.lower() in seen:
                repeated += 1
                continue
            seen.add(address.lower())
            found[address] = None
        if not line_ok or (not line_has and line.strip() and not _header(line)):
            bad.append(number)
    return Parsed(tuple(found), tuple(bad), repeated)


def _header(line: str) -> bool:
    """A CSV header line ("email", "e-mail", "adresse", "courriel") is not an error."""
    words = {w.strip().strip('"').lower() for w in _SEPARATORS.split(line) if w.strip()}
    return bool(words) and words <= {"email", "e-mail", "mail", "address", "adresse", "courriel", "name", "nom"}
