"""A corrupt or unusable store directory, or a bad ``--data`` file, at start-up: ``painlink serve``
says which file and what is wrong, exits non-zero, and overwrites nothing.

Each case starts from a copy of one healthy data directory (the shipped ontology and a user's update,
closed cleanly), damages it, runs the real command and then checks that the data is as it was:
byte for byte where the database could not be opened at all (only RocksDB's own activity log may be
rotated), quad for quad where it could (RocksDB tidies its files on every open).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from servers import painlink_command

from painlink.graph.stores import OxigraphStore, open_store
from painlink.ontology import SHIPPED_FILES

pytestmark = pytest.mark.slow

USER_TRIPLE = "<urn:painlink-test:mine> <urn:painlink-test:kept> <urn:painlink-test:safe>"


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory as `painlink serve` leaves it: shipped ontology, one user triple, closed."""
    data = tmp_path_factory.mktemp("healthy") / "data"
    store = open_store(data_dir=data, shipped=SHIPPED_FILES)
    store.update(f"INSERT DATA {{ {USER_TRIPLE} }}")
    store.close()
    return data


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but RocksDB's activity log (which an open attempt rotates)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith("LOG")
    }


def quads(data: Path) -> set[str]:
    store = OxigraphStore(data)
    try:
        return set(store.dump(ox.RdfFormat.N_QUADS).decode().splitlines())
    finally:
        store.close()


def corrupt_current(data: Path) -> Path:
    target = data / "oxigraph" / "CURRENT"
    target.write_text("MANIFEST-999999\n")
    return data / "oxigraph"


def corrupt_manifest(data: Path) -> Path:
    target = next((data / "oxigraph").glob("MANIFEST-*"))
    target.write_bytes(b"\x00not a manifest\xff" * 40)
    return target


def truncate_table(data: Path) -> Path:
    target = max((data / "oxigraph").glob("*.sst"), key=lambda p: p.stat().st_size)
    target.write_bytes(target.read_bytes()[:100])
    return target


def foreign_database(data: Path) -> Path:
    shutil.rmtree(data / "oxigraph")
    (data / "oxigraph").mkdir()
    (data / "oxigraph" / "notes.txt").write_text("somebody else's files")
    return data / "oxigraph"


def file_instead_of_directory(data: Path) -> Path:
    shutil.rmtree(data)
    data.write_text("not a directory")
    return data


def record_not_text(data: Path) -> Path:
    target = data / "records" / "shipped-ontology"
    target.write_bytes(b"\xff\xfe\x00 damaged on disk " + bytes(range(256)))
    return target


def record_garbled(data: Path) -> Path:
    target = data / "records" / "shipped-ontology"
    target.write_text("0123456789abcdef" * 4 + "\n<urn:a> <urn:b> this is not N-Triples\n")
    return target


def record_without_digest(data: Path) -> Path:
    target = data / "records" / "shipped-ontology"
    target.write_text("hello\n")
    return target


# (damage, words the message must contain, whether RocksDB refuses to open the database at all)
DAMAGE: dict[str, tuple[Callable[[Path], Path], tuple[str, ...], bool]] = {
    "CURRENT names a missing manifest": (corrupt_current, ("corrupt",), True),
    "garbage manifest": (corrupt_manifest, ("corrupt",), True),
    "truncated table file": (truncate_table, ("corrupt",), True),
    "someone else's directory": (foreign_database, ("not an Oxigraph database",), True),
    "a file where the directory should be": (file_instead_of_directory, ("is a file",), True),
    "record is not text": (record_not_text, ("damaged",), False),
    "record is garbled": (record_garbled, ("damaged",), False),
    "record has no digest": (record_without_digest, ("damaged",), False),
}


@pytest.mark.parametrize("case", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_store_is_refused_naming_the_file_and_nothing_is_overwritten(
    case: str, healthy: Path, tmp_path: Path, start_server
) -> None:
    damage, words, unopenable = DAMAGE[case]
    data = tmp_path / "data"
    shutil.copytree(healthy, data)
    before_quads = quads(data)
    named = damage(data)
    before = files(data) if data.is_dir() else {"": data.read_bytes()}

    result = start_server.run("--data-dir", str(data))

    assert result.returncode != 0
    message = result.stderr
    assert "Traceback" not in message, message
    assert str(named) in message, f"the message should name {named}: {message}"
    for word in words:
        assert word in message, message
    if data.is_file():
        assert data.read_bytes() == before[""]
    elif unopenable:
        assert files(data) == before, "the damaged store was changed"
    else:
        assert (named.read_bytes() if named.is_file() else None) == before[str(named.relative_to(data))]
        assert quads(data) == before_quads
    assert not (start_server.workdir / "data").exists(), "a fresh store was made in ./data instead"


def test_a_store_in_use_by_another_process_is_refused(healthy: Path, tmp_path: Path, start_server) -> None:
    data = tmp_path / "data"
    shutil.copytree(healthy, data)
    holder = OxigraphStore(data)  # this process holds RocksDB's lock, like a running server would
    try:
        result = start_server.run("--data-dir", str(data))
    finally:
        holder.close()
    assert result.returncode != 0
    assert str(data / "oxigraph") in result.stderr and "in use by another process" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file whatever its mode")
def test_an_unreadable_store_is_refused(healthy: Path, tmp_path: Path, start_server) -> None:
    data = tmp_path / "data"
    shutil.copytree(healthy, data)
    (data / "oxigraph").chmod(0)
    try:
        result = start_server.run("--data-dir", str(data))
    finally:
        (data / "oxigraph").chmod(0o755)
    assert result.returncode != 0
    assert str(data / "oxigraph") in result.stderr and "permission denied" in result.stderr


# --- --data files --------------------------------------------------------------------------------------
def bad_data(folder: Path) -> dict[str, tuple[Path, tuple[str, ...]]]:
    """Data files painlink must refuse: (file, words the message must contain)."""
    syntax = folder / "broken.ttl"
    syntax.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n')
    binary = folder / "binary.nt"
    binary.write_bytes(bytes(range(256)) * 4)
    directory = folder / "folder.ttl"
    directory.mkdir()
    unknown = folder / "table.csv"
    unknown.write_text("a,b,c\n")
    remote = folder / "remote-context.jsonld"
    remote.write_text('{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "urn:x", "name": "x"}')
    return {
        "syntax error": (syntax, ("line 3",)),
        "binary garbage": (binary, ("not UTF-8",)),
        "a directory": (directory, ()),
        "missing": (folder / "missing.ttl", ("No such file",)),
        "unknown format": (unknown, ("format",)),
        "remote JSON-LD context": (remote, ()),
    }


BAD_DATA = ["syntax error", "binary garbage", "a directory", "missing", "unknown format", "remote JSON-LD context"]


@pytest.mark.parametrize("case", BAD_DATA)
def test_a_bad_data_file_is_refused_naming_it_and_the_store_is_unchanged(
    case: str, healthy: Path, tmp_path: Path, start_server
) -> None:
    data = tmp_path / "data"
    shutil.copytree(healthy, data)
    before = quads(data)
    path, words = bad_data(tmp_path)[case]

    result = start_server.run("--data-dir", str(data), "--data", str(path))

    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert path.name in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    assert quads(data) == before


# --- one admission path: serve --data refuses what validate and painlink --data refuse ------------------
FIXTURES = Path(__file__).resolve().parents[1] / "ontology" / "fixtures"


@pytest.mark.parametrize("fixture", ["relation-without-claim.ttl", "claim-without-evidence.ttl"])
def test_serve_refuses_a_file_that_validate_refuses_with_the_same_message(
    fixture: str, healthy: Path, tmp_path: Path, start_server
) -> None:
    import subprocess

    refused = FIXTURES / "invalid" / fixture
    data = tmp_path / "data"
    shutil.copytree(healthy, data)
    before = quads(data)
    cli = painlink_command()
    validated = subprocess.run([*cli, "validate", str(refused)], capture_output=True, text=True, timeout=120)
    assert validated.returncode == 1, validated.stdout
    from_cli = subprocess.run([*cli, "--data", str(refused), "search", "foot"], capture_output=True, text=True,
                              timeout=120, cwd=tmp_path)
    assert from_cli.returncode == 1

    result = start_server.run("--data-dir", str(data), "--data", str(refused))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Uvicorn running" not in result.stderr
    refusal = from_cli.stderr.strip().removeprefix("painlink: ")
    assert refusal.startswith("--data rejected, nothing was loaded") and refusal in result.stderr, result.stderr
    # Each violation validate reports is in the refusal, worded alike (the focus node's name).
    assert "breaks" in refusal and fixture.split("-")[0] in validated.stdout.lower()
    assert quads(data) == before


def test_serve_admits_a_file_that_validate_accepts(tmp_path: Path, start_server) -> None:
    accepted = FIXTURES / "valid" / "new-entity-with-cited-claim.ttl"
    served = start_server("--data", str(accepted), data_dir=tmp_path / "data")
    rows = served.select("SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l "
                         "FILTER(STRSTARTS(?l, 'test symptom')) }")
    assert rows == [{"l": "test symptom (fixture)"}]


def test_painlink_load_says_it_does_not_check_the_shapes(tmp_path: Path) -> None:
    import subprocess

    refused = FIXTURES / "invalid" / "relation-without-claim.ttl"
    result = subprocess.run([*painlink_command(), "load", str(refused), "--data-dir", str(tmp_path / "data")],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "not checked against the SHACL shapes" in result.stderr and "painlink validate" in result.stderr
