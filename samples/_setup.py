"""What every sample shares: a client, a collection with data in it, and a folder for outputs.

Not a sample itself: it keeps the samples short. Two ways to run any sample:

* ``PLANETARYCOMPUTER_ENDPOINT`` set: against that GeoCatalog, signed in with
  ``DefaultAzureCredential`` (``pip install azure-identity``; e.g. after ``az login``). An endpoint
  that cannot be reached, or no sign-in, stops the sample with one line saying so. Samples read
  ``PLANETARYCOMPUTER_COLLECTION`` (default ``naip-atl``), ``PLANETARYCOMPUTER_ITEM`` (default: the
  collection's first item) and, to ingest, ``PLANETARYCOMPUTER_CATALOG_URL`` (default: the NAIP
  sample catalog the service's own examples use).
* otherwise: against a local GeoCatalog emulator started here (``pip install -e ".[emulator]"``),
  in a temporary folder, with the emulator's demo data (three real Cloud-Optimized GeoTIFFs)
  ingested into the collection ``naip-atl-demo``.

Every sample takes ``--output DIR`` (default: a new temporary folder, kept and printed). The async
samples (``samples/async/``) also need aiohttp (``pip install -e ".[aio]"``); a sample missing what
it needs says which extra to install, in one line, before it starts.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import logging
import math
import os
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, AsyncIterable, AsyncIterator, Iterable, Iterator, Optional, Tuple
from urllib.parse import urlparse
from urllib.request import url2pathname

from azure.core.exceptions import ClientAuthenticationError

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential, aio

NAIP_CATALOG = "https://raw.githubusercontent.com/aloverro/mpcpro-sample-datasets/main/datasets/planetary_computer/naip/catalog.json"
ENDPOINT = os.environ.get("PLANETARYCOMPUTER_ENDPOINT")
#: The asset to render (``PLANETARYCOMPUTER_ASSET``): NAIP's and the demo's "image" has red, green, blue in bands 1-3.
ASSET = os.environ.get("PLANETARYCOMPUTER_ASSET", "image")

# Set by connect(): the endpoint in use (the emulator's, when ENDPOINT is not set) and a static catalog to ingest.
_endpoint: Optional[str] = None
_catalog_url: Optional[str] = None


SCOPE = "https://geocatalog.spatio.azure.com/.default"


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def plural(count: int, noun: str) -> str:
    """``1 item``, ``3 items``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def require(module: str, install: str) -> None:
    """Stop with one line naming what to install when ``module`` is missing."""
    try:
        found = importlib.util.find_spec(module)
    except ModuleNotFoundError:  # a dotted name whose parent package is missing
        found = None
    if found is None:
        sys.exit(f"This sample needs {module}: {install}")


#: What the ecosystem samples need beyond the dev extra's core (these need Python 3.10+).
ECOSYSTEM = 'pip install -e ".[dev]" on Python 3.10 or newer (odc-stac, stackstac, dask, geopandas, matplotlib)'


def _preflight(sample: Path) -> None:
    """Before anything starts: what this sample needs is installed, else one line naming the extra."""
    if sample.parent.name == "async":
        require("aiohttp", 'pip install -e ".[aio]" (the async client\'s transport)')
    if sample.name == "stac_search.py":
        require("pystac", 'pip install -e ".[pystac]" (it converts items to and from pystac)')
    if ENDPOINT:
        require("azure.identity", "pip install azure-identity (PLANETARYCOMPUTER_ENDPOINT is set: signing in to it)")
    else:
        require("rio_tiler", 'pip install -e ".[emulator]" (PLANETARYCOMPUTER_ENDPOINT is not set: the local emulator)')


def _check_reachable(endpoint: str) -> None:
    """Stop with one line when nothing answers at ``endpoint`` (before signing in, which is slow to fail)."""
    try:
        urllib.request.urlopen(f"{endpoint.rstrip('/')}/stac/conformance?api-version=2026-04-15", timeout=15).close()
    except urllib.error.HTTPError:
        pass  # it answered (401 without a token is expected)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        sys.exit(f"Cannot reach PLANETARYCOMPUTER_ENDPOINT={endpoint}: {reason}")


def _sign_in(credential: Any) -> None:
    """Stop with one line when ``DefaultAzureCredential`` finds no sign-in (its own report is many lines)."""
    logging.getLogger("azure.identity").setLevel(logging.CRITICAL)  # each failed credential logs a warning
    try:
        credential.get_token(SCOPE)
    except ClientAuthenticationError:
        sys.exit(
            "Could not sign in with DefaultAzureCredential: run `az login` (or set AZURE_CLIENT_ID, "
            "AZURE_TENANT_ID and AZURE_CLIENT_SECRET), or unset PLANETARYCOMPUTER_ENDPOINT to use the emulator"
        )


def output_folder() -> Path:
    """The folder given by ``--output`` (created), else a new temporary folder that is kept."""
    main = sys.modules["__main__"]
    _preflight(Path(getattr(main, "__file__", "sample.py")))
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
    print(f"   {path}: {path.stat().st_size} bytes")
    return path


async def save_async(stream: AsyncIterable[bytes], path: Path) -> Path:
    """:func:`save`, for an async stream."""
    with path.open("wb") as file:
        async for chunk in stream:
            file.write(chunk)
    print(f"   {path}: {path.stat().st_size} bytes")
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
        require("azure.identity", "pip install azure-identity (PLANETARYCOMPUTER_ENDPOINT is set: signing in to it)")
        from azure.identity import DefaultAzureCredential

        print(f"GeoCatalog: {ENDPOINT} (DefaultAzureCredential)")
        _check_reachable(ENDPOINT)
        _endpoint, _catalog_url = ENDPOINT, os.environ.get("PLANETARYCOMPUTER_CATALOG_URL", NAIP_CATALOG)
        with DefaultAzureCredential() as credential:
            _sign_in(credential)
            with PlanetaryComputerProClient(ENDPOINT, credential) as client:
                yield client
        return
    try:
        from geocatalog_emulator import Emulator
        from geocatalog_emulator.demo import make_demo
    except ImportError:
        sys.exit(
            'PLANETARYCOMPUTER_ENDPOINT is not set and the emulator is not installed: pip install -e ".[emulator]" '
            "(or set PLANETARYCOMPUTER_ENDPOINT to your GeoCatalog)"
        )
    with tempfile.TemporaryDirectory(prefix="pc-sample-") as folder:
        # The emulator reads local files only in folders it is allowed: here, the demo catalog's.
        with Emulator(Path(folder) / "geocatalog", allow_files=[Path(folder) / "demo"]) as emulator:
            print(f"PLANETARYCOMPUTER_ENDPOINT is not set: started a local GeoCatalog emulator at {emulator.endpoint}")
            _endpoint, _catalog_url = emulator.endpoint, make_demo(Path(folder) / "demo").as_uri()
            # The emulator accepts any bearer token; StaticTokenCredential sends one (never use it with Azure).
            with PlanetaryComputerProClient(emulator.endpoint, StaticTokenCredential()) as client:
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
    require("aiohttp", 'pip install -e ".[aio]" (the async client\'s transport)')
    with connect():
        async with _async_client() as async_client:
            yield async_client


@contextlib.asynccontextmanager
async def demo_async() -> AsyncIterator[Tuple[aio.PlanetaryComputerProClient, str, str]]:
    """:func:`demo`, with an async client."""
    require("aiohttp", 'pip install -e ".[aio]" (the async client\'s transport)')
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
            async with aio.PlanetaryComputerProClient(endpoint, credential) as async_client:
                yield async_client
        return
    credential = aio.AsyncStaticTokenCredential()
    async with aio.PlanetaryComputerProClient(endpoint, credential) as async_client:
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
    client.ingestion.wait_for_operations([run.operation.id], timeout=60).raise_for_failures()
    items = client.stac.get_item_collection(collection["id"], limit=100).features
    return collection["id"], sorted(str(item.id) for item in items)[0]
