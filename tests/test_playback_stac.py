"""Recorded-playback tests of every STAC read operation, sync and async, and of the recorder itself.

Each test that takes ``recorded_client`` / ``async_recorded_client`` runs inside its own cassette,
``tests/recordings/test_playback_stac.<test name>.yaml``: replayed offline by default, re-recorded
with ``AZURE_TEST_RUN_LIVE=true PLANETARYCOMPUTER_ENDPOINT=<url>`` (see tests/recordings/README.md
and tests/record_stac_cassettes.py). The calls go through the client's real pipeline and azure-core's
real transports (requests, aiohttp); vcrpy answers underneath them.

The data asserted on is that of the loopback stub (tests/stub_geocatalog.py), which serves the
reference examples; re-recording against a real GeoCatalog needs one holding the same collections.
"""

from __future__ import annotations

import inspect
import json
import re
import socket
import struct
import zlib
from typing import Any, List
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
import urllib3.connectionpool
import vcr.stubs
import yaml
from azure.core.pipeline.transport import AioHttpTransport, RequestsTransport
from vcr.errors import CannotOverwriteExistingCassetteException
from vcr.request import Request

from azure.planetarycomputer import PlanetaryComputerProClient, models
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncPlanetaryComputerProClient

from . import recording
from .conftest import AsyncFakeCredential, FakeCredential
from .recording import (
    CLIENT_KWARGS,
    PLAYBACK_ENDPOINT,
    RECORDINGS,
    NetworkAccessInPlayback,
    async_credential,
    cassette_name,
    is_live,
    make_vcr,
    network_guard,
    sanitize_request,
    sanitize_response,
    sync_credential,
)
from .stub_geocatalog import StubApp

# The fixtures: pytest finds them by name in this module.
recorded_client = recording.recorded_client
async_recorded_client = recording.async_recorded_client
cassette = recording.cassette
recorded_endpoint = recording.recorded_endpoint

COLLECTION = "naip-atl"  # has a collection document, a thumbnail and 7 items
ITEMS_COLLECTION = "example-collection"
ITEM_ID = "S2A_MSIL2A_20231017T013651_R117_T53SPA_20231017T053413"
RENDER_OPTION = "natural-color"
MOSAIC = "mos1"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Items of COLLECTION in the west half of the tiles, acquired in 2021: 2 of the 7 (the others are east).
BBOX = ["-84.51", "33.55", "-84.45", "33.70"]
INTERVAL = "2021-01-01T00:00:00Z/2021-12-31T23:59:59Z"

# Taken before any cassette is active: what vcrpy replaces while one is.
_REAL_AIOHTTP_REQUEST = aiohttp.ClientSession._request
_REAL_HTTPS_CONNECTION = urllib3.connectionpool.HTTPSConnectionPool.ConnectionCls
_REAL_SOCKET_CONNECT = socket.socket.connect


def on_endpoint(href: str, endpoint: str) -> None:
    """An href the service built points at the endpoint used (the sanitized one in playback)."""
    assert href.startswith(endpoint + "/"), href
    if not is_live():
        assert href.startswith(PLAYBACK_ENDPOINT + "/"), href


def link(links: List[Any], rel: str) -> Any:
    found = [entry for entry in links if entry.rel == rel]
    assert found, f"no {rel!r} link in {[entry.rel for entry in links]}"
    return found[0]


# -- checks shared by the sync and the async tests ---------------------------------------------------


def check_landing_page(page: models.StacLandingPage, endpoint: str) -> None:
    assert isinstance(page, models.StacLandingPage)
    assert (page.id, page.type, page.stac_version) == ("spatio-stac", "Catalog", "1.0.0")
    assert len(page.conforms_to) == 15
    assert "https://api.stacspec.org/v1.0.0/item-search" in page.conforms_to
    assert {"self", "root", "data", "conformance", "search", "child"} <= {entry.rel for entry in page.links}
    for entry in page.links:
        on_endpoint(entry.href, endpoint)
    assert [entry.method for entry in page.links if entry.rel == "search"] == ["GET", "POST"]


def check_conformance(result: models.StacConformanceClasses) -> None:
    assert isinstance(result, models.StacConformanceClasses)
    assert len(result.conforms_to) == 15
    assert "https://api.stacspec.org/v1.0.0/core" in result.conforms_to
    assert "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json" in result.conforms_to


def check_collection(collection: models.StacCollection, endpoint: str) -> None:
    assert isinstance(collection, models.StacCollection)
    assert (collection.id, collection.type, collection.license) == (COLLECTION, "Collection", "proprietary")
    assert collection.title == "NAIP Atlanta (MPC Pro Sample Datasets)"
    assert collection.extent.spatial.bounding_box == [[-85.605165, 30.357851, -80.839729, 35.000659]]
    assert [p.name for p in collection.providers] == ["USDA Farm Service Agency", "Esri", "Microsoft"]
    assert collection.assets["thumbnail"].type == "image/png"
    assert link(collection.links, "self").href == f"{endpoint}/stac/collections/{COLLECTION}"
    for entry in collection.links:
        on_endpoint(entry.href, endpoint)


def check_collections(result: models.StacCatalogCollections, endpoint: str) -> None:
    assert isinstance(result, models.StacCatalogCollections)
    assert [c.id for c in result.collections] == [COLLECTION]
    check_collection(result.collections[0], endpoint)
    assert link(result.links, "self").href == f"{endpoint}/stac/collections"


def check_item_page(page: models.StacItemCollection, endpoint: str) -> str:
    """Checks the first filtered page (limit 1 of 2 matches); returns the continuation token."""
    assert isinstance(page, models.StacItemCollection)
    assert page.type == "FeatureCollection"
    assert [f.id for f in page.features] == ["ga_m_3308429_nw_16_060_20211114"]
    feature = page.features[0]
    assert feature.collection == COLLECTION
    west, south, east, north = (float(v) for v in BBOX)
    assert feature.bounding_box[0] <= east and feature.bounding_box[2] >= west
    assert feature.bounding_box[1] <= north and feature.bounding_box[3] >= south
    next_link = link(page.links, "next")
    on_endpoint(next_link.href, endpoint)
    query = parse_qs(urlsplit(next_link.href).query)
    assert query["limit"] == ["1"] and query["bbox"] == [",".join(BBOX)] and query["datetime"] == [INTERVAL]
    return query["token"][0]


def check_last_item_page(page: models.StacItemCollection) -> None:
    assert [f.id for f in page.features] == ["ga_m_3308421_sw_16_060_20211114"]
    assert "next" not in {entry.rel for entry in page.links}


def check_item(item: models.StacItem, endpoint: str) -> None:
    assert isinstance(item, models.StacItem)
    assert (item.id, item.collection, item.type) == (ITEM_ID, ITEMS_COLLECTION, "Feature")
    assert item.geometry.type == "Polygon"
    assert item.bounding_box == [136.11023969131566, 36.03410504840171, 137.35846754627107, 37.041254047568394]
    assert item.properties["datetime"] == "2023-10-17T01:36:51.024000Z"
    assert item.properties["proj:epsg"] == 32653
    assert sorted(item.assets) == ["predict", "softmax"]
    assert link(item.links, "self").href == f"{endpoint}/stac/collections/{ITEMS_COLLECTION}/items/{ITEM_ID}"
    for entry in item.links:
        on_endpoint(entry.href, endpoint)


def check_signed_item(item: models.StacItem) -> None:
    assert item.id == ITEM_ID
    for asset in item.assets.values():
        query = parse_qs(urlsplit(asset.href).query)
        assert asset.href.startswith("https://sample.blob.core.windows.net/"), asset.href
        assert query["sp"] == ["r"] and query["sig"], asset.href
        if not is_live():
            assert query["sig"] == ["REDACTED"], asset.href  # the recorded signature was redacted


def check_configuration(config: models.UserCollectionSettings) -> None:
    assert isinstance(config, models.UserCollectionSettings)
    assert (config.tile_settings.min_zoom, config.tile_settings.max_items_per_tile) == (12, 35)
    assert [m.id for m in config.mosaic_configuration.mosaics] == ["default", "mos1"]
    assert len(config.mosaic_configuration.render_options) == 8
    assert config.mosaic_configuration.render_options[0].id == RENDER_OPTION


def check_render_options(options: List[models.RenderOption]) -> None:
    assert all(isinstance(o, models.RenderOption) for o in options)
    assert [o.id for o in options][:3] == [RENDER_OPTION, "natural-color-pre-feb-2022", "color-infrared"]
    assert len(options) == 8
    assert {o.type for o in options} == {"raster-tile"}


def check_render_option(option: models.RenderOption) -> None:
    assert isinstance(option, models.RenderOption)
    assert (option.id, option.name, option.type, option.min_zoom) == (RENDER_OPTION, "Natural color", "raster-tile", 9)
    assert option.options.startswith("assets=B04&assets=B03&assets=B02")


def check_mosaics(mosaics: List[models.StacMosaic]) -> None:
    assert all(isinstance(m, models.StacMosaic) for m in mosaics)
    assert [(m.id, m.name) for m in mosaics] == [("default", "Default"), ("mos1", "Most recent available")]


def check_mosaic(mosaic: models.StacMosaic) -> None:
    assert isinstance(mosaic, models.StacMosaic)
    assert (mosaic.id, mosaic.name, mosaic.cql) == (MOSAIC, "Most recent available", [])
    assert mosaic.description == "Most recent available imagery in this collection"


def check_tile_settings(settings: models.TileSettings) -> None:
    assert isinstance(settings, models.TileSettings)
    assert (settings.min_zoom, settings.max_items_per_tile, settings.default_location) == (6, 35, None)


def check_partition_type(partition: models.PartitionType) -> None:
    assert isinstance(partition, models.PartitionType)
    assert partition.scheme == "none"


def check_queryables(result: models.QueryableDefinitionsResponse) -> None:
    assert isinstance(result, models.QueryableDefinitionsResponse)
    assert result["type"] == "object" and result["title"] == "STAC Queryables."
    assert {"id", "datetime", "geometry"} <= set(result["properties"])
    assert result["properties"]["datetime"]["format"] == "date-time"


def check_collection_queryables(result: models.QueryableDefinitionsResponse, endpoint: str) -> None:
    assert isinstance(result, models.QueryableDefinitionsResponse)
    assert set(result["properties"]) == {"id", "datetime", "geometry", "test:property", "eo:cloud_cover"}
    assert result["properties"]["eo:cloud_cover"] == {"data_type": "number"}
    on_endpoint(result["$id"], endpoint)
    assert urlsplit(result["$id"]).path == f"/stac/collections/{COLLECTION}/queryables"


def check_png(data: bytes) -> None:
    assert data.startswith(PNG_SIGNATURE), data[:16]
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (8, 8)
    assert struct.unpack(">I", data[29:33])[0] == zlib.crc32(data[12:29])  # IHDR's CRC
    assert data.endswith(b"IEND\xaeB`\x82")


def check_search(result: models.StacItemCollection, endpoint: str) -> None:
    assert isinstance(result, models.StacItemCollection)
    assert result.type == "FeatureCollection"
    assert [f.id for f in result.features] == [
        "ga_m_3308429_nw_16_060_20211114",
        "ga_m_3308429_ne_16_060_20211114",
        "ga_m_3308421_sw_16_060_20211114",
    ]
    assert {f.collection for f in result.features} == {COLLECTION}
    assert result.features[0].properties["naip:year"] == "2021"
    for feature in result.features:
        on_endpoint(link(feature.links, "self").href, endpoint)
    on_endpoint(link(result.links, "self").href, endpoint)


SEARCH = {"collections": [COLLECTION], "limit": 3}


# -- sync --------------------------------------------------------------------------------------------


def test_get_landing_page(recorded_client: PlanetaryComputerProClient, recorded_endpoint: str) -> None:
    check_landing_page(recorded_client.stac.get_landing_page(), recorded_endpoint)


def test_get_conformance_classes(recorded_client: PlanetaryComputerProClient) -> None:
    check_conformance(recorded_client.stac.get_conformance_classes())


def test_get_collections(recorded_client: PlanetaryComputerProClient, recorded_endpoint: str) -> None:
    check_collections(recorded_client.stac.get_collections(), recorded_endpoint)


def test_get_collection(recorded_client: PlanetaryComputerProClient, recorded_endpoint: str) -> None:
    check_collection(recorded_client.stac.get_collection(COLLECTION), recorded_endpoint)


def test_get_item_collection(recorded_client: PlanetaryComputerProClient, recorded_endpoint: str) -> None:
    page = recorded_client.stac.get_item_collection(COLLECTION, limit=1, bounding_box=BBOX, datetime=INTERVAL)
    token = check_item_page(page, recorded_endpoint)
    check_last_item_page(
        recorded_client.stac.get_item_collection(COLLECTION, limit=1, bounding_box=BBOX, datetime=INTERVAL, token=token)
    )


def test_get_item(recorded_client: PlanetaryComputerProClient, recorded_endpoint: str) -> None:
    check_item(recorded_client.stac.get_item(ITEMS_COLLECTION, ITEM_ID), recorded_endpoint)


def test_get_item_signed(recorded_client: PlanetaryComputerProClient) -> None:
    check_signed_item(recorded_client.stac.get_item(ITEMS_COLLECTION, ITEM_ID, sign="true"))


def test_get_collection_configuration(recorded_client: PlanetaryComputerProClient) -> None:
    check_configuration(recorded_client.stac.get_collection_configuration(COLLECTION))


def test_get_render_options(recorded_client: PlanetaryComputerProClient) -> None:
    check_render_options(recorded_client.stac.get_render_options(COLLECTION))


def test_get_render_option(recorded_client: PlanetaryComputerProClient) -> None:
    check_render_option(recorded_client.stac.get_render_option(COLLECTION, RENDER_OPTION))


def test_get_mosaics(recorded_client: PlanetaryComputerProClient) -> None:
    check_mosaics(recorded_client.stac.get_mosaics(COLLECTION))


def test_get_mosaic(recorded_client: PlanetaryComputerProClient) -> None:
    check_mosaic(recorded_client.stac.get_mosaic(COLLECTION, MOSAIC))


def test_get_tile_settings(recorded_client: PlanetaryComputerProClient) -> None:
    check_tile_settings(recorded_client.stac.get_tile_settings(COLLECTION))


def test_get_partition_type(recorded_client: PlanetaryComputerProClient) -> None:
    check_partition_type(recorded_client.stac.get_partition_type(COLLECTION))


def test_get_queryables(recorded_client: PlanetaryComputerProClient) -> None:
    check_queryables(recorded_client.stac.get_queryables())


def test_get_collection_queryables(recorded_client: PlanetaryComputerProClient, recorded_endpoint: str) -> None:
    check_collection_queryables(recorded_client.stac.get_collection_queryables(COLLECTION), recorded_endpoint)


def test_get_collection_thumbnail(recorded_client: PlanetaryComputerProClient) -> None:
    check_png(b"".join(recorded_client.stac.get_collection_thumbnail(COLLECTION)))


def test_search(recorded_client: PlanetaryComputerProClient, recorded_endpoint: str) -> None:
    body = models.StacSearchParameters(collections=[COLLECTION], limit=3)
    check_search(recorded_client.stac.search(body), recorded_endpoint)


# -- async -------------------------------------------------------------------------------------------


async def test_get_landing_page_async(
    async_recorded_client: AsyncPlanetaryComputerProClient, recorded_endpoint: str
) -> None:
    check_landing_page(await async_recorded_client.stac.get_landing_page(), recorded_endpoint)


async def test_get_conformance_classes_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_conformance(await async_recorded_client.stac.get_conformance_classes())


async def test_get_collections_async(
    async_recorded_client: AsyncPlanetaryComputerProClient, recorded_endpoint: str
) -> None:
    check_collections(await async_recorded_client.stac.get_collections(), recorded_endpoint)


async def test_get_collection_async(
    async_recorded_client: AsyncPlanetaryComputerProClient, recorded_endpoint: str
) -> None:
    check_collection(await async_recorded_client.stac.get_collection(COLLECTION), recorded_endpoint)


async def test_get_item_collection_async(
    async_recorded_client: AsyncPlanetaryComputerProClient, recorded_endpoint: str
) -> None:
    stac = async_recorded_client.stac
    page = await stac.get_item_collection(COLLECTION, limit=1, bounding_box=BBOX, datetime=INTERVAL)
    token = check_item_page(page, recorded_endpoint)
    check_last_item_page(
        await stac.get_item_collection(COLLECTION, limit=1, bounding_box=BBOX, datetime=INTERVAL, token=token)
    )


async def test_get_item_async(async_recorded_client: AsyncPlanetaryComputerProClient, recorded_endpoint: str) -> None:
    check_item(await async_recorded_client.stac.get_item(ITEMS_COLLECTION, ITEM_ID), recorded_endpoint)


async def test_get_item_signed_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_signed_item(await async_recorded_client.stac.get_item(ITEMS_COLLECTION, ITEM_ID, sign="true"))


async def test_get_collection_configuration_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_configuration(await async_recorded_client.stac.get_collection_configuration(COLLECTION))


async def test_get_render_options_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_render_options(await async_recorded_client.stac.get_render_options(COLLECTION))


async def test_get_render_option_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_render_option(await async_recorded_client.stac.get_render_option(COLLECTION, RENDER_OPTION))


async def test_get_mosaics_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_mosaics(await async_recorded_client.stac.get_mosaics(COLLECTION))


async def test_get_mosaic_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_mosaic(await async_recorded_client.stac.get_mosaic(COLLECTION, MOSAIC))


async def test_get_tile_settings_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_tile_settings(await async_recorded_client.stac.get_tile_settings(COLLECTION))


async def test_get_partition_type_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_partition_type(await async_recorded_client.stac.get_partition_type(COLLECTION))


async def test_get_queryables_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_queryables(await async_recorded_client.stac.get_queryables())


async def test_get_collection_queryables_async(
    async_recorded_client: AsyncPlanetaryComputerProClient, recorded_endpoint: str
) -> None:
    result = await async_recorded_client.stac.get_collection_queryables(COLLECTION)
    check_collection_queryables(result, recorded_endpoint)


async def test_get_collection_thumbnail_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    chunks = [chunk async for chunk in await async_recorded_client.stac.get_collection_thumbnail(COLLECTION)]
    check_png(b"".join(chunks))


async def test_search_async(async_recorded_client: AsyncPlanetaryComputerProClient, recorded_endpoint: str) -> None:
    check_search(await async_recorded_client.stac.search(SEARCH), recorded_endpoint)  # a JSON mapping body


# -- the recorder: real transports, intercepted -----------------------------------------------------


def test_sync_client_goes_through_requests_transport_and_vcrpy(
    recorded_client: PlanetaryComputerProClient, cassette: Any
) -> None:
    assert isinstance(recorded_client._client._pipeline._transport, RequestsTransport)
    # While the cassette is active, urllib3 (under requests) makes vcrpy's connections.
    assert urllib3.connectionpool.HTTPSConnectionPool.ConnectionCls is not _REAL_HTTPS_CONNECTION
    assert issubclass(urllib3.connectionpool.HTTPSConnectionPool.ConnectionCls, vcr.stubs.VCRHTTPSConnection)
    pipeline_response = recorded_client.stac.get_conformance_classes(cls=lambda response, result, headers: response)
    raw = pipeline_response.http_response.internal_response.raw  # requests.Response.raw: urllib3's response
    assert isinstance(raw._original_response, vcr.stubs.VCRHTTPResponse)  # answered by vcrpy
    if is_live():
        assert cassette.dirty and cassette.requests[-1].path == "/stac/conformance"  # recorded, to be saved
    else:
        assert cassette.play_count == 1 and cassette.all_played  # replayed


async def test_async_client_goes_through_aiohttp_transport_and_vcrpy(
    async_recorded_client: AsyncPlanetaryComputerProClient, cassette: Any
) -> None:
    assert isinstance(async_recorded_client._client._pipeline._transport, AioHttpTransport)
    # vcrpy wraps aiohttp.ClientSession._request while the cassette is active.
    assert aiohttp.ClientSession._request is not _REAL_AIOHTTP_REQUEST
    assert aiohttp.ClientSession._request.__wrapped__ is _REAL_AIOHTTP_REQUEST
    pipeline_response = await async_recorded_client.stac.get_conformance_classes(
        cls=lambda response, result, headers: response
    )
    internal = pipeline_response.http_response.internal_response  # the aiohttp.ClientResponse
    assert isinstance(internal, aiohttp.ClientResponse)
    if is_live():
        assert cassette.dirty and cassette.requests[-1].path == "/stac/conformance"  # recorded, to be saved
    else:
        assert type(internal).__module__ == "vcr.stubs.aiohttp_stubs"  # vcrpy's MockClientResponse
        assert cassette.play_count == 1 and cassette.all_played


def test_network_guard_refuses_sockets() -> None:
    with network_guard():
        with pytest.raises(NetworkAccessInPlayback):
            socket.create_connection(("127.0.0.1", 9), timeout=1)
        with pytest.raises(NetworkAccessInPlayback):
            socket.socket().connect_ex(("127.0.0.1", 9))
    assert socket.socket.connect is _REAL_SOCKET_CONNECT


def test_patches_are_gone_outside_a_cassette() -> None:
    assert aiohttp.ClientSession._request is _REAL_AIOHTTP_REQUEST
    assert urllib3.connectionpool.HTTPSConnectionPool.ConnectionCls is _REAL_HTTPS_CONNECTION


# -- the recorder: an unrecorded request fails loudly -------------------------------------------------


def _playback_vcr() -> Any:
    """Playback whatever the environment says: record mode "none", no live endpoint."""
    return make_vcr(record_mode="none", live="")


def test_unrecorded_request_fails_sync() -> None:
    path = cassette_name_for("test_get_collection")
    with _playback_vcr().use_cassette(path) as cass:
        with PlanetaryComputerProClient(PLAYBACK_ENDPOINT, FakeCredential(), **CLIENT_KWARGS) as client:
            with pytest.raises(CannotOverwriteExistingCassetteException) as info:
                client.stac.get_collection("no-such-collection")
    assert "/stac/collections/no-such-collection" in str(info.value)
    assert cass.play_count == 0


async def test_unrecorded_request_fails_async() -> None:
    path = cassette_name_for("test_get_collection_async")
    with _playback_vcr().use_cassette(path) as cass:
        async with AsyncPlanetaryComputerProClient(PLAYBACK_ENDPOINT, AsyncFakeCredential(), **CLIENT_KWARGS) as client:
            with pytest.raises(CannotOverwriteExistingCassetteException) as info:
                await client.stac.get_collection("no-such-collection")
    assert "/stac/collections/no-such-collection" in str(info.value)
    assert cass.play_count == 0


def test_request_differing_only_in_query_fails() -> None:
    with _playback_vcr().use_cassette(cassette_name_for("test_get_collection")):
        with PlanetaryComputerProClient(PLAYBACK_ENDPOINT, FakeCredential(), **CLIENT_KWARGS) as client:
            with pytest.raises(CannotOverwriteExistingCassetteException):
                client.stac.get_collection(COLLECTION, sign="true")  # recorded without ?sign=true


def test_missing_cassette_fails(tmp_path: Any) -> None:
    missing = RECORDINGS / "test_playback_stac.no_such_test.yaml"
    assert not missing.exists()
    with _playback_vcr().use_cassette(missing.name):
        with PlanetaryComputerProClient(PLAYBACK_ENDPOINT, FakeCredential(), **CLIENT_KWARGS) as client:
            with pytest.raises(CannotOverwriteExistingCassetteException):
                client.stac.get_landing_page()
    assert not missing.exists()  # playback never writes


def cassette_name_for(test_name: str) -> str:
    return f"test_playback_stac.{test_name}.yaml"


# -- the recorder: configuration and switches ----------------------------------------------------------


def test_playback_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AZURE_TEST_RUN_LIVE", raising=False)
    monkeypatch.setenv("PLANETARYCOMPUTER_ENDPOINT", "https://real.abc.uksouth.geocatalog.spatio.azure.com")
    assert not is_live()
    recorder = make_vcr()
    assert recorder.record_mode == "none"
    assert recorder.match_on == ("method", "scheme", "host", "path", "query")
    assert recorder.serializer == "yaml" and recorder.decode_compressed_response
    assert recorder.cassette_library_dir == str(RECORDINGS)
    assert {"authorization", "cookie"} <= set(recorder.filter_headers)


def test_live_switch_records_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_TEST_RUN_LIVE", "true")
    monkeypatch.setenv("PLANETARYCOMPUTER_ENDPOINT", "http://127.0.0.1:8080")
    assert is_live()
    assert make_vcr().record_mode == "all"
    monkeypatch.delenv("PLANETARYCOMPUTER_ENDPOINT")
    with pytest.raises(RuntimeError, match="PLANETARYCOMPUTER_ENDPOINT"):
        make_vcr()


def test_credentials_per_endpoint() -> None:
    from azure.identity import DefaultAzureCredential
    from azure.identity.aio import DefaultAzureCredential as AsyncDefaultAzureCredential

    for endpoint in (PLAYBACK_ENDPOINT, "http://127.0.0.1:8080", "http://localhost:5000", "http://[::1]:8080"):
        assert isinstance(sync_credential(endpoint), FakeCredential)
        assert isinstance(async_credential(endpoint), AsyncFakeCredential)
    real = "https://real.abc.uksouth.geocatalog.spatio.azure.com"
    assert isinstance(sync_credential(real), DefaultAzureCredential)
    assert isinstance(async_credential(real), AsyncDefaultAzureCredential)


def test_cassette_names_follow_the_test(request: pytest.FixtureRequest) -> None:
    assert cassette_name(request.node) == "test_playback_stac.test_cassette_names_follow_the_test.yaml"


# -- the recorder: sanitizers --------------------------------------------------------------------------

LOOPBACK = "http://127.0.0.1:8080"
REAL = "https://mycatalog.abc123.uksouth.geocatalog.spatio.azure.com"


def test_sanitize_request_drops_credentials_and_rewrites_the_host() -> None:
    request = Request(
        "POST",
        f"{LOOPBACK}/stac/search?api-version=2026-04-15&sig=abc%2Bdef%3D&se=2026",
        b'{"href": "http://127.0.0.1:8080/stac/collections/x", "token": "sv=1&sig=xyz"}',
        {"Authorization": "Bearer secret-token", "Cookie": "session=1", "Referer": f"{LOOPBACK}/stac", "Accept": "*/*"},
    )
    clean = sanitize_request(request, live=LOOPBACK)
    assert clean is not None
    assert clean.uri == f"{PLAYBACK_ENDPOINT}/stac/search?api-version=2026-04-15&sig=REDACTED&se=2026"
    assert (clean.scheme, clean.host, clean.port) == ("https", "sanitized.geocatalog.spatio.azure.com", 443)
    assert "Authorization" not in clean.headers and "Cookie" not in clean.headers
    assert clean.headers["Referer"] == f"{PLAYBACK_ENDPOINT}/stac"
    assert clean.headers["Accept"] == "*/*"
    assert (
        clean.body
        == b'{"href": "https://Sanitized.geocatalog.spatio.azure.com/stac/collections/x", "token": "REDACTED"}'
    )
    assert b"127.0.0.1" not in clean.body and b"xyz" not in clean.body


def test_sanitize_request_with_list_headers_and_a_real_endpoint() -> None:
    # aiohttp requests reach vcrpy with list-valued headers (vcrpy keeps the first value).
    request = Request(
        "GET", f"{REAL.upper()}/stac?api-version=2026-04-15", None, {"authorization": ["Bearer x"], "X-Origin": [REAL]}
    )
    clean = sanitize_request(request, live=REAL)
    assert clean is not None
    assert clean.uri == f"{PLAYBACK_ENDPOINT}/stac?api-version=2026-04-15"
    assert "Authorization" not in clean.headers
    assert clean.headers["X-Origin"] == PLAYBACK_ENDPOINT


def test_sanitize_request_normalizes_the_playback_host_case() -> None:
    request = Request("GET", "https://sanitized.geocatalog.spatio.azure.com/stac?api-version=2026-04-15", None, {})
    clean = sanitize_request(request, live="")
    assert clean is not None and clean.uri == f"{PLAYBACK_ENDPOINT}/stac?api-version=2026-04-15"


def test_sanitize_request_skips_other_hosts_only_when_live() -> None:
    token_request = Request(
        "POST", "https://login.microsoftonline.com/tenant/oauth2/v2.0/token", b"client_secret=s3cr3t", {}
    )
    assert sanitize_request(token_request, live=REAL) is None  # sent, never recorded
    kept = sanitize_request(token_request, live="")  # playback: matched, so it fails loudly
    assert kept is not None and kept.uri == token_request.uri


def _response(headers: Any, body: Any) -> Any:
    return {"status": {"code": 202, "message": "Accepted"}, "headers": headers, "body": {"string": body}}


def test_sanitize_response_headers() -> None:
    response = _response(
        {
            "Operation-Location": [f"{REAL}/operations/42?api-version=2026-04-15"],
            "Location": [f"{REAL}/stac/collections/x"],
            "Set-Cookie": ["ARRAffinity=abc; Path=/"],
            "x-ms-asset": ["https://acct.blob.core.windows.net/c/b.tif?sv=2025-01-05&sig=AbC%2Bd%3D&se=2026"],
            "Content-Type": ["application/json"],
        },
        b"",
    )
    clean = sanitize_response(response, live=REAL)
    assert "Set-Cookie" not in clean["headers"]
    assert clean["headers"]["Operation-Location"] == [f"{PLAYBACK_ENDPOINT}/operations/42?api-version=2026-04-15"]
    assert clean["headers"]["Location"] == [f"{PLAYBACK_ENDPOINT}/stac/collections/x"]
    assert clean["headers"]["x-ms-asset"] == [
        "https://acct.blob.core.windows.net/c/b.tif?sv=2025-01-05&sig=REDACTED&se=2026"
    ]
    assert clean["headers"]["Content-Type"] == ["application/json"]
    assert response["headers"]["Set-Cookie"]  # the input is left alone


def test_sanitize_response_body() -> None:
    host = urlsplit(REAL).netloc
    escaped, encoded = REAL.replace("/", "\\/"), REAL.replace(":", "%3A").replace("/", "%2F")
    body = (
        f'{{"links": [{{"href": "{REAL}/stac/collections/x"}}, {{"href": "{REAL.upper()}/stac"}}],'
        f' "escaped": "{escaped}", "encoded": "{encoded}", "bare": "{host}",'
        ' "asset": "https://acct.blob.core.windows.net/c/b.tif?sv=1&sig=Ab%2Bc%3D&sp=r",'
        ' "dotnet": "https://acct.blob.core.windows.net/c?sv=1\\u0026sig=Zz9%2F\\u0026sp=r",'
        ' "wrapped": "https%3A%2F%2Facct.blob.core.windows.net%2Fc%3Fsv%3D1%26sig%3DQq%252B%26sp%3Dr",'
        ' "token": "st=2026&se=2026&sp=rl&sig=Tok%3D", "expiresOn": "2026-01-01T00:00:00Z",'
        ' "access_token": "eyJ0eXAiOiJKV1Qi"}'
    )
    clean = sanitize_response(_response({}, body.encode()), live=REAL)["body"]["string"]
    assert isinstance(clean, bytes)
    text = clean.decode()
    assert text == (
        '{"links": [{"href": "https://Sanitized.geocatalog.spatio.azure.com/stac/collections/x"},'
        ' {"href": "https://Sanitized.geocatalog.spatio.azure.com/stac"}],'
        ' "escaped": "https:\\/\\/Sanitized.geocatalog.spatio.azure.com",'
        ' "encoded": "https%3A%2F%2FSanitized.geocatalog.spatio.azure.com",'
        ' "bare": "Sanitized.geocatalog.spatio.azure.com",'
        ' "asset": "https://acct.blob.core.windows.net/c/b.tif?sv=1&sig=REDACTED&sp=r",'
        ' "dotnet": "https://acct.blob.core.windows.net/c?sv=1\\u0026sig=REDACTED\\u0026sp=r",'
        ' "wrapped": "https%3A%2F%2Facct.blob.core.windows.net%2Fc%3Fsv%3D1%26sig%3DREDACTED%26sp%3Dr",'
        ' "token": "REDACTED", "expiresOn": "2026-01-01T00:00:00Z",'
        ' "access_token": "REDACTED"}'
    )
    # str bodies (as loaded from a cassette) get the same treatment
    assert sanitize_response(_response({}, body), live=REAL)["body"]["string"] == text


def test_sanitizers_leave_other_text_alone_and_are_idempotent() -> None:
    body = b'{"sign": "true", "xsig=1": "keep", "signature=": "keep", "config": "a&sig_count=2", "n": "tokens"}'
    assert sanitize_response(_response({}, body), live=REAL)["body"]["string"] == body
    png = PNG_SIGNATURE + bytes(range(256))
    assert sanitize_response(_response({}, png), live=REAL)["body"]["string"] == png
    once = sanitize_response(_response({"Location": [f"{REAL}/x?sig=abc"]}, f'"{REAL}" sig=1'.encode()), live=REAL)
    assert sanitize_response(once, live=REAL) == once
    assert sanitize_response(once, live="") == once


# -- the recording stub (tests/stub_geocatalog.py), without sockets ---------------------------------

STUB_URL = "http://127.0.0.1:1234"
BEARER = {"Authorization": "Bearer t"}


def test_stub_requires_a_bearer_token_and_the_api_version() -> None:
    app = StubApp(STUB_URL)
    for headers in ({}, {"Authorization": "Basic dTpw"}, {"Authorization": "Bearer "}):
        status, data, reply_headers = app.handle("GET", "/stac?api-version=2026-04-15", headers, b"")
        assert status == 401 and json.loads(data)["error"]["code"] == "Unauthorized"
        assert reply_headers["WWW-Authenticate"].startswith("Bearer ")
    for target in ("/stac", "/stac?api-version=2025-04-30-preview"):
        status, data, _ = app.handle("GET", target, BEARER, b"")
        error = json.loads(data)["error"]
        assert status == 400 and set(error) == {"code", "message"} and "2026-04-15" in error["message"]
    assert app.handle("GET", "/stac?api-version=2026-04-15", BEARER, b"")[0] == 200


def test_stub_answers_404_and_405_with_an_error_body() -> None:
    app = StubApp(STUB_URL)
    for target in (
        "/stac/collections/nope",
        "/stac/collections/nope/items",
        f"/stac/collections/{COLLECTION}/configurations/render-options/nope",
        f"/stac/collections/{COLLECTION}/configurations/mosaics/nope",
        f"/stac/collections/{ITEMS_COLLECTION}/items/nope",
        "/stac/nothing-here",
    ):
        status, data, _ = app.handle("GET", target + "?api-version=2026-04-15", BEARER, b"")
        assert status == 404 and json.loads(data)["error"]["code"] == "NotFound", target
    status, data, _ = app.handle("DELETE", "/stac/collections?api-version=2026-04-15", BEARER, b"")
    assert status == 405 and json.loads(data)["error"]["code"] == "MethodNotAllowed"


def test_stub_rewrites_hrefs_to_itself_and_signs_blob_hrefs() -> None:
    app = StubApp(STUB_URL)
    target = f"/stac/collections/{ITEMS_COLLECTION}/items/{ITEM_ID}?api-version=2026-04-15&sign=true"
    status, data, headers = app.handle("GET", target, BEARER, b"")
    assert status == 200 and headers["Content-Type"] == "application/geo+json"
    assert headers["Content-Location"] == f"{STUB_URL}/stac/collections/{ITEMS_COLLECTION}/items/{ITEM_ID}"
    item = json.loads(data)
    assert b"geocatalog.spatio.azure.com" not in data
    assert {entry["href"].split("/stac/")[0] for entry in item["links"]} == {STUB_URL}
    for asset in item["assets"].values():
        assert parse_qs(urlsplit(asset["href"]).query)["sig"][0] != "REDACTED"
    status, data, headers = app.handle(
        "GET", f"/stac/collections/{COLLECTION}/thumbnail?api-version=2026-04-15", BEARER, b""
    )
    assert status == 200 and headers["Content-Type"] == "image/png"
    check_png(data)
    assert app.requests[-1] == ("GET", f"/stac/collections/{COLLECTION}/thumbnail?api-version=2026-04-15")


# -- the recorder: what the cassettes hold (keep last: a re-recording run checks its fresh output) -----


def _cassettes() -> List[Any]:
    return sorted(RECORDINGS.glob("*.yaml"))


def test_every_recorded_test_has_its_cassette_and_no_orphans() -> None:
    fixtures = {"recorded_client", "async_recorded_client", "cassette"}
    recorded = {
        cassette_name_for(name)
        for name, function in globals().items()
        if name.startswith("test_") and fixtures & set(inspect.signature(function).parameters)
    }
    present = {path.name for path in _cassettes() if path.name.startswith("test_playback_stac.")}
    assert len(recorded) == 38
    assert recorded <= present, f"missing cassettes (re-record the module): {sorted(recorded - present)}"
    assert present <= recorded, f"orphan cassettes (delete them): {sorted(present - recorded)}"


def test_cassettes_hold_no_secret_and_no_real_host() -> None:
    paths = _cassettes()
    assert paths, f"no cassettes in {RECORDINGS}"
    for path in paths:
        text = path.read_text(encoding="utf-8")
        lowered = text.lower()
        assert "authorization" not in lowered, path.name
        assert "bearer" not in lowered, path.name
        assert "fake-token" not in text, path.name
        assert "cookie" not in lowered, path.name
        assert "127.0.0.1" not in text and "localhost" not in lowered and "[::1]" not in text, path.name
        for match in re.finditer(r"sig(=|%3[dD])([^&\s\"'<>\\]*)", text):
            assert match.group(2).startswith("REDACTED"), (path.name, match.group(0))
        for match in re.finditer(r'"token"\s*:\s*"([^"]*)"', text):
            assert match.group(1) == "REDACTED", (path.name, match.group(0))
        data = yaml.safe_load(text)
        assert data["interactions"], path.name
        for interaction in data["interactions"]:
            req = interaction["request"]
            parts = urlsplit(req["uri"])
            assert f"{parts.scheme}://{parts.netloc}" == PLAYBACK_ENDPOINT, (path.name, req["uri"])
            assert parse_qs(parts.query)["api-version"] == ["2026-04-15"], (path.name, req["uri"])
            assert not {h.lower() for h in req["headers"]} & {"authorization", "cookie"}, path.name
            assert not {h.lower() for h in interaction["response"]["headers"]} & {"set-cookie"}, path.name
