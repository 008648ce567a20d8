"""What every sample shares: a client, a collection with data in it, and a folder for outputs.

Not a sample itself: it keeps the samples short. Two ways to run any sample:

* ``PLANETARYCOMPUTER_ENDPOINT`` set: against that GeoCatalog, signed in with
  ``DefaultAzureCredential`` (``pip install azure-identity``; e.g. after ``az login``). Samples read
  ``PLANETARYCOMPUTER_COLLECTION`` (default ``naip-atl``), ``PLANETARYCOMPUTER_ITEM`` (default: the
  collection's first item) and, to ingest, ``PLANETARYCOMPUTER_CATALOG_URL`` (default: the NAIP
  sample catalog the service's own examples use).
* otherwise: against a local GeoCatalog emulator started here (``pip install -e ".[emulator]"``),
  in a temporary folder, with the emulator's demo data (three real Cloud-Optimized GeoTIFFs)
  ingested into the collection ``naip-atl-demo``.

Every sample takes ``--output DIR`` (default: a new temporary folder, kept and printed).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, AsyncIterable, AsyncIterator, Iterable, Iterator, Optional, Tuple
from urllib.parse import urlparse
from urllib.request import url2pathname

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential, aio

NAIP_CATALOG = "https://raw.githubusercontent.com/aloverro/mpcpro-sample-datasets/main/datasets/planetary_computer/naip/catalog.json"
ENDPOINT = os.environ.get("PLANETARYCOMPUTER_ENDPOINT")
#: The asset to render (``PLANETARYCOMPUTER_ASSET``): NAIP's and the demo's "image" has red, green, blue in bands 1-3.
ASSET = os.environ.get("PLANETARYCOMPUTER_ASSET", "image")

# Set by connect(): the endpoint in use (the emulator's, when ENDPOINT is not set) and a static catalog to ingest.
_endpoint: Optional[str] = None
_catalog_url: Optional[str] = None


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def output_folder() -> Path:
    """The folder given by ``--output`` (created), else a new temporary folder that is kept."""
    main = sys.modules["__main__"]
    parser = argparse.ArgumentParser(description=(main.__doc__ or "").strip().splitlines()[0])
    parser.add_argument("--output", "--out", type=Path, help="folder for what the sample writes")
    args = parser.parse_args()
    folder: Path = args.output or Path(tempfile.mkdtemp(prefix="pc-sample-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"Outputs: {folder}")
    return folder


def save(stream: Iterable[bytes], path: Path) -> Path:
    """Write an image (or any streamed response) to ``path``, chunk by chunk."""
    with path.open("wb") as file:
        for chunk in stream:
            file.write(chunk)
    print(f"   {path.name}: {path.stat().st_size} bytes")
    return path


async def save_async(stream: AsyncIterable[bytes], path: Path) -> Path:
    """:func:`save`, for an async stream."""
    with path.open("wb") as file:
        async for chunk in stream:
            file.write(chunk)
    print(f"   {path.name}: {path.stat().st_size} bytes")
    return path


def tile_at(lon: float, lat: float, zoom: int) -> Tuple[int, int, int]:
    """``(z, x, y)`` of the WebMercatorQuad tile that contains a point."""
    n = 2**zoom
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return zoom, min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def static_catalog_url() -> str:
    """A static STAC catalog the GeoCatalog can ingest (on the emulator: the demo catalog)."""
    if _catalog_url is None:
        raise RuntimeError("call static_catalog_url() inside connect() or demo()")
    return _catalog_url


@contextlib.contextmanager
def connect() -> Iterator[PlanetaryComputerProClient]:
    """A client of ``PLANETARYCOMPUTER_ENDPOINT``, else of a local emulator started here."""
    global _endpoint, _catalog_url
    if ENDPOINT:
        from azure.identity import DefaultAzureCredential

        print(f"GeoCatalog: {ENDPOINT} (DefaultAzureCredential)")
        _endpoint, _catalog_url = ENDPOINT, os.environ.get("PLANETARYCOMPUTER_CATALOG_URL", NAIP_CATALOG)
        with DefaultAzureCredential() as credential:
            with PlanetaryComputerProClient(ENDPOINT, credential, polling_interval=2) as client:
                yield client
        return
    try:
        from geocatalog_emulator import Emulator
        from geocatalog_emulator.demo import make_demo
    except ImportError:
        sys.exit(
            'PLANETARYCOMPUTER_ENDPOINT is not set and the emulator is not installed: pip install -e ".[emulator]"'
        )
    with tempfile.TemporaryDirectory(prefix="pc-sample-") as folder:
        # The emulator reads local files only in folders it is allowed: here, the demo catalog's.
        with Emulator(Path(folder) / "geocatalog", allow_files=[Path(folder) / "demo"]) as emulator:
            print(f"PLANETARYCOMPUTER_ENDPOINT is not set: started a local GeoCatalog emulator at {emulator.endpoint}")
            _endpoint, _catalog_url = emulator.endpoint, make_demo(Path(folder) / "demo").as_uri()
            # The emulator accepts any bearer token; StaticTokenCredential sends one (never use it with Azure).
            with PlanetaryComputerProClient(emulator.endpoint, StaticTokenCredential(), polling_interval=0.1) as client:
                yield client


@contextlib.contextmanager
def demo() -> Iterator[Tuple[PlanetaryComputerProClient, str, str]]:
    """``(client, collection_id, item_id)``: a collection with items in it, and one of its items."""
    with connect() as client:
        if ENDPOINT:
            collection_id = os.environ.get("PLANETARYCOMPUTER_COLLECTION", "naip-atl")
            item_id = os.environ.get("PLANETARYCOMPUTER_ITEM") or _first_item(client, collection_id)
        else:
            collection_id, item_id = _ingest_demo(client)
        print(f"Collection {collection_id}, item {item_id}")
        yield client, collection_id, item_id


@contextlib.asynccontextmanager
async def connect_async() -> AsyncIterator[aio.PlanetaryComputerProClient]:
    """:func:`connect`, with an async client."""
    with connect():
        async with _async_client() as async_client:
            yield async_client


@contextlib.asynccontextmanager
async def demo_async() -> AsyncIterator[Tuple[aio.PlanetaryComputerProClient, str, str]]:
    """:func:`demo`, with an async client."""
    with demo() as (_, collection_id, item_id):
        async with _async_client() as async_client:
            yield async_client, collection_id, item_id


@contextlib.asynccontextmanager
async def _async_client() -> AsyncIterator[aio.PlanetaryComputerProClient]:
    """An async client of the GeoCatalog that connect() set up."""
    endpoint = str(_endpoint)
    if ENDPOINT:
        from azure.identity.aio import DefaultAzureCredential

        async with DefaultAzureCredential() as credential:
            async with aio.PlanetaryComputerProClient(endpoint, credential, polling_interval=2) as async_client:
                yield async_client
        return
    credential = aio.AsyncStaticTokenCredential()
    async with aio.PlanetaryComputerProClient(endpoint, credential, polling_interval=0.1) as async_client:
        yield async_client


def _first_item(client: PlanetaryComputerProClient, collection_id: str) -> str:
    page = client.stac.get_item_collection(collection_id, limit=1)
    if not page.features:
        sys.exit(f"collection {collection_id} has no items: set PLANETARYCOMPUTER_COLLECTION to one that has")
    return str(page.features[0].id)


def _ingest_demo(client: PlanetaryComputerProClient) -> Tuple[str, str]:
    """Create the demo collection and ingest the demo catalog into it (an ingestion run)."""
    catalog = Path(url2pathname(urlparse(static_catalog_url()).path))
    collection: Any = json.loads((catalog.parent / "naip-atl-demo" / "collection.json").read_text())
    collection["links"] = []
    client.stac.begin_create_collection(collection).result()
    definition = client.ingestion.create(
        collection["id"], {"importType": "StaticCatalog", "sourceCatalogUrl": static_catalog_url()}
    )
    run = client.ingestion.create_run(collection["id"], definition.id)
    client.ingestion.wait_for_operations([run.operation.id], polling_interval=0.05, timeout=60).raise_for_failures()
    items = client.stac.get_item_collection(collection["id"], limit=100).features
    return collection["id"], sorted(str(item.id) for item in items)[0]
