"""A result in the page address: round trip, and every kind of tampering reported, never trusted."""

from alignment.core.questionnaire import Profile
from alignment.quick.address import Problem, decode, encode, has_result


def test_round_trip(make_submission, questionnaire):
    sub = make_submission(
        "it", default=5, profile=Profile("retail", "", "other", "Belgique", "1b_10b"), alignment_needed=0
    )
    params = encode(sub)
    assert params["side"] == "it" and params["alignment_needed"] == "0" and params["country_other"] == "Belgique"
    back, problems = decode(params, questionnaire)
    assert problems == []
    assert back == sub


def test_tampered_values_are_dropped_and_named(questionnaire):
    params = {
        "side": "ceo",
        "alignment_needed": "7",
        "relationship_improving": "-1",
        "collaboration_satisfactory": "4",
        "evil": "<script>alert(1)</script>",
        "industry": "weapons",
        "size": "huge",
    }
    sub, problems = decode(params, questionnaire)
    assert sub.side is None
    assert sub.answers == {"collaboration_satisfactory": 4}
    assert sub.profile == Profile()
    assert set(problems) == {
        Problem("bad_side", "side"),
        Problem("bad_answer", "alignment_needed"),
        Problem("bad_answer", "relationship_improving"),
        Problem("unknown_key", "evil"),
        Problem("bad_profile", "industry"),
        Problem("bad_profile", "size"),
    }


def test_garbage_and_huge_values(questionnaire):
    huge = "x" * 100_000
    sub, problems = decode({"alignment_needed": huge, "country_other": huge, "\x00\u202e": "1"}, questionnaire)
    assert sub.answers == {}
    assert sub.profile.country_other == ""
    assert [p.code for p in problems] == ["bad_answer", "bad_profile", "unknown_key"]
    assert all(len(p.key) <= 60 and "\x00" not in p.key for p in problems)


def test_free_text_is_cleaned_not_interpreted(questionnaire):
    sub, problems = decode(
        {"industry": "other", "industry_other": '  =HYPERLINK("http://x")\n<b>bold</b>  ' + "y" * 100}, questionnaire
    )
    assert problems == []
    assert sub.profile.industry_other.startswith('=HYPERLINK("http://x") <b>bold</b>')
    assert len(sub.profile.industry_other) == 80


def test_repeated_parameter_takes_the_last_value(questionnaire):
    sub, _ = decode({"alignment_needed": ["1", "5"]}, questionnaire)
    assert sub.answers == {"alignment_needed": 5}
    sub, problems = decode({"alignment_needed": [], "side": ["it", "marketing"]}, questionnaire)
    assert sub.answers == {} and sub.side == "marketing" and [p.code for p in problems] == ["bad_answer"]


def test_has_result(questionnaire):
    assert not has_result({}, questionnaire)
    assert not has_result({"embed": "true"}, questionnaire)
    assert has_result({"side": "it"}, questionnaire)
    assert has_result({"alignment_needed": "9"}, questionnaire)
