"""Realistic STAC data for the benchmarks: a 1,000-item search page and items to ingest.

Sentinel-2-like items with 16 assets each and extension fields everywhere (``eo:``, ``proj:``,
``raster:``, ``s2:``, ``sat:``), about 9 MB of JSON per 1,000 items.
"""

from __future__ import annotations

import json
from typing import Any, List

BANDS = [
    "B01",
    "B02",
    "B03",
    "B04",
    "B05",
    "B06",
    "B07",
    "B08",
    "B8A",
    "B09",
    "B11",
    "B12",
    "AOT",
    "SCL",
    "WVP",
    "visual",
]


def make_page(n: int = 1000) -> bytes:
    features = []
    for i in range(n):
        item_id = f"S2B_MSIL2A_20240501T101559_R065_T32TQM_{i:05d}"
        assets = {
            band: {
                "href": f"https://sentinel2l2a01.blob.core.windows.net/sentinel2-l2/32/T/QM/2024/05/01/{item_id}/{band}.tif",
                "type": "image/tiff; application=geotiff; profile=cloud-optimized",
                "roles": ["data"],
                "title": f"Band {band}",
                "gsd": 10.0,
                "eo:bands": [{"name": band, "common_name": "red", "center_wavelength": 0.665}],
                "proj:shape": [10980, 10980],
                "proj:transform": [10.0, 0.0, 699960.0, 0.0, -10.0, 5000040.0],
                "raster:bands": [{"nodata": 0, "data_type": "uint16", "spatial_resolution": 10}],
            }
            for band in BANDS
        }
        features.append(
            {
                "type": "Feature",
                "stac_version": "1.0.0",
                "id": item_id,
                "collection": "sentinel-2-l2a",
                "bbox": [11.6, 44.1, 13.0, 45.1],
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[11.6, 44.1], [13.0, 44.1], [13.0, 45.1], [11.6, 45.1], [11.6, 44.1]]],
                },
                "properties": {
                    "datetime": f"2024-05-01T10:{i % 60:02d}:59.024000Z",
                    "platform": "Sentinel-2B",
                    "instruments": ["msi"],
                    "eo:cloud_cover": (i * 7) % 100 + 0.5,
                    "proj:epsg": 32632,
                    "s2:mgrs_tile": "32TQM",
                    "s2:processing_baseline": "05.10",
                    "sat:orbit_state": "descending",
                    "sat:relative_orbit": 65,
                },
                "links": [
                    {
                        "rel": "collection",
                        "type": "application/json",
                        "href": "https://x/stac/collections/sentinel-2-l2a",
                    },
                    {
                        "rel": "self",
                        "type": "application/geo+json",
                        "href": f"https://x/stac/collections/sentinel-2-l2a/items/{item_id}",
                    },
                ],
                "assets": assets,
                "stac_extensions": ["https://stac-extensions.github.io/eo/v1.1.0/schema.json"],
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features, "links": []}).encode()


def make_items(models: Any, n: int) -> List[Any]:
    """``n`` items built with a models module's keyword constructors (either SDK's)."""
    items = []
    for i in range(n):
        assets = {
            band: models.StacAsset(
                href=f"https://sentinel2l2a01.blob.core.windows.net/sentinel2-l2/{i:05d}/{band}.tif",
                type="image/tiff; application=geotiff; profile=cloud-optimized",
                roles=["data"],
                title=f"Band {band}",
            )
            for band in BANDS
        }
        items.append(
            models.StacItem(
                id=f"item-{i:05d}",
                geometry=models.Polygon(coordinates=[[[11.6, 44.1], [13.0, 44.1], [13.0, 45.1], [11.6, 44.1]]]),
                bounding_box=[11.6, 44.1, 13.0, 45.1],
                properties=models.StacItemProperties(date_time="2024-05-01T10:00:00Z", platform="Sentinel-2B"),
                assets=assets,
                links=[],
                collection="sentinel-2-l2a",
            )
        )
    return items
