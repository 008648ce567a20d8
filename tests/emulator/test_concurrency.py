"""One client shared by many threads (sync) or tasks (async), against the emulator.

Every worker mixes paged searches, ``get_item``, signing (``sas.sign`` / ``sign_href``) and small
downloads of signed blob hrefs. The checks: every operation returns the right thing (ids, the
stored bytes), nothing escapes, and the SAS token of the collection is fetched exactly once however
many workers sign at once, then exactly once more after the token's refresh time has passed.

The clock is moved by patching both the signer's (``_signing._now``) and the emulator's SAS clock
(``sas_api.utcnow``) by the same offset, so the token fetched after the jump is valid for the
emulator's blob endpoint too.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from azure.planetarycomputer import (
    PlanetaryComputerProClient,
    StaticTokenCredential,
    _signing,
    download_asset,
    download_item,
)
from azure.planetarycomputer.aio import AsyncStaticTokenCredential
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncPlanetaryComputerProClient
from azure.planetarycomputer.aio import download_asset as async_download_asset
from azure.planetarycomputer.aio import download_item as async_download_item
from geocatalog_emulator import sas_api
from geocatalog_emulator.demo import make_demo
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

ITEMS = 5  # demo items: a page size of 2 gives three pages
THREADS, ROUNDS = 16, 5
TASKS = 200
ASSET = "thumbnail"  # ~24 KB PNGs: small downloads


class Demo:
    """The demo collection as ingested: its id, item ids and each item's stored thumbnail bytes."""

    def __init__(self, endpoint: str, collection_id: str, ids: List[str], data: Dict[str, bytes]) -> None:
        self.endpoint = endpoint
        self.collection_id = collection_id
        self.ids = ids
        self.data = data


@pytest.fixture(scope="module")
def demo(geocatalog_emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Demo:  # noqa: F811
    """The demo static catalog ingested into a fresh collection (assets copied into blob storage)."""
    folder = tmp_path_factory.mktemp("demo")
    catalog = make_demo(folder, items=ITEMS)
    collection_id = f"concurrency-{uuid.uuid4().hex[:8]}"
    with PlanetaryComputerProClient(
        geocatalog_emulator.endpoint, StaticTokenCredential(), retry_total=0, polling_interval=0.02
    ) as client:
        client.stac.begin_create_collection(
            {
                "id": collection_id,
                "type": "Collection",
                "stac_version": "1.0.0",
                "description": "concurrency test",
                "license": "proprietary",
                "links": [],
                "extent": {
                    "spatial": {"bbox": [[-180, -90, 180, 90]]},
                    "temporal": {"interval": [["2020-01-01T00:00:00Z", None]]},
                },
            },
            polling_interval=0,
        ).result()
        definition = client.ingestion.create(
            collection_id, {"importType": "StaticCatalog", "sourceCatalogUrl": Path(catalog).as_uri()}
        )
        run = client.ingestion.create_run(collection_id, definition.id)
        summary = client.ingestion.wait_for_operations([run.operation.id], polling_interval=0.02, timeout=60)
        summary.raise_for_failures()
        items = list(client.stac.list_items(collection_id))
    ids = sorted(item.id for item in items)
    assert len(ids) == ITEMS
    data: Dict[str, bytes] = {}
    for item in items:
        stored = geocatalog_emulator.app.local_blob_path(item.assets[ASSET].href)
        assert stored is not None, item.assets[ASSET].href
        data[item.id] = stored.read_bytes()
        assert data[item.id] == (Path(catalog).parent / "naip-atl-demo" / item.id / "thumbnail.png").read_bytes()
    return Demo(geocatalog_emulator.endpoint, collection_id, ids, data)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[List[dt.timedelta]]:
    """An offset added to the signer's and the emulator's SAS clocks: ``clock[0] = timedelta(...)``."""
    offset = [dt.timedelta(0)]
    real_signer_now, real_emulator_now = _signing._now, sas_api.utcnow
    monkeypatch.setattr(_signing, "_now", lambda: real_signer_now() + offset[0])
    monkeypatch.setattr(sas_api, "utcnow", lambda: real_emulator_now() + offset[0])
    yield offset


class Counter:
    """A thread-safe count of calls."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def add(self) -> None:
        with self._lock:
            self.count += 1


def count_token_fetches(client: Any, counter: Counter, *, is_async: bool) -> None:
    """Count ``sas.get_token`` calls made by the client's signer (it calls the group's method)."""
    real = client.sas.get_token
    if is_async:

        async def spy_async(*args: Any, **kwargs: Any) -> Any:
            counter.add()
            return await real(*args, **kwargs)

        client.sas.get_token = spy_async
    else:

        def spy(*args: Any, **kwargs: Any) -> Any:
            counter.add()
            return real(*args, **kwargs)

        client.sas.get_token = spy


def signed_token(href: str) -> str:
    """The SAS query of a signed href (what the signer appended)."""
    assert "sig=" in href, "not signed"
    return href.split("?", 1)[1]


# -- sync: threads -------------------------------------------------------------------------------


def sync_round(client: PlanetaryComputerProClient, demo: Demo, folder: Path, n: int, r: int) -> str:
    """One round of a worker: search, get, sign, download. Returns the token used."""
    cid = demo.collection_id
    found = [item.id for item in client.stac.item_search(collections=[cid], page_size=2)]
    assert sorted(found) == demo.ids and len(found) == ITEMS
    item_id = demo.ids[(n + r) % ITEMS]
    item = client.stac.get_item(cid, item_id)
    assert item.id == item_id and item.collection == cid
    href = item.assets[ASSET].href

    signed = client.sas.sign(item)
    assert item.assets[ASSET].href == href  # sign copies
    token = signed_token(signed.assets[ASSET].href)
    assert client.sas.sign_href(href, cid) == signed.assets[ASSET].href

    target = folder / f"{n}-{r}" / "thumb.png"
    assert download_asset(signed.assets[ASSET].href, target) == target
    assert target.read_bytes() == demo.data[item_id]
    if r % 2 == 0:  # download_item signs through the client itself
        local = download_item(item, folder / f"{n}-{r}" / "item", signer=client, include=[ASSET])
        assert (folder / f"{n}-{r}" / "item" / "thumbnail.png").read_bytes() == demo.data[item_id]
        assert Path(local.assets[ASSET].href).name == "thumbnail.png"
    return token


def run_threads(client: PlanetaryComputerProClient, demo: Demo, folder: Path) -> List[str]:
    barrier = threading.Barrier(THREADS)

    def worker(n: int) -> List[str]:
        barrier.wait(timeout=30)  # start together: the first signs race for the token
        return [sync_round(client, demo, folder, n, r) for r in range(ROUNDS)]

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(worker, n) for n in range(THREADS)]
        results = [future.result(timeout=120) for future in futures]  # re-raises a worker's exception
    return [token for tokens in results for token in tokens]


def test_sync_client_shared_by_threads(demo: Demo, clock: List[dt.timedelta], tmp_path: Path) -> None:
    with PlanetaryComputerProClient(demo.endpoint, StaticTokenCredential(), retry_total=0) as client:
        fetches = Counter()
        count_token_fetches(client, fetches, is_async=False)

        tokens = run_threads(client, demo, tmp_path / "first")
        assert len(tokens) == THREADS * ROUNDS
        assert fetches.count == 1
        assert len(set(tokens)) == 1  # every worker signed with the one token

        clock[0] = dt.timedelta(hours=2)  # past the refresh time of the 60-minute token
        later = run_threads(client, demo, tmp_path / "second")
        assert fetches.count == 2
        assert len(set(later)) == 1 and later[0] != tokens[0]


# -- async: tasks --------------------------------------------------------------------------------


async def async_round(client: AsyncPlanetaryComputerProClient, demo: Demo, folder: Path, n: int) -> str:
    cid = demo.collection_id
    found = [item.id async for item in client.stac.item_search(collections=[cid], page_size=2)]
    assert sorted(found) == demo.ids and len(found) == ITEMS
    item_id = demo.ids[n % ITEMS]
    item = await client.stac.get_item(cid, item_id)
    assert item.id == item_id and item.collection == cid
    href = item.assets[ASSET].href

    signed = await client.sas.sign(item)
    assert item.assets[ASSET].href == href
    token = signed_token(signed.assets[ASSET].href)
    assert await client.sas.sign_href(href, cid) == signed.assets[ASSET].href

    target = folder / str(n) / "thumb.png"
    assert await async_download_asset(signed.assets[ASSET].href, target) == target
    assert target.read_bytes() == demo.data[item_id]
    if n % 4 == 0:
        await async_download_item(item, folder / str(n) / "item", signer=client, include=[ASSET])
        assert (folder / str(n) / "item" / "thumbnail.png").read_bytes() == demo.data[item_id]
    return token


async def run_tasks(client: AsyncPlanetaryComputerProClient, demo: Demo, folder: Path) -> List[str]:
    results = await asyncio.wait_for(
        asyncio.gather(*(async_round(client, demo, folder, n) for n in range(TASKS))), timeout=120
    )
    return list(results)


async def test_async_client_shared_by_tasks(demo: Demo, clock: List[dt.timedelta], tmp_path: Path) -> None:
    async with AsyncPlanetaryComputerProClient(demo.endpoint, AsyncStaticTokenCredential(), retry_total=0) as client:
        fetches = Counter()
        count_token_fetches(client, fetches, is_async=True)

        tokens = await run_tasks(client, demo, tmp_path / "first")
        assert len(tokens) == TASKS
        assert fetches.count == 1
        assert len(set(tokens)) == 1

        clock[0] = dt.timedelta(hours=2)
        later = await run_tasks(client, demo, tmp_path / "second")
        assert fetches.count == 2
        assert len(set(later)) == 1 and later[0] != tokens[0]
