"""Finding every ``SERVICE <urn:painlink:paths>`` block of a query and checking what it asks."""

from __future__ import annotations

from painlink.service.sparql_lexer import tokenize

from .block import INPUTS, NAME_INPUTS, OUTPUTS, PL, PathCall, PathServiceError, SERVICE_IRI
from .reader import BlockReader, prologue, unescape

__all__ = ["find_calls"]


def _call(reader: BlockReader, start: int, end: int, silent: bool) -> PathCall:
    inputs: dict[str, str | int] = {}
    outputs: dict[str, str] = {}
    used: dict[str, str] = {}
    for predicate, token in reader.read():
        name = predicate[len(PL) :] if predicate.startswith(PL) else None
        if name not in INPUTS and name not in OUTPUTS:
            known = ", ".join(f"pl:{n}" for n in (*INPUTS, *OUTPUTS))
            raise reader.fail(f"unknown property <{predicate}>; the block takes {known}")
        if name in inputs or name in outputs:
            raise reader.fail(f"pl:{name} is given twice")
        if name in OUTPUTS:
            if token.kind != "var":
                raise reader.fail(
                    f"pl:{name} is an output: give it a variable (pl:{name} ?{name}), not {token.text}"
                )
            variable = token.text[1:]
            if variable in used:
                raise reader.fail(
                    f"?{variable} is bound by both pl:{used[variable]} and pl:{name}; use two variables"
                )
            used[variable] = name
            outputs[name] = variable
        elif name in NAME_INPUTS:
            if token.kind == "var":
                raise reader.fail(
                    f'pl:{name} needs an entity (pli:foot-pain or "foot pain"), not a variable: the '
                    "search runs before the rest of the query"
                )
            if token.kind == "number":
                raise reader.fail(
                    f'pl:{name} needs an entity (pli:foot-pain or "foot pain"), not {token.text}'
                )
            inputs[name] = unescape(token.text) if token.kind == "string" else reader.iri(token)
        else:
            if token.kind != "number" or not token.text.isdigit():
                raise reader.fail(f"pl:{name} needs a whole number (pl:{name} 4), not {token.text}")
            inputs[name] = int(token.text)
    for name in NAME_INPUTS:
        if name not in inputs:
            raise reader.fail(
                f"pl:{name} is missing; name where the chains {'start' if name == 'from' else 'end'}"
            )
    if not outputs:
        raise reader.fail("bind at least one output, e.g. pl:path ?path ; pl:subject ?s ; pl:object ?o")
    return PathCall(start, end, silent, inputs, outputs)


def find_calls(text: str) -> list[PathCall]:
    """Every ``SERVICE <urn:painlink:paths>`` block of a query, read and checked
    (:class:`PathServiceError` when one is malformed).

    >>> try:
    ...     find_calls('SELECT * { SERVICE <urn:painlink:paths> { [] <urn:x> 1 } }')
    ... except PathServiceError as error:
    ...     print(str(error).replace(", ", " "))  # doctest: +ELLIPSIS
    SERVICE <urn:painlink:paths>: unknown property <urn:x>; the block takes pl:from pl:to ... pl:warning
    """
    tokens = tokenize(text)
    prefixes, base = prologue(tokens)
    calls = []
    for index, token in enumerate(tokens):
        if token.keyword != "SERVICE":
            continue
        at = index + 1
        silent = at < len(tokens) and tokens[at].keyword == "SILENT"
        at += silent
        if at >= len(tokens) or tokens[at].kind != "iri" or tokens[at].text[1:-1] != SERVICE_IRI:
            continue
        opening = at + 1
        if opening >= len(tokens) or tokens[opening].text != "{":
            raise PathServiceError(f"SERVICE <{SERVICE_IRI}> must be followed by a {{ ... }} block")
        closing = next(
            (
                i
                for i in range(opening + 1, len(tokens))
                if tokens[i].text == "}"
                and tokens[i].kind == "punct"
                and tokens[i].depth == tokens[opening].depth
            ),
            None,
        )
        if closing is None:
            raise PathServiceError(f"the SERVICE <{SERVICE_IRI}> block is not closed with }}")
        reader = BlockReader(tokens[opening + 1 : closing], prefixes, base)
        calls.append(_call(reader, token.start, tokens[closing].end, silent))
    return calls
