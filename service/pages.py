"""The HTML pages: home, search, the drawn graph (whole, around an entity, paths between two),
entity pages, explain and interventions answers, the SPARQL editor, and the static files they use.

Every page is a Jinja template rendered with autoescaping (:func:`painlink.service.render.environment`)
and sent with the security headers of :data:`SECURITY_HEADERS`: a Content-Security-Policy that lets a
page load only this server's own scripts and styles (no inline script at all: the graph data travels
as a JSON block that ``static/graph.js`` reads), ``nosniff`` and no framing. Nothing is fetched from
another host, so the pages work offline.

Bad parameters get a 400 page saying what was wrong, unknown entities a 404 page with suggestions:
pages read their query parameters from the question declarations (:data:`painlink.graph.QUESTIONS`,
with the server's caps: :func:`painlink.service.questions.served`), so a page takes the same names,
defaults and bounds as the API (FastAPI's 422 JSON is for the API, not for a person).

Wiring: ``pages.install(app)`` includes :data:`router` and registers :func:`sparql_page` as
``app.state.sparql_page``, which the SPARQL endpoint calls when a browser asks ``/sparql`` for HTML.
The pages read the graph facade through :func:`painlink.service.dependencies.get_knowledge`.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse

from painlink import __version__
from painlink.graph import QUESTIONS, Knowledge, Question
from painlink.graph.exceptions import InvalidParameterError, UnknownEntityError
from painlink.graph.knowledge import MAX_NEIGHBOURHOOD_NODES
from painlink.service.dependencies import get_knowledge
from painlink.service.drawing import Drawing, cap, from_subgraph
from painlink.service.questions import ask, served
from painlink.service.render import STATIC_DIR, environment, graph_data, sentence, standalone

__all__ = [
    "MAX_DRAWN_NODES",
    "SECURITY_HEADERS",
    "SPARQL_PAGE_HEADERS",
    "PageError",
    "capped_message",
    "error_page",
    "focus_drawing",
    "install",
    "render_page",
    "router",
    "sparql_page",
    "standalone_html",
    "whole_drawing",
]

def _policy(style_src: str) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            f"style-src {style_src}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )


#: Headers on every page. Scripts and styles come only from this server; the graph's data travels
#: as a JSON block, so no inline script is needed anywhere. ``img-src data:`` is for vis-network's
#: navigation icons (CSS data URIs). Outbound links (ontology pages, cited sources) are plain links.
SECURITY_HEADERS = {
    "Content-Security-Policy": _policy("'self'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
#: The SPARQL editor's page: the same, except that YASGUI's results table (its column resizer) adds a
#: ``<style>`` element at run time, so styles may be inline there. Scripts stay 'self' only.
SPARQL_PAGE_HEADERS = {**SECURITY_HEADERS, "Content-Security-Policy": _policy("'self' 'unsafe-inline'")}

#: The most nodes one drawing shows; a larger view is cut down (best connected first) with a note.
MAX_DRAWN_NODES = 250

#: The home page's questions, each a link to the page that answers it.
EXAMPLE_QUESTIONS = [
    {"text": "How can foot pain lead to back pain?", "href": "/graph?from=foot-pain&to=back-pain",
     "note": "The chains of causes, step by step, with the article's words at each step."},
    {"text": "What could explain numbness and weakness in the foot?",
     "href": "/explain?symptom=foot-numbness&symptom=foot-weakness",
     "note": "Candidate origins, what each explains, and the signs that tell them apart."},
    {"text": "What helps back pain, and who disagrees?", "href": "/interventions?for=back-pain",
     "note": "Treatments with the evidence for them and against them, side by side."},
]

# Only these kinds of file are served from static/, with these types (nosniff makes them binding).
_STATIC_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
}
_LICENCE_NAMES = {"LICENSE-MIT", "LICENSE-APACHE-2.0"}


class PageError(Exception):
    """Raised by a page handler when the request cannot be answered: a bad or missing parameter
    (400) or an unknown entity (404). It carries what the error page says."""

    def __init__(self, status: int, heading: str, message: str, *, hint: str = "",
                 suggestions: list[Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.heading = heading
        self.message = message
        self.hint = hint
        self.suggestions = suggestions or []


router = APIRouter(include_in_schema=False)


def install(app: FastAPI) -> None:
    """Serve the pages and static files on ``app``; hand the SPARQL endpoint its browser page and the
    app's error handlers the error page a browser gets (an unknown address, say)."""
    app.include_router(router)
    app.state.sparql_page = sparql_page
    app.state.error_page = app_error_page


def app_error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """The page for an error the app's handlers meet on a page route (``app.state.error_page``)."""
    heading = {404: "Not found", 405: "Not allowed"}.get(status, "Something went wrong" if status >= 500 else "Cannot answer that")
    return error_page(PageError(status, heading, message[:1].upper() + message[1:]))


def render_page(name: str, status: int = 200, headers: dict[str, str] = SECURITY_HEADERS, **context: Any) -> HTMLResponse:
    """Render template ``name`` into a response carrying the security headers."""
    # The date goes on every page for its printed copy (a handout says when it was printed).
    html = environment().get_template(name).render(
        {"section": "", "query": "", "printed_on": datetime.date.today().isoformat(), **context}
    )
    return HTMLResponse(html, status_code=status, headers=headers)


def error_page(error: PageError) -> HTMLResponse:
    """The friendly page for a :class:`PageError`."""
    return render_page(
        "error.html", status=error.status, heading=error.heading, message=error.message,
        hint=error.hint, suggestions=error.suggestions,
    )


def _friendly(handler: Callable[..., HTMLResponse]) -> Callable[..., HTMLResponse]:
    """Turn the errors a page can meet into pages that say what was wrong: a bad parameter (400),
    an unknown entity (404, with the closest names)."""

    @functools.wraps(handler)
    def wrapper(*args: Any, **kwargs: Any) -> HTMLResponse:
        try:
            return handler(*args, **kwargs)
        except PageError as error:
            return error_page(error)
        except UnknownEntityError as error:
            return error_page(PageError(
                404, "Not in the map", f"The map has nothing called “{error.name}”.",
                hint="Search for a lay word (“sciatica”, “flat feet”) or look at the whole map.",
                suggestions=error.suggestions,
            ))
        except InvalidParameterError as error:
            return error_page(PageError(400, "Cannot answer that", f"“{error.field}” {error.reason}."))

    return wrapper


def _parameter(request: Request, name: str) -> str | None:
    """One query parameter, stripped (None when absent or blank); repeating it is an error."""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise PageError(400, "Cannot answer that", f"The parameter “{name}” was given {len(values)} times; give it once.")
    return values[0].strip() if values and values[0].strip() else None


def _required(request: Request, name: str, heading: str, message: str) -> str:
    """A parameter the page cannot do without; its absence is a 400 saying what to give."""
    value = _parameter(request, name)
    if value is None:
        raise PageError(400, heading, message)
    return value


def _values(request: Request, name: str, **path: str) -> dict[str, Any]:
    """The checked values of question ``name``'s parameters from the address (``path``: those in the
    path), with this server's caps; a bad one is a 400 page saying which and why (:func:`_friendly`)."""
    question = served(request, name)
    raw: dict[str, Any] = dict(path)
    for parameter in question.parameters:
        if parameter.name in path:
            continue
        if parameter.type == "strings":
            raw[parameter.name] = request.query_params.getlist(parameter.name)
        else:
            raw[parameter.name] = _parameter(request, parameter.name)
    return question.validate(raw)


def _ask_names(knowledge: Knowledge) -> list[str]:
    """Labels and the words people use, for the question forms' autocomplete (capped like the pickers);
    made once per graph version, not on every page."""

    return knowledge.names(synonyms=True)[:3000]


def _entity_names(knowledge: Knowledge) -> list[str]:
    """Labels for the pages' name pickers (a datalist; capped so a huge graph stays a small page)."""
    return knowledge.names()[:2000]


def capped_message(drawing: Drawing) -> str:
    """What a capped drawing left out and how to narrow the view ("" when nothing was left out)."""
    if not drawing.capped:
        return ""
    return (
        f"This view holds {drawing.total_nodes:,} entities and {drawing.total_edges:,} relations, too many to "
        f"draw usefully. The drawing shows {len(drawing.nodes):,} of the entities (the best connected and "
        f"those linked to them) and the {len(drawing.edges):,} relations among them; it leaves out "
        f"{drawing.total_nodes - len(drawing.nodes):,} "
        f"entities and {drawing.total_edges - len(drawing.edges):,} relations. To narrow the view, search for "
        "an entity and draw what is around it (/graph?focus=ID&depth=1), or draw the chains between two "
        "(/graph?from=ID&to=ID)."
    )


def _graph_page(knowledge: Knowledge, drawing: Drawing, *, section: str, **context: Any) -> HTMLResponse:
    shown = cap(drawing, MAX_DRAWN_NODES)
    return render_page(
        "graph.html",
        section=section,
        drawing=shown,
        graph_data=graph_data(shown),
        capped_message=capped_message(shown),
        claims=[edge.claim for edge in shown.edges if edge.claim is not None],
        entity_names=_entity_names(knowledge),
        links=True,
        **{"intro": "", "path_from": "", "path_to": "", "depth_links": [], "paths": None, "red_flags": (),
           **context},
    )


@router.get("/", response_class=HTMLResponse)
@_friendly
def home(request: Request) -> HTMLResponse:
    """What painlink is, a search box, example questions."""
    counts = get_knowledge(request).stats()
    return render_page("home.html", section="home", counts=counts, questions=EXAMPLE_QUESTIONS,
                       names=_ask_names(get_knowledge(request)))


@router.get("/search", response_class=HTMLResponse)
@_friendly
def search(request: Request) -> HTMLResponse:
    """Entities whose label or synonym matches ``q``."""
    query = _required(request, "q", "Search for what?", "Type a word to search for, e.g. “sciatic nerve”.")
    knowledge = get_knowledge(request)
    hits = served(request, "search").ask(knowledge, **_values(request, "search")).hits
    definitions = {hit.entity.id: knowledge.entity(hit.entity.id).definition for hit in hits}
    return render_page("search.html", query=query, results=hits, definitions=definitions)


@router.get("/graph", response_class=HTMLResponse)
async def graph(request: Request) -> HTMLResponse:
    """The drawn graph (a path question when it draws chains: in the path engine, under its budget)."""
    return await ask(request, _graph, request)


@_friendly
def _graph(request: Request) -> HTMLResponse:
    """The drawn graph: whole, around ``focus`` (``depth`` steps), or the chains ``from`` -> ``to``."""
    knowledge = get_knowledge(request)
    focus, source, target = (_parameter(request, name) for name in ("focus", "from", "to"))
    if focus and (source or target):
        raise PageError(400, "Cannot answer that", "Give either focus (what is around one entity) or from and "
                        "to (the chains between two), not both.")
    if bool(source) != bool(target):
        raise PageError(400, "Cannot answer that", "To draw chains, give both ends: /graph?from=foot-pain&to=back-pain.")
    if source and target:
        return _chains_page(request, knowledge, source, target)
    if focus:
        return _focus_page(request, knowledge, focus)
    return _graph_page(
        knowledge, whole_drawing(knowledge), section="graph",
        intro="Every symptom, body part, cause and treatment painlink knows, and every link between them.",
    )


def whole_drawing(knowledge: Knowledge) -> Drawing:
    """Every entity and relation (before capping)."""
    return from_subgraph(knowledge.subgraph(), "The whole map")


def focus_drawing(knowledge: Knowledge, focus: str, depth: int, question: Question = QUESTIONS["neighbourhood"]) -> Drawing:
    """``focus`` (any name the facade resolves) and everything within ``depth`` relations of it (the
    ``neighbourhood`` question, as ``question`` declares it: a server passes its bounded one)."""
    around = question.ask(knowledge, focus=focus, depth=depth)
    return from_subgraph(
        knowledge.subgraph([around.center.id, *(node.id for node in around.nodes)]),
        f"Around {around.center.label}", focus=(around.center.id,),
    )


def _focus_page(request: Request, knowledge: Knowledge, focus: str) -> HTMLResponse:
    depth = _values(request, "neighbourhood")["depth"]
    deepest = served(request, "neighbourhood").parameter("depth").maximum
    drawing = focus_drawing(knowledge, focus, depth, served(request, "neighbourhood"))
    centre = next(node for node in drawing.nodes if node.id == drawing.focus[0])
    depth_links = [
        {"text": f"{n} step{'s' if n > 1 else ''} around", "current": n == depth,
         "href": f"/graph?focus={quote(centre.id, safe='')}&depth={n}"}
        for n in range(1, deepest + 1)
    ]
    nearest = (f" (the nearest {MAX_NEIGHBOURHOOD_NODES} only: draw fewer steps to see all of them)"
               if len(drawing.nodes) >= MAX_NEIGHBOURHOOD_NODES else "")
    return _graph_page(
        knowledge, drawing, section="graph", depth_links=depth_links, red_flags=knowledge.red_flags([centre.id]),
        intro=f"{sentence(centre.label)} and everything within {depth} relation{'s' if depth > 1 else ''} of it{nearest}. "
              "Its own page lists every claim with the evidence.",
    )


def _chains_page(request: Request, knowledge: Knowledge, source: str, target: str) -> HTMLResponse:
    values = _values(request, "paths")
    max_length = values["max_length"]
    result = served(request, "paths").ask(knowledge, **values)
    nodes = [node.id for path in result.paths for node in path.nodes] or [result.source.id, result.target.id]
    drawing = from_subgraph(
        knowledge.subgraph(nodes), f"From {result.source.label} to {result.target.label}",
        focus=(result.source.id, result.target.id), paths=[path.claims for path in result.paths],
    )
    note = ""
    if result.truncated:
        note = ("The search stopped at a limit (" + ", ".join(result.truncated_reasons) + "): longer or "
                "weaker chains may exist; raise max_length or limit in the address to see more.")
    section = "paths" if (result.source.id, result.target.id) == ("foot-pain", "back-pain") else "graph"
    return _graph_page(
        knowledge, drawing, section=section, paths=result.paths, paths_note=note, red_flags=result.red_flags,
        path_from=result.source.label, path_to=result.target.label,
        path_from_label=result.source.label, path_to_label=result.target.label, max_length=max_length,
        no_path_hint="Try the other direction, a broader term, or draw what is around each of them.",
        intro=f"The chains of causes by which {result.source.label} can lead to {result.target.label}, "
              "strongest first, each step with its evidence.",
    )


@router.get("/entity/{name:path}", response_class=HTMLResponse)
@_friendly
def entity(request: Request, name: str) -> HTMLResponse:
    """One entity: what it is, its mappings, every claim in and out with the evidence."""
    knowledge = get_knowledge(request)
    report = served(request, "entity").ask(knowledge, **_values(request, "entity", id=name))
    found, claims = report.entity, report.claims
    return render_page(
        "entity.html",
        entity=found,
        red_flags=report.red_flags,
        claims_out=[claim for claim in claims if claim.subject.id == found.id],
        claims_in=[claim for claim in claims if claim.subject.id != found.id],
        entity_names=_entity_names(knowledge),
    )


@router.get("/explain", response_class=HTMLResponse)
async def explain(request: Request) -> HTMLResponse:
    """The explain page: a path question, in the path engine under its budget."""
    return await ask(request, _explain, request)


@_friendly
def _explain(request: Request) -> HTMLResponse:
    """Candidate causes of the observed ``symptom`` (repeated), best first, with the differentials."""
    symptoms = [value.strip() for value in request.query_params.getlist("symptom") if value.strip()]
    if not symptoms:
        # The bare page is the question's form; a filled form is an address (/explain?symptom=...).
        return render_page("ask.html", form="explain", title="What could explain these symptoms?",
                           names=_ask_names(get_knowledge(request)))
    question = served(request, "explain")
    values = _values(request, "explain")
    limit, most = values["limit"], question.parameter("limit").maximum
    result = question.ask(get_knowledge(request), **values)
    # Candidates that reach the symptoms only through a broader term ("foot problem") come apart,
    # unscored: the map says they lead to the broader problem, not to these symptoms in particular.
    broader = sorted({term.label for item in result.unspecific for term in item.broader_only})
    more = None
    if result.truncated and limit < most:
        more = "/explain?" + urlencode([("symptom", name) for name in symptoms] + [("limit", min(limit * 2, most))])
    return render_page("explain.html", result=result, broader=broader, limit=limit, more=more,
                       asked=symptoms, names=_ask_names(get_knowledge(request)))


@router.get("/interventions", response_class=HTMLResponse)
async def interventions(request: Request) -> HTMLResponse:
    """The interventions page: a path question, in the path engine under its budget."""
    return await ask(request, _interventions, request)


@_friendly
def _interventions(request: Request) -> HTMLResponse:
    """What acts on the chains into ``for``, with the evidence for and against each."""
    target = _parameter(request, "for")
    if target is None:
        return render_page("ask.html", form="interventions", title="What helps, and who disagrees?",
                           names=_ask_names(get_knowledge(request)))
    knowledge = get_knowledge(request)
    result = served(request, "interventions").ask(knowledge, **_values(request, "interventions"))
    return render_page("interventions.html", result=result, names=_ask_names(knowledge))


def standalone_html(knowledge: Knowledge, focus: str | None = None,
                    depth: int = QUESTIONS["neighbourhood"].parameter("depth").default) -> str:
    """One offline HTML file of the whole map, or of what is around ``focus``: the drawing (capped
    like the pages), its legend and every drawn claim with its evidence, all assets inlined.
    ``painlink export --format html`` writes it.
    """
    depth = QUESTIONS["neighbourhood"].parameter("depth").coerce(depth)
    drawing = focus_drawing(knowledge, focus, depth) if focus else whole_drawing(knowledge)
    shown = cap(drawing, MAX_DRAWN_NODES)
    return standalone(
        shown,
        claims=[edge.claim for edge in shown.edges if edge.claim is not None],
        capped_message=capped_message(shown),
        version=__version__,
        exported_on=datetime.date.today().isoformat(),
    )


@router.api_route("/static/{name:path}", methods=["GET", "HEAD"], response_model=None)
def static_file(name: str) -> FileResponse | HTMLResponse:
    """A vendored or own asset from ``service/static`` (scripts, styles, their licences)."""
    if "\x00" in name:  # no file has one; os.stat would raise ValueError (a 500) on it
        return error_page(PageError(404, "Not found", "There is no such file here."))
    path = (STATIC_DIR / name).resolve()
    media_type = _STATIC_TYPES.get(path.suffix, "text/plain; charset=utf-8" if path.name in _LICENCE_NAMES else None)
    if not path.is_relative_to(STATIC_DIR) or not path.is_file() or media_type is None:
        return error_page(PageError(404, "Not found", f"There is no file called {name!r} here."))
    return FileResponse(
        path, media_type=media_type,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=3600"},
    )


def sparql_page(request: Request, query: str | None = None) -> HTMLResponse:
    """The SPARQL editor page; the endpoint calls this when a browser asks ``/sparql`` for HTML.

    ``query``, if given, is put in the editor (a browser following a link with ``?query=``).
    """
    return render_page(
        "sparql.html", headers=SPARQL_PAGE_HEADERS, section="sparql", endpoint=str(request.url.path) or "/sparql",
        initial_query=query or "", examples=SPARQL_EXAMPLES,
    )


_PREFIXES = """PREFIX pl: <https://w3id.org/painlink/vocab#>
PREFIX pli: <https://w3id.org/painlink/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

SPARQL_EXAMPLES: list[dict[str, str]] = [
    {
        "title": "Every claim in words",
        "note": "Each claim with its subject, relation and object by name, and the statement it makes.",
        "query": _PREFIXES + """
SELECT (STR(?s_) AS ?subject) (STR(?p_) AS ?relation) (STR(?o_) AS ?object) ?statement WHERE {
  ?claim a pl:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; pl:statement ?statement .
  ?s rdfs:label ?s_ . ?p rdfs:label ?p_ . ?o rdfs:label ?o_ .
}
ORDER BY ?subject ?object""",
    },
    {
        "title": "Disputed claims: where the sources disagree",
        "note": "Claims that have evidence supporting them and evidence contradicting them.",
        "query": _PREFIXES + """
SELECT (STR(?s_) AS ?subject) (STR(?p_) AS ?relation) (STR(?o_) AS ?object)
       (COUNT(DISTINCT ?for) AS ?supporting) (COUNT(DISTINCT ?against) AS ?contradicting)
WHERE {
  ?claim rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
         pl:hasEvidence ?for, ?against .
  ?for pl:stance pl:Supports . ?against pl:stance pl:Contradicts .
  ?s rdfs:label ?s_ . ?p rdfs:label ?p_ . ?o rdfs:label ?o_ .
}
GROUP BY ?s_ ?p_ ?o_""",
    },
    {
        "title": "Ranked chains from foot pain to back pain",
        "note": "painlink's path extension: SERVICE <urn:painlink:paths> runs the causal-path engine inside the "
                "query, one row per step of each chain, best chain first (the same chains as the drawing).",
        "query": _PREFIXES + """
SELECT ?path ?step (STR(?s_) AS ?subject) (STR(?p_) AS ?relation) (STR(?o_) AS ?object) ?score WHERE {
  SERVICE <urn:painlink:paths> {
    [] pl:from pli:foot-pain ; pl:to pli:back-pain ; pl:limit 3 ;
       pl:path ?path ; pl:step ?step ; pl:subject ?s ; pl:predicate ?p ; pl:object ?o ; pl:score ?score .
  }
  ?s rdfs:label ?s_ . ?p rdfs:label ?p_ . ?o rdfs:label ?o_ .
}
ORDER BY ?path ?step""",
    },
    {
        "title": "Everything foot pain can lead to",
        "note": "A property path over the causal relations, any number of steps.",
        "query": _PREFIXES + """
SELECT DISTINCT (STR(?label) AS ?effect) WHERE {
  pli:foot-pain (pl:causes|pl:contributesTo|pl:mayCause|pl:associatedWith)+ ?e .
  ?e rdfs:label ?label .
}
ORDER BY ?effect""",
    },
]
