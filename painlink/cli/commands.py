"""The subcommands: each a runner ``run_NAME(args, ctx) -> int``, the function adding its arguments,
and its entry in :data:`COMMANDS` (the order ``painlink --help`` lists them). A command that asks a
question of :data:`painlink.graph.QUESTIONS` takes its arguments from the declaration
(:func:`question_arguments`)."""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path as FilePath

from .context import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, Command, Context, fail
from .render import (
    claim_line,
    evidence_lines,
    render_explain,
    render_interventions,
    render_paths,
    render_red_flags,
    render_search,
)

__all__ = ["COMMANDS", "question_arguments"]


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


def run_paths(args: argparse.Namespace, ctx: Context) -> int:
    return ctx.emit(ctx.ask("paths"), render_paths)


def run_explain(args: argparse.Namespace, ctx: Context) -> int:
    return ctx.emit(ctx.ask("explain"), render_explain)


def run_interventions(args: argparse.Namespace, ctx: Context) -> int:
    return ctx.emit(ctx.ask("interventions"), render_interventions)


def run_entity(args: argparse.Namespace, ctx: Context) -> int:
    report = ctx.ask("entity")
    entity, claims = report.entity, report.claims
    if ctx.args.json:
        return ctx.emit({"red_flags": [a.to_dict() for a in report.red_flags],
                         "entity": entity.to_dict(), "claims": [c.to_dict() for c in claims]}, lambda *_: None)
    render_red_flags(report.red_flags, ctx)
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
        ctx.wrap(claim_line(claim), "  ", "    ")
        evidence_lines(ctx, claim.evidence, "    ")
    return EXIT_OK


def run_search(args: argparse.Namespace, ctx: Context) -> int:
    return ctx.emit(ctx.ask("search").hits, render_search)


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
            return fail(ctx, str(error), EXIT_REJECTED)
        except OSError as error:
            return fail(ctx, f"{name}: cannot read it: {error.strerror or error}", EXIT_REJECTED)
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
        return fail(ctx, "--focus applies only to --format html", EXIT_USAGE)
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
        return fail(ctx, f"{error}; nothing was loaded", EXIT_REJECTED)
    except (FileNotFoundError, ValueError) as error:
        return fail(ctx, f"{error}; nothing was loaded", EXIT_USAGE)
    finally:
        if live:
            print(file=ctx.err)
        store.close()
    print(f"painlink: loaded {report.triples:,} triples from {len(report.files)} file(s) in "
          f"{report.seconds:.1f} s ({report.triples_per_second:,.0f} triples/s); the store holds "
          f"{report.store_size:,}", file=ctx.err)
    return EXIT_OK


def run_serve(argv: list[str], ctx: Context) -> int:
    from painlink.service.serve import main as serve

    return serve(argv)


def run_mcp(argv: list[str], ctx: Context) -> int:
    from painlink.service.mcp.stdio import main as mcp

    return mcp(argv)


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
    Command("mcp", "serve the read-only MCP tools for AI assistants over stdio (painlink mcp --help)", run_mcp,
            passthrough=True),
    Command("load", "bulk-load large RDF files into the store (all or nothing), with progress", run_load,
            _load_arguments),
]
