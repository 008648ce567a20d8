"""Quickstart: a GeoCatalog workflow from end to end.

Creates a collection, ingests a static STAC catalog into it (an ingestion definition and a run),
searches it by bbox, datetime and CQL2 across pages, signs and downloads an item's image, renders
a map tile to a PNG file, then deletes everything it created.

    python samples/quickstart.py [--output DIR]

Where it runs (see ``samples/_setup.py``):

* ``PLANETARYCOMPUTER_ENDPOINT`` set: against that GeoCatalog, signed in with
  ``DefaultAzureCredential`` (``pip install azure-identity``; e.g. after ``az login``). It ingests
  ``PLANETARYCOMPUTER_CATALOG_URL``, a static catalog your GeoCatalog can read (default: the NAIP
  sample the service's own examples use). A catalog in a private Azure Blob container needs an
  ingestion source for that container first (``client.ingestion.ensure_sas_source``).
* otherwise: against a local GeoCatalog emulator started here (``pip install -e ".[emulator]"``),
  in a temporary folder, with the emulator's demo catalog (real Cloud-Optimized GeoTIFFs).
"""

import uuid

from _setup import ASSET, connect, output_folder, plural, save, static_catalog_url, step, tile_at

from azure.planetarycomputer import download_item


def main() -> None:
    output = output_folder()
    with connect() as client:
        collection_id = f"quickstart-{uuid.uuid4().hex[:8]}"
        step(f"Create collection {collection_id}")
        collection = {
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
        client.stac.begin_create_collection(collection).result()
        try:
            step(f"Ingest the static catalog {static_catalog_url()}")
            definition = client.ingestion.create(
                collection_id,
                {"importType": "StaticCatalog", "displayName": "quickstart", "sourceCatalogUrl": static_catalog_url()},
            )
            run = client.ingestion.create_run(collection_id, definition.id)
            client.ingestion.wait_for_operations([run.operation.id], timeout=1800).raise_for_failures()
            counts = client.ingestion.get_run(collection_id, definition.id, run.id).operation
            print(f"   {counts.total_successful_items} of {plural(counts.total_items, 'item')} ingested")
            client.ingestion.begin_delete(collection_id, definition.id).result()  # it could run again; not needed

            step("Search")
            items = client.stac.item_search(collections=[collection_id], page_size=100).item_collection().features
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
            for label, criteria in searches.items():
                found = list(client.stac.item_search(collections=[collection_id], **criteria))
                print(f"   {label}: {plural(len(found), 'item')}")

            step(f"Sign and download {ASSET!r} of {first.id}")
            local = download_item(first, output / first.id, signer=client, include=[ASSET])
            path = output / first.id / local.assets[ASSET].href
            print(f"   {path}: {path.stat().st_size} bytes")

            step("Render a map tile")
            west, south, east, north = bbox
            z, x, y = tile_at((west + east) / 2, (south + north) / 2, 17)
            rgb = {"assets": [ASSET], "asset_band_indices": [f"{ASSET}|1,2,3"]}  # red, green, blue: bands 1-3
            tile = client.data.get_tile_by_scale_and_format(
                collection_id, first.id, "WebMercatorQuad", z, x, y, 1, "png", **rgb
            )
            save(tile, output / "quickstart-tile.png")
        finally:
            step("Clean up")
            client.stac.begin_delete_collection(collection_id).result()  # its items and ingestions too
            print(f"   deleted collection {collection_id} and its items")
    print("\nDone.")


if __name__ == "__main__":
    main()
