"""The organisation PDF's follow-up page: the actions as typed, their before/after in plain words, the
trend; a hidden side's percentage never printed."""

from datetime import date

import pytest
from pypdf import PdfReader

from alignment.core.i18n import translator
from alignment.core.questionnaire import load_questionnaire
from alignment.org.followup import follow_up
from alignment.render.org_pdf import build_org_pdf
from benchmark import figures_by_item
from tests.hostile import HOSTILE
from tests.org.follow_rounds import ITEM, counts, three_rounds


def _pages(data: bytes) -> list[str]:
    import io

    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


def _follow_page(pages: list[str], t) -> str:
    found = [p for p in pages if " ".join(t("followup.pdf_title").split()) in p]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_follow_up_page_shows_actions_and_their_result(lang):
    t, q = translator(lang), load_questionnaire()
    texts = (HOSTILE[3], "Revue mensuelle, déjà « lancée »")
    result, follow, _ = three_rounds(lang=lang, texts=texts)
    page = _follow_page(_pages(build_org_pdf(result, figures_by_item(), q, t, date(2026, 12, 3), follow)), t)
    for text in texts:
        assert " ".join(text.split()) in page
    narrowed = t("followup.change.narrowed", before=t.plural("followup.size", 60), after=t.plural("followup.size", 0))
    assert " ".join(narrowed.split()) in page
    assert " ".join(t("followup.certainty.clear").split()) in page
    assert " ".join(t("followup.widened_title").split()) in page
    assert " ".join(t("followup.pdf_trend").split()) in page
    # Without a follow-up, no such page.
    assert not [
        p
        for p in _pages(build_org_pdf(result, figures_by_item(), q, t, date(2026, 12, 3)))
        if t("followup.pdf_title") in p
    ]


def test_a_hidden_side_has_no_percentage_on_the_follow_up_page():
    t, q, figures = translator("en"), load_questionnaire(), figures_by_item()
    result, follow, pairs = three_rounds()
    # Round 1 again, with 3 marketing answers: below the minimum of 5, so hidden in round 1.
    hidden_first = counts({("it", ITEM): 32, ("marketing", ITEM): 1}, {"it": 40, "marketing": 3})
    pairs = [(pairs[0][0], hidden_first), *pairs[1:]]
    follow = follow_up(pairs[2][0], pairs, list(follow.actions), 5, q, figures)
    page = _follow_page(_pages(build_org_pdf(result, figures, q, t, date(2026, 12, 3), follow)), t)
    assert "Your marketing: hidden → 50%" in page
    assert "33%" not in page  # 1 of 3: never shown
    assert "Mk hidden" in page
