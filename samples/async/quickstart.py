"""Quickstart, async: ``samples/quickstart.py`` with ``azure.planetarycomputer.aio``.

Creates a collection, ingests a static STAC catalog into it (an ingestion definition and a run),
searches it by bbox, datetime and CQL2 across pages (the four searches at once), signs and
downloads an item's image, renders a map tile to a PNG file, then deletes everything it created.

    python samples/async/quickstart.py [--output DIR]

Runs against a local emulator unless ``PLANETARYCOMPUTER_ENDPOINT`` is set (see ``samples/quickstart.py``
and ``samples/_setup.py``).
"""

import asyncio
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for samples/_setup.py
from _setup import ASSET, connect_async, output_folder, plural, save_async, static_catalog_url, step, tile_at

from azure.planetarycomputer.aio import download_item


async def main() -> None:
    output = output_folder()
    async with connect_async() as client:
        collection_id = f"quickstart-{uuid.uuid4().hex[:8]}"
        step(f"Create collection {collection_id}")
        collection = {
            "type": "Collection",
            "stac_version": "1.0.0",
            "id": collection_id,
            "title": "Quickstart",
            "description": "A collection made by samples/async/quickstart.py; it deletes it at the end.",
            "license": "CC-BY-4.0",
            "links": [],
            "extent": {
                "spatial": {"bbox": [[-180.0, -90.0, 180.0, 90.0]]},
                "temporal": {"interval": [["2000-01-01T00:00:00Z", None]]},
            },
        }
        await (await client.stac.begin_create_collection(collection)).result()
        try:
            step(f"Ingest the static catalog {static_catalog_url()}")
            definition = await client.ingestion.create(
                collection_id,
                {"importType": "StaticCatalog", "displayName": "quickstart", "sourceCatalogUrl": static_catalog_url()},
            )
            run = await client.ingestion.create_run(collection_id, definition.id)
            (await client.ingestion.wait_for_operations([run.operation.id], timeout=1800)).raise_for_failures()
            counts = (await client.ingestion.get_run(collection_id, definition.id, run.id)).operation
            print(f"   {counts.total_successful_items} of {plural(counts.total_items, 'item')} ingested")
            await (await client.ingestion.begin_delete(collection_id, definition.id)).result()

            step("Search")
            search = client.stac.item_search(collections=[collection_id], page_size=100)  # not awaited: iterate it
            items = (await search.item_collection()).features
            print(f"   {plural(len(items), 'item')}: {', '.join(sorted(item.id for item in items))}")
            first = items[0]
            bbox, when = list(first.bounding_box), first.properties.date_time
            searches = {
                f"bbox {bbox}": {"bounding_box": bbox},
                f"datetime {when}/..": {"datetime": f"{when}/.."},
                "CQL2-JSON s_intersects(geometry, first item)": {
                    "filter": {"op": "s_intersects", "args": [{"property": "geometry"}, first.geometry.as_dict()]}
                },
                f"CQL2-text datetime <= TIMESTAMP('{when}')": {"filter": f"datetime <= TIMESTAMP('{when}')"},
            }
            searching = [
                client.stac.item_search(collections=[collection_id], **criteria).item_collection()
                for criteria in searches.values()
            ]
            for label, found in zip(searches, await asyncio.gather(*searching)):  # all four at once
                print(f"   {label}: {plural(len(found.features), 'item')}")

            step(f"Sign and download {ASSET!r} of {first.id}")
            local = await download_item(first, output / first.id, signer=client, include=[ASSET])
            path = output / first.id / local.assets[ASSET].href
            print(f"   {path}: {path.stat().st_size} bytes")

            step("Render a map tile")
            west, south, east, north = bbox
            z, x, y = tile_at((west + east) / 2, (south + north) / 2, 17)
            rgb = {"assets": [ASSET], "asset_band_indices": [f"{ASSET}|1,2,3"]}  # red, green, blue: bands 1-3
            tile = await client.data.get_tile_by_scale_and_format(
                collection_id, first.id, "WebMercatorQuad", z, x, y, 1, "png", **rgb
            )
            await save_async(tile, output / "quickstart-tile.png")
        finally:
            step("Clean up")
            await (await client.stac.begin_delete_collection(collection_id)).result()
            print(f"   deleted collection {collection_id} and its items")
    print("\nDone.")


if __name__ == "__main__":
    asyncio.run(main())
