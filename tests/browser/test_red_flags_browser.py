"""Red flags in the pages, in a real browser: the warning is the first thing a clinician reads, with what
to do, how urgently and who says so, before any ranking; reminders stay one line until opened."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_saddle_numbness_opens_the_page_with_an_emergency_banner(page, served, artifacts):
    page.goto(served.base_url + "/explain?symptom=saddle-numbness&symptom=urinary-hesitancy")
    banner = page.locator("main section.red-flags").first
    assert banner.is_visible()
    # before the heading and the ranking, in the first screenful
    assert banner.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    assert banner.bounding_box()["y"] < page.viewport_size["height"] / 3
    warning = banner.locator(".red-flag-warning").first
    text = warning.inner_text()
    assert "EMERGENCY" in text and "cauda equina" in text.lower() and "999" in text
    assert warning.locator(".source-kind", has_text="guideline").count() >= 1
    assert warning.locator("a[href^='https://apps.nhslothian.scot']").count() == 1
    page.screenshot(path=str(artifacts / "red-flag-explain.png"))


def test_a_reminder_is_one_line_until_opened(page, served):
    page.goto(served.base_url + "/interventions?for=back-pain")
    reminder = page.locator("details.red-flag-reminder").first
    assert reminder.is_visible()
    closed = reminder.bounding_box()["height"]
    assert not reminder.locator("li").first.is_visible()
    reminder.locator("summary").click()
    assert reminder.locator("li").first.is_visible()
    assert "genitals" in reminder.inner_text()
    assert reminder.bounding_box()["height"] > closed


def test_the_drop_foot_entity_page_opens_with_the_acute_foot_drop_urgency(page, served):
    page.goto(served.base_url + "/entity/foot-drop")
    warning = page.locator("section.red-flags .red-flag-warning").first
    assert "URGENT" in warning.inner_text() and "same day" in warning.inner_text()


def test_a_clinician_asks_their_own_question_from_the_home_page(page, served, artifacts):
    page.goto(served.base_url + "/")
    form = page.locator("form[action='/explain']")
    boxes = form.locator("input[name='symptom']")
    # the words of the physiotherapist's patient, as typed
    boxes.nth(0).fill("foot catches on the stairs")
    boxes.nth(1).fill("lower back ache")
    page.screenshot(path=str(artifacts / "home-ask.png"))
    form.locator("button[type='submit']").click()
    page.wait_for_url("**/explain?symptom=foot+catches+on+the+stairs&symptom=lower+back+ache**")
    assert "What could explain foot drop and low back pain?" in page.locator("h1").inner_text()
    # the urgency of sudden foot drop opens the answer
    assert "URGENT" in page.locator("section.red-flags .red-flag-warning").first.inner_text()
    page.screenshot(path=str(artifacts / "explain-asked.png"), full_page=False)


def test_the_search_page_finds_through_a_typo(page, served):
    page.goto(served.base_url + "/search?q=sciatic+nevre")
    assert page.locator("ul.results a.result-title").first.inner_text() == "sciatic nerve"


def test_a_printed_chain_page_is_a_handout(page, served, artifacts):
    page.goto(served.base_url + "/graph?from=flat-feet&to=back-pain")
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert page.locator("form:visible, button:visible").count() == 0
    assert page.locator(".print-only").first.is_visible() and "Printed from painlink on" in page.locator(".print-only").first.inner_text()
    # each cited source shows its address after its title
    link = page.locator("ul.evidence a[href^='http']").first
    after = page.evaluate("a => getComputedStyle(a, '::after').content", link.element_handle())
    assert link.get_attribute("href") in after
    page.screenshot(path=str(artifacts / "chains-print.png"))
    pdf = artifacts / "chains-handout.pdf"
    page.pdf(path=str(pdf))
    assert pdf.stat().st_size > 10_000
