"""Finding entities by what people call them: resolution of one name (id, IRI, CURIE, label or synonym,
case-insensitively; then, when nothing is named exactly, word by word, forgiving typos and word order)
and search over labels and synonyms, with "did you mean" suggestions when nothing matches.

The fuzzy part is :mod:`rapidfuzz` (token-set and token-sort ratios over the words that carry meaning:
"my", "the", "in" ... are left out), not hand-written edit distance. A fuzzy match resolves a name only
when it is close (``RESOLVE_SCORE``) and clearly ahead of the next entity (``RESOLVE_MARGIN``); otherwise
the name is unknown and the close matches are suggested -- a health question must not silently become
another one.

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
>>> lookup.resolve("pain in my foot").id          # word order and filler words
'foot-pain'
>>> lookup.resolve("foot pian").id                # a typo
'foot-pain'
>>> try:
...     lookup.resolve("knee")
... except UnknownEntityError as error:
...     print(error.suggestions)
[]
>>> [(hit.entity.id, hit.matched) for hit in lookup.search("lift")]
[('foot-drop', 'trouble lifting the foot')]
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz, process

from painlink.ontology import NAMESPACES

from .exceptions import InvalidParameterError, UnknownEntityError
from .model import Entity, SearchHit
from .spelling import ALL_WORDS, closeness, match_score, meaning, normalise

__all__ = [
    "DEFAULT_SEARCH_LIMIT",
    "MAX_SEARCH_CHARACTERS",
    "RESOLVE_MARGIN",
    "RESOLVE_SCORE",
    "AmbiguousEntityError",
    "Lookup",
    "normalise",
]

#: Hits a search answers unless asked for another number, and the longest text it takes.
DEFAULT_SEARCH_LIMIT = 20
MAX_SEARCH_CHARACTERS = 200
MAX_SUGGESTIONS = 5
#: A fuzzy match (0-100) at least this close resolves a name ...
RESOLVE_SCORE = 85
#: ... when the next entity's best match is at least this much further away.
RESOLVE_MARGIN = 7
#: Below this a name is not even suggested.
SUGGEST_SCORE = 60
#: A search lists fuzzy matches this close after its literal ones, when it has fewer literal ones than this.
FUZZY_SEARCH_SCORE = 75
FUZZY_WHEN_FEWER = 3
class AmbiguousEntityError(UnknownEntityError):
    """Raised when a synonym names more than one entity and no label settles it; ``suggestions``
    lists the candidates' labels."""

    def __init__(self, name: str, candidates: list[str]) -> None:
        super().__init__(name, candidates)
        self.args = (f"{name!r} could mean more than one entity: {', '.join(candidates)}; name one of them",)


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
        # The meaningful words of every name, parallel to _names, for the fuzzy matcher.
        self._meanings = [meaning(shown) for _, shown, _ in self._names]

    def updated(self, changed: Iterable[str], entities: Mapping[str, Entity]) -> Lookup:
        """The index of ``entities``, which differ from this index's only in the ids ``changed``
        (added, removed or changed): equal to ``Lookup(entities.values())``, made in time proportional
        to the change (the path engine's projection follows a write this way). This index is unchanged."""
        new = object.__new__(Lookup)
        new.entities, new._by_iri = dict(self.entities), dict(self._by_iri)
        new._labels, new._synonyms = defaultdict(list, self._labels), defaultdict(list, self._synonyms)
        new._names, new._meanings = list(self._names), list(self._meanings)
        new._by_id_normalised = dict(self._by_id_normalised)
        for entity_id in sorted(set(changed)):
            if entity_id in self.entities:
                new._remove(self.entities[entity_id])
            if entity_id in entities:
                new._insert(entities[entity_id])
        return new

    def _names_of(self, entity: Entity) -> list[tuple[str, str, Entity]]:
        return [(normalise(name), name, entity) for name in (entity.label, *entity.synonyms)]

    def _remove(self, entity: Entity) -> None:
        # Lists are replaced, never changed in place: the index this one was copied from shares them.
        del self.entities[entity.id], self._by_iri[entity.iri]
        for table, names in ((self._labels, [entity.label]), (self._synonyms, entity.synonyms)):
            for key in {normalise(name) for name in names}:
                kept = [e for e in table[key] if e is not entity]
                if kept:
                    table[key] = kept
                else:
                    del table[key]
        start = bisect.bisect_left(self._names, entity.id, key=lambda row: row[2].id)
        end = bisect.bisect_right(self._names, entity.id, lo=start, key=lambda row: row[2].id)
        del self._names[start:end], self._meanings[start:end]
        if self._by_id_normalised.get(normalise(entity.id)) is entity:
            del self._by_id_normalised[normalise(entity.id)]

    def _insert(self, entity: Entity) -> None:
        self.entities[entity.id] = entity
        self._by_iri[entity.iri] = entity
        rows = self._names_of(entity)
        for index, (key, _, _) in enumerate(rows):
            table = self._labels if index == 0 else self._synonyms
            table[key] = sorted([*table.get(key, ()), entity], key=lambda e: e.id)
        at = bisect.bisect_left(self._names, entity.id, key=lambda row: row[2].id)
        self._names[at:at] = rows
        self._meanings[at:at] = [meaning(shown) for _, shown, _ in rows]
        key = normalise(entity.id)
        if key not in self._by_id_normalised or self._by_id_normalised[key].id < entity.id:
            self._by_id_normalised[key] = entity  # the build's order: the last id of a spelling wins

    def fuzzy(self, text: str, limit: int = MAX_SUGGESTIONS, cutoff: float = SUGGEST_SCORE) -> list[tuple[Entity, str, float]]:
        """The entities whose names come closest to ``text`` (see :func:`closeness`), best first, one
        row per entity: (entity, the name that matched, score 0-100)."""
        query = meaning(text)
        if not query:
            return []
        # rapidfuzz's C scorer narrows the field; the finer (Python) closeness then ranks the few left.
        rough = process.extract(query, self._meanings, scorer=fuzz.token_set_ratio,
                                limit=max(limit * 8, 40), score_cutoff=cutoff)
        best: dict[str, tuple[Entity, str, float]] = {}
        for _, _, index in rough:
            _, shown, entity = self._names[index]
            score = closeness(query, self._meanings[index])
            if score >= cutoff and (entity.id not in best or score > best[entity.id][2]):
                best[entity.id] = (entity, shown, score)
        return sorted(best.values(), key=lambda row: (-row[2], row[0].label))[:limit]

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
        if entity is not None:
            return entity
        close = self.fuzzy(name, limit=2)
        if close and close[0][2] >= RESOLVE_SCORE and (len(close) == 1 or close[0][2] - close[1][2] >= RESOLVE_MARGIN):
            return close[0][0]
        raise UnknownEntityError(name, self.suggest(name))

    def suggest(self, name: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
        """Labels of the entities whose names are closest to ``name``, best first."""
        labels = [entity.label for entity, _, _ in self.fuzzy(name, limit)]
        if len(labels) < limit:
            # Nothing spelled alike: fall back on names that share a word with the query.
            for hit in self.search(name, limit=limit):
                if hit.entity.label not in labels:
                    labels.append(hit.entity.label)
        return labels[:limit]

    def search(self, text: str, limit: int = DEFAULT_SEARCH_LIMIT) -> list[SearchHit]:
        """Entities whose label or a synonym contains ``text`` (or all its words), best first.

        Score: 1.0 the whole name, 0.9 the start of it, 0.8 the start of a word in it, 0.6 anywhere
        in it, 0.4-0.55 every meaningful word of ``text`` somewhere in it (higher the closer the whole
        name is); then, below 0.35, names that are
        close but spelt or ordered differently (:meth:`fuzzy`); labels beat synonyms on a tie.
        """
        if not isinstance(limit, int) or limit < 1:
            raise InvalidParameterError("limit", "must be a whole number of at least 1")
        key = normalise(text)
        if not key:
            raise InvalidParameterError("text", "give some text to search for")
        words = meaning(text).split() or key.split()
        query = meaning(text)
        best: dict[str, SearchHit] = {}
        for index, (name, shown, entity) in enumerate(self._names):
            score = match_score(key, words, name)
            if score == 0:
                continue
            if score == ALL_WORDS:
                # Every word is there: the closer the whole name, the higher ("weakness in my legs"
                # is "weakness in the legs" before "weakness in both legs").
                score += 0.15 * closeness(query, self._meanings[index]) / 100
            if name == normalise(entity.label):
                score += 0.01  # the label is the name people see: prefer it when a synonym scores the same
            current = best.get(entity.id)
            if current is None or score > current.score:
                best[entity.id] = SearchHit(entity.ref, shown, round(score, 2))
        # Then, when the words themselves found little, what is spelt differently ("numbnes in foot"),
        # after every literal match: a near miss is no news beside real hits.
        fuzzy = self.fuzzy(text, limit=limit, cutoff=FUZZY_SEARCH_SCORE) if len(best) < FUZZY_WHEN_FEWER else []
        for entity, shown, closeness_score in fuzzy:
            if entity.id not in best:
                best[entity.id] = SearchHit(entity.ref, shown, round(0.35 * closeness_score / 100, 2))
        return sorted(best.values(), key=lambda h: (-h.score, h.entity.label))[:limit]
