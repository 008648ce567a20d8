# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""What both model bases share: the msrest-style API, and construction from a mapping.

:class:`~._model.Model` (a view over a JSON object in a slot) and :class:`~._document.DocumentModel`
(the JSON object itself, a ``dict``) differ in where the object lives; how a model is read from
JSON text or a mapping and written back is the same, and lives here once. The mixin has no
slots of its own, so it fits both layouts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Dict, Optional, Tuple, Type, TypeVar

from azure.core.exceptions import DeserializationError

from ._attributes import _copy_tree
from ._wire import JSON, WireObject, loads

__all__ = ["ModelApi", "constructor_mapping"]

ApiType = TypeVar("ApiType", bound="ModelApi")


def constructor_mapping(name: str, args: Tuple[Any, ...]) -> Dict[str, Any]:
    """The wire keys ``Name(mapping)`` starts from: a copy of the one optional positional mapping.

    :param str name: The model's class name, for error messages.
    :param tuple args: The constructor's positional arguments.
    :return: A copy of the mapping's plain dicts and lists (models in it are kept), or a new dict.
    :raises TypeError: If there is more than one positional argument, or one that is not a mapping.
    """
    if len(args) > 1:
        raise TypeError(f"{name}() takes at most one positional argument (a mapping)")
    if not args:
        return {}
    source = args[0]
    if isinstance(source, WireObject):
        source = source._data
    if not isinstance(source, Mapping):
        raise TypeError(f"{name}() expects a mapping of wire keys, got {type(source).__name__}")
    copied: Dict[str, Any] = _copy_tree(source)
    return copied


class ModelApi:
    """``deserialize`` / ``from_dict`` / ``serialize`` / ``is_xml_model`` on top of a model base's
    ``_from_wire`` (wrap a parsed JSON object) and ``as_dict`` (the wire form, copied)."""

    __slots__ = ()

    @classmethod
    def _from_wire(cls: Type[ApiType], data: Dict[str, Any]) -> ApiType:
        raise NotImplementedError

    def as_dict(self, *, exclude_readonly: bool = False, **kwargs: Any) -> JSON:
        """Return the wire form as a new dict of plain dicts and lists.

        :keyword bool exclude_readonly: Drop properties the service sets itself.
        :return: A new dict keyed by wire keys.
        :rtype: dict
        """
        raise NotImplementedError

    @classmethod
    def deserialize(cls: Type[ApiType], data: Any, content_type: Optional[str] = None) -> ApiType:
        """Build a model from its wire form (copied: ``data`` is left as it is).

        :param data: A mapping of wire keys, or JSON text/bytes.
        :type data: Mapping or str or bytes
        :param str content_type: Ignored; JSON is the only format.
        :return: The model (a polymorphic base gives the subtype its discriminator names).
        :raises ~azure.core.exceptions.DeserializationError: If ``data`` is not a JSON object.
        """
        if isinstance(data, (bytes, bytearray, str)):
            data = loads(bytes(data) if isinstance(data, bytearray) else data)
        if isinstance(data, WireObject):
            data = data._data
        if not isinstance(data, Mapping):
            raise DeserializationError(
                f"Cannot deserialize {cls.__name__} from {type(data).__name__}: expected a JSON object"
            )
        return cls._from_wire(_copy_tree(data))

    @classmethod
    def from_dict(
        cls: Type[ApiType],
        data: Any,
        key_extractors: Any = None,
        content_type: Optional[str] = None,
    ) -> ApiType:
        """Build a model from a dict keyed by wire keys or Python attribute names.

        :param data: The mapping.
        :type data: Mapping
        :param key_extractors: Accepted for compatibility; unused.
        :param str content_type: Ignored.
        :return: The model.
        """
        model = cls.deserialize(data)
        model._adopt_python_names()
        return model

    def _adopt_python_names(self) -> None:
        """``from_dict``: move declared attributes given by their Python names to their wire keys."""

    def serialize(self, keep_readonly: bool = False, **kwargs: Any) -> JSON:
        """Return the wire form as plain dicts and lists.

        :param bool keep_readonly: Keep properties the service sets itself.
        :return: A new dict keyed by wire keys.
        :rtype: dict
        """
        return self.as_dict(exclude_readonly=not keep_readonly)

    @classmethod
    def is_xml_model(cls) -> bool:
        """Models here are JSON only.

        :return: False
        :rtype: bool
        """
        return False
