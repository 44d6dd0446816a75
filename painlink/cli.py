"""The ``painlink`` command line.

    painlink paths "foot pain" "back pain" [--max-length N] [--limit K]
    painlink explain "foot numbness" "foot weakness"
    painlink interventions "back pain"
    painlink entity "foot drop"            painlink search numb
    painlink validate [FILE ...]           painlink export --format ttl|jsonld|nt|html [--focus NAME] [--output FILE]
    painlink serve ...                     (the service; options in painlink.service.serve)
    painlink load FILE ... [--data-dir DIR | --store URL --store-update URL]

Global options (before the subcommand): ``--data FILE`` (repeatable; Turtle, N-Triples or JSON-LD, validated
with the shipped shapes, all or nothing) and ``--json`` (machine-readable answers).

Exit status: 0 done; 1 the data was refused (validation violations, a file that does not parse);
2 a usage error, an unknown entity (with "did you mean ...") or a parameter out of range.

A command that asks a question of :data:`painlink.graph.QUESTIONS` takes its arguments from the
declaration: required parameters are positional (``FROM TO``), the others options named after them
(``max_length`` -> ``--max-length``), with the declared defaults and bounds (checked by the
declaration, so the messages are those of every face).

Adding a subcommand: write ``def run_NAME(args, ctx) -> int`` (and, if it takes options, a function
adding them to its parser; for a question, :func:`question_arguments`), then add one :class:`Command`
to :data:`COMMANDS`. ``ctx.knowledge`` loads the graph on first use; ``ctx.ask`` answers the command's
question; ``ctx.emit`` prints an answer as text or JSON.

>>> parser = build_parser()
>>> args = parser.parse_args(["--json", "paths", "foot pain", "back pain", "--limit", "3"])
>>> args.command, vars(args)["from"], args.limit, args.json
('paths', 'foot pain', '3', True)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any, TextIO

__all__ = ["COMMANDS", "Command", "Context", "build_parser", "inert", "main", "question_arguments"]

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2

# Control characters other than newline and tab (C0, DEL, C1): text from a user's data file must not
# reach the terminal as escape sequences that recolour, retitle or rewrite what the reader sees.
_CONTROL = {code: f"\\x{code:02x}" for code in [*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}


def inert(text: str) -> str:
    r"""``text`` with its control characters written out, so a terminal shows them instead of obeying.

    >>> inert("sciatica\x1b[2J\rcured")
    'sciatica\\x1b[2J\\x0dcured'
    >>> inert("two\nlines\tand a tab")
    'two\nlines\tand a tab'
    """
    return text.translate(_CONTROL)


# --- shared plumbing -------------------------------------------------------------------------------
class Context:
    """What a subcommand gets besides its arguments: the output streams, the graph (loaded on first
    use, with the ``--data`` files) and the output helpers."""

    def __init__(self, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
        self.args = args
        self.out = out
        self.err = err
        self._knowledge = None
        self.width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))

    @property
    def knowledge(self):
        if self._knowledge is None:
            from painlink.graph import Knowledge

            self._knowledge = Knowledge.shipped(self.args.data or ())
        return self._knowledge

    def ask(self, name: str) -> Any:
        """The answer to question ``name`` for this command's arguments (checked by its declaration)."""
        from painlink.graph import QUESTIONS

        question = QUESTIONS[name]
        given = vars(self.args)
        return question.ask(self.knowledge, **{p.name: given.get(p.name) for p in question.parameters})

    def emit(self, answer: Any, render: Callable[[Any, Context], None]) -> int:
        """Print ``answer`` as JSON (``--json``) or with ``render``; exit status 0."""
        if self.args.json:
            data = answer.to_dict() if hasattr(answer, "to_dict") else answer
            if isinstance(data, list):
                data = [item.to_dict() if hasattr(item, "to_dict") else item for item in data]
            print(json.dumps(data, indent=2, ensure_ascii=False), file=self.out)
        else:
            render(answer, self)
        return EXIT_OK

    def line(self, text: str = "") -> None:
        print(inert(text), file=self.out)

    def wrap(self, text: str, indent: str = "", hanging: str | None = None) -> None:
        """Print ``text`` wrapped to the terminal width, later lines indented by ``hanging``."""
        lines = textwrap.wrap(
            inert(text), width=self.width, initial_indent=indent,
            subsequent_indent=hanging if hanging is not None else indent,
            break_long_words=False, break_on_hyphens=False,
        )
        for line in lines or [indent]:
            print(line, file=self.out)


@dataclass(frozen=True)
class Command:
    """One subcommand: its name, one-line help, a function adding its arguments, and its runner."""

    name: str
    help: str
    run: Callable[[argparse.Namespace, Context], int]
    arguments: Callable[[argparse.ArgumentParser], None] | None = None
    #: Parse its own argv (for a command that owns its options, like ``serve``): run gets the rest.
    passthrough: bool = False
    #: The question of :data:`painlink.graph.QUESTIONS` it asks, if any (its errors name its options).
    question: str | None = None


def _evidence_lines(ctx: Context, evidence, indent: str) -> None:
    from painlink.graph.narrate import STANCE_MARKERS, source_name

    for item in evidence:
        marker = STANCE_MARKERS[item.stance]
        said = f'"{item.quote.exact}"' if item.quote is not None else f"(our summary) {item.summary or ''}"
        where = f" <{item.source.url}>" if item.source.url else ""
        kind = f"[{item.kind or 'unknown kind'}] "
        ctx.wrap(f"{marker} {kind}{source_name(item.source)}{where}: {said}", indent, indent + "    ")


def _claim_line(claim) -> str:
    from painlink.graph.narrate import claim_sentence

    flag = "  DISPUTED" if claim.disputed else ""
    weak = "  (rests only on commercial or practice pages)" if claim.summary.weak_sources_only else ""
    return f"{claim_sentence(claim)}  [{claim.id}]{flag}{weak}"


DISCLAIMER = "painlink explains how things may be linked; it does not diagnose."


def _render_red_flags(alerts, ctx: Context) -> None:
    """Red flags open every answer: warnings (most urgent first), then reminders of what to ask."""
    from painlink.graph.narrate import source_name

    for alert in alerts:
        flag = alert.flag
        sources = {e.source.iri: e for e in flag.evidence}
        if alert.level == "warning":
            ctx.wrap(f"!! RED FLAG ({flag.urgency.upper()}): {flag.label}", "", "   ")
            ctx.wrap(f"why: {alert.reason}", "   ", "     ")
            ctx.wrap(f"what to do: {flag.action}", "   ", "     ")
            if flag.signs:
                ctx.wrap("warning signs: " + ", ".join(s.label for s in flag.signs), "   ", "     ")
            for question in flag.questions:
                ctx.wrap(f"ask directly: {question}", "   ", "     ")
            for item in sources.values():
                where = f" <{item.source.url}>" if item.source.url else ""
                ctx.wrap(f"source: [{item.kind or 'unknown kind'}] {source_name(item.source)}{where}", "   ", "     ")
        else:
            # A reminder is shorter: the questions to ask, what to do if the answer is yes, who says so.
            ctx.wrap(f"?? Ask about red flags: {flag.label} ({flag.urgency} if present); {alert.reason}", "", "   ")
            for question in flag.questions:
                ctx.wrap(f"ask: {question}", "   ", "     ")
            ctx.wrap(f"if yes: {flag.action}", "   ", "     ")
            ctx.wrap("source: " + "; ".join(f"[{e.kind or 'unknown kind'}] {source_name(e.source)}"
                                            for e in sources.values()), "   ", "     ")
    if alerts:
        ctx.line()


# --- questions -------------------------------------------------------------------------------------
def question_arguments(name: str) -> Callable[[argparse.ArgumentParser], None]:
    """A function adding question ``name``'s parameters to a parser, from its declaration: required
    ones positional, the others ``--options``; values stay text for the declaration to check."""

    def add(parser: argparse.ArgumentParser) -> None:
        from painlink.graph import QUESTIONS

        for parameter in QUESTIONS[name].parameters:
            if parameter.required:
                parser.add_argument(parameter.name, metavar=parameter.name.upper(), help=parameter.description,
                                    nargs="+" if parameter.type == "strings" else None)
                continue
            bounds = ""
            if parameter.type == "integer":
                bounds = f", {parameter.minimum} to {parameter.maximum}"
            parser.add_argument(parameter.flag, dest=parameter.name, metavar=parameter.name.upper(),
                                help=f"{parameter.description} (default {parameter.default}{bounds})")

    return add


# --- paths -----------------------------------------------------------------------------------------
def run_paths(args: argparse.Namespace, ctx: Context) -> int:
    return ctx.emit(ctx.ask("paths"), _render_paths)


def _render_path(path, ctx: Context, number: int, indent: str = "") -> None:
    from painlink.graph.narrate import chain_sentence

    chain = " -> ".join(node.label for node in path.nodes)
    ctx.wrap(f"{number}. {chain}   (score {path.score:.3f})", indent, indent + "   ")
    inner = indent + "   "
    for end, via in ((path.nodes[0], path.via_source), (path.nodes[-1], path.via_target)):
        if via is not None:
            ctx.wrap(f"({end.label} is a kind of {via.label})", inner)
    ctx.wrap(chain_sentence([step.claim for step in path.steps]) + ".", inner)
    for n, step in enumerate(path.steps, start=1):
        ctx.wrap(f"step {n}: {_claim_line(step.claim)}", inner, inner + "   ")
        _evidence_lines(ctx, step.claim.evidence, inner + "   ")
    b = path.breakdown
    ctx.wrap(
        f"score {path.score:.3f} = mean step weight {b.edge_mean:.3f} x length {b.length_factor:.3f}"
        f" x hubs {b.hub_factor:.3f}  (step weights {', '.join(f'{w:.2f}' for w in b.edge_weights)})",
        inner, inner + "   ",
    )
    if path.rationale:
        ctx.wrap(f"why this rank: {path.rationale}", inner, inner + "   ")


def _render_paths(result, ctx: Context) -> None:
    _render_red_flags(result.red_flags, ctx)
    ctx.line(f"Causal chains from {result.source.label} to {result.target.label}, best first")
    chains = "1 chain" if result.limit == 1 else f"{result.limit} chains"
    ctx.line(f"(at most {result.max_length} steps, {chains})")
    ctx.line()
    if not result.paths:
        ctx.line(f"No causal chain of at most {result.max_length} steps leads from "
                 f"{result.source.label} to {result.target.label}.")
    for number, path in enumerate(result.paths, start=1):
        _render_path(path, ctx, number)
        ctx.line()
    if result.truncated:
        reasons = {"max_length": f"longer chains exist (raise --max-length above {result.max_length})",
                   "limit": f"more chains exist (raise --limit above {result.limit})",
                   "max_expansions": "the search reached its work limit"}
        ctx.wrap("Cut off: " + "; ".join(reasons.get(r, r) for r in result.truncated_reasons) + ".")


# --- explain ---------------------------------------------------------------------------------------
def run_explain(args: argparse.Namespace, ctx: Context) -> int:
    return ctx.emit(ctx.ask("explain"), _render_explain)


def _render_explained(part, ctx: Context) -> None:
    via = ""
    if part.via is not None:
        via = {"narrower": f" (through {part.via.label}, a kind of {part.symptom.label})",
               "exact": f" (a kind of {part.via.label}, its sign)",
               }.get(part.match, f" (only through {part.via.label}, a broader term)")
    ctx.wrap(f"- {part.symptom.label}{via}, strength {part.strength:.3f}:", "   ", "     ")
    if part.paths:
        for step in part.paths[0].steps:
            ctx.wrap(_claim_line(step.claim), "     ", "       ")
            _evidence_lines(ctx, step.claim.evidence, "       ")
    if part.sign is not None:
        ctx.wrap(_claim_line(part.sign), "     ", "       ")
        _evidence_lines(ctx, part.sign.evidence, "       ")


def _render_explain(result, ctx: Context) -> None:
    _render_red_flags(result.red_flags, ctx)
    ctx.wrap("What could explain: " + ", ".join(s.label for s in result.symptoms))
    ctx.wrap(DISCLAIMER)
    ctx.line()
    if not result.explanations:
        ctx.line("Nothing in the graph explains these symptoms specifically.")
    total = len(result.symptoms)
    for number, item in enumerate(result.explanations, start=1):
        ctx.wrap(f"{number}. {item.cause.label}   explains {len(item.explained)} of {total}, "
                 f"score {item.score:.3f}", "", "   ")
        for part in item.explained:
            _render_explained(part, ctx)
        if item.unexplained:
            ctx.wrap("leaves unexplained: " + ", ".join(s.label for s in item.unexplained), "   ", "     ")
        ctx.line()
    if result.unspecific:
        ctx.wrap("Unspecific: these reach the symptoms only through broader terms, which does not explain "
                 "them (a cause of the broad term is not a cause of the specific one):")
        for item in result.unspecific:
            terms = ", ".join(sorted({p.via.label for p in item.unspecific if p.via is not None}))
            ctx.wrap(f"- {item.cause.label} (only through {terms})", "   ", "     ")
        ctx.line()
    if result.truncated:
        ctx.line("(more candidates exist: raise --limit)")
        ctx.line()
    for differential in result.differentials:
        ctx.wrap(f"Telling apart the origins of {differential.symptom.label}:")
        for option in differential.options:
            where = f" ({', '.join(loc.label for loc in option.locations)})" if option.locations else ""
            ctx.wrap(f"- {option.cause.label}{where}", "   ", "     ")
            for sign in option.signs:
                seen = " (observed)" if sign.observed else ""
                rather = (f", rather than {', '.join(r.label for r in sign.rather_than)}" if sign.rather_than else "")
                ctx.wrap(f"sign: {sign.sign.label}{seen}{rather} -- {_claim_line(sign.claim)}", "     ", "       ")
                _evidence_lines(ctx, sign.claim.evidence, "       ")
            if not option.signs:
                ctx.wrap("no distinguishing sign in the graph", "     ")
        for sign in differential.not_distinguishing:
            between = " from ".join(r.label for r in sign.rather_than) or "them"
            ctx.wrap(f"- does NOT tell {between} apart: {sign.sign.label}", "   ", "     ")
            _evidence_lines(ctx, sign.claim.evidence, "     ")
        ctx.line()


# --- interventions ---------------------------------------------------------------------------------
def run_interventions(args: argparse.Namespace, ctx: Context) -> int:
    return ctx.emit(ctx.ask("interventions"), _render_interventions)


def _render_interventions(result, ctx: Context) -> None:
    _render_red_flags(result.red_flags, ctx)
    ctx.wrap(f"What acts on {result.target.label} and the causal chains into it")
    ctx.line()
    ctx.line("Causal chains into it:")
    for number, path in enumerate(result.paths, start=1):
        ctx.wrap(f"[{number}] " + " -> ".join(n.label for n in path.nodes) + f"   ({path.score:.3f})", "  ", "      ")
    if not result.paths:
        ctx.line("  none")
    ctx.line()
    if not result.interventions:
        ctx.line("No intervention in the graph acts on these chains.")
    for number, item in enumerate(result.interventions, start=1):
        disputed = ", DISPUTED" if item.disputed else ""
        ctx.wrap(f"{number}. {item.intervention.label}   ({item.effect}{disputed}, score {item.score:.3f})", "", "   ")
        if item.acts_on_target:
            cuts = "acts on the target itself"
        elif item.paths_cut:
            cuts = "cuts chain" + ("s " if len(item.paths_cut) > 1 else " ") + ", ".join(
                f"[{i + 1}]" for i in item.paths_cut)
            cuts += " -- all of them" if item.cuts_all else ""
        else:
            cuts = "cuts none of the chains"
        weighed = item.weighed or "none about the target itself"
        ctx.wrap(f"{cuts}; evidence about {result.target.label}: {weighed}", "   ", "     ")
        for action in item.acts_on:
            note = {
                "target": " (the target itself)",
                "narrower": f" ({action.node.label} is a kind of {result.target.label})",
                "broader": f" ({action.node.label} covers {result.target.label})",
                "upstream": f" (a cause on a chain into {result.target.label}; not counted for it)",
            }[action.relation]
            ctx.wrap(f"- {_claim_line(action.claim)}{note}", "   ", "     ")
            _evidence_lines(ctx, action.claim.evidence, "     ")
        ctx.line()


# --- entity and search -----------------------------------------------------------------------------
def run_entity(args: argparse.Namespace, ctx: Context) -> int:
    report = ctx.ask("entity")
    entity, claims = report.entity, report.claims
    if ctx.args.json:
        return ctx.emit({"red_flags": [a.to_dict() for a in report.red_flags],
                         "entity": entity.to_dict(), "claims": [c.to_dict() for c in claims]}, lambda *_: None)
    _render_red_flags(report.red_flags, ctx)
    ctx.line(f"{entity.label}   ({entity.kind or 'untyped'}, id {entity.id})")
    ctx.line(f"  {entity.iri}")
    if entity.definition:
        ctx.wrap(entity.definition, "  ")
    rows = [
        ("also called", ", ".join(entity.synonyms)),
        ("kind of", ", ".join(r.label for r in entity.broader)),
        ("kinds", ", ".join(r.label for r in entity.narrower)),
        ("categories", ", ".join(entity.categories)),
        ("mappings", ", ".join(f"{m.curie} ({m.relation}{': ' + m.label if m.label else ''})" for m in entity.mappings)),
        ("neighbours" if report.neighbourhood.depth == 1 else f"within {report.neighbourhood.depth} steps",
         ", ".join(node.label for node in report.neighbourhood.nodes if node.id != entity.id)),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        if value:
            ctx.wrap(f"{name.ljust(width)}  {value}", "  ", "  " + " " * (width + 2))
    ctx.line()
    ctx.line(f"Claims ({len(claims)}):")
    for claim in claims:
        ctx.wrap(_claim_line(claim), "  ", "    ")
        _evidence_lines(ctx, claim.evidence, "    ")
    return EXIT_OK


def run_search(args: argparse.Namespace, ctx: Context) -> int:
    return ctx.emit(ctx.ask("search").hits, _render_search)


def _render_search(hits, ctx: Context) -> None:
    if not hits:
        ctx.line("No entity matches.")
        return
    id_width = max(len(h.entity.id) for h in hits)
    label_width = max(len(h.entity.label) for h in hits)
    for hit in hits:
        matched = f"  (matched {hit.matched!r})" if hit.matched != hit.entity.label else ""
        ctx.line(f"{hit.entity.id.ljust(id_width)}  {hit.entity.label.ljust(label_width)}  "
                 f"{(hit.entity.kind or '').ljust(12)}{matched}".rstrip())


# --- validate and export ---------------------------------------------------------------------------
def _validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="data files to check, merged with the shipped ontology (none: check the shipped ontology)")


def run_validate(args: argparse.Namespace, ctx: Context) -> int:
    from rdflib import Graph

    from painlink.ontology.datafile import read_data
    from painlink.ontology.exceptions import OntologyError
    from painlink.ontology.validation import validate

    merged = Graph()
    for name in [*(args.data or ()), *args.files]:
        try:
            merged += read_data(name)
        except OntologyError as error:
            return _fail(ctx, str(error), EXIT_REJECTED)
        except OSError as error:
            return _fail(ctx, f"{name}: cannot read it: {error.strerror or error}", EXIT_REJECTED)
    report = validate(merged)
    if args.json:
        violations = [dataclasses.asdict(v) for v in report.violations]
        print(json.dumps({"conforms": report.conforms, "violations": violations}, indent=2), file=ctx.out)
    else:
        what = ", ".join(args.files) if args.files else "the shipped ontology"
        ctx.line(f"Checked {what} with the SHACL shapes and QC queries.")
        ctx.line(report.text())
    return EXIT_OK if report.conforms else EXIT_REJECTED


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    from painlink.graph import EXPORT_FORMATS

    parser.add_argument("--format", choices=[*sorted(EXPORT_FORMATS), "html"], default="ttl",
                        help="serialisation (default ttl); html: one standalone offline page with the drawn graph")
    parser.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--focus", metavar="NAME", help="html only: draw what is around this entity, not the whole graph")
    from painlink.graph import QUESTIONS

    depth = QUESTIONS["neighbourhood"].parameter("depth")
    parser.add_argument("--depth", default=depth.default, metavar="DEPTH",
                        help=f"html only: {depth.description} (default {depth.default}, around --focus)")


def run_export(args: argparse.Namespace, ctx: Context) -> int:
    if args.format == "html":  # the pages' standalone export (painlink.service.pages)
        from painlink.service.pages import standalone_html

        data = standalone_html(ctx.knowledge, focus=args.focus, depth=args.depth).encode("utf-8")
    elif args.focus:
        return _fail(ctx, "--focus applies only to --format html", EXIT_USAGE)
    else:
        data = ctx.knowledge.export(args.format)
    if args.output:
        FilePath(args.output).write_bytes(data)
        print(f"painlink: wrote {len(data):,} bytes to {args.output}", file=ctx.err)
    else:
        ctx.out.flush()
        if hasattr(ctx.out, "buffer"):  # a real stream: write the bytes as they are
            ctx.out.buffer.write(data)
        else:
            ctx.out.write(data.decode("utf-8"))
        ctx.out.flush()
    return EXIT_OK


# --- bulk loading --------------------------------------------------------------------------------
def _load_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="RDF files (format from the suffix)")
    parser.add_argument("--graph", metavar="IRI", help="load into this named graph (default: the default graph)")
    parser.add_argument("--data-dir", metavar="DIR", help="the persistent store's directory (default ./data)")
    parser.add_argument("--store", dest="store_url", metavar="URL", help="load into the SPARQL server at this query URL")
    parser.add_argument("--store-update", dest="store_update_url", metavar="URL", help="that server's update URL")
    parser.add_argument("--store-graph-store", dest="store_graph_store_url", metavar="URL",
                        help="that server's Graph Store Protocol URL (faster for large files)")


def run_load(args: argparse.Namespace, ctx: Context) -> int:
    """Bulk-load files into the configured store, all or nothing on a parse error, with progress."""
    import time

    from painlink.graph.stores import open_store
    from painlink.ontology import SHIPPED_FILES

    store = open_store(data_dir=args.data_dir, store_url=args.store_url, store_update_url=args.store_update_url,
                       store_graph_store_url=args.store_graph_store_url, shipped=SHIPPED_FILES)
    live = ctx.err.isatty() if hasattr(ctx.err, "isatty") else False
    shown = [0.0]
    print("painlink load: bulk load, parsed but not checked against the SHACL shapes or QC queries "
          "(check a file first with 'painlink validate FILE'; 'painlink serve --data FILE' validates)",
          file=ctx.err)

    def progress(step) -> None:
        # On a terminal the bar redraws in place; in a log, one line every few seconds and the last.
        now = time.monotonic()
        if live:
            print("\r" + step.bar(), end="", file=ctx.err, flush=True)
        elif now - shown[0] >= 5 or step.triples_done == step.triples_total:
            shown[0] = now
            print(step.bar(), file=ctx.err)

    try:
        report = store.load_files(args.files, graph=args.graph, on_progress=progress)
    except SyntaxError as error:
        return _fail(ctx, f"{error}; nothing was loaded", EXIT_REJECTED)
    except (FileNotFoundError, ValueError) as error:
        return _fail(ctx, f"{error}; nothing was loaded", EXIT_USAGE)
    finally:
        if live:
            print(file=ctx.err)
        store.close()
    print(f"painlink: loaded {report.triples:,} triples from {len(report.files)} file(s) in "
          f"{report.seconds:.1f} s ({report.triples_per_second:,.0f} triples/s); the store holds "
          f"{report.store_size:,}", file=ctx.err)
    return EXIT_OK


# --- the service -----------------------------------------------------------------------------------
def run_serve(argv: list[str], ctx: Context) -> int:
    from painlink.service.serve import main as serve

    return serve(argv)


#: The subcommands, in the order ``painlink --help`` lists them. Add yours here.
COMMANDS: list[Command] = [
    Command("paths", "ranked causal chains between two entities, each step with its evidence", run_paths,
            question_arguments("paths"), question="paths"),
    Command("explain", "which causes would explain the observed symptoms", run_explain,
            question_arguments("explain"), question="explain"),
    Command("interventions", "what acts on the chains into a target, with evidence for and against",
            run_interventions, question_arguments("interventions"), question="interventions"),
    Command("entity", "everything the graph says about one entity", run_entity, question_arguments("entity"),
            question="entity"),
    Command("search", "entities by part of a label or synonym", run_search, question_arguments("search"),
            question="search"),
    Command("validate", "check data files with the SHACL shapes (exit 1 on any violation)", run_validate,
            _validate_arguments),
    Command("export", "the whole graph as Turtle, JSON-LD or N-Triples", run_export, _export_arguments),
    Command("serve", "run the SPARQL endpoint, JSON API and pages (painlink serve --help)", run_serve,
            passthrough=True),
    Command("load", "bulk-load large RDF files into the store (all or nothing), with progress", run_load,
            _load_arguments),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="painlink",
        description="How foot pain and back pain are linked: causal chains with evidence.",
    )
    _global_options(parser, "")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        sub = commands.add_parser(command.name, help=command.help, description=command.help,
                                  add_help=not command.passthrough)
        if command.passthrough:
            sub.add_argument("rest", nargs=argparse.REMAINDER)
        else:
            # The global options work after the command too (`painlink paths A B --json`); they are
            # kept apart here and joined with those given before it in main().
            _global_options(sub, "after_")
            if command.arguments is not None:
                command.arguments(sub)
    return parser


def _global_options(parser: argparse.ArgumentParser, prefix: str) -> None:
    parser.add_argument("--data", action="append", metavar="FILE", dest=f"{prefix}data",
                        help="add a data file (Turtle, N-Triples, JSON-LD); repeatable; validated, all or nothing")
    parser.add_argument("--json", action="store_true", dest=f"{prefix}json", help="answer in JSON")


def _parameter_message(command: Command, error) -> str:
    """A bad parameter as this command spells it: ``--max-length: ...`` for an option, ``FROM: ...`` for
    a positional argument."""
    from painlink.graph import QUESTIONS

    question = QUESTIONS.get(command.question or "")
    if question is not None and error.field in question.names:
        parameter = question.parameter(error.field)
        return f"{parameter.name.upper() if parameter.required else parameter.flag}: {error.reason}"
    if error.field == "depth":  # export --depth
        return f"--depth: {error.reason}"
    return str(error)


def _fail(ctx: Context, message: str, status: int) -> int:
    print(f"painlink: {inert(message)}", file=ctx.err)
    return status


def main(argv: list[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    from painlink.graph.exceptions import DataRejectedError, InvalidParameterError, UnknownEntityError
    from painlink.graph.stores import StoreError

    out, err = out or sys.stdout, err or sys.stderr
    for stream in (out, err):
        # Quotes carry typographic characters; never crash on a terminal that cannot show them.
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(errors="replace")
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    command = next(c for c in COMMANDS if c.name == args.command)
    if command.passthrough:
        # argparse's REMAINDER does not take options that come first (`serve --memory --port 9`): they
        # come back as unknown, in order, before the rest. A global --data goes along too.
        args.rest = [*(f"--data={d}" for d in args.data or ()), *unknown, *args.rest]
    elif unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    else:
        # --data and --json given after the command join those given before it.
        args.data = [*(args.data or ()), *(args.after_data or ())] or None
        args.json = args.json or args.after_json
    ctx = Context(args, out, err)
    try:
        if command.passthrough:
            return command.run(args.rest, ctx)  # type: ignore[arg-type]
        return command.run(args, ctx)
    except UnknownEntityError as error:
        return _fail(ctx, str(error), EXIT_USAGE)
    except InvalidParameterError as error:
        return _fail(ctx, _parameter_message(command, error), EXIT_USAGE)
    except DataRejectedError as error:
        return _fail(ctx, error.explain(), EXIT_REJECTED)
    except StoreError as error:
        return _fail(ctx, str(error), EXIT_REJECTED)
    except BrokenPipeError:  # `painlink export | head`: the reader left; not an error of ours
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
