"""Invitations by e-mail in real Chromium, against a real app server and a real SMTP server on loopback:
the organiser creates and never sees a link, an invitee answers from the e-mail, the stop link takes a click,
and no address or link reaches a page or the server's log."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.servers import start_streamlit, stop, wait_until_healthy
from tests.smtp_helpers import LINK, STOP

pytestmark = pytest.mark.slow

IT = ["ines.it@example.com", "omar.it@example.com"]
MARKETING = ["maya.mk@example.net"]


def test_by_email_in_the_browser(browser, smtp_server, tmp_path):
    log = tmp_path / "server.log"
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", **smtp_server.env()}
    with log.open("w") as output:
        process, port = start_streamlit(env=env, output=output)
        try:
            wait_until_healthy(process, port)
            url = f"http://127.0.0.1:{port}"
            page = browser.new_page()
            page.goto(f"{url}/new_assessment")
            expect(page.get_by_role("heading", name="Start an organisation assessment")).to_be_visible(timeout=60_000)
            page.get_by_role("textbox", name="Organisation name").fill("Acme")
            page.get_by_role("textbox", name="Round label").fill("2026 Q4")
            minimum = page.get_by_role("spinbutton", name="Minimum group size")
            minimum.fill("1")
            minimum.press("Enter")
            page.locator("label").filter(has_text=re.compile("^Invitations by e-mail")).click()
            page.get_by_role("textbox", name="Your IT: e-mail addresses").fill("\n".join(IT))
            page.get_by_role("textbox", name="Your marketing: e-mail addresses").fill("\n".join(MARKETING))
            page.get_by_role("button", name="Create the assessment").click()
            expect(page.get_by_text("you will never see a personal link")).to_be_visible(timeout=60_000)
            expect(page.get_by_text("Invitations sent: 3 of 3.")).to_be_visible()
            codes = page.locator('[data-testid="stCode"]')
            expect(codes).to_have_count(1)
            results = codes.nth(0).inner_text().strip()
            assert "/organisation?k=" in results
            main = page.locator('[data-testid="stMain"]').inner_text()
            assert "/respond?" not in main and not any(a in main for a in IT + MARKETING)

            delivered = {to: m.get_content() for to, m in smtp_server.delivered()}
            assert sorted(delivered) == sorted(IT + MARKETING)
            link = LINK.search(delivered[IT[0]]).group(0)
            assert link.startswith(f"{url}/respond?i=")  # the address the organiser's browser used
            invitee = browser.new_page()
            invitee.goto(link)
            expect(invitee.get_by_role("heading", name="Your organisation's alignment check")).to_be_visible(
                timeout=60_000
            )
            radios = invitee.locator('[data-testid="stMain"] [data-testid="stRadio"]')
            expect(radios).to_have_count(10)  # ten statements: the link fixes the side, the context is closed
            for n in range(10):
                option = radios.nth(n).locator("label").filter(has_text=re.compile("^Agree$"))
                option.click()
                expect(option.locator("input")).to_be_checked()
            invitee.get_by_role("button", name="Submit my answers").click()
            expect(invitee.get_by_text("Thank you: your answers are counted.")).to_be_visible(timeout=60_000)

            stopper = browser.new_page()
            stopper.goto(STOP.search(delivered[IT[1]]).group(0))
            expect(stopper.get_by_role("heading", name="E-mails about this assessment")).to_be_visible(timeout=60_000)
            expect(stopper.locator('[data-testid="stSidebarNav"]')).to_have_count(0)  # no organiser menu
            stopper.get_by_role("button", name="Send me no more e-mails").click()
            expect(stopper.get_by_text("you will receive no more e-mails")).to_be_visible(timeout=60_000)

            page.goto(results)
            expect(page.get_by_role("heading", name="Invitations by e-mail")).to_be_visible(timeout=60_000)
            smtp_server.clear()
            remind = page.get_by_role("button", name="Remind those who have not answered")
            expect(remind).to_be_visible(timeout=120_000)  # the page draws its charts first on a loaded machine
            remind.click()
            expect(page.get_by_text("1 invitee reminded.")).to_be_visible(timeout=120_000)
            assert [to for to, _ in smtp_server.delivered()] == MARKETING  # not the one who answered or stopped
            main = page.locator('[data-testid="stMain"]').inner_text()
            assert not any(a in main for a in IT + MARKETING) and "/respond?" not in main
        finally:
            stop(process)
    server_log = log.read_text()
    links = [code for _, m in smtp_server.delivered() for code in LINK.findall(m.get_content())]
    for text in delivered.values():
        links += LINK.findall(text) + STOP.findall(text)
    assert not any(a in server_log for a in IT + MARKETING)
    assert not any(code in server_log for code in links)
