"""STAC search: find items by place, time and properties, across every page of results.

Searches a collection with ``client.stac.item_search`` by bounding box, datetime, a CQL2-JSON and a
CQL2-text filter, and sorts the results; pages through them (``.pages()``, ``page_size``,
``max_items``); lists a collection's items with ``client.stac.list_items``; converts results to
pystac and back (``to_pystac`` / ``from_pystac``); signs items so their assets can be read.

    python samples/stac_search.py [--output DIR]

Needs pystac (``pip install -e ".[pystac]"``). Runs against a local emulator unless
``PLANETARYCOMPUTER_ENDPOINT`` is set; then it searches ``PLANETARYCOMPUTER_COLLECTION`` around
``PLANETARYCOMPUTER_ITEM`` (see ``samples/_setup.py``). The item collection found is written to
the output folder as GeoJSON.
"""

import datetime as dt
import json

from _setup import demo, output_folder, step

from azure.planetarycomputer import from_pystac, to_pystac


def main() -> None:
    output = output_folder()
    with demo() as (client, collection_id, item_id):
        stac = client.stac
        item = stac.get_item(collection_id, item_id)
        bbox = list(item.bounding_box)
        when = dt.datetime.fromisoformat(item.properties.date_time.replace("Z", "+00:00"))  # an RFC 3339 string

        step("Search by bounding box and datetime, page by page")
        search = stac.item_search(
            collections=[collection_id],
            bounding_box=[bbox[0] - 0.01, bbox[1] - 0.01, bbox[2] + 0.01, bbox[3] + 0.01],
            datetime=(when - dt.timedelta(days=365), None),  # from a year before the item, open-ended
            page_size=2,
            max_items=50,
        )
        pages = [len(page.features) for page in search.pages()]
        print(f"   {sum(pages)} items in {len(pages)} pages of at most 2 ({pages})")

        step("Filter with CQL2 and sort")
        cql2_json = {"op": "s_intersects", "args": [{"property": "geometry"}, item.geometry.as_dict()]}
        found = stac.item_search(collections=[collection_id], filter=cql2_json, max_items=10)
        print(f"   CQL2-JSON, intersecting {item_id}: {[hit.id for hit in found]}")
        cql2_text = f"datetime <= TIMESTAMP('{item.properties.date_time}')"
        found = stac.item_search(collections=[collection_id], filter=cql2_text, max_items=10)
        print(f"   CQL2-text, {cql2_text}: {[hit.id for hit in found]}")
        newest = stac.item_search(collections=[collection_id], sort_by="-properties.datetime", max_items=3)
        print(f"   newest first: {[(hit.id, hit.properties.date_time) for hit in newest]}")

        step(f"List the items of {collection_id}")
        listed = stac.list_items(collection_id, page_size=2, max_items=10).item_collection()
        print(f"   {len(listed.features)} items: {sorted(hit.id for hit in listed.features)}")
        path = output / "items.geojson"
        path.write_text(json.dumps(listed.as_dict(), indent=2), encoding="utf-8")
        print(f"   written to {path}")

        step("To pystac and back")
        items = to_pystac(listed)  # a pystac.ItemCollection
        first = next(iter(items))
        print(f"   a pystac.ItemCollection of {len(items)}; the first, {first.id}, at {first.datetime}")
        back = from_pystac(first)  # a StacItem again, every field kept
        same = back.as_dict() == first.to_dict(transform_hrefs=False)  # False: pystac would fetch the root link
        print(f"   back: {type(back).__name__} {back.id}, same JSON: {same}")

        step("Sign, to read the assets")
        signed = client.sas.sign(item)  # a signed copy; one cached token per collection
        for key, asset in signed.assets.items():
            print(f"   {key}: {asset.href.split('?')[0]}?<SAS token>")
        client.sas.sign_inplace(items)  # pystac objects too; also usable as pystac-client's `modifier`
        hrefs = [asset.href for pystac_item in items for asset in pystac_item.assets.values()]
        print(f"   {sum('?' in href for href in hrefs)} of {len(hrefs)} asset hrefs of the pystac items now signed")


if __name__ == "__main__":
    main()
