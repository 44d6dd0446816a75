"""What every subcommand shares: the output streams, the graph (loaded on first use), the output
helpers, the exit statuses, and :class:`Command`, one subcommand's entry in
:data:`painlink.cli.commands.COMMANDS`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from painlink.service.meanings import EXIT_OK, EXIT_REJECTED, EXIT_USAGE

__all__ = ["EXIT_OK", "EXIT_REJECTED", "EXIT_USAGE", "Command", "Context", "fail", "inert"]


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


def fail(ctx: Context, message: str, status: int) -> int:
    print(f"painlink: {inert(message)}", file=ctx.err)
    return status
