"""The kinds of store the ``store`` fixture (tests/conftest.py) is parametrised over, for tests that
choose some of them (``from store_kinds import REMOTE_KINDS``: one module, since ``conftest`` names
several files)."""

from __future__ import annotations

from typing import Any

import pytest

REMOTE_KINDS = ["remote", "virtuoso"]  # over a real server: oxigraph serve, Virtuoso
STORE_KINDS = ["memory", "persistent", *REMOTE_KINDS]


def remote_server(request: pytest.FixtureRequest, kind: str) -> Any:
    """The server behind a remote store kind (``remote``: the Oxigraph server, ``virtuoso``)."""
    return request.getfixturevalue("virtuoso_server" if kind == "virtuoso" else "oxigraph_server")
