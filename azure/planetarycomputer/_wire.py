# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""What models and request bodies are on the wire: JSON text and RFC 3339 date-times.

:class:`WireObject` is the base of every model (``_model.py``): the JSON object it views is its
``_data``. The JSON writer and the attribute conversions (``_attributes.py``) know models by it,
so these lower layers never import the model module.
"""

from __future__ import annotations

import base64
import datetime as _dt
import enum
import json
import math
import re
from collections.abc import Mapping, MutableMapping
from typing import Any, Dict, Optional, Union

from azure.core.exceptions import DeserializationError, SerializationError

__all__ = ["JSON", "WireObject", "WireDocument", "dumps", "body_to_json", "loads", "parse_rfc3339", "format_rfc3339"]

JSON = MutableMapping[str, Any]

_UTC = _dt.timezone.utc


class WireObject:
    """A typed view over a JSON object: ``_data`` is the parsed JSON object itself, never a copy."""

    __slots__ = ("_data",)

    _data: Dict[str, Any]

    def as_dict(self, *, exclude_readonly: bool = False, **kwargs: Any) -> JSON:
        """Return the wire form as a new dict of plain dicts and lists.

        :keyword bool exclude_readonly: Drop properties the service sets itself.
        :return: A new dict keyed by wire keys.
        :rtype: dict
        """
        raise NotImplementedError


class WireDocument(Dict[str, Any]):
    """A free-form JSON object (a model that declares no properties) that is itself a ``dict``.

    It cannot share :class:`WireObject`'s layout (a ``dict`` subclass has no room for slots), so
    it is a base of its own: code written for plain dicts (``isinstance(x, dict)``,
    ``json.dumps(x)``) takes these models as they are.
    """

    __slots__ = ()


# --------------------------------------------------------------------------
# Date-times
# --------------------------------------------------------------------------

# RFC 3339 with optional fractional seconds of any length and a "Z" or offset.
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$"
)


def parse_rfc3339(value: str) -> _dt.datetime:
    """Parse an RFC 3339 / ISO 8601 date-time string.

    Values without an offset are taken as UTC, as the service means them.

    :param str value: The string to parse.
    :return: A timezone-aware datetime.
    :rtype: ~datetime.datetime
    :raises ~azure.core.exceptions.DeserializationError: If the string is not a date-time.
    """
    match = _RFC3339.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise DeserializationError(f"Cannot parse {value!r} as an RFC 3339 date-time")
    year, month, day, hour, minute, second, frac, zulu, sign, off_h, off_m = match.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    if sign:
        delta = _dt.timedelta(hours=int(off_h), minutes=int(off_m))
        tz: _dt.tzinfo = _dt.timezone(delta if sign == "+" else -delta)
    else:
        tz = _UTC
    try:
        return _dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tzinfo=tz)
    except ValueError as exc:
        raise DeserializationError(f"Cannot parse {value!r} as an RFC 3339 date-time: {exc}") from exc


def format_rfc3339(value: Union[_dt.datetime, _dt.date, str]) -> str:
    """Format a datetime as RFC 3339 in UTC (``2024-05-01T12:00:00Z``).

    Naive datetimes are taken as UTC; strings pass through unchanged.

    :param value: The datetime (or an already formatted string).
    :type value: ~datetime.datetime or str
    :return: The RFC 3339 string.
    :rtype: str
    """
    if isinstance(value, str):
        return value
    if not isinstance(value, _dt.datetime):
        if isinstance(value, _dt.date):
            return value.isoformat()
        raise SerializationError(f"Expected a datetime, got {type(value).__name__}")
    if value.tzinfo is not None:
        value = value.astimezone(_UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text + "Z"


# --------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------


def _json_default(obj: Any) -> Any:
    if isinstance(obj, WireObject):
        return obj._data
    if isinstance(obj, _dt.datetime):
        return format_rfc3339(obj)
    if isinstance(obj, (_dt.date, _dt.time)):
        return obj.isoformat()
    if isinstance(obj, _dt.timedelta):
        return _format_duration(obj)
    if isinstance(obj, (bytes, bytearray)):
        return base64.b64encode(obj).decode("ascii")
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def _format_duration(value: _dt.timedelta) -> str:
    seconds = value.total_seconds()
    return f"PT{seconds:g}S"


def dumps(value: Any) -> str:
    """Serialize a model, mapping or list of them to JSON text.

    Models are written as their wire mapping; datetimes as RFC 3339.

    :param any value: What to serialize.
    :return: JSON text.
    :rtype: str
    """
    try:
        return json.dumps(value, default=_json_default, allow_nan=False)
    except (TypeError, ValueError) as exc:
        where = _non_finite_path(value, "body")
        if where is not None:  # json's own message does not say where
            raise SerializationError(
                f"Cannot serialize the request body to JSON: {where} is not a finite number (JSON has no NaN or "
                "infinity)"
            ) from exc
        raise SerializationError(f"Cannot serialize the request body to JSON: {exc}") from exc


def _non_finite_path(value: Any, path: str) -> Optional[str]:
    """Where in ``value`` the first NaN or infinity is, e.g. ``body['bbox'][0]`` (None if nowhere)."""
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{path} ({value!r})"
    if isinstance(value, WireObject):
        value = value._data
    if isinstance(value, Mapping):
        entries: Any = value.items()
    elif isinstance(value, (list, tuple)):
        entries = enumerate(value)
    else:
        return None
    for key, item in entries:
        found = _non_finite_path(item, f"{path}[{key!r}]")
        if found is not None:
            return found
    return None


#: What a JSON request body may be (bytes and binary files are sent without serializing).
_JSON_BODY_TYPES = "a model, a JSON mapping or a list"


def body_to_json(body: Any) -> str:
    """JSON text of a request body, after checking its type.

    :param body: The body: a model, a mapping or a list (of models or mappings).
    :type body: ~azure.planetarycomputer.models.Model or Mapping or list
    :return: JSON text.
    :rtype: str
    :raises TypeError: If the body is of any other type (str, a number, ...).
    :raises ~azure.core.exceptions.SerializationError: If the body holds NaN, infinity or an unknown type.
    """
    if body is None:
        raise ValueError("body must not be None")
    if isinstance(body, str):
        raise TypeError(f"body must be {_JSON_BODY_TYPES}, or bytes; got str (encode it first)")
    if not isinstance(body, (WireObject, Mapping, list, tuple)):
        raise TypeError(f"body must be {_JSON_BODY_TYPES}, or bytes; got {type(body).__name__}")
    return dumps(body)


def loads(data: Union[bytes, str]) -> Any:
    """Parse JSON text or bytes.

    :param data: The JSON document.
    :type data: bytes or str
    :return: The parsed value.
    :rtype: any
    :raises ~azure.core.exceptions.DeserializationError: If the document is not valid JSON.
    """
    try:
        return json.loads(data)
    except ValueError as exc:
        raise DeserializationError(f"The response is not valid JSON: {exc}") from exc
