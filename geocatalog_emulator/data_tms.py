"""Tile matrix sets (morecantile's), TileJSON, WMTS capabilities and OGC tileset documents.

Every document links back to the emulator: ``base`` is the URL of the rendered source (an item,
a collection mosaic or a search mosaic) and the request's query is kept on tile URLs, so a map
client that follows them gets tiles drawn the same way.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple
from urllib.parse import urlencode
from xml.sax.saxutils import escape, quoteattr

import morecantile
from morecantile import TileMatrixSet

from .errors import ApiError

DEFAULT_TMS = "WebMercatorQuad"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
#: Query parameters that shape a TileJSON / WMTS document rather than the tiles it points to.
DOCUMENT_PARAMS = {"tile_format", "tile_scale", "minzoom", "maxzoom", "TileMatrixSetId"}


def get(tms_id: Optional[str]) -> TileMatrixSet:
    name = tms_id or DEFAULT_TMS
    try:
        return morecantile.tms.get(name)
    except Exception:
        raise ApiError(
            404,
            "TileMatrixSetNotFound",
            f"Unknown tile matrix set '{name}'; use one of {', '.join(morecantile.tms.list())}.",
        ) from None


def ids() -> List[str]:
    return list(morecantile.tms.list())


def definition(tms_id: str) -> Dict[str, Any]:
    """The TileMatrixSet document (OGC 2.0), as morecantile defines it."""
    return get(tms_id).model_dump(mode="json", by_alias=True, exclude_none=False)


def tile_query(query: Dict[str, List[str]]) -> str:
    """The request's query without the document-only parameters, for tile URLs."""
    pairs = [(k, v) for k, values in query.items() if k not in DOCUMENT_PARAMS for v in values]
    return urlencode(pairs)


def tile_template(
    base: str, tms: TileMatrixSet, query: Dict[str, List[str]], *, scale: int = 1, fmt: Optional[str] = None
) -> str:
    path = f"{base}/tiles/{tms.id}/{{z}}/{{x}}/{{y}}@{scale}x" + (f".{fmt}" if fmt else "")
    rest = tile_query(query)
    return f"{path}?{rest}" if rest else path


def clamp_zooms(tms: TileMatrixSet, minzoom: Optional[int], maxzoom: Optional[int]) -> Tuple[int, int]:
    low = tms.minzoom if minzoom is None else max(tms.minzoom, minzoom)
    high = tms.maxzoom if maxzoom is None else min(tms.maxzoom, maxzoom)
    if low > high:
        raise ApiError(400, "InvalidRequest", f"minzoom {low} is above maxzoom {high}.")
    return low, high


def tilejson(
    tiles_url: str, bounds: Sequence[float], minzoom: int, maxzoom: int, *, name: Optional[str] = None
) -> Dict[str, Any]:
    west, south, east, north = bounds
    doc: Dict[str, Any] = {"tilejson": "2.2.0"}
    if name:
        doc["name"] = name
    doc.update(
        {
            "version": "1.0.0",
            "scheme": "xyz",
            "tiles": [tiles_url],
            "minzoom": minzoom,
            "maxzoom": maxzoom,
            "bounds": list(bounds),
            "center": [(west + east) / 2, (south + north) / 2, minzoom],
        }
    )
    return doc


def wmts(
    *,
    self_url: str,
    tile_url: str,
    tms: TileMatrixSet,
    bounds: Sequence[float],
    minzoom: int,
    maxzoom: int,
    media_type: str,
    title: str,
) -> str:
    """WMTS 1.0.0 GetCapabilities (RESTful) for one layer on one tile matrix set."""
    matrices = []
    for zoom in range(minzoom, maxzoom + 1):
        m = tms.matrix(zoom)
        corner = " ".join(repr(float(v)) for v in m.pointOfOrigin)
        matrices.append(
            f"""            <TileMatrix>
                <ows:Identifier>{escape(str(m.id))}</ows:Identifier>
                <ScaleDenominator>{m.scaleDenominator!r}</ScaleDenominator>
                <TopLeftCorner>{corner}</TopLeftCorner>
                <TileWidth>{m.tileWidth}</TileWidth>
                <TileHeight>{m.tileHeight}</TileHeight>
                <MatrixWidth>{m.matrixWidth}</MatrixWidth>
                <MatrixHeight>{m.matrixHeight}</MatrixHeight>
            </TileMatrix>"""
        )
    west, south, east, north = bounds
    supported_crs = _urn(tms)
    operation = """        <ows:Operation name="{name}">
            <ows:DCP>
                <ows:HTTP>
                    <ows:Get xlink:href={href}>
                        <ows:Constraint name="GetEncoding">
                            <ows:AllowedValues>
                                <ows:Value>RESTful</ows:Value>
                            </ows:AllowedValues>
                        </ows:Constraint>
                    </ows:Get>
                </ows:HTTP>
            </ows:DCP>
        </ows:Operation>"""
    matrices_xml = "\n".join(matrices)
    get_capabilities = operation.format(name="GetCapabilities", href=quoteattr(self_url))
    get_tile = operation.format(name="GetTile", href=quoteattr(self_url))
    return f"""<Capabilities xmlns="http://www.opengis.net/wmts/1.0" xmlns:ows="http://www.opengis.net/ows/1.1" \
xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xmlns:gml="http://www.opengis.net/gml" xsi:schemaLocation="http://www.opengis.net/wmts/1.0 \
http://schemas.opengis.net/wmts/1.0/wmtsGetCapabilities_response.xsd" version="1.0.0">
    <ows:ServiceIdentification>
        <ows:Title>{escape(title)}</ows:Title>
        <ows:ServiceType>OGC WMTS</ows:ServiceType>
        <ows:ServiceTypeVersion>1.0.0</ows:ServiceTypeVersion>
    </ows:ServiceIdentification>
    <ows:OperationsMetadata>
{get_capabilities}
{get_tile}
    </ows:OperationsMetadata>
    <Contents>
        <Layer>
            <ows:Title>{escape(title)}</ows:Title>
            <ows:Identifier>default</ows:Identifier>
            <ows:Abstract>{escape(title)}</ows:Abstract>
            <ows:WGS84BoundingBox crs="urn:ogc:def:crs:OGC:2:84">
                <ows:LowerCorner>{west!r} {south!r}</ows:LowerCorner>
                <ows:UpperCorner>{east!r} {north!r}</ows:UpperCorner>
            </ows:WGS84BoundingBox>
            <Style isDefault="true">
                <ows:Identifier>default</ows:Identifier>
            </Style>
            <Format>{escape(media_type)}</Format>
            <TileMatrixSetLink>
                <TileMatrixSet>{escape(str(tms.id))}</TileMatrixSet>
            </TileMatrixSetLink>
            <ResourceURL format={quoteattr(media_type)} resourceType="tile" template={quoteattr(tile_url)}/>
        </Layer>
        <TileMatrixSet>
            <ows:Identifier>{escape(str(tms.id))}</ows:Identifier>
            <ows:SupportedCRS>{escape(supported_crs)}</ows:SupportedCRS>
{matrices_xml}
        </TileMatrixSet>
    </Contents>
    <ServiceMetadataURL xlink:href={quoteattr(self_url)}/>
</Capabilities>
"""


def _urn(tms: TileMatrixSet) -> str:
    try:
        epsg = tms.crs.to_epsg()
    except Exception:
        epsg = None
    return f"urn:ogc:def:crs:EPSG::{epsg}" if epsg else tms.crs.srs


def wmts_tile_template(base: str, tms: TileMatrixSet, query: Dict[str, List[str]], scale: int, fmt: str) -> str:
    path = f"{base}/tiles/{tms.id}/{{TileMatrix}}/{{TileCol}}/{{TileRow}}@{scale}x.{fmt}"
    rest = tile_query(query)
    return f"{path}?{rest}" if rest else path


def _tileset_links(endpoint: str, base: str, tms: TileMatrixSet, media_type: str) -> List[Dict[str, Any]]:
    return [
        {
            "href": f"{base}/tiles/{tms.id}",
            "rel": "self",
            "type": "application/json",
            "title": f"Tileset tiled using {tms.id} TileMatrixSet",
        },
        {
            "href": f"{endpoint}/data/tile-matrix-sets/{tms.id}",
            "rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme",
            "type": "application/json",
            "title": f"Definition of '{tms.id}' tileMatrixSet",
        },
        {
            "href": f"{base}/tiles/{tms.id}/{{tileMatrix}}/{{tileCol}}/{{tileRow}}",
            "rel": "item",
            "type": media_type,
            "title": "Tile",
            "templated": True,
        },
    ]


def tileset_entry(endpoint: str, base: str, tms: TileMatrixSet, bounds: Sequence[float]) -> Dict[str, Any]:
    return {
        "title": f"tileset tiled using {tms.id} TileMatrixSet",
        "dataType": "map",
        "crs": tms.crs.srs,
        "boundingBox": {"lowerLeft": list(bounds[:2]), "upperRight": list(bounds[2:]), "crs": CRS84},
        "links": _tileset_links(endpoint, base, tms, "image/png"),
    }


def tileset_list(endpoint: str, base: str, bounds: Sequence[float]) -> Dict[str, Any]:
    return {"tilesets": [tileset_entry(endpoint, base, get(name), bounds) for name in ids()]}


def tileset_metadata(
    endpoint: str, base: str, tms: TileMatrixSet, bounds: Sequence[float], minzoom: int, maxzoom: int
) -> Dict[str, Any]:
    """A TileSet document with the tile ranges covering ``bounds`` at each zoom."""
    doc = tileset_entry(endpoint, base, tms, bounds)
    doc["tileMatrixSetLimits"] = [_limits(tms, bounds, zoom) for zoom in range(minzoom, maxzoom + 1)]
    return doc


def _limits(tms: TileMatrixSet, bounds: Sequence[float], zoom: int) -> Dict[str, Any]:
    west, south, east, north = _inside(tms, bounds)
    upper_left = tms.tile(west, north, zoom)
    lower_right = tms.tile(east, south, zoom)
    matrix = tms.matrix(zoom)
    return {
        "tileMatrix": str(matrix.id),
        "minTileRow": max(0, min(upper_left.y, lower_right.y)),
        "maxTileRow": min(matrix.matrixHeight - 1, max(upper_left.y, lower_right.y)),
        "minTileCol": max(0, min(upper_left.x, lower_right.x)),
        "maxTileCol": min(matrix.matrixWidth - 1, max(upper_left.x, lower_right.x)),
    }


def _inside(tms: TileMatrixSet, bounds: Sequence[float]) -> Sequence[float]:
    """``bounds`` shrunk into the TMS's geographic extent (a hair inside, so edge tiles exist)."""
    box = tms.bbox
    eps = 1e-9
    return (
        max(bounds[0], box.left + eps),
        max(bounds[1], box.bottom + eps),
        min(bounds[2], box.right - eps),
        min(bounds[3], box.top - eps),
    )


def bounds_of(tms: TileMatrixSet) -> List[float]:
    box = tms.bbox
    return [box.left, box.bottom, box.right, box.top]
