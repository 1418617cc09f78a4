"""Numbers in messages are written in the language's style, whatever message they are in."""

from __future__ import annotations

from alignment.core.i18n import translator


def test_whole_numbers_in_messages_are_grouped_by_the_language():
    en, fr = translator("en"), translator("fr")
    assert "1,000,000 characters, at most 80" in en("org.create.too_long", field="Name", length=1_000_000, max=80)
    assert "1\u202f000\u202f000\u00a0caractères" in fr("org.create.too_long", field="Nom", length=1_000_000, max=80)


def test_years_and_references_stay_as_written():
    assert "2014" in translator("fr")("chart.hover", population="DSI", year=2014, share="43 %")
    assert "2,014" not in translator("en")("chart.hover", population="CIOs", year=2014, share="43%")
