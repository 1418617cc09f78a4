"""The questionnaire: statements worded for each side, the answer scale, the optional profile."""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields
from functools import cache, cached_property
from pathlib import Path

QUESTIONNAIRE_TOML = Path(__file__).with_name("questionnaire.toml")

DONT_KNOW = 0
SCALE = (1, 2, 3, 4, 5)  # strongly disagree .. strongly agree
ANSWERS = (*SCALE, DONT_KNOW)
AGREE = frozenset({4, 5})  # "agree" in the survey's sense: the top two points of the scale
DISAGREE = frozenset({1, 2})
NEUTRAL = 3


@dataclass(frozen=True)
class Item:
    """One statement of the survey, with its wording for each side and language."""

    id: str
    polarity: str  # "positive" or "friction"
    short: dict[str, str]
    text: dict[str, dict[str, str]]

    def short_in(self, lang: str) -> str:
        """The short title used in charts and lists."""
        return self.short[lang]

    def text_for(self, wording: str, lang: str) -> str:
        """The full statement as the given side reads it."""
        return self.text[lang][wording]


@dataclass(frozen=True)
class Side:
    """Where the respondent sits, and which survey populations are their peers."""

    id: str
    peers: tuple[str, ...]
    wording: str


@dataclass(frozen=True)
class Questionnaire:
    """Items, sides and profile options, as read from questionnaire.toml."""

    items: tuple[Item, ...]
    sides: tuple[Side, ...]
    size_bands: tuple[dict[str, str], ...]

    @cached_property  # read on every rerun of a form, several times
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    def item(self, item_id: str) -> Item:
        return next(item for item in self.items if item.id == item_id)

    def side(self, side_id: str) -> Side:
        return next(side for side in self.sides if side.id == side_id)

    @cached_property
    def side_ids(self) -> tuple[str, ...]:
        return tuple(side.id for side in self.sides)


@cache
def load_questionnaire() -> Questionnaire:
    """Read alignment/core/questionnaire.toml."""
    data = tomllib.loads(QUESTIONNAIRE_TOML.read_text(encoding="utf-8"))
    items = tuple(Item(id=i["id"], polarity=i["polarity"], short=i["short"], text=i["text"]) for i in data["items"])
    sides = tuple(Side(id=s["id"], peers=tuple(s["peers"]), wording=s["wording"]) for s in data["sides"])
    return Questionnaire(items=items, sides=sides, size_bands=tuple(data["size_bands"]))


@dataclass(frozen=True)
class Profile:
    """The optional profile: survey industry and country codes (or 'other' with free text), size band.

    One shape for a respondent's quick check, an organisation assessment and storage's columns.
    """

    industry: str | None = None
    industry_other: str = ""
    country: str | None = None
    country_other: str = ""
    size: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """The five fields by name, in order (the address, the export, the stored row)."""
        return asdict(self)


PROFILE_FIELDS = tuple(f.name for f in fields(Profile))
PROFILE_FREE_TEXT = ("industry_other", "country_other")  # typed text; the others are codes


@dataclass(frozen=True)
class Submission:
    """One respondent's side, answers (item id to 1-5 or DONT_KNOW), profile and context answers."""

    side: str | None
    answers: dict[str, int] = field(default_factory=dict)
    profile: Profile = field(default_factory=Profile)
    context: dict[str, int] = field(default_factory=dict)  # "ctx_<question>" -> option code, 0 = don't know

    def missing(self, questionnaire: Questionnaire) -> list[str]:
        """What is still to answer: 'side' first if missing, then the unanswered item ids in order."""
        gaps = [] if self.side in questionnaire.side_ids else ["side"]
        return gaps + [i for i in questionnaire.item_ids if self.answers.get(i) not in ANSWERS]

    def is_complete(self, questionnaire: Questionnaire) -> bool:
        return not self.missing(questionnaire)
