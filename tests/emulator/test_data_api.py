"""The emulator's data (tiler) API through our client, on the real demo COGs.

The demo catalog (three adjacent 4-band COGs near Atlanta) is put straight into the session
emulator's store, in a collection of its own, and removed afterwards. Images are decoded with
rasterio and compared with rio-tiler reading the same COG directly.
"""

from __future__ import annotations

import inspect
import json
import re
import urllib.request
import uuid
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple
from urllib.parse import unquote, urlparse

import morecantile
import numpy as np
import pytest
import rasterio
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from rasterio.errors import NotGeoreferencedWarning
from rasterio.io import MemoryFile
from rasterio.warp import transform as warp_transform
from rio_tiler.io import Reader

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential
from azure.planetarycomputer.aio import AsyncStaticTokenCredential
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncPlanetaryComputerProClient
from azure.planetarycomputer.operations import _operations as operations_module
from geocatalog_emulator.demo import DEMO_COLLECTION, make_demo
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

from .test_stac_api import raw

RGB = ["image|1,2,3"]
RGB_IMAGE: Dict[str, Any] = {"assets": ["image"], "asset_band_indices": RGB}
WMQ = "WebMercatorQuad"


@dataclass
class Demo:
    collection_id: str
    items: List[Dict[str, Any]]  # as stored, oldest first (west to east)
    files: List[Path]  # the COG of each item, in the emulator's blob store

    @property
    def ids(self) -> List[str]:
        return [item["id"] for item in self.items]


@pytest.fixture(scope="module")
def demo(geocatalog_emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:  # noqa: F811
    """The demo catalog in the store: collection and items as documents, files as blobs."""
    app, endpoint = geocatalog_emulator.app, geocatalog_emulator.endpoint
    catalog = make_demo(tmp_path_factory.mktemp("demo"))
    folder = catalog.parent / DEMO_COLLECTION
    cid = f"data-api-{uuid.uuid4().hex[:8]}"
    collection = json.loads((folder / "collection.json").read_text())
    collection.update(id=cid, links=[])
    app.store.put("collection", "", cid, collection)
    items, files = [], []
    for path in sorted(folder.glob("*/*.json")):
        item = json.loads(path.read_text())
        item.update(collection=cid, links=[])
        for asset in item["assets"].values():
            name = f"{item['id']}/{Path(asset['href']).name}"
            app.store.write_blob(cid, name, (path.parent / asset["href"]).read_bytes())
            asset["href"] = app.blob_url(endpoint, cid, name)
        app.store.put("item", cid, item["id"], item)
        items.append(item)
        files.append(app.store.blob_path(cid, f"{item['id']}/image.tif"))
    yield Demo(cid, items, files)
    app.store.delete_children("item", cid)
    app.store.delete("collection", "", cid)


@pytest.fixture(scope="module")
def client(geocatalog_emulator: Emulator) -> Iterator[PlanetaryComputerProClient]:  # noqa: F811
    with PlanetaryComputerProClient(geocatalog_emulator.endpoint, StaticTokenCredential(), retry_total=0) as c:
        yield c


def decode(data: bytes) -> np.ndarray:
    """An encoded image (png, jpeg, webp, tif) -> (bands, rows, cols)."""
    with warnings.catch_warnings(), MemoryFile(data) as mem:
        warnings.simplefilter("ignore", NotGeoreferencedWarning)  # plain PNG / JPEG / WebP
        with mem.open() as src:
            return src.read()


def center(item: Dict[str, Any]) -> Tuple[float, float]:
    west, south, east, north = item["bbox"]
    return (west + east) / 2, (south + north) / 2


def tile_at(lon: float, lat: float, zoom: int) -> morecantile.Tile:
    return morecantile.tms.get(WMQ).tile(lon, lat, zoom)


def direct_tile(path: Path, tile: morecantile.Tile, size: int = 256) -> Tuple[np.ndarray, np.ndarray]:
    """RGB and validity of a tile read by rio-tiler straight from the COG."""
    with warnings.catch_warnings(), Reader(str(path)) as src:
        warnings.simplefilter("ignore", PendingDeprecationWarning)  # rasterio's Affine '*' inside rio-tiler
        img = src.tile(tile.x, tile.y, tile.z, tilesize=size, indexes=(1, 2, 3))
    return img.data, img.mask == 255


# -- item tiles ------------------------------------------------------------------------------------


def test_item_tile_png_matches_rio_tiler_reading_the_cog(client: PlanetaryComputerProClient, demo: Demo) -> None:
    tile = tile_at(*center(demo.items[0]), 17)
    stream = client.data.get_tile_by_format(
        demo.collection_id, demo.ids[0], WMQ, tile.z, tile.x, tile.y, "png", assets=["image"], asset_band_indices=RGB
    )
    assert stream.content_type == "image/png"
    pixels = decode(stream.read())
    assert pixels.shape == (4, 256, 256)  # RGB + alpha from the mask
    assert len(np.unique(pixels[0])) > 20  # fields, roads, noise: not a flat tile
    expected, valid = direct_tile(demo.files[0], tile)
    assert valid.any() and (pixels[3] == 255).sum() == valid.sum()
    np.testing.assert_array_equal(pixels[:3][:, valid], expected[:, valid])
    rows, cols = np.nonzero(valid)
    for r, c in list(zip(rows, cols))[:: max(1, len(rows) // 7)]:
        assert tuple(pixels[:3, r, c]) == tuple(expected[:, r, c])


def test_item_tile_variants_scale_formats_and_no_tms(client: PlanetaryComputerProClient, demo: Demo) -> None:
    tile = tile_at(*center(demo.items[1]), 17)
    cid, iid = demo.collection_id, demo.ids[1]
    kw: Dict[str, Any] = {"assets": ["image"], "asset_band_indices": RGB}
    big = client.data.get_tile_by_scale_and_format(cid, iid, WMQ, tile.z, tile.x, tile.y, 2, "png", **kw)
    assert decode(big.read()).shape == (4, 512, 512)
    jpg = client.data.get_tile_no_tms_by_format(cid, iid, tile.z, tile.x, tile.y, "jpg", **kw)
    assert jpg.content_type == "image/jpeg" and decode(jpg.read()).shape == (3, 256, 256)
    webp = client.data.get_tile_by_format(cid, iid, WMQ, tile.z, tile.x, tile.y, "webp", **kw)
    assert webp.content_type == "image/webp" and webp.read()[8:12] == b"WEBP"
    tif = client.data.get_tile_no_tms_by_scale_and_format(cid, iid, tile.z, tile.x, tile.y, 1, "tif", **kw)
    assert tif.content_type.startswith("image/tiff")
    with MemoryFile(tif.read()) as mem, mem.open() as src:
        assert src.crs.to_epsg() == 3857 and src.count == 4
    npy = client.data.get_tile_no_tms(cid, iid, tile.z, tile.x, tile.y, format="npy", **kw)
    assert npy.content_type == "application/x-binary" and npy.read()[:6] == b"\x93NUMPY"


def test_item_tile_expression_rescale_and_colormap(client: PlanetaryComputerProClient, demo: Demo) -> None:
    tile = tile_at(*center(demo.items[0]), 17)
    ndvi = client.data.get_tile_by_format(
        demo.collection_id,
        demo.ids[0],
        WMQ,
        tile.z,
        tile.x,
        tile.y,
        "png",
        expression="(image_b4-image_b1)/(image_b4+image_b1)",
        rescale=["-1,1"],
        color_map_name="rdylgn",
    )
    pixels = decode(ndvi.read())
    assert pixels.shape == (4, 256, 256) and len(np.unique(pixels[1])) > 5


def test_item_tile_errors(client: PlanetaryComputerProClient, demo: Demo) -> None:
    cid, iid = demo.collection_id, demo.ids[0]
    far = tile_at(10.0, 50.0, 17)
    with pytest.raises(ResourceNotFoundError) as outside:
        client.data.get_tile_by_format(cid, iid, WMQ, far.z, far.x, far.y, "png", assets=["image"])
    assert outside.value.error.code == "TileOutsideBounds"
    tile = tile_at(*center(demo.items[0]), 17)
    with pytest.raises(ResourceNotFoundError) as asset:
        client.data.get_tile_by_format(cid, iid, WMQ, tile.z, tile.x, tile.y, "png", assets=["nope"])
    assert asset.value.error.code == "InvalidAssetName"
    with pytest.raises(ResourceNotFoundError) as tms:
        client.data.get_tile_by_format(cid, iid, "NoSuchGrid", tile.z, tile.x, tile.y, "png", assets=["image"])
    assert tms.value.error.code == "TileMatrixSetNotFound"
    with pytest.raises(HttpResponseError) as expression:
        client.data.get_tile_by_format(cid, iid, WMQ, tile.z, tile.x, tile.y, "png", expression="image_b1 +* 2")
    assert expression.value.status_code == 400 and expression.value.error.code == "InvalidExpression"
    with pytest.raises(HttpResponseError) as missing:
        client.data.get_tile_by_format(cid, iid, WMQ, tile.z, tile.x, tile.y, "png")
    assert missing.value.status_code == 400 and missing.value.error.code == "MissingAssets"
    with pytest.raises(ResourceNotFoundError):
        client.data.get_tile_by_format(cid, "no-such-item", WMQ, tile.z, tile.x, tile.y, "png", assets=["image"])


# -- item documents --------------------------------------------------------------------------------


def test_tilejson_tile_url_is_served(
    client: PlanetaryComputerProClient,
    demo: Demo,
    geocatalog_emulator: Emulator,  # noqa: F811
) -> None:
    doc = client.data.get_item_tile_json(
        demo.collection_id, demo.ids[0], assets=["image"], asset_band_indices=RGB, tile_format="png", min_zoom=15
    )
    assert doc.tile_json == "2.2.0" and doc.min_zoom == 15 and doc.max_zoom >= 17
    assert doc.bounds == pytest.approx(demo.items[0]["bbox"])
    template = doc.tiles[0]
    assert template.startswith(geocatalog_emulator.endpoint) and "asset_bidx=image%7C1%2C2%2C3" in template
    assert "tile_format" not in template and "minzoom" not in template
    tile = tile_at(*center(demo.items[0]), 17)
    url = template.replace("{z}", str(tile.z)).replace("{x}", str(tile.x)).replace("{y}", str(tile.y))
    request = urllib.request.Request(url, headers={"Authorization": "Bearer local"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Type"] == "image/png"
        assert decode(response.read()).shape == (4, 256, 256)


def test_wmts_capabilities_parse_as_xml(client: PlanetaryComputerProClient, demo: Demo) -> None:
    text = client.data.get_item_wmts_capabilities(
        demo.collection_id, demo.ids[0], assets=["image"], asset_band_indices=RGB, tile_format="png"
    ).text()
    ns = {"w": "http://www.opengis.net/wmts/1.0", "ows": "http://www.opengis.net/ows/1.1"}
    root = ET.fromstring(text)
    layer = root.find("w:Contents/w:Layer", ns)
    assert layer is not None
    resource = layer.find("w:ResourceURL", ns)
    assert resource is not None and "{TileMatrix}/{TileCol}/{TileRow}@1x.png" in resource.attrib["template"]
    matrices = root.findall("w:Contents/w:TileMatrixSet/w:TileMatrix", ns)
    assert matrices and matrices[0].find("ows:Identifier", ns).text == "16"  # type: ignore[union-attr]
    by_tms = client.data.get_item_wmts_capabilities_by_tms(demo.collection_id, demo.ids[0], "WorldCRS84Quad")
    assert ET.fromstring(by_tms.read()).tag.endswith("Capabilities")


def test_info_bounds_assets_and_statistics_match_the_raster(client: PlanetaryComputerProClient, demo: Demo) -> None:
    cid, iid = demo.collection_id, demo.ids[0]
    with rasterio.open(demo.files[0]) as src:
        band1 = src.read(1)
    infos = client.data.get_item_info(cid, iid)
    info = infos["image"]
    assert (info["width"], info["height"], info["count"], info["dtype"]) == (512, 512, 4, "uint8")
    assert info["nodata_type"] == "Nodata" and info["overviews"] == [2, 4]
    assert info["bounds"] == pytest.approx(demo.items[0]["bbox"], abs=1e-6)
    for key in ("red", "green", "blue", "nir"):  # single-band COGs on the image's grid
        single = infos[key]
        assert (single["width"], single["height"], single["count"], single["dtype"]) == (512, 512, 1, "uint8")
        assert single["nodata_type"] == "Nodata" and single["bounds"] == info["bounds"]
    feature = client.data.get_item_info_geo_json(cid, iid)
    assert feature["type"] == "Feature" and "image" in feature["properties"]
    assert client.data.get_item_bounds(cid, iid).bounds == pytest.approx(demo.items[0]["bbox"])
    # the thumbnail is no raster: the 4-band image and its bands as single-band COGs
    assert client.data.get_item_available_assets(cid, iid) == ["image", "red", "green", "blue", "nir"]
    stats = client.data.get_item_statistics(cid, iid, assets=["image"])
    assert sorted(stats) == ["image_b1", "image_b2", "image_b3", "image_b4"]
    assert stats["image_b1"]["min"] == band1.min() and stats["image_b1"]["max"] == band1.max()
    assert stats["image_b1"]["mean"] == pytest.approx(band1.mean())
    per_asset = client.data.get_item_asset_statistics(cid, iid, assets=["image"])
    assert per_asset["image"]["b1"]["max"] == band1.max()
    # each single-band asset holds the same pixels as its band of the image
    singles = client.data.get_item_asset_statistics(cid, iid, assets=["red", "green", "blue", "nir"])
    for index, key in enumerate(["red", "green", "blue", "nir"], 1):
        assert list(singles[key]) == ["b1"] and singles[key]["b1"] == per_asset["image"][f"b{index}"]


def test_feature_statistics_and_nodata(client: PlanetaryComputerProClient, demo: Demo) -> None:
    cid, last = demo.collection_id, demo.items[-1]
    with rasterio.open(demo.files[-1]) as src:
        band1 = src.read(1)
    west, south, east, north = last["bbox"]
    feature = {
        "type": "Feature",
        "properties": {"name": "whole item"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
        },
    }
    result = client.data.get_item_feature_statistics(cid, last["id"], feature, assets=["image"])
    stats = result["properties"]["statistics"]["image_b1"]
    assert stats["min"] == band1[band1 > 0].min() and stats["max"] == band1.max()  # nodata 0 left out
    assert result["properties"]["name"] == "whole item"


def test_point_value_is_the_raster_value(client: PlanetaryComputerProClient, demo: Demo) -> None:
    lon, lat = center(demo.items[0])
    lon, lat = lon - 0.0007, lat + 0.0004
    point = client.data.get_item_point(demo.collection_id, demo.ids[0], lon, lat, assets=["image"])
    with rasterio.open(demo.files[0]) as src:
        xs, ys = warp_transform("EPSG:4326", src.crs, [lon], [lat])
        row, col = src.index(xs[0], ys[0])
        expected = src.read(window=((row, row + 1), (col, col + 1)))[:, 0, 0]
    assert point.values_property == [float(v) for v in expected]
    assert point.band_names == ["image_b1", "image_b2", "image_b3", "image_b4"]
    assert point.coordinates == pytest.approx([lon, lat])


def test_preview_bbox_and_feature_crops(client: PlanetaryComputerProClient, demo: Demo) -> None:
    cid, iid = demo.collection_id, demo.ids[0]
    preview = client.data.get_item_preview_with_format(cid, iid, "png", max_size=128, **RGB_IMAGE)
    assert decode(preview.read()).shape == (4, 128, 128)
    lon, lat = center(demo.items[0])
    box = (lon - 0.001, lat - 0.0005, lon + 0.001, lat + 0.0005)
    crop = client.data.get_item_bbox_crop_with_dimensions(
        cid, iid, *box, 100, 50, "png", assets=["image"], asset_band_indices=RGB
    )
    pixels = decode(crop.read())
    assert pixels.shape == (4, 50, 100) and (pixels[3] == 255).all()
    native = client.data.get_item_bbox_crop(cid, iid, *box, "jpg", assets=["image"], asset_band_indices=RGB)
    assert native.content_type == "image/jpeg" and decode(native.read()).shape[0] == 3
    ring = [[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[1]]]
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": {}}
    cut = client.data.crop_feature_width_by_height(cid, iid, 64, 32, "png", feature, **RGB_IMAGE)
    alpha = decode(cut.read())[3]
    assert alpha.shape == (32, 64)
    assert alpha[-1, -1] == 255 and alpha[0, 0] == 0  # inside the triangle (south-east), outside (north-west)


def test_item_tilesets(client: PlanetaryComputerProClient, demo: Demo) -> None:
    listing = client.data.get_tilesets(demo.collection_id, demo.ids[0])
    assert WMQ in [entry.links[0].href.rsplit("/", 1)[-1] for entry in listing.tilesets]
    meta = client.data.get_tileset_metadata(demo.collection_id, demo.ids[0], WMQ)
    limits = meta.tile_matrix_set_limits
    tile = tile_at(*center(demo.items[0]), 17)
    z17 = next(entry for entry in limits if entry.tile_matrix == "17")
    assert z17.min_tile_col <= tile.x <= z17.max_tile_col and z17.min_tile_row <= tile.y <= z17.max_tile_row


# -- tile matrix sets and legends ------------------------------------------------------------------


def test_tile_matrix_sets(client: PlanetaryComputerProClient) -> None:
    names = client.data.get_tile_matrices()
    assert WMQ in names and "WorldCRS84Quad" in names
    definition = client.data.get_tile_matrix_definitions(WMQ)
    assert definition.crs == "http://www.opengis.net/def/crs/EPSG/0/3857"
    assert definition.tile_matrices[0].matrix_width == 1 and definition.tile_matrices[3].matrix_width == 8
    with pytest.raises(ResourceNotFoundError):
        client.data.get_tile_matrix_definitions("NoSuchGrid")


def test_legends(client: PlanetaryComputerProClient) -> None:
    legend = client.data.get_legend("rdylgn")
    assert legend.content_type == "image/jpg"  # as the service labels it; the bytes are PNG
    data = legend.read()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    pixels = decode(data)
    assert pixels.shape == (4, 11, 387)  # the service's default 5 x 0.15 in
    assert tuple(pixels[:3, 5, 0]) != tuple(pixels[:3, 5, -1])  # red to green
    assert decode(client.data.get_legend("viridis", width=2, height=0.5).read()).shape == (4, 38, 154)
    classes = client.data.get_class_map_legend("io-lulc-9-class")
    assert classes["1"] == [65, 155, 223, 255] and classes["0"] == [0, 0, 0, 0]
    assert "0" not in client.data.get_class_map_legend("esa-worldcover", trim_start=1)
    intervals = client.data.get_interval_legend("modis-64A1")
    assert intervals[1] == [[1, 32], [255, 255, 178, 255]]
    with pytest.raises(ResourceNotFoundError):
        client.data.get_class_map_legend("no-such-map")


# -- mosaics ---------------------------------------------------------------------------------------


def seam_tile(demo: Demo) -> morecantile.Tile:
    """A zoom-17 tile across the seam of the first two items."""
    _, lat = center(demo.items[0])
    return tile_at(demo.items[0]["bbox"][2], lat, 17)


def assert_two_items_mosaic(pixels: np.ndarray, demo: Demo, tile: morecantile.Tile) -> None:
    older, older_valid = direct_tile(demo.files[0], tile)
    newer, newer_valid = direct_tile(demo.files[1], tile)
    assert older_valid.any() and newer_valid.any()
    valid = pixels[3] == 255
    np.testing.assert_array_equal(valid, older_valid | newer_valid)
    np.testing.assert_array_equal(pixels[:3][:, newer_valid], newer[:, newer_valid])  # newest first
    only_older = older_valid & ~newer_valid
    np.testing.assert_array_equal(pixels[:3][:, only_older], older[:, only_older])


def test_collection_mosaic_tile_covers_two_adjacent_items(client: PlanetaryComputerProClient, demo: Demo) -> None:
    tile = seam_tile(demo)
    stream = client.data.get_collection_tile_by_format(
        demo.collection_id, WMQ, tile.z, tile.x, tile.y, "png", assets=["image"], asset_band_indices=RGB
    )
    assert_two_items_mosaic(decode(stream.read()), demo, tile)
    assets = client.data.get_collection_assets_for_tile(demo.collection_id, WMQ, tile.z, tile.x, tile.y)
    assert sorted(a.id for a in assets) == demo.ids[:2]
    empty = client.data.get_collection_tile_no_tms_by_format(
        demo.collection_id, 17, 1000, 1000, "png", assets=["image"], asset_band_indices=RGB
    )
    assert (decode(empty.read())[3] == 0).all()  # no item there: a transparent tile
    lon, lat = center(demo.items[1])
    point = client.data.get_collection_point(demo.collection_id, lon, lat, assets=["image"])
    assert len(point.values_property) == 4
    across = (demo.items[0]["bbox"][0], lat - 0.0005, demo.items[1]["bbox"][2], lat + 0.0005)
    crop = client.data.get_collection_bbox_crop_with_dimensions(
        demo.collection_id, *across, 200, 20, "png", **RGB_IMAGE
    )
    assert (decode(crop.read())[3] == 255).mean() > 0.95
    info = client.data.get_collection_info(demo.collection_id)
    assert info.search.search["collections"] == [demo.collection_id]


def test_search_mosaic_register_info_tile(client: PlanetaryComputerProClient, demo: Demo) -> None:
    registered = client.data.register_mosaics_search(
        collections=[demo.collection_id], filter_language="cql2-json", metadata={"type": "mosaic", "name": "demo"}
    )
    search_id = registered.search_id
    assert {link.rel for link in registered.links} == {"metadata", "tilejson", "wmts"}
    again = client.data.register_mosaics_search(collections=[demo.collection_id], filter_language="cql2-json")
    assert again.search_id == search_id  # the id is a hash of the search
    info = client.data.get_search_info(search_id)
    assert info.search.hash == search_id and info.search.search["collections"] == [demo.collection_id]
    tile = seam_tile(demo)
    stream = client.data.get_search_tile_by_scale_and_format(
        search_id, WMQ, tile.z, tile.x, tile.y, 1, "png", assets=["image"], asset_band_indices=RGB
    )
    assert_two_items_mosaic(decode(stream.read()), demo, tile)
    tilejson = client.data.get_search_tile_json(search_id, assets=["image"], asset_band_indices=RGB)
    assert tilejson.name == search_id and "/data/mosaic/searches/" in tilejson.tiles[0]
    lon, lat = center(demo.items[2])
    assert [a.id for a in client.data.get_search_point_with_assets(search_id, lon, lat)] == [demo.ids[2]]
    with pytest.raises(ResourceNotFoundError):
        client.data.get_search_info("0" * 32)


async def test_async_client_tiles_and_documents(geocatalog_emulator: Emulator, demo: Demo) -> None:  # noqa: F811
    tile = tile_at(*center(demo.items[0]), 17)
    async with AsyncPlanetaryComputerProClient(
        geocatalog_emulator.endpoint, AsyncStaticTokenCredential(), retry_total=0
    ) as aclient:
        stream = await aclient.data.get_tile_by_format(
            demo.collection_id, demo.ids[0], WMQ, tile.z, tile.x, tile.y, "png", **RGB_IMAGE
        )
        pixels = decode(await stream.read())
        expected, valid = direct_tile(demo.files[0], tile)
        np.testing.assert_array_equal(pixels[:3][:, valid], expected[:, valid])
        assert WMQ in await aclient.data.get_tile_matrices()
        bounds = await aclient.data.get_item_bounds(demo.collection_id, demo.ids[0])
        assert bounds.bounds == pytest.approx(demo.items[0]["bbox"])


# -- every operation -------------------------------------------------------------------------------

OPERATIONS = sorted(
    re.findall(r"^def build_data_(\w+)_request\(", (Path(operations_module.__file__)).read_text(), re.MULTILINE)
)


def test_every_data_operation_answers(client: PlanetaryComputerProClient, demo: Demo) -> None:
    """Each of the client's data methods, called as a user would: no error, a body of the right kind."""
    assert len(OPERATIONS) >= 85
    tile = seam_tile(demo)
    lon, lat = center(demo.items[0])
    box = (lon - 0.001, lat - 0.0005, lon + 0.001, lat + 0.0005)
    ring = [[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[3]], [box[0], box[1]]]
    search_id = client.data.register_mosaics_search(collections=[demo.collection_id]).search_id
    values: Dict[str, Any] = {
        "collection_id": demo.collection_id,
        "item_id": demo.ids[0],
        "search_id": search_id,
        "tile_matrix_set_id": WMQ,
        "z": tile.z,
        "x": tile.x,
        "y": tile.y,
        "scale": 1,
        "format": "png",
        "min_x": box[0],
        "min_y": box[1],
        "max_x": box[2],
        "max_y": box[3],
        "width": 64,
        "height": 32,
        "longitude": lon,
        "latitude": lat,
        "body": {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": {}},
        "color_map_name": "viridis",
        "classmap_name": "io-lulc-9-class",
        "id": None,  # a static image's: created below
    }
    static_image = {
        "cql": {"op": "=", "args": [{"property": "collection"}, demo.collection_id]},
        "geometry": values["body"]["geometry"],
        "render_params": "assets=image&asset_bidx=image|1,2,3",
        "cols": 120,
        "rows": 80,
    }
    answered = []
    for name in OPERATIONS:
        method = getattr(client.data, name)
        parameters = inspect.signature(method).parameters
        required = {p: spec.kind for p, spec in parameters.items() if spec.default is inspect.Parameter.empty}
        args = [values[p] for p, kind in required.items() if kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
        kwargs: Dict[str, Any] = {k: v for k, v in RGB_IMAGE.items() if k in parameters}
        kwargs.update({p: values[p] for p, kind in required.items() if kind is inspect.Parameter.KEYWORD_ONLY})
        if name == "get_interval_legend":
            args = ["modis-64A1"]
        elif name == "register_mosaics_search":
            args, kwargs = [], {"collections": [demo.collection_id]}
        elif name == "create_static_image":
            args = [demo.collection_id, static_image]
        elif name == "get_static_image":
            created = client.data.create_static_image(demo.collection_id, static_image)
            args = [demo.collection_id, unquote(urlparse(created.url).path.rsplit("/", 1)[-1])]
        result = method(*args, **kwargs)
        if hasattr(result, "read"):
            body = result.read()
            assert body, name
            if result.content_type.startswith("image/png"):
                assert decode(body).shape[0] in (2, 4), name
        else:
            assert result is not None, name
        answered.append(name)
    assert answered == OPERATIONS


def test_item_info_statistics_and_register_answer_like_the_service(geocatalog_emulator: Emulator, demo: Demo) -> None:  # noqa: F811
    base = f"/data/mosaic/collections/{demo.collection_id}/items/{demo.ids[0]}"
    info = raw(geocatalog_emulator, "GET", f"{base}/info", params={"assets": "image"})
    assert info.headers["Content-Type"] == "application/geo+json"
    assert info.headers["Cache-Control"] == "public, max-age=3600"
    image = info.json()["image"]
    assert image["crs"] == "http://www.opengis.net/def/crs/EPSG/0/4326"  # the CRS of its (lon/lat) bounds
    assert "scales" not in image and "offsets" not in image
    assert image["band_descriptions"] == [["b1", ""], ["b2", ""], ["b3", ""], ["b4", ""]]
    assert raw(geocatalog_emulator, "GET", f"{base}/info.geojson").headers["Content-Type"] == "application/geo+json"
    stats = raw(geocatalog_emulator, "GET", f"{base}/statistics", params={"assets": "image"})
    assert stats.headers["Content-Type"] == "application/geo+json" and "image_b1" in stats.json()

    legend = raw(geocatalog_emulator, "GET", "/data/legend/colormap/viridis")
    assert legend.headers["Content-Type"] == "image/jpg" and legend.content.startswith(b"\x89PNG")

    search = {"collections": [demo.collection_id], "filter-lang": "cql2-json"}
    registered = raw(geocatalog_emulator, "POST", "/data/mosaic/register", json=search)
    assert registered.status_code == 200 and set(registered.json()) == {"searchid", "links"}
    assert "Cache-Control" not in registered.headers  # only GETs are cacheable
