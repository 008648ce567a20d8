"""Map legends, async: ``samples/map_legends.py`` with ``azure.planetarycomputer.aio``.

Renders an NDVI tile of an item with the ``rdylgn`` colour map and the legend image that explains
it; reads a categorical colour map (land-cover classes) and an interval colour map (value ranges).
Images go to the output folder.

    python samples/async/map_legends.py [--output DIR]

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

        step("An NDVI tile drawn with a colour map, and its legend")
        west, south, east, north = (await data.get_item_bounds(collection_id, item_id)).bounds
        z, x, y = tile_at((west + east) / 2, (south + north) / 2, 17)
        ndvi = await data.get_tile_by_scale_and_format(
            collection_id,
            item_id,
            "WebMercatorQuad",
            z,
            x,
            y,
            1,
            "png",
            expression=f"({ASSET}_b4-{ASSET}_b1)/({ASSET}_b4+{ASSET}_b1)",  # (NIR - red) / (NIR + red)
            rescale=["-1,1"],
            color_map_name="rdylgn",
        )
        await save_async(ndvi, output / "ndvi-tile.png")
        await save_async(await data.get_legend("rdylgn"), output / "legend-rdylgn.png")
        legend = await data.get_legend("viridis", width=4, height=0.3, trim_start=10)
        await save_async(legend, output / "legend-viridis.png")

        step("A class map and an interval map")
        classes, intervals = await asyncio.gather(
            data.get_class_map_legend("io-lulc-9-class"), data.get_interval_legend("modis-64A1")
        )
        for value, (red, green, blue, alpha) in sorted(classes.items(), key=lambda entry: int(entry[0])):
            print(f"   class {value:>2}: #{red:02x}{green:02x}{blue:02x} (alpha {alpha})")
        for (low, high), (red, green, blue, alpha) in intervals:
            print(f"   {low:>4} to {high:>4}: #{red:02x}{green:02x}{blue:02x} (alpha {alpha})")


if __name__ == "__main__":
    asyncio.run(main())
