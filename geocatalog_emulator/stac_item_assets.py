"""Item assets in managed storage: items created through the STAC API get their files copied.

As the service does for ``POST``/``PUT``/``PATCH`` of items, each asset the item points at is
copied into the collection's blob container (``{item id}/{asset key}{ext}``) and its href rewritten
to the blob endpoint, stored host-relative (``/blobs/...``; made absolute per request). Assets
already in the collection's container (an item sent back as it was read, signed or not) are kept
as they are. Reading sources (``http(s)``, ``file://``, the emulator's own blobs, URLs inside a
registered ingestion source's container with its SAS token) is the ingestion crawl's: one copier
for both ways of adding items.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Set
from urllib.parse import urlsplit

from .errors import ApiError
from .ingestion_crawl import Crawl, CrawlError, safe_asset_key
from .stac_documents import invalid

if TYPE_CHECKING:
    from .catalog import GeoCatalog


def ingest_assets(app: "GeoCatalog", collection_id: str, item: Dict[str, Any], base_url: str) -> None:
    """Copy the item's assets into managed storage, rewriting their hrefs (in place).

    :raises ApiError: 400 with the ingestion error code (``IngestionResourceUriNotFound`` ...)
        when an asset cannot be read, ``InvalidItem`` when an asset has no absolute href.
    """
    copier = Crawl(app, collection_id, "", "", {}, base_url)
    container = app.store.blob_path(collection_id, "")
    for key, asset in item["assets"].items():
        href = asset.get("href") if isinstance(asset, Mapping) else None
        if not isinstance(href, str) or not href:
            raise invalid(f"Item '{item['id']}': asset '{key}' has no href.")
        local = app.local_blob_path(href)
        if local is not None and container in local.parents:  # already ours: keep, host-relative
            asset["href"] = app.blob_url("", collection_id, local.relative_to(container).as_posix())
            continue
        if local is None and not urlsplit(href).scheme:
            raise invalid(f"Item '{item['id']}': asset '{key}' href '{href}' is not an absolute URL.")
        try:  # another collection's blob is read from storage (its host-relative path), anything else per policy
            asset["href"] = copier.copy_asset(item["id"], key, urlsplit(href).path if local is not None else href)
        except CrawlError as exc:
            raise ApiError(400, exc.code, exc.message) from None


def refuse_escaping_keys(item: Any) -> None:
    """400 ``InvalidItem`` when an asset key of an item (or a patch) would leave the item's folder.

    Checked when the request arrives, before an operation starts: the key names the stored file
    (``{item id}/{key}``), and ``../../other/...`` must not overwrite another item's or collection's blob.
    """
    assets = item.get("assets") if isinstance(item, Mapping) else None
    for key in assets if isinstance(assets, Mapping) else ():
        if not safe_asset_key(key):
            raise invalid(f"Asset key {key!r}: use a name without '/', '\\' or dot segments.")


def remove_files(
    app: "GeoCatalog", collection_id: str, item: Mapping[str, Any], keep: Optional[Mapping[str, Any]] = None
) -> None:
    """Delete the copied files of an item (under ``{item id}/`` in the collection's container),
    except those ``keep`` (the item's new version) still points at."""
    folder = app.store.blob_path(collection_id, str(item.get("id")))
    kept = _files(app, keep) if keep is not None else set()
    for local in _files(app, item) - kept:
        if folder in local.parents:
            local.unlink(missing_ok=True)
    _remove_empty(folder)


def _files(app: "GeoCatalog", item: Mapping[str, Any]) -> Set[Path]:
    """The stored files an item's assets point at."""
    found = set()
    for asset in (item.get("assets") or {}).values():
        href = asset.get("href") if isinstance(asset, Mapping) else None
        local = app.local_blob_path(href) if isinstance(href, str) else None
        if local is not None:
            found.add(local)
    return found


def _remove_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:  # missing, or still holding files
        pass
