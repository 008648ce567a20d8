# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Signing asset hrefs with cached SAS tokens: what :class:`SasSigner` and :class:`AsyncSasSigner`
(``aio/_sas_signer.py``, whose sync twin is generated as ``_sas_signer.py``) share.

An href is signed by appending a collection's SAS token (``sas.get_token``) to it, when the
service said the href's storage account and container belong to the collection (the
collection's own asset hrefs name them) or the href is on the client's own endpoint (an
emulator's ``/blobs/``). Other blob hrefs are signed by the service (``sas.get_url``), and the
container token of its answer is reused for that container only. Tokens are cached until shortly
before they expire, so signing a thousand items costs a request or two. Hrefs that are not blob
URLs, already signed, or plain http to another machine are left as they are. The rules:
``_sas_scope.py``.

Concurrency: one lock per collection (per href), so however many threads (or tasks) sign items of
a collection at once, exactly one of them fetches its token while the others wait for it.

Tokens are secrets: they never appear in a repr, a log message or an exception text.
"""

from __future__ import annotations

import copy
import datetime as _dt
import sys
import threading
from collections.abc import Mapping
from typing import Any, Dict, List, Optional, Tuple, TypeVar, Union
from urllib.parse import urlsplit, urlunsplit

from ._logging import redact
from ._sas_scope import (
    BLOB_HOST_SUFFIXES,
    is_signed,
    same_resource,
)
from ._serialization import Model
from .models import StacCollection, StacItemCollection

__all__ = ["needs_signing", "append_token"]

T = TypeVar("T")
#: ("token", collection id), ("locations", collection id), ("container", Location) or ("href", href)
_Key = Tuple[str, Any]
#: (asset holder, its href, the collection it belongs to)
_Target = Tuple[Any, str, Optional[str]]

#: Cached entries beyond which expired ones are dropped (hrefs signed one by one can be many).
_MAX_ENTRIES = 10_000


def _now() -> _dt.datetime:
    """The current time (tests replace this to move the clock)."""
    return _dt.datetime.now(_dt.timezone.utc)


# --------------------------------------------------------------------------- hrefs


def needs_signing(href: str) -> bool:
    """Whether ``href`` may be a blob URL (Azure Blob Storage, or an emulator's ``/blobs/``) without a
    signature: the candidates of an object; which of them get which token is ``sign_href``'s call.

    :param str href: The URL.
    :rtype: bool
    """
    parts = urlsplit(href)
    if parts.scheme.lower() not in ("http", "https"):
        return False
    host = (parts.hostname or "").lower()
    if not (host.endswith(BLOB_HOST_SUFFIXES) or parts.path.startswith("/blobs/")):
        return False
    return not is_signed(href)


def _collection_request(collection_id: str, api_version: str) -> Any:
    """``GET /stac/collections/{id}``: the collection's own asset hrefs tell where its token goes."""
    from .operations._operations import build_stac_get_collection_request

    return build_stac_get_collection_request(collection_id=collection_id, api_version=api_version)


def _endpoint_of(sas: Any) -> Optional[str]:
    """The endpoint of the client a ``sas`` group belongs to (None for other objects)."""
    endpoint = getattr(getattr(sas, "_config", None), "endpoint", None)
    return endpoint if isinstance(endpoint, str) else None


def _service_answer(href: str, signed: str) -> None:
    """Refuse a ``sas/sign`` answer that names another place than the href asked for."""
    if not same_resource(href, signed):
        raise ValueError(f"the service signed {redact(signed)!r} when asked to sign {redact(href)!r}: not using it")


def append_token(href: str, token: str) -> str:
    """``href`` with a SAS token (a query string) added to its query."""
    parts = urlsplit(href)
    token = token.lstrip("?&")
    return urlunsplit(parts._replace(query=f"{parts.query}&{token}" if parts.query else token))


# --------------------------------------------------------------------------- what to sign in an object


def _assets(assets: Any, collection_id: Optional[str], out: List[_Target]) -> None:
    if not isinstance(assets, Mapping):
        return
    for asset in assets.values():
        href = asset.get("href") if isinstance(asset, Mapping) else None
        if isinstance(href, str) and needs_signing(href):
            out.append((asset, href, collection_id))


def _document(doc: Any, out: List[_Target]) -> None:
    """Assets of a wire-form item, collection, feature collection or collection list (dict or model)."""
    kind = doc.get("type")
    if isinstance(doc, StacItemCollection) or kind == "FeatureCollection" or isinstance(doc.get("features"), list):
        for feature in doc.get("features") or []:
            if isinstance(feature, Mapping):
                _assets(feature.get("assets"), feature.get("collection"), out)
    elif isinstance(doc, StacCollection) or kind == "Collection" or "extent" in doc:
        _assets(doc.get("assets"), doc.get("id"), out)
        _assets(doc.get("item_assets"), doc.get("id"), out)  # only the rare ones with an href
    elif isinstance(doc.get("collections"), list):  # a page of collections
        for collection in doc["collections"]:
            if isinstance(collection, Mapping):
                _document(collection, out)
    else:
        _assets(doc.get("assets"), doc.get("collection"), out)


def _pystac_targets(obj: Any, out: List[_Target]) -> bool:
    """Assets of a pystac object; False if ``obj`` is not one (pystac is never imported here)."""
    pystac: Any = sys.modules.get("pystac")
    if pystac is None:
        return False
    if isinstance(obj, pystac.ItemCollection):
        for item in obj.items:
            _pystac_targets(item, out)
    elif isinstance(obj, pystac.Item):
        _pystac_assets(obj.assets, obj.collection_id, out)
    elif isinstance(obj, pystac.Collection):
        _pystac_assets(obj.assets, obj.id, out)
    elif isinstance(obj, pystac.Asset):
        owner = obj.owner
        collection_id = owner.collection_id if isinstance(owner, pystac.Item) else getattr(owner, "id", None)
        _pystac_assets({"asset": obj}, collection_id, out)
    else:
        return False
    return True


def _pystac_assets(assets: Dict[str, Any], collection_id: Optional[str], out: List[_Target]) -> None:
    for asset in assets.values():
        if isinstance(asset.href, str) and needs_signing(asset.href):
            out.append((asset, asset.href, collection_id))


def _targets(obj: Any) -> List[_Target]:
    """Every href in ``obj`` that needs signing.

    :raises TypeError: If ``obj`` is not a STAC object this module knows.
    """
    out: List[_Target] = []
    if isinstance(obj, Mapping):  # dicts and models
        _document(obj, out)
    elif not _pystac_targets(obj, out):
        raise TypeError(
            f"Cannot sign a {type(obj).__name__}: pass a STAC item, collection or item collection "
            "(a model, a JSON dict or a pystac object), or use sign_href for an href"
        )
    return out


def _set_href(asset: Any, href: str) -> None:
    if isinstance(asset, Mapping):
        asset["href"] = href  # type: ignore[index]
    else:
        asset.href = href


def _copy(obj: T) -> T:
    """A deep copy to sign, leaving ``obj`` as it was."""
    if isinstance(obj, Model):
        return obj.copy()
    if type(obj).__module__.startswith("pystac") and callable(getattr(obj, "clone", None)):
        original: Any = obj
        clone: Any = original.clone()
        if hasattr(original, "owner") and getattr(clone, "owner", None) is None:
            clone.owner = original.owner  # an Asset's clone forgets its item, and so its collection
        return clone  # type: ignore[no-any-return]
    return copy.deepcopy(obj)


# --------------------------------------------------------------------------- the cache


class _Entry:
    __slots__ = ("value", "refresh_at")

    def __init__(self, value: Any, refresh_at: _dt.datetime) -> None:
        self.value = value
        self.refresh_at = refresh_at

    def __repr__(self) -> str:  # the value is a secret
        return f"<cached until {self.refresh_at.isoformat()}>"


class _Cache:
    """Values (tokens, signed hrefs) by key, each until ``refresh_margin`` before it expires."""

    def __init__(self, duration_in_minutes: Optional[int], refresh_margin: Union[_dt.timedelta, float]) -> None:
        if not isinstance(refresh_margin, _dt.timedelta):
            refresh_margin = _dt.timedelta(seconds=refresh_margin)
        if refresh_margin < _dt.timedelta(0):
            raise ValueError("refresh_margin must not be negative")
        self.duration_in_minutes = duration_in_minutes
        self.refresh_margin = refresh_margin
        self._entries: Dict[_Key, _Entry] = {}
        self._guard = threading.Lock()

    def get(self, key: _Key) -> Any:
        entry = self._entries.get(key)
        if entry is not None and _now() < entry.refresh_at:
            return entry.value
        return None

    def put(self, key: _Key, value: Any, expires_on: Optional[_dt.datetime]) -> None:
        fetched = _now()
        if expires_on is None:  # not reported: assume the lifetime asked for (or an hour)
            expires_on = fetched + _dt.timedelta(minutes=self.duration_in_minutes or 60)
        elif expires_on.tzinfo is None:
            expires_on = expires_on.replace(tzinfo=_dt.timezone.utc)
        # A margin longer than the lifetime would refetch on every call: never more than half of it.
        margin = min(self.refresh_margin, max(expires_on - fetched, _dt.timedelta(0)) / 2)
        with self._guard:
            self._entries[key] = _Entry(value, expires_on - margin)
            if len(self._entries) > _MAX_ENTRIES:
                self._entries = {k: e for k, e in self._entries.items() if fetched < e.refresh_at}

    def clear(self) -> None:
        with self._guard:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def _token_text(token: Any, collection_id: str) -> str:
    text = getattr(token, "token", None)
    if not text:
        raise ValueError(f"The service returned no SAS token for collection {collection_id!r}")
    return str(text)


def _signed_href(link: Any) -> str:
    href = getattr(link, "href", None)
    if not href:
        raise ValueError("The service returned no signed href")
    return str(href)
