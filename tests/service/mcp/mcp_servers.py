"""How the MCP tests run painlink: the operator caps both servers get, and the stdio launch."""

from __future__ import annotations

from pathlib import Path

from mcp import StdioServerParameters
from servers import painlink_command

__all__ = ["CAPS", "cap_options", "stdio_parameters"]

#: Operator caps both servers run with: setting -> value (``painlink serve --max-path-length 5`` ...).
CAPS = {"max_path_length": 5, "max_answers": 7}


def cap_options() -> list[str]:
    return [option for setting, value in CAPS.items() for option in (f"--{setting.replace('_', '-')}", str(value))]


def stdio_parameters(cwd: Path, *options: str) -> StdioServerParameters:
    """How the SDK's client launches ``painlink mcp`` (as an assistant's configuration would)."""
    command, *arguments = painlink_command()
    return StdioServerParameters(
        command=command, args=[*arguments, "mcp", *cap_options(), *options], cwd=str(cwd),
        env={"PAINLINK_QUERY_TIMEOUT": "2"},
    )


