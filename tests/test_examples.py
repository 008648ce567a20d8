"""The service's own examples, replayed through our client, sync and async.

Every example of the reference (``<reference>/examples/2026-04-15/*.json``:
``Stac*``, ``Ingestion*``, ``Sas_*``, ``Maps*``, ``Mosaics*``, ``Tiler*``,
``TileMatrix*``) is mapped, by the explicit ``MAPPING`` table below, to a
method of ``client.stac``, ``client.data``, ``client.ingestion`` or
``client.sas``. Each test calls
that method with the example's parameters through the real azure-core
pipeline; ``FakeTransport`` answers with the example's first success response.
We then check:

* the request: HTTP method, exact path (path values percent-quoted), query, and
  the body (JSON, or the multipart parts) equal to what the example sends;
* the result: the declared model class (or a list of it; the concrete subtype
  for polymorphic models), whose ``as_dict()`` equals the example response body
  exactly ("nothing is lost"), also after a JSON round trip and after every
  declared attribute has been read (reading never alters what is written back);
  plain JSON results (lists of strings, nested lists) equal the body;
* paged lists: an ``ItemPaged`` / ``AsyncItemPaged`` whose items' ``as_dict()``
  are the page's ``value`` entries; an example ``nextLink`` is answered with a
  second page, which the pager must request (GET, the client's api-version);
* long-running operations: the poller follows ``Operation-Location`` and ends
  with ``None``;
* streamed bodies (thumbnail, legend and crop images, previews, WMTS
  capabilities XML): the streamed bytes are the bytes sent.

The example file names use the service's operationIds (``StacItems_Get``,
``Ingestions_Create``, ``MosaicsAssetsForTileMatrixSets_GetZxyAssets``...),
which differ from our method names, hence the hand-made table. A new example
file, or a new generated method, makes ``test_mapping_*`` fail until it is
mapped or listed in ``UNCOVERED_METHODS`` with a reason.
"""

from __future__ import annotations

import base64
import copy
import inspect
import json
import pickle
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple, Type
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
import yaml
from azure.core.async_paging import AsyncItemPaged
from azure.core.exceptions import HttpResponseError
from azure.core.paging import ItemPaged
from azure.core.rest import HttpRequest

from azure.planetarycomputer import PlanetaryComputerProClient, models
from azure.planetarycomputer._serialization import Model
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncPlanetaryComputerProClient
from azure.planetarycomputer.aio import operations as async_operations
from azure.planetarycomputer.operations import DataOperations, IngestionOperations, SasOperations, StacOperations

from .compat.compat_wire import request_record
from .conftest import ENDPOINT, REFERENCE, ROOT, AsyncFakeCredential, FakeCredential
from .fakes import AsyncFakeTransport, FakeTransport, Reply

API_VERSION = "2026-04-15"
EXAMPLES = REFERENCE / "examples" / API_VERSION

#: Client attribute -> operations class.
GROUP_CLASSES: Dict[str, type] = {
    "stac": StacOperations,
    "data": DataOperations,
    "ingestion": IngestionOperations,
    "sas": SasOperations,
}
#: The generated module: only methods defined there count as "the API" (hand-written
#: compatibility aliases/adapters added elsewhere are not ours to map).
GENERATED_MODULE = "azure.planetarycomputer.operations._operations"


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Mapped:
    """How one service example maps onto our client."""

    #: Method of ``client.<group>``.
    method: str
    #: HTTP method our client sends.
    verb: str
    #: Path template (wire parameter names), as in swagger/planetarycomputer.yaml.
    path: str
    #: What the method returns: a model class name, ``"[Name]"`` for a list of it,
    #: ``"json"`` for plain JSON (lists of strings or numbers), ``"bytes"`` for a
    #: streamed body, ``None`` for nothing (incl. pollers). For paged methods: the item model.
    returns: Optional[str]
    #: Model of the request body (``"[Name]"`` for a list), when there is one.
    body_model: Optional[str] = None
    #: The body to send when the example has none but our method needs one.
    body_override: Any = None
    #: Why the mapping is not the obvious one, or what is wrong with the example.
    note: str = ""
    #: Client attribute of the operation group.
    group: str = "stac"
    #: The method returns ItemPaged / AsyncItemPaged; the example body is one page.
    paged: bool = False
    #: Concrete class the (polymorphic) ``returns`` model must deserialize to.
    subtype: Optional[str] = None
    #: Example wire name -> our Python name, where this operation differs from the tables below.
    renames: Dict[str, str] = field(default_factory=dict)
    #: Example wire name -> the wire name our client (and the official 1.0.0) sends instead.
    wire: Dict[str, str] = field(default_factory=dict)
    #: Example parameters that are not parameters of the operation (left out of the call).
    unused: Tuple[str, ...] = ()
    #: Content-Type of the canned reply for ``"bytes"``.
    content_type: str = "image/png"
    #: The example gives the binary body base64-encoded; the wire carries the decoded bytes.
    base64_body: bool = False
    #: Accept header the request must carry, when checked.
    accept: Optional[str] = None


def _data(method: str, verb: str, path: str, returns: Optional[str], **kwargs: Any) -> Mapped:
    return Mapped(method, verb, path, returns, group="data", **kwargs)


def _ingestion(method: str, verb: str, path: str, returns: Optional[str], **kwargs: Any) -> Mapped:
    return Mapped(method, verb, path, returns, group="ingestion", **kwargs)


def _sas(method: str, verb: str, path: str, returns: Optional[str], **kwargs: Any) -> Mapped:
    return Mapped(method, verb, path, returns, group="sas", **kwargs)


_C = "/stac/collections/{collectionId}"
_CFG = _C + "/configurations"
_ITEM = "/data/mosaic/collections/{collectionId}/items/{itemId}"
_SEARCH = "/data/mosaic/searches/{searchId}"
_INGESTIONS = "/inma/collections/{collectionId}/ingestions"
_SOURCES = "/inma/ingestion-sources"

_PATH_ERA = "the example predates 1.0.0's tiler paths ({old}); ours is the same operation under /data/mosaic/{new}"
_TEMPLATE_VALUES = "path values are unfilled templates ('{{collectionId}}'): sent percent-quoted as given"
_XML_PLACEHOLDER = "the example body is placeholder text, not XML; we stream its UTF-8 bytes"

MAPPING: Dict[str, Mapped] = {
    # ================================================================ stac
    # --- collection assets (multipart) ---
    "StacCollectionAssets_Create": Mapped(
        "create_collection_asset",
        "POST",
        _C + "/assets",
        "StacCollection",
        body_model="StacAssetData",
        note="multipart: the example gives `data` as JSON text and `file` as text; "
        "we send data=<that JSON parsed>, file=('thumbnail.png', <text as bytes>)",
    ),
    "StacCollectionAssets_Replace": Mapped(
        "replace_collection_asset",
        "PUT",
        _C + "/assets/{assetId}",
        "StacCollection",
        body_model="StacAssetData",
        note="multipart, as StacCollectionAssets_Create",
    ),
    "StacCollectionAssets_Delete": Mapped(
        "delete_collection_asset", "DELETE", _C + "/assets/{assetId}", "StacCollection"
    ),
    # --- collection configuration ---
    "StacCollectionConfig_Get": Mapped("get_collection_configuration", "GET", _CFG, "UserCollectionSettings"),
    "StacCollectionMosaics_Add": Mapped(
        "add_mosaic",
        "POST",
        _CFG + "/mosaics",
        "StacMosaic",
        body_model="StacMosaic",
        note="example lists 201 then 200; the first (201) is the one our method accepts",
    ),
    "StacCollectionMosaics_Delete": Mapped("delete_mosaic", "DELETE", _CFG + "/mosaics/{mosaicId}", None),
    "StacCollectionMosaics_Get": Mapped("get_mosaic", "GET", _CFG + "/mosaics/{mosaicId}", "StacMosaic"),
    "StacCollectionMosaics_GetAll": Mapped("get_mosaics", "GET", _CFG + "/mosaics", "[StacMosaic]"),
    "StacCollectionMosaics_Replace": Mapped(
        "replace_mosaic", "PUT", _CFG + "/mosaics/{mosaicId}", "StacMosaic", body_model="StacMosaic"
    ),
    "StacCollectionPartitionTypes_Get": Mapped("get_partition_type", "GET", _CFG + "/partition-type", "PartitionType"),
    "StacCollectionPartitionTypes_Replace": Mapped(
        "replace_partition_type", "PUT", _CFG + "/partition-type", None, body_model="PartitionType"
    ),
    "StacCollectionRenderOptions_Create": Mapped(
        "create_render_option",
        "POST",
        _CFG + "/render-options",
        "RenderOption",
        body_model="RenderOption",
        note="example lists 201 then 200; the first (201) is the one our method accepts",
    ),
    "StacCollectionRenderOptions_Delete": Mapped(
        "delete_render_option", "DELETE", _CFG + "/render-options/{renderOptionId}", None
    ),
    "StacCollectionRenderOptions_Get": Mapped(
        "get_render_option",
        "GET",
        _CFG + "/render-options/{renderOptionId}",
        "RenderOption",
        note="DEFECTIVE EXAMPLE: its 200 body is the list of all render options (a copy of "
        "StacCollectionRenderOptions_GetAll), not the single RenderOption the definition (and the "
        "official SDK) returns for GET .../render-options/{renderOptionId}. We check that the client "
        "rejects that body with an HttpResponseError, then run the full checks with each element of "
        "the list as the response.",
    ),
    "StacCollectionRenderOptions_GetAll": Mapped(
        "get_render_options", "GET", _CFG + "/render-options", "[RenderOption]"
    ),
    "StacCollectionRenderOptions_Replace": Mapped(
        "replace_render_option",
        "PUT",
        _CFG + "/render-options/{renderOptionId}",
        "RenderOption",
        body_model="RenderOption",
    ),
    "StacCollectionThumbnails_Get": Mapped(
        "get_collection_thumbnail",
        "GET",
        _C + "/thumbnail",
        "bytes",
        note="the example body is text standing for the image; we send its UTF-8 bytes",
    ),
    "StacCollectionTileSettings_Get": Mapped("get_tile_settings", "GET", _CFG + "/tile-settings", "TileSettings"),
    "StacCollectionTileSettings_Replace": Mapped(
        "replace_tile_settings", "PUT", _CFG + "/tile-settings", "TileSettings", body_model="TileSettings"
    ),
    # --- collections ---
    "StacCollections_Create": Mapped(
        "begin_create_collection", "POST", "/stac/collections", None, body_model="StacCollection"
    ),
    "StacCollections_CreateOrReplace": Mapped(
        "replace_collection",
        "PUT",
        _C,
        "StacCollection",
        body_model="StacCollection",
        note="service name says CreateOrReplace; it is our (non-LRO) PUT replace_collection, "
        "not begin_create_collection (that is the POST, StacCollections_Create)",
    ),
    "StacCollections_Delete": Mapped("begin_delete_collection", "DELETE", _C, None),
    "StacCollections_Get": Mapped(
        "get_collection",
        "GET",
        _C,
        "StacCollection",
        note="single collection (the example has a collectionId), not get_collections",
    ),
    "StacConformanceClass_Get": Mapped("get_conformance_classes", "GET", "/stac/conformance", "StacConformanceClasses"),
    # --- items ---
    "StacItems_Create": Mapped(
        "begin_create_item", "POST", _C + "/items", None, body_model="StacItemOrStacItemCollection"
    ),
    "StacItems_CreateOrReplace": Mapped(
        "begin_replace_item",
        "PUT",
        _C + "/items/{itemId}",
        None,
        body_model="StacItem",
        note="202 without Operation-Location/Location: the poller ends at once",
    ),
    "StacItems_Delete": Mapped("begin_delete_item", "DELETE", _C + "/items/{itemId}", None),
    "StacItems_Get": Mapped("get_item", "GET", _C + "/items/{itemId}", "StacItem"),
    "StacItems_GetFeatures": Mapped(
        "get_item_collection",
        "GET",
        _C + "/items",
        "StacItemCollection",
        note="service calls listing a collection's items GetFeatures",
    ),
    "StacItems_Update": Mapped(
        "begin_update_item",
        "PATCH",
        _C + "/items/{itemId}",
        None,
        body_model="StacItem",
        note="path values are unfilled templates ('{{collectionId}}'): sent percent-quoted as given",
    ),
    # --- catalog ---
    "StacLandingPages_Get": Mapped("get_landing_page", "GET", "/stac", "StacLandingPage"),
    # --- queryables ---
    "StacQueryables_Create": Mapped(
        "create_queryables", "POST", _C + "/queryables", "[StacQueryable]", body_model="[StacQueryable]"
    ),
    "StacQueryables_Delete": Mapped(
        "delete_queryable",
        "DELETE",
        _C + "/queryables/{queryableName}",
        None,
        note="the example's queryableName 'test%3Aproperty' is already percent-encoded (the name is "
        "'test:property', see StacQueryables_Create); we pass the decoded name",
    ),
    "StacQueryables_GetAll": Mapped("get_queryables", "GET", "/stac/queryables", "QueryableDefinitionsResponse"),
    "StacQueryables_GetAllByCollection": Mapped(
        "get_collection_queryables", "GET", _C + "/queryables", "QueryableDefinitionsResponse"
    ),
    "StacQueryables_Replace": Mapped(
        "replace_queryable",
        "PUT",
        _C + "/queryables/{queryableName}",
        "StacQueryable",
        body_model="StacQueryable",
        note="queryableName decoded as in StacQueryables_Delete",
    ),
    # --- search ---
    "StacSearch_Create": Mapped(
        "search", "POST", "/stac/search", "StacItemCollection", body_model="StacSearchParameters"
    ),
    "StacSearch_Get": Mapped(
        "search",
        "POST",
        "/stac/search",
        "StacItemCollection",
        body_model="StacSearchParameters",
        body_override={},
        note="GET /stac/search is in neither our client nor the official 1.0.0 one (nor our definition); "
        "the example has no criteria, so we send the equivalent POST search with an empty body and "
        "check its FeatureCollection response",
    ),
    # ================================================================ data (tiler)
    # --- legends ---
    "MapsClassMapLegends_Get": _data(
        "get_class_map_legend", "GET", "/data/legend/classmap/{classmapName}", "ClassMapLegendResponse"
    ),
    "MapsIntervalLegends_GetByClassMapName": _data(
        "get_interval_legend",
        "GET",
        "/data/legend/interval/{classmapName}",
        "json",
        note="returns List[List[List[int]]] (plain JSON: [[min, max], [r, g, b, a]] per interval)",
    ),
    "MapsLegends_Get": _data(
        "get_legend",
        "GET",
        "/data/legend/colormap/{colorMapName}",
        "bytes",
        base64_body=True,
        accept="image/png",
        note="the example gives the PNG base64-encoded (JSON cannot carry bytes); the wire carries the "
        "decoded PNG, which we send and expect back byte for byte",
    ),
    # --- tile matrix sets ---
    "TileMatrixDefinitions_Get": _data(
        "get_tile_matrix_definitions", "GET", "/data/tile-matrix-sets/{tileMatrixSetId}", "TileMatrixSet"
    ),
    "TileMatrixList_Get": _data(
        "get_tile_matrices",
        "GET",
        "/data/tile-matrix-sets",
        "json",
        note="returns List[str]; the example also lists a 204 that our definition (like 1.0.0) does not accept",
    ),
    # --- search mosaics ---
    "MosaicsRegisterSearch_Register": _data(
        "register_mosaics_search",
        "POST",
        "/data/mosaic/register",
        "TilerMosaicSearchRegistrationResponse",
        note="spread body: the example body is passed as the JSON mapping (the keyword form is "
        "checked by test_register_search_from_keywords)",
    ),
    "MosaicsInfoSearch_Get": _data(
        "get_search_info",
        "GET",
        _SEARCH + "/info",
        "TilerStacSearchRegistration",
        note=_PATH_ERA.format(old="/data/mosaic/{searchId}/info", new="searches/{searchId}/info"),
    ),
    "MosaicsTileJsonOperations_Get": _data(
        "get_search_tile_json",
        "GET",
        _SEARCH + "/tilejson.json",
        "TileJsonMetadata",
        renames={"collection": "collection_id"},
        note="the example gives assets='B04' (a string) for the array parameter: we pass ['B04'] "
        "(same wire: assets=B04) and nodata=0 (a number) for the string parameter: we pass '0'. "
        "This method names the `collection` query value collection_id (as 1.0.0 does); "
        + _PATH_ERA.format(old="/data/mosaic/{searchId}/tilejson.json", new="searches/{searchId}/tilejson.json"),
    ),
    "MosaicsTileMatrixSetsTileJson_Get": _data(
        "get_search_tile_json_by_tms",
        "GET",
        _SEARCH + "/{tileMatrixSetId}/tilejson.json",
        "TileJsonMetadata",
        note="here the `collection` query value is the keyword `collection` (as in 1.0.0)",
    ),
    "MosaicsWmtsMosaics_GetCapabilitiesXml": _data(
        "get_search_wmts_capabilities",
        "GET",
        _SEARCH + "/WMTSCapabilities.xml",
        "bytes",
        content_type="application/xml",
        accept="application/xml",
        note="WMTS capabilities: XML streamed as bytes (checked to parse as XML)",
    ),
    "MosaicsWmtsMosaicsTileMatrixSets_GetCapabilitiesXml": _data(
        "get_search_wmts_capabilities_by_tms",
        "GET",
        _SEARCH + "/{tileMatrixSetId}/WMTSCapabilities.xml",
        "bytes",
        content_type="application/xml",
        accept="application/xml",
        note="WMTS capabilities: XML streamed as bytes (checked to parse as XML)",
    ),
    "MosaicsAssetsForPoints_GetPointAssets": _data(
        "get_search_point_with_assets",
        "GET",
        _SEARCH + "/point/{longitude},{latitude}/assets",
        "[StacItemPointAsset]",
        wire={"coord-crs": "coord_crs"},
        note="the example's query name coord-crs is the older spelling: 1.0.0 and we send coord_crs; "
        + _PATH_ERA.format(old="/data/mosaic/{searchId}/{lon},{lat}/assets", new="searches/{searchId}/point/..."),
    ),
    "MosaicsAssetsForTileMatrixSets_GetZxyAssets": _data(
        "get_search_assets_for_tile",
        "GET",
        _SEARCH + "/tiles/{tileMatrixSetId}/{z}/{x}/{y}/assets",
        "[TilerAssetGeoJson]",
        renames={"collection": "collection_id"},
        note="z/x/y are floats (13.0...), sent as such ('13.0', as 1.0.0 does); the required `collection` "
        "query value is the keyword collection_id",
    ),
    "MosaicsAssetsForTiles_GetZxyAssets": _data(
        "get_search_assets_for_tile_no_tms",
        "GET",
        _SEARCH + "/tiles/{z}/{x}/{y}/assets",
        "json",
        note="z/x/y are given as strings ('12', '47.6062', '17') for float parameters: we pass floats, "
        "so the path is 12.0/47.6062/17.0 (1.0.0 formats them the same way). Returns List[Any]; the "
        "example's 200 body is [] (it also lists a 204 that our definition does not accept)",
    ),
    # --- items ---
    "TilerAssetStatistics_GetAll": _data(
        "get_item_asset_statistics",
        "GET",
        _ITEM + "/asset_statistics",
        "AssetStatisticsResponse",
        note=_TEMPLATE_VALUES,
    ),
    "TilerAvailableAssets_GetAll": _data("get_item_available_assets", "GET", _ITEM + "/assets", "json"),
    "TilerBound_GetAll": _data("get_item_bounds", "GET", _ITEM + "/bounds", "StacItemBounds", note=_TEMPLATE_VALUES),
    "TilerGeoJsonStatistics_Get": _data(
        "get_item_feature_statistics",
        "POST",
        _ITEM + "/statistics",
        "StacItemStatisticsGeoJson",
        body_model="Feature",
        note="POST .../statistics with a GeoJSON Feature (GET .../statistics is TilerStatistics_GetAll)",
    ),
    "TilerGeoJsons_CropFormat": _data(
        "crop_feature_by_format",
        "POST",
        _ITEM + "/feature.{format}",
        "bytes",
        body_model="Polygon",
        note="the example path .../crop.{format} is our .../feature.{format}; its body is a bare Polygon "
        "geometry where our definition (and 1.0.0) declares a Feature: sent unchanged as a mapping, and "
        "as a Polygon model in the model-body test; the response body is placeholder text for the PNG",
    ),
    "TilerInfoGeoJsonOperations_Get": _data(
        "get_item_info_geo_json", "GET", _ITEM + "/info.geojson", "TilerInfoGeoJsonFeature", note=_TEMPLATE_VALUES
    ),
    "TilerInfoOperations_Get": _data(
        "get_item_info", "GET", _ITEM + "/info", "TilerInfoMapResponse", note=_TEMPLATE_VALUES
    ),
    "TilerPoints_GetPoint": _data(
        "get_item_point", "GET", _ITEM + "/point/{longitude},{latitude}", "TilerCoreModelsResponsesPoint"
    ),
    "TilerPreviews_Get": _data(
        "get_item_preview",
        "GET",
        _ITEM + "/preview",
        "bytes",
        note="assets='data' (a string) for the array parameter: we pass ['data']; the body is placeholder "
        "text for the image",
    ),
    "TilerPreviews_GetFormat": _data(
        "get_item_preview_with_format",
        "GET",
        _ITEM + "/preview.{format}",
        "bytes",
        note="the body is placeholder text for the image",
    ),
    "TilerStaticImages_Create": _data(
        "create_static_image",
        "POST",
        "/data/collections/{collectionId}/image/static",
        "ImageResponse",
        body_model="ImageParameters",
        note="static images are not in the official 1.0.0 (kept from 1.0.0b1); still under /data/collections",
    ),
    "TilerStaticImages_Get": _data(
        "get_static_image",
        "GET",
        "/data/collections/{collectionId}/image/static/{id}",
        "bytes",
        note="the body is placeholder text for the PNG; the example also lists a 204 our definition does not accept",
    ),
    "TilerStatistics_GetAll": _data("get_item_statistics", "GET", _ITEM + "/statistics", "TilerStacItemStatistics"),
    "TilerTileJsonOperations_Get": _data("get_item_tile_json", "GET", _ITEM + "/tilejson.json", "TileJsonMetadata"),
    "TilerTileJsonTileMatrixSets_Get": _data(
        "get_item_tile_json_by_tms", "GET", _ITEM + "/{tileMatrixSetId}/tilejson.json", "TileJsonMetadata"
    ),
    "TilerWmts_GetCapabilitiesXml": _data(
        "get_item_wmts_capabilities",
        "GET",
        _ITEM + "/WMTSCapabilities.xml",
        "bytes",
        content_type="application/xml",
        accept="application/xml",
        note=_XML_PLACEHOLDER + "; the example also lists a 204 our definition does not accept",
    ),
    "TilerWmtsTileMatrixSets_GetCapabilitiesXml": _data(
        "get_item_wmts_capabilities_by_tms",
        "GET",
        _ITEM + "/{tileMatrixSetId}/WMTSCapabilities.xml",
        "bytes",
        content_type="application/xml",
        accept="application/xml",
        note=_XML_PLACEHOLDER,
    ),
    # ================================================================ ingestion
    # --- ingestions ---
    "Ingestions_Create": _ingestion(
        "create",
        "POST",
        _INGESTIONS,
        "IngestionDefinition",
        body_model="IngestionDefinition",
        note="the example names the body parameter `definition`",
    ),
    "Ingestions_Delete": _ingestion(
        "begin_delete",
        "DELETE",
        _INGESTIONS + "/{ingestionId}",
        None,
        note="long-running: 202 with Operation-Location (and Location) polled to the end; result None",
    ),
    "Ingestions_Get": _ingestion("get", "GET", _INGESTIONS + "/{ingestionId}", "IngestionDefinition"),
    "Ingestions_List": _ingestion("list", "GET", _INGESTIONS, "IngestionDefinition", paged=True),
    "Ingestions_Update": _ingestion(
        "update",
        "PATCH",
        _INGESTIONS + "/{ingestionId}",
        "IngestionDefinition",
        body_model="IngestionDefinition",
        note="the example names the body parameter `definition`; sent as merge-patch JSON",
    ),
    # --- runs ---
    "IngestionRuns_Create": _ingestion("create_run", "POST", _INGESTIONS + "/{ingestionId}/runs", "IngestionRun"),
    "IngestionRuns_Get": _ingestion("get_run", "GET", _INGESTIONS + "/{ingestionId}/runs/{runId}", "IngestionRun"),
    "IngestionRuns_List": _ingestion(
        "list_runs", "GET", _INGESTIONS + "/{ingestionId}/runs", "IngestionRun", paged=True
    ),
    # --- sources ---
    "IngestionSources_Create": _ingestion(
        "create_source",
        "POST",
        _SOURCES,
        "IngestionSource",
        body_model="IngestionSource",
        subtype="SharedAccessSignatureTokenIngestionSource",
        note="polymorphic: kind 'SasToken'",
    ),
    "IngestionSources_Delete": _ingestion("delete_source", "DELETE", _SOURCES + "/{id}", None),
    "IngestionSources_Get": _ingestion(
        "get_source",
        "GET",
        _SOURCES + "/{id}",
        "IngestionSource",
        subtype="ManagedIdentityIngestionSource",
        note="polymorphic: kind 'BlobManagedIdentity'",
    ),
    "IngestionSources_List": _ingestion("list_sources", "GET", _SOURCES, "IngestionSourceSummary", paged=True),
    "IngestionSources_ListManagedIdentities": _ingestion(
        "list_managed_identities",
        "GET",
        _SOURCES + "/managed-identities",
        "ManagedIdentityMetadata",
        paged=True,
        note="the page has a nextLink (https://example.com/nextLink): answered with a second page",
    ),
    "IngestionSources_Replace": _ingestion(
        "replace_source",
        "PUT",
        _SOURCES + "/{id}",
        "IngestionSource",
        body_model="IngestionSource",
        subtype="SharedAccessSignatureTokenIngestionSource",
        note="service name Replace (CreateOrReplace in the older definition); polymorphic: kind 'SasToken'",
    ),
    # --- operations ---
    "IngestionOperations_Delete": _ingestion(
        "cancel_operation",
        "DELETE",
        "/inma/operations/{operationId}",
        None,
        unused=("collectionId",),
        note="the example carries a collectionId that is no parameter of DELETE /inma/operations/{operationId} "
        "(nor in 1.0.0): left out",
    ),
    "IngestionOperations_DeleteAll": _ingestion("cancel_all_operations", "DELETE", "/inma/operations", None),
    "IngestionOperations_Get": _ingestion(
        "get_operation",
        "GET",
        "/inma/operations/{operationId}",
        "Operation",
        unused=("collectionId",),
        note="the example carries a collectionId that is no parameter of GET /inma/operations/{operationId}: left out",
    ),
    # ================================================================ sas
    "Sas_GetSign": _sas(
        "get_url",
        "GET",
        "/sas/sign",
        "SharedAccessSignatureSignedLink",
        note="service name GetSign; href is a required keyword-only argument",
    ),
    "Sas_GetToken": _sas("get_token", "GET", "/sas/token/{collectionId}", "SharedAccessSignatureToken"),
    "Sas_RevokeToken": _sas("revoke_token", "POST", "/sas/token/revoke", None),
}

_NO_TILE_EXAMPLE = "no tile example: the {name} example (a base64 image) was too large to copy into the reference"
_NO_EXAMPLE_NEW = "no example: operation new in 1.0.0 (tiler paths under /data/mosaic/...), none in the reference"
_COLLECTION_MOSAIC = "no example: collection mosaics (/data/mosaic/collections/{collectionId}/...) have none"

#: Generated methods no example exercises, per group (kept explicit so a new method needs a decision).
UNCOVERED_METHODS: Dict[str, Dict[str, str]] = {
    "stac": {
        "get_collections": "no example: StacCollections_GetAll (66 kB) was not copied into the reference",
    },
    "data": {
        # collection mosaics
        "crop_collection_feature": _COLLECTION_MOSAIC,
        "crop_collection_feature_by_format": _COLLECTION_MOSAIC,
        "crop_collection_feature_width_by_height": _COLLECTION_MOSAIC,
        "get_collection_assets_for_bbox": _COLLECTION_MOSAIC,
        "get_collection_assets_for_tile": _COLLECTION_MOSAIC,
        "get_collection_assets_for_tile_no_tms": _COLLECTION_MOSAIC,
        "get_collection_bbox_crop": _COLLECTION_MOSAIC,
        "get_collection_bbox_crop_with_dimensions": _COLLECTION_MOSAIC,
        "get_collection_info": _COLLECTION_MOSAIC,
        "get_collection_point": _COLLECTION_MOSAIC,
        "get_collection_point_assets": _COLLECTION_MOSAIC,
        "get_collection_tile": _COLLECTION_MOSAIC,
        "get_collection_tile_by_format": _COLLECTION_MOSAIC,
        "get_collection_tile_by_scale": _COLLECTION_MOSAIC,
        "get_collection_tile_by_scale_and_format": _COLLECTION_MOSAIC,
        "get_collection_tile_json": _COLLECTION_MOSAIC,
        "get_collection_tile_json_by_tms": _COLLECTION_MOSAIC,
        "get_collection_tile_no_tms": _COLLECTION_MOSAIC,
        "get_collection_tile_no_tms_by_format": _COLLECTION_MOSAIC,
        "get_collection_tile_no_tms_by_scale": _COLLECTION_MOSAIC,
        "get_collection_tile_no_tms_by_scale_and_format": _COLLECTION_MOSAIC,
        "get_collection_tileset_metadata": _COLLECTION_MOSAIC,
        "get_collection_tilesets": _COLLECTION_MOSAIC,
        "get_collection_wmts_capabilities": _COLLECTION_MOSAIC,
        "get_collection_wmts_capabilities_by_tms": _COLLECTION_MOSAIC,
        # items
        "crop_feature": "no example (only the .{format} variant, TilerGeoJsons_CropFormat, has one)",
        "crop_feature_width_by_height": "no example: TilerGeoJsons_CropWidthByHeightFormat (a 240 kB base64 PNG) "
        "was too large to copy",
        "get_item_bbox_crop": "no example: TilerParts_GetCroppedToBoundingBox is absent from the source index",
        "get_item_bbox_crop_with_dimensions": "no example: TilerParts_GetCroppedToBoundingBoxWidthByHeight "
        "(a base64 PNG) was too large to copy",
        "get_tile": _NO_EXAMPLE_NEW,
        "get_tile_by_format": _NO_EXAMPLE_NEW,
        "get_tile_by_scale": _NO_EXAMPLE_NEW,
        "get_tile_by_scale_and_format": _NO_TILE_EXAMPLE.format(name="TilerTileMatrixSets_GetZxyScaleByFormat"),
        "get_tile_no_tms": _NO_EXAMPLE_NEW,
        "get_tile_no_tms_by_format": _NO_EXAMPLE_NEW,
        "get_tile_no_tms_by_scale": _NO_EXAMPLE_NEW,
        "get_tile_no_tms_by_scale_and_format": _NO_TILE_EXAMPLE.format(name="TilerTiles_GetZxyScaleByFormat"),
        "get_tileset_metadata": _NO_EXAMPLE_NEW,
        "get_tilesets": _NO_EXAMPLE_NEW,
        # search mosaics
        "crop_search_feature": _NO_EXAMPLE_NEW,
        "crop_search_feature_by_format": _NO_EXAMPLE_NEW,
        "crop_search_feature_width_by_height": _NO_EXAMPLE_NEW,
        "get_search_bbox_assets": _NO_EXAMPLE_NEW,
        "get_search_bbox_crop": _NO_EXAMPLE_NEW,
        "get_search_bbox_crop_with_dimensions": _NO_EXAMPLE_NEW,
        "get_search_point": "no example (MosaicsAssetsForPoints_GetPointAssets is the .../assets variant)",
        "get_search_tile": _NO_EXAMPLE_NEW,
        "get_search_tile_by_format": _NO_EXAMPLE_NEW,
        "get_search_tile_by_scale": _NO_EXAMPLE_NEW,
        "get_search_tile_by_scale_and_format": _NO_TILE_EXAMPLE.format(
            name="MosaicsTileMatrixSets_GetZxyScaleByFormat"
        ),
        "get_search_tile_no_tms": _NO_EXAMPLE_NEW,
        "get_search_tile_no_tms_by_format": _NO_EXAMPLE_NEW,
        "get_search_tile_no_tms_by_scale": _NO_EXAMPLE_NEW,
        "get_search_tile_no_tms_by_scale_and_format": _NO_TILE_EXAMPLE.format(name="MosaicsTiles_GetZxyScaleByFormat"),
        "get_search_tileset_metadata": _NO_EXAMPLE_NEW,
        "get_search_tilesets": _NO_EXAMPLE_NEW,
    },
    "ingestion": {
        "list_operations": "no example: IngestionOperations_List (95 kB, 6 pages) was not copied into the reference",
    },
    "sas": {},
}

#: Defective examples: the response body does not have the type the definition declares.
DEFECTIVE_RESPONSE = {"StacCollectionRenderOptions_Get"}

#: Example wire parameter names -> our Python parameter names (unless an entry's ``renames`` says otherwise).
PATH_PARAMETERS = {
    "collectionId": "collection_id",
    "itemId": "item_id",
    "assetId": "asset_id",
    "mosaicId": "mosaic_id",
    "renderOptionId": "render_option_id",
    "queryableName": "queryable_name",
    "searchId": "search_id",
    "tileMatrixSetId": "tile_matrix_set_id",
    "z": "z",
    "x": "x",
    "y": "y",
    "longitude": "longitude",
    "latitude": "latitude",
    "format": "format",
    "classmapName": "classmap_name",
    "colorMapName": "color_map_name",
    "ingestionId": "ingestion_id",
    "runId": "run_id",
    "operationId": "operation_id",
    "id": "id",
}
QUERY_PARAMETERS = {
    "sign": "sign",
    "duration": "duration_in_minutes",
    "bbox": "bounding_box",
    "limit": "limit",
    "datetime": "datetime",
    "token": "token",
    "href": "href",
    "assets": "assets",
    "asset_bidx": "asset_band_indices",
    "nodata": "no_data",
    "color_formula": "color_formula",
    "collection": "collection",
    "tile_format": "tile_format",
    "tile_scale": "tile_scale",
    "minzoom": "min_zoom",
    "maxzoom": "max_zoom",
    "max_size": "max_size",
    "scan_limit": "scan_limit",
    "items_limit": "items_limit",
    "time_limit": "time_limit",
    "exitwhenfull": "exit_when_full",
    "skipcovered": "skip_covered",
    "coord-crs": "coordinate_reference_system",
}
#: Array query values joined with commas (``collectionFormat: csv``); other arrays repeat the key.
CSV_QUERY = {"bbox", "asset_bidx"}
#: Names the example gives its JSON body under.
BODY_PARAMETERS = {"body", "definition"}
#: Handled apart: the client's api-version, the body, and the multipart fields.
OTHER_PARAMETERS = {"api-version", "contentType", "data", "file"} | BODY_PARAMETERS

MULTIPART_FILENAME = "thumbnail.png"


# --------------------------------------------------------------------------- helpers


def _example_files(folder: Path) -> List[str]:
    return sorted(p.stem for p in folder.glob("*.json"))


def _load(name: str) -> Dict[str, Any]:
    example: Dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return example


def _first_success(example: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
    for status, response in example["responses"].items():
        if 200 <= int(status) < 300:
            return int(status), response
    raise AssertionError(f"{example['operationId']}: no success response")


def _model_class(name: str) -> Type[Model]:
    cls = getattr(models, name.strip("[]"))
    assert isinstance(cls, type) and issubclass(cls, Model), name
    return cls


def _returns_model(mapped: Mapped) -> bool:
    return mapped.returns not in (None, "bytes", "json")


def _is_multipart(example: Dict[str, Any]) -> bool:
    return bool(example["parameters"].get("contentType") == "multipart/form-data")


def _generated_methods(cls: type) -> Dict[str, Any]:
    """Public methods the generator wrote for ``cls``, wherever they sit in its MRO (the exported class
    may be a hand-written subclass); aliases and hand-written additions are excluded."""
    methods: Dict[str, Any] = {}
    for klass in cls.__mro__:
        for name, member in vars(klass).items():
            if name.startswith("_") or name in methods or not callable(member):
                continue
            function = inspect.unwrap(member)
            if GENERATED_MODULE not in (getattr(member, "__module__", None), getattr(function, "__module__", None)):
                continue  # added by hand (compatibility adapters, _patch.py)
            if getattr(function, "__name__", name) != name:
                continue  # an alias: the same function under another name, counted once
            methods[name] = member
    return methods


def _annotation(mapped: Mapped, python: str) -> str:
    """Declared type of a parameter of the mapped method (as text, ``Optional[...]`` removed)."""
    method = getattr(GROUP_CLASSES[mapped.group], mapped.method)
    parameter = inspect.signature(method).parameters.get(python)
    assert parameter is not None, f"{mapped.group}.{mapped.method} has no parameter {python!r}"
    text = parameter.annotation if isinstance(parameter.annotation, str) else str(parameter.annotation)
    match = re.fullmatch(r"Optional\[(.*)\]", text)
    return match.group(1) if match else text


def _as_declared(value: Any, annotation: str) -> Any:
    """An example value as a typed caller passes it (examples are loose: '12' for a float, 'B04' for a list)."""
    if annotation.startswith("List["):
        return value if isinstance(value, list) else [value]
    if isinstance(value, bool):
        return value
    if annotation == "float" and isinstance(value, (int, str)):
        return float(value)
    if annotation == "str" and isinstance(value, (int, float)):
        return str(value)
    return value


def _wire_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


@dataclass
class Call:
    """One prepared call of an example."""

    name: str
    mapped: Mapped
    kwargs: Dict[str, Any]
    expected_path: str
    expected_query: Dict[str, List[str]]
    expected_body: Any  # JSON body sent, or None
    multipart: Optional[Dict[str, Any]]  # {"data": dict, "file": bytes} for multipart examples
    status: int
    response_body: Any
    response_headers: Dict[str, str]
    #: The example page's nextLink (paged methods), answered with a second page.
    next_link: Optional[str] = None

    @property
    def lro(self) -> bool:
        return self.mapped.method.startswith("begin_")

    @property
    def group(self) -> str:
        return self.mapped.group

    def reply(self) -> Reply:
        body = self.response_body
        headers = dict(self.response_headers)
        if self.mapped.returns == "bytes":
            if self.mapped.base64_body:
                body = base64.b64decode(body, validate=True)
            body = body.encode("utf-8") if isinstance(body, str) else body
            headers.setdefault("Content-Type", self.mapped.content_type)
        return Reply(self.status, body, headers)

    def second_page(self) -> Dict[str, Any]:
        """The page served at the example's nextLink: its items again, each with an extra undeclared key
        (kept like any other), and no further link."""
        return {"value": [dict(copy.deepcopy(item), **{"x-page": 2}) for item in self.response_body["value"]]}

    def expected_items(self) -> List[Any]:
        items: List[Any] = list(self.response_body["value"])
        if self.next_link:
            items += self.second_page()["value"]
        return items

    def handler(self) -> Callable[[HttpRequest], Reply]:
        """The example's reply, then (paged) the next page; later requests (LRO polls only): a finished operation."""
        replies = [self.reply()]
        if self.next_link:
            replies.append(Reply(200, self.second_page()))
        state = {"n": 0}

        def answer(request: HttpRequest) -> Reply:
            state["n"] += 1
            if state["n"] <= len(replies):
                return replies[state["n"] - 1]
            if not self.lro:
                raise AssertionError(f"unexpected extra request {request.method} {request.url}")
            return Reply(200, {"id": "00000000-0000-0000-0000-000000000000", "status": "Succeeded"})

        return answer


def prepare(name: str, response_body: Any = None) -> Call:
    """Build our call from the example: arguments, expected request, canned response."""
    example = _load(name)
    mapped = MAPPING[name]
    params = {k: v for k, v in example["parameters"].items() if k not in mapped.unused}
    placeholders = re.findall(r"{(\w+)}", mapped.path)
    known = set(PATH_PARAMETERS) | set(QUERY_PARAMETERS) | OTHER_PARAMETERS
    unknown = set(params) - known - set(mapped.renames)
    assert not unknown, f"{name}: example parameters not mapped to Python names: {sorted(unknown)}"
    if "api-version" in params:
        assert params["api-version"] == API_VERSION

    kwargs: Dict[str, Any] = {}
    path_values: Dict[str, str] = {}
    expected_query: Dict[str, List[str]] = {"api-version": [API_VERSION]}
    for wire, value in params.items():
        if wire in OTHER_PARAMETERS:
            continue
        if wire in placeholders:
            python = mapped.renames.get(wire, PATH_PARAMETERS[wire])
            if isinstance(value, str):
                value = unquote(value)  # examples may hold the already-encoded text
            value = _as_declared(value, _annotation(mapped, python))
            kwargs[python] = value
            path_values[wire] = quote(_wire_text(value), safe="")
            continue
        python = mapped.renames.get(wire) or QUERY_PARAMETERS.get(wire) or ""
        assert python, f"{name}: {wire!r} is no path parameter of {mapped.path} and not a known query parameter"
        if wire == "bbox":
            value = value.split(",") if isinstance(value, str) else [str(v) for v in value]
        else:
            value = _as_declared(value, _annotation(mapped, python))
        sent = mapped.wire.get(wire, wire)
        if isinstance(value, list):
            texts = [_wire_text(v) for v in value]
            expected_query[sent] = [",".join(texts)] if wire in CSV_QUERY else texts
        else:
            expected_query[sent] = [_wire_text(value)]
        kwargs[python] = value

    expected_body = None
    multipart = None
    body_parameters = sorted(BODY_PARAMETERS & set(params))
    assert len(body_parameters) <= 1, f"{name}: several bodies {body_parameters}"
    if _is_multipart(example):
        data = params["data"]
        data = json.loads(data) if isinstance(data, str) else data
        content = params["file"]
        content = content.encode("utf-8") if isinstance(content, str) else content
        kwargs["body"] = {"data": data, "file": (MULTIPART_FILENAME, content)}
        multipart = {"data": data, "file": content}
    elif body_parameters:
        expected_body = params[body_parameters[0]]
        kwargs["body"] = copy.deepcopy(expected_body)
    elif mapped.body_override is not None:
        expected_body = mapped.body_override
        kwargs["body"] = copy.deepcopy(expected_body)

    status, response = _first_success(example)
    body = response.get("body") if response_body is None else response_body
    assert set(placeholders) == set(path_values), f"{name}: path values {sorted(path_values)} vs {mapped.path}"
    next_link = None
    if mapped.paged:
        assert isinstance(body, dict) and isinstance(body.get("value"), list), f"{name}: not a page"
        assert set(body) <= {"value", "nextLink"}, f"{name}: page keys {sorted(body)}"
        next_link = body.get("nextLink")
    return Call(
        name=name,
        mapped=mapped,
        kwargs=kwargs,
        expected_path=mapped.path.format(**path_values),
        expected_query=expected_query,
        expected_body=expected_body,
        multipart=multipart,
        status=status,
        response_body=body,
        response_headers=dict(response.get("headers") or {}),
        next_link=next_link,
    )


def touch_all(value: Any) -> int:
    """Read every declared attribute, recursively; return how many were read."""
    count = 0
    if isinstance(value, Model):
        for name, info in type(value)._attribute_map.items():
            attr = getattr(value, name)
            count += 1
            if value._data.get(info["key"]) is not None:
                assert attr is not None, f"{type(value).__name__}.{name} reads None for a present wire value"
            count += touch_all(attr)
    elif isinstance(value, (list, tuple)):
        for item in value:
            count += touch_all(item)
    elif isinstance(value, dict):
        for item in value.values():
            count += touch_all(item)
    return count


def check_request(call: Call, request: HttpRequest) -> None:
    assert request.method == call.mapped.verb
    url = urlsplit(request.url)
    endpoint = urlsplit(ENDPOINT)
    assert (url.scheme, url.netloc) == (endpoint.scheme, endpoint.netloc)
    assert url.path == call.expected_path, f"{request.url} does not have path {call.expected_path}"
    assert parse_qs(url.query, keep_blank_values=True) == call.expected_query
    record = request_record(request)  # type: ignore[no-untyped-call]
    headers = {k.lower(): v for k, v in record["headers"].items()}
    if call.mapped.accept is not None:
        assert headers.get("accept") == call.mapped.accept
    if call.multipart is not None:
        assert headers["content-type"].startswith("multipart/form-data")
        parts = {p["name"]: p for p in record["body"]["multipart"]}
        assert set(parts) == {"data", "file"}
        assert parts["file"]["filename"] == MULTIPART_FILENAME
        assert parts["file"].get("content") == call.multipart["file"].decode("utf-8")
        assert json.loads(parts["data"]["content"]) == call.multipart["data"]
    elif call.expected_body is not None:
        expected_type = "application/merge-patch+json" if call.mapped.verb == "PATCH" else "application/json"
        assert headers["content-type"] == expected_type
        assert record["body"] == call.expected_body
    else:
        assert record["body"] is None


def check_next_page_request(call: Call, request: HttpRequest) -> None:
    """The pager's second request: GET on the example's nextLink, with the client's api-version."""
    assert call.next_link is not None
    assert request.method == "GET"
    sent, target = urlsplit(request.url), urlsplit(call.next_link)
    assert (sent.scheme, sent.netloc, sent.path) == (target.scheme, target.netloc, target.path)
    expected = parse_qs(target.query, keep_blank_values=True)
    expected["api-version"] = [API_VERSION]
    assert parse_qs(sent.query, keep_blank_values=True) == expected


def check_result(call: Call, result: Any, body: Any = None, returns: Optional[str] = None) -> None:
    returns = call.mapped.returns if returns is None else returns
    body = call.response_body if body is None else body
    if returns is None:
        assert result is None
        return
    assert returns != "bytes"  # streamed results are checked by the callers
    if returns == "json":  # plain JSON: lists of strings, numbers, nested lists
        assert not isinstance(result, Model)
        assert type(result) is type(body)
        assert result == body
        assert json.loads(json.dumps(result)) == body
        return
    cls = _model_class(returns)
    expected_cls = _model_class(call.mapped.subtype) if call.mapped.subtype else cls
    if returns.startswith("["):
        assert isinstance(result, list)
        assert all(isinstance(m, expected_cls) for m in result), [type(m).__name__ for m in result]
        dump: Callable[[], Any] = lambda: [m.as_dict() for m in result]  # noqa: E731
    else:
        assert isinstance(result, expected_cls), type(result).__name__
        dump = result.as_dict
    # (b) nothing lost or changed
    assert dump() == body
    # (c) plain JSON
    assert json.loads(json.dumps(dump())) == body
    # (d) reading every declared attribute neither raises nor changes what is written back
    declared = sum(len(type(m)._attribute_map) for m in (result if isinstance(result, list) else [result]))
    assert touch_all(result) >= declared
    assert dump() == body
    assert touch_all(result) >= declared  # a second read (already wrapped values) is stable too
    assert json.loads(json.dumps(dump())) == body


def check_bytes(call: Call, data: bytes) -> None:
    expected = call.reply().content()
    assert data == expected
    if call.mapped.base64_body:
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), "the decoded example is not a PNG"
    if call.mapped.content_type == "application/xml" and data.lstrip().startswith(b"<"):
        ElementTree.fromstring(data)  # well-formed XML


def check_lro_requests(call: Call, requests: List[HttpRequest]) -> None:
    headers = {k.lower(): v for k, v in call.response_headers.items()}
    polling_url = headers.get("operation-location") or headers.get("location")
    if polling_url is None:
        assert len(requests) == 1, "no polling URL in the example, so nothing to poll"
        return
    assert len(requests) >= 2, "the poller never polled the operation"
    assert all(r.method == "GET" for r in requests[1:])
    polled, target = urlsplit(requests[1].url), urlsplit(polling_url)
    assert (polled.scheme, polled.netloc, polled.path) == (target.scheme, target.netloc, target.path)


#: Hosts the examples' polling URLs and next links name: the client follows them only when trusted.
EXAMPLE_ORIGINS = ["https://example.geocatalog.spatio.azure.com", "https://contoso.com", "https://example.com"]


def _sync_client(transport: FakeTransport) -> PlanetaryComputerProClient:
    return PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=transport, trusted_origins=EXAMPLE_ORIGINS)


def _async_client(transport: AsyncFakeTransport) -> AsyncPlanetaryComputerProClient:
    return AsyncPlanetaryComputerProClient(
        ENDPOINT, AsyncFakeCredential(), transport=transport, trusted_origins=EXAMPLE_ORIGINS
    )


def _method(client: Any, call: Call) -> Any:
    return getattr(getattr(client, call.group), call.mapped.method)


def _expected_requests(call: Call) -> int:
    return 2 if call.next_link else 1


def run_sync(call: Call) -> None:
    transport = FakeTransport(call.handler())
    with _sync_client(transport) as client:
        method = _method(client, call)
        if call.lro:
            poller = method(**call.kwargs, polling_interval=0)
            assert poller.result() is None
            assert poller.done()
            assert poller.status().lower() == "succeeded"
            check_request(call, transport.requests[0])
            check_lro_requests(call, transport.requests)
            return
        result = method(**call.kwargs)
        if call.mapped.paged:
            assert isinstance(result, ItemPaged), type(result).__name__
            assert transport.requests == [], "a pager must not send anything before it is iterated"
            check_result(call, list(result), call.expected_items(), f"[{call.mapped.returns}]")
        elif call.mapped.returns == "bytes":
            assert not isinstance(result, (bytes, str))
            check_bytes(call, b"".join(result))
        else:
            check_result(call, result)
    assert len(transport.requests) == _expected_requests(call)
    check_request(call, transport.requests[0])
    if call.next_link:
        check_next_page_request(call, transport.requests[1])


async def run_async(call: Call) -> None:
    transport = AsyncFakeTransport(call.handler())
    async with _async_client(transport) as client:
        method = _method(client, call)
        if call.lro:
            poller = await method(**call.kwargs, polling_interval=0)
            assert await poller.result() is None
            assert poller.done()
            assert poller.status().lower() == "succeeded"
            check_request(call, transport.requests[0])
            check_lro_requests(call, transport.requests)
            return
        if call.mapped.paged:
            pager = method(**call.kwargs)  # not awaited: AsyncItemPaged is iterated with `async for`
            assert isinstance(pager, AsyncItemPaged), type(pager).__name__
            assert transport.requests == [], "a pager must not send anything before it is iterated"
            items = [item async for item in pager]
            check_result(call, items, call.expected_items(), f"[{call.mapped.returns}]")
        else:
            result = await method(**call.kwargs)
            if call.mapped.returns == "bytes":
                assert not isinstance(result, (bytes, str))
                check_bytes(call, b"".join([chunk async for chunk in result]))
            else:
                check_result(call, result)
    assert len(transport.requests) == _expected_requests(call)
    check_request(call, transport.requests[0])
    if call.next_link:
        check_next_page_request(call, transport.requests[1])


# --------------------------------------------------------------------------- the table itself


def test_mapping_covers_every_example(reference: Path) -> None:
    files = _example_files(reference / "examples" / API_VERSION)
    assert files, "no example files found"
    assert any(f.startswith("Stac") for f in files) and any(not f.startswith("Stac") for f in files)
    missing = sorted(set(files) - set(MAPPING))
    stale = sorted(set(MAPPING) - set(files))
    assert not missing, f"example files not in MAPPING (map them): {missing}"
    assert not stale, f"MAPPING entries without an example file: {stale}"
    for name in files:
        assert _load(name)["operationId"] == name


def test_mapping_methods_exist() -> None:
    for group, cls in GROUP_CLASSES.items():
        public = set(_generated_methods(cls))
        assert public, f"no generated methods found on {cls.__name__}"
        uncovered = UNCOVERED_METHODS[group]
        assert all(reason.strip() for reason in uncovered.values())
        mapped = {m.method for m in MAPPING.values() if m.group == group}
        assert mapped <= public, f"mapped methods {cls.__name__} lacks: {sorted(mapped - public)}"
        assert set(uncovered) <= public, f"uncovered methods {cls.__name__} lacks: {sorted(set(uncovered) - public)}"
        assert not (mapped & set(uncovered)), f"both mapped and uncovered: {sorted(mapped & set(uncovered))}"
        assert mapped | set(uncovered) == public, (
            f"{cls.__name__} methods neither mapped nor listed: {sorted(public - mapped - set(uncovered))}"
        )
        async_cls = getattr(async_operations, cls.__name__)
        for method in mapped:
            assert callable(getattr(async_cls, method, None)), f"async {cls.__name__}.{method}"
    assert set(UNCOVERED_METHODS) == set(GROUP_CLASSES)
    for entry in MAPPING.values():
        assert entry.group in GROUP_CLASSES
        assert not entry.paged or _returns_model(entry)
        for name in filter(None, (entry.returns if _returns_model(entry) else None, entry.body_model, entry.subtype)):
            assert issubclass(_model_class(name), Model), name
        if entry.subtype:
            assert issubclass(_model_class(entry.subtype), _model_class(entry.returns or ""))


def _definition_parameters(spec: Dict[str, Any], operation: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """Wire name -> parameter object of an operation (``$ref`` resolved)."""
    parameters = {}
    for parameter in operation.get("parameters", []):
        if "$ref" in parameter:
            parameter = spec["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
        parameters[parameter["name"]] = parameter
    return parameters


def test_mapping_agrees_with_the_definition() -> None:
    """Verb, path and group of every entry are those of the operation our method is generated from,
    and every example parameter we send is a parameter of that operation (under the name we send)."""
    spec = yaml.safe_load((ROOT / "swagger" / "planetarycomputer.yaml").read_text(encoding="utf-8"))
    overrides = (yaml.safe_load((ROOT / "swagger" / "client.yaml").read_text(encoding="utf-8")) or {}).get(
        "methods"
    ) or {}
    for name, entry in MAPPING.items():
        operation = spec["paths"].get(entry.path, {}).get(entry.verb.lower())
        assert operation is not None, f"{name}: {entry.verb} {entry.path} is not in the definition"
        operation_id = operation["operationId"]
        group, suffix = operation_id.split("_", 1)
        assert group.lower() == entry.group, f"{name}: {operation_id} is not in group {entry.group}"
        method = overrides.get(operation_id)
        if method is None:
            method = re.sub(r"(?<!^)(?=[A-Z])", "_", suffix).lower()
            if operation.get("x-ms-long-running-operation"):
                method = "begin_" + method
        assert method == entry.method, f"{name}: {entry.verb} {entry.path} is {method}, table says {entry.method}"
        assert entry.paged == bool(operation.get("x-ms-pageable")), f"{name}: paging"
        if EXAMPLES.is_dir():
            declared = _definition_parameters(spec, operation)
            for wire in _load(name)["parameters"]:
                if wire in entry.unused:
                    assert entry.wire.get(wire, wire) not in declared, f"{name}: {wire} is a parameter after all"
                elif wire not in OTHER_PARAMETERS:
                    sent = entry.wire.get(wire, wire)
                    assert sent in declared, f"{name}: {operation_id} has no parameter {sent!r}"


# --------------------------------------------------------------------------- replaying the examples

NAMES = sorted(MAPPING)


@pytest.mark.parametrize("name", NAMES)
def test_example_sync(name: str, reference: Path) -> None:
    if name in DEFECTIVE_RESPONSE:
        call = prepare(name)
        transport = FakeTransport(call.handler())
        with _sync_client(transport) as client, pytest.raises(HttpResponseError, match=call.mapped.returns):
            _method(client, call)(**call.kwargs)
        check_request(call, transport.requests[0])
        for element in call.response_body:
            run_sync(prepare(name, response_body=element))
        return
    run_sync(prepare(name))


@pytest.mark.parametrize("name", NAMES)
async def test_example_async(name: str, reference: Path) -> None:
    if name in DEFECTIVE_RESPONSE:
        call = prepare(name)
        transport = AsyncFakeTransport(call.handler())
        async with _async_client(transport) as client:
            with pytest.raises(HttpResponseError, match=call.mapped.returns):
                await _method(client, call)(**call.kwargs)
        check_request(call, transport.requests[0])
        for element in call.response_body:
            await run_async(prepare(name, response_body=element))
        return
    await run_async(prepare(name))


@pytest.mark.parametrize("name", [n for n in NAMES if MAPPING[n].method.startswith("begin_")])
def test_example_lro_without_polling(name: str, reference: Path) -> None:
    """polling=False: the poller is done with the initial 202 and its result is None."""
    call = prepare(name)
    transport = FakeTransport([call.reply()])
    with _sync_client(transport) as client:
        poller = _method(client, call)(**call.kwargs, polling=False)
        assert poller.done()
        assert poller.result() is None
    assert len(transport.requests) == 1
    check_request(call, transport.requests[0])


@pytest.mark.parametrize("name", [n for n in NAMES if MAPPING[n].paged])
def test_example_pages_by_page(name: str, reference: Path) -> None:
    """by_page(): one page per response, in order, with the example's items first."""
    call = prepare(name)
    transport = FakeTransport(call.handler())
    with _sync_client(transport) as client:
        pages = [list(page) for page in _method(client, call)(**call.kwargs).by_page()]
    assert len(pages) == _expected_requests(call)
    assert [m.as_dict() for m in pages[0]] == call.response_body["value"]
    assert [m.as_dict() for page in pages for m in page] == call.expected_items()
    check_request(call, transport.requests[0])


def _body_as_model(call: Call) -> Any:
    """The example's request body as instances of the method's body model."""
    name = call.mapped.body_model
    assert name is not None
    cls = _model_class(name)
    if call.multipart is not None:
        return cls(
            data=models.AssetMetadata.deserialize(call.multipart["data"]),
            file=(MULTIPART_FILENAME, call.multipart["file"]),
        )
    if name.startswith("["):
        return [cls.deserialize(item) for item in call.expected_body]
    return cls.deserialize(call.expected_body)


@pytest.mark.parametrize("name", [n for n in NAMES if MAPPING[n].body_model])
def test_example_body_sent_from_models(name: str, reference: Path) -> None:
    """Passing the body as models (every attribute read first) sends exactly the example's body."""
    call = prepare(name)
    body = _body_as_model(call)
    touch_all(body)
    call.kwargs["body"] = body
    transport = FakeTransport(call.handler())
    with _sync_client(transport) as client:
        method = _method(client, call)
        if call.lro:
            method(**call.kwargs, polling=False).result()
        else:
            result = method(**call.kwargs)
            if call.mapped.paged or call.mapped.returns == "bytes":
                list(result)
    check_request(call, transport.requests[0])


def test_polymorphic_request_bodies_deserialize_to_their_kind(reference: Path) -> None:
    """IngestionSource bodies given as the base model come back as the subtype their `kind` names."""
    for name in NAMES:
        entry = MAPPING[name]
        if entry.body_model != "IngestionSource":
            continue
        body = _body_as_model(prepare(name))
        assert type(body).__name__ == entry.subtype, name


@pytest.mark.parametrize("flavor", ["sync", "async"])
async def test_register_search_from_keywords(flavor: str, reference: Path) -> None:
    """register_mosaics_search's spread body: the keywords build exactly the example's body."""
    call = prepare("MosaicsRegisterSearch_Register")
    body = call.expected_body
    keywords = {
        "filter_language": body["filter-lang"],
        "filter": copy.deepcopy(body["filter"]),
        "sort_by": [models.StacSortExtension.deserialize(s) for s in body["sortby"]],
    }
    assert set(body) == {"filter-lang", "filter", "sortby"}, "the example grew: extend the keywords"
    del call.kwargs["body"]
    if flavor == "sync":
        transport = FakeTransport(call.handler())
        with _sync_client(transport) as client:
            check_result(call, client.data.register_mosaics_search(**call.kwargs, **keywords))
        requests = transport.requests
    else:
        async_transport = AsyncFakeTransport(call.handler())
        async with _async_client(async_transport) as async_client:
            check_result(call, await async_client.data.register_mosaics_search(**call.kwargs, **keywords))
        requests = async_transport.requests
    assert len(requests) == 1
    check_request(call, requests[0])


# --------------------------------------------------------------------------- models on their own


def _single_model_bodies() -> List[Any]:
    cases = []
    for name in NAMES:
        entry = MAPPING[name]
        if not _returns_model(entry) or not EXAMPLES.is_dir():
            continue
        returns = (entry.returns or "").strip("[]")
        _, response = _first_success(_load(name))
        body = response.get("body")
        if entry.paged:  # the page's items, each on its own
            for i, element in enumerate(body["value"]):
                cases.append(pytest.param(returns, entry.subtype, element, id=f"{name}[{i}]"))
        elif isinstance(body, dict):
            cases.append(pytest.param(returns, entry.subtype, body, id=name))
        elif isinstance(body, list):  # lists of models: each element on its own
            for i, element in enumerate(body):
                cases.append(pytest.param(returns, entry.subtype, element, id=f"{name}[{i}]"))
    return cases


@pytest.mark.parametrize("model_name, subtype, body", _single_model_bodies())
def test_response_model_round_trips(
    model_name: str, subtype: Optional[str], body: Dict[str, Any], reference: Path
) -> None:
    cls = _model_class(model_name)
    expected_cls = _model_class(subtype) if subtype else cls
    original = copy.deepcopy(body)
    model = cls.deserialize(body)
    if subtype:
        assert type(model) is expected_cls, type(model).__name__
    else:
        assert isinstance(model, cls), type(model).__name__
    assert model.as_dict() == body
    for touched in (False, True):
        if touched:
            touch_all(model)
            assert model.as_dict() == body
        clone = copy.deepcopy(model)
        assert type(clone) is type(model)
        assert clone == model
        assert clone.as_dict() == body
        pickled = pickle.loads(pickle.dumps(model))
        assert type(pickled) is type(model)
        assert pickled == model
        assert pickled.as_dict() == body
        assert touch_all(pickled) >= len(type(model)._attribute_map)
        assert pickled.as_dict() == body
    assert body == original, "deserialize must not alter the mapping it was given"
