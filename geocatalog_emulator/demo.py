"""A small, real demo dataset: aerial-like COGs near Atlanta, with STAC metadata.

``make_demo(folder)`` writes a static STAC catalog the ingestion API can crawl::

    folder/catalog.json                         -> child collection.json
    folder/naip-atl-demo/collection.json        -> item links
    folder/naip-atl-demo/<item id>/<item id>.json
    folder/naip-atl-demo/<item id>/image.tif    (COG: 512x512, 4 bands uint8 R,G,B,NIR, nodata 0)
    folder/naip-atl-demo/<item id>/thumbnail.png
    folder/naip-atl-demo/<item id>/red.tif, green.tif, blue.tif, nir.tif   (the same bands, one per COG)

Each item has the 4-band ``image`` asset (as NAIP) and the same pixels as single-band assets
``red``, ``green``, ``blue`` and ``nir`` (as Sentinel-2 or Landsat), which tools that read one band
per file (stackstac) need.

Every link and asset href is relative. The rasters are in NAD83 / UTM zone 16N (EPSG:26916, as
NAIP) at 0.6 m, laid side by side from west to east (four per row), so adjacent items join
seamlessly: the pattern (fields, woods, roofs, a pond, roads, a light gradient and noise) is drawn
in world coordinates. The east edge of the last item has an irregular no-data collar. Items are a
day apart. Output is deterministic (seeded) and takes under a second.

    python -m geocatalog_emulator.demo OUTDIR [--items N] [--endpoint URL]

prints the path it wrote and the commands that ingest it into a running emulator.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import rasterio
import rasterio.shutil
from rasterio.crs import CRS
from rasterio.errors import NotGeoreferencedWarning
from rasterio.io import MemoryFile
from rasterio.transform import Affine, array_bounds
from rasterio.warp import transform as warp_transform
from rasterio.warp import transform_bounds

DEMO_COLLECTION = "naip-atl-demo"
EPSG = 26916  # NAD83 / UTM zone 16N
SIZE = 512  # pixels per side
RESOLUTION = 0.6  # metres
ORIGIN = (740_800.0, 3_726_600.0)  # upper-left corner of the first item (easting, northing)
PER_ROW = 4
SEED = 20211114
COG_TYPE = "image/tiff; application=geotiff; profile=cloud-optimized"
BANDS = [
    {"name": "Red", "common_name": "red", "description": "visible red"},
    {"name": "Green", "common_name": "green", "description": "visible green"},
    {"name": "Blue", "common_name": "blue", "description": "visible blue"},
    {"name": "NIR", "common_name": "nir", "description": "near-infrared"},
]
#: Land-cover classes: mean R, G, B, NIR reflectance (digital numbers).
CLASSES = np.array(
    [
        [52, 84, 58, 196],  # woods
        [118, 142, 86, 168],  # crops
        [168, 148, 118, 112],  # bare soil
        [186, 184, 180, 92],  # roofs / pavement
        [96, 128, 70, 150],  # grass
    ],
    dtype=np.float32,
)
WATER = np.array([34, 56, 82, 14], dtype=np.float32)
ROAD = np.array([146, 146, 142, 80], dtype=np.float32)


def _landscape(east: np.ndarray, north: np.ndarray, rng: np.random.Generator, day: int) -> np.ndarray:
    """R, G, B, NIR digital numbers (1..255, 0 is no-data) for a grid of world coordinates."""
    parcel_w, parcel_h = 64.0, 48.0
    col = np.floor((east - ORIGIN[0]) / parcel_w).astype(np.int64)
    row = np.floor((ORIGIN[1] - north) / parcel_h).astype(np.int64)
    kind = ((col * 7919 + row * 104729 + (col * row) % 13) % len(CLASSES)).astype(np.int64)
    bands = CLASSES[kind].transpose(2, 0, 1).copy()  # (4, h, w)
    # A pond: an ellipse in world coordinates.
    pond = ((east - (ORIGIN[0] + 420)) / 70) ** 2 + ((north - (ORIGIN[1] - 180)) / 45) ** 2 < 1
    bands[:, pond] = WATER[:, None]
    # Roads every 240 m east-west and north-south, 8 m wide.
    roads = ((east - ORIGIN[0]) % 240 < 8) | ((ORIGIN[1] - north) % 240 < 8)
    bands[:, roads] = ROAD[:, None]
    # Texture inside parcels (rows of crops, canopy), a sun gradient and the acquisition day.
    texture = 10 * np.sin((east + north * 0.3) / 3.0) * (kind == 1) + 14 * np.sin(east / 5.0) * np.cos(north / 4.0) * (
        kind == 0
    )
    texture[pond | roads] = 0
    gradient = (east - ORIGIN[0]) / 60.0 - (ORIGIN[1] - north) / 90.0
    noise = rng.normal(0.0, 2.0, size=bands.shape)
    out = bands + texture[None] + gradient[None] + noise + 3.0 * day
    return np.clip(np.rint(out), 1, 255).astype(np.uint8)


def _cog_bytes(data: np.ndarray, transform: Affine, bands: List[Dict[str, str]]) -> bytes:
    """A Cloud-Optimized GeoTIFF (GDAL's COG driver: tiled, DEFLATE, overviews) of a (bands, h, w) array.

    Four bands are written as RGB plus near-infrared, one band as grayscale.
    """
    profile: Dict[str, Any] = {
        "driver": "GTiff",
        "dtype": "uint8",
        "count": data.shape[0],
        "height": data.shape[1],
        "width": data.shape[2],
        "crs": CRS.from_epsg(EPSG),
        "transform": transform,
        "nodata": 0,
    }
    interp = [rasterio.enums.ColorInterp.gray]
    if len(bands) == 4:
        profile.update(photometric="RGB", alpha="UNSPECIFIED")  # the 4th band is near-infrared, not alpha
        interp = [getattr(rasterio.enums.ColorInterp, name) for name in ("red", "green", "blue", "undefined")]
    with MemoryFile() as staging:
        with staging.open(**profile) as dst:
            dst.write(data)
            dst.colorinterp = interp
            for index, band in enumerate(bands, 1):
                dst.set_band_description(index, band["name"])
        with staging.open() as src, MemoryFile() as out:
            options = {"BLOCKSIZE": 256, "COMPRESS": "DEFLATE", "PREDICTOR": 2, "OVERVIEW_COUNT": 2}
            if _has_driver("COG"):
                rasterio.shutil.copy(src, out.name, driver="COG", **options)
            else:  # an older GDAL: a tiled GeoTIFF with internal overviews is a valid COG too
                _tiled_gtiff(src, out.name)
            return out.read()


def _has_driver(name: str) -> bool:
    with rasterio.Env() as env:
        return name in env.drivers()


def _tiled_gtiff(src: Any, path: str) -> None:
    profile = dict(src.profile, tiled=True, blockxsize=256, blockysize=256, compress="deflate", predictor=2)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(src.read())
        dst.build_overviews([2, 4], rasterio.enums.Resampling.average)


def _png_bytes(rgb: np.ndarray) -> bytes:
    with warnings.catch_warnings(), MemoryFile() as mem:
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        with mem.open(driver="PNG", dtype="uint8", count=3, height=rgb.shape[1], width=rgb.shape[2]) as dst:
            dst.write(rgb)
        return mem.read()


def _footprint(transform: Affine) -> Tuple[List[float], Dict[str, Any]]:
    """The item's bbox and polygon in longitude/latitude (the four corners, reprojected)."""
    left, bottom, right, top = array_bounds(SIZE, SIZE, transform)
    xs, ys = warp_transform(
        CRS.from_epsg(EPSG), CRS.from_epsg(4326), [left, right, right, left, left], [top, top, bottom, bottom, top]
    )
    ring = [[round(x, 7), round(y, 7)] for x, y in zip(xs, ys)]
    west, south, east, north = transform_bounds(CRS.from_epsg(EPSG), CRS.from_epsg(4326), left, bottom, right, top)
    bbox = [round(west, 7), round(south, 7), round(east, 7), round(north, 7)]
    return bbox, {"type": "Polygon", "coordinates": [ring]}


def _raster_bands(count: int) -> List[Dict[str, Any]]:
    return [{"data_type": "uint8", "nodata": 0, "spatial_resolution": RESOLUTION} for _ in range(count)]


def _band_asset(band: Dict[str, str]) -> Dict[str, Any]:
    """The single-band COG asset of one band (key and file named by its common name)."""
    return {
        "href": f"./{band['common_name']}.tif",
        "type": COG_TYPE,
        "roles": ["data"],
        "title": f"{band['description'].capitalize()} COG tile",
        "eo:bands": [band],
        "raster:bands": _raster_bands(1),
    }


def _item(item_id: str, index: int, transform: Affine, bbox: List[float], geometry: Dict[str, Any]) -> Dict[str, Any]:
    day = 14 + index
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "stac_extensions": [
            "https://stac-extensions.github.io/eo/v1.1.0/schema.json",
            "https://stac-extensions.github.io/raster/v1.1.0/schema.json",
            "https://stac-extensions.github.io/projection/v1.1.0/schema.json",
        ],
        "id": item_id,
        "collection": DEMO_COLLECTION,
        "geometry": geometry,
        "bbox": bbox,
        "properties": {
            "datetime": f"2021-11-{day:02d}T16:00:00Z",
            "gsd": RESOLUTION,
            "platform": "demo-aircraft",
            "naip:state": "ga",
            "naip:year": "2021",
            "proj:epsg": EPSG,
            "proj:shape": [SIZE, SIZE],
            "proj:transform": list(transform)[:6],
            "proj:bbox": list(array_bounds(SIZE, SIZE, transform)),
        },
        "assets": {
            "image": {
                "href": "./image.tif",
                "type": COG_TYPE,
                "roles": ["data"],
                "title": "RGBIR COG tile",
                "eo:bands": BANDS,
                "raster:bands": _raster_bands(len(BANDS)),
            },
            "thumbnail": {
                "href": "./thumbnail.png",
                "type": "image/png",
                "roles": ["thumbnail"],
                "title": "Thumbnail",
            },
            **{band["common_name"]: _band_asset(band) for band in BANDS},
        },
        "links": [
            {"rel": "root", "href": "../../catalog.json", "type": "application/json"},
            {"rel": "parent", "href": "../collection.json", "type": "application/json"},
            {"rel": "collection", "href": "../collection.json", "type": "application/json"},
        ],
    }


def make_demo(folder: Path, *, items: int = 3) -> Path:
    """Write the demo catalog under ``folder`` (created if needed); returns the ``catalog.json`` path."""
    if items < 1:
        raise ValueError("items must be at least 1")
    folder = Path(folder)
    collection_dir = folder / DEMO_COLLECTION
    collection_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    span = SIZE * RESOLUTION
    item_ids: List[str] = []
    boxes: List[List[float]] = []
    for index in range(items):
        row, col = divmod(index, PER_ROW)
        left, top = ORIGIN[0] + col * span, ORIGIN[1] - row * span
        transform = Affine(RESOLUTION, 0.0, left, 0.0, -RESOLUTION, top)
        centers = (np.arange(SIZE) + 0.5) * RESOLUTION
        east, north = np.meshgrid(left + centers, top - centers)
        data = _landscape(east, north, rng, index)
        if index == items - 1:  # an irregular no-data collar along the east edge of the last item
            edge = SIZE - 24 - (8 * np.sin(np.arange(SIZE) / 23.0)).astype(int) - np.arange(SIZE) // 32
            data[:, np.arange(SIZE)[None, :] >= edge[:, None]] = 0
        item_id = f"atl_demo_{index:02d}_202111{14 + index:02d}"
        item_dir = collection_dir / item_id
        item_dir.mkdir(exist_ok=True)
        (item_dir / "image.tif").write_bytes(_cog_bytes(data, transform, BANDS))
        for band_index, band in enumerate(BANDS):
            (item_dir / f"{band['common_name']}.tif").write_bytes(
                _cog_bytes(data[band_index : band_index + 1], transform, [band])
            )
        (item_dir / "thumbnail.png").write_bytes(_png_bytes(data[:3, ::4, ::4]))
        bbox, geometry = _footprint(transform)
        _write_json(item_dir / f"{item_id}.json", _item(item_id, index, transform, bbox, geometry))
        item_ids.append(item_id)
        boxes.append(bbox)
    _write_json(collection_dir / "collection.json", _collection(item_ids, boxes))
    catalog = folder / "catalog.json"
    _write_json(
        catalog,
        {
            "type": "Catalog",
            "stac_version": "1.0.0",
            "id": "geocatalog-emulator-demo",
            "title": "GeoCatalog emulator demo",
            "description": "Synthetic aerial imagery near Atlanta, for trying the GeoCatalog emulator.",
            "links": [
                {"rel": "root", "href": "./catalog.json", "type": "application/json"},
                {"rel": "child", "href": f"./{DEMO_COLLECTION}/collection.json", "type": "application/json"},
            ],
        },
    )
    return catalog


def _collection(item_ids: List[str], boxes: List[List[float]]) -> Dict[str, Any]:
    union = [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]
    last_day = 14 + len(item_ids) - 1
    return {
        "type": "Collection",
        "stac_version": "1.0.0",
        "stac_extensions": ["https://stac-extensions.github.io/item-assets/v1.0.0/schema.json"],
        "id": DEMO_COLLECTION,
        "title": "Demo aerial imagery (Atlanta)",
        "description": "Synthetic 4-band (red, green, blue, near-infrared) 0.6 m imagery shaped like NAIP.",
        "license": "CC0-1.0",
        "keywords": ["demo", "aerial", "naip-like"],
        "extent": {
            "spatial": {"bbox": [union]},
            "temporal": {"interval": [["2021-11-14T16:00:00Z", f"2021-11-{last_day:02d}T16:00:00Z"]]},
        },
        "summaries": {"gsd": [RESOLUTION], "proj:epsg": [EPSG], "eo:bands": BANDS},
        "item_assets": {
            "image": {"type": COG_TYPE, "roles": ["data"], "title": "RGBIR COG tile", "eo:bands": BANDS},
            "thumbnail": {"type": "image/png", "roles": ["thumbnail"], "title": "Thumbnail"},
            **{
                band["common_name"]: {key: value for key, value in _band_asset(band).items() if key != "href"}
                for band in BANDS
            },
        },
        "links": [
            {"rel": "root", "href": "../catalog.json", "type": "application/json"},
            {"rel": "parent", "href": "../catalog.json", "type": "application/json"},
        ]
        + [{"rel": "item", "href": f"./{i}/{i}.json", "type": "application/geo+json"} for i in item_ids],
    }


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")


def ingest_commands(catalog: Path, endpoint: str) -> str:
    """Shell commands that ingest the demo catalog at ``catalog`` into the emulator at ``endpoint``.

    The collection is created with a PUT (it answers at once) and the items arrive through an
    ingestion run, as on a GeoCatalog; the script ends by listing what a search finds.
    """
    catalog = Path(catalog).resolve()
    collection = catalog.parent / DEMO_COLLECTION / "collection.json"
    q = json.dumps  # a Python string literal, in double quotes
    return f"""python - <<'EOF'
import json
from pathlib import Path
from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential

client = PlanetaryComputerProClient({q(endpoint)}, StaticTokenCredential())
collection = json.loads(Path({q(str(collection))}).read_text())
client.stac.replace_collection({q(DEMO_COLLECTION)}, dict(collection, links=[]))
definition = client.ingestion.create(
    {q(DEMO_COLLECTION)}, {{"importType": "StaticCatalog", "sourceCatalogUrl": {q(catalog.as_uri())}}}
)
run = client.ingestion.create_run({q(DEMO_COLLECTION)}, definition.id)
client.ingestion.wait_for_operations([run.operation.id]).raise_for_failures()
print("searchable:", sorted(item.id for item in client.stac.item_search(collections=[{q(DEMO_COLLECTION)}])))
EOF"""


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m geocatalog_emulator.demo",
        description="Write the emulator's demo STAC catalog and print the commands that ingest it.",
    )
    parser.add_argument("outdir", type=Path, help="folder to write (created if missing)")
    parser.add_argument("--items", type=int, default=3, help="number of items (default 3)")
    parser.add_argument(
        "--endpoint",
        default="http://127.0.0.1:8080",
        help="the running emulator the printed commands ingest into (default http://127.0.0.1:8080)",
    )
    args = parser.parse_args(argv)
    catalog = make_demo(args.outdir, items=args.items)
    print(f"Wrote the demo catalog {catalog} (collection {DEMO_COLLECTION}, {args.items} items).")
    print(f"To ingest it into the emulator running at {args.endpoint} (geocatalog-emulator), run:\n")
    print(ingest_commands(catalog, args.endpoint.rstrip("/")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
