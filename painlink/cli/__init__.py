"""The ``painlink`` command line.

    painlink paths "foot pain" "back pain" [--max-length N] [--limit K]
    painlink explain "foot numbness" "foot weakness"
    painlink interventions "back pain"
    painlink entity "foot drop"            painlink search numb
    painlink validate [FILE ...]           painlink export --format ttl|jsonld|nt|html [--focus NAME] [--output FILE]
    painlink serve ...                     (the service; options in painlink.service.serve)
    painlink mcp ...                       (MCP over stdio for AI assistants; painlink.service.mcp.stdio)
    painlink load FILE ... [--data-dir DIR | --store URL --store-update URL]

Global options (before the subcommand): ``--data FILE`` (repeatable; Turtle, N-Triples or JSON-LD, validated
with the shipped shapes, all or nothing) and ``--json`` (machine-readable answers).

Exit status: 0 done; 1 the data was refused (validation violations, a file that does not parse);
2 a usage error, an unknown entity (with "did you mean ...") or a parameter out of range -- each error's
status and message as :mod:`painlink.service.meanings` declares them.

A command that asks a question of :data:`painlink.graph.QUESTIONS` takes its arguments from the
declaration: required parameters are positional (``FROM TO``), the others options named after them
(``max_length`` -> ``--max-length``), with the declared defaults and bounds (checked by the
declaration, so the messages are those of every face).

The package: :mod:`~painlink.cli.context` (what a subcommand gets: :class:`Context`, :class:`Command`,
exit statuses), :mod:`~painlink.cli.commands` (the subcommands and :data:`COMMANDS`),
:mod:`~painlink.cli.render` (answers as text), and here the parser and :func:`main`.

Adding a subcommand: write ``def run_NAME(args, ctx) -> int`` in :mod:`~painlink.cli.commands` (and,
if it takes options, a function adding them to its parser; for a question,
:func:`question_arguments`), then add one :class:`Command` to :data:`COMMANDS`. ``ctx.knowledge`` loads the graph on first use; ``ctx.ask`` answers the command's
question; ``ctx.emit`` prints an answer as text or JSON.

>>> parser = build_parser()
>>> args = parser.parse_args(["--json", "paths", "foot pain", "back pain", "--limit", "3"])
>>> args.command, vars(args)["from"], args.limit, args.json
('paths', 'foot pain', '3', True)
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from .commands import COMMANDS, question_arguments
from .context import EXIT_OK, Command, Context, fail, inert

__all__ = ["COMMANDS", "Command", "Context", "build_parser", "inert", "main", "question_arguments"]



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


def main(argv: list[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    from painlink.graph.exceptions import GraphError, InvalidParameterError
    from painlink.graph.stores import StoreError
    from painlink.service.meanings import meaning_of

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
    except (GraphError, StoreError) as error:  # the engine's and the store's, as they are declared
        meaning = meaning_of(error)
        message = _parameter_message(command, error) if isinstance(error, InvalidParameterError) else meaning.message(error)
        return fail(ctx, message, meaning.exit)
    except BrokenPipeError:  # `painlink export | head`: the reader left; not an error of ours
        return EXIT_OK
