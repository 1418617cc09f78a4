"""The organisation report and the quick check's summary as HTML, opened as files in headless Chromium:
axe-core finds no violation in English or in French, at 1280 px and at 390 px, and the page asks for
nothing beyond its own file."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from alignment.core.i18n import translator
from alignment.core.questionnaire import Profile
from alignment.quick.result import quick_result
from alignment.render.quick_pdf import build_html
from benchmark import figures_by_item
from tests.hostile import HOSTILE
from tests.pages.test_browser_accessibility import violations
from tests.render.test_html_report import TODAY, organisation


def documents(lang: str, make_submission, questionnaire) -> dict[str, bytes]:
    t = translator(lang)
    sub = make_submission("it", default=4, profile=Profile("banking", "", "other", HOSTILE[3], "gt_10b"))
    quick = quick_result(sub, questionnaire, figures_by_item(), lang, t("scale.0"))
    return {"organisation": organisation(lang)[0], "quick check": build_html(quick, questionnaire, t, TODAY)}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_html_reports_pass_axe_core(browser, tmp_path, lang, make_submission, questionnaire):
    axe = Axe()
    failures = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for name, html in documents(lang, make_submission, questionnaire).items():
        path = tmp_path / f"{name.replace(' ', '-')}-{lang}.html"
        path.write_bytes(html)
        requested.clear()
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.locator("svg.strip").count() > 0
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_function("width => window.innerWidth === width", arg=width)
            failures += [f"{lang} {width}px {name}: {v}" for v in violations(page, axe)]
            # Nothing runs off the side, even on a phone.
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 1:
                failures.append(f"{lang} {width}px {name}: {overflow}px wider than the window")
        # axe-core is injected by the test itself; the document asked for nothing but its own file.
        assert [url for url in requested if url != path.as_uri()] == []
    context.close()
    assert failures == []
