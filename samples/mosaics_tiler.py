"""Mosaics: render many items as one map, for a whole collection or for a registered search.

Draws a collection mosaic tile and gets its TileJSON; registers a STAC search (a time range,
newest on top) and draws the same tile from it; lists the items and assets that cover a tile and
a point. Tiles are written to the output folder.

    python samples/mosaics_tiler.py [--output DIR]

Runs against a local emulator unless ``PLANETARYCOMPUTER_ENDPOINT`` is set; then it uses
``PLANETARYCOMPUTER_COLLECTION`` and the tile at the east edge of ``PLANETARYCOMPUTER_ITEM``
(see ``samples/_setup.py``), drawn from bands 1-3 of ``PLANETARYCOMPUTER_ASSET`` (default ``image``).
"""

from _setup import ASSET, demo, output_folder, save, step, tile_at


def main() -> None:
    output = output_folder()
    with demo() as (client, collection_id, item_id):
        data = client.data
        rgb = {"assets": [ASSET], "asset_band_indices": [f"{ASSET}|1,2,3"]}
        west, south, east, north = client.stac.get_item(collection_id, item_id).bounding_box
        z, x, y = tile_at(east, (south + north) / 2, 16)  # the item's east edge: its neighbour is there too

        step(f"Collection mosaic of {collection_id}")
        tile = data.get_collection_tile_by_scale_and_format(collection_id, "WebMercatorQuad", z, x, y, 1, "png", **rgb)
        save(tile, output / f"collection-{z}-{x}-{y}.png")
        tilejson = data.get_collection_tile_json(collection_id, tile_format="png", **rgb)
        print(f"   tile URL template: {tilejson.tiles[0]}")

        step("Register a search and render it")
        registered = data.register_mosaics_search(
            collections=[collection_id],
            datetime="2000-01-01T00:00:00Z/..",
            sort_by=[{"field": "datetime", "direction": "desc"}],  # the newest item is drawn on top
        )
        search_id = registered.search_id
        print(f"   search id {search_id}")
        tile = data.get_search_tile_by_scale_and_format(search_id, "WebMercatorQuad", z, x, y, 1, "png", **rgb)
        save(tile, output / f"search-{z}-{x}-{y}.png")
        print(f"   tile URL template: {data.get_search_tile_json(search_id, tile_format='png', **rgb).tiles[0]}")

        step("What covers a tile, and a point")
        covering = data.get_collection_assets_for_tile(collection_id, "WebMercatorQuad", z, x, y)
        print(f"   tile {z}/{x}/{y}: items {sorted(asset.id for asset in covering)}")
        from_search = data.get_search_assets_for_tile(
            search_id, "WebMercatorQuad", z, x, y, collection_id=collection_id
        )
        print(f"   the same tile, in the search: items {sorted(asset.id for asset in from_search)}")
        lon, lat = (west + east) / 2, (south + north) / 2
        at_point = data.get_search_point_with_assets(search_id, lon, lat)
        print(f"   point ({lon:.5f}, {lat:.5f}): items {[asset.id for asset in at_point]}")


if __name__ == "__main__":
    main()
