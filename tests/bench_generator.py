"""The benchmark's seeded graph generator (bench/generate.py), for tests that need a large valid graph.

bench/ is scripts, not a package: the file is loaded by path, once, and registered so dataclasses and
pickling inside it find their module.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

GENERATOR = Path(__file__).resolve().parents[1] / "bench" / "generate.py"


@cache
def bench_generator() -> ModuleType:
    """bench/generate.py as a module."""
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
