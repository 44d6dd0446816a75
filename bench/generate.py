"""A seeded synthetic knowledge graph in painlink's schema, for benchmarks.

The same seed and size give the same bytes. The graph follows docs/design.md: entities of the four
kinds (label, definition, two lay synonyms, Biolink category), direct triples between them, and for
each direct triple a claim with one or two evidence items (article-style with a TextQuoteSelector that
has an IRI, or cited-style with a summary), some of them disputed. Everything is marked synthetic:
labels start with "synthetic", sources are ``pls:synthetic-source-N``, and no external identifier
(HP, UBERON ...) is used -- those may only come from the project's reference table.

About 17 triples per entity: 1k entities ~ 17k triples, 100k entities ~ 1.7 million.

Causal edges link entities whose numbers are close (a ring with short hops), so causal paths of
length 2-5 exist between many pairs, as in a real graph where causes cluster by body region; a few
long hops make hubs and shortcuts. :func:`path_pairs` picks (source, target) pairs that are joined by
a causal path, for the path benchmark.

Usage::

    python bench/generate.py --entities 100000 --out bench/results/data/synthetic-100k.nt
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

__all__ = ["SIZES", "entity_id", "generate", "path_pairs", "write"]

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}

PL = "https://w3id.org/painlink/vocab#"
PLI = "https://w3id.org/painlink/id/"
PLC = "https://w3id.org/painlink/claim/"
PLV = "https://w3id.org/painlink/evidence/"
PLS = "https://w3id.org/painlink/source/"
BIOLINK = "https://w3id.org/biolink/vocab/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"

# kind, share of entities, class, Biolink category
KINDS = [
    ("symptom", 0.30, "Symptom", "PhenotypicFeature"),
    ("cause", 0.40, "Cause", "Disease"),
    ("anatomy", 0.20, "AnatomicalStructure", "GrossAnatomicalStructure"),
    ("intervention", 0.10, "Intervention", "Procedure"),
]
CAUSAL = ["causes", "contributesTo", "mayCause", "associatedWith"]
ANATOMY = ["locatedIn", "partOf", "runsThrough", "innervates"]
INTERVENTION = ["relieves", "worsens", "prevents"]
STANCES = ["Supports", "Qualifies", "Contradicts"]
WORDS = [
    "ache", "stiffness", "tingling", "numbness", "strain", "sprain", "inflammation", "weakness",
    "spasm", "tension", "swelling", "burning", "cramp", "instability", "fatigue", "pressure",
]
PLACES = [
    "heel", "arch", "ankle", "calf", "knee", "hip", "pelvis", "lumbar", "sacral", "thoracic",
    "toe", "shin", "thigh", "gluteal", "spinal", "plantar",
]
SOURCES = 40
#: The kinds of source (schema.ttl), strongest first.
SOURCE_KINDS = ("Guideline", "SystematicReview", "ClinicalReference", "NarrativeReview", "PrimaryStudy",
                "PatientInformation", "PracticePage", "Commercial")


def _kebab(name: str) -> str:
    return "".join("-" + c.lower() if c.isupper() else c for c in name)


def _literal(text: str, lang: str | None = "en") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _kind_of(number: int, entities: int) -> tuple[str, str, str]:
    """Kinds are laid out in blocks, so a number tells its kind."""
    start = 0
    for kind, share, cls, category in KINDS:
        end = start + round(share * entities)
        if number < end or kind == KINDS[-1][0]:
            return kind, cls, category
        start = end
    raise AssertionError("unreachable")


def _block(kind: str, entities: int) -> range:
    start = 0
    for name, share, _, _ in KINDS:
        size = round(share * entities) if name != KINDS[-1][0] else entities - start
        if name == kind:
            return range(start, start + size)
        start += size
    raise ValueError(kind)


def entity_id(number: int, entities: int) -> str:
    """The id of entity ``number`` (its local name under ``pli:``).

    >>> entity_id(0, 1000), entity_id(999, 1000)
    ('syn-symptom-0', 'syn-intervention-999')
    """
    return f"syn-{_kind_of(number, entities)[0]}-{number}"


def _causal_edges(rng: random.Random, entities: int) -> Iterator[tuple[int, str, int]]:
    """Causal edges among symptoms and causes: mostly short hops forward on a ring, a few long ones."""
    nodes = list(_block("symptom", entities)) + list(_block("cause", entities))
    count = len(nodes)
    for position, number in enumerate(nodes):
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            hop = rng.randint(1, 6) if rng.random() < 0.95 else rng.randint(7, count - 1)
            yield number, rng.choice(CAUSAL), nodes[(position + hop) % count]


def _dense_causal_edges(rng: random.Random, entities: int, degree: int) -> Iterator[tuple[int, str, int]]:
    """``degree`` causal claims out of every symptom and cause, to any other: the densely linked graph
    that makes path questions expensive (the hardening tests' worst case, issue 10 finding 3)."""
    nodes = list(_block("symptom", entities)) + list(_block("cause", entities))
    for number in nodes:
        for other in rng.sample([n for n in nodes if n != number], min(degree, len(nodes) - 1)):
            yield number, rng.choice(CAUSAL), other


def _other_edges(rng: random.Random, entities: int) -> Iterator[tuple[int, str, int]]:
    body = list(_block("symptom", entities)) + list(_block("cause", entities))
    anatomy = list(_block("anatomy", entities))
    for number in anatomy[::2]:
        yield number, rng.choice(ANATOMY), rng.choice(anatomy)
    for number in body[::4]:
        yield number, "locatedIn", rng.choice(anatomy)
    for number in _block("intervention", entities):
        yield number, rng.choice(INTERVENTION), rng.choice(body)


def generate(entities: int, seed: int = 42, *, causal_degree: int | None = None) -> Iterator[str]:
    """The graph as N-Triples lines. ``causal_degree`` replaces the ring of short hops by that many
    causal claims out of every symptom and cause, to random others (a dense graph).

    >>> lines = list(generate(40))
    >>> len(lines) > 40 * 10, all(line.endswith(" .") for line in lines)
    (True, True)
    >>> lines == list(generate(40))  # seeded: the same every time
    True
    """
    if entities < 20:
        raise ValueError("generate at least 20 entities (every kind needs a few)")
    rng = random.Random(seed)
    a = f"<{RDF}type>"
    for number in range(entities):
        kind, cls, category = _kind_of(number, entities)
        node = f"<{PLI}{entity_id(number, entities)}>"
        word, place = rng.choice(WORDS), rng.choice(PLACES)
        yield f"{node} {a} <{PL}{cls}> ."
        yield f"{node} <{RDFS}label> {_literal(f'synthetic {place} {word} {number}')} ."
        yield f"{node} <{SKOS}definition> {_literal(f'A synthetic {kind} for benchmarks: {place} {word}.')} ."
        yield f"{node} <{SKOS}altLabel> {_literal(f'{word} of the {place} {number}')} ."
        yield f"{node} <{SKOS}altLabel> {_literal(f'{place} {word} (synthetic {number})')} ."
        yield f"{node} <{BIOLINK}category> <{BIOLINK}{category}> ."
    for source in range(SOURCES):
        node = f"<{PLS}synthetic-source-{source}>"
        yield f"{node} {a} <{PL}Source> ."
        yield f"{node} <{DCTERMS}title> {_literal(f'Synthetic source {source}', None)} ."
        # every source has one kind (schema.ttl's pl:SourceKind individuals); cycle through them
        yield f"{node} <{PL}sourceKind> <{PL}{SOURCE_KINDS[source % len(SOURCE_KINDS)]}> ."
        if source % 2:  # a "cited web page"; example.org is reserved for examples, plainly not real
            yield f"{node} <{SCHEMA}url> <https://example.org/painlink-synthetic/source-{source}> ."
        else:  # a "shipped document" that evidence quotes
            yield f"{node} <{PL}localCopy> {_literal(f'synthetic/source-{source}.txt', None)} ."
    # One generator per part, so path_pairs can replay the causal edges alone.
    causal_rng = random.Random(seed + 1)
    edges = list(_causal_edges(causal_rng, entities) if causal_degree is None
                 else _dense_causal_edges(causal_rng, entities, causal_degree))
    edges += list(_other_edges(random.Random(seed + 2), entities))
    claims = random.Random(seed + 3)
    seen: set[tuple[int, str, int]] = set()
    for subject, predicate, obj in edges:
        if (subject, predicate, obj) in seen or subject == obj:
            continue
        seen.add((subject, predicate, obj))
        yield from _claim(claims, entities, subject, predicate, obj)


def _claim(rng: random.Random, entities: int, subject: int, predicate: str, obj: int) -> Iterator[str]:
    a = f"<{RDF}type>"
    s_id, o_id = entity_id(subject, entities), entity_id(obj, entities)
    claim_id = f"{s_id}--{_kebab(predicate)}--{o_id}"
    claim = f"<{PLC}{claim_id}>"
    yield f"<{PLI}{s_id}> <{PL}{predicate}> <{PLI}{o_id}> ."
    yield f"{claim} {a} <{PL}Claim> ."
    yield f"{claim} <{RDF}subject> <{PLI}{s_id}> ."
    yield f"{claim} <{RDF}predicate> <{PL}{predicate}> ."
    yield f"{claim} <{RDF}object> <{PLI}{o_id}> ."
    yield f"{claim} <{PL}statement> {_literal(f'Synthetic: {s_id} {_kebab(predicate)} {o_id}.')} ."
    stances = ["Supports"] + (["Contradicts"] if rng.random() < 0.1 else [])
    for index, stance in enumerate(stances):
        evidence = f"<{PLV}{claim_id}--{index}>"
        yield f"{claim} <{PL}hasEvidence> {evidence} ."
        yield f"{evidence} {a} <{PL}Evidence> ."
        yield f"{evidence} <{PL}stance> <{PL}{stance}> ."
        if rng.random() < 0.3:  # quotes a local document (even-numbered sources)
            selector = f"<{PLV}{claim_id}--{index}-selector>"
            yield f"{evidence} <{PL}source> <{PLS}synthetic-source-{2 * rng.randrange(SOURCES // 2)}> ."
            yield f"{evidence} <{OA}hasSelector> {selector} ."
            yield f"{selector} {a} <{OA}TextQuoteSelector> ."
            yield f"{selector} <{OA}exact> {_literal(f'synthetic quote {claim_id}', None)} ."
        else:  # summarises a cited page (odd-numbered sources)
            yield f"{evidence} <{PL}source> <{PLS}synthetic-source-{2 * rng.randrange(SOURCES // 2) + 1}> ."
            yield f"{evidence} <{PL}summary> {_literal(f'Synthetic summary of {claim_id}.')} ."
            yield f"{evidence} <{PL}citedClaim> {_literal(f'SYN-{claim_id}--{index}', None)} ."


def write(entities: int, out: Path, seed: int = 42, *, causal_degree: int | None = None) -> int:
    """Write the graph to ``out`` (N-Triples); return the number of triples."""
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(out, "w", encoding="utf-8") as stream:
        for line in generate(entities, seed, causal_degree=causal_degree):
            stream.write(line + "\n")
            count += 1
    return count


def path_pairs(
    entities: int, count: int = 20, seed: int = 42, length: tuple[int, int] = (3, 5)
) -> list[tuple[str, str]]:
    """``count`` (source id, target id) pairs joined by a causal walk of ``length`` edges in the graph
    :func:`generate` makes with the same ``seed``, for path-query benchmarks.

    >>> pairs = path_pairs(200, count=3)
    >>> len(pairs), all(a.startswith("syn-") and b.startswith("syn-") for a, b in pairs)
    (3, True)
    """
    nexts: dict[int, list[int]] = {}
    for subject, _, obj in _causal_edges(random.Random(seed + 1), entities):
        if subject != obj:
            nexts.setdefault(subject, []).append(obj)
    pick = random.Random(seed + 4)
    starts = sorted(nexts)
    pairs: list[tuple[str, str]] = []
    tries = 0
    while len(pairs) < count and tries < 100 * count:
        tries += 1
        node = pick.choice(starts)
        start, steps = node, pick.randint(*length)
        for _ in range(steps):
            if node not in nexts:
                break
            node = pick.choice(nexts[node])
        else:
            if node != start:
                pairs.append((entity_id(start, entities), entity_id(node, entities)))
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--causal-degree", type=int, default=None,
                        help="causal claims out of every symptom and cause (a dense graph)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    triples = write(args.entities, args.out, args.seed, causal_degree=args.causal_degree)
    print(f"{args.out}: {args.entities} entities, {triples} triples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
