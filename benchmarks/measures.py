"""One measurement, run in whichever interpreter executes this file.

    python benchmarks/measures.py <measure> <impl> [--runs N] [--endpoint URL]

Prints one JSON object: {"median": ..., "min": ..., "max": ..., "unit": ...}. ``impl`` is
``ours`` / ``official`` (whichever ``azure.planetarycomputer`` this interpreter imports: the
benchmark runner calls it with the project's interpreter for ours and with its own virtualenv's
for the official package), ``pystac`` or ``json``. The repository root is appended to ``sys.path``
only for ``tests.fakes`` (an in-memory transport); an installed ``azure.planetarycomputer`` wins.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable, Dict, List

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))
sys.path.append(str(Path(__file__).resolve().parent))

import scale  # noqa: E402
from page import make_items, make_page  # noqa: E402

ENDPOINT = "https://bench.geocatalog.spatio.azure.com"


def summary(values: List[float], unit: str, **extra: Any) -> Dict[str, Any]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "unit": unit, **extra}


def timed(fn: Callable[[], Any], runs: int) -> List[float]:
    fn()  # warm-up: imports, caches
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


class _Credential:
    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        from azure.core.credentials import AccessToken

        return AccessToken("bench", 4102444800)


def _client(payload: bytes) -> Any:
    from azure.planetarycomputer import PlanetaryComputerProClient
    from tests.fakes import FakeTransport, Reply

    reply = Reply(200, payload, {"Content-Type": "application/json"})
    return PlanetaryComputerProClient(ENDPOINT, _Credential(), transport=FakeTransport(lambda request: reply))


def _walk_models(page: Any) -> int:
    n = 0
    for item in page.features:
        n += len(item.id) + len(item.properties.date_time) + len(item.bounding_box)
        n += sum(len(asset.href) for asset in item.assets.values())
    return n


def _walk_pystac(collection: Any) -> int:
    n = 0
    for item in collection.items:
        n += len(item.id) + len(str(item.datetime)) + len(item.bbox)
        n += sum(len(asset.href) for asset in item.assets.values())
    return n


def _walk_dicts(page: Dict[str, Any]) -> int:
    n = 0
    for f in page["features"]:
        n += len(f["id"]) + len(f["properties"]["datetime"]) + len(f["bbox"])
        n += sum(len(a["href"]) for a in f["assets"].values())
    return n


def _read_page(impl: str, payload: bytes) -> Callable[[], Any]:
    """A function that reads the page the way ``impl`` would, returning what it keeps."""
    if impl == "json":
        return lambda: (_walk_dicts(page := json.loads(payload)), page)[1]
    if impl == "pystac":
        from pystac import ItemCollection

        def read() -> Any:
            collection = ItemCollection.from_dict(json.loads(payload), preserve_dict=False)
            _walk_pystac(collection)
            return collection

        return read
    client = _client(payload)

    def search() -> Any:
        page = client.stac.search({"collections": ["sentinel-2-l2a"], "limit": 1000})
        _walk_models(page)
        return page

    return search


def measure_search_page(impl: str, runs: int) -> Dict[str, Any]:
    payload = make_page()
    return summary(timed(_read_page(impl, payload), runs), "ms", page_mb=round(len(payload) / 1e6, 1))


def measure_page_memory(impl: str, runs: int) -> Dict[str, Any]:
    payload = make_page()
    read = _read_page(impl, payload)
    read()  # imports and caches outside the measurement
    peaks = []
    for _ in range(runs):
        gc.collect()
        tracemalloc.start()
        kept = read()
        current, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del kept
        peaks.append(current / 2**20)  # what the page holds once read
    return summary(peaks, "MiB")


def measure_call_overhead(impl: str, runs: int) -> Dict[str, Any]:
    collection = json.dumps(
        {
            "id": "c",
            "type": "Collection",
            "description": "d",
            "license": "l",
            "links": [],
            "extent": {"spatial": {"bbox": [[0, 0, 1, 1]]}, "temporal": {"interval": [[None, None]]}},
        }
    ).encode()
    client = _client(collection)
    calls = 2000

    def run() -> None:
        for _ in range(calls):
            client.stac.get_collection("c")

    return summary([t * 1000 / calls for t in timed(run, runs)], "µs/call")


def measure_build_serialize(impl: str, runs: int) -> Dict[str, Any]:
    from azure.planetarycomputer import models

    def run() -> None:
        for item in make_items(models, 1000):
            json.dumps(item.as_dict())

    return summary(timed(run, runs), "ms")


def measure_concurrent_get_item(impl: str, runs: int, endpoint: str) -> Dict[str, Any]:
    """1,000 get_item calls, 32 at a time, async client, against the emulator; items per second."""
    from azure.core.pipeline.policies import SansIOHTTPPolicy

    from azure.planetarycomputer.aio import PlanetaryComputerProClient

    class StaticAuth(SansIOHTTPPolicy):  # type: ignore[type-arg]
        # The official package refuses bearer tokens over http; both SDKs get the same header this way.
        def on_request(self, request: Any) -> None:
            request.http_request.headers["Authorization"] = "Bearer bench"

    class Credential:
        async def get_token(self, *scopes: str, **kwargs: Any) -> Any:
            from azure.core.credentials import AccessToken

            return AccessToken("bench", 4102444800)

    async def run_once() -> float:
        client = PlanetaryComputerProClient(endpoint, Credential(), authentication_policy=StaticAuth(), retry_total=0)
        semaphore = asyncio.Semaphore(32)

        async def one(i: int) -> None:
            async with semaphore:
                item = await client.stac.get_item("bench", f"item-{i % 50}")
                assert item.id == f"item-{i % 50}"

        async with client:
            await one(0)  # open the connection pool outside the measurement
            start = time.perf_counter()
            await asyncio.gather(*(one(i) for i in range(1000)))
            return 1000 / (time.perf_counter() - start)

    values = [asyncio.run(run_once()) for _ in range(runs)]
    return summary(values, "items/s")


def measure_download(impl: str, runs: int, item_path: str) -> Dict[str, Any]:
    """Download every asset of one item (pre-signed hrefs) with 8 at a time; MB per second."""
    import shutil
    import tempfile

    item = json.loads(Path(item_path).read_text())
    total = sum(int(a["file:size"]) for a in item["assets"].values())

    def run_once() -> float:
        target = Path(tempfile.mkdtemp(prefix="bench-download-"))
        try:
            start = time.perf_counter()
            if impl == "stac_asset":
                import pystac
                import stac_asset

                asyncio.run(stac_asset.download_item(pystac.Item.from_dict(item), target, max_concurrent_downloads=8))
            else:
                from azure.planetarycomputer import download_item

                download_item(item, target, max_concurrency=8, write_item=False)
            elapsed = time.perf_counter() - start
            assert sum(f.stat().st_size for f in target.iterdir() if f.is_file()) >= total
            return total / 1e6 / elapsed
        finally:
            shutil.rmtree(target, ignore_errors=True)

    run_once()  # warm-up: connections, page cache
    return summary([run_once() for _ in range(runs)], "MB/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("measure")
    parser.add_argument(
        "impl", choices=["ours", "ours_async", "official", "pystac", "pystac_client", "json", "floor", "stac_asset"]
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--endpoint")
    args = parser.parse_args()
    name = f"measure_{args.measure}"
    measure = globals().get(name) or getattr(scale, name)
    result = measure(args.impl, args.runs, args.endpoint) if args.endpoint else measure(args.impl, args.runs)
    if args.impl in ("ours", "ours_async", "official"):
        import azure.planetarycomputer as package

        result["package"] = str(Path(package.__file__).parent)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
