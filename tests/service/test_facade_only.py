"""The service and the command line reach the graph only through its facade (docs/design.md, "Runtime
objects"): ``painlink.graph`` and its answer, error, question, store and budget modules -- never the
networkx projection or the engine modules behind the facade, and never networkx itself. Drawings come
back from the engine as :class:`~painlink.graph.model.Subgraph` answers.

Read from the source with :mod:`ast`, so an import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
#: The engine's modules behind the facade (its internals).
BEHIND_THE_FACADE = {"projection", "chains", "paths", "explain", "interventions", "lookup", "redflags"}
FACES = sorted([*(REPO / "service").rglob("*.py"), *(REPO / "painlink").rglob("*.py")])


def _imports(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


@pytest.mark.parametrize("path", FACES, ids=[str(p.relative_to(REPO)) for p in FACES])
def test_a_face_uses_only_the_graph_facade(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for name in _imports(tree):
        parts = name.split(".")
        assert parts[0] != "networkx", f"{path.name} imports networkx: ask the engine for an answer instead"
        if parts[:2] == ["painlink", "graph"] and len(parts) > 2:
            assert parts[2] not in BEHIND_THE_FACADE, f"{path.name} imports {name}, behind the graph facade"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "projection":
            pytest.fail(f"{path.name}, line {node.lineno}: reads .projection; use the facade's answers")


def test_the_guard_sees_a_face_that_reaches_behind_the_facade(tmp_path: Path) -> None:
    # The check above must be able to fail: the two ways a face used to reach the projection.
    sneaky = ast.parse("from painlink.graph.projection import Projection\nknowledge.projection.claims\n")
    assert "painlink.graph.projection" in _imports(sneaky)
    assert any(isinstance(n, ast.Attribute) and n.attr == "projection" for n in ast.walk(sneaky))
