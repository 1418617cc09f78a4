"""CSV exports a spreadsheet opens correctly in each language, and that describe themselves."""

import csv
import io

from alignment.org.export import _cell, responses_csv
from alignment.org.rounds import RoundCounts, round_results

ROWS = [
    {"side": "it", "answers": {"alignment_needed": 4}},
    {"side": "=HYPERLINK(1)", "answers": {"alignment_needed": 0}},
]


def parse(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_french_csv_uses_semicolons_and_carries_counts_and_the_hidden_note(questionnaire):
    results = round_results(RoundCounts({"it": 3, "marketing": 1}, {}), 3, questionnaire)
    table = parse(responses_csv(ROWS, questionnaire.item_ids, "fr", results), ";")
    assert table[0] == ["Réponses par côté", "Réponses", "Remarque"]
    assert table[1][:2] == ["Informatique (DSI et direction informatique)", "3"] and table[1][2] == ""
    assert table[2][1] == "1" and "résultats masqués" in table[2][2]
    assert table[3][:2] == ["Taille minimale d’un groupe", "3"]
    header = table.index(next(r for r in table if r and r[0] == "Côté"))
    # Headers and sides in the assessment's language; no number, no date: nothing orders the rows.
    assert table[header][:3] == ["Côté", "1. Alignement nécessaire", "2. Informatisation du marketing prioritaire"]
    assert table[header + 1][:2] == ["Informatique (DSI et direction informatique)", "4"]
    assert table[header + 2][0] == "'=HYPERLINK(1)"  # a formula stays text
    assert not any(cell in ("side", "it", "alignment_needed") for row in table for cell in row)


def test_english_csv_uses_commas(questionnaire):
    results = round_results(RoundCounts({"it": 3}, {}), 3, questionnaire)
    text = responses_csv(ROWS, questionnaire.item_ids, "en", results)
    table = parse(text, ",")
    assert table[0] == ["Answers by side", "Answers", "Note"]
    assert not any(";" in row[0] for row in table if row)  # no line read as one ';'-separated cell
    assert table[2][:2] == ["Minimum group size", "3"]
    header = table.index(next(r for r in table if r and r[0] == "Side"))
    assert table[header][:2] == ["Side", "1. Alignment needed"] and len(table[header]) > 11
    assert table[header + 1][0] == "IT (CIO and IT leadership)"


def test_decimals_follow_the_language():
    assert _cell(12.5, ",") == "12,5" and _cell(12.5, ".") == "12.5"


def test_links_card_holds_both_links_and_the_names():
    from alignment.core.i18n import translator
    from alignment.org.export import links_card

    card = links_card(translator("fr"), "Acme", "Vague 1", "http://x/respond?a=A", "http://x/organisation?k=K")
    lines = card.splitlines()
    assert lines[0] == "Alignement DSI–marketing\u00a0: Acme" and lines[1] == "Première vague\u00a0: Vague 1"
    assert "http://x/respond?a=A" in lines and "http://x/organisation?k=K" in lines
    assert lines.index("http://x/respond?a=A") < lines.index("http://x/organisation?k=K")
