# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""What a download reads, without network I/O: the documents it is given (models, dicts, pystac
objects, JSON files) and where their hrefs point (remote URLs, local files, relative hrefs)."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from ._download_types import PathLike
from ._serialization import Model

__all__ = ["FileDocument", "to_wire", "item_list", "local_path", "check_remote"]


class FileDocument(Dict[str, Any]):
    """The JSON of a document read from a file the caller named: its local hrefs may be copied."""


def _read_file(path: PathLike, what: str) -> Any:
    """The JSON of ``path``, with a ``self`` link to the file (relative hrefs resolve against it)."""
    source = Path(path).absolute()
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{what}: cannot read STAC JSON from {str(source)!r}: {exc}") from None
    if not isinstance(data, dict):
        raise TypeError(f"{what}: {str(source)!r} does not hold a JSON object")
    links = [link for link in data.get("links") or [] if not (isinstance(link, Mapping) and link.get("rel") == "self")]
    data["links"] = links + [{"rel": "self", "href": str(source)}]
    return data


def _from_file(data: Dict[str, Any]) -> Dict[str, Any]:
    return FileDocument(data)


def to_wire(value: Any, what: str) -> Dict[str, Any]:
    """A private wire-JSON copy of a model, a mapping or a pystac object (relative asset hrefs of a
    pystac object made absolute, as pystac resolves them); a path (str or os.PathLike) is read as
    a JSON file (a :class:`FileDocument`)."""
    if isinstance(value, (str, os.PathLike)):
        return _from_file(_read_file(value, what))
    if isinstance(value, Model):
        return dict(value.as_dict())
    if isinstance(value, Mapping):
        return copy.deepcopy(dict(value))
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):  # pystac Item / Collection
        data = to_dict(include_self_link=True, transform_hrefs=False)
        for key, asset in (getattr(value, "assets", None) or {}).items():
            absolute = asset.get_absolute_href() if callable(getattr(asset, "get_absolute_href", None)) else None
            if absolute and key in data.get("assets", {}):
                data["assets"][key]["href"] = absolute
        return data  # type: ignore[no-any-return]
    raise TypeError(f"{what} must be a model, a dict of STAC JSON or a pystac object; got {type(value).__name__}")


def item_list(items: Any) -> List[Dict[str, Any]]:
    """Wire copies of the items of a StacItemCollection, a FeatureCollection dict, a pystac
    ItemCollection or any iterable of items (e.g. search results); a path is read as a JSON file
    (its items are :class:`FileDocument` objects)."""
    if isinstance(items, (str, os.PathLike)):
        data = _read_file(items, "items")
        features = data.get("features")
        if not isinstance(features, list):
            raise TypeError("items: the file must hold a FeatureCollection with a 'features' list")
        base = _self_href(data)
        for feature in features:  # relative hrefs of the features are relative to the file
            if isinstance(feature, dict) and _self_href(feature) is None:
                feature["links"] = list(feature.get("links") or []) + [{"rel": "self", "href": base}]
        return [_from_file(to_wire(feature, "each item")) for feature in features]
    if isinstance(items, Mapping):
        features = items.get("features")
        if not isinstance(features, list):
            raise TypeError("items: a mapping must be a FeatureCollection with a 'features' list")
        return [to_wire(feature, "each item") for feature in features]
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise TypeError(f"items must be an item collection or an iterable of items; got {type(items).__name__}")
    return [to_wire(item, "each item") for item in items]


_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def _has_scheme(href: str) -> bool:
    return bool(urlsplit(href).scheme) and not _DRIVE.match(href)


def _self_href(data: Mapping[str, Any]) -> Optional[str]:
    for link in data.get("links") or []:
        if isinstance(link, Mapping) and link.get("rel") == "self" and isinstance(link.get("href"), str):
            return str(link["href"])
    return None


def _absolute(href: str, base: Optional[str]) -> str:
    """A relative href made absolute against the document's self href (else the working folder)."""
    if not href or _has_scheme(href) or _DRIVE.match(href) or os.path.isabs(href):
        return href
    if base is not None and _has_scheme(base):
        return urljoin(base, href)
    if base is not None and (_DRIVE.match(base) or os.path.isabs(base)):
        return os.path.normpath(os.path.join(os.path.dirname(base), href))
    return str(Path(href).absolute())


def local_path(href: str) -> Optional[Path]:
    """The file behind a ``file://`` URI or a path; None for other hrefs."""
    if _DRIVE.match(href):
        return Path(href)
    parts = urlsplit(href)
    if parts.scheme == "file":
        return Path(url2pathname(parts.path))
    if not parts.scheme:
        return Path(href)
    return None


def check_remote(href: str) -> None:
    """Fail early for hrefs no client here can open (s3://, gs://, ...)."""
    scheme = urlsplit(href).scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"cannot download {scheme!r} hrefs: only http(s), file:// and local paths are supported")
