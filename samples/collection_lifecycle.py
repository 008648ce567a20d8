"""Collection lifecycle: create, read, update and delete a collection, and configure it.

Creates a collection (a long-running operation), reads and replaces it, sets its partition type,
tile settings and queryables, adds render options and mosaics, uploads a thumbnail asset and
downloads it back, then deletes the collection.

    python samples/collection_lifecycle.py [--output DIR]

Runs against a local emulator unless ``PLANETARYCOMPUTER_ENDPOINT`` is set (see ``samples/_setup.py``);
it only touches the collection it creates (``lifecycle-<random>``).
"""

import uuid

from _setup import connect, output_folder, save, step

from azure.planetarycomputer import models


def main() -> None:
    output = output_folder()
    with connect() as client:
        stac = client.stac
        collection_id = f"lifecycle-{uuid.uuid4().hex[:8]}"

        step(f"Create {collection_id}")
        collection = {
            "type": "Collection",
            "stac_version": "1.0.0",
            "id": collection_id,
            "title": "Lifecycle sample",
            "description": "Made by samples/collection_lifecycle.py, which deletes it at the end.",
            "license": "CC-BY-4.0",
            "links": [],
            "extent": {
                "spatial": {"bbox": [[-84.5, 33.6, -84.3, 33.8]]},
                "temporal": {"interval": [["2021-01-01T00:00:00Z", None]]},
            },
        }
        stac.begin_create_collection(collection).result()  # a poller: waits for the operation
        try:
            got = stac.get_collection(collection_id)
            print(f"   title {got.title!r}, bbox {got.extent.spatial.bounding_box[0]}")

            step("Update it (replace the document)")
            body = got.as_dict()
            body["title"] = "Lifecycle sample (renamed)"
            body["keywords"] = ["sample"]
            print(f"   title now {stac.replace_collection(collection_id, body).title!r}")

            step("Partition type, tile settings, queryables")
            stac.replace_partition_type(collection_id, models.PartitionType(scheme="year"))  # while it has no items
            print(f"   partition type: {stac.get_partition_type(collection_id).as_dict()}")
            settings = stac.replace_tile_settings(
                collection_id, models.TileSettings(min_zoom=10, max_items_per_tile=20)
            )
            print(f"   tile settings: min zoom {settings.min_zoom}, max items per tile {settings.max_items_per_tile}")
            cloud_cover = models.StacQueryable(
                name="eo:cloud_cover", definition={"type": "number", "minimum": 0, "maximum": 100}, data_type="number"
            )
            stac.create_queryables(collection_id, [cloud_cover])
            queryables = stac.get_collection_queryables(collection_id)
            print(f"   queryables: {sorted(queryables['properties'])}")

            step("Render options and mosaics")
            stac.create_render_option(
                collection_id,
                models.RenderOption(
                    id="natural-color",
                    name="Natural color",
                    type="raster-tile",
                    options="assets=image&asset_bidx=image|1,2,3",
                    min_zoom=12,
                ),
            )
            stac.add_mosaic(collection_id, models.StacMosaic(id="recent", name="Most recent", cql=[]))
            low_cloud = [{"op": "<=", "args": [{"property": "eo:cloud_cover"}, 10]}]
            stac.add_mosaic(collection_id, models.StacMosaic(id="low-cloud", name="Low cloud", cql=low_cloud))
            configuration = stac.get_collection_configuration(collection_id).mosaic_configuration
            print(f"   render options: {[option.id for option in configuration.render_options]}")
            print(f"   mosaics: {sorted(mosaic.id for mosaic in configuration.mosaics)}")

            step("Thumbnail asset: upload, then download")
            png = client.data.get_legend("viridis").read()  # any PNG will do: a colormap legend
            stac.create_collection_asset(
                collection_id,
                models.StacAssetData(
                    data=models.AssetMetadata(
                        key="thumbnail", type="image/png", roles=["thumbnail"], title="Thumbnail", description="Legend"
                    ),
                    file=("thumbnail.png", png, "image/png"),
                ),
            )
            save(stac.get_collection_thumbnail(collection_id), output / "thumbnail.png")
        finally:
            step(f"Delete {collection_id}")
            stac.begin_delete_collection(collection_id).result()
            print("   deleted")


if __name__ == "__main__":
    main()
