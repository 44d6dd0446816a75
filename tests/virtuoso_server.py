"""A real Virtuoso (Debian's ``virtuoso-opensource-7-bin``, installed by scripts/test) on loopback.

``start_virtuoso(folder)`` writes a ``virtuoso.ini`` of its own into ``folder`` (the database, its
log and two free ports: SQL and HTTP, both on 127.0.0.1 only), starts ``virtuoso-t`` in the
foreground, waits until ``/sparql`` answers, then does what a Virtuoso operator must do before
painlink can write (README, "Virtuoso as the store"): grant SPARQL Update to the ``SPARQL`` user that
``/sparql`` and ``/sparql-graph-crud`` run as. A new database takes a few seconds to create, so the
suite starts one per session (the ``virtuoso_server`` fixture in tests/conftest.py).

The server has the same surface as the Oxigraph one of tests/conftest.py: ``query_url``,
``update_url``, ``store_url``, ``update()`` (a write by another client), ``clear()``, ``stop()``.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from servers import free_port, stop_process, wait_until_answering

from painlink.graph.stores.dialect import VIRTUOSO

_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 8
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {folder}
ThreadCleanupInterval = 0
ResourcesCleanupInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 8
ServerThreads = 8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""

#: What the operator runs once (as dba) so painlink may write through /sparql and /sparql-graph-crud.
GRANT = 'GRANT SPARQL_UPDATE TO "SPARQL";'


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"`{name}` is missing: scripts/test installs Debian's virtuoso-opensource-7-bin")
    return found


@dataclass
class VirtuosoServer:
    base_url: str
    sql_port: int
    process: subprocess.Popen
    folder: Path

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/sparql"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/sparql"

    @property
    def store_url(self) -> str:
        return f"{self.base_url}/sparql-graph-crud"

    def auth_url(self, user: str = "dba", password: str = "dba") -> str:
        """``/sparql-auth`` (Digest authentication) with the credentials in the URL."""
        return f"http://{user}:{password}@{self.base_url.removeprefix('http://')}/sparql-auth"

    def isql(self, statement: str) -> None:
        """Run one SQL statement as dba (Virtuoso's own client), as an operator would."""
        subprocess.run(
            [_binary("isql-vt"), f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statement}"],
            check=True, capture_output=True, timeout=60,
        )

    def update(self, sparql: str) -> None:
        """Write to the server directly, as another client would (behind painlink's back). A triple
        without GRAPH goes where painlink keeps its default graph on Virtuoso."""
        response = httpx.post(self.update_url, data={"update": VIRTUOSO.prologue(sparql)})
        response.raise_for_status()

    def clear(self) -> None:
        """Drop every graph but Virtuoso's own (DROP ALL would take its system graphs with it)."""
        response = httpx.post(self.query_url, data={"query": (
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {VIRTUOSO.graph_filter('?g', ())} }}"
        )}, headers={"Accept": "application/sparql-results+json"})
        response.raise_for_status()
        graphs = [b["g"]["value"] for b in response.json()["results"]["bindings"]]
        graphs.append(VIRTUOSO.default_graph)
        self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace") if path.is_file() else ""

    def stop(self) -> None:
        stop_process(self.process, timeout=30)


def start_virtuoso(folder: Path, *, grant: bool = True) -> VirtuosoServer:
    """Start ``virtuoso-t`` with a fresh database in ``folder``; wait until it answers; grant updates
    to ``/sparql`` unless ``grant`` is False (then only ``/sparql-auth`` writes, as dba)."""
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(_INI.format(folder=folder, sql_port=sql_port, http_port=http_port))
    with open(folder / "stdout.log", "wb") as out:
        process = subprocess.Popen(
            [_binary("virtuoso-t"), "+foreground", "+configfile", str(folder / "virtuoso.ini")],
            stdout=out, stderr=subprocess.STDOUT, cwd=folder,
        )
    server = VirtuosoServer(f"http://127.0.0.1:{http_port}", sql_port, process, folder)
    wait_until_answering(process, server.query_url, timeout=60, what="virtuoso-t", output=server.log)
    if grant:
        server.isql(GRANT)
    return server
