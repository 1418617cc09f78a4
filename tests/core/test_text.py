"""Free text is cleaned on the way in and escaped on the way out, one rule per renderer."""

import json

from alignment.core.text import (
    WORD_JOINER,
    clean_text,
    escape_html,
    escape_markdown,
    escape_plotly,
    too_long,
    without_joiners,
)

HOSTILE = [
    "![x](http://127.0.0.1:9/track.png)",
    "[click me](javascript:alert(1))",
    "**bold** _it_ ~~s~~ `code` # title",
    "<b>bold</b><br><a href='http://127.0.0.1:9/'>a</a>",
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://127.0.0.1:9/","x")',
    "see https://example.com and www.example.com or me@example.com",
    ":red[colour] :smile: $x^2$",
]


def test_clean_text_drops_controls_and_folds_space():
    assert clean_text("  a\tb\n\nc\x00d\u202ee\u200b ") == "a b cde"
    assert clean_text("é" * 100, 10) == "é" * 10
    assert clean_text(None) == ""
    assert clean_text("Cafe\u0301") == "Café"  # NFC


def test_clean_text_keeps_joiners():
    coder = "\U0001f469\U0001f3fd\u200d\U0001f4bb"  # 👩🏽‍💻: one emoji only with its zero-width joiner
    assert clean_text(f"Team {coder}") == f"Team {coder}"
    assert clean_text("a\u200cb") == "a\u200cb"


def test_too_long_counts_the_cleaned_text():
    assert too_long("x" * 81, 80)
    assert not too_long("  " + "x" * 80 + "  ", 80)


def test_escape_markdown_neutralises_links_emphasis_and_html():
    text = "**bold** [link](javascript:alert(1)) <img src=x onerror=alert(1)> # title"
    escaped = escape_markdown(text)
    for raw in ("**", "](", " # "):
        assert raw not in escaped
    assert "\\<img" in escaped  # shown as text; Streamlit never runs raw HTML without unsafe_allow_html
    assert escaped.replace("\\", "") == text


def test_escape_markdown_breaks_auto_links_invisibly():
    for text in HOSTILE:
        escaped = escape_markdown(text)
        assert without_joiners(escaped.replace("\\", "")) == text.replace("\\", "")
        for pattern in ("://", "www.", "e@"):
            assert pattern not in escaped.replace("\\", "")
    assert WORD_JOINER in escape_markdown("http://x.org")


def test_escape_for_plotly_and_html():
    for text in HOSTILE:
        for escaped in (escape_plotly(text), escape_html(text)):
            assert "<" not in escaped and ">" not in escaped
    assert escape_plotly("a & <b>") == "a &amp; &lt;b&gt;"
    assert json.dumps(escape_html('"x"')) == json.dumps("&quot;x&quot;")
