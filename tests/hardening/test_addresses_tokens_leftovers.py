"""Issue 10, findings 14, 15 and 16, each on a real ``painlink serve``.

14. ``sd:endpoint`` echoed the Host header and ``/sparql/`` redirected to ``http://evil.example/...``:
    both now come from the configured address (``--public-url``, else ``http://HOST:PORT``).
15. A token configured with spaces around it "enabled updates" that never matched: now the server
    refuses to start saying why. A non-ASCII token matched only Latin-1 bytes: now UTF-8 clients match.
16. ``/static/a%00.js`` answered 500 with a traceback; an aborted upload logged ~100 lines; a killed
    ``--memory`` server left its replica dumps in the temporary folder. Now 404, one line, and the
    next server sweeps the dumps of servers that are gone.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

import httpx

from painlink.service.sparql import SD as _SD  # the Service Description vocabulary

EVIL = {"Host": "evil.example"}


def test_addresses_come_from_the_settings_never_the_host_header(start_server) -> None:
    served = start_server(token=None)
    description = httpx.get(served.sparql_url, headers={**EVIL, "Accept": "application/n-triples"}, timeout=30)
    assert description.status_code == 200
    assert f"<{_SD}endpoint> <{served.base_url}/sparql>" in description.text, description.text
    assert "evil.example" not in description.text
    for path in ("/sparql/?query=ASK%20%7B%7D", "/api/entities/", "/docs/"):
        moved = httpx.get(served.base_url + path, headers=EVIL, follow_redirects=False, timeout=30)
        assert moved.status_code == 307, (path, moved.status_code, moved.text)
        location = moved.headers["location"]
        assert location.startswith(served.base_url + "/") and "evil" not in location, location
        assert location == served.base_url + path.replace("/?", "?").rstrip("/"), location
    assert httpx.get(served.base_url + "/nothing-here/", headers=EVIL, follow_redirects=False).status_code == 404


def test_the_public_url_is_the_endpoint_behind_a_proxy(start_server) -> None:
    served = start_server("--public-url", "https://kb.example/painlink/", token=None)
    description = httpx.get(served.sparql_url, headers={**EVIL, "Accept": "application/n-triples"}, timeout=30)
    assert f"<{_SD}endpoint> <https://kb.example/painlink/sparql>" in description.text, description.text
    moved = httpx.get(served.base_url + "/sparql/", headers=EVIL, follow_redirects=False, timeout=30)
    assert moved.headers["location"] == "https://kb.example/painlink/sparql"


def test_a_token_with_spaces_around_it_stops_the_start(start_server) -> None:
    finished = start_server.run("--memory", token=" secret-with-a-space ")
    assert finished.returncode == 2, finished
    assert "update-token" in finished.stderr and "spaces" in finished.stderr, finished.stderr
    assert "secret-with-a-space" not in finished.stderr + finished.stdout


def test_a_non_ascii_token_matches_what_utf8_clients_send(start_server) -> None:
    token = "Schlüssel-ñ-日本"
    served = start_server(token=token)
    update = b"INSERT DATA { <urn:t:a> <urn:t:p> 1 }"
    headers = {"Content-Type": "application/sparql-update"}
    utf8 = httpx.post(served.sparql_url, content=update,
                      headers={**headers, "Authorization": b"Bearer " + token.encode("utf-8")}, timeout=30)
    assert utf8.status_code == 204, utf8.text
    wrong = httpx.post(served.sparql_url, content=update,
                       headers={**headers, "Authorization": b"Bearer " + "Schlüssel-n-x".encode("utf-8")}, timeout=30)
    assert wrong.status_code == 403


def test_a_nul_in_a_static_path_is_a_404(start_server) -> None:
    served = start_server(token=None)
    response = httpx.get(served.base_url + "/static/a%00.js", timeout=30)
    assert response.status_code == 404
    assert "Traceback" not in served.log() and "unexpected error" not in served.log()


def test_an_aborted_upload_logs_one_line(start_server) -> None:
    served = start_server()
    before = served.log().count("\n")
    with socket.create_connection(("127.0.0.1", served.port)) as connection:
        connection.sendall(
            b"PUT /store?graph=urn:aborted HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + served.token.encode() + b"\r\nContent-Type: text/turtle\r\nContent-Length: 100000\r\n\r\n<urn:a> <urn:b>"
        )
        time.sleep(0.5)
    time.sleep(1.0)
    assert httpx.get(served.sparql_url, params={"query": "ASK { GRAPH <urn:aborted> { ?s ?p ?o } }"},
                     headers={"Accept": "application/sparql-results+json"}).json()["boolean"] is False
    logged = served.log().splitlines()[before:]
    assert "Traceback" not in "\n".join(logged)
    assert len([line for line in logged if "aborted" in line or "left before" in line]) == 1, logged
    assert len(logged) <= 2, logged


def test_a_killed_memory_servers_replica_dumps_are_swept(start_server, tmp_path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {"TMPDIR": str(temporary)}
    first = start_server(env=env)
    left = list(temporary.glob(f"painlink-replicas-{first.process.pid}-*"))
    assert left and any(Path(folder).iterdir() for folder in left), list(temporary.iterdir())
    os.kill(first.process.pid, signal.SIGKILL)
    first.process.wait(timeout=10)
    assert all(folder.exists() for folder in left)  # nothing could clean up after a SIGKILL
    second = start_server(env=env, port=first.port)
    assert not any(folder.exists() for folder in left), list(temporary.iterdir())
    assert list(temporary.glob(f"painlink-replicas-{second.process.pid}-*"))  # its own are there
