"""Read a 1,000-item search page: our client vs the official package vs bare json.loads.

    python benchmarks/search_page.py                     # ours + json baseline
    python benchmarks/search_page.py --official PYTHON   # also run under another interpreter
                                                         # that has the official package installed

Each figure is the median of --runs runs (min and max beside it): one `stac.search` call over
an in-memory transport returning the page, then reading every item's id, datetime, bbox and
every asset href. The page: 1,000 Sentinel-2-like items, 16 assets each, extension fields.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable, Dict, List

ROOT = Path(__file__).resolve().parents[1]
BANDS = [
    "B01",
    "B02",
    "B03",
    "B04",
    "B05",
    "B06",
    "B07",
    "B08",
    "B8A",
    "B09",
    "B11",
    "B12",
    "AOT",
    "SCL",
    "WVP",
    "visual",
]


def make_page(n: int = 1000) -> bytes:
    features = []
    for i in range(n):
        item_id = f"S2B_MSIL2A_20240501T101559_R065_T32TQM_{i:05d}"
        assets = {
            band: {
                "href": f"https://sentinel2l2a01.blob.core.windows.net/sentinel2-l2/32/T/QM/2024/05/01/{item_id}/{band}.tif",
                "type": "image/tiff; application=geotiff; profile=cloud-optimized",
                "roles": ["data"],
                "title": f"Band {band}",
                "gsd": 10.0,
                "eo:bands": [{"name": band, "common_name": "red", "center_wavelength": 0.665}],
                "proj:shape": [10980, 10980],
                "proj:transform": [10.0, 0.0, 699960.0, 0.0, -10.0, 5000040.0],
                "raster:bands": [{"nodata": 0, "data_type": "uint16", "spatial_resolution": 10}],
            }
            for band in BANDS
        }
        features.append(
            {
                "type": "Feature",
                "stac_version": "1.0.0",
                "id": item_id,
                "collection": "sentinel-2-l2a",
                "bbox": [11.6, 44.1, 13.0, 45.1],
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[11.6, 44.1], [13.0, 44.1], [13.0, 45.1], [11.6, 45.1], [11.6, 44.1]]],
                },
                "properties": {
                    "datetime": f"2024-05-01T10:{i % 60:02d}:59.024000Z",
                    "platform": "Sentinel-2B",
                    "instruments": ["msi"],
                    "eo:cloud_cover": (i * 7) % 100 + 0.5,
                    "proj:epsg": 32632,
                    "s2:mgrs_tile": "32TQM",
                    "s2:processing_baseline": "05.10",
                    "sat:orbit_state": "descending",
                    "sat:relative_orbit": 65,
                },
                "links": [
                    {
                        "rel": "collection",
                        "type": "application/json",
                        "href": "https://x/stac/collections/sentinel-2-l2a",
                    },
                    {
                        "rel": "self",
                        "type": "application/geo+json",
                        "href": f"https://x/stac/collections/sentinel-2-l2a/items/{item_id}",
                    },
                ],
                "assets": assets,
                "stac_extensions": ["https://stac-extensions.github.io/eo/v1.1.0/schema.json"],
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features, "links": []}).encode()


def walk_dicts(page: Dict[str, Any]) -> int:
    n = 0
    for f in page["features"]:
        n += len(f["id"]) + len(f["properties"]["datetime"]) + len(f["bbox"])
        n += sum(len(a["href"]) for a in f["assets"].values())
    return n


def walk_models(page: Any) -> int:
    n = 0
    for item in page.features:
        n += len(item.id) + len(item.properties.date_time) + len(item.bounding_box)
        n += sum(len(a.href) for a in item.assets.values())
    return n


def timed(fn: Callable[[], Any], runs: int) -> Dict[str, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def peak_kib(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    kept = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return peak / 1024


def measure_client(data: bytes, runs: int) -> Dict[str, Any]:
    """Time search + walk with whichever azure.planetarycomputer this interpreter imports."""
    sys.path.append(str(ROOT))  # appended: an installed azure.planetarycomputer wins over this checkout
    from azure.core.credentials import AccessToken

    from azure.planetarycomputer import PlanetaryComputerProClient
    from tests.fakes import FakeTransport, Reply

    class Cred:
        def get_token(self, *a: Any, **k: Any) -> AccessToken:
            return AccessToken("t", 4102444800)

    client = PlanetaryComputerProClient(
        "https://x.geocatalog.spatio.azure.com",
        Cred(),
        transport=FakeTransport(lambda r: Reply(200, data, {"Content-Type": "application/json"})),
    )

    def run() -> Any:
        page = client.stac.search({"collections": ["sentinel-2-l2a"], "limit": 1000})
        walk_models(page)
        return page

    import azure.planetarycomputer as pkg

    return {"where": str(Path(pkg.__file__).parent), "time_ms": timed(run, runs), "peak_kib": peak_kib(run)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--official", help="python interpreter with the official package installed")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    data = make_page()
    if args.child:
        print(json.dumps(measure_client(data, args.runs)))
        return
    rows: List[Any] = []
    baseline = timed(lambda: walk_dicts(json.loads(data)), args.runs)
    rows.append(("json.loads + dict walk", baseline, peak_kib(lambda: json.loads(data))))
    ours = measure_client(data, args.runs)
    rows.append(("ours: stac.search + attribute walk", ours["time_ms"], ours["peak_kib"]))
    if args.official:
        out = subprocess.run(
            [args.official, __file__, "--child", "--runs", str(args.runs)], capture_output=True, text=True, check=True
        )
        official = json.loads(out.stdout)
        rows.append(("official: stac.search + attribute walk", official["time_ms"], official["peak_kib"]))
    print(f"page: {len(data) / 1e6:.1f} MB, 1,000 items x 16 assets; {args.runs} runs")
    print(f"{'what':42} {'median ms':>10} {'min':>8} {'max':>8} {'peak MiB':>9} {'vs json':>8}")
    for name, t, peak in rows:
        print(
            f"{name:42} {t['median']:10.1f} {t['min']:8.1f} {t['max']:8.1f} {peak / 1024:9.1f} {t['median'] / baseline['median']:7.2f}x"
        )


if __name__ == "__main__":
    main()
