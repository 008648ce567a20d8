"""Measurements at scale, against the emulator: what users' real work costs.

Run by ``benchmarks/run.py`` (which starts and seeds the emulators) through ``measures.py``:

    python benchmarks/measures.py search_pages <impl> --endpoint URL --runs N
    python benchmarks/measures.py iterate_memory <impl> --endpoint URL --runs N
    python benchmarks/measures.py bulk_ingest <impl> --endpoint URL --runs N
    python benchmarks/measures.py operation_wait <impl> --endpoint URL --runs N

Each prints one JSON summary like the other measures. ``impl`` names what a user would run:
``ours`` (sync) and ``ours_async``, ``official`` (1.0.0, in the benchmark virtualenv),
``pystac_client`` and ``floor`` (a bare HTTP loop that only moves the bytes).
"""

from __future__ import annotations

import asyncio
import gc
import http.client
import json
import re
import statistics
import time
import tracemalloc
import urllib.parse
import uuid
from typing import Any, Dict, List

API_VERSION = "2026-04-15"
SEARCH_COLLECTION = "scale-search"  # 10,000 Sentinel-2-like items
SEARCH_ITEMS = 10_000
SEARCH_PAGE = 500
MEMORY_COLLECTION = "scale-memory"  # 100,000 small items
MEMORY_ITEMS = 100_000
INGEST_ITEMS = 10_000
OFFICIAL_INGEST_SAMPLE = 200  # items the official one-operation-per-item way ingests per run
OFFICIAL_POLLING_INTERVAL = 0.1


def summary(values: List[float], unit: str, **extra: Any) -> Dict[str, Any]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "unit": unit, **extra}


# ----------------------------------------------------------------------------- data


def collection_document(collection_id: str) -> Dict[str, Any]:
    return {
        "id": collection_id,
        "type": "Collection",
        "stac_version": "1.0.0",
        "description": "benchmarks",
        "license": "CC0-1.0",
        "links": [],
        "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]]}, "temporal": {"interval": [[None, None]]}},
    }


def small_item(collection_id: str, i: int, *, assets: bool = True) -> Dict[str, Any]:
    """About 700 bytes of JSON: an item with two assets, spread over the globe and over a year.

    Without ``assets`` it has none: ingestion copies every asset into the catalog's storage, and
    these hrefs point nowhere.
    """
    lon, lat = (i * 37) % 360 - 180 + 0.5, (i * 13) % 170 - 85 + 0.5
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": f"item-{i:06d}",
        "collection": collection_id,
        "bbox": [lon - 0.5, lat - 0.5, lon + 0.5, lat + 0.5],
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [
                    [lon - 0.5, lat - 0.5],
                    [lon + 0.5, lat - 0.5],
                    [lon + 0.5, lat + 0.5],
                    [lon - 0.5, lat + 0.5],
                    [lon - 0.5, lat - 0.5],
                ]
            ],
        },
        "properties": {"datetime": f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}T10:00:00Z", "eo:cloud_cover": i % 100},
        "links": [],
        "assets": {}
        if not assets
        else {
            "visual": {
                "href": f"https://example.blob.core.windows.net/c/{i}/visual.tif",
                "type": "image/tiff",
                "roles": ["data"],
            },
            "thumbnail": {
                "href": f"https://example.blob.core.windows.net/c/{i}/thumb.png",
                "type": "image/png",
                "roles": ["thumbnail"],
            },
        },
    }


def seed(store: Any, collection_id: str, items: List[Dict[str, Any]]) -> None:
    """Write a collection and its items straight into an emulator's store (no HTTP, no operations)."""
    store.put("collection", "", collection_id, collection_document(collection_id))
    for start in range(0, len(items), 5000):
        clash = store.insert_many("item", collection_id, [(item["id"], item) for item in items[start : start + 5000]])
        assert clash is None, clash


def search_items() -> List[Dict[str, Any]]:
    from page import make_page

    features = json.loads(make_page(SEARCH_ITEMS))["features"]
    for i, feature in enumerate(features):
        feature["id"] = f"S2-{i:06d}"
        feature["collection"] = SEARCH_COLLECTION
    return features


# ----------------------------------------------------------------------------- clients


class _Credential:
    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        from azure.core.credentials import AccessToken

        return AccessToken("bench", 4102444800)


class _AsyncCredential:
    async def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        return _Credential().get_token()

    async def close(self) -> None:
        pass


def _static_auth() -> Any:
    """The official package refuses bearer tokens over http; both SDKs get the same header this way."""
    from azure.core.pipeline.policies import SansIOHTTPPolicy

    class StaticAuth(SansIOHTTPPolicy):  # type: ignore[type-arg]
        def on_request(self, request: Any) -> None:
            request.http_request.headers["Authorization"] = "Bearer bench"

    return StaticAuth()


def _client(endpoint: str, **kwargs: Any) -> Any:
    from azure.planetarycomputer import PlanetaryComputerProClient

    return PlanetaryComputerProClient(endpoint, _Credential(), authentication_policy=_static_auth(), **kwargs)


# ----------------------------------------------------------------------------- (8) search across pages


def _read_item(item: Any) -> int:
    return len(item.id) + sum(len(asset.href) for asset in item.assets.values())


def _floor(endpoint: str) -> int:
    """POST the search, then each next page's body with the token cut from the raw bytes; no JSON parsing."""
    parts = urllib.parse.urlsplit(endpoint)
    connection = http.client.HTTPConnection(parts.hostname, parts.port)
    headers = {"Authorization": "Bearer bench", "Content-Type": "application/json", "Accept": "application/json"}
    search = {"collections": [SEARCH_COLLECTION], "limit": SEARCH_PAGE}
    body = json.dumps(search)
    pages = 0
    token_pattern = re.compile(rb'"token"\s*:\s*"([^"]+)"')
    while True:
        connection.request("POST", f"/stac/search?api-version={API_VERSION}", body, headers)
        response = connection.getresponse()
        payload = response.read()
        assert response.status == 200, payload[:300]
        pages += 1
        found = token_pattern.search(payload)
        if not found:
            return pages
        body = json.dumps({**search, "token": found.group(1).decode()})


def measure_search_pages(impl: str, runs: int, endpoint: str) -> Dict[str, Any]:
    """Read every item of a 10,000-item search in pages of 500 over a link with added latency; seconds."""

    def ours() -> int:
        client = _client(endpoint)
        n = 0
        for item in client.stac.item_search(collections=[SEARCH_COLLECTION], page_size=SEARCH_PAGE):
            n += _read_item(item) and 1
        return n

    def ours_async() -> int:
        from azure.planetarycomputer.aio import PlanetaryComputerProClient

        async def run() -> int:
            client = PlanetaryComputerProClient(endpoint, _AsyncCredential(), authentication_policy=_static_auth())
            n = 0
            async with client:
                async for item in client.stac.item_search(collections=[SEARCH_COLLECTION], page_size=SEARCH_PAGE):
                    n += _read_item(item) and 1
            return n

        return asyncio.run(run())

    def pystac_client() -> int:
        from pystac_client import Client

        catalog = Client.open(
            f"{endpoint}/stac", headers={"Authorization": "Bearer bench"}, parameters={"api-version": API_VERSION}
        )
        n = 0
        search = catalog.search(collections=[SEARCH_COLLECTION], limit=SEARCH_PAGE, method="POST")
        for item in search.items():
            n += len(item.id) + sum(len(asset.href) for asset in item.assets.values()) and 1
        return n

    def floor() -> int:
        return _floor(endpoint)

    run = {"ours": ours, "ours_async": ours_async, "pystac_client": pystac_client, "floor": floor}[impl]
    expected = -(-SEARCH_ITEMS // SEARCH_PAGE) if impl == "floor" else SEARCH_ITEMS
    times = []
    for i in range(runs + 1):
        gc.collect()
        start = time.perf_counter()
        count = run()
        elapsed = time.perf_counter() - start
        assert count in (expected, expected + 1), f"{impl} read {count}, expected {expected}"
        if i:  # the first run warms caches and the emulator
            times.append(elapsed)
    return summary(times, "s")


# ----------------------------------------------------------------------------- (9) memory while iterating


def measure_iterate_memory(impl: str, runs: int, endpoint: str) -> Dict[str, Any]:
    """Peak memory (tracemalloc) while reading 100,000 items from ``item_search``, next to one page's."""
    client = _client(endpoint)
    page = client.stac.search({"collections": [MEMORY_COLLECTION], "limit": SEARCH_PAGE})  # imports, caches
    del page
    gc.collect()
    tracemalloc.start()
    page = client.stac.search({"collections": [MEMORY_COLLECTION], "limit": SEARCH_PAGE})
    page_mib = tracemalloc.get_traced_memory()[0] / 2**20
    del page
    tracemalloc.stop()
    peaks = []
    for _ in range(runs):
        gc.collect()
        tracemalloc.start()
        n = 0
        for item in client.stac.item_search(collections=[MEMORY_COLLECTION], page_size=SEARCH_PAGE):
            n += 1 if item.id else 0
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        assert n == MEMORY_ITEMS, n
        peaks.append(peak)
    return summary(peaks, "MiB", page_mib=round(page_mib, 2), pages_held=round(statistics.median(peaks) / page_mib, 2))


# ----------------------------------------------------------------------------- (10) bulk ingestion


def _new_collection(client: Any) -> str:
    collection_id = f"ingest-{uuid.uuid4().hex[:8]}"
    client.stac.begin_create_collection(collection_document(collection_id), polling_interval=0.05).result()
    return collection_id


def _count(client: Any, collection_id: str) -> int:
    if hasattr(client.stac, "item_search"):
        return sum(1 for _ in client.stac.item_search(collections=[collection_id], page_size=1000))
    # The official package pages by hand; its runs ingest fewer items than one page holds.
    return len(client.stac.get_item_collection(collection_id, limit=1000).features)


def measure_bulk_ingest(impl: str, runs: int, endpoint: str) -> Dict[str, Any]:
    """Items per second stored (operations finished), and every item present afterwards."""
    client = _client(endpoint)
    rates = []
    for _ in range(runs):
        collection_id = _new_collection(client)
        total = INGEST_ITEMS if impl == "ours" else OFFICIAL_INGEST_SAMPLE
        items = [small_item(collection_id, i, assets=False) for i in range(total)]
        start = time.perf_counter()
        if impl == "ours":
            client.ingestion.ingest_items(collection_id, items)
        else:
            # What 1.0.0's samples do: one long-running operation per item, waited on; with a short
            # polling_interval, since its default (30 s before the first poll, row 11) would make
            # every item take half a minute.
            for item in items:
                client.stac.begin_create_item(collection_id, item, polling_interval=OFFICIAL_POLLING_INTERVAL).result()
        rates.append(total / (time.perf_counter() - start))
        assert _count(client, collection_id) == total
        client.stac.begin_delete_collection(collection_id, polling_interval=0.05).result()
    return summary(rates, "items/s", items=total)


# ----------------------------------------------------------------------------- (11) operations finish when the work does


def measure_operation_wait(impl: str, runs: int, endpoint: str) -> Dict[str, Any]:
    """Seconds for ``begin_create_collection(...).result()`` with no ``polling_interval``."""
    client = _client(endpoint)
    times = []
    for _ in range(runs):
        collection_id = f"wait-{uuid.uuid4().hex[:8]}"
        start = time.perf_counter()
        client.stac.begin_create_collection(collection_document(collection_id)).result()
        times.append(time.perf_counter() - start)
        client.stac.begin_delete_collection(collection_id, polling_interval=0.05).result()
    return summary(times, "s")
