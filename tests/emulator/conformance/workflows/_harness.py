"""What every workflow script shares: arguments, the client, checks, the JSON summary.

The workflows run unchanged under this project's ``azure.planetarycomputer`` and under the
official 1.0.0 package (in its own virtualenv), so this module uses only what both packages
have: ``PlanetaryComputerProClient``, ``models`` and azure-core. It imports nothing from the
project's repository (the official run must not see it).

A workflow script is ``python <script> <endpoint> <workdir>``: it prints one JSON summary line
(``{"workflow", "ok", "checks", "sdk", ...}``) and exits 1 on the first failed check.
"""

from __future__ import annotations

import json
import math
import struct
import sys
import time
import traceback
import urllib.request
import uuid
import zlib
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional
from urllib.parse import parse_qs, urlparse

from azure.core.credentials import AccessToken
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.core.pipeline.policies import SansIOHTTPPolicy

import azure.planetarycomputer as sdk
from azure.planetarycomputer import PlanetaryComputerProClient

#: Seconds between polls of long-running operations (the packages' default is 30).
POLL = 0.05
#: Longest wait for one long-running operation.
LRO_TIMEOUT = 60.0
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class EmulatorCredential:
    """A TokenCredential that always returns the same token (the emulator accepts any)."""

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("emulator", int(time.time()) + 3600)


class BearerHeaderPolicy(SansIOHTTPPolicy):
    """Sets ``Authorization: Bearer <token>``.

    Passed as ``authentication_policy``: the official package's ``BearerTokenCredentialPolicy``
    refuses plain http, and the emulator listens on plain http on loopback.
    """

    def __init__(self, token: str = "emulator") -> None:
        self._token = token

    def on_request(self, request: Any) -> None:
        request.http_request.headers["Authorization"] = f"Bearer {self._token}"


class CheckFailed(AssertionError):
    pass


class Workflow:
    """One run of a workflow: the client, the checks made so far, and cleanup on failure."""

    def __init__(self, name: str, argv: Optional[List[str]] = None) -> None:
        args = list(sys.argv[1:] if argv is None else argv)
        if len(args) != 2:
            sys.stderr.write(f"usage: python {name}.py <endpoint> <workdir>\n")
            raise SystemExit(2)
        self.name = name
        self.endpoint = args[0].rstrip("/")
        self.workdir = Path(args[1]).resolve()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.checks: List[str] = []
        self.info: Dict[str, Any] = {}
        self.cleanups: List[Callable[[], Any]] = []
        self.suffix = uuid.uuid4().hex[:8]
        self.client = PlanetaryComputerProClient(
            self.endpoint,
            EmulatorCredential(),
            authentication_policy=BearerHeaderPolicy(),
            retry_total=0,
            polling_interval=POLL,
        )
        self._started = time.monotonic()

    # -- checks ---------------------------------------------------------------------------

    def check(self, condition: Any, what: str, detail: Any = None) -> None:
        """Record a passed check, or stop the workflow with ``what`` (and ``detail``)."""
        if not condition:
            raise CheckFailed(what if detail is None else f"{what}: {detail!r}")
        self.checks.append(what)

    def equal(self, actual: Any, expected: Any, what: str) -> None:
        self.check(actual == expected, what, {"expected": expected, "actual": actual})

    def raises(self, error: type, call: Callable[[], Any], what: str) -> BaseException:
        """``call()`` must raise ``error`` (e.g. ResourceNotFoundError)."""
        try:
            call()
        except error as exc:
            self.checks.append(what)
            return exc
        except HttpResponseError as exc:
            raise CheckFailed(f"{what}: expected {error.__name__}, got HTTP {exc.status_code}: {exc.message}") from exc
        raise CheckFailed(f"{what}: expected {error.__name__}, but the call succeeded")

    def not_found(self, call: Callable[[], Any], what: str) -> None:
        exc = self.raises(ResourceNotFoundError, call, what)
        status = getattr(exc, "status_code", None)
        if status != 404:
            raise CheckFailed(f"{what}: expected HTTP 404, got {status}")

    def refused(self, start: Callable[[], Any], what: str) -> None:
        """A request the service must refuse: an HTTP error at once, or a long-running operation
        (``start()`` returns its poller) that ends Failed."""
        try:
            poller = start()
            if poller is not None and hasattr(poller, "result"):
                try:
                    poller.result(timeout=LRO_TIMEOUT)
                except HttpResponseError:
                    pass
                status = str(poller.status()).lower()
                self.check(status == "failed", what, {"operation status": status})
                return
        except HttpResponseError as exc:
            self.check(400 <= (exc.status_code or 0) < 500, what, {"status": exc.status_code})
            return
        raise CheckFailed(f"{what}: the request succeeded")

    def wait(self, poller: Any, what: str) -> Any:
        """Wait for a long-running operation and check that it succeeded."""
        result = poller.result(timeout=LRO_TIMEOUT)
        self.check(poller.done(), f"{what}: finished", {"status": poller.status()})
        self.equal(str(poller.status()).lower(), "succeeded", f"{what}: succeeded")
        return result

    def uid(self, prefix: str) -> str:
        """A resource id unique to this run (runs of both packages share one emulator)."""
        return f"{prefix}-{self.suffix}"

    # -- running --------------------------------------------------------------------------

    def run(self, body: Callable[["Workflow"], None]) -> None:
        """Run ``body(self)``; print the JSON summary; exit 1 on the first failure."""
        error: Optional[str] = None
        trace: Optional[str] = None
        try:
            body(self)
        except CheckFailed as exc:
            error = f"check failed: {exc}"
            trace = traceback.format_exc()
        except Exception as exc:  # an SDK or emulator error: report it as the failure
            error = f"{type(exc).__name__}: {exc}"
            trace = traceback.format_exc()
        finally:
            if error is not None:
                for cleanup in reversed(self.cleanups):
                    try:
                        cleanup()
                    except Exception:
                        pass
        summary = {
            "workflow": self.name,
            "ok": error is None,
            "sdk": {"file": str(Path(sdk.__file__).resolve()), "version": getattr(sdk, "VERSION", None)},
            "python": sys.executable,
            "checks": self.checks,
            "info": self.info,
            "seconds": round(time.monotonic() - self._started, 2),
        }
        if error is not None:
            summary["error"] = error
            summary["after_check"] = self.checks[-1] if self.checks else None
            sys.stderr.write(trace or "")
            sys.stderr.write(f"\n{self.name}: FAILED after {len(self.checks)} checks: {error}\n")
        print(json.dumps(summary))
        sys.stdout.flush()
        raise SystemExit(0 if error is None else 1)


# -- shared helpers ---------------------------------------------------------------------------


def wire(value: Any) -> Any:
    """An enum member's wire value (``str()`` of a str-enum member is its name on Python 3.11+)."""
    return getattr(value, "value", value)


def wait_operation(wf: "Workflow", operation_id: str, what: str) -> Any:
    """Poll ``ingestion.get_operation`` until the operation is done; check that it succeeded."""
    deadline = time.monotonic() + LRO_TIMEOUT
    operation = wf.client.ingestion.get_operation(operation_id)
    while wire(operation.status) not in ("Succeeded", "Failed", "Canceled") and time.monotonic() < deadline:
        time.sleep(POLL)
        operation = wf.client.ingestion.get_operation(operation_id)
    wf.equal(wire(operation.status), "Succeeded", f"{what}: operation succeeded")
    return operation


def ingest_demo(wf: "Workflow", demo: "Demo", collection_id: str) -> List[Any]:
    """Ingest the demo static catalog into a collection (an ingestion definition and a run, which
    copies the assets into the catalog's storage); returns the collection's items."""
    ingestion = wf.client.ingestion
    definition = ingestion.create(collection_id, {"importType": "StaticCatalog", "sourceCatalogUrl": demo.catalog_url})
    run = ingestion.create_run(collection_id, definition.id)
    wait_operation(wf, run.operation.id, "ingest the demo catalog")
    items = wf.client.stac.get_item_collection(collection_id, limit=100).features
    wf.equal(ids(items), sorted(item["id"] for item in demo.items), "ingest the demo catalog: every item")
    wf.info.setdefault("ingestions", []).append(definition.id)
    return sorted(items, key=lambda item: item["id"])


def read_all(stream: Iterable[bytes]) -> bytes:
    """All bytes of a binary response (an iterator of chunks in both packages)."""
    return b"".join(stream)


def png_size(data: bytes) -> Optional[tuple]:
    """(width, height) of a PNG, or None when ``data`` is not one."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def make_png(width: int = 4, height: int = 4, rgb: tuple = (30, 120, 200)) -> bytes:
    """A small valid PNG (no imaging library needed)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b"")


def download(url: str, timeout: float = 30) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback emulator)
        return response.read()


def next_token(page: Any) -> Optional[str]:
    """The ``token`` of a page's ``rel=next`` link (STAC item paging), else None."""
    for link in page.get("links") or []:
        if link.get("rel") == "next":
            values = parse_qs(urlparse(link.get("href", "")).query).get("token")
            if values:
                return values[0]
            body = link.get("body") or {}
            if body.get("token"):
                return str(body["token"])
    return None


def ids(features: Iterable[Any]) -> List[str]:
    return sorted(feature["id"] for feature in features)


def cog_asset_key(item: Dict[str, Any]) -> str:
    """The key of an item's first GeoTIFF asset."""
    for key, asset in item["assets"].items():
        if "tiff" in (asset.get("type") or "") or asset["href"].lower().endswith((".tif", ".tiff")):
            return key
    raise KeyError(f"item {item['id']} has no GeoTIFF asset")


def render_kwargs(item: Dict[str, Any], key: str) -> Dict[str, Any]:
    """Tiler keywords that render ``key`` as an 8-bit image (both packages' keyword names)."""
    asset = item["assets"][key]
    bands = asset.get("raster:bands") or asset.get("eo:bands") or []
    kwargs: Dict[str, Any] = {"assets": [key]}
    if len(bands) >= 3:
        kwargs["asset_band_indices"] = [f"{key}|1,2,3"]
    dtypes = {band.get("data_type") for band in bands if isinstance(band, dict)} - {None}
    if dtypes and dtypes != {"uint8"}:
        stats = [band.get("statistics") or {} for band in bands if isinstance(band, dict)]
        low = min((s.get("minimum", 0) for s in stats), default=0)
        high = max((s.get("maximum", 255) for s in stats), default=255)
        kwargs["rescale"] = [f"{low},{high}"]
    return kwargs


def tile_for(bbox: List[float], min_zoom: Optional[int] = None, max_zoom: Optional[int] = None) -> tuple:
    """(z, x, y) of the WebMercatorQuad tile at the centre of ``bbox``, at the zoom where a tile is
    about the size of the bbox (so the data fills much of it), kept within ``min_zoom``..``max_zoom``."""
    west, south, east, north = bbox[:4]
    span = max(east - west, north - south, 1e-9)
    zoom = max(0, min(22, int(math.log2(360.0 / span))))
    if min_zoom is not None:
        zoom = max(zoom, min_zoom)
    if max_zoom is not None:
        zoom = min(zoom, max_zoom)
    lon, lat = (west + east) / 2, max(min((south + north) / 2, 85.05112878), -85.05112878)
    n = 2**zoom
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return zoom, min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def collection_body(collection_id: str, title: str, bbox: List[float], interval: List[Any]) -> Dict[str, Any]:
    """A minimal valid STAC collection (wire JSON)."""
    return {
        "type": "Collection",
        "stac_version": "1.0.0",
        "id": collection_id,
        "title": title,
        "description": f"Conformance workflow collection {collection_id}",
        "license": "CC-BY-4.0",
        "links": [],
        "extent": {"spatial": {"bbox": [bbox]}, "temporal": {"interval": [interval]}},
    }


# -- the demo static catalog ------------------------------------------------------------------


class Demo:
    """The demo static catalog under ``<workdir>/demo`` (made by ``geocatalog_emulator.demo``).

    The test harness writes it there before running a workflow; run by hand, a workflow makes it
    with ``geocatalog_emulator.demo.make_demo`` when that package is importable.
    """

    def __init__(self, workdir: Path) -> None:
        self.folder = workdir / "demo"
        catalog = self.folder / "catalog.json"
        if not catalog.is_file():
            catalog = self._make()
        self.catalog_path = catalog
        self.collections: List[Dict[str, Any]] = []
        self.items: List[Dict[str, Any]] = []
        self._walk(catalog, set())

    def _make(self) -> Path:
        try:
            from geocatalog_emulator.demo import make_demo  # type: ignore[import-not-found]
        except ImportError:
            raise RuntimeError(
                f"No demo catalog at {self.folder / 'catalog.json'}: create it with "
                f"'python -m geocatalog_emulator.demo {self.folder}'"
            ) from None
        return Path(make_demo(self.folder))

    @property
    def catalog_url(self) -> str:
        return self.catalog_path.as_uri()

    def _walk(self, path: Path, seen: set) -> None:
        path = path.resolve()
        if path in seen:
            return
        seen.add(path)
        doc = json.loads(path.read_text())
        if doc.get("type") == "Feature":
            self.items.append(self._absolute(doc, path))
            return
        if doc.get("type") == "Collection":
            self.collections.append(doc)
        for link in doc.get("links", []):
            if link.get("rel") in ("child", "item") and "://" not in link["href"]:
                self._walk(path.parent / link["href"], seen)

    @staticmethod
    def _absolute(item: Dict[str, Any], path: Path) -> Dict[str, Any]:
        """The item with asset hrefs as absolute file URIs, and where each asset's file is."""
        for asset in item.get("assets", {}).values():
            href = asset["href"]
            if "://" not in href:
                local = (path.parent / href).resolve()
                asset["href"] = local.as_uri()
        item["links"] = [
            link for link in item.get("links", []) if link.get("rel") not in ("parent", "root", "collection")
        ]
        return item

    def item(self, item_id: str) -> Dict[str, Any]:
        for item in self.items:
            if item["id"] == item_id:
                return json.loads(json.dumps(item))
        raise KeyError(item_id)

    def local_file(self, item: Dict[str, Any], asset_key: str) -> Path:
        """The demo file behind an item's asset (by the demo item of the same id)."""
        href = self.item(item["id"])["assets"][asset_key]["href"]
        return Path(urllib.request.url2pathname(urlparse(href).path))
