"""A small loopback stand-in for the GeoCatalog STAC read API, for recording cassettes.

It answers the STAC *read* endpoints of API version 2026-04-15 with the
response bodies of the reference examples (read at start-up from
``<reference>/examples/2026-04-15/``, found through ``tests.conftest.REFERENCE``),
so the first cassettes can be recorded without an Azure account::

    with StubGeoCatalog() as stub:          # 127.0.0.1, ephemeral port
        print(stub.url)                     # e.g. http://127.0.0.1:50123

or from a shell: ``python -m tests.stub_geocatalog --port 8080``.

Like the service it

* answers 401 without an ``Authorization: Bearer <token>`` header and 400
  unless ``api-version=2026-04-15``, both with an ``{"error": {"code", "message"}}`` body;
* answers 404 (same body shape) for unknown collections, items, render options
  and mosaics;
* rewrites every absolute ``https://<...>.geocatalog.spatio.azure.com`` href in
  the bodies to its own base URL and sets ``Content-Location`` (so the
  recorder's endpoint sanitizing is exercised on bodies and headers);
* with ``sign=true`` appends a fake SAS query (``...&sig=<random>``) to blob
  asset hrefs (so the ``sig=`` redaction is exercised);
* applies ``limit``, ``bbox``, ``datetime`` and ``token`` (paging) to item
  listings and ``collections``, ``ids``, ``limit``, ``bbox``, ``datetime`` to
  ``POST /stac/search`` (``filter``, ``sortby`` and friends are ignored).

It is a stand-in until the project's full emulator exists: read-only, in
memory, no persistence. Limits: request bodies up to 1 MiB, 32 concurrent
connections, 10 s socket timeout, daemon threads.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import secrets
import struct
import threading
import uuid
import zlib
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import parse_qs, quote, unquote

API_VERSION = "2026-04-15"
MAX_BODY = 1024 * 1024
MAX_CONNECTIONS = 32
SOCKET_TIMEOUT = 10.0

#: Hosts of real catalogs in the examples; rewritten to the stub's own base URL.
_CATALOG_URL = re.compile(r"https://[A-Za-z0-9._-]+\.geocatalog\.spatio\.azure\.com")
_BLOB_HOST = ".blob.core.windows.net/"


def examples_dir() -> Path:
    from tests.conftest import REFERENCE  # the one place that knows where the reference lives

    return REFERENCE / "examples" / API_VERSION


def png_bytes(width: int = 8, height: int = 8) -> bytes:
    """A small valid RGB PNG (a diagonal gradient), built with zlib alone."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(
        b"\x00" + b"".join(bytes(((x * 32) % 256, (y * 32) % 256, 128)) for x in range(width)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class HttpError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _not_found(what: str) -> HttpError:
    return HttpError(404, "NotFound", f"{what} was not found.")


def _parse_time(value: str) -> Optional[datetime]:
    if value in ("", ".."):
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)


def _in_interval(item: Dict[str, Any], interval: Optional[str]) -> bool:
    if not interval:
        return True
    start_text, _, end_text = interval.partition("/")
    start, end = _parse_time(start_text), _parse_time(end_text if "/" in interval else start_text)
    when = _parse_time(item.get("properties", {}).get("datetime") or "")
    if when is None:
        return False
    return (start is None or when >= start) and (end is None or when <= end)


def _intersects(item: Dict[str, Any], bbox: Optional[List[float]]) -> bool:
    if not bbox:
        return True
    if len(bbox) != 4:
        raise HttpError(400, "InvalidParameter", "bbox must have 4 numbers: west, south, east, north.")
    box = item.get("bbox") or []
    if len(box) == 6:  # west, south, min elevation, east, north, max elevation
        box = [box[0], box[1], box[3], box[4]]
    if len(box) != 4:
        return False
    west, south, east, north = box
    return not (east < bbox[0] or west > bbox[2] or north < bbox[1] or south > bbox[3])


class Catalog:
    """The in-memory data, built from the reference examples."""

    def __init__(self, folder: Optional[Path] = None) -> None:
        folder = folder or examples_dir()

        def body(name: str) -> Any:
            return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))["responses"]["200"]["body"]

        self.landing = body("StacLandingPages_Get")
        self.conformance = body("StacConformanceClass_Get")
        collection = body("StacCollections_Get")
        self.collections: Dict[str, Dict[str, Any]] = {collection["id"]: collection}
        # Items by collection, then id, from every example that has some.
        self.items: Dict[str, Dict[str, Dict[str, Any]]] = {}
        features = (
            body("StacItems_GetFeatures")["features"] + [body("StacItems_Get")] + body("StacSearch_Create")["features"]
        )
        for feature in features:
            self.items.setdefault(feature["collection"], {}).setdefault(feature["id"], feature)
        self.config = body("StacCollectionConfig_Get")
        self.render_options: List[Dict[str, Any]] = body("StacCollectionRenderOptions_GetAll")
        self.mosaics: List[Dict[str, Any]] = body("StacCollectionMosaics_GetAll")
        self.tile_settings = body("StacCollectionTileSettings_Get")
        self.partition_type = body("StacCollectionPartitionTypes_Get")
        self.queryables = body("StacQueryables_GetAll")
        self.collection_queryables = body("StacQueryables_GetAllByCollection")
        self.thumbnail = png_bytes()

    def known(self, collection_id: str) -> None:
        if collection_id not in self.collections and collection_id not in self.items:
            raise _not_found(f"Collection '{collection_id}'")


Reply = Tuple[int, Any, str]  # status, body (JSON-able or bytes), content type
JSON, GEOJSON = "application/json", "application/geo+json"


class StubGeoCatalog:
    """The stub server: a context manager that serves a ``StubApp`` on 127.0.0.1 in a daemon thread."""

    def __init__(self, port: int = 0, catalog: Optional[Catalog] = None) -> None:
        self._server = _Server(("127.0.0.1", port), _Handler)
        self.app = StubApp(self.url, catalog)
        self._server.app = self.app
        self._thread: Optional[threading.Thread] = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> List[Tuple[str, str]]:
        """``(method, path?query)`` of every request answered so far."""
        return self.app.requests

    def start(self) -> "StubGeoCatalog":
        self._thread = threading.Thread(target=self._server.serve_forever, name="stub-geocatalog", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "StubGeoCatalog":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class StubApp:
    """The request handling, without sockets: ``handle(method, target, headers, body)``."""

    def __init__(self, url: str, catalog: Optional[Catalog] = None) -> None:
        self.url = url.rstrip("/")
        self.catalog = catalog or Catalog()
        self.requests: List[Tuple[str, str]] = []

    # -- routing ---------------------------------------------------------------------------------

    def routes(self) -> List[Tuple[str, "re.Pattern[str]", Callable[..., Reply]]]:
        c = r"/stac/collections/(?P<cid>[^/]+)"
        table: List[Tuple[str, str, Callable[..., Reply]]] = [
            ("GET", r"/stac/?", self.landing_page),
            ("GET", r"/stac/conformance", lambda q, b: (200, self.catalog.conformance, JSON)),
            ("GET", r"/stac/collections", self.list_collections),
            ("GET", c, self.get_collection),
            ("GET", c + r"/items", self.list_items),
            ("GET", c + r"/items/(?P<iid>[^/]+)", self.get_item),
            ("GET", c + r"/configurations", self.per_collection(lambda: self.catalog.config)),
            ("GET", c + r"/configurations/render-options", self.per_collection(lambda: self.catalog.render_options)),
            ("GET", c + r"/configurations/render-options/(?P<rid>[^/]+)", self.get_render_option),
            ("GET", c + r"/configurations/mosaics", self.per_collection(lambda: self.catalog.mosaics)),
            ("GET", c + r"/configurations/mosaics/(?P<mid>[^/]+)", self.get_mosaic),
            ("GET", c + r"/configurations/tile-settings", self.per_collection(lambda: self.catalog.tile_settings)),
            ("GET", c + r"/configurations/partition-type", self.per_collection(lambda: self.catalog.partition_type)),
            ("GET", r"/stac/queryables", lambda q, b: (200, self.catalog.queryables, "application/schema+json")),
            ("GET", c + r"/queryables", self.collection_queryables),
            ("GET", c + r"/thumbnail", self.thumbnail),
            ("POST", r"/stac/search", self.search),
        ]
        return [(method, re.compile(pattern + r"\Z"), handler) for method, pattern, handler in table]

    def handle(self, method: str, target: str, headers: Any, body: bytes) -> Tuple[int, bytes, Dict[str, str]]:
        """Answer one request: status, body bytes, headers."""
        self.requests.append((method, target))
        path, _, query_text = target.partition("?")
        query = {k: v[-1] for k, v in parse_qs(query_text, keep_blank_values=True).items()}
        try:
            status, payload, content_type = self._dispatch(method, path, query, headers, body)
        except HttpError as err:
            status, payload, content_type = err.status, {"error": {"code": err.code, "message": err.message}}, JSON
        extra = (
            {"WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common"'}
            if status == 401
            else {}
        )
        if isinstance(payload, bytes):
            data = payload
        else:
            text = _CATALOG_URL.sub(self.url, json.dumps(payload))
            if query.get("sign") == "true":
                text = _sign_blob_hrefs(text)
            data = text.encode("utf-8")
        return (
            status,
            data,
            {
                "Content-Type": content_type,
                "Content-Location": self.url + path,
                "x-ms-request-id": str(uuid.uuid4()),
                **extra,
            },
        )

    def _dispatch(self, method: str, path: str, query: Dict[str, str], headers: Any, body: bytes) -> Reply:
        auth = headers.get("Authorization") or ""
        if not auth.startswith("Bearer ") or not auth[len("Bearer ") :].strip():
            raise HttpError(401, "Unauthorized", "A bearer token is required in the Authorization header.")
        if query.get("api-version") != API_VERSION:
            raise HttpError(
                400,
                "UnsupportedApiVersion",
                f"The api-version '{query.get('api-version', '')}' is not supported; use '{API_VERSION}'.",
            )
        allowed = []
        for route_method, pattern, handler in self.routes():
            match = pattern.match(path)
            if match:
                if route_method == method:
                    return handler(query, body, **{k: unquote(v) for k, v in match.groupdict().items()})
                allowed.append(route_method)
        if allowed:
            raise HttpError(405, "MethodNotAllowed", f"{method} is not allowed on {path}; use {', '.join(allowed)}.")
        raise HttpError(404, "NotFound", f"No such resource: {path}")

    # -- handlers --------------------------------------------------------------------------------

    def landing_page(self, query: Dict[str, str], body: bytes) -> Reply:
        return 200, self.catalog.landing, JSON

    def list_collections(self, query: Dict[str, str], body: bytes) -> Reply:
        base = self.url + "/stac"
        links = [
            {"rel": "root", "type": JSON, "href": base + "/"},
            {"rel": "self", "type": JSON, "href": base + "/collections"},
        ]
        return 200, {"collections": list(self.catalog.collections.values()), "links": links}, JSON

    def get_collection(self, query: Dict[str, str], body: bytes, cid: str) -> Reply:
        if cid not in self.catalog.collections:
            raise _not_found(f"Collection '{cid}'")
        return 200, self.catalog.collections[cid], JSON

    def per_collection(self, value: Callable[[], Any]) -> Callable[..., Reply]:
        def handler(query: Dict[str, str], body: bytes, cid: str) -> Reply:
            self.catalog.known(cid)
            return 200, value(), JSON

        return handler

    def collection_queryables(self, query: Dict[str, str], body: bytes, cid: str) -> Reply:
        self.catalog.known(cid)
        doc = dict(self.catalog.collection_queryables)
        doc["$id"] = f"{self.url}/stac/collections/{quote(cid)}/queryables?api-version={API_VERSION}"
        return 200, doc, "application/schema+json"

    def get_render_option(self, query: Dict[str, str], body: bytes, cid: str, rid: str) -> Reply:
        self.catalog.known(cid)
        for option in self.catalog.render_options:
            if option["id"] == rid:
                return 200, option, JSON
        raise _not_found(f"Render option '{rid}'")

    def get_mosaic(self, query: Dict[str, str], body: bytes, cid: str, mid: str) -> Reply:
        self.catalog.known(cid)
        for mosaic in self.catalog.mosaics:
            if mosaic["id"] == mid:
                return 200, mosaic, JSON
        raise _not_found(f"Mosaic '{mid}'")

    def thumbnail(self, query: Dict[str, str], body: bytes, cid: str) -> Reply:
        collection = self.catalog.collections.get(cid)
        if collection is None or "thumbnail" not in collection.get("assets", {}):
            raise _not_found(f"Thumbnail of collection '{cid}'")
        return 200, self.catalog.thumbnail, "image/png"

    def get_item(self, query: Dict[str, str], body: bytes, cid: str, iid: str) -> Reply:
        self.catalog.known(cid)
        item = self.catalog.items.get(cid, {}).get(iid)
        if item is None:
            raise _not_found(f"Item '{iid}' in collection '{cid}'")
        return 200, item, GEOJSON

    def list_items(self, query: Dict[str, str], body: bytes, cid: str) -> Reply:
        self.catalog.known(cid)
        bbox = [float(v) for v in query["bbox"].split(",")] if query.get("bbox") else None
        items = [
            item
            for item in self.catalog.items.get(cid, {}).values()
            if _intersects(item, bbox) and _in_interval(item, query.get("datetime"))
        ]
        token = query.get("token")
        if token:  # "next:<collection>:<last item id of the previous page>"
            ids = [item["id"] for item in items]
            last = token.rsplit(":", 1)[-1]
            if last not in ids:
                raise HttpError(400, "InvalidParameter", f"Invalid continuation token '{token}'.")
            items = items[ids.index(last) + 1 :]
        limit = _limit(query.get("limit"))
        page, more = items[:limit], len(items) > limit
        base = f"{self.url}/stac/collections/{quote(cid)}"
        links = [
            {"rel": "collection", "type": JSON, "href": base},
            {"rel": "root", "type": JSON, "href": self.url + "/stac/"},
            {"rel": "self", "type": GEOJSON, "href": base + "/items"},
        ]
        if more:
            next_query = {k: v for k, v in query.items() if k != "token"}
            next_query["token"] = f"next:{cid}:{page[-1]['id']}"
            href = base + "/items?" + "&".join(f"{k}={quote(str(v), safe=':,/')}" for k, v in next_query.items())
            links.append({"rel": "next", "type": GEOJSON, "method": "GET", "href": href})
        return 200, {"type": "FeatureCollection", "features": page, "links": links}, GEOJSON

    def search(self, query: Dict[str, str], body: bytes) -> Reply:
        try:
            params = json.loads(body or b"{}")
        except ValueError as exc:
            raise HttpError(400, "InvalidRequestBody", f"The body is not JSON: {exc}") from exc
        if not isinstance(params, dict):
            raise HttpError(400, "InvalidRequestBody", "The body must be a JSON object.")
        collections, ids = params.get("collections"), params.get("ids")
        items = [
            item
            for cid, by_id in self.catalog.items.items()
            if not collections or cid in collections
            for item in by_id.values()
            if (not ids or item["id"] in ids)
            and _intersects(item, params.get("bbox"))
            and _in_interval(item, params.get("datetime"))
        ]
        page = items[: _limit(params.get("limit"))]
        links = [
            {"rel": "root", "type": JSON, "href": self.url + "/stac/"},
            {"rel": "self", "type": JSON, "href": f"{self.url}/stac/search?api-version={API_VERSION}"},
        ]
        return 200, {"type": "FeatureCollection", "features": copy.deepcopy(page), "links": links}, GEOJSON


def _limit(value: Any) -> int:
    if value in (None, ""):
        return 10
    try:
        limit = int(value)
    except (TypeError, ValueError):
        limit = 0
    if not 1 <= limit <= 1000:
        raise HttpError(400, "InvalidParameter", f"limit must be an integer from 1 to 1000, not '{value}'.")
    return limit


def _sign_blob_hrefs(text: str) -> str:
    """Append a fake SAS query to every blob href (as the service does with ``sign=true``)."""

    def sign(match: "re.Match[str]") -> str:
        sig = quote(secrets.token_urlsafe(24) + "=", safe="")
        return f'{match.group(1)}?st=2026-01-01T00%3A00%3A00Z&se=2026-01-02T00%3A00%3A00Z&sp=r&sv=2025-01-05&sr=c&sig={sig}"'

    return re.sub(r'("https://[A-Za-z0-9-]+' + re.escape(_BLOB_HOST) + r'[^"?]*)"', sign, text)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = MAX_CONNECTIONS
    app: "StubApp"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(timeout=SOCKET_TIMEOUT):
            self.shutdown_request(request)  # too many open connections: drop this one
            return
        try:
            super().process_request(request, client_address)
        except Exception:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = SOCKET_TIMEOUT
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            status, data, headers = (
                413,
                b'{"error": {"code": "PayloadTooLarge", "message": "Body over 1 MiB."}}',
                {"Content-Type": JSON},
            )
        else:
            body = self.rfile.read(length) if length else b""
            status, data, headers = self.server.app.handle(self.command, self.path, self.headers, body)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read stub.requests instead
        pass


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free one)")
    args = parser.parse_args(argv)
    with StubGeoCatalog(port=args.port) as stub:
        print(f"stub GeoCatalog on {stub.url} (Ctrl-C stops it)", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
