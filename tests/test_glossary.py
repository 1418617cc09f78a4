"""One term per concept: the glossary in each locale file names the term the page, the PDF, the CSV and the
plan use for a concept, and the variants it replaced; no text uses a variant, every term is used."""

from __future__ import annotations

import re

import pytest

from alignment.core.i18n import LANGS, load_messages


def glossary(lang: str) -> dict[str, tuple[str, list[str]]]:
    messages = load_messages(lang)
    names = {key.split(".")[1] for key in messages if key.startswith("glossary.")}
    return {
        name: (messages[f"glossary.{name}.term"], [v.strip() for v in messages[f"glossary.{name}.avoid"].split("|")])
        for name in sorted(names)
    }


def texts(lang: str) -> dict[str, str]:
    return {key: value for key, value in load_messages(lang).items() if not key.startswith("glossary.")}


def found(word: str, text: str) -> bool:
    return re.search(rf"(?<![\w’'-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE) is not None


@pytest.mark.parametrize("lang", LANGS)
def test_the_same_concept_is_not_named_two_ways(lang):
    entries = glossary(lang)
    assert set(entries) == set(glossary("en")), "both languages list the same concepts"
    named_twice = [
        f"{key}: “{variant}” where the glossary says “{term}”"
        for name, (term, variants) in entries.items()
        for variant in variants
        for key, text in texts(lang).items()
        if found(variant, text)
    ]
    assert named_twice == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_glossary_term_is_used(lang):
    unused = [term for term, _ in glossary(lang).values() if not any(found(term, t) for t in texts(lang).values())]
    assert unused == []
