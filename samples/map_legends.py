"""Map legends: the colour bar of a colour map, and the colours of class and interval maps.

Renders an NDVI tile of an item with the ``rdylgn`` colour map and the legend image that explains
it; reads a categorical colour map (land-cover classes) and an interval colour map (value ranges).
Images go to the output folder.

    python samples/map_legends.py [--output DIR]

Runs against a local emulator unless ``PLANETARYCOMPUTER_ENDPOINT`` is set (see ``samples/_setup.py``);
the NDVI takes red and near-infrared from bands 1 and 4 of ``PLANETARYCOMPUTER_ASSET`` (default ``image``).
"""

from _setup import ASSET, demo, output_folder, save, step, tile_at


def main() -> None:
    output = output_folder()
    with demo() as (client, collection_id, item_id):
        data = client.data

        step("An NDVI tile drawn with a colour map, and its legend")
        west, south, east, north = data.get_item_bounds(collection_id, item_id).bounds
        z, x, y = tile_at((west + east) / 2, (south + north) / 2, 17)
        ndvi = data.get_tile_by_scale_and_format(
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
        save(ndvi, output / "ndvi-tile.png")
        save(data.get_legend("rdylgn"), output / "legend-rdylgn.png")
        save(data.get_legend("viridis", width=4, height=0.3, trim_start=10), output / "legend-viridis.png")

        step("A class map: one colour per class value")
        classes = data.get_class_map_legend("io-lulc-9-class")
        for value, (red, green, blue, alpha) in sorted(classes.items(), key=lambda entry: int(entry[0])):
            print(f"   class {value:>2}: #{red:02x}{green:02x}{blue:02x} (alpha {alpha})")

        step("An interval map: one colour per range of values")
        for (low, high), (red, green, blue, alpha) in data.get_interval_legend("modis-64A1"):
            print(f"   {low:>4} to {high:>4}: #{red:02x}{green:02x}{blue:02x} (alpha {alpha})")


if __name__ == "__main__":
    main()
