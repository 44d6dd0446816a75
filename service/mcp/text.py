"""The text an assistant reads beside a tool's structured answer: red flags first, then the ranked
answer, then the evidence with the kind and address of every source.

The text is made from the structured answer itself (the JSON API's model, dumped), so the two never
disagree: whatever the answer holds under ``red_flags`` opens the text, whatever item of evidence it
holds anywhere (a path's steps, an intervention's sides, a claim, a red flag) is listed at the end,
for, qualifying and against alike. Only the middle part knows the kind of answer.

>>> flag = {"level": "warning", "reason": "saddle numbness was named", "flag": {
...     "label": "Possible cauda equina syndrome", "urgency": "emergency", "action": "Call 999 now.",
...     "signs": [{"label": "saddle numbness"}], "questions": [], "evidence": []}}
>>> print(answer_text({"red_flags": [flag], "query": "numb", "hits": []}).splitlines()[0])
RED FLAG (EMERGENCY): Possible cauda equina syndrome. Call 999 now.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from painlink.graph.narrate import STANCE_MARKERS

__all__ = ["DISCLAIMER", "answer_text", "evidence_lines", "red_flag_lines"]

DISCLAIMER = "painlink explains how things may be linked, from the sources listed; it does not diagnose."

Answer = dict[str, Any]


def _label(entity: Answer | None) -> str:
    return (entity or {}).get("label") or (entity or {}).get("id") or "?"


def red_flag_lines(alerts: list[Answer]) -> list[str]:
    """Warnings (as the engine orders them: most urgent first), then reminders of what to ask."""
    lines: list[str] = []
    for alert in alerts:
        flag = alert["flag"]
        if alert["level"] == "warning":
            lines.append(f"RED FLAG ({flag['urgency'].upper()}): {flag['label']}. {flag['action']}")
            lines.append(f"  why: {alert['reason']}")
            if flag.get("signs"):
                lines.append("  warning signs: " + ", ".join(_label(sign) for sign in flag["signs"]))
        else:
            lines.append(f"ASK ABOUT RED FLAGS: {flag['label']} ({flag['urgency']} if present); {alert['reason']}")
            lines.append(f"  if yes: {flag['action']}")
        lines.extend(f"  ask: {question}" for question in flag.get("questions", []))
    return lines


# --- the ranked answer, by kind of answer ---------------------------------------------------------------
def _path_line(path: Answer) -> str:
    chain = " -> ".join(_label(node) for node in path["nodes"])
    claims = ", ".join(path.get("claims", []))
    return f"{path.get('rank') or '-'}. {chain} (score {path['score']:.3f}; claims: {claims})"


def _paths(answer: Answer) -> Iterator[str]:
    yield f"Causal chains from {_label(answer['source'])} to {_label(answer['target'])}, best first:"
    if not answer["paths"]:
        yield "  none found within the search's limits."
    for path in answer["paths"]:
        yield "  " + _path_line(path)
        if path.get("explanation"):
            yield "     " + path["explanation"]
    if answer.get("reason"):
        yield f"  (cut short: {answer['reason']})"


def _explain(answer: Answer) -> Iterator[str]:
    yield "Candidate causes of " + ", ".join(_label(s) for s in answer["symptoms"]) + ", best first:"
    if not answer["explanations"]:
        yield "  none explains these symptoms specifically."
    for rank, item in enumerate(answer["explanations"], start=1):
        explained = ", ".join(_label(part["symptom"]) for part in item["explained"]) or "nothing specifically"
        missing = ", ".join(_label(s) for s in item["unexplained"])
        yield (f"  {rank}. {_label(item['cause'])} (score {item['score']:.3f}): explains {explained}"
               + (f"; leaves unexplained {missing}" if missing else ""))
    for differential in answer.get("differentials", []):
        yield f"  Differential for {_label(differential['symptom'])}: {differential['note']}"
    if answer.get("unspecific"):
        yield "  Reaching these symptoms only through broader terms (not counted): " + ", ".join(
            _label(item["cause"]) for item in answer["unspecific"])


def _interventions(answer: Answer) -> Iterator[str]:
    yield f"What acts on the causal chains into {_label(answer['target'])} (helpful first):"
    if not answer["interventions"]:
        yield "  nothing in the graph acts on them."
    for rank, item in enumerate(answer["interventions"], start=1):
        disputed = ", DISPUTED" if item.get("disputed") else ""
        reach = "cuts every chain" if item["cuts_all"] else f"cuts {len(item['paths_cut'])} chain(s)"
        yield (f"  {rank}. {_label(item['intervention'])}: {item['effect']}{disputed} (score {item['score']:.3f}, "
               f"{reach}); {item.get('weighed') or 'no evidence about the target itself'}")


def _search(answer: Answer) -> Iterator[str]:
    yield f"Entities matching {answer['query']!r}, best first:"
    if not answer["hits"]:
        yield "  none."
    for rank, hit in enumerate(answer["hits"], start=1):
        entity = hit["entity"]
        yield f"  {rank}. {entity['label']} [{entity.get('kind') or 'untyped'}] id {entity['id']} (matched {hit['matched']!r})"


def _claim_line(claim: Answer) -> str:
    flags = " DISPUTED" if claim.get("disputed") else ""
    if claim.get("summary", {}).get("weak_sources_only"):
        flags += " (rests only on commercial or practice pages)"
    said = claim.get("statement") or f"{_label(claim['subject'])} {claim['predicate_label']} {_label(claim['object'])}"
    return f"{said} [claim {claim['id']}]{flags}"


def _entity(answer: Answer) -> Iterator[str]:
    yield f"{answer['label']} [{answer.get('kind') or 'untyped'}] id {answer['id']}: {answer.get('definition') or ''}".rstrip(": ")
    if answer.get("synonyms"):
        yield "  also called: " + ", ".join(answer["synonyms"])
    if answer.get("mappings"):
        yield "  maps to: " + ", ".join(f"{m['curie']} ({m['relation']})" for m in answer["mappings"])
    yield f"  claims ({len(answer['claims'])}):"
    for claim in answer["claims"]:
        yield "  - " + _claim_line(claim)


def _claim(answer: Answer) -> Iterator[str]:
    yield _claim_line(answer)


def _claims(answer: Answer) -> Iterator[str]:
    yield f"Claims about {_label(answer['about'])}:"
    for claim in answer["claims"]:
        yield "  - " + _claim_line(claim)


#: The answer's kind, told by a field only it has -> how its ranked part reads.
_BODIES: tuple[tuple[str, Callable[[Answer], Iterator[str]]], ...] = (
    ("explanations", _explain),
    ("interventions", _interventions),
    ("paths", _paths),
    ("hits", _search),
    ("neighbourhood", _entity),
    ("about", _claims),
    ("evidence", _claim),
)


def _body(answer: Answer) -> list[str]:
    for field, render in _BODIES:
        if field in answer:
            return list(render(answer))
    return []


# --- the evidence ---------------------------------------------------------------------------------------
def _evidence(value: Any, claim: str | None = None) -> Iterator[tuple[str | None, Answer]]:
    """Every item of evidence in the answer, with the claim (or red flag) it is evidence for."""
    if isinstance(value, list):
        for item in value:
            yield from _evidence(item, claim)
    elif isinstance(value, dict):
        if "stance" in value and "source" in value:
            yield claim, value
            return
        if "evidence" in value and "id" in value:
            claim = f"red flag {value['id']}" if "urgency" in value else f"claim {value['id']}"
        for item in value.values():
            yield from _evidence(item, claim)


def evidence_lines(answer: Answer) -> list[str]:
    """One line per item of evidence (each once): stance, kind of source, source, address, what it says."""
    lines, seen = [], set()
    for claim, item in _evidence(answer):
        if (claim, item["id"]) in seen:
            continue
        seen.add((claim, item["id"]))
        source = item["source"]
        where = source.get("url") or source.get("local_copy") or source["iri"]
        said = f'"{item["quote"]["exact"]}"' if item.get("quote") else f"(summary) {item.get('summary') or ''}"
        lines.append(
            f"{STANCE_MARKERS.get(item['stance'], item['stance'])} {item['stance']} {claim or ''}: "
            f"[{item.get('kind') or source.get('kind') or 'unknown kind'}] {source.get('title') or source['id']} "
            f"<{where}> {said}"
        )
    return lines


def answer_text(answer: Answer) -> str:
    """The whole text: red flags, the ranked answer, the evidence, the disclaimer."""
    sections = [red_flag_lines(answer.get("red_flags", [])), _body(answer)]
    evidence = evidence_lines(answer)
    if evidence:
        sections.append(["Evidence ([+] supports, [~] qualifies, [-] contradicts; [kind of source]):", *evidence])
    sections.append([DISCLAIMER])
    return "\n\n".join("\n".join(section) for section in sections if section)
