"""Shared fixtures: the questionnaire, complete submissions, and a guard that CI never skips."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from alignment.questionnaire import Profile, Submission, load_questionnaire

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_or_fail(reason: str) -> None:
    """Skip with a printed reason on a developer's machine; under CI=true a missing part is a failure."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def questionnaire():
    return load_questionnaire()


@pytest.fixture
def make_submission(questionnaire):
    """A complete submission: every item answered with `default` unless given in `answers`."""

    def make(side: str = "marketing", default: int = 4, profile: Profile | None = None, **answers: int) -> Submission:
        values = {item: answers.get(item, default) for item in questionnaire.item_ids}
        return Submission(side=side, answers=values, profile=profile or Profile())

    return make
