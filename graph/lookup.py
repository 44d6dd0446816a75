"""Finding entities by what people call them: resolution of one name (id, IRI, CURIE, label or synonym,
case-insensitively) and partial search over labels and synonyms, with "did you mean" suggestions
(:mod:`difflib`) when nothing matches.

>>> from painlink.graph.model import Entity
>>> lookup = Lookup([
...     Entity("foot-drop", "https://w3id.org/painlink/id/foot-drop", "foot drop", "symptom",
...            synonyms=("trouble lifting the foot",)),
...     Entity("foot-pain", "https://w3id.org/painlink/id/foot-pain", "foot pain", "symptom"),
... ])
>>> lookup.resolve("Trouble  lifting the FOOT").id
'foot-drop'
>>> lookup.resolve("pli:foot-pain").id
'foot-pain'
>>> try:
...     lookup.resolve("foot pian")
... except UnknownEntityError as error:
...     print(error.suggestions)
['foot pain', 'foot drop']
>>> [(hit.entity.id, hit.matched) for hit in lookup.search("lift")]
[('foot-drop', 'trouble lifting the foot')]
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable

from painlink.ontology import NAMESPACES

from .exceptions import InvalidParameterError, UnknownEntityError
from .model import Entity, SearchHit

__all__ = ["AmbiguousEntityError", "Lookup", "normalise"]

MAX_SUGGESTIONS = 5


class AmbiguousEntityError(UnknownEntityError):
    """Raised when a synonym names more than one entity and no label settles it; ``suggestions``
    lists the candidates' labels."""

    def __init__(self, name: str, candidates: list[str]) -> None:
        super().__init__(name, candidates)
        self.args = (f"{name!r} could mean more than one entity: {', '.join(candidates)}; name one of them",)


def normalise(text: str) -> str:
    """Case-fold, and treat runs of spaces, hyphens and underscores as one space.

    >>> normalise("  Foot-Pain ") , normalise("foot_pain")
    ('foot pain', 'foot pain')
    """
    return re.sub(r"[\s\-_]+", " ", text.casefold()).strip()


class Lookup:
    """An index of entities by every name they go by."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities: dict[str, Entity] = {}
        self._by_iri: dict[str, Entity] = {}
        self._labels: dict[str, list[Entity]] = defaultdict(list)
        self._synonyms: dict[str, list[Entity]] = defaultdict(list)
        # name -> display text, for search and suggestions
        self._names: list[tuple[str, str, Entity]] = []
        for entity in sorted(entities, key=lambda e: e.id):
            self.entities[entity.id] = entity
            self._by_iri[entity.iri] = entity
            self._labels[normalise(entity.label)].append(entity)
            self._names.append((normalise(entity.label), entity.label, entity))
            for synonym in entity.synonyms:
                self._synonyms[normalise(synonym)].append(entity)
                self._names.append((normalise(synonym), synonym, entity))
        self._by_id_normalised = {normalise(e.id): e for e in self.entities.values()}

    def get(self, name: str) -> Entity | None:
        """The entity ``name`` names exactly, or None; raises :class:`AmbiguousEntityError`."""
        text = name.strip()
        if text in self.entities:
            return self.entities[text]
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        if text in self._by_iri:
            return self._by_iri[text]
        prefix, colon, local = text.partition(":")
        if colon and prefix in NAMESPACES and not local.startswith("//"):
            expanded = NAMESPACES[prefix] + local
            if expanded in self._by_iri:
                return self._by_iri[expanded]
        key = normalise(text)
        if key in self._by_id_normalised:
            return self._by_id_normalised[key]
        for table in (self._labels, self._synonyms):
            found = {e.id: e for e in table.get(key, ())}
            if len(found) == 1:
                return next(iter(found.values()))
            if len(found) > 1:
                raise AmbiguousEntityError(name, sorted(e.label for e in found.values()))
        return None

    def resolve(self, name: str) -> Entity:
        """The entity ``name`` names; :class:`UnknownEntityError` with suggestions when none does."""
        if not isinstance(name, str) or not name.strip():
            raise InvalidParameterError("name", "give the name, id or IRI of an entity")
        entity = self.get(name)
        if entity is None:
            raise UnknownEntityError(name, self.suggest(name))
        return entity

    def suggest(self, name: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
        """Labels of the entities whose names are closest to ``name``, best first."""
        key = normalise(name)
        names = [n for n, _, _ in self._names]
        owners: dict[str, list[Entity]] = defaultdict(list)
        for n, _, entity in self._names:
            owners[n].append(entity)
        labels: list[str] = []
        for match in difflib.get_close_matches(key, names, n=limit * 3, cutoff=0.6):
            for entity in owners[match]:
                if entity.label not in labels:
                    labels.append(entity.label)
        if len(labels) < limit:
            # Nothing spelled alike: fall back on names that share a word with the query.
            for hit in self.search(name, limit=limit):
                if hit.entity.label not in labels:
                    labels.append(hit.entity.label)
        return labels[:limit]

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Entities whose label or a synonym contains ``text`` (or all its words), best first.

        Score: 1.0 the whole name, 0.9 the start of it, 0.8 the start of a word in it, 0.6 anywhere
        in it, 0.4 every word of ``text`` somewhere in it; labels beat synonyms on a tie.
        """
        if not isinstance(limit, int) or limit < 1:
            raise InvalidParameterError("limit", "must be a whole number of at least 1")
        key = normalise(text)
        if not key:
            raise InvalidParameterError("text", "give some text to search for")
        words = key.split()
        best: dict[str, SearchHit] = {}
        for name, shown, entity in self._names:
            score = _match_score(key, words, name)
            if score == 0:
                continue
            if name == normalise(entity.label):
                score += 0.01  # the label is the name people see: prefer it when a synonym scores the same
            current = best.get(entity.id)
            if current is None or score > current.score:
                best[entity.id] = SearchHit(entity.ref, shown, round(score, 2))
        return sorted(best.values(), key=lambda h: (-h.score, h.entity.label))[:limit]


def _match_score(key: str, words: list[str], name: str) -> float:
    if name == key:
        return 1.0
    if name.startswith(key):
        return 0.9
    if f" {key}" in f" {name}":
        return 0.8
    if key in name:
        return 0.6
    if len(words) > 1 and all(word in name for word in words):
        return 0.4
    return 0.0
