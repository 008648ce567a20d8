# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Model base class, Serializer and Deserializer.

Models are thin views over the JSON ("wire") mapping they were read from:
``model._data`` is the wire dict itself, never a copy. That makes reading a
large search page almost free (no field is converted until it is read), keeps
every wire key a model does not declare (STAC extension fields such as
``eo:cloud_cover``), and makes write-back byte-equal: an unmodified model
serializes to exactly the JSON it came from.

Declared attributes are descriptors installed from the class's
``_attribute_map`` (msrest style: python name -> wire key and type):

* plain JSON values (strings, numbers, lists of numbers, ...) are returned
  as stored, so list mutations write through;
* nested models, lists and dicts of models are wrapped on first read and the
  wrapper is stored back in ``_data`` (it wraps the same dict, so nothing is
  copied and later reads return the same object);
* datetimes and enums are converted on every read and stored in wire form
  on write, so reading never changes what is written back.
"""

from __future__ import annotations

import base64
import datetime as _dt
import enum
import json
import math
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import (
    IO,
    Any,
    Callable,
    ClassVar,
    Dict,
    Iterator,
    List,
    Optional,
    Tuple,
    Type,
    TypeVar,
    Union,
    cast,
)
from urllib.parse import quote

from azure.core import CaseInsensitiveEnumMeta
from azure.core.exceptions import DeserializationError, SerializationError

from ._logging import redact

__all__ = [
    "Model",
    "Serializer",
    "Deserializer",
    "JSON",
    "FileType",
    "dumps",
    "body_to_json",
    "loads",
    "parse_rfc3339",
    "format_rfc3339",
    "CaseInsensitiveStrEnum",
]

JSON = MutableMapping[str, Any]
#: A multipart file part: bytes, a binary file object, or (filename, content[, content_type]).
FileType = Union[bytes, IO[bytes], Tuple[Optional[str], Any], Tuple[Optional[str], Any, Optional[str]]]
ModelType = TypeVar("ModelType", bound="Model")

_UTC = _dt.timezone.utc


class CaseInsensitiveStrEnum(str, enum.Enum, metaclass=CaseInsensitiveEnumMeta):
    """Base of the generated enums: case-insensitive lookup, and ``str()`` / f-strings give the value.

    (A plain ``str`` + ``Enum`` mix-in formats as ``OperationStatus.SUCCEEDED`` on Python 3.11+.)
    """

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, format_spec: str) -> str:
        return format(str(self.value), format_spec)


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
    if isinstance(obj, Model):
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
    if isinstance(value, Model):
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
    if not isinstance(body, (Model, Mapping, list, tuple)):
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


# --------------------------------------------------------------------------
# Type specs
# --------------------------------------------------------------------------
# A type string (msrest style: "str", "iso-8601", "[float]", "{StacAsset}", "IO" for files,
# "StacItem") is parsed once into a tuple:
#   ("raw",)                 no conversion at all
#   ("datetime",)            RFC 3339 string <-> datetime
#   ("enum", cls)            str <-> case-insensitive enum (unknown values stay str)
#   ("model", cls)           dict <-> Model
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
    if isinstance(target, type) and issubclass(target, Model):
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
        if isinstance(value, Model):
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
                found = getattr(module, name, None) or Model._registry.get(name)
                if found is None:
                    raise TypeError(f"{self.owner.__name__}.{self.name}: unknown type {name!r}")
                return found

            spec = _parse_spec(self.type_str, resolve)
            self._cache_back = _has_models(spec)
            self._spec = spec
        return spec

    def __get__(self, obj: Optional["Model"], objtype: Any = None) -> Any:
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
            if type(value) in (_ModelList, _ModelDict) or isinstance(value, Model):
                return value
            converted = _convert_in(spec, value, f"{self.owner.__name__}.{self.name}")
            obj._data[self.key] = converted
            return converted
        return _convert_in(spec, value, f"{self.owner.__name__}.{self.name}")

    def __set__(self, obj: "Model", value: Any) -> None:
        if value is None:
            obj._data.pop(self.key, None)
            return
        spec = self._spec or self.spec
        try:
            obj._data[self.key] = _convert_out(spec, value)
        except (TypeError, AttributeError, SerializationError) as exc:
            raise TypeError(f"{self.owner.__name__}.{self.name}: cannot store {value!r}: {exc}") from exc

    def __delete__(self, obj: "Model") -> None:
        obj._data.pop(self.key, None)


class _RawAttribute:
    """Descriptor for an attribute stored exactly as on the wire (no conversion)."""

    __slots__ = ("name", "key")

    def __init__(self, name: str, key: str) -> None:
        self.name = name
        self.key = key

    def __get__(self, obj: Optional["Model"], objtype: Any = None) -> Any:
        if obj is None:
            return self
        return obj._data.get(self.key)

    def __set__(self, obj: "Model", value: Any) -> None:
        if value is None:
            obj._data.pop(self.key, None)
        else:
            obj._data[self.key] = value.value if isinstance(value, enum.Enum) else value

    def __delete__(self, obj: "Model") -> None:
        obj._data.pop(self.key, None)


def _is_raw_type(type_str: str) -> bool:
    """Whether a type string needs no conversion (decided without resolving names)."""

    def unresolved(name: str) -> Any:
        raise LookupError(name)

    try:
        return _is_raw(_parse_spec(type_str, unresolved))
    except LookupError:
        return False


def _plain(value: Any, readonly_skip: bool = False) -> Any:
    """Deep copy of a wire tree with every model replaced by a plain dict."""
    if isinstance(value, Model):
        return value.as_dict(exclude_readonly=readonly_skip)
    if isinstance(value, dict):
        return {k: _plain(v, readonly_skip) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, readonly_skip) for v in value]
    return value


def _copy_tree(value: Any) -> Any:
    """Copy plain dicts and lists of a user-given mapping; models are kept."""
    if isinstance(value, Model):
        return value
    if isinstance(value, Mapping):
        return {k: _copy_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_tree(v) for v in value]
    return value


# --------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------

#: Wire keys a short repr shows, by the document's ``type``; other models print their data, cut
#: to ``_REPR_LIMIT`` characters.
_REPR_KEYS: Dict[str, Tuple[str, ...]] = {
    "Feature": ("id", "collection"),
    "FeatureCollection": ("numberMatched",),
    "Collection": ("id", "title"),
    "Catalog": ("id", "title"),
}
_REPR_LIMIT = 400
_GEOJSON_TYPES = frozenset(
    {
        "Feature",
        "FeatureCollection",
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    }
)
#: GeoJSON type of models built without a ``type`` key.
_GEOJSON_CLASSES = {"StacItem": "Feature", "StacItemCollection": "FeatureCollection"}


class Model:
    """Base of every model: a typed view over a JSON object.

    Construct from keywords (Python attribute names, or wire keys for fields
    the model does not declare) or from a mapping of wire keys:

    .. code-block:: python

        item = StacItem(id="a", bounding_box=[0, 0, 1, 1], ...)
        item = StacItem({"id": "a", "bbox": [0, 0, 1, 1], "eo:cloud_cover": 3})
        item["eo:cloud_cover"]      # wire-key access
        item.as_dict()              # plain dict of wire keys
    """

    __slots__ = ("_data",)

    _attribute_map: ClassVar[Dict[str, Dict[str, Any]]] = {}
    _validation: ClassVar[Dict[str, Dict[str, Any]]] = {}
    #: Wire key holding the discriminator, on polymorphic bases.
    _discriminator: ClassVar[Optional[str]] = None
    #: This class's discriminator value, on polymorphic subtypes.
    _discriminator_value: ClassVar[Optional[str]] = None
    _subtypes: ClassVar[Dict[str, Type["Model"]]]
    _python_names: ClassVar[Dict[str, str]]
    _readonly_keys: ClassVar[frozenset]  # type: ignore[type-arg]
    _registry: ClassVar[Dict[str, Type["Model"]]] = {}

    _data: Dict[str, Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Model._registry.setdefault(cls.__name__, cls)
        own_map = cls.__dict__.get("_attribute_map", {})
        for name, info in own_map.items():
            if _is_raw_type(info["type"]):
                setattr(cls, name, _RawAttribute(name, info["key"]))
            else:
                setattr(cls, name, _Attribute(name, info["key"], info["type"], cls))
        cls._python_names = {info["key"]: name for name, info in cls._attribute_map.items()}
        cls._readonly_keys = frozenset(
            cls._attribute_map[name]["key"]
            for name, rules in cls._validation.items()
            if rules.get("readonly") and name in cls._attribute_map
        )
        if "_subtypes" not in cls.__dict__:
            cls._subtypes = {}
        value = cls.__dict__.get("_discriminator_value")
        if value is not None:
            for base in cls.__mro__[1:]:
                if isinstance(base, type) and issubclass(base, Model) and base._discriminator:
                    base._subtypes[value] = cls

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if len(args) > 1:
            raise TypeError(f"{type(self).__name__}() takes at most one positional argument (a mapping)")
        data: Dict[str, Any]
        if args:
            source = args[0]
            if isinstance(source, Model):
                source = source._data
            if not isinstance(source, Mapping):
                raise TypeError(f"{type(self).__name__}() expects a mapping of wire keys, got {type(source).__name__}")
            data = _copy_tree(source)
        else:
            data = {}
        disc, value = type(self)._discriminator, type(self)._discriminator_value
        if disc and value is not None and disc not in data:
            data = {disc: value, **data}
        self._data = data
        attribute_map = self._attribute_map
        for name, arg in kwargs.items():
            if name in attribute_map:
                setattr(self, name, arg)
            elif arg is not None:
                self._data[name] = arg  # a wire key the model does not declare

    @classmethod
    def _from_wire(cls: Type[ModelType], data: Dict[str, Any]) -> ModelType:
        """Wrap a parsed JSON object without copying it (the deserialization fast path)."""
        target: Type[Model] = cls
        if cls._subtypes:
            disc = cls._discriminator
            value = data.get(disc) if disc is not None else None
            if isinstance(value, str):  # any other JSON value (a list, an object) names no subtype
                target = cls._subtypes.get(value, cls)
        obj = object.__new__(target)
        obj._data = data
        return cast(ModelType, obj)

    # -- msrest-style API ---------------------------------------------------

    @classmethod
    def deserialize(cls: Type[ModelType], data: Any, content_type: Optional[str] = None) -> ModelType:
        """Build a model from its wire form.

        :param data: A mapping of wire keys, or JSON text/bytes.
        :type data: Mapping or str or bytes
        :param str content_type: Ignored; JSON is the only format.
        :return: The model (or its subtype, chosen by the discriminator).
        :raises ~azure.core.exceptions.DeserializationError: If ``data`` is not a JSON object.
        """
        if isinstance(data, (bytes, bytearray, str)):
            data = loads(bytes(data) if isinstance(data, bytearray) else data)
        if isinstance(data, Model):
            data = data._data
        if not isinstance(data, Mapping):
            raise DeserializationError(
                f"Cannot deserialize {cls.__name__} from {type(data).__name__}: expected a JSON object"
            )
        return cls._from_wire(_copy_tree(data))

    @classmethod
    def from_dict(
        cls: Type[ModelType],
        data: Any,
        key_extractors: Any = None,
        content_type: Optional[str] = None,
    ) -> ModelType:
        """Build a model from a dict keyed by wire keys or Python attribute names.

        :param data: The mapping.
        :type data: Mapping
        :param key_extractors: Accepted for compatibility; unused.
        :param str content_type: Ignored.
        :return: The model.
        """
        model = cls.deserialize(data)
        for name, info in model._attribute_map.items():
            key = info["key"]
            if key != name and key not in model._data and name in model._data:
                value = model._data.pop(name)
                setattr(model, name, value)
        return model

    def serialize(self, keep_readonly: bool = False, **kwargs: Any) -> JSON:
        """Return the wire form as plain dicts and lists.

        :param bool keep_readonly: Keep properties the service sets itself.
        :return: A new dict keyed by wire keys.
        :rtype: dict
        """
        return self.as_dict(exclude_readonly=not keep_readonly)

    def as_dict(self, *, exclude_readonly: bool = False, **kwargs: Any) -> JSON:
        """Return the wire form as a new dict of plain dicts and lists.

        :keyword bool exclude_readonly: Drop properties the service sets itself.
        :return: A new dict keyed by wire keys.
        :rtype: dict
        """
        skip = self._readonly_keys if exclude_readonly else ()
        return {k: _plain(v, exclude_readonly) for k, v in self._data.items() if k not in skip}

    @classmethod
    def is_xml_model(cls) -> bool:
        """Models here are JSON only.

        :return: False
        :rtype: bool
        """
        return False

    @property
    def additional_properties(self) -> Dict[str, Any]:
        """Wire keys this model does not declare (e.g. STAC extension fields), as a new dict.

        :rtype: dict
        """
        declared = self._python_names
        return {k: v for k, v in self._data.items() if k not in declared}

    # -- mapping API over wire keys ------------------------------------------

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        name = self._python_names.get(key)
        if name is not None:
            setattr(self, name, value)
        else:
            self._data[key] = value

    def __delitem__(self, key: str) -> None:
        del self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def keys(self) -> Any:
        """Wire keys present in this model."""
        return self._data.keys()

    def values(self) -> Any:
        """Values, in wire form or as already-wrapped models."""
        return self._data.values()

    def items(self) -> Any:
        """(wire key, value) pairs."""
        return self._data.items()

    def get(self, key: str, default: Any = None) -> Any:
        """Value of a wire key, or ``default``."""
        return self._data.get(key, default)

    _MISSING: ClassVar[Any] = object()

    def pop(self, key: str, default: Any = _MISSING) -> Any:
        """Remove a wire key and return its value."""
        if default is Model._MISSING:
            return self._data.pop(key)
        return self._data.pop(key, default)

    def popitem(self) -> Tuple[str, Any]:
        """Remove and return the last (wire key, value) pair."""
        return self._data.popitem()

    def clear(self) -> None:
        """Remove every key."""
        self._data.clear()

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Set wire keys from a mapping and/or keywords."""
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key: str, default: Any = None) -> Any:
        """Return the value of a wire key, setting it to ``default`` when absent."""
        return self._data.setdefault(key, default)

    def copy(self: ModelType) -> ModelType:
        """Return an independent deep copy."""
        return type(self)._from_wire(_plain(self._data))

    # -- object protocol -----------------------------------------------------

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, Model):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __ne__(self, other: Any) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        # Short, never the whole document (an item collection prints as kilobytes of JSON
        # otherwise); SAS signatures (in tokens and signed hrefs) never reach logs or tracebacks.
        name = type(self).__name__
        data = self._data
        kind = data.get("type")
        if isinstance(kind, str) and kind in _REPR_KEYS:
            parts = [f"{key}={redact(repr(data[key]))}" for key in _REPR_KEYS[kind] if data.get(key) is not None]
            if kind == "FeatureCollection":
                parts.insert(0, f"features={len(data.get('features') or [])}")
            return f"<{name} {' '.join(parts)}>" if parts else f"<{name}>"
        text = redact(repr(data))
        if len(text) > _REPR_LIMIT:
            text = f"{text[: _REPR_LIMIT - 40]} ... ({len(text)} characters)"
        return f"{name}({text})"

    @property
    def __geo_interface__(self) -> Dict[str, Any]:
        """The object as plain GeoJSON (a copy), for shapely, geopandas and other geo libraries.

        Items are ``Feature`` objects, item collections ``FeatureCollection`` objects and geometries
        themselves: ``geopandas.GeoDataFrame.from_features(item_collection)`` and
        ``shapely.geometry.shape(item)`` take them directly. Models that are not GeoJSON (a STAC
        collection, an asset) have no ``__geo_interface__``: ``hasattr`` is False for them.

        :raises AttributeError: If the model is not a GeoJSON object.
        """
        kind = self._data.get("type")
        if kind is None:
            kind = _GEOJSON_CLASSES.get(type(self).__name__)
            if kind is None:
                raise AttributeError(f"{type(self).__name__} is not GeoJSON: it has no __geo_interface__")
            return {"type": kind, **_plain(self._data)}
        if not isinstance(kind, str) or kind not in _GEOJSON_TYPES:
            raise AttributeError(f"{type(self).__name__} of type {kind!r} is not GeoJSON: it has no __geo_interface__")
        geo: Dict[str, Any] = _plain(self._data)
        return geo

    def __getstate__(self) -> Dict[str, Any]:
        return {"_data": _plain(self._data)}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self._data = state["_data"]


MutableMapping.register(Model)


# --------------------------------------------------------------------------
# Serializer / Deserializer used by the generated operations
# --------------------------------------------------------------------------


def _parameter_text(name: str, value: Any, data_type: str) -> str:
    """``_scalar_text`` after the checks a service cannot make sense of: bytes and NaN/infinity."""
    if isinstance(value, (bytes, bytearray)):
        raise TypeError(f"{name} must be str, not {type(value).__name__} (decode it first)")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return _scalar_text(value, data_type)


def _scalar_text(value: Any, data_type: str = "str") -> str:
    # Numbers take the declared type first: a float parameter given 14 is sent as "14.0".
    if data_type == "float" and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = float(value)
    elif data_type == "int" and isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, _dt.datetime):
        return format_rfc3339(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


class Serializer:
    """Turns Python values into URL, query, header and body text (msrest style).

    :param classes: Model and enum classes by name (unused; models carry their
        own type information).
    """

    def __init__(self, classes: Optional[Mapping[str, type]] = None) -> None:
        self.dependencies = dict(classes or {})
        self.client_side_validation = True

    def url(self, name: str, data: Any, data_type: str, skip_quote: bool = False, **kwargs: Any) -> str:
        """Text for a path segment, percent-quoted with nothing kept safe.

        :raises ValueError: If the value is None, empty or a non-finite number.
        :raises TypeError: If the value is bytes.
        """
        if data is None:
            raise ValueError(f"{name} must not be None")
        text = _parameter_text(name, data, data_type)
        if not text:  # an empty path segment (a str or enum value) addresses something else
            raise ValueError(f"{name} must not be empty")
        return text if skip_quote else quote(text, safe="")

    def query(
        self,
        name: str,
        data: Any,
        data_type: str,
        div: Optional[str] = None,
        skip_quote: bool = False,
        **kwargs: Any,
    ) -> Union[str, List[str]]:
        """Text for a query parameter; arrays are joined with ``div`` or returned as a list.

        :raises ValueError: If the value is None or a non-finite number.
        :raises TypeError: If the value is bytes, or not a list where a list is expected.
        """
        if data is None:
            raise ValueError(f"{name} must not be None")
        if data_type.startswith("["):
            if isinstance(data, (str, bytes, bytearray, Mapping)) or not hasattr(data, "__iter__"):
                raise TypeError(f"{name} must be a list, got {type(data).__name__}")
            parts = [_parameter_text(name, v, data_type[1:-1]) for v in data]
            if not skip_quote:
                parts = [quote(p, safe="") for p in parts]
            return div.join(parts) if div is not None else parts
        text = _parameter_text(name, data, data_type)
        return text if skip_quote else quote(text, safe="")

    def header(self, name: str, data: Any, data_type: str, **kwargs: Any) -> str:
        """Text for a header value.

        :raises ValueError: If the value is None.
        """
        if data is None:
            raise ValueError(f"{name} must not be None")
        if data_type.startswith("["):
            return ",".join(_parameter_text(name, v, data_type[1:-1]) for v in data)
        return _parameter_text(name, data, data_type)

    def body(self, data: Any, data_type: str, **kwargs: Any) -> Any:
        """A JSON-compatible tree for a request body (models become wire dicts).

        Read-only properties of a model body are left out: the service sets them.
        """
        if isinstance(data, Model):
            return data.as_dict(exclude_readonly=True)
        return _plain(data)


class Deserializer:
    """Turns response payloads into models and Python values (msrest style).

    Called as ``deserializer("StacItem", pipeline_response_or_data)``.

    :param classes: Model and enum classes by name.
    """

    def __init__(self, classes: Optional[Mapping[str, type]] = None) -> None:
        self.dependencies: Dict[str, type] = dict(classes or {})
        self._specs: Dict[str, _Spec] = {}

    def _spec(self, data_type: str) -> _Spec:
        spec = self._specs.get(data_type)
        if spec is None:

            def resolve(name: str) -> Any:
                found = self.dependencies.get(name) or Model._registry.get(name)
                if found is None:
                    raise DeserializationError(f"Unknown type {name!r}")
                return found

            spec = _parse_spec(data_type, resolve)
            self._specs[data_type] = spec
        return spec

    def __call__(self, target_type: str, response_data: Any, content_type: Optional[str] = None) -> Any:
        data = response_data
        if hasattr(data, "http_response"):  # a PipelineResponse
            data = data.http_response
        if hasattr(data, "status_code"):  # an HTTP response, already read
            body = data.content if hasattr(type(data), "content") else data.body()
            if not body:
                return None
            data = loads(body)
        return self.deserialize_data(data, target_type)

    def deserialize_data(self, data: Any, data_type: str) -> Any:
        """Convert parsed JSON to ``data_type``.

        :raises ~azure.core.exceptions.DeserializationError: If the data does not fit the type.
        """
        if data is None:
            return None
        spec = self._spec(data_type)
        return _convert_in(spec, data, data_type)


def multipart_fields(body: Any, file_fields: List[str]) -> List[Tuple[str, Any]]:
    """The parts of a multipart body, file parts first, for ``HttpRequest(files=...)``.

    File fields take bytes, a binary file object, or a ``(filename, content[,
    content_type])`` tuple; every other field is sent as a JSON text part.

    :param body: The body model or mapping.
    :param file_fields: Wire names of the file parts.
    :return: ``(name, value)`` pairs.
    :raises TypeError: If the body is not a mapping or a file part is missing.
    """
    if isinstance(body, Model):
        body = body._data
    if not isinstance(body, Mapping):
        raise TypeError(f"A multipart body must be a model or a mapping, got {type(body).__name__}")
    missing = [f for f in file_fields if body.get(f) is None]
    if missing:
        raise TypeError(f"The multipart body needs the file field(s): {', '.join(missing)}")
    parts: List[Tuple[str, Any]] = []
    for key in file_fields:
        value = body[key]
        parts.extend((key, v) for v in value) if isinstance(value, list) else parts.append((key, value))
    for key, value in body.items():
        if key in file_fields or value is None:
            continue
        parts.append((key, (None, value if isinstance(value, str) else dumps(value))))
    return parts
