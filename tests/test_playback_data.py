"""Recorded-playback tests of the data (tiler) read operations, sync and async.

Each test that takes ``recorded_client`` / ``async_recorded_client`` runs inside its own cassette,
``tests/recordings/test_playback_data.<test name>.yaml``: replayed offline by default, re-recorded
with ``python -m tests.record_cassettes data`` (see tests/recordings/README.md). The calls go through
the client's real pipeline and azure-core's real transports (requests, aiohttp); vcrpy answers
underneath them, binary bodies (PNG tiles, legends, previews) and XML included.

Covered: tile matrix sets, legends (colour map PNG, class map, interval), mosaic searches (register,
info, TileJSON, WMTS capabilities, a tile) and the item tiler (info, bounds, TileJSON, a tile, point
values, a preview). The data asserted on is that of the loopback stub (tests/stub_geocatalog.py): the
reference examples (Maps*, Mosaics*, Tiler*, TileMatrix*), generated PNGs, and synthetic raster
facts where the examples have none.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
import zlib
from typing import Any, Dict, List, Tuple
from urllib.parse import parse_qs, urlsplit

import pytest
from azure.core.exceptions import ResourceNotFoundError

from azure.planetarycomputer import PlanetaryComputerProClient, models
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncPlanetaryComputerProClient

from . import recording
from .recording import exchanges, is_live, on_endpoint

recorded_client = recording.recorded_client
async_recorded_client = recording.async_recorded_client
cassette = recording.cassette
recorded_endpoint = recording.recorded_endpoint

COLLECTION = "naip-atl"
ITEM = "ga_m_3308421_se_16_060_20211114"  # the item of the Tiler* examples
ITEM_BOUNDS = [-84.44157, 33.621853, -84.370894, 33.690654]
TMS = "WebMercatorQuad"
TILE = (14, 4350, 6563)  # z/x/y of a tile over the item (Atlanta)
POINT = (-84.386, 33.676)  # TilerPoints_GetPoint
NAIP_SEARCH = "ba13fc7947b9b585690d84ee61aaa653"  # the naip-atl mosaic of the TileJSON and WMTS examples
MAXAR_SEARCH = "e32e0b12176246816953d75e3356d613"  # MosaicsInfoSearch_Get
WORLD = [-180.0, -85.0511287798066, 180.00000000000009, 85.0511287798066]
RENDERING = {"assets": ["image"], "asset_band_indices": ["image|1,2,3"]}
RENDERING_QUERY = {"assets": ["image"], "asset_bidx": ["image|1,2,3"]}
INTERVAL = "2021-01-01T00:00:00Z/2021-12-31T23:59:59Z"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WMTS = "{http://www.opengis.net/wmts/1.0}"
OWS = "{http://www.opengis.net/ows/1.1}"


def png_header(data: bytes) -> Tuple[int, int, int]:
    """(width, height, colour type) of a whole, valid PNG."""
    assert data.startswith(PNG_SIGNATURE), data[:16]
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert depth == 8
    assert struct.unpack(">I", data[29:33])[0] == zlib.crc32(data[12:29])  # IHDR's CRC
    assert data.endswith(b"IEND\xaeB`\x82")
    return width, height, colour


def query_of(href: str) -> Dict[str, List[str]]:
    return parse_qs(urlsplit(href).query)


def request_path(cass: Any, index: int = 0) -> str:
    return exchanges(cass)[index].path


# -- checks shared by the sync and the async tests ---------------------------------------------------


def check_tile_matrices(ids: List[str]) -> None:
    assert isinstance(ids, list) and len(ids) == 13
    assert {TMS, "WorldCRS84Quad", "WGS1984Quad"} <= set(ids)
    assert ids == sorted(ids) and (ids[0], ids[-1]) == ("CDB1GlobalGrid", "WorldMercatorWGS84Quad")


def check_tile_matrix_set(tms: models.TileMatrixSet) -> None:
    assert isinstance(tms, models.TileMatrixSet)
    assert (tms.id, tms.crs) == (TMS, "http://www.opengis.net/def/crs/EPSG/0/3857")
    assert tms.title == "Google Maps Compatible for the World"
    assert tms.ordered_axes == ["X", "Y"]
    assert [m.id for m in tms.tile_matrices] == [str(z) for z in range(25)]
    for zoom, matrix in enumerate(tms.tile_matrices):
        assert isinstance(matrix, models.TileMatrix)
        assert matrix.matrix_width == matrix.matrix_height == 2**zoom
        assert (matrix.tile_width, matrix.tile_height, matrix.corner_of_origin) == (256, 256, "topLeft")
    assert tms.tile_matrices[0].scale_denominator == pytest.approx(559082264.028717)


def check_not_found(info: Any, what: str) -> None:
    assert info.value.status_code == 404
    assert info.value.error.code == "NotFound"
    assert what in info.value.error.message


def check_legend(data: bytes, cass: Any) -> None:
    """The colour map legend of MapsLegends_Get: 387x11 pixels, RGBA."""
    assert png_header(data) == (387, 11, 6)
    assert len(data) == 550
    assert request_path(cass) == "/data/legend/colormap/rdylgn"


def check_sized_legend(data: bytes, cass: Any) -> None:
    assert png_header(data)[:2] == (100, 10)
    query = dict(exchanges(cass)[0].query)
    assert (float(query["width"]), float(query["height"])) == (100, 10)


def check_class_map_legend(full: models.ClassMapLegendResponse, trimmed: models.ClassMapLegendResponse) -> None:
    assert isinstance(full, models.ClassMapLegendResponse)
    assert list(full.keys()) == [str(n) for n in range(7)]
    assert full["0"] == [0, 0, 0, 0] and full["4"] == [255, 0, 0, 255]
    assert list(trimmed.keys()) == [str(n) for n in range(1, 6)]  # trim_start=1, trim_end=1
    assert trimmed["1"] == [0, 100, 0, 255]


def check_interval_legend(intervals: List[List[List[int]]]) -> None:
    assert len(intervals) == 13
    assert intervals[0] == [[-2, 0], [0, 0, 0, 0]]
    assert intervals[-1] == [[335, 366], [189, 0, 38, 255]]
    assert all(low < high and len(rgba) == 4 for (low, high), rgba in intervals)


def check_search_links(links: List[models.StacLink], search_id: str, endpoint: str) -> None:
    assert [(link.rel, link.title) for link in links] == [
        ("metadata", "Mosaic metadata"),
        ("tilejson", "Link for TileJSON"),
        ("wmts", "Link for WMTS"),
    ]
    paths = [urlsplit(link.href).path for link in links]
    base = f"/data/mosaic/searches/{search_id}"
    assert paths == [base + "/info", base + "/tilejson.json", base + "/WMTSCapabilities.xml"]
    for link in links:
        on_endpoint(link.href, endpoint)


def check_registered(result: models.TilerMosaicSearchRegistrationResponse, endpoint: str) -> None:
    assert isinstance(result, models.TilerMosaicSearchRegistrationResponse)
    assert result.search_id == NAIP_SEARCH  # the same search again: the same id
    check_search_links(result.links, NAIP_SEARCH, endpoint)


def check_new_search(
    registered: models.TilerMosaicSearchRegistrationResponse, info: models.TilerStacSearchRegistration
) -> None:
    assert re.fullmatch(r"[0-9a-f]{32}", registered.search_id) and registered.search_id != NAIP_SEARCH
    assert info.search.hash == registered.search_id
    assert info.search.search == {"collections": [COLLECTION], "datetime": INTERVAL}
    assert info.search.metadata.type == "mosaic"


def check_search_info(info: models.TilerStacSearchRegistration, endpoint: str) -> None:
    assert isinstance(info, models.TilerStacSearchRegistration)
    search = info.search
    assert isinstance(search, models.TilerStacSearchDefinition)
    assert (search.hash, search.use_count, search.metadata.type) == (MAXAR_SEARCH, 1, "mosaic")
    assert search.search["filter"]["args"][0]["args"] == [{"property": "collection"}, "maxar"]
    assert search.search["filter-lang"] == "cql2-json"
    assert search.last_used.year == 2025 and search.last_used.tzinfo is not None
    assert [link.rel for link in info.links] == ["self", "tilejson", "wmts"]
    on_endpoint(info.links[0].href, endpoint)
    assert urlsplit(info.links[0].href).path == f"/data/mosaic/searches/{MAXAR_SEARCH}/info"


def check_tile_template(template: str, path: str, endpoint: str, **query: List[str]) -> None:
    on_endpoint(template, endpoint)
    assert urlsplit(template).path == path
    assert query_of(template) == {"api-version": ["2026-04-15"], **RENDERING_QUERY, **query}


def check_search_tile_json(tilejson: models.TileJsonMetadata, endpoint: str) -> None:
    """MosaicsTileMatrixSetsTileJson_Get's document, for the same search and parameters."""
    assert isinstance(tilejson, models.TileJsonMetadata)
    assert (tilejson.tile_json, tilejson.name, tilejson.version, tilejson.scheme) == (
        "2.2.0",
        NAIP_SEARCH,
        "1.0.0",
        "xyz",
    )
    assert (tilejson.min_zoom, tilejson.max_zoom) == (9, 24)
    assert tilejson.bounds == WORLD
    assert tilejson.center == pytest.approx([4.263256414560601e-14, 0.0, 9])
    (template,) = tilejson.tiles
    path = f"/data/mosaic/searches/{NAIP_SEARCH}/tiles/{TMS}/{{z}}/{{x}}/{{y}}@1x.png"
    check_tile_template(template, path, endpoint, collection=[COLLECTION])


def check_wmts(data: bytes, endpoint: str) -> None:
    text = data.decode("utf-8")
    assert "Capabilities" in text
    root = ET.fromstring(text)
    assert root.tag == WMTS + "Capabilities" and root.get("version") == "1.0.0"
    tms = root.find(f"{WMTS}Contents/{WMTS}TileMatrixSet")
    assert tms is not None and tms.findtext(OWS + "Identifier") == TMS
    zooms = [m.findtext(OWS + "Identifier") for m in tms.findall(WMTS + "TileMatrix")]
    assert zooms == [str(z) for z in range(7, 14)]
    resource = root.find(f"{WMTS}Contents/{WMTS}Layer/{WMTS}ResourceURL")
    assert resource is not None and resource.get("format") == "image/png"
    template = resource.get("template") or ""
    on_endpoint(template, endpoint)
    path = f"/data/mosaic/searches/{NAIP_SEARCH}/tiles/{TMS}/{{TileMatrix}}/{{TileCol}}/{{TileRow}}@1x.png"
    assert urlsplit(template).path == path


def check_search_tile(data: bytes, cass: Any) -> None:
    assert png_header(data)[:2] == (512, 512)  # scale 2
    z, x, y = TILE
    # The client sends the float-typed z/x/y/scale as floats ("14.0"), as 1.0.0 does.
    path = f"/data/mosaic/searches/{NAIP_SEARCH}/tiles/{TMS}/{z}.0/{x}.0/{y}.0@2.0x.png"
    assert request_path(cass) == path


def check_item_info(info: models.TilerInfoMapResponse) -> None:
    assert isinstance(info, models.TilerInfoMapResponse)
    assert list(info.keys()) == ["image"]  # the item's one raster asset
    image = info["image"]
    assert image["bounds"] == ITEM_BOUNDS
    assert (image["dtype"], image["count"], image["driver"]) == ("uint8", 4, "GTiff")
    assert image["colorinterp"] == ["red", "green", "blue", "undefined"]
    assert [name for name, _ in image["band_descriptions"]] == ["b1", "b2", "b3", "b4"]


def check_item_bounds(bounds: models.StacItemBounds) -> None:
    assert isinstance(bounds, models.StacItemBounds)
    assert bounds.bounds == ITEM_BOUNDS


def check_item_tile_json(tilejson: models.TileJsonMetadata, endpoint: str) -> None:
    """TilerTileJsonOperations_Get's document, for the same item and parameters."""
    assert isinstance(tilejson, models.TileJsonMetadata)
    assert (tilejson.tile_json, tilejson.scheme, tilejson.name) == ("2.2.0", "xyz", None)
    assert (tilejson.min_zoom, tilejson.max_zoom) == (7, 14)
    assert tilejson.bounds == ITEM_BOUNDS
    assert tilejson.center == pytest.approx([-84.406232, 33.656253500000005, 7])
    (template,) = tilejson.tiles
    path = f"/data/mosaic/collections/{COLLECTION}/items/{ITEM}/tiles/{TMS}/{{z}}/{{x}}/{{y}}@1x.png"
    check_tile_template(template, path, endpoint)


def check_item_tile(data: bytes, cass: Any) -> None:
    assert png_header(data) == (256, 256, 2)
    z, x, y = TILE
    path = f"/data/mosaic/collections/{COLLECTION}/items/{ITEM}/tiles/{TMS}/{z}.0/{x}.0/{y}.0@1.0x.png"
    assert request_path(cass) == path
    assert dict(exchanges(cass)[0].query)["assets"] == "image"


def check_point(point: models.TilerCoreModelsResponsesPoint, cass: Any) -> None:
    assert isinstance(point, models.TilerCoreModelsResponsesPoint)
    assert point.coordinates == list(POINT)
    assert point.values_property == [52.0, 75.0, 75.0, 86.0]
    assert point.band_names == ["image_b1", "image_b2", "image_b3", "image_b4"]
    assert request_path(cass) == f"/data/mosaic/collections/{COLLECTION}/items/{ITEM}/point/-84.386,33.676"


def check_preview(data: bytes, cass: Any) -> None:
    # The item is a little wider than high: the longer side gets max_size pixels.
    assert png_header(data)[:2] == (64, 62)
    assert request_path(cass) == f"/data/mosaic/collections/{COLLECTION}/items/{ITEM}/preview.png"


# -- sync --------------------------------------------------------------------------------------------


def test_get_tile_matrices(recorded_client: PlanetaryComputerProClient) -> None:
    check_tile_matrices(recorded_client.data.get_tile_matrices())


def test_get_tile_matrix_definitions(recorded_client: PlanetaryComputerProClient) -> None:
    check_tile_matrix_set(recorded_client.data.get_tile_matrix_definitions(TMS))


def test_get_tile_matrix_definitions_not_found(recorded_client: PlanetaryComputerProClient) -> None:
    with pytest.raises(ResourceNotFoundError) as info:
        recorded_client.data.get_tile_matrix_definitions("NoSuchTileMatrixSet")
    check_not_found(info, "NoSuchTileMatrixSet")


def test_get_legend(recorded_client: PlanetaryComputerProClient, cassette: Any) -> None:
    check_legend(b"".join(recorded_client.data.get_legend("rdylgn")), cassette)


def test_get_legend_sized(recorded_client: PlanetaryComputerProClient, cassette: Any) -> None:
    check_sized_legend(b"".join(recorded_client.data.get_legend("viridis", height=10, width=100)), cassette)


def test_get_class_map_legend(recorded_client: PlanetaryComputerProClient) -> None:
    data = recorded_client.data
    check_class_map_legend(
        data.get_class_map_legend("mtbs-severity"),
        data.get_class_map_legend("mtbs-severity", trim_start=1, trim_end=1),
    )


def test_get_interval_legend(recorded_client: PlanetaryComputerProClient) -> None:
    check_interval_legend(recorded_client.data.get_interval_legend("modis-64A1"))


def test_register_mosaics_search(recorded_client: PlanetaryComputerProClient, recorded_endpoint: str) -> None:
    check_registered(recorded_client.data.register_mosaics_search(collections=[COLLECTION]), recorded_endpoint)


def test_register_mosaics_search_then_get_info(recorded_client: PlanetaryComputerProClient) -> None:
    registered = recorded_client.data.register_mosaics_search({"collections": [COLLECTION], "datetime": INTERVAL})
    check_new_search(registered, recorded_client.data.get_search_info(registered.search_id))


def test_get_search_info(recorded_client: PlanetaryComputerProClient, recorded_endpoint: str) -> None:
    check_search_info(recorded_client.data.get_search_info(MAXAR_SEARCH), recorded_endpoint)


def test_get_search_tile_json(recorded_client: PlanetaryComputerProClient, recorded_endpoint: str) -> None:
    tilejson = recorded_client.data.get_search_tile_json(
        NAIP_SEARCH, tile_format="png", tile_scale=1, min_zoom=9, collection_id=COLLECTION, **RENDERING
    )
    check_search_tile_json(tilejson, recorded_endpoint)


def test_get_search_wmts_capabilities(recorded_client: PlanetaryComputerProClient, recorded_endpoint: str) -> None:
    check_wmts(b"".join(recorded_client.data.get_search_wmts_capabilities(NAIP_SEARCH)), recorded_endpoint)


def test_get_search_tile_by_scale_and_format(recorded_client: PlanetaryComputerProClient, cassette: Any) -> None:
    tile = recorded_client.data.get_search_tile_by_scale_and_format(NAIP_SEARCH, TMS, *TILE, 2, "png")
    check_search_tile(b"".join(tile), cassette)


def test_get_item_info(recorded_client: PlanetaryComputerProClient) -> None:
    check_item_info(recorded_client.data.get_item_info(COLLECTION, ITEM))


def test_get_item_bounds(recorded_client: PlanetaryComputerProClient) -> None:
    check_item_bounds(recorded_client.data.get_item_bounds(COLLECTION, ITEM))


def test_get_item_tile_json(recorded_client: PlanetaryComputerProClient, recorded_endpoint: str) -> None:
    tilejson = recorded_client.data.get_item_tile_json(
        COLLECTION, ITEM, tile_format="png", tile_scale=1, min_zoom=7, max_zoom=14, **RENDERING
    )
    check_item_tile_json(tilejson, recorded_endpoint)


def test_get_tile_by_scale_and_format(recorded_client: PlanetaryComputerProClient, cassette: Any) -> None:
    tile = recorded_client.data.get_tile_by_scale_and_format(COLLECTION, ITEM, TMS, *TILE, 1, "png", assets=["image"])
    check_item_tile(b"".join(tile), cassette)


def test_get_item_point(recorded_client: PlanetaryComputerProClient, cassette: Any) -> None:
    check_point(recorded_client.data.get_item_point(COLLECTION, ITEM, *POINT, assets=["image"]), cassette)


def test_get_item_preview_with_format(recorded_client: PlanetaryComputerProClient, cassette: Any) -> None:
    preview = recorded_client.data.get_item_preview_with_format(COLLECTION, ITEM, "png", max_size=64)
    check_preview(b"".join(preview), cassette)


# -- async -------------------------------------------------------------------------------------------


async def _read(stream: Any) -> bytes:
    return b"".join([chunk async for chunk in stream])


async def test_get_tile_matrices_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_tile_matrices(await async_recorded_client.data.get_tile_matrices())


async def test_get_tile_matrix_definitions_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_tile_matrix_set(await async_recorded_client.data.get_tile_matrix_definitions(TMS))


async def test_get_tile_matrix_definitions_not_found_async(
    async_recorded_client: AsyncPlanetaryComputerProClient,
) -> None:
    with pytest.raises(ResourceNotFoundError) as info:
        await async_recorded_client.data.get_tile_matrix_definitions("NoSuchTileMatrixSet")
    check_not_found(info, "NoSuchTileMatrixSet")


async def test_get_legend_async(async_recorded_client: AsyncPlanetaryComputerProClient, cassette: Any) -> None:
    check_legend(await _read(await async_recorded_client.data.get_legend("rdylgn")), cassette)


async def test_get_legend_sized_async(async_recorded_client: AsyncPlanetaryComputerProClient, cassette: Any) -> None:
    legend = await async_recorded_client.data.get_legend("viridis", height=10, width=100)
    check_sized_legend(await _read(legend), cassette)


async def test_get_class_map_legend_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    data = async_recorded_client.data
    check_class_map_legend(
        await data.get_class_map_legend("mtbs-severity"),
        await data.get_class_map_legend("mtbs-severity", trim_start=1, trim_end=1),
    )


async def test_get_interval_legend_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_interval_legend(await async_recorded_client.data.get_interval_legend("modis-64A1"))


async def test_register_mosaics_search_async(
    async_recorded_client: AsyncPlanetaryComputerProClient, recorded_endpoint: str
) -> None:
    result = await async_recorded_client.data.register_mosaics_search(collections=[COLLECTION])
    check_registered(result, recorded_endpoint)


async def test_register_mosaics_search_then_get_info_async(
    async_recorded_client: AsyncPlanetaryComputerProClient,
) -> None:
    data = async_recorded_client.data
    registered = await data.register_mosaics_search({"collections": [COLLECTION], "datetime": INTERVAL})
    check_new_search(registered, await data.get_search_info(registered.search_id))


async def test_get_search_info_async(
    async_recorded_client: AsyncPlanetaryComputerProClient, recorded_endpoint: str
) -> None:
    check_search_info(await async_recorded_client.data.get_search_info(MAXAR_SEARCH), recorded_endpoint)


async def test_get_search_tile_json_async(
    async_recorded_client: AsyncPlanetaryComputerProClient, recorded_endpoint: str
) -> None:
    tilejson = await async_recorded_client.data.get_search_tile_json(
        NAIP_SEARCH, tile_format="png", tile_scale=1, min_zoom=9, collection_id=COLLECTION, **RENDERING
    )
    check_search_tile_json(tilejson, recorded_endpoint)


async def test_get_search_wmts_capabilities_async(
    async_recorded_client: AsyncPlanetaryComputerProClient, recorded_endpoint: str
) -> None:
    xml = await _read(await async_recorded_client.data.get_search_wmts_capabilities(NAIP_SEARCH))
    check_wmts(xml, recorded_endpoint)


async def test_get_search_tile_by_scale_and_format_async(
    async_recorded_client: AsyncPlanetaryComputerProClient, cassette: Any
) -> None:
    tile = await async_recorded_client.data.get_search_tile_by_scale_and_format(NAIP_SEARCH, TMS, *TILE, 2, "png")
    check_search_tile(await _read(tile), cassette)


async def test_get_item_info_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_item_info(await async_recorded_client.data.get_item_info(COLLECTION, ITEM))


async def test_get_item_bounds_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_item_bounds(await async_recorded_client.data.get_item_bounds(COLLECTION, ITEM))


async def test_get_item_tile_json_async(
    async_recorded_client: AsyncPlanetaryComputerProClient, recorded_endpoint: str
) -> None:
    tilejson = await async_recorded_client.data.get_item_tile_json(
        COLLECTION, ITEM, tile_format="png", tile_scale=1, min_zoom=7, max_zoom=14, **RENDERING
    )
    check_item_tile_json(tilejson, recorded_endpoint)


async def test_get_tile_by_scale_and_format_async(
    async_recorded_client: AsyncPlanetaryComputerProClient, cassette: Any
) -> None:
    tile = await async_recorded_client.data.get_tile_by_scale_and_format(
        COLLECTION, ITEM, TMS, *TILE, 1, "png", assets=["image"]
    )
    check_item_tile(await _read(tile), cassette)


async def test_get_item_point_async(async_recorded_client: AsyncPlanetaryComputerProClient, cassette: Any) -> None:
    check_point(await async_recorded_client.data.get_item_point(COLLECTION, ITEM, *POINT, assets=["image"]), cassette)


async def test_get_item_preview_with_format_async(
    async_recorded_client: AsyncPlanetaryComputerProClient, cassette: Any
) -> None:
    preview = await async_recorded_client.data.get_item_preview_with_format(COLLECTION, ITEM, "png", max_size=64)
    check_preview(await _read(preview), cassette)


# -- the stub's tiler, without sockets ----------------------------------------------------------------


def test_stub_tiles_only_where_there_is_data() -> None:
    import json

    from .stub_geocatalog import StubApp

    app = StubApp("http://127.0.0.1:1234")
    bearer = {"Authorization": "Bearer t"}
    item = f"/data/mosaic/collections/{COLLECTION}/items/{ITEM}"
    cases = {
        f"{item}/tiles/{TMS}/14/4000/6563.png": (404, "TileOutsideBounds"),  # west of the item
        f"/data/mosaic/searches/{NAIP_SEARCH}/tiles/{TMS}/2/4/0.png": (404, "TileOutsideBounds"),  # no such tile
        f"{item}/tiles/{TMS}/14/4350/6563.jpeg": (400, "UnsupportedFormat"),
        f"{item}/point/0,0": (400, "PointOutsideBounds"),
        f"{item}/info?assets=nope": (404, "NotFound"),
        "/data/mosaic/searches/0123456789abcdef0123456789abcdef/info": (404, "NotFound"),
        "/data/legend/classmap/nope": (404, "NotFound"),
    }
    for target, (status, code) in cases.items():
        sep = "&" if "?" in target else "?"
        got, data, _ = app.handle("GET", f"{target}{sep}api-version=2026-04-15", bearer, b"")
        assert (got, json.loads(data)["error"]["code"]) == (status, code), target
    status, data, headers = app.handle("GET", f"{item}/tiles/{TMS}/14/4350/6563?api-version=2026-04-15", bearer, b"")
    assert status == 200 and headers["Content-Type"] == "image/png" and png_header(data)[:2] == (256, 256)


# -- the cassettes of this module (keep last) ---------------------------------------------------------


def test_every_recorded_test_has_its_cassette_and_no_orphans() -> None:
    recording.assert_cassettes_complete("test_playback_data", globals(), 38)


def test_cassettes_hold_no_secret_and_no_real_host() -> None:
    paths = recording.module_cassettes("test_playback_data")
    assert paths
    for path in paths:
        recording.assert_cassette_clean(path)
    if not is_live():
        wmts = (recording.RECORDINGS / "test_playback_data.test_get_search_wmts_capabilities.yaml").read_text()
        assert "https://Sanitized.geocatalog.spatio.azure.com/data/mosaic/searches/" in wmts  # XML body sanitized
