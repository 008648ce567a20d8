"""Hand-written additions to this package: add names to __all__ and they are exported.

Other names for generated models, used by code of the 1.0.0b1 generation: the README of that
release (the project's seed README) builds a collection with ``StacExtent`` and
``StacExtensionTemporalExtent``, names no release of the official package defined. They are
the same classes as ``StacExtensionExtent`` and ``StacCollectionTemporalExtent``.
(Every model and enum name of 1.0.0b1 itself is generated under its own name.)

A failed operation's ``error`` comes in two shapes: flat, ``{"code", "message"}`` (the reference
examples), or wrapped once more, ``{"error": {"code", "message"}}`` (what the service sends).
``ErrorInfo.code`` and ``.message`` read either; :func:`operation_error` does the same for a
whole operation record.
"""

from typing import Any, List, Mapping, Optional, Tuple

from .._serialization import Model
from ._models import ErrorInfo, StacCollectionTemporalExtent, StacExtensionExtent

__all__: List[str] = ["StacExtent", "StacExtensionTemporalExtent"]

#: The seed README's name for :class:`StacExtensionExtent` (a collection's spatial and temporal extent).
StacExtent = StacExtensionExtent
#: The seed README's name for :class:`StacCollectionTemporalExtent` (``interval=[[start, end]]``).
StacExtensionTemporalExtent = StacCollectionTemporalExtent


def operation_error(record: Any) -> Tuple[Optional[str], Optional[str]]:
    """(code, message) a failed or canceled operation reports: its ``error`` in either shape, else the
    last ``statusHistory`` entry with an ``errorCode`` (a canceled operation's only trace).

    :param record: An operation: an :class:`Operation` or its wire mapping.
    :type record: ~azure.planetarycomputer.models.Operation or Mapping[str, Any]
    :return: The code and message, each None when the operation reports none.
    :rtype: tuple[str or None, str or None]
    """
    data = record._data if isinstance(record, Model) else record
    if not isinstance(data, Mapping):
        return None, None
    error = _plain(data.get("error"))
    if isinstance(error, Mapping):
        wrapped = _plain(error.get("error"))
        if not error.get("code") and isinstance(wrapped, Mapping):
            error = wrapped
        if error.get("code") or error.get("message"):
            return error.get("code"), error.get("message")
    for entry in reversed(data.get("statusHistory") or []):
        entry = _plain(entry)
        if isinstance(entry, Mapping) and (entry.get("errorCode") or entry.get("errorMessage")):
            return entry.get("errorCode"), entry.get("errorMessage")
    return None, None


def _plain(value: Any) -> Any:
    return value._data if isinstance(value, Model) else value


class _ErrorInfoField:
    """``ErrorInfo.code`` / ``.message``: the value sent directly, else the wrapped ``error``'s."""

    def __init__(self, direct: Any) -> None:
        self.direct = direct
        self.key = direct.key

    def __get__(self, obj: Optional[Model], objtype: Any = None) -> Any:
        if obj is None:
            return self
        value = self.direct.__get__(obj, objtype)
        if value is None:
            wrapped = _plain(obj._data.get("error"))
            value = wrapped.get(self.key) if isinstance(wrapped, Mapping) else None
        return value

    def __set__(self, obj: Model, value: Any) -> None:
        self.direct.__set__(obj, value)

    def __delete__(self, obj: Model) -> None:
        self.direct.__delete__(obj)


def patch_sdk() -> None:
    """Called when the package is imported; customizations that must run then go here."""
    for name in ("code", "message"):
        current = ErrorInfo.__dict__[name]
        if not isinstance(current, _ErrorInfoField):  # idempotent: the package may be imported again
            setattr(ErrorInfo, name, _ErrorInfoField(current))
