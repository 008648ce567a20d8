# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Where a SAS token may go (no I/O): the storage location of an href, and what the service vouches for.

A collection's SAS token opens one container of one storage account. Items are data from anywhere
(other catalogs, shared files, ingested sources), so the href an item names is never enough to send
a token to it. The rules the signers keep:

* an href can carry a token only if it is a blob URL: ``https://<account>.blob.core.<cloud>/<container>/...``
  (public, US government and China clouds) or ``<the client's endpoint>/blobs/<container>/...`` (a
  GeoCatalog emulator's blob endpoint: the same scheme, host and port as the client's endpoint, never
  another host whose path happens to start with ``/blobs/``);
* never over plain http, except to loopback hosts;
* a collection's token goes to a blob URL only if the service said that location belongs to the
  collection: the collection's own asset hrefs (``GET /stac/collections/{id}``, from the client's
  endpoint) name it; or the URL is on the client's endpoint itself (the token's issuer);
* any other blob URL is signed by the service (``sas/sign``); when the service answers with a
  container token (``sr=c``) for exactly that URL, the token is reused for that account and
  container only.

Hrefs that are not blob URLs (another web server, ``s3://``, local files) are never signed.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, NamedTuple, Optional, Set, Tuple
from urllib.parse import parse_qsl, unquote, urlsplit

from ._auth import is_loopback
from ._guards import origin as endpoint_origin

__all__ = ["Location", "blob_location", "collection_locations", "container_token", "is_signed", "origin"]

#: Blob endpoints of the Azure clouds: public, US government, China.
BLOB_HOST_SUFFIXES = (".blob.core.windows.net", ".blob.core.usgovcloudapi.net", ".blob.core.chinacloudapi.cn")

#: Query keys of an Azure SAS (what the service adds when it signs an href).
SAS_KEYS = frozenset(
    "sv ss srt sp se st spr sip sr sig si skoid sktid skt ske sks skv saoid suoid scid sdd ses".split()
)


class Location(NamedTuple):
    """A container of a storage account, as reached over the network."""

    scheme: str
    host: str
    port: int
    container: str
    #: True when the location is the client's own endpoint (an emulator's ``/blobs/``).
    own: bool = False


def origin(url: str) -> Optional[Tuple[str, str, int]]:
    """``(scheme, host, port)`` of an http(s) URL (as the client compares origins); None for other
    URLs, URLs with user info and unparsable ports."""
    try:
        where = endpoint_origin(url)
    except ValueError:
        return None
    if where[0] not in ("http", "https") or not where[1] or "@" in urlsplit(url).netloc:
        return None
    return where


def is_signed(href: str) -> bool:
    """Whether ``href`` already carries a SAS signature (``sig``)."""
    return any(key.lower() == "sig" for key, _ in parse_qsl(urlsplit(href).query, keep_blank_values=True))


def blob_location(href: str, endpoint: Optional[str]) -> Optional[Location]:
    """The storage location ``href`` points into, when a SAS token may be appended to it at all.

    :param str href: The href.
    :param endpoint: The client's endpoint (for the emulator's ``/blobs/`` rule); None: no such rule.
    :type endpoint: str or None
    :return: The location, or None if no token may ever go to this href.
    :rtype: Location or None
    """
    where = origin(href)
    if where is None:
        return None
    scheme, host, port = where
    if scheme == "http" and not is_loopback(href):
        return None  # a token in clear text would be readable on the way
    segments = urlsplit(href).path.split("/")[1:]
    if any(unquote(segment) in (".", "..") for segment in segments):
        return None  # the server would resolve the path to another place than the one checked here
    if host.endswith(BLOB_HOST_SUFFIXES) and len(segments) >= 2 and segments[0] and segments[-1]:
        return Location(scheme, host, port, unquote(segments[0]).lower())
    own = origin(endpoint) if endpoint else None
    if (
        own is not None
        and where == own
        and len(segments) >= 3
        and segments[0] == "blobs"
        and segments[1]
        and segments[-1]
    ):
        return Location(scheme, host, port, "blobs/" + unquote(segments[1]), own=True)
    return None


def collection_locations(collection: Any, endpoint: Optional[str]) -> Set[Location]:
    """The locations named by a collection document's own asset hrefs (``assets`` and the rare
    ``item_assets`` with an href). Only for a document read from the client's endpoint."""
    found: Set[Location] = set()
    if not isinstance(collection, Mapping):
        return found
    for group in ("assets", "item_assets"):
        assets = collection.get(group)
        if not isinstance(assets, Mapping):
            continue
        for asset in assets.values():
            href = asset.get("href") if isinstance(asset, Mapping) else None
            location = blob_location(href, endpoint) if isinstance(href, str) else None
            if location is not None:
                found.add(location)
    return found


def container_token(asked: str, answer: str) -> Optional[str]:
    """The container SAS the service added when it signed ``asked`` (its ``sas/sign`` answer), if
    the answer is that same URL with a container-level token (``sr=c``); else None.

    The returned query keeps the service's encoding, so it can be appended to other blobs of the
    container as it is.
    """
    one, two = urlsplit(asked), urlsplit(answer)
    if origin(asked) != origin(answer) or one.path != two.path:
        return None
    pairs = [piece for piece in two.query.split("&") if piece]
    token = [piece for piece in pairs if unquote(piece.partition("=")[0]) in SAS_KEYS]
    fields = dict(parse_qsl("&".join(token), keep_blank_values=True))
    if not fields.get("sig") or fields.get("sr") != "c":
        return None
    return "&".join(token)


def same_resource(asked: str, answer: str) -> bool:
    """Whether a signed answer names the same scheme, host, port and path as the href asked for."""
    return origin(asked) == origin(answer) and urlsplit(asked).path == urlsplit(answer).path


def hosts(hrefs: Iterable[str]) -> str:
    """``host, host`` of some hrefs, for messages."""
    return ", ".join(sorted({(urlsplit(href).hostname or href) for href in hrefs}))
