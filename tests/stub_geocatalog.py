"""A small loopback stand-in for the GeoCatalog read API, for recording cassettes.

It answers the *read* endpoints of API version 2026-04-15 -- STAC, ingestion,
SAS and data (tiler) -- with the response bodies of the reference examples
(read at start-up from ``<reference>/examples/2026-04-15/``, found through
``tests.conftest.REFERENCE``), so cassettes can be recorded without an Azure
account::

    with StubGeoCatalog() as stub:          # 127.0.0.1, ephemeral port
        print(stub.url)                     # e.g. http://127.0.0.1:50123

or from a shell: ``python -m tests.stub_geocatalog --port 8080``.

Like the service it

* answers 401 without an ``Authorization: Bearer <token>`` header and 400
  unless ``api-version=2026-04-15``, both with an ``{"error": {"code", "message"}}`` body;
* answers 404 (same body shape) for unknown collections, items, render options,
  mosaics, ingestion sources, ingestions, runs, operations, searches, tile
  matrix sets and legends;
* rewrites every absolute ``https://<...>.geocatalog.spatio.azure.com`` href in
  the bodies (JSON and XML) to its own base URL and sets ``Content-Location``
  (so the recorder's endpoint sanitizing is exercised on bodies and headers);
* signs with a fake SAS query (``...&sig=<random>``): blob asset hrefs of STAC
  items with ``sign=true``, ``GET /sas/sign`` hrefs and ``GET /sas/token``
  tokens (so the ``sig=`` and ``"token"`` redaction is exercised);
* STAC: applies ``limit``, ``bbox``, ``datetime`` and ``token`` (paging) to item
  listings and ``collections``, ``ids``, ``limit``, ``bbox``, ``datetime`` to
  ``POST /stac/search`` (``filter``, ``sortby`` and friends are ignored);
* ingestion: pages every ``/inma`` listing as ``{"value": [...], "nextLink": ...}``,
  ``$top`` entries a page (default 10) from ``$skip``, the next link keeping the
  other query parameters; ``GET /inma/operations`` also filters on
  ``collectionId`` and ``status``;
* data: serves tile matrix sets, legends, registered mosaic searches (info,
  TileJSON, WMTS capabilities, tiles) and the item tiler (info, bounds,
  TileJSON, tiles, point values, previews). Images are small generated PNGs
  (the only format rendered); raster facts not in the examples are synthetic.

The examples give every ingestion source, ingestion, run and most operations the
zero GUID; the stub gives them distinct, clearly made-up ones
(``00000000-0000-0000-<kind>-<n>``, see ``synthetic_id``).

It is a stand-in until the project's full emulator exists: read-only (except
that registering a mosaic search is remembered), in memory, no persistence.
Limits: request bodies up to 1 MiB, 32 concurrent connections, 10 s socket
timeout, daemon threads.
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import json
import math
import re
import secrets
import struct
import threading
import uuid
import zlib
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

API_VERSION = "2026-04-15"
MAX_BODY = 1024 * 1024
MAX_CONNECTIONS = 32
SOCKET_TIMEOUT = 10.0
#: Entries of an ``/inma`` listing page when ``$top`` is not given.
DEFAULT_PAGE_SIZE = 10
#: Lifetime of SAS tokens and signed hrefs when ``duration`` is not given, in minutes.
DEFAULT_SAS_MINUTES = 60
TILE_SIZE = 256

#: Hosts of real catalogs in the examples; rewritten to the stub's own base URL.
_CATALOG_URL = re.compile(r"https://[A-Za-z0-9._-]+\.geocatalog\.spatio\.azure\.com")
_BLOB_HOST = ".blob.core.windows.net/"
_NUMBER = r"\d+(?:\.\d+)?"  # path numbers: the client sends z/x/y/scale as floats ("14.0")
#: ``.../tiles/{tileMatrixSetId}/{z}/{x}/{y}[@{scale}x][.{format}]``
_TILE = (
    rf"/tiles/(?P<tms>[^/]+)/(?P<z>{_NUMBER})/(?P<x>{_NUMBER})/(?P<y>{_NUMBER})"
    rf"(?:@(?P<scale>{_NUMBER})x)?(?:\.(?P<fmt>[a-z][a-z0-9]*))?"
)


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


def synthetic_id(kind: int, number: int) -> str:
    """A made-up GUID, ``00000000-0000-0000-<kind>-<number>``, for entities the examples give the zero GUID."""
    return f"00000000-0000-0000-{kind:04x}-{number:012x}"


#: ``kind`` values of ``synthetic_id``.
SOURCE, INGESTION, RUN, OPERATION = 1, 2, 3, 4


class HttpError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _not_found(what: str) -> HttpError:
    return HttpError(404, "NotFound", f"{what} was not found.")


def _bad(name: str, value: Any, expected: str) -> HttpError:
    return HttpError(400, "InvalidParameter", f"{name} must be {expected}, not '{value}'.")


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


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _utc(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Catalog:
    """The in-memory data, built from the reference examples."""

    def __init__(self, folder: Optional[Path] = None) -> None:
        folder = folder or examples_dir()

        def example(name: str) -> Any:
            return json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))

        def body(name: str, status: str = "200") -> Any:
            return example(name)["responses"][status]["body"]

        self._load_stac(body)
        self._load_ingestion(example, body)
        self._load_data(example, body)

    def _load_stac(self, body: Callable[..., Any]) -> None:
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

    def _load_ingestion(self, example: Callable[[str], Any], body: Callable[..., Any]) -> None:
        # Sources: the managed-identity one of IngestionSources_Get, the SAS-token ones returned by
        # IngestionSources_Create and _Replace (the service never returns the SAS token itself).
        self.sources: List[Dict[str, Any]] = [
            {**source, "id": synthetic_id(SOURCE, number)}
            for number, source in enumerate(
                [
                    body("IngestionSources_Get"),
                    body("IngestionSources_Create", "201"),
                    body("IngestionSources_Replace"),
                ],
                1,
            )
        ]
        # The example's identity, and the one the managed-identity source uses (its nextLink,
        # https://example.com/nextLink, is dropped: the stub pages on its own).
        self.identities: List[Dict[str, Any]] = body("IngestionSources_ListManagedIdentities")["value"] + [
            {
                "objectId": self.sources[0]["connectionInfo"]["objectId"],
                "resourceId": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sample-rg"
                "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/sample-ingestion-identity",
            }
        ]
        collection_id = example("Ingestions_List")["parameters"]["collectionId"]
        ingestions = [
            {**ingestion, "id": synthetic_id(INGESTION, number)}
            for number, ingestion in enumerate(body("Ingestions_List")["value"], 1)
        ]
        self.ingestions: Dict[str, List[Dict[str, Any]]] = {collection_id: ingestions}
        # Runs, of the ingestion named "Ingestion for Run": those of IngestionRuns_Create, _Get and _List.
        run_of = next(i["id"] for i in ingestions if i.get("displayName") == "Ingestion for Run")
        runs = copy.deepcopy(
            [body("IngestionRuns_Create", "201"), body("IngestionRuns_Get")] + body("IngestionRuns_List")["value"]
        )
        for number, run in enumerate(runs, 1):
            run["id"] = synthetic_id(RUN, number)
            run["operation"]["id"] = synthetic_id(OPERATION, 0x10 + number)
        self.runs: Dict[Tuple[str, str], List[Dict[str, Any]]] = {(collection_id, run_of): runs}
        # Operations: the failed item deletion of IngestionOperations_Get and the pending ingestion
        # deletion that Ingestions_Delete started.
        self.operations: List[Dict[str, Any]] = [
            body("IngestionOperations_Get"),
            {**body("Ingestions_Delete", "202"), "id": synthetic_id(OPERATION, 1)},
        ]

    def _load_data(self, example: Callable[[str], Any], body: Callable[..., Any]) -> None:
        self.tile_matrix_sets: List[str] = body("TileMatrixList_Get")
        definition = body("TileMatrixDefinitions_Get")
        self.tile_matrix_definitions: Dict[str, Dict[str, Any]] = {definition["id"]: definition}
        legend = example("MapsLegends_Get")
        self.legends: Dict[str, bytes] = {
            legend["parameters"]["colorMapName"]: base64.b64decode(legend["responses"]["200"]["body"])
        }
        class_map, interval = example("MapsClassMapLegends_Get"), example("MapsIntervalLegends_GetByClassMapName")
        self.class_maps: Dict[str, Dict[str, List[int]]] = {
            class_map["parameters"]["classmapName"]: class_map["responses"]["200"]["body"]
        }
        self.interval_maps: Dict[str, List[Any]] = {
            interval["parameters"]["classmapName"]: interval["responses"]["200"]["body"]
        }
        # Registered searches, by id: the one of MosaicsInfoSearch_Get (registering the body of
        # MosaicsRegisterSearch_Register gives its id back) and the naip-atl mosaic of the TileJSON and
        # WMTS examples, whose stored search is ``{"collections": [<its collection>]}`` (synthetic).
        info = body("MosaicsInfoSearch_Get")["search"]
        naip = example("MosaicsTileMatrixSetsTileJson_Get")["parameters"]
        self.searches: Dict[str, Dict[str, Any]] = {
            info["hash"]: info,
            naip["searchId"]: {
                "hash": naip["searchId"],
                "search": {"collections": [naip["collection"]]},
                "_where": f"collection = ANY ('{{{naip['collection']}}}')",
                "orderby": "datetime DESC, id DESC",
                "lastused": info["lastused"],
                "usecount": 1,
                "metadata": {"type": "mosaic"},
            },
        }
        self.search_links: List[Dict[str, Any]] = body("MosaicsInfoSearch_Get")["links"]
        self.register_links: List[Dict[str, Any]] = body("MosaicsRegisterSearch_Register")["links"]
        self.mosaic_bounds: List[float] = body("MosaicsTileMatrixSetsTileJson_Get")["bounds"]
        wmts = example("MosaicsWmtsMosaics_GetCapabilitiesXml")
        self.wmts_search_id: str = wmts["parameters"]["searchId"]
        self.wmts: str = wmts["responses"]["200"]["body"]
        # Item tiler: raster info of one asset (shape of TilerInfoOperations_Get; 4 uint8 bands like
        # NAIP, synthetic), and the pixel values of TilerPoints_GetPoint (one per band).
        template = body("TilerInfoOperations_Get")["data"]
        bands = [f"b{n}" for n in range(1, 5)]
        self.raster_info: Dict[str, Any] = {
            **template,
            "band_metadata": [[band, {}] for band in bands],
            "band_descriptions": [[band, ""] for band in bands],
            "dtype": "uint8",
            "colorinterp": ["red", "green", "blue", "undefined"],
            "count": len(bands),
        }
        self.point_values: List[float] = body("TilerPoints_GetPoint")["values"]

    def known(self, collection_id: str) -> None:
        if collection_id not in self.collections and collection_id not in self.items:
            raise _not_found(f"Collection '{collection_id}'")

    def item(self, collection_id: str, item_id: str) -> Dict[str, Any]:
        self.known(collection_id)
        item = self.items.get(collection_id, {}).get(item_id)
        if item is None:
            raise _not_found(f"Item '{item_id}' in collection '{collection_id}'")
        return item


Reply = Tuple[int, Any, str]  # status, body (bytes, text, or JSON-able), content type
JSON, GEOJSON, PNG, XML = "application/json", "application/geo+json", "image/png", "application/xml"


class Query(Dict[str, str]):
    """The query of a request: the last value of each parameter, and all of them in ``.all``."""

    def __init__(self, text: str) -> None:
        self.all: Dict[str, List[str]] = parse_qs(text, keep_blank_values=True)
        super().__init__({k: v[-1] for k, v in self.all.items()})

    def integer(self, name: str, default: Optional[int] = None, low: int = 0, high: int = 10**9) -> Optional[int]:
        """An integer parameter; floats with no fraction (``10.0``) are accepted, as the client sends some."""
        value = self.get(name)
        if value in (None, ""):
            return default
        try:
            number = float(value)
        except ValueError:
            raise _bad(name, value, "a number") from None
        if not number.is_integer() or not low <= number <= high:
            raise _bad(name, value, f"an integer from {low} to {high}")
        return int(number)


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
        self._lock = threading.Lock()  # registering searches writes catalog.searches
        self._routes = self.routes()

    # -- routing ---------------------------------------------------------------------------------

    def routes(self) -> List[Tuple[str, "re.Pattern[str]", Callable[..., Reply]]]:
        c = r"/stac/collections/(?P<cid>[^/]+)"
        ingestion = r"/inma/collections/(?P<cid>[^/]+)/ingestions/(?P<iid>[^/]+)"
        search = r"/data/mosaic/searches/(?P<sid>[^/]+)"
        item = r"/data/mosaic/collections/(?P<cid>[^/]+)/items/(?P<iid>[^/]+)"
        identities = "/inma/ingestion-sources/managed-identities"
        catalog = self.catalog
        table: List[Tuple[str, str, Callable[..., Reply]]] = [
            # STAC
            ("GET", r"/stac/?", self.landing_page),
            ("GET", r"/stac/conformance", lambda q, b: (200, catalog.conformance, JSON)),
            ("GET", r"/stac/collections", self.list_collections),
            ("GET", c, self.get_collection),
            ("GET", c + r"/items", self.list_items),
            ("GET", c + r"/items/(?P<iid>[^/]+)", self.get_item),
            ("GET", c + r"/configurations", self.per_collection(lambda: catalog.config)),
            ("GET", c + r"/configurations/render-options", self.per_collection(lambda: catalog.render_options)),
            ("GET", c + r"/configurations/render-options/(?P<rid>[^/]+)", self.get_render_option),
            ("GET", c + r"/configurations/mosaics", self.per_collection(lambda: catalog.mosaics)),
            ("GET", c + r"/configurations/mosaics/(?P<mid>[^/]+)", self.get_mosaic),
            ("GET", c + r"/configurations/tile-settings", self.per_collection(lambda: catalog.tile_settings)),
            ("GET", c + r"/configurations/partition-type", self.per_collection(lambda: catalog.partition_type)),
            ("GET", r"/stac/queryables", lambda q, b: (200, catalog.queryables, "application/schema+json")),
            ("GET", c + r"/queryables", self.collection_queryables),
            ("GET", c + r"/thumbnail", self.thumbnail),
            ("POST", r"/stac/search", self.search),
            # ingestion
            ("GET", r"/inma/ingestion-sources", self.paged("/inma/ingestion-sources", self.source_summaries)),
            ("GET", identities, self.paged(identities, lambda: catalog.identities)),
            ("GET", r"/inma/ingestion-sources/(?P<id>[^/]+)", self.get_source),
            ("GET", r"/inma/collections/(?P<cid>[^/]+)/ingestions", self.list_ingestions),
            ("GET", ingestion, self.get_ingestion),
            ("GET", ingestion + r"/runs", self.list_runs),
            ("GET", ingestion + r"/runs/(?P<rid>[^/]+)", self.get_run),
            ("GET", r"/inma/operations", self.list_operations),
            ("GET", r"/inma/operations/(?P<oid>[^/]+)", self.get_operation),
            # SAS
            ("GET", r"/sas/token/(?P<cid>[^/]+)", self.sas_token),
            ("GET", r"/sas/sign", self.sas_sign),
            # data: tile matrix sets and legends
            ("GET", r"/data/tile-matrix-sets", lambda q, b: (200, catalog.tile_matrix_sets, JSON)),
            ("GET", r"/data/tile-matrix-sets/(?P<tms>[^/]+)", self.tile_matrix_set),
            ("GET", r"/data/legend/colormap/(?P<name>[^/]+)", self.colormap_legend),
            ("GET", r"/data/legend/classmap/(?P<name>[^/]+)", self.classmap_legend),
            ("GET", r"/data/legend/interval/(?P<name>[^/]+)", self.interval_legend),
            # data: mosaic searches
            ("POST", r"/data/mosaic/register", self.register_search),
            ("GET", search + r"/info", self.search_info),
            ("GET", search + r"/tilejson\.json", self.search_tilejson),
            ("GET", search + r"/(?P<tms>[^/]+)/tilejson\.json", self.search_tilejson),
            ("GET", search + r"/WMTSCapabilities\.xml", self.search_wmts),
            ("GET", search + r"/(?P<tms>[^/]+)/WMTSCapabilities\.xml", self.search_wmts),
            ("GET", search + _TILE, self.search_tile),
            # data: item tiler
            ("GET", item + r"/info", self.item_info),
            ("GET", item + r"/bounds", self.item_bounds),
            ("GET", item + r"/tilejson\.json", self.item_tilejson),
            ("GET", item + r"/(?P<tms>[^/]+)/tilejson\.json", self.item_tilejson),
            ("GET", item + _TILE, self.item_tile),
            ("GET", item + r"/point/(?P<lon>[^/,]+),(?P<lat>[^/,]+)", self.item_point),
            ("GET", item + r"/preview(?:\.(?P<fmt>[a-z][a-z0-9]*))?", self.item_preview),
        ]
        return [(method, re.compile(pattern + r"\Z"), handler) for method, pattern, handler in table]

    def handle(self, method: str, target: str, headers: Any, body: bytes) -> Tuple[int, bytes, Dict[str, str]]:
        """Answer one request: status, body bytes, headers."""
        self.requests.append((method, target))
        path, _, query_text = target.partition("?")
        query = Query(query_text)
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
            text = _CATALOG_URL.sub(self.url, payload if isinstance(payload, str) else json.dumps(payload))
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

    def _dispatch(self, method: str, path: str, query: Query, headers: Any, body: bytes) -> Reply:
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
        for route_method, pattern, handler in self._routes:
            match = pattern.match(path)
            if match:
                if route_method == method:
                    groups = {k: unquote(v) for k, v in match.groupdict().items() if v is not None}
                    return handler(query, body, **groups)
                allowed.append(route_method)
        if allowed:
            raise HttpError(405, "MethodNotAllowed", f"{method} is not allowed on {path}; use {', '.join(allowed)}.")
        raise HttpError(404, "NotFound", f"No such resource: {path}")

    # -- STAC ------------------------------------------------------------------------------------

    def landing_page(self, query: Query, body: bytes) -> Reply:
        return 200, self.catalog.landing, JSON

    def list_collections(self, query: Query, body: bytes) -> Reply:
        base = self.url + "/stac"
        links = [
            {"rel": "root", "type": JSON, "href": base + "/"},
            {"rel": "self", "type": JSON, "href": base + "/collections"},
        ]
        return 200, {"collections": list(self.catalog.collections.values()), "links": links}, JSON

    def get_collection(self, query: Query, body: bytes, cid: str) -> Reply:
        if cid not in self.catalog.collections:
            raise _not_found(f"Collection '{cid}'")
        return 200, self.catalog.collections[cid], JSON

    def per_collection(self, value: Callable[[], Any]) -> Callable[..., Reply]:
        def handler(query: Query, body: bytes, cid: str) -> Reply:
            self.catalog.known(cid)
            return 200, value(), JSON

        return handler

    def collection_queryables(self, query: Query, body: bytes, cid: str) -> Reply:
        self.catalog.known(cid)
        doc = dict(self.catalog.collection_queryables)
        doc["$id"] = f"{self.url}/stac/collections/{quote(cid)}/queryables?api-version={API_VERSION}"
        return 200, doc, "application/schema+json"

    def get_render_option(self, query: Query, body: bytes, cid: str, rid: str) -> Reply:
        self.catalog.known(cid)
        for option in self.catalog.render_options:
            if option["id"] == rid:
                return 200, option, JSON
        raise _not_found(f"Render option '{rid}'")

    def get_mosaic(self, query: Query, body: bytes, cid: str, mid: str) -> Reply:
        self.catalog.known(cid)
        for mosaic in self.catalog.mosaics:
            if mosaic["id"] == mid:
                return 200, mosaic, JSON
        raise _not_found(f"Mosaic '{mid}'")

    def thumbnail(self, query: Query, body: bytes, cid: str) -> Reply:
        collection = self.catalog.collections.get(cid)
        if collection is None or "thumbnail" not in collection.get("assets", {}):
            raise _not_found(f"Thumbnail of collection '{cid}'")
        return 200, self.catalog.thumbnail, PNG

    def get_item(self, query: Query, body: bytes, cid: str, iid: str) -> Reply:
        return 200, self.catalog.item(cid, iid), GEOJSON

    def list_items(self, query: Query, body: bytes, cid: str) -> Reply:
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

    def search(self, query: Query, body: bytes) -> Reply:
        params = _json_object(body)
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

    # -- ingestion -------------------------------------------------------------------------------

    def page(self, query: Query, path: str, entries: Sequence[Any]) -> Dict[str, Any]:
        """``{"value": <$top entries from $skip>, "nextLink": <the same query, $skip moved on>}``."""
        skip = query.integer("$skip", 0)
        top = query.integer("$top", DEFAULT_PAGE_SIZE, low=1, high=1000)
        assert skip is not None and top is not None
        page: Dict[str, Any] = {"value": list(entries[skip : skip + top])}
        if skip + top < len(entries):
            rest = [(k, v) for k, v in query.items() if k not in ("$skip", "$top")]
            page["nextLink"] = f"{self.url}{path}?" + urlencode(rest + [("$skip", skip + top), ("$top", top)], safe="$")
        return page

    def paged(self, path: str, entries: Callable[[], Sequence[Any]]) -> Callable[..., Reply]:
        """A handler listing ``entries()`` page by page, for the route ``path`` (no path parameters)."""

        def handler(query: Query, body: bytes) -> Reply:
            return 200, self.page(query, path, entries()), JSON

        return handler

    def source_summaries(self) -> List[Dict[str, Any]]:
        """What a source listing shows of each source: no connection details."""
        return [{k: s[k] for k in ("id", "kind", "created") if k in s} for s in self.catalog.sources]

    def get_source(self, query: Query, body: bytes, id: str) -> Reply:
        return 200, _find(self.catalog.sources, id, "Ingestion source"), JSON

    def _ingestions(self, cid: str) -> List[Dict[str, Any]]:
        self.catalog.known(cid)
        return self.catalog.ingestions.get(cid, [])

    def list_ingestions(self, query: Query, body: bytes, cid: str) -> Reply:
        return 200, self.page(query, f"/inma/collections/{quote(cid)}/ingestions", self._ingestions(cid)), JSON

    def get_ingestion(self, query: Query, body: bytes, cid: str, iid: str) -> Reply:
        return 200, _find(self._ingestions(cid), iid, f"Ingestion in collection '{cid}'"), JSON

    def _runs(self, cid: str, iid: str) -> List[Dict[str, Any]]:
        _find(self._ingestions(cid), iid, f"Ingestion in collection '{cid}'")
        return self.catalog.runs.get((cid, iid), [])

    def list_runs(self, query: Query, body: bytes, cid: str, iid: str) -> Reply:
        path = f"/inma/collections/{quote(cid)}/ingestions/{quote(iid)}/runs"
        return 200, self.page(query, path, self._runs(cid, iid)), JSON

    def get_run(self, query: Query, body: bytes, cid: str, iid: str, rid: str) -> Reply:
        return 200, _find(self._runs(cid, iid), rid, f"Run of ingestion '{iid}'"), JSON

    def list_operations(self, query: Query, body: bytes) -> Reply:
        operations = [
            operation
            for operation in self.catalog.operations
            if query.get("collectionId") in (None, operation.get("collectionId"))
            and query.get("status") in (None, operation.get("status"))
        ]
        return 200, self.page(query, "/inma/operations", operations), JSON

    def get_operation(self, query: Query, body: bytes, oid: str) -> Reply:
        return 200, _find(self.catalog.operations, oid, "Operation"), JSON

    # -- SAS -------------------------------------------------------------------------------------

    def _validity(self, query: Query) -> Tuple[datetime, datetime]:
        """(start, expiry) of a SAS: from 5 minutes ago (clock skew) for ``duration`` minutes."""
        minutes = query.integer("duration", DEFAULT_SAS_MINUTES, low=1, high=7 * 24 * 60)
        assert minutes is not None
        now = datetime.now(timezone.utc).replace(microsecond=0)
        return now - timedelta(minutes=5), now + timedelta(minutes=minutes)

    def sas_token(self, query: Query, body: bytes, cid: str) -> Reply:
        self.catalog.known(cid)
        start, expiry = self._validity(query)
        return 200, {"msft:expiry": _utc(expiry), "token": _sas_query(start, expiry)}, JSON

    def sas_sign(self, query: Query, body: bytes) -> Reply:
        href = query.get("href")
        if not href:
            raise HttpError(400, "InvalidParameter", "href is required.")
        parts = urlsplit(href)
        if parts.scheme != "https" or not (parts.hostname or "").endswith(_BLOB_HOST.strip("/")):
            return 200, {"href": href}, JSON  # not Azure Blob Storage: unchanged, no expiry
        start, expiry = self._validity(query)
        signed = parts._replace(query=_sas_query(start, expiry), fragment="").geturl()
        return 200, {"msft:expiry": _utc(expiry), "href": signed}, JSON

    # -- data: tile matrix sets and legends ------------------------------------------------------

    def _tile_matrix_set(self, tms: str) -> Dict[str, Any]:
        definition = self.catalog.tile_matrix_definitions.get(tms)
        if definition is None:
            raise _not_found(f"Tile matrix set '{tms}' (the stub has {sorted(self.catalog.tile_matrix_definitions)})")
        return definition

    def tile_matrix_set(self, query: Query, body: bytes, tms: str) -> Reply:
        return 200, self._tile_matrix_set(tms), JSON

    def colormap_legend(self, query: Query, body: bytes, name: str) -> Reply:
        width, height = query.integer("width", low=1, high=4096), query.integer("height", low=1, high=4096)
        if name in self.catalog.legends and width is None and height is None:
            return 200, self.catalog.legends[name], PNG
        return 200, png_bytes(width or 256, height or 16), PNG  # any other colour map: a generated image

    def classmap_legend(self, query: Query, body: bytes, name: str) -> Reply:
        entries = list(_named(self.catalog.class_maps, name, "Class map").items())
        return 200, dict(_trim(query, entries)), JSON

    def interval_legend(self, query: Query, body: bytes, name: str) -> Reply:
        return 200, _trim(query, _named(self.catalog.interval_maps, name, "Interval map")), JSON

    # -- data: mosaic searches -------------------------------------------------------------------

    def _search(self, sid: str) -> Dict[str, Any]:
        return _named(self.catalog.searches, sid, "Mosaic search")

    def _search_links(self, sid: str, links: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """The example's links (rel, type, title), pointing at this search's endpoints."""
        base = f"{self.url}/data/mosaic/searches/{quote(sid)}"
        targets = {"self": "/info", "metadata": "/info", "tilejson": "/tilejson.json", "wmts": "/WMTSCapabilities.xml"}
        return [{**link, "href": f"{base}{targets[link['rel']]}?api-version={API_VERSION}"} for link in links]

    def register_search(self, query: Query, body: bytes) -> Reply:
        params = _json_object(body)
        metadata = params.pop("metadata", None) or {"type": "mosaic"}
        wanted = _canonical(params)
        with self._lock:
            sid = next((k for k, v in self.catalog.searches.items() if _canonical(v["search"]) == wanted), None)
            if sid is None:
                sid = hashlib.md5((wanted + _canonical(metadata)).encode()).hexdigest()
                self.catalog.searches[sid] = {
                    "hash": sid,
                    "search": params,
                    "lastused": _utc(datetime.now(timezone.utc)),
                    "usecount": 0,
                    "metadata": metadata,
                }
        # The 1.0.0 client reads the id from "searchid" (MosaicsRegisterSearch_Register spells it "searchId").
        return 200, {"searchid": sid, "links": self._search_links(sid, self.catalog.register_links)}, JSON

    def search_info(self, query: Query, body: bytes, sid: str) -> Reply:
        return 200, {"search": self._search(sid), "links": self._search_links(sid, self.catalog.search_links)}, JSON

    def search_tilejson(self, query: Query, body: bytes, sid: str, tms: Optional[str] = None) -> Reply:
        self._search(sid)
        base = f"{self.url}/data/mosaic/searches/{quote(sid)}"
        return 200, self._tilejson(query, base, tms, self.catalog.mosaic_bounds, name=sid), JSON

    def search_wmts(self, query: Query, body: bytes, sid: str, tms: Optional[str] = None) -> Reply:
        """The WMTS example, its search id and (older) paths swapped for this search's."""
        self._search(sid)
        self._tile_matrix_set(tms or query.get("TileMatrixSetId") or "WebMercatorQuad")
        example_id = self.catalog.wmts_search_id
        text = self.catalog.wmts.replace(f"/data/mosaic/{example_id}/", f"/data/mosaic/searches/{sid}/")
        text = text.replace("/data/mosaic/tiles/", f"/data/mosaic/searches/{sid}/tiles/")
        return 200, text, XML

    def search_tile(self, query: Query, body: bytes, sid: str, **tile: str) -> Reply:
        self._search(sid)
        return self._render_tile(query, None, **tile)

    # -- data: item tiler ------------------------------------------------------------------------

    def _raster_assets(self, query: Query, item: Dict[str, Any]) -> List[str]:
        rasters = [key for key, asset in item["assets"].items() if asset.get("type", "").startswith("image/tiff")]
        wanted = query.all.get("assets") or rasters
        for key in wanted:
            if key not in rasters:
                raise _not_found(f"Raster asset '{key}' of item '{item['id']}'")
        return wanted

    def item_info(self, query: Query, body: bytes, cid: str, iid: str) -> Reply:
        item = self.catalog.item(cid, iid)
        info = {key: {**self.catalog.raster_info, "bounds": item["bbox"]} for key in self._raster_assets(query, item)}
        return 200, info, JSON

    def item_bounds(self, query: Query, body: bytes, cid: str, iid: str) -> Reply:
        return 200, {"bounds": self.catalog.item(cid, iid)["bbox"]}, JSON

    def item_tilejson(self, query: Query, body: bytes, cid: str, iid: str, tms: Optional[str] = None) -> Reply:
        item = self.catalog.item(cid, iid)
        base = f"{self.url}/data/mosaic/collections/{quote(cid)}/items/{quote(iid)}"
        return 200, self._tilejson(query, base, tms, item["bbox"]), JSON

    def item_tile(self, query: Query, body: bytes, cid: str, iid: str, **tile: str) -> Reply:
        item = self.catalog.item(cid, iid)
        self._raster_assets(query, item)
        return self._render_tile(query, item["bbox"], **tile)

    def item_point(self, query: Query, body: bytes, cid: str, iid: str, lon: str, lat: str) -> Reply:
        item = self.catalog.item(cid, iid)
        try:
            x, y = float(lon), float(lat)
        except ValueError:
            raise _bad("point", f"{lon},{lat}", "two numbers, longitude,latitude") from None
        west, south, east, north = item["bbox"]
        if not (west <= x <= east and south <= y <= north):
            raise HttpError(400, "PointOutsideBounds", f"Point ({x}, {y}) is outside the bounds of item '{iid}'.")
        assets = self._raster_assets(query, item)
        values = self.catalog.point_values
        names = [f"{key}_b{n}" for key in assets for n in range(1, len(values) + 1)]
        return 200, {"coordinates": [x, y], "values": values * len(assets), "band_names": names}, JSON

    def item_preview(self, query: Query, body: bytes, cid: str, iid: str, fmt: Optional[str] = None) -> Reply:
        item = self.catalog.item(cid, iid)
        self._raster_assets(query, item)
        _image_format(fmt or query.get("format"))
        west, south, east, north = item["bbox"]
        longest = query.integer("max_size", 1024, low=1, high=4096)
        assert longest is not None
        ratio = (north - south) / (east - west)  # in degrees: good enough for a stub
        width, height = (longest, round(longest * ratio)) if ratio <= 1 else (round(longest / ratio), longest)
        width = query.integer("width", width, low=1, high=4096) or width
        height = query.integer("height", height, low=1, high=4096) or height
        return 200, png_bytes(width, height), PNG

    # -- data: shared ----------------------------------------------------------------------------

    def _tilejson(
        self, query: Query, base: str, tms: Optional[str], bounds: List[float], name: Optional[str] = None
    ) -> Dict[str, Any]:
        """A TileJSON 2.2.0 document (the examples' shape) whose tile URL keeps the rendering parameters."""
        tms = tms or query.get("TileMatrixSetId") or "WebMercatorQuad"
        self._tile_matrix_set(tms)
        own = {"api-version", "TileMatrixSetId", "tile_format", "tile_scale", "minzoom", "maxzoom"}
        rendering = [(k, v) for k, values in query.all.items() if k not in own for v in values]
        suffix = f".{query['tile_format']}" if query.get("tile_format") else ""
        scale = query.integer("tile_scale", 1, low=1, high=4)
        template = f"{base}/tiles/{tms}/{{z}}/{{x}}/{{y}}@{scale}x{suffix}?" + urlencode(
            [("api-version", API_VERSION)] + rendering
        )
        min_zoom, max_zoom = query.integer("minzoom", 0, high=24), query.integer("maxzoom", 24, high=24)
        west, south, east, north = bounds
        doc: Dict[str, Any] = {"tilejson": "2.2.0"}
        if name:
            doc["name"] = name
        doc.update(
            version="1.0.0",
            scheme="xyz",
            tiles=[template],
            minzoom=min_zoom,
            maxzoom=max_zoom,
            bounds=bounds,
            center=[(west + east) / 2, (south + north) / 2, min_zoom],
        )
        return doc

    def _render_tile(
        self,
        query: Query,
        bounds: Optional[List[float]],
        tms: str,
        z: str,
        x: str,
        y: str,
        scale: str = "1",
        fmt: Optional[str] = None,
    ) -> Reply:
        """A generated PNG of ``TILE_SIZE * scale`` pixels a side, for a tile of the matrix (and of ``bounds``)."""
        self._tile_matrix_set(tms)
        _image_format(fmt or query.get("format"))
        zoom, column, row, factor = (
            _whole(name, value) for name, value in (("z", z), ("x", x), ("y", y), ("scale", scale))
        )
        if not (0 <= zoom <= 24 and 0 <= column < 2**zoom and 0 <= row < 2**zoom and 1 <= factor <= 4):
            raise HttpError(404, "TileOutsideBounds", f"Tile {tms}/{z}/{x}/{y}@{scale}x does not exist.")
        if bounds is not None and not _tile_overlaps(zoom, column, row, bounds):
            raise HttpError(404, "TileOutsideBounds", f"Tile {tms}/{z}/{x}/{y} is outside the item's bounds.")
        return 200, png_bytes(TILE_SIZE * factor, TILE_SIZE * factor), PNG


def _find(entries: Sequence[Dict[str, Any]], entry_id: str, what: str) -> Dict[str, Any]:
    for entry in entries:
        if entry["id"] == entry_id:
            return entry
    raise _not_found(f"{what} '{entry_id}'")


def _named(table: Dict[str, Any], name: str, what: str) -> Any:
    if name not in table:
        raise _not_found(f"{what} '{name}'")
    return table[name]


def _trim(query: Query, entries: List[Any]) -> List[Any]:
    start, end = query.integer("trim_start", 0), query.integer("trim_end", 0)
    assert start is not None and end is not None
    return entries[start : len(entries) - end]


def _whole(name: str, value: str) -> int:
    number = float(value)
    if not number.is_integer():
        raise _bad(name, value, "a whole number")
    return int(number)


def _image_format(fmt: Optional[str]) -> None:
    if fmt not in (None, "png"):
        raise HttpError(400, "UnsupportedFormat", f"The stub renders PNG only, not '{fmt}'.")


def _tile_overlaps(zoom: int, column: int, row: int, bounds: List[float]) -> bool:
    """Whether WebMercatorQuad tile z/x/y overlaps ``bounds`` (west, south, east, north, in degrees)."""

    def lon(x: float) -> float:
        return x / 2**zoom * 360.0 - 180.0

    def lat(y: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / 2**zoom))))

    west, south, east, north = bounds
    return not (lon(column + 1) < west or lon(column) > east or lat(row) < south or lat(row + 1) > north)


def _json_object(body: bytes) -> Dict[str, Any]:
    try:
        params = json.loads(body or b"{}")
    except ValueError as exc:
        raise HttpError(400, "InvalidRequestBody", f"The body is not JSON: {exc}") from exc
    if not isinstance(params, dict):
        raise HttpError(400, "InvalidRequestBody", "The body must be a JSON object.")
    return params


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


def _sas_query(start: datetime, expiry: datetime) -> str:
    """A fake user-delegation SAS query (the shape of Sas_GetSign's), ending in a random ``sig``."""
    signature = quote(base64.b64encode(secrets.token_bytes(32)).decode(), safe="")
    fields = [
        ("st", _utc(start)),
        ("se", _utc(expiry)),
        ("sp", "rl"),
        ("sv", "2025-01-05"),
        ("sr", "c"),
        ("skoid", synthetic_id(0, 0xA)),
        ("sktid", synthetic_id(0, 0xB)),
        ("skt", _utc(start)),
        ("ske", _utc(expiry)),
        ("sks", "b"),
        ("skv", "2025-01-05"),
    ]
    return urlencode(fields) + f"&sig={signature}"


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
