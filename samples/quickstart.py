"""Quickstart: a GeoCatalog workflow from end to end.

Creates a collection, ingests a static STAC catalog into it (an ingestion definition and a run),
searches it by bbox, datetime and CQL2, signs and downloads an asset, renders a map tile to a PNG
file, then deletes everything it created.

    python samples/quickstart.py [--out DIR]

Where it runs:

* ``PLANETARYCOMPUTER_ENDPOINT`` set: against that GeoCatalog, signed in with
  ``DefaultAzureCredential`` (``pip install azure-identity``; e.g. after ``az login``). It ingests
  ``PLANETARYCOMPUTER_CATALOG_URL``, a static catalog your GeoCatalog can read (default: the NAIP
  sample the service's own examples use). A catalog in a private Azure Blob container needs an
  ingestion source for that container first (``client.ingestion.create_source``).
* otherwise: against a local GeoCatalog emulator started here (``pip install -e ".[emulator]"``),
  in a temporary folder, with the emulator's demo catalog (real Cloud-Optimized GeoTIFFs).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential

SAMPLE_CATALOG = "https://raw.githubusercontent.com/aloverro/mpcpro-sample-datasets/main/datasets/planetary_computer/naip/catalog.json"


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


@contextlib.contextmanager
def connect() -> Iterator[Tuple[PlanetaryComputerProClient, str, float]]:
    """A client, the URL of the static catalog to ingest, and seconds between status checks."""
    endpoint = os.environ.get("PLANETARYCOMPUTER_ENDPOINT")
    if endpoint:
        from azure.identity import DefaultAzureCredential

        print(f"GeoCatalog: {endpoint} (DefaultAzureCredential)")
        with DefaultAzureCredential() as credential:
            yield (
                PlanetaryComputerProClient(endpoint, credential, polling_interval=2),
                os.environ.get("PLANETARYCOMPUTER_CATALOG_URL", SAMPLE_CATALOG),
                5.0,
            )
        return
    try:
        from geocatalog_emulator import Emulator
        from geocatalog_emulator.demo import make_demo
    except ImportError:
        sys.exit(
            'PLANETARYCOMPUTER_ENDPOINT is not set and the emulator is not installed: pip install -e ".[emulator]"'
        )
    with tempfile.TemporaryDirectory(prefix="quickstart-") as folder, Emulator(Path(folder) / "geocatalog") as emulator:
        print(f"PLANETARYCOMPUTER_ENDPOINT is not set: started a local GeoCatalog emulator at {emulator.endpoint}")
        catalog = make_demo(Path(folder) / "demo")
        print(f"Demo catalog: {catalog}")
        # The emulator accepts any bearer token; StaticTokenCredential sends one (never use it with Azure).
        client = PlanetaryComputerProClient(emulator.endpoint, StaticTokenCredential(), polling_interval=0.1)
        yield client, catalog.as_uri(), 0.1


def new_collection(collection_id: str) -> Dict[str, Any]:
    return {
        "type": "Collection",
        "stac_version": "1.0.0",
        "id": collection_id,
        "title": "Quickstart",
        "description": "A collection made by samples/quickstart.py; it deletes it at the end.",
        "license": "CC-BY-4.0",
        "links": [],
        "extent": {
            "spatial": {"bbox": [[-180.0, -90.0, 180.0, 90.0]]},
            "temporal": {"interval": [["2000-01-01T00:00:00Z", None]]},
        },
    }


def wait_for_operation(
    client: PlanetaryComputerProClient, operation_id: str, poll: float, timeout: float = 1800
) -> Any:
    deadline = time.monotonic() + timeout
    last = None
    while True:
        operation = client.ingestion.get_operation(operation_id)
        status = getattr(operation.status, "value", operation.status)  # an enum member's wire value
        if status != last:
            print(f"   operation {operation_id}: {status}")
            last = status
        if status in ("Succeeded", "Failed", "Canceled"):
            return operation
        if time.monotonic() > deadline:
            raise TimeoutError(f"operation {operation_id} still {status} after {timeout:.0f} s")
        time.sleep(poll)


def image_asset(item: Any) -> str:
    """The key of the item's first GeoTIFF asset (else its first asset)."""
    for key, asset in item.assets.items():
        if "tiff" in (asset.type or "") or asset.href.split("?")[0].lower().endswith((".tif", ".tiff")):
            return key
    return next(iter(item.assets))


def tile_of(bbox: List[float]) -> Tuple[int, int, int]:
    """The WebMercatorQuad tile (z, x, y) at the centre of ``bbox``, at the zoom where a tile is about its size."""
    west, south, east, north = bbox[:4]
    span = max(east - west, north - south, 1e-9)
    z = max(0, min(18, int(math.log2(360.0 / span))))
    lon, lat = (west + east) / 2, max(min((south + north) / 2, 85.0511), -85.0511)
    n = 2**z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return z, min(x, n - 1), min(y, n - 1)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("."), help="folder for the tile PNG (default: here)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    with connect() as (client, catalog_url, poll):
        collection_id = f"quickstart-{uuid.uuid4().hex[:8]}"
        ingestion_id: Optional[str] = None
        try:
            step(f"Create collection {collection_id}")
            client.stac.begin_create_collection(new_collection(collection_id)).result()
            print(f"   created: {client.stac.get_collection(collection_id).title!r}")

            step(f"Ingest the static catalog {catalog_url}")
            definition = client.ingestion.create(
                collection_id,
                {"importType": "StaticCatalog", "displayName": "quickstart", "sourceCatalogUrl": catalog_url},
            )
            ingestion_id = definition.id
            run = client.ingestion.create_run(collection_id, ingestion_id)
            print(f"   ingestion {ingestion_id}, run {run.id}")
            operation = wait_for_operation(client, run.operation.id, poll)
            run = client.ingestion.get_run(collection_id, ingestion_id, run.id)
            counts = run.operation
            print(
                f"   {counts.total_successful_items} of {counts.total_items} items ingested, "
                f"{counts.total_failed_items} failed"
            )
            if operation.status != "Succeeded" and not counts.total_successful_items:
                raise RuntimeError(f"the ingestion run ended {operation.status}: {operation.error}")

            step("Search")
            items = client.stac.get_item_collection(collection_id, limit=100).features
            print(f"   {len(items)} items in the collection: {', '.join(sorted(item.id for item in items))}")
            first = items[0]
            first_json = first.as_dict()
            bbox = list(first.bounding_box)
            by_bbox = client.stac.search({"collections": [collection_id], "bbox": bbox})
            print(f"   bbox {bbox}: {len(by_bbox.features)} items")
            when = first.properties["datetime"]
            by_time = client.stac.search({"collections": [collection_id], "datetime": f"{when}/.."})
            print(f"   datetime {when}/..: {len(by_time.features)} items")
            cql2_json = {"op": "s_intersects", "args": [{"property": "geometry"}, first_json["geometry"]]}
            by_cql2 = client.stac.search(
                {"collections": [collection_id], "filter": cql2_json, "filter-lang": "cql2-json"}
            )
            print(f"   CQL2 JSON s_intersects(geometry, first item): {len(by_cql2.features)} items")
            cql2_text = f"datetime <= TIMESTAMP('{when}')"
            by_text = client.stac.search(
                {"collections": [collection_id], "filter": cql2_text, "filter-lang": "cql2-text"}
            )
            print(f"   CQL2 text {cql2_text}: {len(by_text.features)} items")

            step(f"Sign and download an asset of {first.id}")
            key = image_asset(first)
            href = client.stac.get_item(collection_id, first.id).assets[key].href
            signed = client.sas.get_url(href=href, duration_in_minutes=60)
            with urllib.request.urlopen(signed.href, timeout=60) as response:
                data = response.read()
            print(f"   asset {key!r}: {len(data)} bytes (signed URL valid until {signed.expires_on})")

            step("Render a map tile")
            asset = first_json["assets"][key]
            bands = asset.get("eo:bands") or asset.get("raster:bands") or []
            options: Dict[str, Any] = {"assets": [key]}
            if len(bands) >= 3:
                options["asset_band_indices"] = [f"{key}|1,2,3"]
            z, x, y = tile_of(bbox)
            tile = b"".join(
                client.data.get_tile_by_scale_and_format(
                    collection_id, first.id, "WebMercatorQuad", z, x, y, 1, "png", **options
                )
            )
            path = args.out / "quickstart-tile.png"
            path.write_bytes(tile)
            print(f"   tile {z}/{x}/{y}: {len(tile)} bytes -> {path}")
        finally:
            step("Clean up")
            if ingestion_id is not None:
                try:
                    client.ingestion.begin_delete(collection_id, ingestion_id).result()
                    print(f"   deleted ingestion {ingestion_id}")
                except Exception as exc:  # keep going: the collection delete matters more
                    print(f"   could not delete ingestion {ingestion_id}: {exc}")
            try:
                client.stac.begin_delete_collection(collection_id).result()
                print(f"   deleted collection {collection_id} and its items")
            except Exception as exc:
                print(f"   could not delete collection {collection_id}: {exc}")
    print("\nDone.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
