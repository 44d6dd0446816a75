"""``painlink serve`` options: every setting an operator may need has one, and each reaches Settings."""

from __future__ import annotations

import pytest

from painlink.service.serve import build_parser, overrides
from painlink.service.settings import Settings


def _option_dests() -> set[str]:
    return {action.dest for action in build_parser()._actions if action.dest != "help"}


def test_every_setting_has_an_option() -> None:
    missing = set(Settings.model_fields) - _option_dests()
    assert not missing, f"settings without a `painlink serve` option: {sorted(missing)}"


@pytest.mark.parametrize(
    ("argv", "field", "value"),
    [
        (["--max-body-bytes", "4096"], "max_body_bytes", 4096),
        (["--max-query-length", "300"], "max_query_length", 300),
        (["--max-path-length", "3"], "max_path_length", 3),
        (["--max-answers", "7"], "max_answers", 7),
        (["--store-timeout", "2.5"], "store_timeout", 2.5),
        (["--query-timeout", "1"], "query_timeout", 1.0),
    ],
)
def test_an_option_sets_its_setting(argv: list[str], field: str, value: object) -> None:
    settings = Settings(**{"memory": True, **overrides(build_parser().parse_args(argv))})
    assert getattr(settings, field) == value


def test_an_option_out_of_range_is_refused_by_the_settings() -> None:
    with pytest.raises(ValueError, match="max_path_length"):
        Settings(**overrides(build_parser().parse_args(["--max-path-length", "11"])))
