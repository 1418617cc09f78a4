"""The results page driven with AppTest: opened from an address, tampered addresses, the PDF button."""

import json

from alignment.core.questionnaire import load_questionnaire
from tests.apptest_helpers import assert_no_error, item_radios, start

ITEMS = load_questionnaire().item_ids
COMPLETE = {"side": "it", **dict.fromkeys(ITEMS, "4"), "collaboration_satisfactory": "1"}


def page_text(at) -> str:
    return " ".join(e.value for e in [*at.markdown, *at.caption, *at.info, *at.warning])


def test_opening_a_shared_address_shows_the_result():
    at = start(query=COMPLETE, page="pages/results.py")
    assert_no_error(at)
    assert [t.value for t in at.title] == ["Your results against the survey"]
    text = page_text(at)
    assert "You agree, like 83% of CIOs in 2014." in text
    assert "more than 1,100" in text and "11 countries" in text  # the benchmark's sample, on the page
    assert "top two points" in text
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    you = chart["data"][-1]
    assert you["x"][ITEMS.index("collaboration_satisfactory")] == 0
    buttons = at.get("download_button")
    assert len(buttons) == 3  # the PDF, the same summary as HTML, and the JSON of the answers
    assert buttons[1].proto.label == "Download the same summary as an accessible web page (HTML)"


def test_shared_address_in_french():
    at = start("fr", query=COMPLETE, page="pages/results.py")
    text = page_text(at)
    assert "Vous êtes d’accord, comme 83\u00a0% des DSI en 2014." in text
    assert "L’enquête n’a publié aucun chiffre pour les DSI sur cette affirmation." in text


def test_tampered_address_is_reported_and_the_rest_used():
    query = {**COMPLETE, "alignment_needed": "9", "hack": "<img src=x onerror=alert(1)>", "size": "=1+1"}
    at = start(query=query, page="pages/results.py")
    assert_no_error(at)
    warning = at.warning[0].value
    assert "could not be read" in warning
    assert "Statement 1\\: Alignment needed" in warning and "hack" in warning and "size" in warning
    assert "<img" not in warning
    # alignment_needed was dropped, so the set is incomplete: the questionnaire is offered, prefilled
    assert any("does not hold a complete set" in i.value for i in at.info)
    at.switch_page("pages/questionnaire.py").run()
    radios = item_radios(at)
    assert radios[0].value is None and radios[1].value == 4
    assert at.radio(key="w:draft:en:side").value == "it"


def test_garbage_address():
    at = start(query={"side": "\x00" * 5000, "zzz": "%%%"}, page="pages/results.py")
    assert_no_error(at)
    assert at.warning and at.info


def test_no_result_yet():
    at = start(page="pages/results.py")
    assert_no_error(at)
    assert any("no result to show yet" in i.value for i in at.info)


def test_all_dont_know_says_so_without_crashing():
    query = {"side": "marketing", **dict.fromkeys(ITEMS, "0")}
    at = start(query=query, page="pages/results.py")
    assert_no_error(at)
    assert any("nothing to place against the survey" in i.value for i in at.info)
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert chart["data"][-1]["x"] == []  # no position shown for "don't know"


def test_edit_answers_goes_back_with_answers_kept():
    at = start(query=COMPLETE, page="pages/results.py")
    at.button(key="edit").click().run()
    assert [t.value for t in at.title] == ["Quick check: IT and marketing alignment"]
    assert [r.value for r in item_radios(at)][:6] == [4, 4, 4, 4, 4, 1]


def test_language_switch_on_the_results_page_keeps_the_result():
    at = start(query=COMPLETE, page="pages/results.py")
    at.sidebar.radio[0].set_value("fr").run()
    assert [t.value for t in at.title] == ["Vos résultats face à l’enquête"]
    assert "Vous êtes d’accord, comme 83\u00a0% des DSI en 2014." in page_text(at)


def test_context_answers_are_shown_on_the_page():
    query = {**COMPLETE, "ctx_crm_owner": "4", "ctx_lead_time": "0"}
    at = start(query=query, page="pages/results.py")
    text = page_text(at)
    assert (
        "Who owns the CRM (customer relationship management) in your organisation? — **Bought by marketing as SaaS**"
        in text
    )
    assert "Make the CRM a jointly owned asset" in text


def test_many_unknown_parameters_are_reported_in_one_line():
    query = {**COMPLETE, **{f"junk{n}": "1" for n in range(25)}, "ctx_crm_owner": "9", "industry_other": "x" * 300}
    at = start(query=query, page="pages/results.py")
    assert_no_error(at)
    [warning] = at.warning
    text = warning.value.replace("\\", "")
    assert "\n" not in text
    assert "unknown parameters “junk0”, “junk1”, “junk2”, “junk3”, “junk4”, and 20 more" in text
    assert "ctx_crm_owner" not in text and "Who owns the CRM" in text  # named as the user knows it
    assert "industry_other" not in text and "Your industry, if “Other”" in text


def test_an_oversized_address_is_refused_whole_in_one_line():
    query = {**COMPLETE, **{f"k{n}": "1" for n in range(60)}}
    at = start(query=query, page="pages/results.py")
    assert_no_error(at)
    [warning] = at.warning
    assert "too long or holds too many parameters" in warning.value and "71 parameters" in warning.value
    assert at.info[0].value == "There is no result to show yet. Answer the quick check first."
    at = start(query={**COMPLETE, "industry_other": "y" * 5000}, page="pages/results.py")
    assert "too long or holds too many parameters" in at.warning[0].value


def test_the_frictions_heading_counts_what_it_lists():
    """'The three largest frictions', as the organisation's summary says it (the walk-through of 2026-12-04 saw
    'Frictions to look at first' over three items)."""
    at = start(query={"side": "it", **dict.fromkeys(ITEMS, "1")}, page="pages/results.py")
    assert_no_error(at)
    headings = [h.value for h in at.subheader]
    assert "The three largest frictions" in headings, headings
