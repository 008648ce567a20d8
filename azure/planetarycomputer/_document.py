# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The base of the free-form document models, :class:`DocumentModel`: a ``dict`` with the model API.

Some answers of the service are JSON objects whose keys are data, not fields: a queryables JSON
Schema, a class map legend (``{"1": [255, 0, 0, 255], ...}``), statistics keyed by asset or band.
Their definitions declare no properties. Such a model *is* the JSON object, a ``dict`` subclass,
so both kinds of code read it as they expect:

* code that expects a plain ``dict`` (as earlier releases returned for these names):
  ``isinstance(x, dict)``, ``json.dumps(x)``, ``x["key"]``, ``x.items()``, ``dict(x)``;
* code that expects a model: ``isinstance(x, ClassMapLegendResponse)``, ``x.as_dict()``,
  ``x.serialize()``, ``ClassMapLegendResponse.deserialize(...)`` / ``from_dict(...)``, equality
  with models and mappings, and a short repr.

:class:`~._model.Model` keeps its JSON object in a slot (``_data``), which a ``dict`` subclass has
no room for: hence this separate, small base. The lower layers know it as ``WireDocument``.
"""

from __future__ import annotations

from typing import Any, ClassVar, Dict, Optional, Type, TypeVar

from ._attributes import MODEL_REGISTRY, _plain
from ._model_api import ModelApi, constructor_mapping
from ._model_views import short_repr
from ._wire import JSON, WireDocument

__all__ = ["DocumentModel"]

DocumentType = TypeVar("DocumentType", bound="DocumentModel")


class DocumentModel(WireDocument, ModelApi):
    """Base of the models whose definition declares no properties: a ``dict`` of wire keys.

    .. code-block:: python

        legend = ClassMapLegendResponse({"1": [255, 0, 0, 255]})
        isinstance(legend, dict)    # True: json.dumps(legend) works as it is
        legend["1"]                 # [255, 0, 0, 255]
        legend.as_dict()            # a plain dict (a deep copy)
    """

    __slots__ = ()

    # The class attributes models offer for introspection: a document declares no attribute.
    _attribute_map: ClassVar[Dict[str, Dict[str, Any]]] = {}
    _validation: ClassVar[Dict[str, Dict[str, Any]]] = {}
    _discriminator: ClassVar[Optional[str]] = None
    _discriminator_value: ClassVar[Optional[str]] = None
    _subtypes: ClassVar[Dict[str, Type[Any]]] = {}
    _registry: ClassVar[Dict[str, Type[Any]]] = MODEL_REGISTRY

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        MODEL_REGISTRY.setdefault(cls.__name__, cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Copy a mapping of wire keys, and/or take wire keys as keywords.

        :raises TypeError: If given more than one positional argument, or one that is not a mapping.
        """
        super().__init__(constructor_mapping(type(self).__name__, args))
        self.update(kwargs)

    @classmethod
    def _from_wire(cls: Type[DocumentType], data: Dict[str, Any]) -> DocumentType:
        """Take a parsed JSON object (its values are not copied); one already of this class as it is."""
        if isinstance(data, cls):
            return data
        document = dict.__new__(cls)
        dict.update(document, data)
        return document

    # -- msrest-style API (deserialize, from_dict, serialize, is_xml_model: ModelApi) --

    def as_dict(self, *, exclude_readonly: bool = False, **kwargs: Any) -> JSON:
        """Return the wire form as a new dict of plain dicts and lists (a deep copy).

        :keyword bool exclude_readonly: Accepted for compatibility: a document has no read-only property.
        :return: A new dict keyed by wire keys.
        :rtype: dict
        """
        return {key: _plain(value) for key, value in self.items()}

    @property
    def additional_properties(self) -> Dict[str, Any]:
        """Every key, as a new dict (a document declares no property).

        :rtype: dict
        """
        return dict(self)

    def copy(self: DocumentType) -> DocumentType:
        """Return an independent deep copy of the same class (as models' ``copy()`` does).

        :return: The copy.
        """
        return type(self)._from_wire(_plain(dict(self)))

    def __repr__(self) -> str:
        # Short (never a whole document); SAS signatures never reach logs or tracebacks through a repr.
        return short_repr(type(self).__name__, dict(self))
