"""The STAC fields extension (v1.0.0): which members of each item a search returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional

from .errors import bad_request

#: Top-level members of an item; other field names are read as ``properties.<name>``.
ITEM_MEMBERS = (
    *("type", "stac_version", "stac_extensions", "id", "collection"),
    *("geometry", "bbox", "properties", "links", "assets"),
)
#: What an empty ``fields`` returns: the smallest valid STAC item (the extension's default set).
DEFAULT_FIELDS = ("type", "stac_version", "id", "geometry", "bbox", "links", "assets", "properties.datetime")
#: Kept with any ``include`` (as pgstac keeps them): what names the item, and its links.
ALWAYS_INCLUDED = ("type", "id", "collection", "links")


@dataclass
class Fields:
    """The fields extension (v1.0.0), on dotted paths:

    - ``include`` and ``exclude`` both empty (``{}``, nulls, empty arrays, ``?fields=``): the default
      set (:data:`DEFAULT_FIELDS`, with ``start_datetime``/``end_datetime`` for range items);
    - ``include`` given: those fields (plus :data:`ALWAYS_INCLUDED`), not the default set;
    - only ``exclude`` (``include`` absent): the whole item minus those; with ``include`` null or
      empty: the default set minus those;
    - a field both included and excluded is included, and the more specific path wins
      (``include: [properties.x], exclude: [properties]`` keeps ``properties.x`` alone;
      ``include: [properties], exclude: [properties.x]`` drops ``x``).
    """

    include: List[str] = field(default_factory=list)
    exclude: List[str] = field(default_factory=list)
    #: False when ``include`` was not sent at all (only then an exclude applies to the whole item).
    include_sent: bool = False

    def apply(self, item: Dict[str, Any]) -> Dict[str, Any]:
        include = [_field_path(name) for name in self.include]
        exclude = [_field_path(name) for name in self.exclude]
        if include:
            kept = _project(item, [*ALWAYS_INCLUDED, *include])
        elif exclude and not self.include_sent:
            kept = dict(item)
        else:
            kept = _project(item, self._defaults(item))
        for path in exclude:
            if path in include:
                continue  # included and excluded: included
            finer = [p for p in include if p.startswith(path + ".")]
            snapshot = _project(kept, finer) if finer else {}
            _drop_path(kept, path.split("."))
            for fine in finer:  # a more specific include survives a broader exclude
                _copy_path(snapshot, kept, fine.split("."))
        return kept

    @staticmethod
    def _defaults(item: Mapping[str, Any]) -> List[str]:
        props = item.get("properties") or {}
        if isinstance(props, Mapping) and props.get("datetime") is None:
            return [*DEFAULT_FIELDS, "properties.start_datetime", "properties.end_datetime"]
        return list(DEFAULT_FIELDS)


def _field_path(name: str) -> str:
    """A field name as a path from the item: ``eo:cloud_cover`` is ``properties.eo:cloud_cover``."""
    name = name.strip()
    return name if name.split(".")[0] in ITEM_MEMBERS else f"properties.{name}"


def _project(item: Mapping[str, Any], paths: Iterable[str]) -> Dict[str, Any]:
    kept: Dict[str, Any] = {}
    for path in paths:
        _copy_path(item, kept, path.split("."))
    return kept


def parse_fields(value: Any, *, sent: bool = True) -> Optional[Fields]:
    """``{"include": [...], "exclude": [...]}`` (a POST body's) or ``"id,-properties.gsd"`` (a query's).

    None when ``fields`` was not sent; an empty value is the default set, not the whole item.

    :raises ApiError: 400 for ``null`` or a value of another shape.
    """
    if not sent:
        return None
    if isinstance(value, str):
        fields = Fields(include_sent=False)
        for name in (v.strip() for v in value.split(",")):
            if name.startswith("-"):
                fields.exclude.append(name[1:])
            elif name:
                fields.include.append(name.lstrip("+"))
        fields.include_sent = bool(fields.include)
        return fields
    if not isinstance(value, Mapping):
        raise bad_request("Invalid fields: expected an object {include: [...], exclude: [...]}.")
    fields = Fields(include_sent="include" in value)
    for key in ("include", "exclude"):
        names = value.get(key)
        if names is None:
            continue
        if not isinstance(names, list) or not all(isinstance(v, str) for v in names):
            raise bad_request(f"Invalid fields.{key}: expected an array of field names.")
        getattr(fields, key).extend(names)
    return fields


def _copy_path(source: Mapping[str, Any], target: Dict[str, Any], path: List[str]) -> None:
    if path[0] not in source:
        return
    if len(path) == 1 or not isinstance(source[path[0]], Mapping):
        target[path[0]] = source[path[0]]
        return
    child = target.setdefault(path[0], {})
    if isinstance(child, dict):
        _copy_path(source[path[0]], child, path[1:])


def _drop_path(target: Dict[str, Any], path: List[str]) -> None:
    """Remove a dotted path, copying the objects on the way (they may be shared with the stored item)."""
    if len(path) == 1:
        target.pop(path[0], None)
    elif isinstance(target.get(path[0]), dict):
        child = target[path[0]] = dict(target[path[0]])
        _drop_path(child, path[1:])
