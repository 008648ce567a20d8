"""GeoDataFrames: search results straight into geopandas and shapely, no glue code.

Items, item collections and searches are GeoJSON to geo libraries (``__geo_interface__``):
``geopandas.GeoDataFrame.from_features(search)`` makes a table of footprints and properties,
``shapely.geometry.shape(item)`` a geometry; a shapely geometry is also a search's ``intersects``.
Writes the footprints as GeoJSON and a PNG map.

    python samples/geodataframe.py [--output DIR]

Needs geopandas and matplotlib (``pip install -e ".[dev]"``). Runs against a local emulator
unless ``PLANETARYCOMPUTER_ENDPOINT`` is set; then it uses ``PLANETARYCOMPUTER_COLLECTION``
(see ``samples/_setup.py``).
"""

import matplotlib

matplotlib.use("Agg")  # files only, no window

import geopandas  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import shapely.geometry  # noqa: E402
from _setup import demo, output_folder, step  # noqa: E402


def main() -> None:
    output = output_folder()
    with demo() as (client, collection_id, item_id):
        step("A search, as a GeoDataFrame")
        found = client.stac.item_search(collections=[collection_id], max_items=100).item_collection()
        # An item collection (or the search itself, or a list of items) is GeoJSON to geopandas.
        frame = geopandas.GeoDataFrame.from_features(found, crs="EPSG:4326")
        frame.insert(0, "id", [item.id for item in found.features])  # GeoJSON keeps ids beside the properties
        print(f"   {len(frame)} rows; columns: {sorted(frame.columns)[:8]} ...")
        print(frame[["id", "datetime", "gsd"]].sort_values("datetime").to_string(index=False))

        step("Areas and the union of the footprints (in metres: UTM zone 16N)")
        metric = frame.to_crs(epsg=26916)
        print(f"   mean footprint {metric.area.mean() / 1e4:.1f} ha; union {metric.union_all().area / 1e4:.1f} ha")

        step("One item as a shapely geometry, and back as a search area")
        item = client.stac.get_item(collection_id, item_id)
        footprint = shapely.geometry.shape(item)  # a Feature: its geometry
        print(f"   {item_id}: {footprint.geom_type}, bounds {tuple(round(v, 4) for v in footprint.bounds)}")
        neighbours = client.stac.item_search(collections=[collection_id], intersects=footprint.buffer(0.001))
        print(f"   items within 0.001 degrees of it: {sorted(hit.id for hit in neighbours)}")

        step("Write and plot")
        path = output / "footprints.geojson"
        frame[["id", "datetime", "geometry"]].to_file(path, driver="GeoJSON")
        print(f"   {path.name}: {len(geopandas.read_file(path))} features")
        axes = frame.plot(column="datetime", edgecolor="black", alpha=0.6, figsize=(8, 3.5), legend=True)
        axes.set_title(f"{collection_id}: item footprints")
        figure = axes.get_figure()
        figure.savefig(output / "footprints.png", dpi=80, bbox_inches="tight")
        plt.close(figure)
        print(f"   footprints.png: {(output / 'footprints.png').stat().st_size} bytes")


if __name__ == "__main__":
    main()
