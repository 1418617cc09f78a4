"""Free text from users: cleaned on the way in, escaped on the way out, one rule per renderer.

Text a user typed (an organisation name, a round label, a profile value, a page address, a file's
content) is text: it must never become a link, an image, emphasis, markup or a formula. Every page,
chart, PDF, export and message goes through one of the functions below:

- ``escape_markdown`` for Streamlit's Markdown (titles, labels, messages, widget labels);
- ``escape_html`` for HTML and reportlab paragraphs (which read ``<b>``, ``<a href>``, ``<img>``);
- ``escape_plotly`` for plotly labels (trace names, hover text, annotations, marker text);
- ``alignment.org.export.spreadsheet_safe`` for spreadsheet cells.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

MAX_FREE_TEXT = 80
# Joiners are format characters that carry meaning: U+200D joins 👩🏽‍💻 into one emoji and shapes Indic
# and Arabic text, U+200C keeps Persian letters apart. Bidi overrides and other format characters go.
KEPT_FORMAT = frozenset({"\u200c", "\u200d"})
WORD_JOINER = "\u2060"  # invisible, no width: breaks an auto-link pattern without changing what is seen

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'^/@%])")
# What GitHub-flavoured Markdown turns into a link on its own (remark-gfm's autolink literals), read
# after escapes are resolved, so escaping is not enough: a word joiner breaks the pattern instead.
_AUTOLINK = re.compile(r"(?i)(://)|\b(www)(\.)|(@)")


def clean_text(value: object, max_len: int = MAX_FREE_TEXT) -> str:
    """Normalise to NFC, drop control and format characters (joiners kept), fold white space, cut to max_len."""
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFC", value)
    text = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if unicodedata.category(ch)[0] != "C" or ch.isspace() or ch in KEPT_FORMAT
    )
    text = " ".join(text.split())
    return text[:max_len].strip()


def too_long(value: str, max_len: int) -> bool:
    """Whether typed text, once cleaned, is longer than max_len (it is then refused, never cut silently)."""
    return len(clean_text(value, max_len + 1)) > max_len


def _break_autolinks(text: str) -> str:
    def breaker(match: re.Match) -> str:
        if match.group(1):
            return ":" + WORD_JOINER + "//"
        if match.group(2):
            return match.group(2) + WORD_JOINER + "."
        return WORD_JOINER + "@"

    return _AUTOLINK.sub(breaker, text)


def escape_markdown(text: object) -> str:
    """Text Streamlit's Markdown shows literally: no link, image, emphasis, heading, HTML or auto-link.

    Every Markdown punctuation mark is backslash-escaped; URLs, "www." and e-mail addresses get an
    invisible word joiner so remark-gfm does not turn them into links.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _break_autolinks("" if text is None else str(text)))


def escape_html(text: object, quote: bool = True) -> str:
    """Text for HTML or a reportlab paragraph: & < > (and, in attributes, " ') become entities."""
    return html.escape("" if text is None else str(text), quote=quote)


def escape_plotly(text: object) -> str:
    """Text for a plotly label: plotly reads <b>, <i>, <br>, <a href> and entities in names, hover
    text and annotations, so & < > become entities (which plotly shows as the characters)."""
    return html.escape("" if text is None else str(text), quote=False)


def without_joiners(text: str) -> str:
    """The text as read: the invisible word joiners escape_markdown adds are removed (for tests and copies)."""
    return text.replace(WORD_JOINER, "")


def code_in(typed: str, params: tuple[str, ...]) -> str:
    """The code in what a person typed or pasted where a code is asked: the code itself, or, from a link the
    app gave (".../organisation?k=CODE"), the value of the first of `params` it holds."""
    text = typed.strip()
    if "=" in text:
        query = urlsplit(text).query if "?" in text else text
        found = parse_qs(query.split("#", 1)[0])
        for param in params:
            if found.get(param):
                return found[param][0].strip()
    return text
