"""Free text from users: cleaned on the way in, escaped on the way out."""

from __future__ import annotations

import re
import unicodedata

MAX_FREE_TEXT = 80

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")


def clean_text(value: object, max_len: int = MAX_FREE_TEXT) -> str:
    """Normalise to NFC, drop control and format characters, fold white space, cut to max_len."""
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFC", value)
    text = "".join(" " if ch.isspace() else ch for ch in text if unicodedata.category(ch)[0] != "C" or ch.isspace())
    text = " ".join(text.split())
    return text[:max_len].strip()


def escape_markdown(text: str) -> str:
    """Escape text so Streamlit's markdown shows it literally (no links, emphasis or HTML)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
