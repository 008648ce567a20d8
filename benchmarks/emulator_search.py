"""How fast the GeoCatalog emulator answers searches at scale (its search runs in SQL).

Builds a data folder with a 100,000-item collection and a 10,000-item one (written straight into
the emulator's store, which indexes them as the API would), starts the emulator on it and times,
over HTTP on loopback with one kept-alive connection:

- a filtered page: 100 items of the 100,000 (collection + bbox + datetime), POST /stac/search;
- the same through GET with a CQL2 filter on a property;
- 500-item pages of the 10,000-item collection: the first page, and a page deep in it (its token);
- a collection's /items page of 500.

Run: ``python benchmarks/emulator_search.py`` (about half a minute; ``--items`` to change the size).
Prints the median and min-max of each, in milliseconds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import urlencode, urlsplit

from geocatalog_emulator import API_VERSION, Emulator
from geocatalog_emulator.storage import Store

BIG, SMALL = "big", "small"


def item(n: int, collection: str, rng: random.Random) -> Dict[str, Any]:
    lon, lat = rng.uniform(-170, 170), rng.uniform(-70, 70)
    day = 1 + n % 365
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": f"{collection}-{n:06d}",
        "collection": collection,
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[lon, lat], [lon + 0.2, lat], [lon + 0.2, lat + 0.2], [lon, lat + 0.2], [lon, lat]]],
        },
        "bbox": [lon, lat, lon + 0.2, lat + 0.2],
        "properties": {
            "datetime": f"2021-{1 + (day - 1) // 31 % 12:02d}-{1 + (day - 1) % 28:02d}T{n % 24:02d}:00:00Z",
            "eo:cloud_cover": rng.randrange(100),
            "platform": "sentinel-2a",
            "gsd": 10,
        },
        "assets": {"image": {"href": f"/blobs/{collection}/{n}/image.tif", "type": "image/tiff", "roles": ["data"]}},
        "links": [],
    }


def build(folder: Path, sizes: Dict[str, int]) -> None:
    rng = random.Random(12)
    store = Store(folder)
    for collection, count in sizes.items():
        store.put(
            "collection",
            "",
            collection,
            {
                "type": "Collection",
                "id": collection,
                "description": "bench",
                "license": "proprietary",
                "links": [],
                "stac_version": "1.0.0",
                "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]]}, "temporal": {"interval": [[None, None]]}},
            },
        )
        for start in range(0, count, 5000):
            batch = [item(n, collection, rng) for n in range(start, min(start + 5000, count))]
            assert store.insert_many("item", collection, [(doc["id"], doc) for doc in batch]) is None
    store.close()


class Client:
    """One kept-alive HTTP connection to the emulator."""

    def __init__(self, endpoint: str) -> None:
        parts = urlsplit(endpoint)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.headers = {"Authorization": "Bearer bench", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: Optional[Dict[str, Any]] = None, **query: str) -> Dict[str, Any]:
        target = f"{path}?{urlencode({'api-version': API_VERSION, **query})}"
        self.connection.request(method, target, json.dumps(body) if body is not None else None, self.headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:200]!r}")
        return json.loads(data)  # type: ignore[no-any-return]


def timed(call: Callable[[], Dict[str, Any]], repeat: int) -> Tuple[List[float], Dict[str, Any]]:
    call()  # warm up (SQLite page cache, imports)
    times, answer = [], {}
    for _ in range(repeat):
        start = time.perf_counter()
        answer = call()
        times.append((time.perf_counter() - start) * 1000)
    return times, answer


def report(name: str, times: List[float], answer: Dict[str, Any], target: str) -> None:
    count = len(answer.get("features", []))
    print(
        f"{name:<58} {statistics.median(times):7.1f} ms  ({min(times):.1f}-{max(times):.1f})  "
        f"{count:4d} items  target {target}"
    )


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000, help="items in the big collection (default 100000)")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each request (default 15)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="emulator-search-") as folder:
        start = time.perf_counter()
        build(Path(folder), {BIG: args.items, SMALL: 10_000})
        print(f"built {args.items:,} + 10,000 items in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        with Emulator(Path(folder)) as emulator:
            client = Client(emulator.endpoint)
            filtered = {
                "collections": [BIG],
                "bbox": [-60, -40, 60, 40],
                "datetime": "2021-03-01T00:00:00Z/2021-09-30T23:59:59Z",
                "limit": 100,
            }
            times, answer = timed(lambda: client.call("POST", "/stac/search", filtered), args.repeat)
            report(f"POST search: 100 of {args.items:,} (collection+bbox+datetime)", times, answer, "< 100 ms")
            cql = {"collections": BIG, "bbox": "-60,-40,60,40", "filter": "eo:cloud_cover < 50", "limit": "100"}
            times, answer = timed(lambda: client.call("GET", "/stac/search", **cql), args.repeat)
            report(f"GET search: 100 of {args.items:,} (bbox + CQL2 filter)", times, answer, "< 100 ms")

            first = {"collections": [SMALL], "limit": 500}
            times, answer = timed(lambda: client.call("POST", "/stac/search", first), args.repeat)
            report("POST search: first 500-item page of 10,000", times, answer, "tens of ms")
            page = answer
            for _ in range(15):  # walk to page 17 of 20 by the next links' tokens
                token = next(link["body"]["token"] for link in page["links"] if link["rel"] == "next")
                page = client.call("POST", "/stac/search", {**first, "token": token})
            token = next(link["body"]["token"] for link in page["links"] if link["rel"] == "next")
            deep = {**first, "token": token}
            times, answer = timed(lambda: client.call("POST", "/stac/search", deep), args.repeat)
            report("POST search: 500-item page 17 of 20 (its token)", times, answer, "tens of ms")
            times, answer = timed(
                lambda: client.call("GET", f"/stac/collections/{SMALL}/items", limit="500"), args.repeat
            )
            report("GET /collections/{id}/items: 500-item page of 10,000", times, answer, "tens of ms")
            client.connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
