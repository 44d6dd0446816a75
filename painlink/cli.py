"""The `painlink` command line (placeholder until the CLI lands)."""

import sys


def main(argv: list[str] | None = None) -> int:
    print("painlink: the command line is being built", file=sys.stderr)
    return 0
