"""Hostile data beyond markup (issue 6), in the real browser: control characters (NUL, BEL, ESC,
backspace, bidi override, zero-width), very long strings, ``javascript:`` addresses and an entity IRI
that carries quotes and an event handler, on every page, in the JSON API as a browser shows it, and
in the standalone export.

tests/browser/test_pages_browser.py already shows markup and script in labels, definitions, synonyms,
statements, summaries and titles (fixtures/hostile.ttl) as text on five pages; this module adds the
rest of the pages and the kinds of text above. A ``javascript:`` address cannot come in through a data
file (the shapes refuse it), so it is written with SPARQL Update, which a token holder can do.

The module's own server replaces the suite's ``served`` fixture, so the ``page`` fixture (every
request checked, no console or uncaught error) applies unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from servers import TOKEN, Server, launch
from test_pages_browser import READY, hover_node

from painlink.cli import main

pytestmark = pytest.mark.browser

HOSTILE = Path(__file__).parent / "fixtures" / "hostile.ttl"
LONG = "Ω<i>long</i>&amp; " * 1500
CONTROL = "ctrl\u0001\u0007\u001b[31mred\u0008\u202eevil\u200b\ufeffend"
STATEMENT = "line1\nline2\r\n\t\u0000tab " + LONG
SUMMARY = CONTROL + "')</script><script>window.__pwned='odd'</script>"
TITLE = "\u0000\u001f" + "T" * 5000
EVIL_ID = "evil'onmouseover='window.__pwned=1'"
PL = "https://w3id.org/painlink/vocab#"
PLI = "https://w3id.org/painlink/id/"
PREFIXES = """@prefix pl: <https://w3id.org/painlink/vocab#> .
@prefix pli: <https://w3id.org/painlink/id/> .
@prefix plc: <https://w3id.org/painlink/claim/> .
@prefix plv: <https://w3id.org/painlink/evidence/> .
@prefix pls: <https://w3id.org/painlink/source/> .
@prefix biolink: <https://w3id.org/biolink/vocab/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
"""


def literal(text: str) -> str:
    """A Turtle/SPARQL string literal for any text (control characters as \\u escapes)."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif ord(char) < 0x20 or char == "\x7f":
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def odd_data(folder: Path) -> Path:
    """Valid painlink data (it passes the shapes) whose text is control characters and very long."""
    path = folder / "odd.ttl"
    path.write_text(
        PREFIXES
        + f"pli:odd-cause a pl:Cause ; rdfs:label {literal(CONTROL)}@en ; skos:definition {literal(LONG)}@en ;\n"
        f"  skos:altLabel {literal('zz' + 'y' * 3000)}@en ; biolink:category biolink:Disease .\n"
        "pli:odd-cause pl:causes pli:back-pain .\n"
        "plc:odd-cause--causes--back-pain a pl:Claim ; rdf:subject pli:odd-cause ; rdf:predicate pl:causes ;\n"
        f"  rdf:object pli:back-pain ; pl:statement {literal(STATEMENT)} ; pl:hasEvidence plv:odd-1 .\n"
        'plv:odd-1 a pl:Evidence ; pl:source pls:odd-page ; pl:stance pl:Supports ; pl:citedClaim "H2" ;\n'
        f"  pl:summary {literal(SUMMARY)} .\n"
        f"pls:odd-page a pl:Source ; dcterms:title {literal(TITLE)} ; schema:url <https://example.org/odd> ; pl:sourceKind pl:PracticePage .\n"
    )
    return path


# javascript: addresses and an IRI with quotes, written past the shapes by a token holder.
UPDATE = f"""PREFIX pl: <{PL}> PREFIX pli: <{PLI}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX biolink: <https://w3id.org/biolink/vocab/>
DELETE DATA {{ <https://w3id.org/painlink/source/odd-page> schema:url <https://example.org/odd> }} ;
INSERT DATA {{
  <https://w3id.org/painlink/source/odd-page> schema:url <javascript:window.__pwned='source'> .
  pli:odd-cause skos:exactMatch <javascript:window.__pwned='mapping'> ; skos:closeMatch <javascript:alert(2)> .
  <javascript:window.__pwned='mapping'> rdfs:label "Click me" .
  <{PLI}{EVIL_ID}> a pl:Cause ; rdfs:label "evil id" ; biolink:category biolink:Disease ; pl:causes pli:back-pain .
  <https://w3id.org/painlink/claim/evil--causes--back-pain> a pl:Claim ; rdf:subject <{PLI}{EVIL_ID}> ;
    rdf:predicate pl:causes ; rdf:object pli:back-pain ; pl:statement "an evil claim" .
}}"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("hostile-server")
    server = launch(folder, "--data", str(HOSTILE), "--data", str(odd_data(folder)),
                               "--query-workers", "1", token=TOKEN)
    written = httpx.post(server.sparql_url, data={"update": UPDATE}, headers=server.auth)
    assert written.status_code == 204, written.text
    yield server
    server.stop()


def assert_inert(page) -> None:
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("window.__ran") is None
    # No address that runs script, no handler attribute, and the data's text is in no script that runs
    # (inline code is only the standalone export's own, pinned by hash in its policy).
    assert page.locator("[href^='javascript:' i], [src^='javascript:' i], [action^='javascript:' i]").count() == 0
    assert page.locator("[onmouseover], [onerror], [onload], [onfocus], img[src='x'], img[src='y']").count() == 0
    code = page.evaluate("[...document.querySelectorAll('script:not([src])')]"
                         ".filter(s => !s.type.endsWith('json')).map(s => s.text)")
    assert not any("__pwned" in text for text in code)


PAGES = [
    "/",
    "/search?q=ctrl",
    "/search?q=evil",
    "/entity/odd-cause",
    "/entity/back-pain",
    "/entity/" + quote(EVIL_ID, safe=""),
    "/explain?symptom=back-pain",
    "/interventions?for=back-pain",
    "/graph?focus=odd-cause",
    "/graph?from=odd-cause&to=back-pain",
    "/graph?focus=" + quote(EVIL_ID, safe=""),
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_shows_odd_text_as_text_and_runs_nothing(page, served, path):
    response = page.goto(served.base_url + path)
    assert response.status == 200, path
    if path.startswith("/graph"):
        page.wait_for_selector(READY, state="attached", timeout=15_000)
    assert_inert(page)
    text = page.locator("body").text_content()
    if "odd-cause" in path or path in ("/entity/back-pain", "/search?q=ctrl"):
        assert "ctrl" in text and "end" in text  # the label is there, control characters and all
    if path == "/entity/odd-cause":
        assert LONG.strip()[:200] in text  # long text shown as text, markup literally
        assert "Click me" in text or "javascript" in text  # the mapping is named, not linked
    for link in page.locator("a").all():
        href = link.get_attribute("href") or ""
        assert not href.lower().lstrip().startswith(("javascript:", "data:", "vbscript:")), href
    if path.startswith("/graph"):
        node = "odd-cause" if "odd-cause" in path else EVIL_ID
        hover_node(page, node)
        card = page.locator("div.vis-tooltip .hover-card")
        assert card.locator("a[href^='javascript:' i], img, script, svg").count() == 0
        assert_inert(page)


def test_the_evil_id_round_trips_through_links(page, served):
    page.goto(served.base_url + "/search?q=evil")
    page.locator("a.result-title", has_text="evil id").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Evil id")
    assert_inert(page)


def test_the_json_api_in_a_browser_is_data(page, served):
    for path in ("/api/entities/hostile-cause", "/api/entities/odd-cause", "/api/claims?about=odd-cause",
                 "/api/entities/" + quote(EVIL_ID, safe="")):
        response = page.goto(served.base_url + path)
        assert response.status == 200, path
        assert response.headers["content-type"].startswith("application/json")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert page.locator("img, svg, script, b").count() == 0
        assert page.evaluate("window.__pwned") is None


def test_the_standalone_export_keeps_odd_text_inert(page, tmp_path):
    exported = tmp_path / "painlink.html"
    data = odd_data(tmp_path)
    assert main(["--data", str(HOSTILE), "--data", str(data), "export", "--format", "html",
                 "--output", str(exported)]) == 0
    url = exported.as_uri()
    page.allow_file(url)
    page.goto(url)
    page.wait_for_selector(READY, state="attached", timeout=15_000)
    assert_inert(page)
    for node, shown in (("odd-cause", "ctrl"), ("hostile-cause", "<img src=x onerror=")):
        hover_node(page, node)
        card = page.locator("div.vis-tooltip .hover-card")
        assert shown in card.inner_text()
        assert card.locator("img, script, svg, b").count() == 0
        assert_inert(page)
