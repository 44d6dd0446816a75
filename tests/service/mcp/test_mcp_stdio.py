"""``painlink mcp`` refuses to start on bad options or data, saying why on standard error (standard
output is the protocol's alone), before any client has to wait for it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from servers import painlink_command


def _mcp(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*painlink_command(), "mcp", *args], cwd=cwd, input="",
                          capture_output=True, text=True, timeout=120)


def test_refused_data_stops_it_with_the_reason(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle\n", encoding="utf-8")
    done = _mcp("--data", str(bad), cwd=tmp_path)
    assert done.returncode == 1
    assert "painlink mcp: cannot start: --data rejected, nothing was loaded" in done.stderr
    assert done.stdout == ""


def test_a_bad_limit_stops_it_with_the_option_named(tmp_path: Path) -> None:
    done = _mcp("--max-answers", "0", cwd=tmp_path)
    assert done.returncode == 2
    assert "painlink mcp: --max-answers:" in done.stderr
    assert done.stdout == ""
