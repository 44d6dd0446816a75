"""Every face honours every question's declaration: the same defaults, minima and maxima -- with an
operator's caps applied on the server faces -- on the JSON API, the pages, the command line and the
SPARQL path extension.

The test walks :data:`painlink.graph.QUESTIONS` (a question added tomorrow is walked too) and, for
each bounded parameter, asks each face that answers the question four times: without it (the engine
must be asked with the declared default), at its maximum (answered, with that value), one above the
maximum and one below the minimum (refused, naming the parameter). What reaches the engine is read
by spying on :meth:`painlink.graph.Question.ask`, which every face calls.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pytest
from clients import client_for
from fastapi.testclient import TestClient

from painlink import cli
from painlink.graph import QUESTIONS, Knowledge, Parameter, Question, bounded
from painlink.service import api

#: A valid value for each required parameter, by question and name (the walk varies the others).
REQUIRED = {
    "from": "foot-pain", "to": "back-pain", "symptom": ["foot-numbness"], "for": "back-pain", "q": "foot",
    "focus": "foot-pain", "about": "foot-pain",
}
REQUIRED_BY_QUESTION = {("entity", "id"): "foot-pain", ("claim", "id"): "foot-pain--causes--altered-gait",
                        ("red_flags", "about"): ["foot-pain"]}
#: The operators' settings the server faces are walked with: the defaults, and small caps.
CONFIGURATIONS = {"default settings": {}, "max_path_length=3, max_answers=2": {"max_path_length": 3, "max_answers": 2}}
SHARED = Knowledge.shipped()


def required(question: Question) -> dict[str, object]:
    return {p.name: REQUIRED_BY_QUESTION.get((question.name, p.name), REQUIRED.get(p.name))
            for p in question.parameters if p.required}


def cases(question: Question) -> Iterator[tuple[str, dict[str, object], object, bool]]:
    """(what, values, the value the engine must get or None, answered?) for each bounded parameter."""
    base = required(question)
    for parameter in question.parameters:
        if parameter.type == "integer":
            low, high = parameter.minimum, parameter.maximum
            yield f"{parameter.name} left out", base, (parameter.name, parameter.default), True
            yield f"{parameter.name}={high}", {**base, parameter.name: high}, (parameter.name, high), True
            yield f"{parameter.name}={high + 1}", {**base, parameter.name: high + 1}, parameter.name, False
            yield f"{parameter.name}={low - 1}", {**base, parameter.name: low - 1}, parameter.name, False
        if parameter.max_items is not None:
            many = list(base[parameter.name]) * parameter.max_items
            yield f"{parameter.max_items} {parameter.name}", {**base, parameter.name: many}, None, True
            yield f"{parameter.max_items + 1} {parameter.name}", {**base, parameter.name: [*many, many[0]]}, \
                parameter.name, False
        if parameter.max_chars is not None and parameter.type == "string":
            yield f"{parameter.max_chars} characters", {**base, parameter.name: "x" * parameter.max_chars}, None, True
            yield f"{parameter.max_chars + 1} characters", {**base, parameter.name: "x" * (parameter.max_chars + 1)}, \
                parameter.name, False


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict]]:
    """The (question, checked values) every face's :meth:`Question.ask` call got, in order."""
    calls: list[tuple[str, dict]] = []
    original = Question.ask

    def spy(self: Question, knowledge, **values):
        calls.append((self.name, self.validate(values)))
        return original(self, knowledge, **values)

    monkeypatch.setattr(Question, "ask", spy)
    return calls


# --- how each face asks ------------------------------------------------------------------------------
def _query(question: Question, values: dict[str, object], path: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    pairs = []
    for name, value in values.items():
        if name not in path:
            pairs += [(name, str(item)) for item in (value if isinstance(value, list) else [value])]
    return pairs


def ask_api(client: TestClient, question: Question, values: dict[str, object]) -> tuple[bool, str]:
    route = next(path for path, name in api.ROUTES.items() if name == question.name)
    address = "/api" + route.replace("{id}", quote(str(values.get("id", "")), safe=""))
    response = client.get(address, params=_query(question, values, ("id",) if "{id}" in route else ()))
    assert response.status_code in (200, 422), (address, response.text)
    if response.status_code == 422:
        (problem,) = response.json()["detail"]
        return False, f"{problem['loc'][-1]}: {problem['msg']}"
    return True, ""


#: The page answering each question, as an address for its values (questions without a page: none).
PAGES: dict[str, Callable[[dict[str, object]], tuple[str, dict]]] = {
    "search": lambda v: ("/search", v),
    "entity": lambda v: ("/entity/" + quote(str(v["id"])), {k: x for k, x in v.items() if k != "id"}),
    "neighbourhood": lambda v: ("/graph", v),
    "paths": lambda v: ("/graph", v),
    "explain": lambda v: ("/explain", v),
    "interventions": lambda v: ("/interventions", v),
}


def ask_page(client: TestClient, question: Question, values: dict[str, object]) -> tuple[bool, str]:
    address, query = PAGES[question.name](values)
    response = client.get(address, params=_query(question, query))
    assert response.status_code in (200, 400), (address, response.status_code)
    return response.status_code == 200, response.text if response.status_code == 400 else ""


def ask_cli(question: Question, values: dict[str, object]) -> tuple[bool, str]:
    command = next(c for c in cli.COMMANDS if c.question == question.name)
    argv = [command.name]
    for parameter in question.parameters:
        if parameter.name not in values:
            continue
        value = values[parameter.name]
        items = [str(item) for item in (value if isinstance(value, list) else [value])]
        argv += items if parameter.required else [parameter.flag, *items]
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(argv, out=out, err=err)
    assert status in (0, 2), (argv, err.getvalue())
    return status == 0, err.getvalue()


def ask_sparql(client: TestClient, question: Question, values: dict[str, object]) -> tuple[bool, str]:
    inputs = " ; ".join(f"pl:{question.parameter(name).property_name} "
                        + (f"pli:{value}" if question.parameter(name).entity else str(value))
                        for name, value in values.items())
    query = ("PREFIX pl: <https://w3id.org/painlink/vocab#> PREFIX pli: <https://w3id.org/painlink/id/> "
             f"SELECT ?path WHERE {{ SERVICE <urn:painlink:paths> {{ [] {inputs} ; pl:path ?path }} }}")
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code in (200, 400), response.text
    return response.status_code == 200, response.text


# --- the walk ----------------------------------------------------------------------------------------
def walk(questions: dict[str, Question], face: Callable[[Question, dict], tuple[bool, str]], which: set[str],
         asked: list, refusal: Callable[[Parameter], str]) -> int:
    walked = 0
    for name in which:
        question = questions[name]
        for what, values, expected, answered in cases(question):
            asked.clear()
            ok, message = face(question, values)
            assert ok == answered, (name, what, message)
            if answered:
                assert asked and asked[0][0] == name, (name, what, "the face did not ask the declared question")
                if expected is not None:
                    parameter, value = expected
                    assert asked[0][1][parameter] == value, (name, what, asked[0][1])
            else:
                assert refusal(question.parameter(expected)) in message, (name, what, message)
            walked += 1
    return walked


@pytest.fixture(scope="module", params=list(CONFIGURATIONS), ids=list(CONFIGURATIONS))
def server(request: pytest.FixtureRequest) -> Iterator[tuple[dict, TestClient]]:
    caps = CONFIGURATIONS[request.param]
    with client_for(update_token=None, **caps) as client:
        yield bounded(QUESTIONS, client.app.state.settings.model_dump()), client


def test_the_json_api_honours_every_declaration(server, asked) -> None:
    questions, client = server
    which = set(api.ROUTES.values())
    assert walk(questions, lambda q, v: ask_api(client, q, v), which, asked, lambda p: f"{p.name}:") > 0


def test_the_pages_honour_every_declaration(server, asked) -> None:
    questions, client = server
    assert walk(questions, lambda q, v: ask_page(client, q, v), set(PAGES), asked, lambda p: f"“{p.name}”") > 0


def test_the_sparql_path_extension_honours_the_paths_declaration(server, asked) -> None:
    questions, client = server
    assert walk(questions, lambda q, v: ask_sparql(client, q, v), {"paths"}, asked,
                lambda p: f"pl:{p.property_name}:") > 0


def test_the_command_line_honours_every_declaration(asked, monkeypatch: pytest.MonkeyPatch) -> None:
    # One graph for every run (loading it is the slow part); the CLI has no operator caps.
    monkeypatch.setattr(cli.Context, "knowledge", property(lambda self: SHARED))
    which = {c.question for c in cli.COMMANDS if c.question}
    assert walk(QUESTIONS, ask_cli, which, asked,
                lambda p: f"{p.name.upper() if p.required else p.flag}:") > 0


def test_a_cap_lowers_maxima_and_defaults_alike_on_every_server_face() -> None:
    # The disagreements measured before: with max_path_length=3, /api/paths refused max_length=6 but
    # /graph drew with 8; 11 symptoms were fine for /api/explain and a 400 for /explain.
    served = bounded(QUESTIONS, {"max_path_length": 3, "max_answers": 2})
    assert served["paths"].parameter("max_length").maximum == 3
    assert served["paths"].parameter("max_length").default == 3
    assert served["explain"].parameter("limit").maximum == 2
    assert served["explain"].parameter("symptom").max_items == QUESTIONS["explain"].parameter("symptom").max_items
    with client_for(update_token=None, max_path_length=3) as client:
        chains = {"from": "foot-pain", "to": "back-pain", "max_length": 8}
        assert client.get("/api/paths", params=chains).status_code == 422
        assert client.get("/graph", params=chains).status_code == 400
        eleven = [("symptom", "foot-numbness")] * 11
        assert client.get("/api/explain", params=eleven).status_code == 200
        assert client.get("/explain", params=eleven).status_code == 200


# --- the OpenAPI document shows the server's bounds -------------------------------------------------
@pytest.mark.parametrize("caps", CONFIGURATIONS.values(), ids=CONFIGURATIONS.keys())
def test_openapi_bounds_are_the_servers_and_the_routes_enforce_them(caps: dict[str, int]) -> None:
    with client_for(update_token=None, **caps) as client:
        # default settings cap too (max_answers 50)
        served = bounded(QUESTIONS, client.app.state.settings.model_dump())
        document = client.get("/openapi.json").json()
        for path, name in api.ROUTES.items():
            question = served[name]
            parameters = {p["name"]: p for p in document["paths"][f"/api{path}"]["get"]["parameters"]}
            for parameter in question.parameters:
                if parameter.type != "integer" or parameter.name not in parameters:
                    continue
                bound = parameters[parameter.name]["schema"]["maximum"]
                assert bound == parameter.maximum, (path, parameter.name)
                if parameter.setting in caps:
                    assert bound == caps[parameter.setting], (path, parameter.name)
                if "{" in path:
                    continue
                base = [(k, v) for k, v in _query(question, required(question))]
                above = client.get(f"/api{path}", params=[*base, (parameter.name, str(bound + 1))])
                at = client.get(f"/api{path}", params=[*base, (parameter.name, str(bound))])
                assert above.status_code == 422, (path, parameter.name)
                assert above.json()["detail"][0]["loc"] == ["query", parameter.name]
                assert at.status_code == 200, (path, parameter.name, at.text)
