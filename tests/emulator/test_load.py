"""The emulator under load: 10,000 items ingested through the API and read back across pages.

Searches and listings must return every item exactly once, whatever the page size, and a filter
must select exactly its subset. 500 items share each datetime, the default sort's first field, so
paging also has to keep ties apart. Timings of each step are printed (``pytest -s``).
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Dict, Iterator, List

import pytest

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

COUNT = 10_000
GROUPS = 7  # items with properties.group == 0 are those whose index % 7 == 0


def item(collection_id: str, index: int) -> Dict[str, Any]:
    """A small item without assets; a day per index from 2000-01-01 (so several share a datetime)."""
    lon, lat = (index % 360) - 180 + 0.5, (index // 360 % 180) - 90 + 0.5
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": f"item-{index:05d}",
        "collection": collection_id,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "bbox": [lon, lat, lon, lat],
        "properties": {"datetime": f"20{index % 20:02d}-01-01T00:00:00Z", "index": index, "group": index % GROUPS},
        "assets": {},
        "links": [],
    }


class Loaded:
    def __init__(self, collection_id: str, ids: List[str]) -> None:
        self.collection_id = collection_id
        self.ids = ids


@pytest.fixture(scope="module")
def client(geocatalog_emulator: Emulator) -> Iterator[PlanetaryComputerProClient]:  # noqa: F811
    with PlanetaryComputerProClient(
        geocatalog_emulator.endpoint, StaticTokenCredential(), retry_total=0, polling_interval=0.05
    ) as client:
        yield client


@pytest.fixture(scope="module")
def loaded(client: PlanetaryComputerProClient) -> Iterator[Loaded]:
    collection_id = f"load-{uuid.uuid4().hex[:8]}"
    client.stac.begin_create_collection(
        {
            "id": collection_id,
            "type": "Collection",
            "stac_version": "1.0.0",
            "description": "load test",
            "license": "proprietary",
            "links": [],
            "extent": {
                "spatial": {"bbox": [[-180, -90, 180, 90]]},
                "temporal": {"interval": [["2000-01-01T00:00:00Z", None]]},
            },
        },
        polling_interval=0,
    ).result()
    items = [item(collection_id, i) for i in range(COUNT)]
    started = time.perf_counter()
    result = client.ingestion.ingest_items(collection_id, items, batch_size=1000, timeout=120)
    print(f"\ningest {COUNT} items in {len(result.operations)} batches: {time.perf_counter() - started:.2f} s")
    assert len(result.succeeded) == COUNT // 1000 and not result.failed
    yield Loaded(collection_id, [i["id"] for i in items])
    client.stac.begin_delete_collection(collection_id, polling_interval=0).result()


def check_exactly(found: List[str], expected: List[str]) -> None:
    """Every expected id once: none missing, none repeated, nothing else."""
    assert len(found) == len(set(found)), f"{len(found) - len(set(found))} ids repeated across pages"
    missing, extra = set(expected) - set(found), set(found) - set(expected)
    assert not missing and not extra, (sorted(missing)[:5], sorted(extra)[:5])
    assert len(found) == len(expected)


@pytest.mark.parametrize("page_size", [500, 1000])
def test_search_returns_every_item_once(client: PlanetaryComputerProClient, loaded: Loaded, page_size: int) -> None:
    started = time.perf_counter()
    search = client.stac.item_search(collections=[loaded.collection_id], page_size=page_size)
    pages = list(search.pages())
    found = [feature.id for page in pages for feature in page.features]
    print(f"\nitem_search page_size={page_size}: {len(pages)} pages, {time.perf_counter() - started:.2f} s")
    assert len(pages) == COUNT // page_size
    check_exactly(found, loaded.ids)


def test_list_items_returns_every_item_once(client: PlanetaryComputerProClient, loaded: Loaded) -> None:
    started = time.perf_counter()
    found = [feature.id for feature in client.stac.list_items(loaded.collection_id, page_size=1000)]
    print(f"\nlist_items page_size=1000: {time.perf_counter() - started:.2f} s")
    check_exactly(found, loaded.ids)


@pytest.mark.parametrize(
    "filter",
    [{"op": "=", "args": [{"property": "group"}, 0]}, "group = 0"],
    ids=["cql2-json", "cql2-text"],
)
def test_filter_selects_exactly_its_subset(client: PlanetaryComputerProClient, loaded: Loaded, filter: Any) -> None:
    started = time.perf_counter()
    search = client.stac.item_search(collections=[loaded.collection_id], filter=filter, page_size=500)
    found = [feature.id for feature in search]
    print(f"\nfiltered search: {len(found)} items, {time.perf_counter() - started:.2f} s")
    check_exactly(found, [f"item-{i:05d}" for i in range(0, COUNT, GROUPS)])
