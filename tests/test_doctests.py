"""Run the examples in every painlink module's docstrings.

The docstring examples are documentation a developer copies from; this keeps them true. Modules are
imported under their installed names (painlink.graph.paths, not graph.paths), so the examples see the
same objects the rest of the code does.
"""

import doctest
import importlib
import pkgutil

import pytest


SUBPACKAGES = ["painlink", "painlink.ontology", "painlink.graph", "painlink.service"]


def _modules() -> list[str]:
    # The subpackages live in their own top-level folders (see pyproject's package-dir), so walk
    # each one's own path rather than only painlink's.
    names = set(SUBPACKAGES)
    for package_name in SUBPACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, prefix=package_name + "."):
            names.add(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples failed in {name}"
