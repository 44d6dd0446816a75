"""The ``painlink`` command line. The issue's "done means" cases run the installed console script as a
real subprocess; the rest call :func:`painlink.cli.main` in-process with captured streams (same code,
faster)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from servers import painlink_command

from painlink.cli import main
from painlink.ontology import ARTICLE_PATH

ONTOLOGY_FIXTURES = Path(__file__).parent.parent / "ontology" / "fixtures"
ARTICLE = ARTICLE_PATH.read_text(encoding="utf-8")


def painlink(*args: str) -> subprocess.CompletedProcess:
    """Run the installed ``painlink`` script (tests/servers.py finds it, as for ``painlink serve``)."""
    env = {**os.environ, "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([*painlink_command(), *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=120, check=False)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(args), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def _section(text: str, start: str, stop: str) -> str:
    begin = text.index(start)
    end = text.find(stop, begin + len(start))
    return text[begin: end if end != -1 else len(text)]


def _unwrap(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- the "done means", as a user runs them -------------------------------------------------
def test_paths_ranks_the_gait_chain_first_quoting_the_article_at_each_step() -> None:
    result = painlink("paths", "foot pain", "back pain")
    assert result.returncode == 0, result.stderr
    first = _unwrap(_section(result.stdout, "1. ", "\n2. "))
    assert "1. foot pain -> altered (compensatory) gait -> spinal misalignment -> back pain" in first
    # every piece of evidence is tagged with its kind of source: the article is a commercial page
    quotes = re.findall(r'\[\+\] \[commercial\] the article: "([^"]+)"', first)
    assert len(quotes) >= 3 and all(q in _unwrap(ARTICLE) for q in quotes)
    for step in ("step 1:", "step 2:", "step 3:"):
        block = _section(first, step, "step ")
        assert "[+] [commercial] the article:" in block
    assert "(rests only on commercial or practice pages)" in first
    assert "why this rank: Score" in first


@pytest.mark.parametrize(
    "symptoms",
    [("foot numbness", "foot weakness"), ("numbness in the foot", "weakness")],
    ids=["labels", "the article's own words"],
)
def test_explain_ranks_causes_of_both_symptoms_and_reminds_of_red_flags(symptoms: tuple[str, str]) -> None:
    result = painlink("explain", *symptoms, "--limit", "10")
    assert result.returncode == 0, result.stderr
    # Red flags open the answer, before any ranking: here a reminder of what to ask.
    head, ranking = result.stdout.split("What could explain: foot numbness, foot weakness", 1)
    assert head.startswith("?? Ask about red flags: Possible cauda equina syndrome (emergency if present)")
    assert "genitals or anus" in head
    assert "it does not diagnose" in ranking.splitlines()[1]
    first = _unwrap(_section(ranking, "1. ", "\n2. "))
    assert first.startswith("1. sciatica explains 2 of 2")
    lower_back = _unwrap(_section(ranking, ". lower back problem ", "\n\n"))
    assert "explains 2 of 2" in lower_back and "caused by problems with your back" in lower_back


def test_explain_lists_causes_of_a_broader_term_apart_as_unspecific() -> None:
    status, out, _ = run("explain", "foot numbness", "foot weakness", "--limit", "20")
    assert status == 0
    ranked = [line for line in out.splitlines() if line[:1].isdigit()]
    assert not any(". back injury " in line for line in ranked)
    unspecific = _section(out, "Unspecific:", "\n\n")
    assert "- back injury (only through foot problem)" in unspecific
    assert out.index("Unspecific:") > out.index(ranked[-1])


def test_interventions_show_orthotics_with_support_and_contradiction() -> None:
    result = painlink("interventions", "back pain")
    assert result.returncode == 0, result.stderr
    block = _unwrap(_section(result.stdout, "orthotic shoes   (", "\n\n"))
    assert '[+] [commercial] the article: "Yes, in fact, orthotic shoes can help your back"' in block
    assert "[-] [guideline] Exercise and physical activity (NICE NG59" in block
    assert "advises against" in block
    assert "DISPUTED" in block
    # the sides weighed by kind of source, about back pain only
    assert re.search(r"evidence about back pain: for: 1 commercial page; against: [^.]*guideline", block)
    assert "(a cause on a chain into back pain; not counted for it)" in block
    # The headline says it too, and says it only of disputed interventions.
    headlines = [line for line in result.stdout.splitlines() if line[:1].isdigit()]
    assert "orthotic shoes" in [line.split(".", 1)[1].split("(")[0].strip() for line in headlines if "DISPUTED" in line]


def test_interventions_for_sciatica_show_nice_advice_against_foot_supports() -> None:
    result = painlink("interventions", "sciatica")
    assert result.returncode == 0, result.stderr
    assert "[-] [guideline] Exercise and physical activity (NICE NG59" in result.stdout
    assert "foot supports" in _unwrap(result.stdout)


def test_saddle_numbness_opens_with_an_emergency_before_any_ranking() -> None:
    result = painlink("explain", "saddle numbness", "difficulty starting to pass urine")
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first == "!! RED FLAG (EMERGENCY): Possible cauda equina syndrome"
    head = _unwrap(result.stdout.split("What could explain:", 1)[0])
    assert "what to do: Go to A&E or call 999" in head
    assert "source: [guideline]" in head


def test_validate_is_clean_on_the_shipped_ontology() -> None:
    result = painlink("validate")
    assert result.returncode == 0, result.stderr
    assert "Conforms: no violations" in result.stdout


def test_validate_reports_violations_with_exit_1() -> None:
    broken = ONTOLOGY_FIXTURES / "invalid" / "claim-without-evidence.ttl"
    result = painlink("validate", str(broken))
    assert result.returncode == 1
    assert "Does not conform" in result.stdout
    assert "plc:sciatica--causes--test-symptom" in result.stdout


def test_unknown_entity_exits_2_with_suggestions() -> None:
    result = painlink("paths", "sciatc", "back pain")
    assert result.returncode == 2
    assert "no entity named 'sciatc'; did you mean: sciatic nerve, sciatica" in result.stderr
    assert result.stdout == ""


def test_data_file_that_does_not_parse_is_rejected_with_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "extension.ttl"
    bad.write_text("@prefix pl: <https://w3id.org/painlink/vocab#> .\npl:a pl:b .\n", encoding="utf-8")
    result = painlink("--data", str(bad), "search", "foot")
    assert result.returncode == 1
    assert f"{bad}, line 2, column" in result.stderr
    assert "nothing was loaded" in result.stderr
    assert result.stdout == ""


def test_json_output_is_machine_readable() -> None:
    result = painlink("--json", "paths", "foot pain", "back pain", "--limit", "2")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [n["id"] for n in data["paths"][0]["nodes"]] == ["foot-pain", "altered-gait", "spinal-misalignment", "back-pain"]
    assert data["paths"][0]["claims"][0] == "foot-pain--causes--altered-gait"
    assert data["paths"][0]["steps"][0]["claim"]["evidence"][0]["quote"]["exact"] in ARTICLE


# --- the rest, in-process ------------------------------------------------------------------------------
def test_data_file_that_breaks_the_shapes_is_rejected_listing_violations() -> None:
    broken = ONTOLOGY_FIXTURES / "invalid" / "claim-without-evidence.ttl"
    status, out, err = run("--data", str(broken), "paths", "foot pain", "back pain")
    assert status == 1 and out == ""
    assert "nothing was loaded" in err and "evidence" in err


def test_valid_data_file_joins_the_graph() -> None:
    extension = ONTOLOGY_FIXTURES / "valid" / "new-entity-with-cited-claim.ttl"
    status, out, _ = run("--data", str(extension), "search", "test symptom")
    assert status == 0
    assert "test-symptom" in out


def test_entity_shows_synonyms_mappings_and_claims() -> None:
    status, out, _ = run("entity", "Foot Drop")
    assert status == 0
    # the red flag of sudden foot drop first, then the entity
    assert out.startswith("!! RED FLAG (URGENT): Sudden (acute) foot drop")
    assert "\nfoot drop   (symptom, id foot-drop)" in out
    out = _unwrap(out)
    assert "trouble lifting the foot" in out
    assert "HP:0009027 (exact: Foot dorsiflexor weakness)" in out
    assert "[peroneal-nerve-injury--causes--foot-drop]" in out


def test_search_lists_matches_aligned() -> None:
    status, out, _ = run("search", "sciatic")
    assert status == 0
    lines = out.splitlines()
    assert {"sciatic-nerve", "sciatica", "sciatic-nerve-problem"} <= {line.split()[0] for line in lines}
    # the second column (the label) starts at the same place on every line
    assert len({re.search(r"\S\s{2,}(?=\S)", line).end() for line in lines}) == 1


def test_explain_shows_the_foot_drop_differential() -> None:
    status, out, _ = run("explain", "foot drop")
    assert status == 0
    differential = _unwrap(_section(out, "Telling apart the origins of foot drop:", "\n\n"))
    assert "peroneal nerve injury (common peroneal nerve)" in differential
    assert "sign: injury or pressure at the outer knee" in differential
    assert "(lower back)" in differential


def test_max_length_out_of_range_is_a_usage_error() -> None:
    status, _, err = run("paths", "foot pain", "back pain", "--max-length", "0")
    assert status == 2
    assert "--max-length: must be a whole number from 1 to 10, not “0”" in err


def test_truncation_is_reported() -> None:
    status, out, _ = run("paths", "foot pain", "back pain", "--max-length", "2")
    assert status == 0
    assert "Cut off: longer chains exist (raise --max-length above 2)" in _unwrap(out)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_export_writes_the_whole_graph(tmp_path: Path, fmt: str) -> None:
    from painlink.graph import EXPORT_FORMATS, Knowledge

    target = tmp_path / f"graph.{fmt}"
    status, _, err = run("export", "--format", fmt, "--output", str(target))
    assert status == 0 and "wrote" in err
    triples = list(ox.parse(target.read_bytes(), format=EXPORT_FORMATS[fmt]))
    assert len(set(triples)) == len(Knowledge.shipped().store)


def test_export_to_standard_output() -> None:
    result = painlink("export", "--format", "nt")
    assert result.returncode == 0
    assert "<https://w3id.org/painlink/id/foot-pain> <https://w3id.org/painlink/vocab#causes> " \
           "<https://w3id.org/painlink/id/altered-gait> ." in result.stdout


def test_validate_json() -> None:
    broken = ONTOLOGY_FIXTURES / "invalid" / "claim-without-evidence.ttl"
    status, out, _ = run("--json", "validate", str(broken))
    data = json.loads(out)
    assert status == 1 and data["conforms"] is False
    assert any(v["severity"] == "Violation" for v in data["violations"])


def test_validate_names_a_file_that_does_not_parse(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle\n", encoding="utf-8")
    status, _, err = run("validate", str(bad))
    assert status == 1 and f"{bad}, line 1" in err


def test_help_lists_every_registered_command() -> None:
    from painlink.cli import COMMANDS, build_parser

    text = build_parser().format_help()
    for command in COMMANDS:
        assert command.name in text


def test_control_characters_from_a_data_file_never_reach_the_terminal(tmp_path: Path) -> None:
    # A label and definition carrying terminal escape sequences (clear screen, retitle the window)
    # and a carriage return that would overwrite the line: shown written out, never obeyed.
    text = (ONTOLOGY_FIXTURES / "valid" / "new-entity-with-cited-claim.ttl").read_text()
    text = text.replace('"test symptom (fixture)"@en', '"test symptom \\u001B[2J\\u001B]0;owned\\u0007 x"@en')
    text = text.replace('"A made-up symptom used only by the test fixtures."@en', '"cured\\rSEVERE\\u009B1m"@en')
    hostile = tmp_path / "escapes.ttl"
    hostile.write_text(text)
    status, out, _ = run("--data", str(hostile), "entity", "test-symptom")
    assert status == 0
    assert not any(ord(c) < 0x20 and c not in "\n\t" or 0x7F <= ord(c) < 0xA0 for c in out), repr(out)
    assert "test symptom \\x1b[2J\\x1b]0;owned\\x07 x" in out
    assert "cured\\x0dSEVERE\\x9b1m" in out


def test_global_options_work_after_the_command_too(tmp_path: Path) -> None:
    status, out, _ = run("paths", "foot pain", "back pain", "--json", "--limit", "1")
    assert status == 0 and json.loads(out)["paths"][0]["nodes"][0]["id"] == "foot-pain"
    extension = ONTOLOGY_FIXTURES / "valid" / "evidence-on-a-shipped-claim.ttl"
    status, out, _ = run("--json", "paths", "foot pain", "back pain", "--data", str(extension))
    assert status == 0
    evidence = json.loads(out)["paths"][0]["steps"][0]["claim"]["evidence"]
    assert "T2" in [e["cited_claim"] for e in evidence]
