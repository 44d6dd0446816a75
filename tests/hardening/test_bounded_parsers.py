"""Issue 10, findings 4 and 5: the parsers are bounded before they see input.

Before: a 5,000-deep JSON-LD upload or an ``INSERT DATA`` with 6,000 nested ``[ ]`` killed the server
with SIGSEGV (so did ``painlink load`` and ``serve --data`` on such a file), and a 679-byte RDF/XML
with entity declarations stored a 300 MB literal. Now each is a 400 (or the CLI's "data refused",
exit status 1) naming the reason, on a real ``painlink serve`` that stays up with its graph unchanged
and its memory small; the bounds are painlink.ontology.bounds'.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest
from servers import AUTH, painlink_command

from painlink.ontology.bounds import MAX_NESTING

COUNT = "SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def deep_json_ld(depth: int) -> bytes:
    return ('{"@id": "urn:a", "urn:p": ' + '{"urn:p": ' * depth + '"x"' + "}" * depth + "}").encode()


def deep_turtle(depth: int, bracket: str = "[") -> bytes:
    inner = "<urn:p> " if bracket == "[" else ""
    close = {"[": "]", "(": ")"}[bracket]
    return ("<urn:a> <urn:p> " + f"{bracket} {inner}" * depth + "1" + f" {close}" * depth + " .\n").encode()


ENTITY_XML = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="urn:e#">
  <rdf:Description rdf:about="urn:x"><e:p>&c;</e:p></rdf:Description>
</rdf:RDF>
"""


def count(served) -> int:
    return int(served.select(COUNT)[0]["n"])


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def test_deep_or_expanding_input_is_refused_and_the_server_lives(start_server) -> None:
    served = start_server()
    before = count(served)
    uploads = {
        "JSON-LD 5,000 deep": (deep_json_ld(5000), "application/ld+json", "JSON-LD objects and arrays"),
        "Turtle 6,000 nested [ ]": (deep_turtle(6000), "text/turtle", "nested more than"),
        "Turtle 6,000 nested ( )": (deep_turtle(6000, "("), "text/turtle", "nested more than"),
        "RDF/XML with entities": (ENTITY_XML, "application/rdf+xml", "DOCTYPE"),
    }
    for name, (body, media_type, reason) in uploads.items():
        for method in ("PUT", "POST"):
            response = httpx.request(method, served.base_url + "/store", params={"graph": "urn:deep"},
                                     content=body, headers={**AUTH, "Content-Type": media_type}, timeout=60)
            assert response.status_code == 400, (name, method, response.status_code, response.text)
            assert reason in response.text and "not changed" in response.text, (name, response.text)
            assert served.process.poll() is None, f"the server died on {name}"
    update = "INSERT DATA { <urn:a> <urn:p> " + "[ <urn:p> " * 6000 + "1" + " ]" * 6000 + " }"
    response = served.update(update)
    assert response.status_code == 400 and "levels deep" in response.text, response.text
    assert served.process.poll() is None
    assert count(served) == before
    # Shallow data under the bound still goes in.
    fine = httpx.put(served.base_url + "/store", params={"graph": "urn:fine"}, content=deep_json_ld(MAX_NESTING - 2),
                     headers={**AUTH, "Content-Type": "application/ld+json"}, timeout=60)
    assert fine.status_code == 201, fine.text
    assert peak_rss_mib(served.process.pid) < 1024


@pytest.fixture
def deep_files(tmp_path: Path) -> dict[str, Path]:
    files = {"deep.jsonld": deep_json_ld(5000), "deep.ttl": deep_turtle(6000), "entities.rdf": ENTITY_XML}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return {name: tmp_path / name for name in files}


def _painlink(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*painlink_command(), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_the_command_line_refuses_deep_files_without_crashing(deep_files, tmp_path) -> None:
    data_dir = tmp_path / "store"
    for name in ("deep.jsonld", "deep.ttl", "entities.rdf"):
        loaded = _painlink("load", str(deep_files[name]), "--data-dir", str(data_dir), cwd=tmp_path)
        assert loaded.returncode == 1, (name, loaded.returncode, loaded.stderr)
        assert name in loaded.stderr and "nothing was loaded" in loaded.stderr, loaded.stderr
    for name in ("deep.jsonld", "deep.ttl"):
        checked = _painlink("validate", str(deep_files[name]), cwd=tmp_path)
        assert checked.returncode == 1 and "nested more than" in checked.stderr, (name, checked.returncode, checked.stderr)
        asked = _painlink("--data", str(deep_files[name]), "search", "foot", cwd=tmp_path)
        assert asked.returncode == 1 and "nested more than" in asked.stderr, (name, asked.returncode, asked.stderr)


def test_serve_with_a_deep_data_file_refuses_to_start_naming_it(start_server, deep_files) -> None:
    finished = start_server.run("--memory", "--data", str(deep_files["deep.jsonld"]))
    assert finished.returncode not in (0, -11), finished.returncode
    output = finished.stdout + finished.stderr
    assert "deep.jsonld" in output and "nested more than" in output, output[-2000:]
