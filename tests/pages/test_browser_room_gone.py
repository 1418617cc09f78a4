"""The room view left open on a projector while the assessment is deleted: its refreshing part shows the
app's own message, never Streamlit's error box, and nothing is logged as unexpected."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from alignment.org.rounds import NewAssessment
from storage import Database

pytestmark = pytest.mark.slow


def test_the_room_says_the_assessment_is_gone(browser, app_url, app_database_url):
    db = Database(app_database_url)
    created = db.create_assessment(NewAssessment("Gone Soon SA", "Workshop", "en", 3))
    key, _ = db.new_room_key(created.assessment_id)  # the room view's own read-only key
    room = browser.new_context(locale="en-US", viewport={"width": 1920, "height": 1080}).new_page()
    room.goto(f"{app_url}/room?v={key}")
    expect(room.locator('.room-side[data-side="it"]')).to_have_attribute("data-count", "0", timeout=60_000)

    assert db.delete_assessment(created.assessment_id)
    db.dispose()
    # the next refresh (every 5 s) says so, in the app's words (the room's key went with the assessment, so
    # the page says its link no longer works; between the two reads, the live part says it is deleted)
    said = re.compile("This room-view link is not valid|This assessment has been deleted")
    expect(room.get_by_text(said)).to_be_visible(timeout=60_000)
    room.wait_for_timeout(6_000)  # a refresh later (a wait on purpose: a condition that must stay true)
    expect(room.get_by_text(said)).to_have_count(1)
    expect(room.locator('[data-testid="stException"]')).to_have_count(0)
    expect(room.get_by_text("This app has encountered an error")).to_have_count(0)
    expect(room.get_by_text("Something went wrong")).to_have_count(0)
    room.context.close()
