"""A handout to print, printed for real: chromium prints each page to PDF (``page.pdf()``, headless)
and pypdf reads the paper back. A printed page carries no controls, the evidence in full (closed
``<details>`` print open), each source with its address, the page's own address and the date."""

from __future__ import annotations

import datetime
import io
import re
import unicodedata

import pytest
from test_accessibility_browser import PAGES

pytestmark = pytest.mark.browser

READY = "#graph-canvas[data-ready='true']"

# What a reader could press, type into or choose on the screen, by the words it shows.
CONTROL_WORDS = """() => Array.from(document.querySelectorAll('button, nav a, label, select, input[type=submit], .skip-link'))
  .map(el => (el.innerText || el.value || '').trim()).filter(text => text.length >= 5)"""


def flat(text: str) -> str:
    """Text with its white space made single spaces (the PDF breaks lines where the paper does) and
    its ligatures undone (the paper's "ﬂ" is "fl")."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def tight(text: str) -> str:
    """Text with no white space at all (a long address breaks anywhere)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def print_page(page, url: str, artifacts, name: str) -> tuple[str, list[str]]:
    """Open ``url``, note its controls' words, print it to PDF; the paper's text and those words."""
    from pypdf import PdfReader

    response = page.goto(url)
    assert response.status == 200
    if page.locator("#graph-canvas").count():
        page.wait_for_selector(READY, state="attached", timeout=15_000)
    controls = page.evaluate(CONTROL_WORDS)
    assert page.locator("button[data-print]").count() == 1, "no “Print a handout” button"
    pdf = page.pdf(format="A4", margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"})
    (artifacts / f"{name}.pdf").write_bytes(pdf)
    paper = PdfReader(io.BytesIO(pdf))
    return "\n".join(sheet.extract_text() for sheet in paper.pages), controls


def print_days() -> tuple[str, str]:
    """The date a page rendered just now shows: today, or yesterday when the test runs across midnight."""
    today = datetime.date.today()
    return today.isoformat(), (today - datetime.timedelta(days=1)).isoformat()


def assert_a_handout(text: str, controls: list[str], url: str) -> None:
    printed = flat(text)
    assert controls, "the page showed no controls to leave out"
    left_in = [word for word in controls if flat(word) in printed]
    assert left_in == [], f"controls on the paper: {left_in}"
    assert any(f"Printed from painlink on {day}" in printed for day in print_days())
    assert tight(url) in tight(text), "the page's address is not on the paper"


def test_the_chains_from_wrong_shoes_to_back_pain_print_as_a_handout(page, served, knowledge, artifacts):
    url = served.base_url + "/graph?from=wrong-shoes&to=back-pain"
    text, controls = print_page(page, url, artifacts, "handout-chains")
    assert_a_handout(text, controls, url)
    printed, unbroken = flat(text), tight(text)
    result = knowledge.paths("wrong-shoes", "back-pain", limit=5)
    assert result.paths
    for path in result.paths:
        for node in path.nodes:
            assert flat(node.label) in printed
        for step in path.steps:
            claim = step.claim
            if claim.statement:
                assert flat(claim.statement) in printed
            # every piece of evidence in full, each source with its address
            for evidence in claim.evidence:
                assert flat(evidence.text) in printed, evidence.text
                if evidence.source.url and evidence.source.url.startswith(("https://", "http://")):
                    assert tight(evidence.source.url) in unbroken, evidence.source.url
    # the chains with their evidence once: the written-out drawing (the same claims) stays off the paper
    page.emulate_media(media="print")
    assert not page.locator("details.as-list").is_visible()


def test_explain_prints_each_candidate_with_its_evidence_open(page, served, knowledge, artifacts):
    url = served.base_url + "/explain?symptom=foot-numbness&symptom=foot-weakness"
    text, controls = print_page(page, url, artifacts, "handout-explain")
    assert_a_handout(text, controls, url)
    printed = flat(text)
    result = knowledge.explain(["foot-numbness", "foot-weakness"])
    explained = [how.paths[0].explanation for item in result.explanations for how in item.explained
                 if how.paths and how.paths[0].explanation]
    assert explained
    for explanation in explained:   # closed "Why, with the evidence" on the screen, open on paper
        assert flat(explanation) in printed


def test_interventions_print_the_evidence_for_and_against_with_addresses(page, served, knowledge, artifacts):
    url = served.base_url + "/interventions?for=back-pain"
    text, controls = print_page(page, url, artifacts, "handout-interventions")
    assert_a_handout(text, controls, url)
    printed = flat(text)
    claim = knowledge.claim("orthotic-shoes--relieves--back-pain")
    for evidence in claim.evidence:
        assert flat(evidence.text) in printed
        if evidence.source.url:
            assert tight(evidence.source.url) in tight(text)
    # a red-flag reminder, one line on the screen, prints with its questions
    questions = [q for alert in knowledge.interventions("back-pain").red_flags for q in alert.flag.questions]
    assert questions and all(flat(q) in printed for q in questions)


@pytest.mark.parametrize("name", [name for name in PAGES if name != "docs"])
def test_every_page_prints_without_controls_and_with_the_date(page, served, watch, name):
    response = page.goto(served.base_url + PAGES[name])
    if response.status != 200:  # an error page: chromium logs its status, and that is all
        assert len(watch.console_errors) == 1 and str(response.status) in watch.console_errors[0]
        watch.console_errors.clear()
    if page.locator("#graph-canvas").count():
        page.wait_for_selector(READY, state="attached", timeout=15_000)
    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => Array.from(document.querySelectorAll('nav, form, button, input, select, textarea'))
          .filter(el => el.checkVisibility()).map(el => el.outerHTML.slice(0, 80))"""
    )
    assert shown == [], f"{name} prints controls: {shown}"
    footer = page.locator(".site-footer .print-only")
    assert footer.is_visible() and any(day in footer.inner_text() for day in print_days())
    assert page.url in footer.inner_text()
