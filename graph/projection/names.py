"""The names the projection shares: IRIs of the schema's kinds, groups and stances, how an IRI becomes an
entity id or a CURIE, and :class:`PropertyInfo` (a relation as the schema describes it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from painlink.ontology import NAMESPACES

from ..vocabulary import KINDS, SOURCE_KINDS
from ..vocabulary import STANCES as STANCE_TABLE

__all__ = [
    "BROADER", "GROUPS", "HIERARCHY", "KIND_CLASSES", "PL", "PLI", "PREFIXES", "STANCES", "WEAK_KINDS",
    "PropertyInfo", "curie", "entity_id", "label_rank", "local", "local_name", "text", "values",
]

PL = NAMESPACES["pl"]
PLI = NAMESPACES["pli"]

#: rdf:type of each kind -> the kind's name (docs/design.md, "Schema"; the table is the vocabulary's).
KIND_CLASSES = {PL + kind.individual: kind.name for kind in KINDS.values()}
#: Property group individuals -> short names used on edges and in JSON.
GROUPS = {
    PL + "CausalRelation": "causal",
    PL + "SignRelation": "sign",
    PL + "AnatomicalRelation": "anatomy",
    PL + "InterventionRelation": "intervention",
}
#: Stance individuals -> the stance's name.
STANCES = {PL + stance.individual: stance.name for stance in STANCE_TABLE.values()}
HIERARCHY = "hierarchy"
#: Kinds of source that are weak grounds on their own: a claim resting only on these says so.
WEAK_KINDS = frozenset(kind.name for kind in SOURCE_KINDS.values() if kind.weak)

PREFIXES = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in NAMESPACES.items()) + "\n"


def entity_id(iri: str) -> str:
    """The id of an entity: its local name under ``pli:``, else the whole IRI.

    >>> entity_id("https://w3id.org/painlink/id/foot-pain"), entity_id("http://example.org/x")
    ('foot-pain', 'http://example.org/x')
    """
    return iri[len(PLI) :] if iri.startswith(PLI) and len(iri) > len(PLI) else iri


def local(iri: str, namespace: str) -> str:
    return iri.removeprefix(namespace)


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1] or iri
    return iri


_BY_LENGTH = sorted(NAMESPACES.items(), key=lambda kv: -len(kv[1]))


@lru_cache(maxsize=4096)
def curie(iri: str) -> str:
    """A compact name for an external IRI (``HP:0025238``), the IRI itself when no prefix fits.

    >>> curie("http://purl.obolibrary.org/obo/HP_0025238"), curie("http://id.nlm.nih.gov/mesh/D001416")
    ('HP:0025238', 'MESH:D001416')
    """
    # The longest namespace wins: obo's HP_ must beat any shorter prefix of the same IRI.
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


@dataclass(frozen=True)
class PropertyInfo:
    """A relation between entities as the schema describes it."""

    iri: str
    name: str
    label: str
    group: str | None
    strength: float


#: skos:broader as an edge: "is a kind of", its own group, never a causal step.
BROADER = PropertyInfo(NAMESPACES["skos"] + "broader", "broader", "is a kind of", HIERARCHY, 0.0)


def text(term) -> str:
    return term.value


def label_rank(term) -> int:
    # English first, then no language, then anything else, so every entity gets one stable label.
    language = getattr(term, "language", None)
    return 0 if language == "en" else 1 if not language else 2


def values(variable: str, iris: Iterable[str] | None) -> str:
    """A ``VALUES`` clause binding ``?variable`` to ``iris`` (empty text when None: no restriction), so
    one query reads the whole graph or only the resources a write touched.

    >>> values("e", ["http://e/a"]), values("e", None)
    ('VALUES ?e { <http://e/a> }', '')
    """
    if iris is None:
        return ""
    return f"VALUES ?{variable} {{ " + " ".join(f"<{iri}>" for iri in sorted(iris)) + " }"
