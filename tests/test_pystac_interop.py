"""to_pystac / from_pystac: lossless both ways for every STAC example, with the few documented
normalizations pystac imposes, and nothing migrated or rewritten."""

from __future__ import annotations

import copy
import datetime as dt
import json
import sys
from typing import Any, Dict, Iterator, List, Tuple

import pystac
import pytest

from azure.planetarycomputer import from_pystac, models, to_pystac
from tests.conftest import REFERENCE

EXAMPLES = REFERENCE / "examples" / "2026-04-15"
MODELS = {
    "Feature": models.StacItem,
    "FeatureCollection": models.StacItemCollection,
    "Collection": models.StacCollection,
    "Catalog": models.StacLandingPage,
}
PYSTAC = {
    "Feature": pystac.Item,
    "FeatureCollection": pystac.ItemCollection,
    "Collection": pystac.Collection,
    "Catalog": pystac.Catalog,
}


def stac_documents(*kinds: str) -> Iterator[Tuple[str, Dict[str, Any]]]:
    """(name, document) for every request body and response body of that STAC type in the examples."""
    for path in sorted(EXAMPLES.glob("Stac*.json")):
        example = json.loads(path.read_text())
        found = [(f"param {k}", v) for k, v in example["parameters"].items() if isinstance(v, dict)]
        found += [(code, r.get("body")) for code, r in example["responses"].items()]
        for where, doc in found:
            # A merge-patch body (StacItems_Update) is part of an item, not an item: it has no stac_version.
            if (
                isinstance(doc, dict)
                and doc.get("type") in kinds
                and (doc["type"] != "Feature" or "stac_version" in doc)
            ):
                yield f"{path.stem} {where}", doc


def cases(*kinds: str) -> List[Any]:
    return [pytest.param(doc, id=name) for name, doc in stac_documents(*kinds)]


def pystac_json(obj: Any) -> Dict[str, Any]:
    if isinstance(obj, pystac.ItemCollection):
        return obj.to_dict(transform_hrefs=False)
    return obj.to_dict(include_self_link=True, transform_hrefs=False)  # type: ignore[no-any-return]


def item(**changes: Any) -> Dict[str, Any]:
    doc: Dict[str, Any] = {
        "type": "Feature",
        "stac_version": "1.0.0",
        "stac_extensions": ["https://stac-extensions.github.io/projection/v1.1.0/schema.json"],
        "id": "a",
        "collection": "c",
        "geometry": {"type": "Point", "coordinates": [1.0, 2.0]},
        "bbox": [1.0, 2.0, 1.0, 2.0],
        "properties": {"datetime": "2021-01-01T00:00:00.5Z", "proj:epsg": 32618, "eo:cloud_cover": 3},
        "links": [
            {"rel": "self", "href": "https://example.com/items/a"},
            {"rel": "collection", "href": "../collection.json", "type": "application/json", "x:extra": 1},
        ],
        "assets": {"data": {"href": "./a.tif", "type": "image/tiff", "roles": ["data"], "file:size": 12}},
        "_msft:etag": "e",
        "msft:_created": "2021-01-02T00:00:00Z",
    }
    doc.update(changes)
    return doc


# -- the reference examples -------------------------------------------------------------------------


def test_examples_cover_every_kind() -> None:
    kinds = {doc["type"] for _, doc in stac_documents(*MODELS)}
    assert kinds == set(MODELS)


@pytest.mark.parametrize("doc", cases("Feature", "FeatureCollection", "Collection"))
def test_example_round_trips_exactly(doc: Dict[str, Any]) -> None:
    original = copy.deepcopy(doc)
    model = MODELS[doc["type"]].deserialize(doc)
    converted = to_pystac(model)
    assert isinstance(converted, PYSTAC[doc["type"]])
    back = from_pystac(converted)
    assert type(back) is MODELS[doc["type"]]
    assert back.as_dict() == original
    assert model.as_dict() == original  # the model was not touched
    # and from the pystac side: pystac -> model -> pystac writes the same JSON
    assert pystac_json(to_pystac(back)) == pystac_json(converted)


@pytest.mark.parametrize("doc", cases("Catalog"))
def test_landing_page_differs_only_by_empty_stac_extensions(doc: Dict[str, Any]) -> None:
    back = from_pystac(to_pystac(models.StacLandingPage.deserialize(doc))).as_dict()
    assert isinstance(back, dict)
    expected = dict(doc)
    if expected.get("stac_extensions") == []:  # documented: pystac drops an empty list on catalogs
        del expected["stac_extensions"]
    assert back == expected


def test_nothing_is_migrated_or_rewritten() -> None:
    converted = to_pystac(models.StacItem.deserialize(item()))
    assert converted.properties["proj:epsg"] == 32618  # not migrated to proj:code
    assert "proj:code" not in converted.properties
    assert converted.stac_extensions == ["https://stac-extensions.github.io/projection/v1.1.0/schema.json"]
    assert converted.get_self_href() == "https://example.com/items/a"
    assert converted.assets["data"].href == "./a.tif"  # relative hrefs stay relative
    assert converted.assets["data"].extra_fields["file:size"] == 12
    assert converted.extra_fields["_msft:etag"] == "e"
    assert converted.extra_fields["msft:_created"] == "2021-01-02T00:00:00Z"
    written = converted.to_dict(include_self_link=True, transform_hrefs=False)
    assert written["stac_version"] == "1.0.0"  # kept through extra_fields, which pystac writes last
    assert written["links"][1]["href"] == "../collection.json"


# -- edge cases pystac would normalize --------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param(item(), id="fractional-datetime"),
        pytest.param(item(properties={"datetime": "2021-01-01T02:00:00+02:00"}), id="offset-datetime"),
        pytest.param(item(geometry=None), id="bbox-without-geometry"),
        pytest.param({k: v for k, v in item().items() if k != "bbox"}, id="no-bbox"),
        pytest.param(
            item(
                properties={
                    "datetime": None,
                    "start_datetime": "2020-01-01T00:00:00Z",
                    "end_datetime": "2021-01-01T00:00:00Z",
                }
            ),
            id="datetime-null-range",
        ),
        pytest.param(
            item(properties={"start_datetime": "2020-01-01T00:00:00Z", "end_datetime": "2021-01-01T00:00:00Z"}),
            id="datetime-absent-range",
        ),
        pytest.param(item(stac_extensions=[]), id="empty-stac-extensions"),
        pytest.param(item(stac_version="1.1.0"), id="stac-1.1"),
    ],
)
def test_item_edge_cases_round_trip(doc: Dict[str, Any]) -> None:
    converted = to_pystac(doc)
    properties_before = copy.deepcopy(converted.properties)
    assert from_pystac(converted).as_dict() == doc
    assert converted.properties == properties_before  # from_pystac leaves the pystac item as it was


def test_item_without_stac_extensions_gains_an_empty_list() -> None:
    doc = {k: v for k, v in item().items() if k != "stac_extensions"}
    back = from_pystac(to_pystac(doc)).as_dict()
    assert back == {**doc, "stac_extensions": []}  # documented: pystac always writes the key on items


def test_collection_without_root_link_gets_none() -> None:
    doc = {
        "type": "Collection",
        "stac_version": "1.0.0",
        "id": "c",
        "description": "d",
        "license": "MIT",
        "extent": {"spatial": {"bbox": [[0, 0, 1, 1]]}, "temporal": {"interval": [["2020-01-01T00:00:00Z", None]]}},
        "links": [{"rel": "self", "href": "https://example.com/c"}],
        "keywords": ["k"],
        "msft:region": "westeurope",
    }
    converted = to_pystac(models.StacCollection.deserialize(doc))
    assert converted.get_root() is None  # not the collection itself, as pystac would make it
    assert from_pystac(converted).as_dict() == doc


def test_edits_in_pystac_come_back() -> None:
    converted = to_pystac(models.StacItem.deserialize(item()))
    converted.datetime = dt.datetime(2022, 5, 1, tzinfo=dt.timezone.utc)
    converted.properties["eo:cloud_cover"] = 9
    converted.assets["extra"] = pystac.Asset("https://example.com/b.tif", roles=["overview"])
    converted.add_link(pystac.Link("alternate", "https://example.com/alt"))
    back = from_pystac(converted)
    assert back["properties"]["datetime"] == "2022-05-01T00:00:00Z"
    assert back["properties"]["eo:cloud_cover"] == 9
    assert back.assets["extra"].href == "https://example.com/b.tif"
    assert [link.rel for link in back.links] == ["self", "collection", "alternate"]


def test_objects_are_detached_both_ways() -> None:
    model = models.StacItem.deserialize(item())
    converted = to_pystac(model)
    converted.properties["eo:cloud_cover"] = 99
    converted.assets["data"].extra_fields["file:size"] = 0
    assert model["properties"]["eo:cloud_cover"] == 3
    assert model["assets"]["data"]["file:size"] == 12
    back = from_pystac(converted)
    back["properties"]["eo:cloud_cover"] = 1
    back["assets"]["data"]["file:size"] = 5
    assert converted.properties["eo:cloud_cover"] == 99
    assert converted.assets["data"].extra_fields["file:size"] == 0


def test_native_pystac_objects_convert() -> None:
    native = pystac.Item(
        "n", {"type": "Point", "coordinates": [0, 0]}, [0, 0, 0, 0], dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc), {}
    )
    model = from_pystac(native)
    assert model.id == "n"
    assert model.stac_version == pystac.get_stac_version()
    collection = from_pystac(pystac.ItemCollection([native]))
    assert isinstance(collection, models.StacItemCollection)
    assert [feature.id for feature in collection.features] == ["n"]


def test_mappings_convert_by_type() -> None:
    assert isinstance(to_pystac(item()), pystac.Item)
    assert isinstance(to_pystac({"type": "FeatureCollection", "features": [item()]}), pystac.ItemCollection)


def test_wrong_inputs_are_refused() -> None:
    with pytest.raises(TypeError, match="Operation of type 'AddItem'"):
        to_pystac(models.Operation.deserialize({"id": "x", "type": "AddItem"}))
    with pytest.raises(TypeError, match="got str"):
        to_pystac("item.json")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="got dict"):
        from_pystac(item())  # type: ignore[call-overload]


def test_missing_pystac_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pystac", None)  # makes `import pystac` fail
    with pytest.raises(ImportError, match=r"azure-planetarycomputer\[pystac\]"):
        to_pystac(item())


def test_a_thousand_items_round_trip() -> None:
    # Speed is measured by benchmarks/, never asserted in tests.
    search = json.loads((EXAMPLES / "StacSearch_Create.json").read_text())["responses"]["200"]["body"]
    features = search["features"]
    page = dict(search, features=[dict(features[i % len(features)], id=f"item-{i}") for i in range(1000)])
    converted = to_pystac(models.StacItemCollection.deserialize(page))
    assert len(converted) == 1000
    assert from_pystac(converted).as_dict() == page


def test_pystac_never_fetches_the_root_link() -> None:
    # A GeoCatalog root needs a token; pystac would fetch it to resolve hrefs (and fail with 401).
    wire = item()
    wire["links"] = [
        {"rel": "root", "href": "http://127.0.0.1:9/stac/", "type": "application/json"},  # nothing listens on :9
        {"rel": "self", "href": "http://127.0.0.1:9/stac/collections/c/items/a"},
    ]
    converted = to_pystac(models.StacItem.deserialize(wire))
    written = converted.to_dict()  # pystac's defaults: resolves and transforms hrefs
    assert [link["href"] for link in written["links"]] == [link["href"] for link in wire["links"]]
    assert converted.get_root() is not None and converted.links[0].href == "http://127.0.0.1:9/stac/"
