"""Pasted and uploaded e-mail addresses: what is taken, and every bad line named by its number."""

from __future__ import annotations

import io

import pytest

from alignment.core.i18n import translator
from alignment.org.addresses import MAX_LINES, parse_addresses, valid_address
from ui.mail import check_addresses


class Upload(io.BytesIO):
    """What Streamlit's file_uploader hands over: bytes with a name."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


def test_lines_names_csv_cells_and_repeats():
    parsed = parse_addresses(
        "a@x.org\nAna Lima <b@X.ORG>\nnot an address\nc@x.io, d@y.com; Ana\nemail\n\nb@x.org\nq@@x.com\nname,e@x.fr\n"
        'mailto:f@x.org\n"g@x.org"'
    )
    assert parsed.addresses == ("a@x.org", "b@x.org", "c@x.io", "d@y.com", "e@x.fr", "f@x.org", "g@x.org")
    assert parsed.bad_lines == (3, 8) and parsed.repeated == 1


@pytest.mark.parametrize(
    "bad",
    [
        "a@b",
        "a b@x.org",
        "a@x..org",
        "@x.org",
        "a@",
        "é@x.org",
        "a@x.org\r\nBcc: c@y.org",
        "a" * 65 + "@x.org",
        "a@" + "b" * 250 + ".org",
        ".a@x.org",
        "a@-x.org",
    ],
)
def test_what_is_not_an_address(bad):
    assert not valid_address(bad)
    parsed = parse_addresses(bad)
    assert bad not in parsed.addresses and parsed.bad_lines  # never taken, always named


def test_header_injection_cannot_pass_as_a_line():
    parsed = parse_addresses("a@x.org\nb@x.org\rBcc: evil@y.org")
    assert "evil@y.org" not in parsed.addresses or parsed.bad_lines  # \r splits the line: named, never merged


def test_a_list_too_long_is_refused_whole():
    assert parse_addresses("a@x.org\n" * (MAX_LINES + 1)).too_many_lines


def test_a_file_per_side_with_the_pasted_list_and_problems_named(monkeypatch):
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_FROM", "alignment@example.org")
    t = translator("en")
    checked = check_addresses(
        t,
        {
            "it": ("ines@example.com", Upload("\ufeffemail\nomar@example.com\nines@example.com\n".encode(), "it.csv")),
            "marketing": ("", Upload(b"maya@example.net\nbad line\n", "mk.txt")),
            "digital": ("", Upload("é".encode("latin-1"), "latin.txt")),
            "other": ("", None),
        },
    )
    assert checked.addresses == {"it": ("ines@example.com", "omar@example.com"), "marketing": ("maya@example.net",)}
    assert checked.problems == [
        "Your marketing (mk\\.txt): line 2 does not hold a valid e-mail address. Fix or remove it: nothing was sent or "
        "stored.",
        "Your digital (latin\\.txt): the file could not be read as text (UTF-8). Nothing was sent or stored.",
    ]
    assert checked.notes == ["Your IT (it\\.csv): 1 address given more than once is invited once."]


def test_an_address_on_two_sides_and_no_mail_server_are_named(monkeypatch):
    monkeypatch.delenv("SMTP_HOST", raising=False)
    checked = check_addresses(translator("fr"), {"it": ("a@example.com", None), "marketing": ("A@example.com", None)})
    assert [p.split("\u202f:")[0] for p in checked.problems] == [
        "Votre DSI et Votre marketing",
        "L’e-mail n’est pas configuré sur ce serveur",
    ]
