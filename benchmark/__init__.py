"""The published survey as data: figures.csv (the 20 figures) and survey.json (sample and facts)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent
FIGURES_CSV = HERE / "figures.csv"
SURVEY_JSON = HERE / "survey.json"

POPULATIONS = ("CIO", "CMO")
YEARS = (2014, 2012)
CURRENT_YEAR = 2014


@dataclass(frozen=True)
class Figure:
    """One published figure: the share of a population agreeing with a statement."""

    item: str
    population: str
    year: int
    percent: int
    source: str
    statement_en: str
    statement_fr: str
    note_en: str
    note_fr: str

    def note_in(self, lang: str) -> str:
        """The discrepancy note in the given language ('' when there is none)."""
        return self.note_fr if lang == "fr" else self.note_en


@cache
def load_figures() -> tuple[Figure, ...]:
    """Read and validate benchmark/figures.csv."""
    with FIGURES_CSV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    figures = []
    for row in rows:
        fig = Figure(
            item=row["item"],
            population=row["population"],
            year=int(row["year"]),
            percent=int(row["percent"]),
            source=row["source"],
            statement_en=row["statement_en"],
            statement_fr=row["statement_fr"],
            note_en=row["note_en"],
            note_fr=row["note_fr"],
        )
        if fig.population not in POPULATIONS or fig.year not in YEARS:
            raise ValueError(f"figures.csv: bad population or year in {row}")
        if not 0 <= fig.percent <= 100 or not fig.source.strip():
            raise ValueError(f"figures.csv: bad percent or empty source in {row}")
        figures.append(fig)
    return tuple(figures)


def figures_by_item() -> dict[str, dict[tuple[str, int], Figure]]:
    """Figures grouped by item id, then keyed by (population, year)."""
    grouped: dict[str, dict[tuple[str, int], Figure]] = {}
    for fig in load_figures():
        grouped.setdefault(fig.item, {})[(fig.population, fig.year)] = fig
    return grouped


@cache
def load_survey() -> dict:
    """Read benchmark/survey.json: the survey's sample, fieldwork, countries, industries, sources."""
    return json.loads(SURVEY_JSON.read_text(encoding="utf-8"))
