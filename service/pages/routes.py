"""The question pages: home, search, the drawn graph (whole, around an entity, the chains between
two), entity pages, explain and interventions. Path questions run in the path engine's threads under
its budget (:func:`painlink.service.questions.ask`)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from painlink.graph import Knowledge
from painlink.graph.knowledge import MAX_NEIGHBOURHOOD_NODES
from painlink.service.dependencies import get_knowledge
from painlink.service.drawing import from_subgraph
from painlink.service.questions import ask, served
from painlink.service.render import sentence

from .drawings import focus_drawing, graph_page, whole_drawing
from .errors import PageError, friendly
from .examples import EXAMPLE_QUESTIONS
from .parsing import one_value, required, values_of
from .rendering import ask_names, entity_names, render_page

__all__ = ["router"]


router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
@friendly
def home(request: Request) -> HTMLResponse:
    """What painlink is, a search box, example questions."""
    counts = get_knowledge(request).stats()
    return render_page("home.html", section="home", counts=counts, questions=EXAMPLE_QUESTIONS,
                       names=ask_names(get_knowledge(request)))


@router.get("/search", response_class=HTMLResponse)
@friendly
def search(request: Request) -> HTMLResponse:
    """Entities whose label or synonym matches ``q``."""
    query = required(request, "q", "Search for what?", "Type a word to search for, e.g. “sciatic nerve”.")
    knowledge = get_knowledge(request)
    hits = served(request, "search").ask(knowledge, **values_of(request, "search")).hits
    definitions = {hit.entity.id: knowledge.entity(hit.entity.id).definition for hit in hits}
    return render_page("search.html", query=query, results=hits, definitions=definitions)


@router.get("/graph", response_class=HTMLResponse)
async def graph(request: Request) -> HTMLResponse:
    """The drawn graph (a path question when it draws chains: in the path engine, under its budget)."""
    return await ask(request, _graph, request)


@friendly
def _graph(request: Request) -> HTMLResponse:
    """The drawn graph: whole, around ``focus`` (``depth`` steps), or the chains ``from`` -> ``to``."""
    knowledge = get_knowledge(request)
    focus, source, target = (one_value(request, name) for name in ("focus", "from", "to"))
    if focus and (source or target):
        raise PageError(400, "Cannot answer that", "Give either focus (what is around one entity) or from and "
                        "to (the chains between two), not both.")
    if bool(source) != bool(target):
        raise PageError(400, "Cannot answer that", "To draw chains, give both ends: /graph?from=foot-pain&to=back-pain.")
    if source and target:
        return _chains_page(request, knowledge, source, target)
    if focus:
        return _focus_page(request, knowledge, focus)
    return graph_page(
        knowledge, whole_drawing(knowledge), section="graph",
        intro="Every symptom, body part, cause and treatment painlink knows, and every link between them.",
    )


def _focus_page(request: Request, knowledge: Knowledge, focus: str) -> HTMLResponse:
    depth = values_of(request, "neighbourhood")["depth"]
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
    return graph_page(
        knowledge, drawing, section="graph", depth_links=depth_links, red_flags=knowledge.red_flags([centre.id]),
        intro=f"{sentence(centre.label)} and everything within {depth} relation{'s' if depth > 1 else ''} of it{nearest}. "
              "Its own page lists every claim with the evidence.",
    )


def _chains_page(request: Request, knowledge: Knowledge, source: str, target: str) -> HTMLResponse:
    values = values_of(request, "paths")
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
    return graph_page(
        knowledge, drawing, section=section, paths=result.paths, paths_note=note, red_flags=result.red_flags,
        path_from=result.source.label, path_to=result.target.label,
        path_from_label=result.source.label, path_to_label=result.target.label, max_length=max_length,
        no_path_hint="Try the other direction, a broader term, or draw what is around each of them.",
        intro=f"The chains of causes by which {result.source.label} can lead to {result.target.label}, "
              "strongest first, each step with its evidence.",
    )


@router.get("/entity/{name:path}", response_class=HTMLResponse)
@friendly
def entity(request: Request, name: str) -> HTMLResponse:
    """One entity: what it is, its mappings, every claim in and out with the evidence."""
    knowledge = get_knowledge(request)
    report = served(request, "entity").ask(knowledge, **values_of(request, "entity", id=name))
    found, claims = report.entity, report.claims
    return render_page(
        "entity.html",
        entity=found,
        red_flags=report.red_flags,
        claims_out=[claim for claim in claims if claim.subject.id == found.id],
        claims_in=[claim for claim in claims if claim.subject.id != found.id],
        entity_names=entity_names(knowledge),
    )


@router.get("/explain", response_class=HTMLResponse)
async def explain(request: Request) -> HTMLResponse:
    """The explain page: a path question, in the path engine under its budget."""
    return await ask(request, _explain, request)


@friendly
def _explain(request: Request) -> HTMLResponse:
    """Candidate causes of the observed ``symptom`` (repeated), best first, with the differentials."""
    symptoms = [value.strip() for value in request.query_params.getlist("symptom") if value.strip()]
    if not symptoms:
        # The bare page is the question's form; a filled form is an address (/explain?symptom=...).
        return render_page("ask.html", form="explain", title="What could explain these symptoms?",
                           names=ask_names(get_knowledge(request)))
    question = served(request, "explain")
    values = values_of(request, "explain")
    limit, most = values["limit"], question.parameter("limit").maximum
    result = question.ask(get_knowledge(request), **values)
    # Candidates that reach the symptoms only through a broader term ("foot problem") come apart,
    # unscored: the map says they lead to the broader problem, not to these symptoms in particular.
    broader = sorted({term.label for item in result.unspecific for term in item.broader_only})
    more = None
    if result.truncated and limit < most:
        more = "/explain?" + urlencode([("symptom", name) for name in symptoms] + [("limit", min(limit * 2, most))])
    return render_page("explain.html", result=result, broader=broader, limit=limit, more=more,
                       asked=symptoms, names=ask_names(get_knowledge(request)))


@router.get("/interventions", response_class=HTMLResponse)
async def interventions(request: Request) -> HTMLResponse:
    """The interventions page: a path question, in the path engine under its budget."""
    return await ask(request, _interventions, request)


@friendly
def _interventions(request: Request) -> HTMLResponse:
    """What acts on the chains into ``for``, with the evidence for and against each."""
    target = one_value(request, "for")
    if target is None:
        return render_page("ask.html", form="interventions", title="What helps, and who disagrees?",
                           names=ask_names(get_knowledge(request)))
    knowledge = get_knowledge(request)
    result = served(request, "interventions").ask(knowledge, **values_of(request, "interventions"))
    return render_page("interventions.html", result=result, names=ask_names(knowledge))
