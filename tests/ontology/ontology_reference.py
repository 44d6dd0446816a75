"""Where the ontology tests find the project's reference data (shared folder, or the copies here)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

__all__ = ["HERE", "REFERENCE_COPY", "REPO", "read_tsv", "reference_path", "shared_dir"]

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
REFERENCE_COPY = HERE / "reference"


def shared_dir() -> Path | None:
    """The project's shared inputs (article, reference TSVs), when this machine has them."""
    candidate = Path(os.environ.get("PAINLINK_SHARED") or REPO.parent / "shared")
    return candidate if (candidate / "reference" / "cited-claims.tsv").is_file() else None


def reference_path(name: str) -> Path:
    shared = shared_dir()
    return shared / "reference" / name if shared else REFERENCE_COPY / name


def read_tsv(name: str) -> list[dict[str, str]]:
    with reference_path(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))
