"""`painlink load FILES...`: bulk loading from the command line, into the persistent store or a remote
server, with a progress bar on stderr; a file that fails to parse leaves the store as it was."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pyoxigraph as ox
from servers import painlink_command

from painlink.cli import main
from painlink.graph.stores import OxigraphStore, RemoteStore
from painlink.ontology import SHIPPED_FILES

EX = "http://example.org/"


def shipped_size() -> int:
    return len({str(q) for path in SHIPPED_FILES for q in ox.parse(path=str(path))})


def write_triples(path: Path, count: int) -> Path:
    path.write_text("".join(f"<{EX}s{i}> <{EX}p> <{EX}o{i}> .\n" for i in range(count)))
    return path


def run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    status = main(list(argv), out=io.StringIO(), err=err)
    return status, err.getvalue()


def dump(data_dir: Path) -> bytes:
    store = OxigraphStore(data_dir)
    try:
        return store.dump(ox.RdfFormat.N_QUADS)
    finally:
        store.close()


def test_load_into_the_data_directory_reports_progress_and_rate(tmp_path: Path) -> None:
    data = write_triples(tmp_path / "big.nt", 30_000)
    status, err = run("load", "--data-dir", str(tmp_path / "data"), str(data))
    assert status == 0, err
    assert "100% 30,000/30,000 triples" in err
    assert "triples/s" in err and "loaded 30,000 triples from 1 file(s)" in err
    store = OxigraphStore(tmp_path / "data")
    try:
        # The shipped ontology is synced in too, so the store is ready to serve.
        assert len(store) == 30_000 + shipped_size()
        assert bool(store.query(f"ASK {{ <{EX}s29999> <{EX}p> <{EX}o29999> }}"))
    finally:
        store.close()


def test_a_file_that_fails_to_parse_leaves_the_store_unchanged(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert run("load", "--data-dir", str(data_dir), str(write_triples(tmp_path / "first.nt", 10)))[0] == 0
    before = dump(data_dir)
    good = write_triples(tmp_path / "good.nt", 1000)
    bad = tmp_path / "bad.ttl"
    bad.write_text(f"<{EX}a> <{EX}p> <{EX}b> .\n<{EX}a> <{EX}p> \"unclosed .\n")
    status, err = run("load", "--data-dir", str(data_dir), str(good), str(bad))
    assert status == 1
    assert "bad.ttl" in err and "nothing was loaded" in err
    assert dump(data_dir) == before


def test_unknown_format_and_missing_file_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "table.csv").write_text("a,b\n")
    status, err = run("load", "--data-dir", str(tmp_path / "data"), str(tmp_path / "table.csv"))
    assert status == 2 and "cannot tell the RDF format" in err
    status, err = run("load", "--data-dir", str(tmp_path / "data"), str(tmp_path / "absent.nt"))
    assert status == 2 and "no such file" in err


def test_a_data_directory_in_use_is_reported_not_crashed_on(tmp_path: Path) -> None:
    holder = OxigraphStore(tmp_path / "data")  # as a running `painlink serve` would hold it
    try:
        status, err = run("load", "--data-dir", str(tmp_path / "data"), str(write_triples(tmp_path / "x.nt", 1)))
    finally:
        holder.close()
    assert status == 1
    assert "in use by another process" in err


def test_load_into_a_remote_server_through_the_graph_store_protocol(tmp_path: Path, oxigraph_server) -> None:
    oxigraph_server.clear()
    data = write_triples(tmp_path / "remote.nt", 2000)
    status, err = run("load", "--store", oxigraph_server.query_url, "--store-update", oxigraph_server.update_url,
                      "--store-graph-store", oxigraph_server.store_url, "--graph", f"{EX}g", str(data))
    assert status == 0, err
    store = RemoteStore(oxigraph_server.query_url)
    try:
        assert store.named_graphs() == [f"{EX}g"]
        assert len(store) == 2000 + shipped_size()
    finally:
        store.close()


def test_the_installed_command_runs(tmp_path: Path) -> None:
    data = write_triples(tmp_path / "small.nt", 5)
    result = subprocess.run(
        [*painlink_command(), "load", "--data-dir", str(tmp_path / "data"), str(data)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "loaded 5 triples" in result.stderr
