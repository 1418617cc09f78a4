"""The respondent's key and round rules (alignment/org/respondent.py): pure, so tested without a page."""

from dataclasses import dataclass

from alignment.org.respondent import already_submitted, respondent_key, response_to_take_up
from storage import well_formed

GOOD, OTHER = "k" * 32, "c" * 32


def key(invitation="", resume="", cookie=None):
    return respondent_key(invitation, resume, cookie, well_formed=well_formed, new_key=lambda: "new")


def test_the_invitation_code_is_the_key_whatever_the_address_or_browser_hold():
    assert key(invitation="inv", resume=GOOD, cookie=OTHER) == "inv"


def test_an_open_link_takes_the_resume_link_then_the_cookie_then_a_new_key():
    assert key(resume=GOOD, cookie=OTHER) == GOOD
    assert key(cookie=OTHER) == OTHER
    assert key() == "new"


def test_a_malformed_key_is_skipped_never_trusted():
    assert key(resume="short", cookie=OTHER) == OTHER
    assert key(resume="a b" * 20, cookie="é" * 30) == "new"


@dataclass
class Saved:
    round_id: int
    submitted: bool


def test_a_response_submitted_in_an_earlier_round_does_not_carry_over():
    assert response_to_take_up(Saved(round_id=1, submitted=True), round_id=2) is None


def test_a_draft_from_an_earlier_round_and_anything_from_this_round_are_taken_up():
    draft, submitted = Saved(round_id=1, submitted=False), Saved(round_id=2, submitted=True)
    assert response_to_take_up(draft, round_id=2) is draft
    assert response_to_take_up(submitted, round_id=2) is submitted
    assert response_to_take_up(None, round_id=2) is None


def test_only_a_submitted_response_is_already_done():
    assert already_submitted(Saved(round_id=2, submitted=True))
    assert not already_submitted(Saved(round_id=2, submitted=False)) and not already_submitted(None)
