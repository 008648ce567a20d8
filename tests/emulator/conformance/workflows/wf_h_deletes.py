"""(h) Deletes: one of everything is created, then deleted, and each is a 404 afterwards (including
what a collection delete takes with it: items, assets, configuration, signed blob URLs).

python wf_h_deletes.py <endpoint> <workdir>
"""

from __future__ import annotations

import urllib.error
import uuid

from _harness import Demo, Workflow, cog_asset_key, collection_body, download, ingest_demo, make_png, read_all

from azure.planetarycomputer import models


def main(wf: Workflow) -> None:
    stac, ingestion, sas = wf.client.stac, wf.client.ingestion, wf.client.sas
    demo = Demo(wf.workdir)
    cid = wf.uid("wf-h-deletes")
    wf.info["collection"] = cid
    wf.wait(
        stac.begin_create_collection(
            collection_body(cid, "Deletes", [-180, -90, 180, 90], ["2000-01-01T00:00:00Z", None])
        ),
        "create collection",
    )
    wf.cleanups.append(lambda: stac.begin_delete_collection(cid).result(timeout=30))
    ingest_demo(wf, demo, cid)
    items = demo.items
    first, second = items[0]["id"], items[1]["id"]
    definition_id = wf.info["ingestions"][-1]
    stac.create_collection_asset(
        cid,
        models.StacAssetData(
            data=models.AssetMetadata(
                key="thumbnail", type="image/png", roles=["thumbnail"], title="T", description="T"
            ),
            file=("thumbnail.png", make_png(), "image/png"),
        ),
    )
    stac.create_collection_asset(
        cid,
        {
            "data": {"key": "readme", "type": "text/plain", "roles": ["metadata"], "title": "R", "description": "R"},
            "file": ("readme.txt", b"read me", "text/plain"),
        },
    )
    stac.create_render_option(cid, {"id": "plain", "name": "Plain", "type": "raster-tile", "options": "assets=x"})
    stac.add_mosaic(cid, {"id": "all", "name": "All", "cql": []})
    stac.create_queryables(
        cid,
        [
            {
                "name": "conformance:score",
                "definition": {"data_type": "number"},
                "create_index": False,
                "data_type": "number",
            }
        ],
    )
    source_id = str(uuid.uuid4())
    ingestion.create_source(
        {
            "id": source_id,
            "kind": "SasToken",
            "connectionInfo": {
                "containerUrl": f"https://deletes{wf.suffix}.blob.core.windows.net/data",
                "sasToken": "sv=2024-11-04&se=2099-01-01T00%3A00%3A00Z&sr=c&sp=rl&sig=eA",
            },
        }
    )
    wf.cleanups.append(lambda: ingestion.delete_source(source_id))
    signed = sas.get_url(href=stac.get_item(cid, first).assets[cog_asset_key(items[0])].href).href
    wf.check(len(download(signed)) > 0, "signed asset URL downloads before the deletes")
    wf.check(len(read_all(stac.get_collection_thumbnail(cid))) > 0, "thumbnail downloads before the deletes")

    # -- one at a time ---------------------------------------------------------------------------
    wf.wait(stac.begin_delete_item(cid, first), "delete item")
    wf.not_found(lambda: stac.get_item(cid, first), "deleted item: 404")
    wf.not_found(lambda: stac.begin_delete_item(cid, first).result(timeout=30), "delete the deleted item again: 404")

    stac.delete_collection_asset(cid, "readme")
    wf.check(
        "readme" not in (stac.get_collection(cid).assets or {}), "deleted collection asset: gone from the collection"
    )
    wf.not_found(lambda: stac.delete_collection_asset(cid, "readme"), "delete the deleted asset again: 404")

    stac.delete_render_option(cid, "plain")
    wf.not_found(lambda: stac.get_render_option(cid, "plain"), "deleted render option: 404")
    stac.delete_mosaic(cid, "all")
    wf.not_found(lambda: stac.get_mosaic(cid, "all"), "deleted mosaic: 404")
    stac.delete_queryable(cid, "conformance:score")
    names = [q for q in (stac.get_collection_queryables(cid).get("properties") or {})]
    wf.check("conformance:score" not in names, "deleted queryable: gone", names)
    wf.not_found(lambda: stac.delete_queryable(cid, "conformance:score"), "delete the deleted queryable again: 404")

    wf.wait(ingestion.begin_delete(cid, definition_id), "delete ingestion")
    wf.not_found(lambda: ingestion.get(cid, definition_id), "deleted ingestion: 404")
    ingestion.delete_source(source_id)
    wf.not_found(lambda: ingestion.get_source(source_id), "deleted ingestion source: 404")

    # -- the collection, with what is left in it -------------------------------------------------
    wf.wait(stac.begin_delete_collection(cid), "delete collection")
    wf.cleanups.clear()
    wf.not_found(lambda: stac.get_collection(cid), "deleted collection: 404")
    wf.not_found(lambda: stac.get_item(cid, second), "item of the deleted collection: 404")
    wf.not_found(lambda: stac.get_item_collection(cid), "items of the deleted collection: 404")
    wf.not_found(lambda: read_all(stac.get_collection_thumbnail(cid)), "thumbnail of the deleted collection: 404")
    wf.not_found(lambda: stac.get_render_options(cid), "render options of the deleted collection: 404")
    wf.not_found(lambda: stac.get_mosaics(cid), "mosaics of the deleted collection: 404")
    wf.not_found(lambda: sas.get_token(cid), "SAS token of the deleted collection: 404")
    wf.not_found(
        lambda: stac.begin_delete_collection(cid).result(timeout=30), "delete the deleted collection again: 404"
    )
    wf.check(cid not in [c.id for c in stac.get_collections().collections], "list collections: deleted one absent")
    page = stac.search({"collections": [cid], "ids": [second]})
    wf.equal(len(page.features), 0, "search: no items of the deleted collection")
    try:
        download(signed)
        status = 200
    except urllib.error.HTTPError as exc:
        status = exc.code
    wf.equal(status, 404, "signed asset URL of the deleted collection: 404")


if __name__ == "__main__":
    Workflow("wf_h_deletes").run(main)
