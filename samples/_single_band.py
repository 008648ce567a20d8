"""Emulator only: give the demo items single-band assets, as most satellite collections have.

The emulator's demo items carry one 4-band COG (``image``: red, green, blue, near-infrared), like
NAIP. stackstac reads single-band assets only (one file per band, as in Sentinel-2 or Landsat
collections), so before the demo catalog is ingested each item's image is split here into
``band_red``, ``band_green``, ``band_blue`` and ``band_nir`` COGs beside it. Not a sample itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict

import rasterio
import rasterio.shutil
from rasterio.io import MemoryFile

#: Single-band asset key -> band of the demo's 4-band image.
BANDS: Dict[str, int] = {"band_red": 1, "band_green": 2, "band_blue": 3, "band_nir": 4}
COG = "image/tiff; application=geotiff; profile=cloud-optimized"


def add_single_band_assets(catalog: Path) -> None:
    """Split each demo item's ``image`` into single-band COGs and list them as assets of the item."""
    for item_path in sorted(catalog.parent.glob("*/*/*.json")):
        item = json.loads(item_path.read_text())
        with rasterio.open(item_path.parent / item["assets"]["image"]["href"]) as src:
            profile = {**src.profile, "count": 1, "photometric": "MINISBLACK"}
            profile.pop("alpha", None)
            for key, index in BANDS.items():
                with MemoryFile() as staging:
                    with staging.open(**profile) as dst:
                        dst.write(src.read(index), 1)
                    with staging.open() as band:
                        target = str(item_path.parent / f"{key}.tif")
                        rasterio.shutil.copy(band, target, driver="COG", COMPRESS="DEFLATE")
                item["assets"][key] = {
                    "href": f"./{key}.tif",
                    "type": COG,
                    "roles": ["data"],
                    "title": key.replace("_", " "),
                    "raster:bands": [{"data_type": "uint8", "nodata": 0, "spatial_resolution": src.res[0]}],
                }
        item_path.write_text(json.dumps(item, indent=2))
