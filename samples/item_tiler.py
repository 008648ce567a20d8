"""Item tiler: what the data API tells and draws about one item.

Reads an item's raster info, bounds, band statistics and the pixel values at a point; renders a
preview, a map tile, crops by a bounding box and by a GeoJSON polygon; gets its TileJSON and WMTS
capabilities. Images and XML are written to the output folder.

    python samples/item_tiler.py [--output DIR]

Runs against a local emulator unless ``PLANETARYCOMPUTER_ENDPOINT`` is set; then it draws
``PLANETARYCOMPUTER_ITEM`` of ``PLANETARYCOMPUTER_COLLECTION`` (see ``samples/_setup.py``),
with red, green and blue from bands 1-3 of its asset ``PLANETARYCOMPUTER_ASSET`` (default ``image``).
"""

from _setup import ASSET, demo, output_folder, save, step, tile_at


def main() -> None:
    output = output_folder()
    with demo() as (client, collection_id, item_id):
        data = client.data
        rgb = {"assets": [ASSET], "asset_band_indices": [f"{ASSET}|1,2,3"]}  # how to draw the asset

        step("Info, bounds, statistics, a point")
        info = data.get_item_info(collection_id, item_id)[ASSET]
        print(f"   {ASSET}: {info['width']}x{info['height']} px, {info['count']} bands of {info['dtype']}")
        west, south, east, north = data.get_item_bounds(collection_id, item_id).bounds
        print(f"   bounds: {west:.5f}, {south:.5f}, {east:.5f}, {north:.5f}")
        statistics = data.get_item_statistics(collection_id, item_id, assets=[ASSET])
        for band, stats in statistics.items():
            print(f"   {band}: min {stats['min']}, max {stats['max']}, mean {stats['mean']:.1f}")
        lon, lat = (west + east) / 2, (south + north) / 2
        point = data.get_item_point(collection_id, item_id, lon, lat, assets=[ASSET])
        print(f"   values at ({lon:.5f}, {lat:.5f}): {dict(zip(point.band_names, point.values_property))}")

        step("Preview and a map tile")
        preview = data.get_item_preview_with_format(collection_id, item_id, "png", max_size=256, **rgb)
        save(preview, output / "preview.png")
        z, x, y = tile_at(lon, lat, 17)
        tile = data.get_tile_by_scale_and_format(collection_id, item_id, "WebMercatorQuad", z, x, y, 1, "png", **rgb)
        save(tile, output / f"tile-{z}-{x}-{y}.png")

        step("Crops: by bounding box, by GeoJSON polygon")
        box = (lon - 0.001, lat - 0.0005, lon + 0.001, lat + 0.0005)
        crop = data.get_item_bbox_crop_with_dimensions(collection_id, item_id, *box, 400, 200, "png", **rgb)
        save(crop, output / "crop-bbox.png")
        triangle = {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[west, south], [east, south], [lon, north], [west, south]]],
            },
        }
        crop = data.crop_feature_by_format(collection_id, item_id, "png", triangle, **rgb)
        save(crop, output / "crop-geojson.png")

        step("TileJSON and WMTS, for web maps")
        tilejson = data.get_item_tile_json(collection_id, item_id, tile_format="png", **rgb)
        print(f"   tile URL template: {tilejson.tiles[0]}")
        print(f"   zooms {tilejson.min_zoom}-{tilejson.max_zoom}")
        wmts = data.get_item_wmts_capabilities(collection_id, item_id, tile_format="png", **rgb).text()
        path = output / "wmts.xml"
        path.write_text(wmts, encoding="utf-8")
        print(f"   {path.name}: WMTS capabilities, {len(wmts)} characters")


if __name__ == "__main__":
    main()
