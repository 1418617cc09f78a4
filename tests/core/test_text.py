"""Free text is cleaned on the way in and escaped on the way out."""

from alignment.core.text import clean_text, escape_markdown


def test_clean_text_drops_controls_and_folds_space():
    assert clean_text("  a\tb\n\nc\x00d\u202ee\u200b ") == "a b cde"
    assert clean_text("é" * 100, 10) == "é" * 10
    assert clean_text(None) == ""
    assert clean_text("Cafe\u0301") == "Café"  # NFC


def test_escape_markdown_neutralises_links_emphasis_and_html():
    text = "**bold** [link](javascript:alert(1)) <img src=x onerror=alert(1)> # title"
    escaped = escape_markdown(text)
    for raw in ("**", "](", " # "):
        assert raw not in escaped
    assert "\\<img" in escaped  # shown as text; Streamlit never runs raw HTML without unsafe_allow_html
    assert escaped.replace("\\", "") == text
