"""Mosaics, async: ``samples/mosaics_tiler.py`` with ``azure.planetarycomputer.aio``.

Draws a collection mosaic tile and gets its TileJSON; registers a STAC search (a time range,
newest on top) and draws the same tile from it; lists the items and assets that cover a tile and
a point. Tiles are written to the output folder.

    python samples/async/mosaics_tiler.py [--output DIR]

Runs against a local emulator unless ``PLANETARYCOMPUTER_ENDPOINT`` is set (see ``samples/_setup.py``).
"""

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for samples/_setup.py
from _setup import ASSET, demo_async, output_folder, save_async, step, tile_at


async def main() -> None:
    output = output_folder()
    async with demo_async() as (client, collection_id, item_id):
        data = client.data
        rgb = {"assets": [ASSET], "asset_band_indices": [f"{ASSET}|1,2,3"]}
        west, south, east, north = (await client.stac.get_item(collection_id, item_id)).bounding_box
        z, x, y = tile_at(east, (south + north) / 2, 16)  # the item's east edge: its neighbour is there too

        step(f"Collection mosaic of {collection_id}")
        tile = await data.get_collection_tile_by_scale_and_format(
            collection_id, "WebMercatorQuad", z, x, y, 1, "png", **rgb
        )
        await save_async(tile, output / f"collection-{z}-{x}-{y}.png")
        tilejson = await data.get_collection_tile_json(collection_id, tile_format="png", **rgb)
        print(f"   tile URL template: {tilejson.tiles[0]}")

        step("Register a search and render it")
        registered = await data.register_mosaics_search(
            collections=[collection_id],
            datetime="2000-01-01T00:00:00Z/..",
            sort_by=[{"field": "datetime", "direction": "desc"}],  # the newest item is drawn on top
        )
        search_id = registered.search_id
        print(f"   search id {search_id}")
        tile = await data.get_search_tile_by_scale_and_format(search_id, "WebMercatorQuad", z, x, y, 1, "png", **rgb)
        await save_async(tile, output / f"search-{z}-{x}-{y}.png")

        step("What covers a tile, and a point (three requests at once)")
        lon, lat = (west + east) / 2, (south + north) / 2
        covering, from_search, at_point = await asyncio.gather(
            data.get_collection_assets_for_tile(collection_id, "WebMercatorQuad", z, x, y),
            data.get_search_assets_for_tile(search_id, "WebMercatorQuad", z, x, y, collection_id=collection_id),
            data.get_search_point_with_assets(search_id, lon, lat),
        )
        print(f"   tile {z}/{x}/{y}: items {sorted(asset.id for asset in covering)}")
        print(f"   the same tile, in the search: items {sorted(asset.id for asset in from_search)}")
        print(f"   point ({lon:.5f}, {lat:.5f}): items {[asset.id for asset in at_point]}")


if __name__ == "__main__":
    asyncio.run(main())
