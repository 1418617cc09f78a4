"""Locale files: the same keys in both languages, and every key the code asks for exists."""

import re

from alignment.core.i18n import LANGS, load_messages
from tests.conftest import ROOT


def test_both_languages_have_the_same_keys():
    assert set(load_messages("fr")) == set(load_messages("en"))


def test_placeholders_match_between_languages():
    fields = re.compile(r"{(\w+)}")
    for key, en in load_messages("en").items():
        assert set(fields.findall(en)) == set(fields.findall(load_messages("fr")[key])), key


def test_every_literal_key_used_in_code_exists():
    used = set()
    for path in [*ROOT.glob("*.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("alignment/**/*.py")]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    assert len(used) > 40
    for lang in LANGS:
        assert used <= set(load_messages(lang)), used - set(load_messages(lang))


def test_french_uses_non_breaking_spaces_before_double_punctuation():
    for key, text in load_messages("fr").items():
        assert not re.search(r" [;:!?»]", text), key
        assert not re.search(r"« ", text), key


def test_french_data_files_use_non_breaking_spaces_before_double_punctuation():
    import json
    import tomllib

    texts = []
    for name in ("questionnaire.toml", "context.toml", "recommendations.toml"):
        data = tomllib.loads((ROOT / "alignment" / "core" / name).read_text(encoding="utf-8"))
        texts += list(_strings(data, "fr"))
    texts += list(_strings(json.loads((ROOT / "benchmark" / "survey.json").read_text(encoding="utf-8")), "fr"))
    assert len(texts) > 100
    offenders = [text for text in texts if re.search(r" [;:!?»]|« ", text)]
    assert offenders == []


def test_french_uses_typographic_apostrophes():
    import json
    import tomllib

    texts = list(load_messages("fr").values())
    for name in ("questionnaire.toml", "context.toml", "recommendations.toml"):
        data = tomllib.loads((ROOT / "alignment" / "core" / name).read_text(encoding="utf-8"))
        texts += [v for v in _strings(data, "fr")]
    survey = json.loads((ROOT / "benchmark" / "survey.json").read_text(encoding="utf-8"))
    texts += [v for v in _strings(survey, "fr")]
    assert len(texts) > 150
    offenders = [t for t in texts if "'" in t]
    assert offenders == []


def _strings(node, lang: str, french: bool = False):
    """Every string under a key naming the language (fr, fr_*, *_fr), however deep."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, lang, french or key == lang or key.endswith(f"_{lang}"))
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value, lang, french)
    elif isinstance(node, str) and french:
        yield node
