"""Datacubes: search, then load the items lazily with odc-stac and stackstac on a local Dask cluster.

Searches a collection, loads red and near-infrared (by their ``eo:bands`` names) as an ``xarray``
datacube with ``odc.stac.load(..., patch_url=client.sas.sign_href, chunks=...)`` on a
``distributed.LocalCluster`` of two worker processes (each worker signs hrefs with its own cached
SAS token: none is baked into the task graph), computes NDVI, then stacks the single-band ``red``,
``green`` and ``blue`` assets with ``stackstac.stack`` into an RGB composite, and plots both to PNG
files.

    python samples/datacube.py [--output DIR]

Needs odc-stac, stackstac, dask[distributed] and matplotlib (``pip install -e ".[dev]"``). Runs
against a local emulator unless ``PLANETARYCOMPUTER_ENDPOINT`` is set; then it uses
``PLANETARYCOMPUTER_COLLECTION`` (default ``naip-atl``), whose items need a multi-band ``image``
asset (as NAIP) and, for stackstac, single-band ``red``/``green``/``blue`` assets (the emulator's
demo items have both).
"""

import os
from pathlib import Path

from _setup import ECOSYSTEM, ENDPOINT, _ingest_demo, connect, output_folder, require, step

for _module in ("odc.stac", "stackstac", "distributed", "matplotlib"):
    require(_module, ECOSYSTEM)  # one line naming what to install, before the imports below fail

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # files only, no window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import odc.stac  # noqa: E402
import stackstac  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from azure.planetarycomputer import to_pystac  # noqa: E402

RGB = ["red", "green", "blue"]  # single-band assets, one file per band


def main() -> None:
    output = output_folder()
    with connect() as client:
        if ENDPOINT:
            collection_id = os.environ.get("PLANETARYCOMPUTER_COLLECTION", "naip-atl")
        else:
            collection_id, _ = _ingest_demo(client)

        step(f"Search {collection_id}")
        found = client.stac.item_search(collections=[collection_id], max_items=4).item_collection()
        items = to_pystac(found)  # a pystac.ItemCollection: what odc-stac and stackstac read
        print(f"   {len(items)} items: {[item.id for item in items]}")

        # Two worker processes: the task graph is pickled to them, and each signs hrefs itself.
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            with Client(cluster) as dask_client:
                print(f"   Dask: {len(dask_client.scheduler_info()['workers'])} workers")

                step("odc-stac: a lazy datacube, signed on the workers")
                cube = odc.stac.load(
                    items,
                    # eo:bands names: odc-stac reads each from a single-band asset where the item has one
                    # (the demo's red, nir), else from the multi-band image (NAIP's)
                    bands=["Red", "NIR"],
                    resolution=2.4,  # metres, in the items' CRS
                    groupby="solar_day",
                    chunks={"x": 256, "y": 256},  # lazy: nothing read until computed
                    patch_url=client.sas.sign_href,  # hrefs signed with cached tokens, again on each worker
                )
                red, nir = cube["Red"].astype("float32"), cube["NIR"].astype("float32")
                ndvi = (nir - red) / (nir + red).where(lambda total: total > 0)  # no data: NaN
                print(f"   {dict(cube.sizes)}, {ndvi.data.npartitions} chunks of NDVI")
                mean_ndvi = ndvi.mean("time").compute()
                print(f"   NDVI: mean {float(mean_ndvi.mean()):.3f} over {int(mean_ndvi.count())} pixels")
                plot(mean_ndvi.values, output / "ndvi.png", "Mean NDVI (odc-stac)", cmap="RdYlGn")

                step("stackstac: single-band assets, stacked")
                single = [name for name in RGB if all(name in item.assets for item in items)]
                if len(single) < len(RGB):
                    print(f"   the items have no single-band {RGB} assets: stackstac reads one band per file")
                    return
                client.sas.sign_inplace(items)  # pystac items; one cached token per collection
                options = {"resolution": 4.8, "chunksize": 256, "dtype": "uint8", "rescale": False}
                stack = stackstac.stack(items, assets=RGB, fill_value=np.uint8(0), **options)
                print(f"   {dict(stack.sizes)}")
                rgb = stack.max("time").compute()  # the items lie side by side: one mosaic
                image = np.moveaxis(rgb.values, 0, -1)  # (band, y, x) -> (y, x, band)
                plot(image, output / "rgb.png", "RGB composite (stackstac)")


def plot(values: np.ndarray, path: Path, title: str, **options: object) -> None:
    figure, axes = plt.subplots(figsize=(8, 3.5))
    shown = axes.imshow(values, **options)
    if values.ndim == 2:
        figure.colorbar(shown, ax=axes, shrink=0.8)
    axes.set_title(title)
    axes.set_axis_off()
    figure.savefig(path, dpi=80, bbox_inches="tight")
    plt.close(figure)
    print(f"   {path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
