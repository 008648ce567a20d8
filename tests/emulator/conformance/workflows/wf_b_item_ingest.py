"""(b) Item ingest and wait: one item and a FeatureCollection via ``stac.begin_create_item``; get,
replace, update (merge patch), delete.

python wf_b_item_ingest.py <endpoint> <workdir>
"""

from __future__ import annotations

from _harness import Demo, Workflow, cog_asset_key, collection_body, download, ids

from azure.planetarycomputer import models


def main(wf: Workflow) -> None:
    stac = wf.client.stac
    demo = Demo(wf.workdir)
    wf.check(len(demo.items) >= 3, "demo catalog: at least 3 items", len(demo.items))
    cid = wf.uid("wf-b-items")
    wf.info["collection"] = cid
    wf.wait(
        stac.begin_create_collection(
            collection_body(cid, "Items", [-180, -90, 180, 90], ["2000-01-01T00:00:00Z", None])
        ),
        "create collection",
    )
    wf.cleanups.append(lambda: stac.begin_delete_collection(cid).result(timeout=30))

    first, *rest = [dict(item, collection=cid) for item in demo.items[:3]]
    wf.info["items"] = [first["id"]] + [item["id"] for item in rest]

    # one item, as a model built from the wire JSON
    wf.wait(stac.begin_create_item(cid, models.StacItem(first)), "create one item")
    got = stac.get_item(cid, first["id"])
    wf.equal(got.id, first["id"], "get item: id")
    wf.equal(got.collection, cid, "get item: collection")
    wf.equal(list(got.bounding_box), list(first["bbox"]), "get item: bbox")
    wf.equal(got.geometry["type"], first["geometry"]["type"], "get item: geometry type")
    wf.equal(got.properties["datetime"], first["properties"]["datetime"], "get item: datetime")
    wf.equal(sorted(got.assets), sorted(first["assets"]), "get item: asset keys")
    extra = {k: v for k, v in first["properties"].items() if ":" in k}
    wf.check(all(got.properties.get(k) == v for k, v in extra.items()), "get item: extension properties kept", extra)
    key = cog_asset_key(first)
    href = got.assets[key].href
    wf.check(href.startswith(("http://", "https://")), "get item: asset copied into managed storage", href)
    copied = download(wf.client.sas.get_url(href=href).href)
    wf.check(copied == demo.local_file(first, key).read_bytes(), "get item: the copied asset is the demo file")

    # a FeatureCollection of two items, as plain JSON
    feature_collection = {"type": "FeatureCollection", "features": rest}
    wf.wait(stac.begin_create_item(cid, feature_collection), "create a FeatureCollection of items")
    page = stac.get_item_collection(cid, limit=100)
    wf.equal(ids(page.features), sorted(wf.info["items"]), "list items: all three")
    for item in rest:
        wf.equal(stac.get_item(cid, item["id"]).id, item["id"], f"get item {item['id']}")

    # replace (PUT) the first item
    replacement = dict(first)
    replacement["properties"] = dict(
        first["properties"], platform="replaced-platform", **{"conformance:step": "replace"}
    )
    wf.wait(stac.begin_replace_item(cid, first["id"], replacement), "replace item")
    got = stac.get_item(cid, first["id"])
    wf.equal(got.properties["platform"], "replaced-platform", "get replaced item: platform")
    wf.equal(got.properties["conformance:step"], "replace", "get replaced item: new property")

    # update (merge patch): one property changes, the rest stays
    patch = {"properties": {"conformance:step": "update", "conformance:note": "patched"}}
    wf.wait(stac.begin_update_item(cid, first["id"], patch), "update item")
    got = stac.get_item(cid, first["id"])
    wf.equal(got.properties["conformance:step"], "update", "get updated item: changed property")
    wf.equal(got.properties["conformance:note"], "patched", "get updated item: added property")
    wf.equal(got.properties["platform"], "replaced-platform", "get updated item: other properties kept")
    wf.equal(got.properties["datetime"], first["properties"]["datetime"], "get updated item: datetime kept")

    # delete one item
    wf.wait(stac.begin_delete_item(cid, first["id"]), "delete item")
    wf.not_found(lambda: stac.get_item(cid, first["id"]), "get deleted item: 404")
    page = stac.get_item_collection(cid, limit=100)
    wf.equal(ids(page.features), sorted(item["id"] for item in rest), "list items: the other two remain")

    # creating an item in a collection that does not exist fails
    wf.refused(
        lambda: stac.begin_create_item(wf.uid("wf-b-missing"), first), "create item in a missing collection: refused"
    )

    wf.wait(stac.begin_delete_collection(cid), "delete collection")
    wf.cleanups.clear()
    wf.not_found(lambda: stac.get_collection(cid), "get deleted collection: 404")
    wf.not_found(lambda: stac.get_item(cid, rest[0]["id"]), "get item of deleted collection: 404")


if __name__ == "__main__":
    Workflow("wf_b_item_ingest").run(main)
