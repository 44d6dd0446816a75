"""painlink.ontology.bounds counts nesting as the parsers see it, however the text is cut into chunks
(``painlink load`` reads files in pieces): property-based, against JSON's own parser and against
Turtle written with brackets inside strings, IRIs and comments."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from painlink.ontology.bounds import deepest

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(alphabet='[]{}"\\ab\n', max_size=8))
_DOCUMENTS = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(alphabet='[]{}"\\k', max_size=4), inner, max_size=3), max_leaves=30)


def _depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


def _cut(text: str, cuts: list[int]) -> list[str]:
    points = sorted({min(c, len(text)) for c in cuts})
    return [text[a:b] for a, b in zip([0, *points], [*points, len(text)])]


@settings(max_examples=300, deadline=None)
@given(_DOCUMENTS, st.lists(st.integers(0, 400), max_size=6))
def test_json_depth_is_the_documents_depth_in_any_chunks(document, cuts) -> None:
    text = json.dumps(document)
    assert deepest(_cut(text, cuts), "json-ld", limit=10_000) == _depth(document)


_DECOYS = st.sampled_from(['"[(["', "'[('", '"""a\n[("\n"""', "<urn:x[>", "# [ ( [\n", '"\\"["'])


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 30), st.lists(_DECOYS, max_size=4), st.lists(st.integers(0, 300), max_size=6))
def test_turtle_brackets_in_strings_iris_and_comments_do_not_count(depth, decoys, cuts) -> None:
    filler = " ".join(decoys)
    text = "<urn:a> <urn:p> " + "[ <urn:p> " * depth + f"{filler} 1" + " ]" * depth + " .\n"
    assert deepest(_cut(text, cuts), "turtle", limit=10_000) == depth
