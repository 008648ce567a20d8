"""(c) Search: bbox, datetime, intersects, ids, CQL2 JSON and CQL2 text with exact expected id sets,
and paging through a collection's items.

python wf_c_search.py <endpoint> <workdir>
"""

from __future__ import annotations

from typing import Any, Dict, List

from _harness import Demo, Workflow, collection_body, ids, next_token

from azure.planetarycomputer import models

#: id -> (bbox, datetime, eo:cloud_cover, platform); the expected sets below follow from these.
LAYOUT = {
    "s1": ([0.0, 0.0, 1.0, 1.0], "2024-01-10T10:00:00Z", 5, "alpha"),
    "s2": ([2.0, 0.0, 3.0, 1.0], "2024-02-10T10:00:00Z", 50, "beta"),
    "s3": ([0.0, 2.0, 1.0, 3.0], "2024-03-10T10:00:00Z", 15, "alpha"),
    "s4": ([2.0, 2.0, 3.0, 3.0], "2024-04-10T10:00:00Z", 80, "beta"),
    "s5": ([10.0, 10.0, 11.0, 11.0], "2024-05-10T10:00:00Z", 0, "gamma"),
}


def polygon(bbox: List[float]) -> Dict[str, Any]:
    w, s, e, n = bbox
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def synthetic_items(demo: Demo, cid: str) -> List[Dict[str, Any]]:
    """Five items at known places and times, with the first demo item's (real) assets."""
    template = demo.items[0]
    items = []
    for item_id, (bbox, when, cloud, platform) in LAYOUT.items():
        items.append(
            {
                "type": "Feature",
                "stac_version": "1.0.0",
                "id": item_id,
                "collection": cid,
                "bbox": bbox,
                "geometry": polygon(bbox),
                "properties": {"datetime": when, "eo:cloud_cover": cloud, "platform": platform},
                "assets": template["assets"],
                "links": [],
            }
        )
    return items


def main(wf: Workflow) -> None:
    stac = wf.client.stac
    demo = Demo(wf.workdir)
    cid = wf.uid("wf-c-search")
    wf.info["collection"] = cid
    wf.wait(
        stac.begin_create_collection(collection_body(cid, "Search", [0, 0, 11, 11], ["2024-01-01T00:00:00Z", None])),
        "create collection",
    )
    wf.cleanups.append(lambda: stac.begin_delete_collection(cid).result(timeout=30))
    wf.wait(
        stac.begin_create_item(cid, {"type": "FeatureCollection", "features": synthetic_items(demo, cid)}),
        "ingest five items",
    )

    def search(what: str, expected: List[str], **body: Any) -> None:
        page = stac.search({"collections": [cid], "limit": 100, **body})
        wf.equal(ids(page.features), sorted(expected), f"search by {what}")

    search("bbox", ["s1", "s2"], bbox=[-0.5, -0.5, 3.5, 1.5])
    search("bbox touching four", ["s1", "s2", "s3", "s4"], bbox=[0.5, 0.5, 2.5, 2.5])
    search("bbox matching nothing", [], bbox=[50.0, 50.0, 51.0, 51.0])
    search("datetime range", ["s2", "s3", "s4"], datetime="2024-02-01T00:00:00Z/2024-04-30T00:00:00Z")
    search("open-start datetime", ["s1"], datetime="../2024-01-31T00:00:00Z")
    search("open-end datetime", ["s4", "s5"], datetime="2024-04-01T00:00:00Z/..")
    search("exact datetime", ["s3"], datetime="2024-03-10T10:00:00Z")
    search("bbox and datetime", ["s3", "s4"], bbox=[-0.5, -0.5, 3.5, 3.5], datetime="2024-03-01T00:00:00Z/..")
    search("intersects", ["s5"], intersects=polygon([9.0, 9.0, 12.0, 12.0]))
    search("ids", ["s1", "s5"], ids=["s1", "s5"])
    search(
        "CQL2 JSON",
        ["s1", "s3"],
        filter={
            "op": "and",
            "args": [
                {"op": "<", "args": [{"property": "eo:cloud_cover"}, 20]},
                {"op": "=", "args": [{"property": "platform"}, "alpha"]},
            ],
        },
        **{"filter-lang": "cql2-json"},
    )
    search("CQL2 text", ["s2", "s4"], filter="eo:cloud_cover >= 50", **{"filter-lang": "cql2-text"})
    search(
        "CQL2 text with AND", ["s4"], filter="platform = 'beta' AND eo:cloud_cover > 60", **{"filter-lang": "cql2-text"}
    )
    search(
        "CQL2 text spatial",
        ["s5"],
        filter="S_INTERSECTS(geometry, POLYGON((9 9, 12 9, 12 12, 9 12, 9 9)))",
        **{"filter-lang": "cql2-text"},
    )
    search(
        "CQL2 JSON temporal",
        ["s1", "s2"],
        filter={"op": "t_before", "args": [{"property": "datetime"}, {"timestamp": "2024-03-01T00:00:00Z"}]},
        **{"filter-lang": "cql2-json"},
    )

    # the search body as the package's model
    page = stac.search(models.StacSearchParameters(collections=[cid], bounding_box=[-0.5, 1.5, 3.5, 3.5], limit=100))
    wf.equal(ids(page.features), ["s3", "s4"], "search with a StacSearchParameters model")

    # sorted, limited
    page = stac.search(
        {"collections": [cid], "sortby": [{"field": "properties.eo:cloud_cover", "direction": "desc"}], "limit": 2}
    )
    wf.equal([f["id"] for f in page.features], ["s4", "s2"], "search sorted by cloud cover, limit 2")

    # GET items of a collection with bbox / datetime
    page = stac.get_item_collection(cid, bounding_box=["-0.5", "-0.5", "3.5", "1.5"], limit=100)
    wf.equal(ids(page.features), ["s1", "s2"], "items of a collection by bbox")
    page = stac.get_item_collection(cid, datetime="2024-03-01T00:00:00Z/2024-05-31T00:00:00Z", limit=100)
    wf.equal(ids(page.features), ["s3", "s4", "s5"], "items of a collection by datetime")

    # paging: two items per page, following the next links' tokens
    seen: List[str] = []
    page = stac.get_item_collection(cid, limit=2)
    pages = 1
    while True:
        wf.check(len(page.features) <= 2, f"item page {pages}: at most 2 items", len(page.features))
        seen.extend(f["id"] for f in page.features)
        token = next_token(page)
        if token is None:
            break
        pages += 1
        wf.check(pages <= 10, "item paging ends")
        page = stac.get_item_collection(cid, limit=2, token=token)
    wf.equal(pages, 3, "item paging: three pages of two")
    wf.equal(sorted(seen), sorted(LAYOUT), "item paging: every item once")

    wf.wait(stac.begin_delete_collection(cid), "delete collection")
    wf.cleanups.clear()
    wf.not_found(lambda: stac.get_collection(cid), "get deleted collection: 404")


if __name__ == "__main__":
    Workflow("wf_c_search").run(main)
