"""A collection's own assets: uploaded files (multipart ``data`` + ``file``), stored in the
collection's container, and its thumbnail. The collection body may restate them, never add one.
"""

from __future__ import annotations

import json
import mimetypes
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterator, Mapping, Optional, Tuple
from urllib.parse import quote, urlparse

from .errors import ApiError, bad_request, conflict, not_found
from .http import Request, Response
from .multipart import Part, parse_form
from .service_headers import created_at
from .stac_documents import invalid, present_collection
from .stac_requests import require_collection, stamp

if TYPE_CHECKING:
    from .catalog import GeoCatalog

_ASSET_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def keep_uploaded_assets(body: Dict[str, Any], stored: Optional[Mapping[str, Any]]) -> None:
    """Collection-level assets come from uploads: the body may restate those, not add new ones."""
    sent = body.pop("assets", None) or {}
    if not isinstance(sent, Mapping):
        raise invalid("The collection's assets must be an object.", "Collection")
    stored = stored or {}
    new = sorted(set(sent) - set(stored))
    if new:
        raise invalid(
            f"Collection assets ({', '.join(new)}) cannot be set in the collection body: upload each with "
            f"POST /stac/collections/{body['id']}/assets (multipart: data + file).",
            "Collection",
        )
    if stored:
        body["assets"] = {
            key: {**(sent.get(key) or {}), "href": asset["href"]} if isinstance(sent.get(key), Mapping) else asset
            for key, asset in stored.items()
        }


# -- collection assets -----------------------------------------------------------------------


def _asset_upload(request: Request, key: Optional[str]) -> Tuple[Dict[str, Any], Part]:
    """The asset metadata (``data`` part, JSON) and the file (``file`` part) of an upload."""
    form = parse_form(request.headers.get("content-type", ""), request.body)
    if "data" not in form or "file" not in form:
        raise bad_request("An asset upload has two parts: 'data' (the asset's JSON metadata) and 'file'.")
    try:
        meta = json.loads(form["data"].text())
    except ValueError as exc:
        raise bad_request(f"The 'data' part is not JSON: {exc}") from None
    if not isinstance(meta, dict):
        raise bad_request("The 'data' part must be a JSON object with the asset's key, type, roles, title.")
    if key is not None:
        meta.setdefault("key", key)
        if meta["key"] != key:
            raise bad_request(f"The asset key '{meta['key']}' differs from the URL's '{key}'.")
    if not isinstance(meta.get("key"), str) or not _ASSET_KEY.match(meta["key"]):
        raise bad_request("The asset needs a key: letters, digits, '.', '_' or '-' (e.g. 'thumbnail').")
    return meta, form["file"]


def _extension(upload: Part, media_type: Optional[str], href: Any) -> str:
    """The stored file's extension: the upload's file name's, else the media type's, else the href's."""
    suffix = Path(upload.filename or "").suffix
    if suffix:
        return suffix.lower()
    guessed = mimetypes.guess_extension(media_type.split(";")[0].strip()) if media_type else None
    if guessed:
        return guessed
    return Path(urlparse(href).path).suffix.lower() if isinstance(href, str) else ""


def _write_asset(app: "GeoCatalog", collection_id: str, meta: Dict[str, Any], upload: Part) -> Dict[str, Any]:
    """Store the uploaded file in the collection's container; the asset pointing at it."""
    key = meta["key"]
    media_type = meta.get("type")
    if not media_type and upload.content_type and upload.content_type != "application/octet-stream":
        media_type = upload.content_type
    name = f"collection-assets/{key}/{key}{_extension(upload, media_type, meta.get('href'))}"
    app.store.write_blob(collection_id, name, upload.data)
    asset: Dict[str, Any] = {"href": app.blob_url("", collection_id, name)}  # host-relative: see rebase_href
    asset.update({k: v for k, v in meta.items() if k not in ("key", "href") and v is not None})
    if media_type:
        asset["type"] = media_type
    elif mimetypes.guess_type(name)[0]:
        asset["type"] = mimetypes.guess_type(name)[0]
    return asset


def _remove_asset_file(app: "GeoCatalog", collection_id: str, asset: Any) -> None:
    href = asset.get("href") if isinstance(asset, Mapping) else None
    path = app.local_blob_path(href) if isinstance(href, str) else None
    if path is not None and app.store.blob_path(collection_id, "") in path.parents:
        path.unlink(missing_ok=True)


def put_asset(app: "GeoCatalog", request: Request, *, replace: bool) -> Response:
    collection_id = request.params["collection_id"]
    require_collection(app, collection_id)
    meta, upload = _asset_upload(request, request.params.get("asset_id") if replace else None)
    with app.store.write_lock:
        collection = require_collection(app, collection_id)
        assets = collection.setdefault("assets", {})
        previous = assets.get(meta["key"])
        if previous is not None and not replace:
            raise conflict("Asset", meta["key"])
        asset = _write_asset(app, collection_id, meta, upload)
        if previous is not None and previous.get("href") != asset["href"]:
            _remove_asset_file(app, collection_id, previous)
        assets[meta["key"]] = asset
        app.store.put("collection", "", collection_id, stamp(collection, collection.get("msft:_created")))
    body = present_collection(app, collection, request.base_url)
    if replace:
        return Response.json(body)
    return Response.json(body, 201, created_at(request, f"{request.path}/{quote(meta['key'], safe='')}"))


def delete_asset(app: "GeoCatalog", request: Request) -> Response:
    collection_id, key = request.params["collection_id"], request.params["asset_id"]
    with app.store.write_lock:
        collection = require_collection(app, collection_id)
        asset = (collection.get("assets") or {}).pop(key, None)
        if asset is None:
            raise not_found("Asset", key)
        _remove_asset_file(app, collection_id, asset)
        app.store.put("collection", "", collection_id, stamp(collection, collection.get("msft:_created")))
    return Response.json(present_collection(app, collection, request.base_url))


def get_thumbnail(app: "GeoCatalog", request: Request) -> Response:
    """The file of the collection's thumbnail asset (key ``thumbnail``, else role ``thumbnail``)."""
    collection_id = request.params["collection_id"]
    assets = require_collection(app, collection_id).get("assets") or {}
    asset = assets.get("thumbnail") or next(
        (a for a in assets.values() if isinstance(a, Mapping) and "thumbnail" in (a.get("roles") or [])), None
    )
    if not isinstance(asset, Mapping):
        raise ApiError(404, "ThumbnailNotFound", f"Collection '{collection_id}' has no thumbnail asset.")
    path = app.local_blob_path(str(asset.get("href")))
    if path is None:
        raise ApiError(
            404, "ThumbnailNotFound", f"The thumbnail of '{collection_id}' is not a file stored in this catalog."
        )
    media_type = asset.get("type") or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Response(200, _file_chunks(path), {"Content-Type": media_type})


def _file_chunks(path: Path, size: int = 64 * 1024) -> Iterator[bytes]:
    with path.open("rb") as source:
        while True:
            chunk = source.read(size)
            if not chunk:
                return
            yield chunk
