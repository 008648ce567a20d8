"""(a) Collection lifecycle: create (poller), get, list, replace, thumbnail upload + download, delete.

python wf_a_collection_lifecycle.py <endpoint> <workdir>
"""

from __future__ import annotations

import datetime as dt

from _harness import Workflow, make_png, png_size, read_all

from azure.planetarycomputer import models


def main(wf: Workflow) -> None:
    stac = wf.client.stac
    cid = wf.uid("wf-a-lifecycle")
    wf.info["collection"] = cid

    # create, with the models of the package (keyword construction)
    collection = models.StacCollection(
        id=cid,
        type="Collection",
        stac_version="1.0.0",
        title="Lifecycle",
        description="Collection lifecycle workflow",
        license="CC-BY-4.0",
        links=[],
        extent=models.StacExtensionExtent(
            spatial=models.StacExtensionSpatialExtent(bounding_box=[[-10.0, 40.0, 10.0, 50.0]]),
            temporal=models.StacCollectionTemporalExtent(
                interval=[
                    [dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(2024, 12, 31, tzinfo=dt.timezone.utc)]
                ]
            ),
        ),
        keywords=["conformance"],
    )
    wf.wait(stac.begin_create_collection(collection), "create collection")
    wf.cleanups.append(lambda: stac.begin_delete_collection(cid).result(timeout=30))

    got = stac.get_collection(cid)
    wf.equal(got.id, cid, "get collection: id")
    wf.equal(got.title, "Lifecycle", "get collection: title")
    wf.equal(got.description, "Collection lifecycle workflow", "get collection: description")
    wf.equal(list(got.extent.spatial.bounding_box[0]), [-10.0, 40.0, 10.0, 50.0], "get collection: bbox")
    wf.equal(got["keywords"], ["conformance"], "get collection: keywords kept")

    # a second create with the same id is refused (at once or by the operation)
    wf.refused(lambda: stac.begin_create_collection(collection), "create duplicate collection: refused")

    # list
    listed = stac.get_collections()
    wf.check(cid in [c.id for c in listed.collections], "list collections: contains the new one")

    # replace: change the title and add a field
    body = got.as_dict()
    body["title"] = "Lifecycle (replaced)"
    body["keywords"] = ["conformance", "replaced"]
    replaced = stac.replace_collection(cid, body)
    wf.equal(replaced.title, "Lifecycle (replaced)", "replace collection: response title")
    again = stac.get_collection(cid)
    wf.equal(again.title, "Lifecycle (replaced)", "replace collection: stored title")
    wf.equal(again["keywords"], ["conformance", "replaced"], "replace collection: stored keywords")

    # thumbnail: multipart upload, then download the same bytes
    png = make_png(8, 6)
    asset = models.StacAssetData(
        data=models.AssetMetadata(
            key="thumbnail", type="image/png", roles=["thumbnail"], title="Thumbnail", description="A test thumbnail"
        ),
        file=("thumbnail.png", png, "image/png"),
    )
    with_asset = stac.create_collection_asset(cid, asset)
    wf.check("thumbnail" in (with_asset.assets or {}), "create collection asset: returned collection has it")
    thumb = with_asset.assets["thumbnail"]
    wf.equal(thumb.type, "image/png", "create collection asset: type")
    wf.equal(list(thumb.roles), ["thumbnail"], "create collection asset: roles")
    wf.check(bool(thumb.href), "create collection asset: href set")
    downloaded = read_all(stac.get_collection_thumbnail(cid))
    wf.equal(png_size(downloaded), (8, 6), "get collection thumbnail: a PNG of the uploaded size")
    wf.equal(downloaded, png, "get collection thumbnail: same bytes as uploaded")
    wf.check("thumbnail" in (stac.get_collection(cid).assets or {}), "get collection: lists the thumbnail asset")

    # delete (poller); the collection is gone afterwards
    wf.wait(stac.begin_delete_collection(cid), "delete collection")
    wf.cleanups.clear()
    wf.not_found(lambda: stac.get_collection(cid), "get deleted collection: 404")
    wf.check(cid not in [c.id for c in stac.get_collections().collections], "list collections: deleted one absent")


if __name__ == "__main__":
    Workflow("wf_a_collection_lifecycle").run(main)
