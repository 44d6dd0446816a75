"""Issue 10, finding 10: the command line never fetches a JSON-LD context, like the service.

Before, ``painlink validate x.jsonld`` (and ``--data x.jsonld``) sent a GET to a loopback listener
named as the ``@context`` and read ``file:///etc/passwd`` as one (rdflib's JSON-LD parser fetches
contexts). Now JSON-LD is read by pyoxigraph, which fetches nothing: the file is refused as one that
does not parse (exit status 1, naming the file), and the listener receives nothing.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from servers import painlink_command
from test_outbound_and_auth import remote_context_documents


def _painlink(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*painlink_command(), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("command", ["validate", "--data"])
def test_the_cli_fetches_no_context(command, listener, tmp_path) -> None:
    documents = {**remote_context_documents(listener.url),
                 "file: context": {"@context": "file:///etc/passwd", "@id": "urn:x", "n": "x"}}
    for name, document in documents.items():
        path = tmp_path / f"{name.replace(' ', '-').replace('@', '').replace(':', '')}.jsonld"
        path.write_text(json.dumps(document))
        args = ("validate", str(path)) if command == "validate" else ("--data", str(path), "search", "foot")
        finished = _painlink(*args, cwd=tmp_path)
        assert finished.returncode == 1, (name, finished.returncode, finished.stdout, finished.stderr)
        assert path.name in finished.stderr and "context" in finished.stderr.lower(), (name, finished.stderr)
    assert listener.settle() == []


def test_a_json_ld_file_with_an_inline_context_still_validates(tmp_path) -> None:
    document = {"@context": {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"}, "@id": "urn:painlink-test:x",
                "rdfs:comment": "a note"}
    path = tmp_path / "fine.jsonld"
    path.write_text(json.dumps(document))
    finished = _painlink("validate", str(path), cwd=tmp_path)
    assert finished.returncode == 0, finished.stdout + finished.stderr
