"""benchmark/figures.csv holds exactly the 20 published figures of the reference, with sources."""

import re

from benchmark import figures_by_item, load_figures, load_survey
from tests.conftest import ROOT, skip_or_fail

# Typed by hand from shared/benchmark-reference.md: (item, population, year) -> percent.
EXPECTED = {
    ("alignment_needed", "CIO", 2014): 83,
    ("alignment_needed", "CMO", 2014): 69,
    ("alignment_needed", "CIO", 2012): 77,
    ("alignment_needed", "CMO", 2012): 56,
    ("marketing_digitisation_priority", "CIO", 2014): 53,
    ("marketing_digitisation_priority", "CMO", 2014): 52,
    ("marketing_digitisation_priority", "CIO", 2012): 45,
    ("marketing_digitisation_priority", "CMO", 2012): 36,
    ("siloed_tech_holds_back", "CMO", 2014): 42,
    ("no_single_crosschannel_platform", "CIO", 2014): 45,
    ("relationship_improving", "CIO", 2014): 50,
    ("relationship_improving", "CMO", 2014): 43,
    ("collaboration_satisfactory", "CMO", 2014): 23,
    ("it_misses_data_urgency", "CMO", 2014): 40,
    ("it_misses_data_urgency", "CMO", 2012): 34,
    ("it_development_too_slow", "CMO", 2014): 43,
    ("it_development_too_slow", "CMO", 2012): 36,
    ("marketing_priorities_change_too_often", "CIO", 2014): 43,
    ("marketing_misses_channel_requirements", "CIO", 2014): 25,
    ("marketing_misses_channel_requirements", "CIO", 2012): 14,
}


def as_table():
    return {(f.item, f.population, f.year): f.percent for f in load_figures()}


def test_exactly_the_twenty_published_figures():
    assert len(load_figures()) == 20
    assert as_table() == EXPECTED


def test_figures_match_the_shared_reference_table():
    reference = ROOT.parent / "shared" / "benchmark-reference.md"
    if not reference.exists():
        skip_or_fail(f"the reference {reference} is not beside the repository")
    parsed = {}
    columns = [("CIO", 2014), ("CMO", 2014), ("CIO", 2012), ("CMO", 2012)]
    for line in reference.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"[a-z_]+", cells[0]) and cells[0] != "item":
            for (pop, year), cell in zip(columns, cells[2:], strict=True):
                if cell.isdigit():
                    parsed[(cells[0], pop, year)] = int(cell)
    assert len(parsed) == 20
    assert as_table() == parsed


def test_every_row_has_a_source_and_both_statements():
    for fig in load_figures():
        assert fig.source.strip()
        # A citation a reader can follow: the publications, never a path on our machines.
        assert "Accenture Interactive" in fig.source and "CIO" in fig.source, fig.source
        assert not re.search(r"\.txt|shared/|sources/", fig.source), fig.source
        assert fig.statement_en.strip() and fig.statement_fr.strip()


def test_known_discrepancies_are_noted_in_both_languages():
    notes = {(f.item, f.population, f.year): (f.note_en, f.note_fr) for f in load_figures() if f.note_en}
    assert set(notes) == {
        ("marketing_misses_channel_requirements", "CIO", 2012),
        ("collaboration_satisfactory", "CMO", 2014),
        ("siloed_tech_holds_back", "CMO", 2014),
        ("it_misses_data_urgency", "CMO", 2014),
    }
    assert "11%" in notes[("marketing_misses_channel_requirements", "CIO", 2012)][0]
    assert "1 in 4" in notes[("it_misses_data_urgency", "CMO", 2014)][0]
    assert all(fr.strip() for _, fr in notes.values())


def test_benchmark_items_are_the_questionnaire_items(questionnaire):
    assert set(figures_by_item()) == set(questionnaire.item_ids)


def test_survey_facts():
    survey = load_survey()
    assert len(survey["countries"]) == 11
    assert len(survey["industries"]) == 10
    assert survey["respondents"]["min"] == 1100
    assert survey["year"] == 2014
    assert "405" in survey["previous_edition"]["respondents"]["en"]
    assert {c["code"] for c in survey["countries"]} >= {"FR", "DE", "US", "JP", "BR"}
