"""The `painlink` command line (placeholder until the CLI lands)."""

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["serve"]:  # the service's own subcommand (options: painlink.service.serve)
        from painlink.service.serve import main as serve

        return serve(args[1:])
    print("painlink: the command line is being built", file=sys.stderr)
    return 0
