"""Our searches and pystac-client's give the same items; pystac-client and pystac read through our client.

pystac-client is the oracle here: the same searches are sent by a plain ``pystac_client.Client``
(with a bearer header, as users did before ``client.pystac_client()``) and by our client, and the
ids must match item for item.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Dict, Iterator, List

import pytest

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential, to_pystac
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

pystac_client = pytest.importorskip("pystac_client")

#: Items on the edges of days, months and years (and one with only a start/end range).
WHEN = [
    "2020-12-31T23:30:00Z",
    "2021-01-01T00:00:00Z",
    "2021-06-15T12:00:00Z",
    "2021-10-31T23:59:59Z",
    "2021-11-01T00:00:00Z",
    "2021-11-16T00:00:00Z",
    "2021-11-16T10:00:00Z",
    "2021-11-16T23:30:00Z",
    "2021-11-19T00:00:00Z",
    "2021-11-19T18:45:00Z",
    "2021-11-30T23:00:00Z",
    "2021-12-01T00:00:00Z",
    "2021-12-31T22:00:00Z",
    "2022-01-01T00:00:01Z",
]
PLUS2 = dt.timezone(dt.timedelta(hours=2))


def _item(collection_id: str, index: int, when: Any) -> Dict[str, Any]:
    lon = -84.4 + index * 0.01
    properties: Dict[str, Any] = {"datetime": when, "index": index}
    if when is None:
        properties.update(start_datetime="2021-11-18T00:00:00Z", end_datetime="2021-11-20T00:00:00Z")
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": f"when-{index:02d}",
        "collection": collection_id,
        "geometry": {"type": "Point", "coordinates": [lon, 33.7]},
        "bbox": [lon, 33.7, lon, 33.7],
        "properties": properties,
        "assets": {},
        "links": [],
    }


@pytest.fixture(scope="module")
def client(geocatalog_emulator: Emulator) -> Iterator[PlanetaryComputerProClient]:  # noqa: F811
    with PlanetaryComputerProClient(
        geocatalog_emulator.endpoint, StaticTokenCredential(), retry_total=0, polling_interval=0.05
    ) as client:
        yield client


@pytest.fixture(scope="module")
def collection_id(client: PlanetaryComputerProClient) -> str:
    collection_id = f"when-{uuid.uuid4().hex[:8]}"
    client.stac.begin_create_collection(
        {
            "id": collection_id,
            "type": "Collection",
            "stac_version": "1.0.0",
            "description": "items on the edges of days, months and years",
            "license": "proprietary",
            "links": [],
            "extent": {
                "spatial": {"bbox": [[-180, -90, 180, 90]]},
                "temporal": {"interval": [["2020-01-01T00:00:00Z", None]]},
            },
        }
    ).result()
    items = [_item(collection_id, i, when) for i, when in enumerate([*WHEN, None])]
    client.ingestion.ingest_items(collection_id, items, timeout=60)
    return collection_id


@pytest.fixture(scope="module")
def oracle(geocatalog_emulator: Emulator) -> Any:  # noqa: F811
    """pystac-client on its own, as users set it up with a static bearer header."""
    return pystac_client.Client.open(f"{geocatalog_emulator.endpoint}/stac", headers={"Authorization": "Bearer x"})


# Each form, and what pystac-client is given for it (it takes no date objects: the same day as text).
FORMS: List[Any] = [
    ("2021", "2021"),
    ("2021-11", "2021-11"),
    ("2021-11-16", "2021-11-16"),
    ("2021-11-16/2021-11-19", "2021-11-16/2021-11-19"),
    ("2021-01-01/2021-12-31", "2021-01-01/2021-12-31"),
    ("2021/2021-11", "2021/2021-11"),
    ("../2021-11-16", "../2021-11-16"),
    ("2021-11-19/..", "2021-11-19/.."),
    ("2021-11-16T10:00:00", "2021-11-16T10:00:00"),
    ("2021-11-16T10:00:00Z/2021-11-19", "2021-11-16T10:00:00Z/2021-11-19"),
    (dt.datetime(2021, 11, 16, 10), dt.datetime(2021, 11, 16, 10)),
    (dt.datetime(2021, 11, 16, 12, tzinfo=PLUS2), dt.datetime(2021, 11, 16, 12, tzinfo=PLUS2)),
    ((dt.datetime(2021, 11, 16), dt.datetime(2021, 11, 19, 12)), (dt.datetime(2021, 11, 16), dt.datetime(2021, 11, 19, 12))),
    ([None, "2021-11-16"], [None, "2021-11-16"]),
    (("2021-11", None), ("2021-11", None)),
    (dt.date(2021, 11, 19), "2021-11-19"),
    ((dt.date(2021, 11, 16), dt.date(2021, 11, 19)), ("2021-11-16", "2021-11-19")),
    ((dt.date(2021, 12, 1), None), ("2021-12-01", None)),
]


@pytest.mark.parametrize(("ours", "theirs"), FORMS, ids=[str(i) for i in range(len(FORMS))])
def test_same_items_as_pystac_client(client: PlanetaryComputerProClient, collection_id: str, oracle: Any, ours: Any, theirs: Any) -> None:
    expected = sorted(item.id for item in oracle.search(collections=[collection_id], datetime=theirs).items())
    assert [item.id for item in sorted(client.stac.item_search(collections=[collection_id], datetime=ours), key=lambda i: i.id)] == expected
    assert sorted(item.id for item in client.stac.list_items(collection_id, datetime=ours)) == expected


def test_the_last_day_of_an_interval_is_whole(client: PlanetaryComputerProClient, collection_id: str) -> None:
    found = {item.id for item in client.stac.item_search(collections=[collection_id], datetime="2021-11-16/2021-11-19")}
    # 16 Nov 00:00, 10:00, 23:30; 19 Nov 00:00 and 18:45; the 18-20 Nov range item.
    assert found == {"when-05", "when-06", "when-07", "when-08", "when-09", "when-14"}
    assert len(list(client.stac.item_search(collections=[collection_id], datetime="2021"))) == 13  # 12 and the range


def test_pystac_client_reads_through_our_pipeline_and_signs(client: PlanetaryComputerProClient, collection_id: str) -> None:
    catalog = client.pystac_client()
    assert isinstance(catalog, pystac_client.Client)
    search = catalog.search(collections=[collection_id], datetime="2021-11", max_items=50)
    assert sorted(item.id for item in search.items()) == ["when-04", "when-05", "when-06", "when-07", "when-08", "when-09", "when-10", "when-14"]
    get = catalog.search(collections=[collection_id], datetime="2021-11", method="GET", limit=2)
    assert len(list(get.items())) == 8  # four pages of two, following GET next links
    assert catalog.get_collection(collection_id).id == collection_id


def test_pystac_client_refuses_request_modifier(client: PlanetaryComputerProClient) -> None:
    from azure.planetarycomputer._pystac_client import make_stac_io

    with pytest.raises(ValueError, match="policy"):
        make_stac_io(client).update(request_modifier=lambda request: request)  # type: ignore[attr-defined]


def test_errors_come_back_as_pystac_client_errors(client: PlanetaryComputerProClient) -> None:
    catalog = client.pystac_client()
    with pytest.raises(pystac_client.exceptions.APIError) as caught:
        catalog._stac_io.read_text(f"{client._config.endpoint}/stac/collections/no-such-collection")
    assert caught.value.status_code == 404


def test_to_pystac_objects_follow_links_with_the_client(client: PlanetaryComputerProClient, collection_id: str) -> None:
    item = to_pystac(client.stac.get_item(collection_id, "when-05"))
    collection = item.get_collection()
    assert collection is not None and collection.id == collection_id
    found = to_pystac(client.stac.item_search(collections=[collection_id], max_items=2).item_collection())
    assert [i.get_collection().id for i in found.items] == [collection_id, collection_id]
    assert item.get_parent() is not None and item.get_parent().id == collection_id


def test_the_token_goes_to_the_endpoint_only(client: PlanetaryComputerProClient) -> None:
    from azure.planetarycomputer._pystac_client import _Pipeline

    pipeline = _Pipeline(client)
    endpoint = client._config.endpoint
    assert pipeline.owns(f"{endpoint}/stac/collections")
    host_port = endpoint.split("://")[1]
    assert not pipeline.owns(f"https://{host_port}/stac")  # another scheme
    assert not pipeline.owns(endpoint.replace("127.0.0.1", "127.0.0.2") + "/stac")
    assert not pipeline.owns("https://example.com/stac")
