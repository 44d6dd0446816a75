"""What lasting stores (a data directory, a remote server) must do beyond the shared behaviour:
keep data across a restart, keep the shipped ontology current without duplicates, notice writes by
others, and fail clearly when they cannot be opened or reached."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from store_kinds import REMOTE_KINDS, remote_server
from virtuoso_server import start_virtuoso

from painlink.graph.stores import (
    RECORDS_GRAPH,
    OxigraphStore,
    RemoteStore,
    ShippedOntologyError,
    Store,
    StoreOpenError,
    StoreReadOnlyError,
    StoreUnavailableError,
    open_store,
    sync_shipped,
)

EX = "http://example.org/"
LASTING = pytest.mark.parametrize("store_kind", ["persistent", *REMOTE_KINDS])
REMOTE = pytest.mark.parametrize("store_kind", REMOTE_KINDS)


def quads(store: Store) -> set[str]:
    return set(store.dump(ox.RdfFormat.N_QUADS).decode().splitlines())


def write_shipped(folder: Path, *lines: str) -> list[Path]:
    folder.mkdir(exist_ok=True)
    path = folder / "shipped.ttl"
    path.write_text(f"@prefix ex: <{EX}> .\n" + "\n".join(lines) + "\n")
    return [path]


@LASTING
def test_an_update_survives_a_restart(store: Store, reopen_store: Callable[[], Store]) -> None:
    store.update(f"INSERT DATA {{ <{EX}a> <{EX}p> <{EX}b> . GRAPH <{EX}g> {{ <{EX}a> <{EX}p> <{EX}c> }} }}")
    before = quads(store)
    again = reopen_store()
    assert quads(again) == before
    assert again.named_graphs() == [f"{EX}g"]


def test_first_start_loads_and_a_restart_changes_nothing(store: Store, tmp_path: Path) -> None:
    files = write_shipped(tmp_path / "ontology", "ex:a ex:p ex:b .", 'ex:a ex:label "A" .')
    assert sync_shipped(store, files).action == "loaded"
    before, version = quads(store), store.version
    report = sync_shipped(store, files)
    assert report.action == "unchanged"
    assert quads(store) == before
    assert store.version == version  # nothing written: the projection need not be rebuilt


@LASTING
def test_upgrade_applies_the_shipped_difference_and_keeps_user_data(
    store: Store, reopen_store: Callable[[], Store], tmp_path: Path
) -> None:
    folder = tmp_path / "ontology"
    sync_shipped(store, write_shipped(folder, "ex:a ex:p ex:b .", "ex:a ex:p ex:old .", "ex:k ex:p ex:kept ."))
    store.update(f"INSERT DATA {{ <{EX}a> <{EX}note> <{EX}mine> }}")  # the user's own triple
    store.update(f"DELETE DATA {{ <{EX}k> <{EX}p> <{EX}kept> }}")  # the user removed a shipped one
    restarted = reopen_store()
    files = write_shipped(folder, "ex:a ex:p ex:b .", "ex:a ex:p ex:new .", "ex:k ex:p ex:kept .")
    report = sync_shipped(restarted, files)
    assert (report.action, report.removed, report.added) == ("upgraded", 1, 1)
    rows = restarted.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    triples = sorted((r["s"].value, r["p"].value, r["o"].value) for r in rows)
    assert triples == [
        (f"{EX}a", f"{EX}note", f"{EX}mine"),
        (f"{EX}a", f"{EX}p", f"{EX}b"),
        (f"{EX}a", f"{EX}p", f"{EX}new"),
    ]
    # The same release again, after another restart: the record was kept, nothing happens.
    assert sync_shipped(reopen_store(), files).action == "unchanged"


def test_a_store_with_data_but_no_record_gets_the_shipped_triples_once(store: Store, tmp_path: Path) -> None:
    store.update(f"INSERT DATA {{ <{EX}a> <{EX}p> <{EX}b> . <{EX}x> <{EX}p> <{EX}y> }}")
    report = sync_shipped(store, write_shipped(tmp_path / "o", "ex:a ex:p ex:b .", "ex:a ex:p ex:c ."))
    assert report.action == "merged"
    assert len(store) == 3  # ex:a ex:p ex:b was there already and is not duplicated


def test_shipped_files_with_blank_nodes_are_refused_before_any_write(store: Store, tmp_path: Path) -> None:
    files = write_shipped(tmp_path / "o", "ex:a ex:p [ ex:q ex:b ] .")
    with pytest.raises(ShippedOntologyError, match="blank node"):
        sync_shipped(store, files)
    assert len(store) == 0


def test_shipped_file_that_does_not_parse_names_the_file(store: Store, tmp_path: Path) -> None:
    files = write_shipped(tmp_path / "o", "ex:a ex:p .")
    with pytest.raises(ShippedOntologyError, match="shipped.ttl"):
        sync_shipped(store, files)
    assert len(store) == 0


# --- the data directory ---------------------------------------------------------------------------
def test_a_data_directory_in_use_is_refused_clearly(tmp_path: Path) -> None:
    first = OxigraphStore(tmp_path / "data")
    try:
        with pytest.raises(StoreOpenError, match="in use by another process"):
            OxigraphStore(tmp_path / "data")
    finally:
        first.close()
    OxigraphStore(tmp_path / "data").close()  # free again once the first one closed


def test_a_file_where_the_data_directory_should_be_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.write_text("not a directory")
    with pytest.raises(StoreOpenError, match="it is a file"):
        OxigraphStore(path)
    assert path.read_text() == "not a directory"


def test_a_foreign_database_directory_is_not_overwritten(tmp_path: Path) -> None:
    database = tmp_path / "data" / "oxigraph"
    database.mkdir(parents=True)
    (database / "notes.txt").write_text("mine")
    with pytest.raises(StoreOpenError, match="not an Oxigraph database"):
        OxigraphStore(tmp_path / "data")
    assert sorted(p.name for p in database.iterdir()) == ["notes.txt"]


def test_a_corrupt_database_gives_an_error_naming_it(tmp_path: Path) -> None:
    OxigraphStore(tmp_path / "data").close()
    database = tmp_path / "data" / "oxigraph"
    (database / "CURRENT").write_text("garbage-that-names-no-manifest\n")
    with pytest.raises(StoreOpenError, match=str(database)):
        OxigraphStore(tmp_path / "data")


# --- the remote server ------------------------------------------------------------------------------
@REMOTE
def test_outside_writes_to_the_server_are_noticed(store: Store, store_kind: str, request) -> None:
    server = remote_server(request, store_kind)
    version = store.version
    server.update(f"INSERT DATA {{ <{EX}a> <{EX}p> <{EX}from-someone-else> }}")
    assert store.version != version
    version = store.version
    assert store.version == version  # no change, no bump
    server.update(f"DELETE DATA {{ <{EX}a> <{EX}p> <{EX}from-someone-else> }}")
    assert store.version != version
    version = store.version
    server.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> <{EX}b> }} }}")
    assert store.version != version  # named graphs count too


def test_without_a_refresh_interval_outside_writes_are_not_polled(oxigraph_server) -> None:
    oxigraph_server.clear()
    store = RemoteStore(oxigraph_server.query_url, update_url=oxigraph_server.update_url, refresh_interval=None)
    try:
        version = store.version
        oxigraph_server.update(f"INSERT DATA {{ <{EX}a> <{EX}p> <{EX}b> }}")
        assert store.version == version
        store.update(f"INSERT DATA {{ <{EX}c> <{EX}p> <{EX}d> }}")  # its own writes still count
        assert store.version != version
    finally:
        store.close()


@REMOTE
def test_painlink_records_stay_out_of_the_users_dataset(store: Store, tmp_path: Path) -> None:
    sync_shipped(store, write_shipped(tmp_path / "o", "ex:a ex:p ex:b ."))
    assert store.has_graph(RECORDS_GRAPH)  # the record is on the server, for the next start ...
    assert store.named_graphs() == []  # ... but not in what painlink shows
    assert len(store) == 1
    assert RECORDS_GRAPH not in store.dump(ox.RdfFormat.N_QUADS).decode()


def test_an_unreachable_server_is_a_clear_503(unused_port: int) -> None:
    url = f"http://127.0.0.1:{unused_port}/query"
    store = RemoteStore(url, timeout=2)
    try:
        with pytest.raises(StoreUnavailableError, match="cannot reach the SPARQL server") as caught:
            store.select("SELECT * WHERE { ?s ?p ?o }")
        assert caught.value.status == 503
        with pytest.raises(StoreUnavailableError):
            store.version
    finally:
        store.close()


def test_a_read_only_remote_store_refuses_writes_before_sending(oxigraph_server) -> None:
    oxigraph_server.clear()
    store = RemoteStore(oxigraph_server.query_url)
    try:
        with pytest.raises(StoreReadOnlyError, match="--store-update"):
            store.load(f"<{EX}a> <{EX}p> <{EX}b> .".encode(), ox.RdfFormat.N_TRIPLES)
        assert len(store) == 0
    finally:
        store.close()


@pytest.mark.parametrize("kind", REMOTE_KINDS)
def test_bulk_load_through_the_graph_store_protocol_keeps_blank_nodes_whole(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    server = remote_server(request, kind)
    server.clear()
    store = RemoteStore(server.query_url, update_url=server.update_url, graph_store_url=server.store_url)
    path = tmp_path / "with-bnode.ttl"
    path.write_text(f"@prefix ex: <{EX}> .\nex:a ex:selector [ ex:exact \"quote\" ; ex:prefix \"pre\" ] .\n")
    try:
        assert store.load_files([path]).triples == 3
        rows = store.select(f"SELECT ?e ?p WHERE {{ <{EX}a> <{EX}selector> [ <{EX}exact> ?e ; <{EX}prefix> ?p ] }}")
        assert [(r["e"].value, r["p"].value) for r in rows] == [("quote", "pre")]
    finally:
        store.close()


# --- the factory ----------------------------------------------------------------------------------
def test_open_store_follows_the_settings(tmp_path: Path, oxigraph_server, monkeypatch) -> None:
    files = write_shipped(tmp_path / "o", "ex:a ex:p ex:b .")
    memory = open_store(memory=True, shipped=files)
    assert isinstance(memory, OxigraphStore) and memory.path is None and len(memory) == 1

    monkeypatch.setenv("PAINLINK_DATA_DIR", str(tmp_path / "from-env"))
    persistent = open_store(shipped=files)
    assert isinstance(persistent, OxigraphStore) and persistent.path == tmp_path / "from-env"
    persistent.close()
    explicit = open_store(data_dir=tmp_path / "explicit")
    assert explicit.path == tmp_path / "explicit" and len(explicit) == 0
    explicit.close()

    oxigraph_server.clear()
    remote = open_store(store_url=oxigraph_server.query_url, store_update_url=oxigraph_server.update_url,
                        shipped=files)
    assert isinstance(remote, RemoteStore) and len(remote) == 1
    remote.close()
    # A read-only server is used as it is: painlink cannot (and does not try to) seed it.
    read_only = open_store(store_url=oxigraph_server.query_url, shipped=files)
    assert len(read_only) == 1
    read_only.close()

    with pytest.raises(ValueError, match="--store-update needs --store"):
        open_store(store_update_url=oxigraph_server.update_url)


def test_the_real_shipped_ontology_syncs_into_every_store(store: Store) -> None:
    from painlink.ontology import SHIPPED_FILES

    expected = set()
    for path in SHIPPED_FILES:
        expected |= {str(q) for q in ox.parse(path=str(path))}
    assert expected, "the ontology ships no triples"
    assert sync_shipped(store, SHIPPED_FILES).action == "loaded"  # so: no blank nodes in it
    assert len(store) == len(expected)
    assert sync_shipped(store, SHIPPED_FILES).action == "unchanged"


def test_a_virtuoso_without_the_update_grant_is_written_through_sparql_auth(tmp_path: Path) -> None:
    # The operator's other choice (README, "Virtuoso as the store"): no anonymous writes; painlink
    # writes as a Virtuoso user through /sparql-auth, the credentials in the update URL.
    server = start_virtuoso(tmp_path / "virtuoso", grant=False)
    stores = []
    try:
        anonymous = RemoteStore(server.query_url, update_url=server.update_url, refresh_interval=None)
        wrong = RemoteStore(server.query_url, update_url=server.auth_url(password="not-it"), refresh_interval=None)
        right = RemoteStore(server.query_url, update_url=server.auth_url(), refresh_interval=None)
        stores += [anonymous, wrong, right]
        insert = f"INSERT DATA {{ <{EX}a> <{EX}p> <{EX}b> }}"
        with pytest.raises(StoreUnavailableError, match="No permission"):
            anonymous.update(insert)
        with pytest.raises(StoreUnavailableError, match="401") as refused:
            wrong.update(insert)
        assert "not-it" not in str(refused.value) and "dba" not in right.update_url
        assert len(right) == 0
        right.update(insert)
        assert len(right) == 1 and len(anonymous) == 1
        right.load(f"<{EX}c> <{EX}p> _:b .".encode(), ox.RdfFormat.N_TRIPLES, graph=f"{EX}g")  # again: the challenge is kept
        assert right.named_graphs() == [f"{EX}g"]
    finally:
        for store in stores:
            store.close()
        server.stop()
