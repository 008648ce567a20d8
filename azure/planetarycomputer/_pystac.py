# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Conversion between this package's STAC models and `pystac <https://pystac.readthedocs.io>`_ objects.

Two functions, in one place (no methods on the models): :func:`to_pystac` and :func:`from_pystac`,
pairing ``StacItem`` with ``pystac.Item``, ``StacItemCollection`` with ``pystac.ItemCollection``,
``StacCollection`` with ``pystac.Collection`` and ``StacLandingPage`` (the API's root catalog) with
``pystac.Catalog``.

Nothing is migrated or rewritten: objects are read with ``migrate=False`` (pystac would otherwise
upgrade extension fields, e.g. ``proj:epsg`` to ``proj:code``) and written with
``transform_hrefs=False`` and the ``self`` link kept, so links, hrefs, extension fields, ``msft:*``
keys and asset fields come back as they were. What pystac would change on the way is put back:

- ``stac_version``: pystac writes its own version; the wire value is kept in the pystac object's
  ``extra_fields["stac_version"]`` (which pystac writes last) so a 1.0.0 item stays 1.0.0.
- an item's ``properties.datetime`` string: pystac re-formats it (``.5Z`` becomes ``.500000Z``);
  the original string is kept while ``item.datetime`` is still the same instant.
- an item's ``bbox`` (pystac drops it when ``geometry`` is null, and writes ``[]`` when absent), and a
  collection's or catalog's automatic ``root`` link (pystac adds one pointing at the object itself).

What pystac normalizes and is *not* put back (documented, rarely seen on the wire):

- a Catalog's or Collection's empty ``stac_extensions``, ``keywords``, ``providers``, ``summaries``
  or ``assets`` are dropped; an Item without ``stac_extensions`` gains ``"stac_extensions": []``;
- datetime strings in a Collection's ``extent.temporal.interval`` are re-formatted (same instant);
- explicit ``null`` for an optional ``title``/``type``/``description``/``roles`` of an asset or link,
  and for an item's ``collection``, is dropped.

A pystac object is returned detached: changing it never changes the model it came from, and the
reverse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Union, overload

from . import models as _models
from ._attributes import _plain
from ._pystac_client import stac_io_for
from ._serialization import Model

if TYPE_CHECKING:
    import pystac
else:

    class _PystacOnFirstUse:
        """Stands for the ``pystac`` module in this module's globals, importing it on first attribute
        access: ``typing.get_type_hints`` resolves the annotations below (``pystac.Item``...) while
        importing this package never imports pystac."""

        def __getattr__(self, name: str) -> Any:
            return getattr(_import_pystac(), name)

    pystac = _PystacOnFirstUse()

__all__: List[str] = ["to_pystac", "from_pystac"]

_MISSING: Any = object()
#: Links whose href names the endpoint an object was read from.
_ENDPOINT_RELS = ("root", "self", "collection", "parent")


def _import_pystac() -> Any:
    try:
        import pystac
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Converting to and from pystac needs the 'pystac' package: pip install 'azure-planetarycomputer[pystac]'"
        ) from exc
    return pystac


# -- to pystac ----------------------------------------------------------------------------------------


def _keep_stac_version(obj: Any, wire: Mapping[str, Any]) -> None:
    # pystac writes pystac.get_stac_version() and then every extra field, so this one wins.
    if "stac_version" in wire:
        obj.extra_fields["stac_version"] = wire["stac_version"]


def _offline_root(obj: Any) -> None:
    """Point ``root`` links at an in-memory catalog with the same href.

    pystac resolves a root link it has only as an href by fetching it (``to_dict()``, ``link.href``),
    without credentials, so a GeoCatalog answers 401 and pystac raises. The placeholder has the
    link's href as its self href: what pystac writes is unchanged, and nothing is fetched.

    When a live sync client serves the object's endpoint, the placeholder (and a catalog or
    collection itself) reads through that client's pipeline: following a link
    (``item.get_collection()``, ``collection.get_items()``) sends the client's bearer token to its
    endpoint and to no other host.
    """
    import pystac  # already imported by the caller; the extra is installed

    # link.target, not link.href: href of a root link would make pystac fetch it, unauthenticated.
    hrefs = (link.target for link in obj.links if link.rel in _ENDPOINT_RELS and isinstance(link.target, str))
    stac_io = stac_io_for(next(hrefs, None))
    for link in obj.links:
        if link.rel == "root" and isinstance(link.target, str):
            root = pystac.Catalog(id="root", description="STAC API root (not fetched)")
            root.set_self_href(link.target)
            if stac_io is not None:
                root._stac_io = stac_io
            link.target = root
    if stac_io is not None:
        obj._stac_io = stac_io  # used for links of an object without a root link


def _item_to_pystac(pystac: Any, wire: Dict[str, Any]) -> "pystac.Item":
    # ``wire`` is a fresh plain copy: pystac may take it over (preserve_dict=False).
    item = pystac.Item.from_dict(wire, preserve_dict=False, migrate=False)
    _keep_stac_version(item, wire)
    _offline_root(item)
    return item  # type: ignore[no-any-return]


def _catalog_to_pystac(cls: Any, wire: Dict[str, Any]) -> Any:
    has_root = any(isinstance(link, Mapping) and link.get("rel") == "root" for link in wire.get("links") or [])
    stac_version = wire.get("stac_version", _MISSING)
    obj = cls.from_dict(wire, preserve_dict=False, migrate=False)
    if stac_version is not _MISSING:
        obj.extra_fields["stac_version"] = stac_version
    if not has_root:
        # pystac makes a catalog its own root; a service document's root is the service's.
        obj.remove_links("root")
    _offline_root(obj)
    return obj


@overload
def to_pystac(obj: _models.StacItem) -> "pystac.Item": ...
@overload
def to_pystac(obj: _models.StacItemCollection) -> "pystac.ItemCollection": ...
@overload
def to_pystac(obj: _models.StacCollection) -> "pystac.Collection": ...
@overload
def to_pystac(obj: _models.StacLandingPage) -> "pystac.Catalog": ...
@overload
def to_pystac(
    obj: Mapping[str, Any],
) -> Union["pystac.Item", "pystac.ItemCollection", "pystac.Collection", "pystac.Catalog"]: ...


def to_pystac(
    obj: Union[Model, Mapping[str, Any]],
) -> Union["pystac.Item", "pystac.ItemCollection", "pystac.Collection", "pystac.Catalog"]:
    """Convert a STAC model of this package (or a STAC JSON mapping) to the pystac object.

    ``StacItem`` -> ``pystac.Item``, ``StacItemCollection`` -> ``pystac.ItemCollection``,
    ``StacCollection`` -> ``pystac.Collection``, ``StacLandingPage`` -> ``pystac.Catalog``; a plain
    mapping is converted by its ``type`` (``Feature``, ``FeatureCollection``, ``Collection``,
    ``Catalog``). Every field is kept (see the module notes); the result shares no state with ``obj``.

    .. code-block:: python

        item = to_pystac(client.stac.get_item("naip-atl", "ga_m_3308421_se_16_060_20211114"))
        item.common_metadata.gsd

    :param obj: The model or mapping to convert.
    :type obj: ~azure.planetarycomputer.models.StacItem or
        ~azure.planetarycomputer.models.StacItemCollection or
        ~azure.planetarycomputer.models.StacCollection or
        ~azure.planetarycomputer.models.StacLandingPage or Mapping[str, Any]
    :return: The pystac object.
    :rtype: ~pystac.Item or ~pystac.ItemCollection or ~pystac.Collection or ~pystac.Catalog
    :raises ImportError: If pystac is not installed (the ``pystac`` extra).
    :raises TypeError: If ``obj`` is not a STAC item, item collection, collection or catalog.
    :raises ~pystac.STACError: If pystac refuses the document, e.g. an item without ``stac_version``
        or with neither a ``datetime`` nor ``start_datetime`` and ``end_datetime``.
    """
    pystac = _import_pystac()
    if not isinstance(obj, (Model, Mapping)):
        raise TypeError(f"to_pystac() expects a STAC model or mapping, got {type(obj).__name__}")
    kind = obj.get("type")
    wire: Dict[str, Any] = _plain(obj if isinstance(obj, Model) else dict(obj))  # a deep, plain copy
    if isinstance(obj, _models.StacCollection) or kind == "Collection":
        return _catalog_to_pystac(pystac.Collection, wire)  # type: ignore[no-any-return]
    if isinstance(obj, _models.StacLandingPage) or kind == "Catalog":
        return _catalog_to_pystac(pystac.Catalog, wire)  # type: ignore[no-any-return]
    if isinstance(obj, _models.StacItem) or kind == "Feature":
        return _item_to_pystac(pystac, wire)
    if isinstance(obj, _models.StacItemCollection) or kind == "FeatureCollection":
        features = wire.pop("features", None) or []
        wire.pop("type", None)
        items = [_item_to_pystac(pystac, feature) for feature in features]
        return pystac.ItemCollection(items, extra_fields=wire, clone_items=False)  # type: ignore[no-any-return]
    raise TypeError(
        f"to_pystac() converts a StacItem, StacItemCollection, StacCollection or StacLandingPage "
        f"(or a mapping of type Feature, FeatureCollection, Collection or Catalog); "
        f"got {type(obj).__name__} of type {kind!r}"
    )


# -- from pystac ----------------------------------------------------------------------------------------


def _item_dict(pystac: Any, item: "pystac.Item") -> Dict[str, Any]:
    """The item's JSON with pystac's normalizations undone (see the module notes)."""
    original = item.properties.get("datetime", _MISSING)
    try:
        d = item.to_dict(include_self_link=True, transform_hrefs=False)
    finally:
        # to_dict rewrites properties["datetime"] in place; d["properties"] is that same dict.
        if isinstance(original, str) and item.datetime is not None and _same_instant(pystac, original, item.datetime):
            item.properties["datetime"] = original
        elif original is _MISSING and item.datetime is None:
            item.properties.pop("datetime", None)
    if item.bbox is None:
        d.pop("bbox", None)
    elif "bbox" not in d:
        d["bbox"] = item.bbox  # pystac drops it when geometry is null
    return d


def _same_instant(pystac: Any, text: str, value: Any) -> bool:
    try:
        return bool(pystac.utils.str_to_datetime(text) == value)
    except (ValueError, TypeError, OverflowError):
        return False


@overload
def from_pystac(obj: "pystac.Item") -> _models.StacItem: ...
@overload
def from_pystac(obj: "pystac.ItemCollection") -> _models.StacItemCollection: ...
@overload
def from_pystac(obj: "pystac.Collection") -> _models.StacCollection: ...  # type: ignore[overload-overlap]
@overload
def from_pystac(obj: "pystac.Catalog") -> _models.StacLandingPage: ...


def from_pystac(
    obj: Union["pystac.Item", "pystac.ItemCollection", "pystac.Collection", "pystac.Catalog"],
) -> Union[_models.StacItem, _models.StacItemCollection, _models.StacCollection, _models.StacLandingPage]:
    """Convert a pystac object to the model of this package.

    ``pystac.Item`` -> ``StacItem``, ``pystac.ItemCollection`` -> ``StacItemCollection``,
    ``pystac.Collection`` -> ``StacCollection``, ``pystac.Catalog`` -> ``StacLandingPage`` (the
    catalog document itself; its children and items are not followed, use
    ``pystac.ItemCollection(catalog.get_items(recursive=True))`` to take its items). Links are
    written as they are (hrefs are not made relative, the ``self`` link is kept); the result shares
    no state with ``obj``.

    .. code-block:: python

        client.stac.begin_create_item("my-collection", from_pystac(pystac_item)).result()

    :param obj: The pystac object to convert.
    :type obj: ~pystac.Item or ~pystac.ItemCollection or ~pystac.Collection or ~pystac.Catalog
    :return: The model.
    :rtype: ~azure.planetarycomputer.models.StacItem or
        ~azure.planetarycomputer.models.StacItemCollection or
        ~azure.planetarycomputer.models.StacCollection or
        ~azure.planetarycomputer.models.StacLandingPage
    :raises ImportError: If pystac is not installed (the ``pystac`` extra).
    :raises TypeError: If ``obj`` is not one of those pystac types.
    """
    pystac = _import_pystac()
    # deserialize() copies every dict and list: the model never aliases the pystac object's state.
    if isinstance(obj, pystac.Item):
        return _models.StacItem.deserialize(_item_dict(pystac, obj))
    if isinstance(obj, pystac.ItemCollection):
        d = {**obj.extra_fields, "type": "FeatureCollection", "features": [_item_dict(pystac, i) for i in obj.items]}
        return _models.StacItemCollection.deserialize(d)
    if isinstance(obj, pystac.Collection):  # before Catalog: a Collection is a Catalog
        return _models.StacCollection.deserialize(obj.to_dict(include_self_link=True, transform_hrefs=False))
    if isinstance(obj, pystac.Catalog):
        return _models.StacLandingPage.deserialize(obj.to_dict(include_self_link=True, transform_hrefs=False))
    raise TypeError(
        "from_pystac() converts a pystac.Item, pystac.ItemCollection, pystac.Collection or pystac.Catalog; "
        f"got {type(obj).__name__}"
    )
