# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The ``datetime`` criterion of a search, as the service reads it.

People write a date where they mean a whole day, a month or a year: ``"2021-11-16/2021-11-19"``,
``"2021-11"``, ``"2021"``, ``date(2021, 11, 16)``. The service reads a bare date as midnight, so
the last day of such an interval would silently lose its items. :func:`expand_datetime` turns
every such form into an RFC 3339 instant or interval covering what was meant, the way
pystac-client does, so both send the same interval and get the same items back:

=====================================  ==========================================================
given                                  sent
=====================================  ==========================================================
``"2021"``                             ``2021-01-01T00:00:00Z/2021-12-31T23:59:59Z``
``"2021-11"``                          ``2021-11-01T00:00:00Z/2021-11-30T23:59:59Z``
``"2021-11-16"`` or ``date(...)``      ``2021-11-16T00:00:00Z/2021-11-16T23:59:59Z``
``"2021-11-16/2021-11-19"``            ``2021-11-16T00:00:00Z/2021-11-19T23:59:59Z``
``"2021-11-16T10:00:00"`` (no zone)    ``2021-11-16T10:00:00Z`` (naive means UTC)
``datetime`` (naive: UTC)              that instant, in UTC
``(start, end)`` / ``[start, end]``    each side as above; ``None``, ``""`` or ``".."`` is open
``"../2021-11-19"``                    ``../2021-11-19T23:59:59Z``
=====================================  ==========================================================

Pure functions, no I/O: shared by the sync and async clients and the command line.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Iterable, List, Optional, Sequence, Tuple, Union

__all__ = ["DateTimeLike", "expand_datetime"]

#: One side of an interval.
DateTimeSide = Union[str, _dt.datetime, _dt.date, None]
#: What ``datetime=`` takes.
DateTimeLike = Union[str, _dt.datetime, _dt.date, Sequence[DateTimeSide]]

# A year, a month, a day, or a full date-time with an optional zone (RFC 3339, "T" in any case).
_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?P<time>[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?P<zone>[Zz]|[+-]\d{2}:\d{2})?)?)?)?$"
)
_OPEN = ("", "..")


def _utc_text(value: _dt.datetime) -> str:
    """``value`` in UTC as RFC 3339 (naive datetimes are UTC); fractions only when there are any."""
    if value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text + "Z"


def _day(value: _dt.date) -> Tuple[str, str]:
    start = _dt.datetime(value.year, value.month, value.day)
    return _utc_text(start), _utc_text(start + _dt.timedelta(days=1, seconds=-1))


def _span(text: str) -> Tuple[str, Optional[str]]:
    """One side written as text: (start, end of its period), end None for an exact instant.

    :raises ValueError: If the text is not a year, a month, a day or an RFC 3339 date-time.
    """
    match = _PATTERN.match(text)
    if match is None:
        raise ValueError(
            f"datetime {text!r} is not a year (2021), a month (2021-11), a day (2021-11-16) "
            "or an RFC 3339 date-time (2021-11-16T10:00:00Z)"
        )
    year, month, day = match.group("year", "month", "day")
    try:
        if match.group("time"):
            # Checked, then sent as written (only a missing zone is added: naive means UTC).
            _dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00").replace(" ", "T")[:19])
            return (text if match.group("zone") else text + "Z"), None
        if day is not None:
            return _day(_dt.date(int(year), int(month), int(day)))
        if month is not None:
            first = _dt.datetime(int(year), int(month), 1)
            following = _dt.datetime(first.year + first.month // 12, first.month % 12 + 1, 1)
            return _utc_text(first), _utc_text(following - _dt.timedelta(seconds=1))
        first = _dt.datetime(int(year), 1, 1)
        return _utc_text(first), _utc_text(_dt.datetime(first.year, 12, 31, 23, 59, 59))
    except ValueError as exc:  # e.g. 2021-13 or 2021-02-30
        raise ValueError(f"datetime {text!r} is not a valid date: {exc}") from None


def _side(value: DateTimeSide) -> Tuple[str, Optional[str]]:
    """(start, end of its period) of one side; ``("..", None)`` when it is open."""
    if value is None or (isinstance(value, str) and value.strip() in _OPEN):
        return "..", None
    if isinstance(value, str):
        return _span(value.strip())
    if isinstance(value, _dt.datetime):  # before date: a datetime is a date
        return _utc_text(value), None
    if isinstance(value, _dt.date):
        return _day(value)
    raise TypeError(f"a datetime side must be a string, a datetime, a date or None, got {type(value).__name__}")


def expand_datetime(value: Optional[DateTimeLike]) -> Optional[str]:
    """The ``datetime`` criterion as sent: an RFC 3339 instant or ``start/end`` interval.

    Dates, months and years cover the whole day, month or year (in UTC); naive datetimes are
    UTC; an interval's ``None``, ``""`` or ``".."`` side is open. See the module notes for every
    form.

    :param value: A string (an instant, a period or ``start/end``), a datetime, a date, or a
        ``(start, end)`` pair of those; None for no criterion.
    :type value: str or ~datetime.datetime or ~datetime.date or tuple
    :return: The text to send, or None.
    :rtype: str or None
    :raises ValueError: If the text is not a date or date-time, there are more than two sides, or
        both sides are open.
    :raises TypeError: If the value is none of the accepted types.
    """
    if value is None:
        return None
    sides: List[DateTimeSide]
    if isinstance(value, str):
        sides = list(value.split("/"))
    elif isinstance(value, (_dt.date, _dt.datetime)):
        sides = [value]
    elif isinstance(value, Iterable):
        sides = list(value)
    else:
        raise TypeError(
            f"datetime must be a string, a datetime, a date or a (start, end) pair, got {type(value).__name__}"
        )
    if len(sides) == 1:
        if sides[0] is None or (isinstance(sides[0], str) and sides[0].strip() in _OPEN):
            raise ValueError("datetime must not be empty or open on both sides")
        start, end = _side(sides[0])
        return start if end is None else f"{start}/{end}"
    if len(sides) != 2:
        raise ValueError(f"datetime must be one instant or a (start, end) pair, got {len(sides)} parts")
    start, _ = _side(sides[0])
    end_start, end_of_period = _side(sides[1])
    if start == ".." and end_start == "..":
        raise ValueError("datetime must not be open on both sides: give a start or an end")
    return f"{start}/{end_of_period or end_start}"
