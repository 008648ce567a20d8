"""Models as geo objects (``__geo_interface__``) and their short reprs."""

from __future__ import annotations

import json
import pickle
from typing import Any, Dict

import pytest

from azure.planetarycomputer import models


def _item(item_id: str, x: float, cloud: float) -> Dict[str, Any]:
    ring = [[x, 33.0], [x + 1, 33.0], [x + 1, 34.0], [x, 34.0], [x, 33.0]]
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": item_id,
        "collection": "naip-atl",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "bbox": [x, 33.0, x + 1, 34.0],
        "properties": {"datetime": "2021-11-14T16:00:00Z", "eo:cloud_cover": cloud},
        "assets": {"image": {"href": f"https://acct.blob.core.windows.net/c/{item_id}.tif?sig=SECRETSIG"}},
        "links": [],
    }


def _collection() -> models.StacItemCollection:
    features = [_item(f"item-{i}", -85.0 + i, 10.0 * i) for i in range(12)]
    return models.StacItemCollection.deserialize({"type": "FeatureCollection", "features": features, "numberMatched": 40})


def test_item_is_a_geojson_feature_copy() -> None:
    item = _collection().features[0]
    geo = item.__geo_interface__
    assert geo["type"] == "Feature" and geo["geometry"]["type"] == "Polygon"
    assert geo["properties"]["eo:cloud_cover"] == 0.0
    geo["properties"]["eo:cloud_cover"] = 99
    assert item.properties["eo:cloud_cover"] == 0.0  # a copy: changing it leaves the item alone
    json.dumps(geo)  # plain JSON, no models inside
    assert item.geometry.__geo_interface__ == geo["geometry"]


def test_models_that_are_not_geojson_have_no_geo_interface() -> None:
    collection = models.StacCollection.deserialize({"type": "Collection", "id": "c", "links": []})
    assert not hasattr(collection, "__geo_interface__")
    assert not hasattr(models.StacAsset(href="https://x/a.tif"), "__geo_interface__")
    # Items built in code, without "type", are still Features.
    assert models.StacItem(id="a", geometry=None).__geo_interface__["type"] == "Feature"


def test_shapely_takes_items_and_geometries() -> None:
    shapely_geometry = pytest.importorskip("shapely.geometry")
    item = _collection().features[3]
    shape = shapely_geometry.shape(item.geometry)
    assert shape.bounds == (-82.0, 33.0, -81.0, 34.0)
    assert shapely_geometry.shape(item.__geo_interface__["geometry"]).equals(shape)


def test_geopandas_reads_an_item_collection_directly() -> None:
    geopandas = pytest.importorskip("geopandas")
    collection = _collection()
    frame = geopandas.GeoDataFrame.from_features(collection, crs="EPSG:4326")
    assert len(frame) == 12
    assert list(frame["eo:cloud_cover"]) == [10.0 * i for i in range(12)]
    assert frame.total_bounds.tolist() == [-85.0, 33.0, -73.0, 34.0]
    # A list of items works as well (each is a Feature).
    assert len(geopandas.GeoDataFrame.from_features(collection.features[:5])) == 5


def test_reprs_are_short_and_name_what_matters() -> None:
    collection = _collection()
    item = collection.features[0]
    assert repr(item) == "<StacItem id='item-0' collection='naip-atl'>"
    assert repr(collection) == "<StacItemCollection features=12 numberMatched=40>"
    stac_collection = models.StacCollection.deserialize(
        {"type": "Collection", "id": "naip-atl", "title": "NAIP: Atlanta", "description": "x" * 10_000, "links": []}
    )
    assert repr(stac_collection) == "<StacCollection id='naip-atl' title='NAIP: Atlanta'>"
    assert len(repr(models.StacItemCollection.deserialize({"type": "FeatureCollection", "features": []}))) < 60


def test_long_reprs_of_other_models_are_cut_and_carry_no_signature() -> None:
    asset = models.StacAsset.deserialize({"href": "https://acct.blob.core.windows.net/c/a.tif?sig=SECRETSIG", "description": "d" * 5000})
    text = repr(asset)
    assert text.startswith("StacAsset({") and len(text) < 450 and "characters)" in text
    assert "SECRETSIG" not in text and "SECRETSIG" not in repr(_collection().features[0].assets)


def test_pickled_items_keep_their_geo_interface() -> None:
    item = _collection().features[1]
    assert pickle.loads(pickle.dumps(item)).__geo_interface__ == item.__geo_interface__


def test_lazy_names_are_listed_by_dir_before_their_first_use() -> None:
    import azure.planetarycomputer as package
    import azure.planetarycomputer.aio as aio_package

    for module in (package, aio_package):
        names = dir(module)
        assert {"download_item", "download_item_collection", "DownloadError", "TqdmProgress"} <= set(names)
        assert "PlanetaryComputerProClient" in names and names == sorted(names)
        assert set(module.__all__) <= set(names)


def test_a_sync_search_is_geojson_and_an_async_one_says_how_to_get_it() -> None:
    from azure.planetarycomputer._item_search import ItemSearch
    from azure.planetarycomputer.aio import AsyncItemSearch

    class Received:  # a page as the operation group hands it over: raw bytes and a parse
        body = b""

        def parse(self) -> models.StacItemCollection:
            return _collection()

    search = ItemSearch(lambda limit: Received(), lambda request: Received(), body=None, max_items=5)
    geo = search.__geo_interface__
    assert geo["type"] == "FeatureCollection" and [f["id"] for f in geo["features"]] == [f"item-{i}" for i in range(5)]
    geopandas = pytest.importorskip("geopandas")
    assert len(geopandas.GeoDataFrame.from_features(search)) == 5

    async def first(limit: Any) -> Received:
        return Received()

    async_search = AsyncItemSearch(first, first, body=None, max_items=5)  # type: ignore[arg-type]
    assert not hasattr(async_search, "__geo_interface__")
    with pytest.raises(AttributeError, match="await search.item_collection"):
        getattr(async_search, "__geo_interface__")  # noqa: B009
