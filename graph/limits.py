"""The engine's ceilings and its one check of a whole number: the largest ``max_length`` and
``limit`` any caller may ask for (an operator's settings may lower them: :mod:`painlink.graph.questions`),
refused up front with the one wording of :meth:`~painlink.graph.exceptions.InvalidParameterError.out_of_range`."""

from __future__ import annotations

from .exceptions import InvalidParameterError

__all__ = ["MAX_COUNT_LIMIT", "MAX_LENGTH_LIMIT", "check_int"]

#: The largest max_length and limit a caller may ask for (larger requests are refused up front).
MAX_LENGTH_LIMIT = 10
MAX_COUNT_LIMIT = 100


def check_int(name: str, value, low: int, high: int) -> None:
    """Refuse ``value`` unless it is a whole number in ``low .. high`` (:class:`InvalidParameterError`
    naming ``name``); every count and length the engine takes is checked with it.

    >>> try:
    ...     check_int("limit", 0, 1, 100)
    ... except InvalidParameterError as error:
    ...     print(error)
    limit: must be a whole number from 1 to 100, not 0
    """
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidParameterError.out_of_range(name, value, low, high)
