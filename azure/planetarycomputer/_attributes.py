# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Declared model attributes: type strings parsed into conversion specs, and the descriptors that
convert between wire values and Python values on read and write (see ``_model.py``)."""

from __future__ import annotations

import datetime as _dt
import enum
import sys
from collections.abc import Mapping
from typing import Any, Callable, Dict, Optional, Tuple, Type

from azure.core.exceptions import DeserializationError, SerializationError

from ._wire import WireDocument, WireObject, format_rfc3339, parse_rfc3339

#: Every model class by name (models resolve the types of their attributes here, after their module).
MODEL_REGISTRY: Dict[str, Type[Any]] = {}


# --------------------------------------------------------------------------
# Type specs
# --------------------------------------------------------------------------
# A type string (msrest style: "str", "iso-8601", "[float]", "{StacAsset}", "IO" for files,
# "StacItem") is parsed once into a tuple:
#   ("raw",)                 no conversion at all
#   ("datetime",)            RFC 3339 string <-> datetime
#   ("enum", cls)            str <-> case-insensitive enum (unknown values stay str)
#   ("model", cls)           dict <-> Model (or a document model, which is the dict: cls._from_wire)
#   ("list", inner) / ("dict", inner)

_RAW_TYPES = frozenset(
    {"str", "int", "float", "bool", "object", "long", "number", "bytearray", "duration", "date", "unix-time", "IO"}
)
_Spec = Tuple[Any, ...]
_RAW: _Spec = ("raw",)


def _is_raw(spec: _Spec) -> bool:
    return bool(spec[0] == "raw")


def _has_models(spec: _Spec) -> bool:
    kind = spec[0]
    if kind == "model":
        return True
    if kind in ("list", "dict"):
        return _has_models(spec[1])
    return False


def _parse_spec(type_str: str, resolve: Callable[[str], Any]) -> _Spec:
    if type_str.startswith("[") and type_str.endswith("]"):
        inner = _parse_spec(type_str[1:-1], resolve)
        return _RAW if _is_raw(inner) else ("list", inner)
    if type_str.startswith("{") and type_str.endswith("}"):
        inner = _parse_spec(type_str[1:-1], resolve)
        return _RAW if _is_raw(inner) else ("dict", inner)
    if type_str in _RAW_TYPES:
        return _RAW
    if type_str in ("iso-8601", "rfc-1123"):
        return ("datetime",)
    target = resolve(type_str)
    if isinstance(target, type) and issubclass(target, (WireObject, WireDocument)):
        return ("model", target)
    if isinstance(target, type) and issubclass(target, enum.Enum):
        return ("enum", target)
    raise TypeError(f"Unknown type {type_str!r} in a model attribute map")


_ENUM_LOOKUP: Dict[type, Dict[str, Any]] = {}


def _enum_member(cls: Type[enum.Enum], value: Any) -> Any:
    """Return the enum member for ``value`` (case-insensitive) or ``value`` itself."""
    table = _ENUM_LOOKUP.get(cls)
    if table is None:
        table = {str(m.value).lower(): m for m in cls}
        _ENUM_LOOKUP[cls] = table
    if isinstance(value, str):
        return table.get(value.lower(), value)
    return value


def _convert_in(spec: _Spec, value: Any, where: str) -> Any:
    """Convert a wire value to its Python form according to ``spec``."""
    if value is None:
        return None
    kind = spec[0]
    if kind == "raw":
        return value
    if kind == "model":
        if isinstance(value, WireObject):
            return value
        if not isinstance(value, dict):
            raise DeserializationError(
                f"{where}: expected a JSON object for {spec[1].__name__}, got {type(value).__name__}"
            )
        return spec[1]._from_wire(value)
    if kind == "datetime":
        if isinstance(value, _dt.datetime):
            return value
        try:
            return parse_rfc3339(value)
        except DeserializationError as exc:
            raise DeserializationError(f"{where}: {exc}") from exc
    if kind == "enum":
        return _enum_member(spec[1], value)
    if kind == "list":
        if not isinstance(value, list):
            raise DeserializationError(f"{where}: expected a JSON array, got {type(value).__name__}")
        inner = spec[1]
        items = [_convert_in(inner, v, where) for v in value]
        return _ModelList(items) if _has_models(inner) else items
    if kind == "dict":
        if not isinstance(value, dict):
            raise DeserializationError(f"{where}: expected a JSON object, got {type(value).__name__}")
        inner = spec[1]
        entries = {k: _convert_in(inner, v, where) for k, v in value.items()}
        return _ModelDict(entries) if _has_models(inner) else entries
    raise AssertionError(kind)  # pragma: no cover


def _convert_out(spec: _Spec, value: Any) -> Any:
    """Convert a Python value to what is stored in the wire mapping."""
    if value is None:
        return None
    kind = spec[0]
    if kind == "raw":
        return value.value if isinstance(value, enum.Enum) else value
    if kind == "datetime":
        return format_rfc3339(value)
    if kind == "enum":
        return value.value if isinstance(value, enum.Enum) else value
    if kind == "model":
        return value  # a Model or a plain mapping; both serialize the same
    if kind == "list":
        return [_convert_out(spec[1], v) for v in value]
    if kind == "dict":
        return {k: _convert_out(spec[1], v) for k, v in value.items()}
    raise AssertionError(kind)  # pragma: no cover


class _ModelList(list):  # type: ignore[type-arg]
    """A list already converted to models (marks the conversion as done)."""

    __slots__ = ()


class _ModelDict(dict):  # type: ignore[type-arg]
    """A dict already converted to models (marks the conversion as done)."""

    __slots__ = ()


class _Attribute:
    """Descriptor for one declared model attribute."""

    __slots__ = ("name", "key", "type_str", "owner", "_spec", "_cache_back")

    def __init__(self, name: str, key: str, type_str: str, owner: type) -> None:
        self.name = name
        self.key = key
        self.type_str = type_str
        self.owner = owner
        self._spec: Optional[_Spec] = None
        self._cache_back = False

    @property
    def spec(self) -> _Spec:
        spec = self._spec
        if spec is None:
            module = sys.modules[self.owner.__module__]

            def resolve(name: str) -> Any:
                found = getattr(module, name, None) or MODEL_REGISTRY.get(name)
                if found is None:
                    raise TypeError(f"{self.owner.__name__}.{self.name}: unknown type {name!r}")
                return found

            spec = _parse_spec(self.type_str, resolve)
            self._cache_back = _has_models(spec)
            self._spec = spec
        return spec

    def __get__(self, obj: Optional[WireObject], objtype: Any = None) -> Any:
        if obj is None:
            return self
        value = obj._data.get(self.key)
        if value is None:
            return None
        spec = self._spec or self.spec
        kind = spec[0]
        if kind == "raw":
            return value
        if self._cache_back:
            if type(value) in (_ModelList, _ModelDict) or isinstance(value, WireObject):
                return value
            converted = _convert_in(spec, value, f"{self.owner.__name__}.{self.name}")
            obj._data[self.key] = converted
            return converted
        return _convert_in(spec, value, f"{self.owner.__name__}.{self.name}")

    def __set__(self, obj: WireObject, value: Any) -> None:
        if value is None:
            obj._data.pop(self.key, None)
            return
        spec = self._spec or self.spec
        try:
            obj._data[self.key] = _convert_out(spec, value)
        except (TypeError, AttributeError, SerializationError) as exc:
            raise TypeError(f"{self.owner.__name__}.{self.name}: cannot store {value!r}: {exc}") from exc

    def __delete__(self, obj: WireObject) -> None:
        obj._data.pop(self.key, None)


class _RawAttribute:
    """Descriptor for an attribute stored exactly as on the wire (no conversion)."""

    __slots__ = ("name", "key")

    def __init__(self, name: str, key: str) -> None:
        self.name = name
        self.key = key

    def __get__(self, obj: Optional[WireObject], objtype: Any = None) -> Any:
        if obj is None:
            return self
        return obj._data.get(self.key)

    def __set__(self, obj: WireObject, value: Any) -> None:
        if value is None:
            obj._data.pop(self.key, None)
        else:
            obj._data[self.key] = value.value if isinstance(value, enum.Enum) else value

    def __delete__(self, obj: WireObject) -> None:
        obj._data.pop(self.key, None)


def _is_raw_type(type_str: str) -> bool:
    """Whether a type string needs no conversion (decided without resolving names)."""

    def unresolved(name: str) -> Any:
        raise LookupError(name)

    try:
        return _is_raw(_parse_spec(type_str, unresolved))
    except LookupError:
        return False


def _too_deep(action: str) -> str:
    limit = sys.getrecursionlimit()
    return f"The JSON document is nested too deeply to {action} (deeper than Python's recursion limit of {limit})"


def _plain(value: Any, readonly_skip: bool = False) -> Any:
    """Deep copy of a wire tree with every model replaced by a plain dict.

    :raises ValueError: If the tree is nested too deeply to walk (a document from a server can be).
    """
    try:
        return _plain_tree(value, readonly_skip)
    except RecursionError:
        raise ValueError(_too_deep("copy to plain dicts")) from None


def _plain_tree(value: Any, readonly_skip: bool) -> Any:
    if isinstance(value, WireObject):
        return value.as_dict(exclude_readonly=readonly_skip)
    if isinstance(value, dict):
        return {k: _plain_tree(v, readonly_skip) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_tree(v, readonly_skip) for v in value]
    return value


def _copy_tree(value: Any) -> Any:
    """Copy plain dicts and lists of a user-given mapping; models are kept.

    :raises ~azure.core.exceptions.DeserializationError: If it is nested too deeply to walk.
    """
    try:
        return _copy_mappings(value)
    except RecursionError:
        raise DeserializationError(_too_deep("read as a model")) from None


def _copy_mappings(value: Any) -> Any:
    if isinstance(value, WireObject):
        return value
    if isinstance(value, Mapping):
        return {k: _copy_mappings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_mappings(v) for v in value]
    return value
