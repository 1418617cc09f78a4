"""The room view on a projector and a phone, in Chromium: in the rendered chart no text box overlaps another
text, a marker or an interval line, none is cut at the edge, and the statements and figures are large enough
to read from the back of a room (at least 24 px at 1920 px; 18 px at 1280 px, the same size on the same
screen as 27 px at 1920), in English and in French. On a projector the whole chart, legend and axis included,
is on the first screen, under the title, without scrolling (issue 20).

The chart is drawn once per kind of screen and the others are hidden (display: none): every measurement here
is of the one chart shown, and the hidden ones are checked to have no text box at all, so a measurement of
the page's text boxes cannot pick up the phone chart's 14 px type at 1920 (as issue 20's walk-through did)."""

from __future__ import annotations

import random
import uuid

import pytest
from playwright.sync_api import expect

from alignment.org.rounds import NewAssessment
from storage import Database

pytestmark = pytest.mark.slow

VIEWPORTS = {"1920": (1920, 1080), "1280": (1280, 720), "390": (390, 844)}
SMALLEST = {"1920": 24, "1280": 18, "390": 14}  # the chart's smallest text, in CSS px
SHOWN = {"1920": "projector", "1280": "compact", "390": "phone"}  # the chart drawn for the screen

# A heading's text on one line: its text is less than two lines high.
ONE_LINE = """(e) => { const r = document.createRange(); r.selectNodeContents(e);
  return r.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(e).fontSize); }"""
# The charts on the page: which one shows, and how many text boxes each hidden one has (none, or a measurement
# of the page could read them).
CHARTS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(c => ({
  shown: c.checkVisibility(), key: [...c.closest('[class*="st-key-room-strips-"]').classList]
    .find(k => k.startsWith('st-key-room-strips-')).replace('st-key-room-strips-', ''),
  boxes: [...c.querySelectorAll('text')].filter(e => e.getBoundingClientRect().width > 0).length}))"""

# Every text box in the chart, every marker and every interval line, in page pixels.
BOXES = """(root) => {
  const box = (e) => { const r = e.getBoundingClientRect(); return {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
    text: e.textContent, size: parseFloat(getComputedStyle(e).fontSize)}; };
  const texts = [...root.querySelectorAll('text')].filter(e => e.textContent.trim() && e.getBBox().width > 0);
  const marks = [...root.querySelectorAll('.scatterlayer path.point, .errorbars path')];
  const chart = root.querySelector('.main-svg').getBoundingClientRect();
  return {texts: texts.map(e => ({...box(e), kind: e.closest('.annotation') ? 'label'
            : e.closest('.xtick') ? 'tick' : e.closest('.legend') ? 'legend' : 'other'})),
          marks: marks.map(box), chart: {x0: chart.left, x1: chart.right, y0: chart.top, y1: chart.bottom}};
}"""


def overlap(a: dict, b: dict, slack: float = 0.5) -> bool:
    across = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    down = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
    return across > slack and down > slack


def collisions(boxes: dict) -> list[str]:
    """Every pair of overlapping text boxes, every text on a marker or line, every text past the chart's edge."""
    texts, found = boxes["texts"], []
    for n, a in enumerate(texts):
        found += [f"{a['text']!r} on {b['text']!r}" for b in texts[n + 1 :] if overlap(a, b)]
        found += [f"{a['text']!r} on a marker or line" for m in boxes["marks"] if overlap(a, m)]
        if a["x0"] < boxes["chart"]["x0"] - 0.5 or a["x1"] > boxes["chart"]["x1"] + 0.5:
            found.append(f"{a['text']!r} cut at the edge")
    return found


# The longest organisation and round names a room is likely to see, per language.
LONG_NAMES = (
    ("en", "International Consolidated Industries Holdings", "Leadership offsite, second session"),
    ("fr", "Société Générale des Équipements Industriels", "Séminaire de direction, deuxième séance"),
)


@pytest.fixture(scope="module")
def rooms(app_database_url, questionnaire):
    """One assessment per language, three sides past the minimum with scattered answers (so markers land
    everywhere, beside labels too), and the longest organisation and round names a room is likely to see."""
    db = Database(app_database_url)
    rng = random.Random(7)
    codes = {}
    for lang, org, label in LONG_NAMES:
        created = db.create_assessment(NewAssessment(org, label, lang, min_group_size=3))
        rnd = db.current_round(db.find_by_results_code(created.results_code).id)
        for side in ("it", "marketing", "digital"):
            for _ in range(7):
                answers = {item: rng.choice([1, 2, 3, 4, 5]) for item in questionnaire.item_ids}
                db.submit(rnd.id, str(uuid.uuid4()), f"layout-{uuid.uuid4().hex}", side, answers)
        db.set_round_open(rnd.id, False)  # an open link's round shows its figures once closed (issue 16)
        codes[lang], _ = db.new_room_key(created.assessment_id)  # the room view's own read-only key
    yield codes
    db.dispose()


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_text_overlaps_in_the_room_chart(browser, app_url, rooms, lang, viewport):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(locale=f"{lang}-{lang.upper()}", viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{app_url}/room?v={rooms[lang]}")
    chart = page.locator('[data-testid="stPlotlyChart"] >> visible=true')
    expect(chart.locator(".annotation-text")).to_have_count(10, timeout=150_000)  # a loaded machine: generous
    expect(chart.locator(".xtick text")).to_have_count(5)
    boxes = chart.evaluate(BOXES)
    labels = [b for b in boxes["texts"] if b["kind"] == "label"]
    assert [b["text"].split(".")[0] for b in labels] == [str(n) for n in range(1, 11)]
    assert len(boxes["marks"]) > 40
    assert collisions(boxes) == []
    charts = page.evaluate(CHARTS)
    assert [c["key"] for c in charts if c["shown"]] == [SHOWN[viewport]]
    assert [c["boxes"] for c in charts if not c["shown"]] == [0, 0]  # hidden: no text box to measure
    assert min(b["size"] for b in boxes["texts"]) >= SMALLEST[viewport]
    if viewport != "390":  # a projector: title, legend, ten statements and axis on the first screen
        title = page.locator("h1").first.bounding_box()
        assert page.locator("h1").first.evaluate(ONE_LINE), "the title wraps"
        assert title["y"] + title["height"] <= boxes["chart"]["y0"] and boxes["chart"]["y1"] <= height
        assert page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop") == 0
    if viewport == "1920":
        for selector in (".room-side .count", ".room-side .label", '[data-testid="stTable"] td'):
            size = page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
            assert size >= 24, selector
    # Nothing on the page is wider than the screen (a phone scrolls down, never sideways).
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    context.close()


# Every text on the page outside the chart, one box per line (a wrapped paragraph gives several), one em high
# around the line's middle (the glyphs; a range's box also holds the font's ascent and descent, taller than a
# tight line height) and clipped by what hides its overflow (a title cut with an ellipsis), and the chart's own
# box: none may overlap another (the lines of one text are not compared), nor the chart.
PAGE_TEXTS = """() => {
  const main = document.querySelector('[data-testid="stMain"]'), out = [];
  const walk = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const clip = (e) => { for (; e && e !== main; e = e.parentElement)
    if (getComputedStyle(e).overflowX !== 'visible') return e.getBoundingClientRect(); return null; };
  let node = 0;
  for (let n = walk.nextNode(); n; n = walk.nextNode(), node++) {
    if (!n.textContent.trim() || n.parentElement.closest('svg, [data-testid="stPlotlyChart"], style')) continue;
    const r = document.createRange(); r.selectNodeContents(n);
    const em = parseFloat(getComputedStyle(n.parentElement).fontSize);
    const c = clip(n.parentElement);
    for (const b of r.getClientRects()) if (b.width > 0 && b.height > 0) {
      const middle = (b.top + b.bottom) / 2;
      const x0 = c ? Math.max(b.left, c.left) : b.left, x1 = c ? Math.min(b.right, c.right) : b.right;
      if (x1 > x0) out.push({x0, y0: middle - em / 2, x1, y1: middle + em / 2, node,
                             text: n.textContent.trim().slice(0, 40)});
    }
  }
  return out;
}"""
# The bottom of what a room must read on the first screen, in page pixels.
BOTTOMS = """() => {
  const bottom = (e) => e.getBoundingClientRect().bottom;
  const chart = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].find(c => c.checkVisibility());
  return {axis_title: bottom(chart.querySelector('.g-xtitle text')),
          ticks: Math.max(...[...chart.querySelectorAll('.xtick text')].map(bottom)),
          cards: [...document.querySelectorAll('.room-side')].map(bottom),
          banner: [...document.querySelectorAll('.room-banner')].map(bottom),
          code: bottom(document.querySelector('.room-code')),
          qr: bottom(document.querySelector('[data-testid="stImage"] img, [data-testid="stImage"]'))};
}"""


@pytest.fixture(scope="module")
def rehearsals(app_database_url, questionnaire):
    """The worst case a projector shows: an open round in rehearsal (banner, join code, QR code and the note
    that the code leads to the real round) with all four sides past the minimum, each with 7 simulated answers
    for a step of 3 (so the legend's longest entries, 'n = 6 of 7 answers'), and long names."""
    db = Database(app_database_url)
    rng = random.Random(11)
    codes = {}
    for lang, org, label in LONG_NAMES:
        created = db.create_assessment(NewAssessment(org, label, lang, min_group_size=3))
        simulated = [
            (side, {item: rng.choice([1, 2, 3, 4, 5]) for item in questionnaire.item_ids})
            for side in ("it", "marketing", "digital", "other")
            for _ in range(7)
        ]
        db.add_simulated(created.assessment_id, simulated)
        codes[lang], _ = db.new_room_key(created.assessment_id)
    yield codes
    db.dispose()


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_worst_case_fits_the_first_screen(browser, app_url, rehearsals, lang, viewport):
    """Rehearsal, four sides shown: at 1920 x 1080 and 1280 x 720 the axis (ticks and title), every count
    card, the banner, the join code and its QR code end within the screen's height, no text overlaps another
    or the chart, and the chart's text keeps its size; at 390 px nothing overlaps and nothing is wider than
    the screen (issue 20, walk-through points A-C)."""
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(locale=f"{lang}-{lang.upper()}", viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{app_url}/room?v={rehearsals[lang]}&mode=rehearsal")
    chart = page.locator('[data-testid="stPlotlyChart"] >> visible=true')
    expect(chart.locator(".annotation-text")).to_have_count(10, timeout=150_000)
    expect(page.locator(".room-side")).to_have_count(4)
    expect(page.locator(".room-code")).to_be_visible()
    boxes = chart.evaluate(BOXES)
    assert len([b for b in boxes["texts"] if b["kind"] == "legend"]) == 6  # the survey's two and four sides
    assert collisions(boxes) == []
    assert min(b["size"] for b in boxes["texts"]) >= SMALLEST[viewport]
    texts = page.evaluate(PAGE_TEXTS)
    found = [
        f"{a['text']!r} on {b['text']!r}"
        for n, a in enumerate(texts)
        for b in texts[n + 1 :]
        if a["node"] != b["node"] and overlap(a, b)
    ]
    found += [f"{a['text']!r} on the chart" for a in texts if overlap(a, boxes["chart"])]
    assert found == [], found
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    if viewport != "390":
        bottoms = page.evaluate(BOTTOMS)
        below = {k: v for k, v in bottoms.items() if max(v if isinstance(v, list) else [v]) > height}
        assert below == {}, below
        assert page.locator("h1").first.evaluate(ONE_LINE), "the title wraps"
        heading = page.locator(".st-key-room-strips-heading h3")
        expect(heading).to_be_visible()  # the chart's heading, at 1280 too (point C); its text is off the chart
    if viewport == "1920":
        for selector in (".room-side .count", ".room-side .label"):
            size = page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
            assert size >= 24, selector
    context.close()
