"""Text made ready for the PDF's font: right-to-left scripts shaped and ordered, missing glyphs made visible.

reportlab lays text out left to right, one glyph per character, with no shaping. So, before a string
reaches a paragraph or the canvas:

- Arabic is shaped (arabic-reshaper picks each letter's joined form, which DejaVu Sans has) and any
  right-to-left run (Arabic, Hebrew) is put in display order by the Unicode bidi algorithm (python-bidi);
- a character the fonts cannot draw (emoji, CJK, …) becomes a visible placeholder, "[emoji]" or "[?]",
  one per emoji sequence: a zero-width-joiner sequence such as 👩🏽‍💻, a flag or a keycap stays one
  placeholder instead of several empty boxes; the reports add a note saying what the placeholders mean;
- joiners (U+200C, U+200D) are kept: DejaVu draws them with no width, and they carry meaning for the
  scripts it does draw.

Limits: the bidi reordering is done per string, before reportlab breaks lines, which is right for names,
labels and short lines; a right-to-left paragraph long enough to wrap would have its lines in the wrong
order.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import arabic_reshaper
from bidi import get_display
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
EMOJI_PLACEHOLDER = "[emoji]"
OTHER_PLACEHOLDER = "[?]"
ZWJ = "\u200d"
# What continues an emoji sequence: variation selectors, skin tones, tags, the keycap mark.
_CONTINUING = {0xFE0E, 0xFE0F, 0x20E3, *range(0x1F3FB, 0x1F400), *range(0xE0020, 0xE0080)}
_REGIONAL = range(0x1F1E6, 0x1F200)
# Stand-ins while the bidi algorithm runs, neutral like the emoji they replace: the placeholders are put in
# after reordering, so their brackets are never mirrored or moved.
_EMOJI_MARK, _OTHER_MARK = "\ufffc", "\ufffd"


@cache
def drawable() -> frozenset[int]:
    """The code points both the regular and the bold DejaVu Sans can draw (titles and labels use bold)."""
    faces = [TTFont(name, str(FONTS_DIR / f"{name}.ttf")).face for name in ("DejaVuSans", "DejaVuSans-Bold")]
    return frozenset(set(faces[0].charToGlyph) & set(faces[1].charToGlyph))


def _is_emoji(ch: str) -> bool:
    code = ord(ch)
    return unicodedata.category(ch) == "So" or code in _REGIONAL or 0x1F000 <= code < 0x1FB00


def _replace_missing(text: str) -> str:
    glyphs = drawable()
    if glyphs.issuperset(map(ord, text)):
        return text  # the common case, checked in C
    out: list[str] = []
    n = 0
    while n < len(text):
        ch = text[n]
        if ord(ch) in glyphs or ord(ch) in _CONTINUING or ch.isspace():
            if ord(ch) not in _CONTINUING or ord(ch) in glyphs:
                out.append(ch)
            n += 1
            continue
        emoji = _is_emoji(ch)
        n += 1
        if ord(ch) in _REGIONAL and n < len(text) and ord(text[n]) in _REGIONAL:
            n += 1  # a flag is two regional indicators
        while n < len(text):  # the rest of the sequence: modifiers, and whatever a joiner joins
            if ord(text[n]) in _CONTINUING:
                n += 1
            elif text[n] == ZWJ and n + 1 < len(text) and ord(text[n + 1]) not in glyphs:
                n += 2
            else:
                break
        out.append(_EMOJI_MARK if emoji else _OTHER_MARK)
    return "".join(out)


# Blocks holding right-to-left letters (Hebrew to Arabic Extended, their presentation forms, the
# historic RTL scripts); a fast filter before the exact per-character check.
_RTL_BLOCKS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]")


def _has_rtl(text: str) -> bool:
    return _RTL_BLOCKS.search(text) is not None and any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def for_pdf(text: str) -> str:
    """The string as the PDF should draw it: every glyph drawable, shaped, in display order.

    Missing glyphs are replaced first, in logical order, so an emoji sequence is one unit however the
    bidi algorithm would have moved its parts."""
    text = _replace_missing(text)
    if _has_rtl(text):
        text = get_display(arabic_reshaper.reshape(text))
    return text.replace(_EMOJI_MARK, EMOJI_PLACEHOLDER).replace(_OTHER_MARK, OTHER_PLACEHOLDER)


def has_placeholder(*texts: str) -> bool:
    """Whether for_pdf puts a placeholder in any of texts (the report then says what they mean)."""
    return any(_EMOJI_MARK in _replace_missing(x) or _OTHER_MARK in _replace_missing(x) for x in texts)


def for_html(text: str) -> str:
    """The string for the HTML the tagged PDF is made from: missing glyphs made visible placeholders, as in
    for_pdf, but in logical order: the layout engine (Pango) shapes and orders right-to-left text itself, and
    a screen reader reads the text as written."""
    return _replace_missing(text).replace(_EMOJI_MARK, EMOJI_PLACEHOLDER).replace(_OTHER_MARK, OTHER_PLACEHOLDER)
