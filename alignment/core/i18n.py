"""French and English: UI texts from locales/*.toml, numbers and dates in each language's style."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
LANGS = ("fr", "en")
# Whole numbers passed to a text are written in the language's style ("1,000,000", "1 000 000"), except
# these, which are names rather than quantities.
NOT_QUANTITIES = frozenset({"year", "ref", "number", "round", "page"})
DEFAULT_LANG = "en"


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


@cache
def load_messages(lang: str) -> dict[str, str]:
    """All texts of one language, keyed by dotted name ('results.title')."""
    return _flatten(tomllib.loads((LOCALES_DIR / f"{lang}.toml").read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Translator:
    """Texts, numbers and dates in one language."""

    lang: str

    def __call__(self, key: str, /, **values: object) -> str:
        """The text named key, with {placeholders} filled in; whole numbers in the language's style."""
        text = load_messages(self.lang)[key]
        if not values:
            return text
        return text.format(
            **{
                name: self.number(value) if type(value) is int and name not in NOT_QUANTITIES else value
                for name, value in values.items()
            }
        )

    def plural(self, key: str, count: int, /, **values: object) -> str:
        """The text for count, by the language's plural rules (Babel/CLDR): key.one or key.other.

        French counts 0 and 1 as singular ("0 réponse", "1 réponse"), English only 1; {count} is filled
        with the number in the language's style.
        """
        messages = load_messages(self.lang)
        form = _plural_form(count, self.lang)
        text = messages.get(f"{key}.{form}", messages[f"{key}.other"])
        return text.format(**{"count": self.number(count), **values})

    def join(self, parts: list[str]) -> str:
        """A list as the language writes it ('a, b and c', 'a, b et c')."""
        return format_list(parts, locale=self.lang) if parts else ""

    def signed(self, value: float) -> str:
        """A whole number with its sign, a true minus (U+2212): '+12', '−5', '0'."""
        whole = round(value)
        if whole == 0:
            return "0"
        return ("+" if whole > 0 else "\u2212") + self.number(abs(whole))

    def percent(self, value: float) -> str:
        """A percentage given on 0-100: '43 %' in French, '43%' in English."""
        return _percent(value, self.lang)

    def number(self, value: float) -> str:
        """A number with the language's grouping ('1 100' in French, '1,100' in English)."""
        return _number(value, self.lang)

    def date(self, day: date) -> str:
        """A long date ('23 novembre 2026', 'November 23, 2026')."""
        return format_date(day, format="long", locale=self.lang)

    def pick(self, texts: dict[str, str]) -> str:
        """This language's entry of a {'en': ..., 'fr': ...} mapping from a data file."""
        return texts[self.lang]


@lru_cache(maxsize=4096)
def _number(value: float, lang: str) -> str:
    """Babel's decimal format, kept: a results page writes the same hundred-odd counts on every rerun, and
    Babel parses the locale again on each call (a third of the organisation page's own time in i18n)."""
    return format_decimal(value, locale=lang)


@cache
def _plural_form(count: int, lang: str) -> str:
    return Locale.parse(lang).plural_form(count)


@cache
def _percent(value: float, lang: str) -> str:
    """Babel's percent format, kept: pages show the same few dozen shares on every rerun."""
    return format_percent(value / 100, locale=lang)


def translator(lang: str) -> Translator:
    """The translator for lang, falling back to English for an unknown code."""
    return Translator(lang if lang in LANGS else DEFAULT_LANG)


def pick_language(browser_locale: str | None) -> str:
    """French when the browser asks for French, else English."""
    if browser_locale and browser_locale.lower().replace("_", "-").split("-")[0] == "fr":
        return "fr"
    return DEFAULT_LANG
