"""Item tiler, async: ``samples/item_tiler.py`` with ``azure.planetarycomputer.aio``.

Reads an item's raster info, bounds, band statistics and the pixel values at a point; renders a
preview, a map tile, crops by a bounding box and by a GeoJSON polygon (all at once, concurrently);
gets its TileJSON and WMTS capabilities. Images and XML are written to the output folder.

    python samples/async/item_tiler.py [--output DIR]

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

        step("Info, bounds, statistics, a point")
        info = (await data.get_item_info(collection_id, item_id))[ASSET]
        print(f"   {ASSET}: {info['width']}x{info['height']} px, {info['count']} bands of {info['dtype']}")
        west, south, east, north = (await data.get_item_bounds(collection_id, item_id)).bounds
        print(f"   bounds: {west:.5f}, {south:.5f}, {east:.5f}, {north:.5f}")
        statistics = await data.get_item_statistics(collection_id, item_id, assets=[ASSET])
        for band, stats in statistics.items():
            print(f"   {band}: min {stats['min']}, max {stats['max']}, mean {stats['mean']:.1f}")
        lon, lat = (west + east) / 2, (south + north) / 2
        point = await data.get_item_point(collection_id, item_id, lon, lat, assets=[ASSET])
        print(f"   values at ({lon:.5f}, {lat:.5f}): {dict(zip(point.band_names, point.values_property))}")

        step("Preview, a map tile and two crops, concurrently")
        z, x, y = tile_at(lon, lat, 17)
        box = (lon - 0.001, lat - 0.0005, lon + 0.001, lat + 0.0005)
        triangle = {
            "type": "Feature",
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[west, south], [east, south], [lon, north], [west, south]]],
            },
        }
        images = {
            "preview.png": data.get_item_preview_with_format(collection_id, item_id, "png", max_size=256, **rgb),
            f"tile-{z}-{x}-{y}.png": data.get_tile_by_scale_and_format(
                collection_id, item_id, "WebMercatorQuad", z, x, y, 1, "png", **rgb
            ),
            "crop-bbox.png": data.get_item_bbox_crop_with_dimensions(
                collection_id, item_id, *box, 400, 200, "png", **rgb
            ),
            "crop-geojson.png": data.crop_feature_by_format(collection_id, item_id, "png", triangle, **rgb),
        }
        streams = await asyncio.gather(*images.values())
        for name, stream in zip(images, streams):
            await save_async(stream, output / name)

        step("TileJSON and WMTS, for web maps")
        tilejson = await data.get_item_tile_json(collection_id, item_id, tile_format="png", **rgb)
        print(f"   tile URL template: {tilejson.tiles[0]}")
        capabilities = await data.get_item_wmts_capabilities(collection_id, item_id, tile_format="png", **rgb)
        wmts = await capabilities.text()
        path = output / "wmts.xml"
        path.write_text(wmts, encoding="utf-8")
        print(f"   {path.name}: WMTS capabilities, {len(wmts)} characters")


if __name__ == "__main__":
    asyncio.run(main())
