# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The base of every model, :class:`Model`, and of every enum, :class:`CaseInsensitiveStrEnum`.

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

import enum
from collections.abc import Mapping, MutableMapping
from typing import Any, ClassVar, Dict, Iterator, Optional, Tuple, Type, TypeVar, cast

from azure.core import CaseInsensitiveEnumMeta
from azure.core.exceptions import DeserializationError

from ._attributes import MODEL_REGISTRY, _Attribute, _copy_tree, _is_raw_type, _plain, _RawAttribute
from ._model_views import geo_interface, short_repr
from ._wire import JSON, WireObject, loads

__all__ = ["Model", "CaseInsensitiveStrEnum"]

ModelType = TypeVar("ModelType", bound="Model")


class CaseInsensitiveStrEnum(str, enum.Enum, metaclass=CaseInsensitiveEnumMeta):
    """Base of the generated enums: case-insensitive lookup, and ``str()`` / f-strings give the value.

    (A plain ``str`` + ``Enum`` mix-in formats as ``OperationStatus.SUCCEEDED`` on Python 3.11+.)
    """

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, format_spec: str) -> str:
        return format(str(self.value), format_spec)


# --------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------


class Model(WireObject):
    """Base of every model: a typed view over a JSON object.

    Construct from keywords (Python attribute names, or wire keys for fields
    the model does not declare) or from a mapping of wire keys:

    .. code-block:: python

        item = StacItem(id="a", bounding_box=[0, 0, 1, 1], ...)
        item = StacItem({"id": "a", "bbox": [0, 0, 1, 1], "eo:cloud_cover": 3})
        item["eo:cloud_cover"]      # wire-key access
        item.as_dict()              # plain dict of wire keys
    """

    __slots__ = ()  # the wire dict is WireObject's _data

    _attribute_map: ClassVar[Dict[str, Dict[str, Any]]] = {}
    _validation: ClassVar[Dict[str, Dict[str, Any]]] = {}
    #: Wire key holding the discriminator, on polymorphic bases.
    _discriminator: ClassVar[Optional[str]] = None
    #: This class's discriminator value, on polymorphic subtypes.
    _discriminator_value: ClassVar[Optional[str]] = None
    _subtypes: ClassVar[Dict[str, Type["Model"]]]
    _python_names: ClassVar[Dict[str, str]]
    _readonly_keys: ClassVar[frozenset]  # type: ignore[type-arg]
    _registry: ClassVar[Dict[str, Type[Any]]] = MODEL_REGISTRY

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
        # Short (never a whole document); SAS signatures never reach logs or tracebacks through a repr.
        return short_repr(type(self).__name__, self._data)

    @property
    def __geo_interface__(self) -> Dict[str, Any]:
        """The object as plain GeoJSON (a copy), for shapely, geopandas and other geo libraries.

        Items are ``Feature`` objects, item collections ``FeatureCollection`` objects and geometries
        themselves: ``geopandas.GeoDataFrame.from_features(item_collection)`` and
        ``shapely.geometry.shape(item)`` take them directly. Models that are not GeoJSON (a STAC
        collection, an asset) have no ``__geo_interface__``: ``hasattr`` is False for them.

        :raises AttributeError: If the model is not a GeoJSON object.
        """
        return geo_interface(type(self).__name__, self._data)

    def __getstate__(self) -> Dict[str, Any]:
        return {"_data": _plain(self._data)}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self._data = state["_data"]


MutableMapping.register(Model)
