# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""How a model shows itself: a short repr, and GeoJSON (``__geo_interface__``) for geo libraries.

Reprs name what matters and never print a whole document (an item collection's would be
kilobytes of JSON); SAS signatures never reach a repr. ``__geo_interface__`` (the protocol of
shapely, geopandas, rasterio and friends) is a plain copy of an item (``Feature``), an item
collection (``FeatureCollection``) or a geometry; other models have none.
"""

from __future__ import annotations

from typing import Any, Dict, Tuple

from ._attributes import _plain
from ._logging import redact

__all__ = ["short_repr", "geo_interface"]

#: Wire keys a short repr shows, by the document's ``type``; other models print their data, cut
#: to ``REPR_LIMIT`` characters.
_REPR_KEYS: Dict[str, Tuple[str, ...]] = {
    "Feature": ("id", "collection"),
    "FeatureCollection": ("numberMatched",),
    "Collection": ("id", "title"),
    "Catalog": ("id", "title"),
}
REPR_LIMIT = 400
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


def short_repr(name: str, data: Dict[str, Any]) -> str:
    """``<StacItem id='a' collection='c'>`` for STAC documents; ``Name({...})``, cut, for others."""
    kind = data.get("type")
    if isinstance(kind, str) and kind in _REPR_KEYS:
        parts = [f"{key}={redact(repr(data[key]))}" for key in _REPR_KEYS[kind] if data.get(key) is not None]
        if kind == "FeatureCollection":
            parts.insert(0, f"features={len(data.get('features') or [])}")
        return f"<{name} {' '.join(parts)}>" if parts else f"<{name}>"
    text = redact(repr(data))
    if len(text) > REPR_LIMIT:
        text = f"{text[: REPR_LIMIT - 40]} ... ({len(text)} characters)"
    return f"{name}({text})"


def geo_interface(name: str, data: Dict[str, Any]) -> Dict[str, Any]:
    """The model's data as plain GeoJSON (a copy).

    :raises AttributeError: If the model is not a GeoJSON object (so ``hasattr`` is False).
    """
    kind = data.get("type")
    if kind is None:
        kind = _GEOJSON_CLASSES.get(name)
        if kind is None:
            raise AttributeError(f"{name} is not GeoJSON: it has no __geo_interface__")
        return {"type": kind, **_plain(data)}
    if not isinstance(kind, str) or kind not in _GEOJSON_TYPES:
        raise AttributeError(f"{name} of type {kind!r} is not GeoJSON: it has no __geo_interface__")
    geo: Dict[str, Any] = _plain(data)
    return geo
