"""How the MCP tests run painlink: the operator caps both servers get, and the stdio launch."""

from __future__ import annotations

import sys
from pathlib import Path

from mcp import StdioServerParameters

__all__ = ["CAPS", "cap_options", "stdio_parameters"]

#: Operator caps both servers run with: setting -> value (``painlink serve --max-path-length 5`` ...).
CAPS = {"max_path_length": 5, "max_answers": 7}


def cap_options() -> list[str]:
    return [option for setting, value in CAPS.items() for option in (f"--{setting.replace('_', '-')}", str(value))]


def stdio_parameters(cwd: Path, *options: str) -> StdioServerParameters:
    """How the SDK's client launches ``painlink mcp`` (as an assistant's configuration would)."""
    return StdioServerParameters(
        command=sys.executable, args=["-m", "painlink.cli", "mcp", *cap_options(), *options], cwd=str(cwd),
        env={"PAINLINK_QUERY_TIMEOUT": "2"},
    )


