"""Reading a block's triples with the endpoint's SPARQL tokenizer: the prologue's prefixes and base,
literals unescaped, ``subject predicate object (, object)* (; ...)*``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urljoin

from painlink.service.sparql_lexer import Token

from .block import PathServiceError, SERVICE_IRI

__all__ = ["BlockReader", "prologue", "unescape"]


_STRING = re.compile(r"""^(?:'''|\"\"\"|'|")(.*?)(?:'''|\"\"\"|'|")$""", re.DOTALL)


_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def prologue(tokens: Sequence[Token]) -> tuple[dict[str, str], str | None]:
    prefixes: dict[str, str] = {}
    base = None
    for index, token in enumerate(tokens):
        if token.keyword == "PREFIX" and index + 2 < len(tokens) and tokens[index + 2].kind == "iri":
            prefixes[tokens[index + 1].text.rstrip(":")] = tokens[index + 2].text[1:-1]
        elif token.keyword == "BASE" and index + 1 < len(tokens) and tokens[index + 1].kind == "iri":
            base = tokens[index + 1].text[1:-1]
    return prefixes, base


def unescape(literal: str) -> str:
    body = _STRING.match(literal)
    text = body.group(1) if body else literal
    text = re.sub(
        r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", lambda m: chr(int(m.group(1) or m.group(2), 16)), text
    )
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


class BlockReader:
    """Reads the triples of one block: ``subject predicate object (, object)* (; predicate ...)* .``"""

    def __init__(self, tokens: Sequence[Token], prefixes: dict[str, str], base: str | None) -> None:
        self.tokens = list(tokens)
        self.at = 0
        self.prefixes = prefixes
        self.base = base
        self.pairs: list[tuple[str, Token]] = []

    def fail(self, message: str) -> PathServiceError:
        return PathServiceError(f"SERVICE <{SERVICE_IRI}>: {message}")

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def next(self, what: str) -> Token:
        token = self.peek()
        if token is None:
            raise self.fail(f"the block ends where {what} should be")
        self.at += 1
        return token

    def is_punct(self, text: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "punct" and token.text == text

    def iri(self, token: Token) -> str:
        if token.kind == "iri":
            value = token.text[1:-1]
            return urljoin(self.base, value) if self.base else value
        prefix, _, local = token.text.partition(":")
        if prefix not in self.prefixes:
            raise self.fail(
                f"the prefix {prefix}: in {token.text} is not declared; add PREFIX {prefix}: <...>"
            )
        return self.prefixes[prefix] + local

    def read(self) -> list[tuple[str, Token]]:
        subject = self.subject()
        self.properties(closing=None)
        while self.peek() is not None:
            if self.is_punct("."):
                self.at += 1
                continue
            other = self.subject()
            if other != subject or subject in ("[]", "[...]"):
                raise self.fail("one search per block; write a second SERVICE block for a second search")
            self.properties(closing=None)
        return self.pairs

    def subject(self) -> str:
        token = self.next("the subject ([], a blank node or a variable)")
        if token.kind == "punct" and token.text == "[":
            if self.is_punct("]"):
                self.at += 1
                return "[]"
            self.properties(closing="]")
            self.at += 1  # the ]
            return "[...]"
        if token.kind in ("bnode", "var"):
            return token.text
        raise self.fail(f"the subject must be [], a blank node or a variable, not {token.text}")

    def properties(self, closing: str | None) -> None:
        while True:
            token = self.peek()
            if token is None or (token.kind == "punct" and token.text in (closing or "", ".")):
                if closing is not None and token is None:
                    raise self.fail("a [ is not closed")
                return
            verb = self.next("a property")
            if verb.kind not in ("iri", "pname"):
                raise self.fail(f"expected a property such as pl:from, not {verb.text}")
            predicate = self.iri(verb)
            while True:
                self.pairs.append((predicate, self.object()))
                if not self.is_punct(","):
                    break
                self.at += 1
            if not self.is_punct(";"):
                following = self.peek()
                if following is None or (
                    following.kind == "punct" and following.text in (closing or "", ".")
                ):
                    return
                raise self.fail(f"expected ; or . after {verb.text} and its value, not {following.text}")
            while self.is_punct(";"):
                self.at += 1

    def object(self) -> Token:
        token = self.next("a value")
        if token.kind == "string":
            following = self.peek()
            if following is not None and following.kind == "langtag":
                self.at += 1
            elif following is not None and following.kind == "punct" and following.text == "^^":
                raise self.fail(
                    f"write numbers bare (pl:limit 3) and names as plain strings, not {token.text}^^..."
                )
        if token.kind not in ("string", "iri", "pname", "var", "number"):
            raise self.fail(f"unexpected {token.text!r} where a value should be")
        return token
