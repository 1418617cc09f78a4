"""Context options: stored values and stable codes, which the recommendation rules refer to."""

import pytest

from alignment.core.context import answer_lines, context_questions
from alignment.core.recommendations import _rules


def test_values_and_codes_are_unique_and_labelled_in_both_languages():
    for question in context_questions():
        values = [o.value for o in question.options]
        codes = [o.code for o in question.options]
        assert 0 not in values and len(set(values)) == len(values) and len(set(codes)) == len(codes)
        assert all(o.text["en"] and o.text["fr"] for o in question.options)


def test_rules_name_options_by_code():
    crm = next(q for q in context_questions() if q.id == "crm_owner")
    assert crm.value_of("marketing_saas") == 4
    with pytest.raises(KeyError):
        crm.value_of("nobody")
    rules, _ = _rules()
    crm_rule = next(r for r in rules if r.question == "crm_owner")
    assert set(crm_rule.answers) == {crm.value_of("marketing"), crm.value_of("marketing_saas")}


def test_answer_lines_label_by_stored_value():
    lines = dict(answer_lines("fr", {"ctx_crm_owner": 3, "ctx_lead_time": 0}, "Je ne sais pas"))
    assert "Partagée entre la DSI et le marketing" in lines.values() and "Je ne sais pas" in lines.values()
