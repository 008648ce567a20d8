"""ingestion.ingest_items / wait_for_operations / ensure_sas_source / ensure_managed_identity_source,
sync and async: end to end against the emulator, and with fakes for concurrency and timeouts."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Dict, Iterator, List, Tuple

import pystac
import pytest
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError

from azure.planetarycomputer import (
    IngestItemsResult,
    OperationsFailedError,
    OperationsSummary,
    OperationsTimeoutError,
    PlanetaryComputerProClient,
    StaticTokenCredential,
    models,
    to_pystac,
)
from azure.planetarycomputer.aio import AsyncStaticTokenCredential
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncPlanetaryComputerProClient
from azure.planetarycomputer.aio.operations import IngestionOperations as AsyncIngestionOperations
from azure.planetarycomputer.operations import IngestionOperations
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

FAST = 0.02  # seconds between polls against the emulator
CONTAINER = "https://account.blob.core.windows.net"


# -- fixtures and helpers ------------------------------------------------------------------------------


class RequestLog:
    """Every request the client sends, as (method, path)."""

    def __init__(self) -> None:
        self.seen: List[Tuple[str, str]] = []

    def __call__(self, request: Any) -> None:
        http = request.http_request
        self.seen.append((http.method, http.url.split("?")[0].split("//", 1)[1].split("/", 1)[1]))

    def writes(self) -> List[Tuple[str, str]]:
        return [(m, p) for m, p in self.seen if m in ("POST", "PUT", "DELETE", "PATCH")]


@pytest.fixture
def log() -> RequestLog:
    return RequestLog()


@pytest.fixture
def client(geocatalog_emulator: Emulator, log: RequestLog) -> Iterator[PlanetaryComputerProClient]:  # noqa: F811
    with PlanetaryComputerProClient(
        geocatalog_emulator.endpoint, StaticTokenCredential(), retry_total=0, raw_request_hook=log
    ) as client:
        yield client


@pytest.fixture
def collection_id(geocatalog_emulator: Emulator) -> str:  # noqa: F811
    """A fresh collection, put straight into the store."""
    cid = f"helpers-{uuid.uuid4().hex[:8]}"
    geocatalog_emulator.app.store.put(
        "collection",
        "",
        cid,
        {
            "type": "Collection",
            "id": cid,
            "stac_version": "1.0.0",
            "description": "ingestion helpers",
            "license": "CC-BY-4.0",
            "extent": {"spatial": {"bbox": [[0, 0, 1, 1]]}, "temporal": {"interval": [[None, None]]}},
            "links": [],
        },
    )
    return cid


@pytest.fixture
def asset(tmp_path: Path) -> str:
    path = tmp_path / "asset.tif"
    path.write_bytes(b"II*\x00" + bytes(range(256)) * 4)
    return path.as_uri()


def stac_item(item_id: str, href: str) -> Dict[str, Any]:
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": item_id,
        "collection": "somewhere-else",
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]},
        "bbox": [0, 0, 1, 1],
        "properties": {"datetime": "2024-01-01T00:00:00Z", "eo:cloud_cover": 5},
        "links": [],
        "assets": {"data": {"href": href, "type": "image/tiff", "roles": ["data"]}},
    }


def stored_ids(client: PlanetaryComputerProClient, collection_id: str) -> List[str]:
    return sorted(item.id for item in client.stac.get_item_collection(collection_id, limit=1000).features)


def sas(expires: dt.datetime) -> str:
    return f"sv=2024-01-01&sr=c&sp=rl&se={expires.strftime('%Y-%m-%dT%H:%M:%SZ')}&sig=not-a-real-signature"


def in_(delta: dt.timedelta) -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc) + delta


# -- ingest_items (emulator) ------------------------------------------------------------------------------


def test_ingest_items_in_batches(client: PlanetaryComputerProClient, collection_id: str, asset: str) -> None:
    items = [stac_item(f"item-{i}", asset) for i in range(5)]
    result = client.ingestion.ingest_items(collection_id, items, batch_size=2, polling_interval=FAST)
    assert isinstance(result, IngestItemsResult)
    assert result.collection_id == collection_id
    assert result.item_ids == [["item-0", "item-1"], ["item-2", "item-3"], ["item-4"]]
    assert len(result.operations) == len(result.succeeded) == 3
    assert not result.failed and not result.pending
    assert all(op.type == "AddItem" for op in result.operations)
    assert stored_ids(client, collection_id) == [f"item-{i}" for i in range(5)]
    assert client.stac.get_item(collection_id, "item-0").collection == collection_id
    assert items[0]["collection"] == "somewhere-else"  # the caller's items are not changed
    result.raise_for_failures()  # nothing to raise


def test_ingest_items_sends_batches_concurrently_and_keeps_their_order(
    client: PlanetaryComputerProClient, collection_id: str, asset: str
) -> None:
    in_flight, most = [0], [0]
    lock = threading.Lock()

    def count(request: Any) -> None:  # runs on the threads sending the batches
        if request.http_request.method == "POST":
            with lock:
                in_flight[0] += 1
                most[0] = max(most[0], in_flight[0])
            time.sleep(0.05)  # hold the request open so that others overlap it
            with lock:
                in_flight[0] -= 1

    item_of_operation: Dict[str, str] = {}

    def pair(response: Any) -> None:  # which operation each item's request started
        if response.http_request.method == "POST":
            operation_id = response.http_response.headers["Operation-Location"].split("?")[0].rsplit("/", 1)[1]
            body = json.loads(response.http_request.content)  # a FeatureCollection of one item
            item_of_operation[operation_id] = body["features"][0]["id"]

    items = [stac_item(f"item-{i:02d}", asset) for i in range(12)]
    result = client.ingestion.ingest_items(
        collection_id,
        items,
        batch_size=1,
        max_concurrency=3,
        polling_interval=FAST,
        raw_request_hook=count,
        raw_response_hook=pair,
    )
    assert 1 < most[0] <= 3
    assert result.item_ids == [[f"item-{i:02d}"] for i in range(12)]
    assert [item_of_operation[op.id] for op in result.operations] == [f"item-{i:02d}" for i in range(12)]
    assert sorted(stored_ids(client, collection_id)) == [f"item-{i:02d}" for i in range(12)]
    with pytest.raises(ValueError, match="max_concurrency"):
        client.ingestion.ingest_items(collection_id, items, max_concurrency=0)


@pytest.mark.parametrize("form", ["model", "mapping", "pystac"])
def test_ingest_one_item(
    client: PlanetaryComputerProClient, collection_id: str, asset: str, log: RequestLog, form: str
) -> None:
    doc = stac_item("single", asset)
    given: Any = {"model": models.StacItem(doc), "mapping": doc, "pystac": to_pystac(doc)}[form]
    result = client.ingestion.ingest_items(collection_id, given, polling_interval=FAST)
    assert result.item_ids == [["single"]]
    assert [op.status for op in result.operations] == ["Succeeded"]
    assert log.writes() == [("POST", f"stac/collections/{collection_id}/items")]
    assert stored_ids(client, collection_id) == ["single"]


@pytest.mark.parametrize("form", ["model", "feature-collection", "pystac", "generator"])
def test_ingest_item_collections(client: PlanetaryComputerProClient, collection_id: str, asset: str, form: str) -> None:
    docs = [stac_item(f"{form}-{i}", asset) for i in range(3)]
    feature_collection = {"type": "FeatureCollection", "features": docs}
    given: Any = {
        "model": models.StacItemCollection(feature_collection),
        "feature-collection": feature_collection,
        "pystac": pystac.ItemCollection([to_pystac(d) for d in docs]),
        "generator": (d for d in docs),
    }[form]
    result = client.ingestion.ingest_items(collection_id, given, polling_interval=FAST)
    assert result.item_ids == [[d["id"] for d in docs]]  # one request: a FeatureCollection
    assert stored_ids(client, collection_id) == sorted(d["id"] for d in docs)


def test_failed_ingestion_raises_a_clear_error(
    client: PlanetaryComputerProClient, collection_id: str, asset: str, tmp_path: Path
) -> None:
    missing = (tmp_path / "missing.tif").as_uri() + "?sv=2024&sig=TOPSECRET"
    good = [stac_item("good-1", asset), stac_item("good-2", asset)]
    bad = [stac_item("bad-1", missing), stac_item("bad-2", asset)]
    with pytest.raises(OperationsFailedError) as caught:
        client.ingestion.ingest_items(collection_id, good + bad, batch_size=2, polling_interval=FAST)
    error = caught.value
    assert isinstance(error, HttpResponseError)
    message = str(error)
    assert f"collection '{collection_id}'" in message
    assert "IngestionResourceUriNotFound" in message
    assert "bad-1" in message and "good-1" not in message
    assert "TOPSECRET" not in message and "sig=REDACTED" in message
    summary = error.summary
    assert isinstance(summary, IngestItemsResult)
    assert len(summary.succeeded) == 1 and len(summary.failed) == 1
    assert summary.failed[0].error.code == "IngestionResourceUriNotFound"
    assert stored_ids(client, collection_id) == ["good-1", "good-2"]


def test_ingest_without_waiting_then_wait(client: PlanetaryComputerProClient, collection_id: str, asset: str) -> None:
    result = client.ingestion.ingest_items(collection_id, [stac_item("later", asset)], wait=False)
    assert [op.status for op in result.operations] == ["Pending"]
    assert len(result.pending) == 1
    seen: List[OperationsSummary] = []
    summary = client.ingestion.wait_for_operations(result.operations, polling_interval=FAST, progress=seen.append)
    assert [op.status for op in summary.operations] == ["Succeeded"]
    assert seen and seen[-1].succeeded and not seen[-1].pending


def test_ingest_nothing_sends_nothing(client: PlanetaryComputerProClient, collection_id: str, log: RequestLog) -> None:
    result = client.ingestion.ingest_items(collection_id, [])
    assert result.operations == [] and log.seen == []


def test_ingest_refuses_what_is_not_an_item(client: PlanetaryComputerProClient, collection_id: str) -> None:
    with pytest.raises(TypeError, match=r"items\[1\] is a int"):
        client.ingestion.ingest_items(collection_id, [stac_item("a", "https://x/a.tif"), 3])
    with pytest.raises(ValueError, match=r"items\[0\].*'Collection', not 'Feature'"):
        client.ingestion.ingest_items(collection_id, [{"type": "Collection", "id": "c"}])
    with pytest.raises(TypeError, match="not str"):
        client.ingestion.ingest_items(collection_id, "item.json")
    with pytest.raises(ValueError, match="batch_size"):
        client.ingestion.ingest_items(collection_id, [], batch_size=0)


# -- wait_for_operations (emulator) -----------------------------------------------------------------------


def test_wait_for_ids_records_and_pollers(
    client: PlanetaryComputerProClient, collection_id: str, asset: str, tmp_path: Path
) -> None:
    started = client.ingestion.ingest_items(
        collection_id, [stac_item("w-1", asset), stac_item("w-2", asset)], batch_size=1, wait=False
    )
    failing = client.ingestion.ingest_items(
        collection_id, stac_item("w-bad", (tmp_path / "nope.tif").as_uri()), wait=False
    )
    poller = client.stac.begin_create_item(
        collection_id, dict(stac_item("w-3", asset), collection=collection_id), polling_interval=FAST
    )
    given = [started.operations[0].id, started.operations[1], failing.operations[0], poller]
    summary = client.ingestion.wait_for_operations(given, polling_interval=FAST)
    assert [op.id for op in summary.operations[:3]] == [
        started.operations[0].id,
        started.operations[1].id,
        failing.operations[0].id,
    ]
    assert len(summary.succeeded) == 3 and len(summary.failed) == 1 and not summary.canceled
    assert "failed=1" in repr(summary)
    poller.result()  # its own polling thread is done too
    with pytest.raises(OperationsFailedError) as caught:
        summary.raise_for_failures()
    message = str(caught.value)
    assert "1 of 4 operation(s) did not succeed" in message
    assert failing.operations[0].id in message and "IngestionResourceUriNotFound" in message
    assert f"collection '{collection_id}'" in message


def test_wait_for_an_unknown_operation_raises(client: PlanetaryComputerProClient) -> None:
    with pytest.raises(ResourceNotFoundError):
        client.ingestion.wait_for_operations([str(uuid.uuid4())], polling_interval=FAST)


def test_canceled_operations_count_as_not_succeeded() -> None:
    summary = OperationsSummary(
        [
            models.Operation({"id": "1", "status": "Canceled", "type": "AddItem"}),
            models.Operation({"id": "2", "status": "Succeeded"}),
        ]
    )
    assert [op.id for op in summary.canceled] == ["1"]
    with pytest.raises(OperationsFailedError, match=r"operation 1 \(AddItem\): Canceled"):
        summary.raise_for_failures()


def test_error_read_from_status_history() -> None:
    op = models.Operation(
        {
            "id": "9",
            "status": "Failed",
            "statusHistory": [
                {"status": "Running"},
                {"status": "Failed", "errorCode": "NoRecordsToDelete", "errorMessage": "gone: https://a/b?sig=abc"},
            ],
        }
    )
    with pytest.raises(OperationsFailedError) as caught:
        OperationsSummary([op]).raise_for_failures()
    assert "NoRecordsToDelete: gone: https://a/b?sig=REDACTED" in str(caught.value)


# -- ensure_sas_source / ensure_managed_identity_source (emulator) ---------------------------------------


def test_ensure_sas_source_creates_reuses_and_replaces(client: PlanetaryComputerProClient, log: RequestLog) -> None:
    url = f"{CONTAINER}/sas-{uuid.uuid4().hex[:8]}"
    created = client.ingestion.ensure_sas_source(url, "?" + sas(in_(dt.timedelta(days=30))))
    assert isinstance(created, models.SharedAccessSignatureTokenIngestionSource)
    assert created.connection_info.container_uri == url
    assert log.writes() == [("POST", "inma/ingestion-sources")]

    log.seen.clear()  # valid long enough: reused, nothing written (even given another URL spelling)
    reused = client.ingestion.ensure_sas_source(url + "/", sas(in_(dt.timedelta(days=60))))
    assert reused.id == created.id
    assert reused.connection_info.expiration == created.connection_info.expiration
    assert log.writes() == []

    log.seen.clear()  # expires within min_remaining: its token is replaced, same source
    replaced = client.ingestion.ensure_sas_source(
        url, sas(in_(dt.timedelta(days=60))), min_remaining=dt.timedelta(days=45)
    )
    assert replaced.id == created.id
    assert replaced.connection_info.expiration > created.connection_info.expiration
    assert log.writes() == [("PUT", f"inma/ingestion-sources/{created.id}")]


def test_ensure_sas_source_replaces_a_token_expiring_soon(client: PlanetaryComputerProClient) -> None:
    url = f"{CONTAINER}/soon-{uuid.uuid4().hex[:8]}"
    first = client.ingestion.ensure_sas_source(url, sas(in_(dt.timedelta(hours=2))))
    second = client.ingestion.ensure_sas_source(url, sas(in_(dt.timedelta(days=7))))  # default: 1 day
    assert second.id == first.id
    assert second.connection_info.expiration - first.connection_info.expiration > dt.timedelta(days=6)
    assert len([s for s in client.ingestion.list_sources() if s.id == first.id]) == 1


def test_ensure_sas_source_refuses_bad_input_without_echoing_secrets(client: PlanetaryComputerProClient) -> None:
    with pytest.raises(ValueError, match="must not have a query") as caught:
        client.ingestion.ensure_sas_source(f"{CONTAINER}/c?sig=SECRET", "sig=x")
    assert "SECRET" not in str(caught.value)
    with pytest.raises(ValueError, match="sas_token must not be empty"):
        client.ingestion.ensure_sas_source(f"{CONTAINER}/c", "?")
    with pytest.raises(ValueError, match="http"):
        client.ingestion.ensure_sas_source("container", "sig=x")


def test_ensure_managed_identity_source(client: PlanetaryComputerProClient, log: RequestLog) -> None:
    url = f"{CONTAINER}/mi-{uuid.uuid4().hex[:8]}"
    identity = next(iter(client.ingestion.list_managed_identities())).object_id
    created = client.ingestion.ensure_managed_identity_source(url, identity)
    assert isinstance(created, models.ManagedIdentityIngestionSource)
    log.seen.clear()
    assert client.ingestion.ensure_managed_identity_source(url, identity.upper()).id == created.id
    assert log.writes() == []
    other = str(uuid.uuid4())
    replaced = client.ingestion.ensure_managed_identity_source(url, other)
    assert replaced.id == created.id and replaced.connection_info.object_id == other
    # a SAS source is not silently put on a container read by a managed identity, nor the reverse
    with pytest.raises(ResourceExistsError, match="BlobManagedIdentity ingestion source"):
        client.ingestion.ensure_sas_source(url, sas(in_(dt.timedelta(days=30))))
    sas_url = f"{CONTAINER}/mi-sas-{uuid.uuid4().hex[:8]}"
    client.ingestion.ensure_sas_source(sas_url, sas(in_(dt.timedelta(days=30))))
    with pytest.raises(ResourceExistsError, match="SasToken ingestion source"):
        client.ingestion.ensure_managed_identity_source(sas_url, identity)


# -- async twins (emulator) ---------------------------------------------------------------------------------


@pytest.fixture
async def aclient(geocatalog_emulator: Emulator, log: RequestLog) -> Any:  # noqa: F811
    async with AsyncPlanetaryComputerProClient(
        geocatalog_emulator.endpoint, AsyncStaticTokenCredential(), retry_total=0, raw_request_hook=log
    ) as client:
        yield client


async def test_async_ingest_items(
    aclient: Any, client: PlanetaryComputerProClient, collection_id: str, asset: str
) -> None:
    rounds: List[OperationsSummary] = []

    async def progress(summary: OperationsSummary) -> None:
        rounds.append(summary)

    items = pystac.ItemCollection([to_pystac(stac_item(f"a-{i}", asset)) for i in range(3)])
    result = await aclient.ingestion.ingest_items(
        collection_id, items, batch_size=2, polling_interval=FAST, progress=progress
    )
    assert isinstance(result, IngestItemsResult)
    assert result.item_ids == [["a-0", "a-1"], ["a-2"]]
    assert len(result.succeeded) == 2
    assert rounds and isinstance(rounds[-1], IngestItemsResult)
    assert stored_ids(client, collection_id) == ["a-0", "a-1", "a-2"]


async def test_async_failure_and_wait(aclient: Any, collection_id: str, asset: str, tmp_path: Path) -> None:
    with pytest.raises(OperationsFailedError, match="IngestionResourceUriNotFound"):
        await aclient.ingestion.ingest_items(
            collection_id, stac_item("a-bad", (tmp_path / "x.tif").as_uri()), polling_interval=FAST
        )
    await aclient.ingestion.ingest_items(collection_id, [stac_item("a-ok", asset)], polling_interval=FAST)
    started = await aclient.ingestion.ingest_items(collection_id, [stac_item("a-ok-2", asset)], wait=False)
    poller = await aclient.stac.begin_delete_item(collection_id, "a-ok")
    summary = await aclient.ingestion.wait_for_operations(
        [started.operations[0].id, poller], polling_interval=FAST, max_concurrency=1
    )
    assert [op.status for op in summary.operations] == ["Succeeded", "Succeeded"]
    assert summary.operations[1].type == "DeleteItem"


async def test_async_ensure_sas_source(aclient: Any, log: RequestLog) -> None:
    url = f"{CONTAINER}/async-{uuid.uuid4().hex[:8]}"
    created = await aclient.ingestion.ensure_sas_source(url, sas(in_(dt.timedelta(hours=3))))
    log.seen.clear()
    reused = await aclient.ingestion.ensure_sas_source(
        url, sas(in_(dt.timedelta(days=9))), min_remaining=dt.timedelta(hours=1)
    )
    assert reused.id == created.id and log.writes() == []
    replaced = await aclient.ingestion.ensure_sas_source(url, sas(in_(dt.timedelta(days=9))))
    assert replaced.id == created.id and log.writes() == [("PUT", f"inma/ingestion-sources/{created.id}")]
    identity = str(uuid.uuid4())
    mi_url = f"{CONTAINER}/async-mi-{uuid.uuid4().hex[:8]}"
    mi = await aclient.ingestion.ensure_managed_identity_source(mi_url, identity)
    assert (await aclient.ingestion.ensure_managed_identity_source(mi_url, identity)).id == mi.id


# -- concurrency and timeouts (fakes) -------------------------------------------------------------------


class FakeService:
    """Operations that finish after ``polls_to_finish`` gets each; tracks requests in flight."""

    def __init__(self, polls_to_finish: int = 2, final: str = "Succeeded", delay: float = 0.01) -> None:
        self.polls_to_finish = polls_to_finish
        self.final = final
        self.delay = delay
        self.calls: Dict[str, int] = {}
        self.in_flight = 0
        self.most_in_flight = 0
        self.completed = 0  # fetches that ran to the end
        self.lock = threading.Lock()

    def _enter(self, operation_id: str) -> int:
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self.calls[operation_id] = self.calls.get(operation_id, 0) + 1
            return self.calls[operation_id]

    def _leave(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def _record(self, operation_id: str, count: int) -> models.Operation:
        status = self.final if count >= self.polls_to_finish else "Running"
        return models.Operation({"id": operation_id, "status": status, "type": "AddItem"})

    def get(self, operation_id: str, **kwargs: Any) -> models.Operation:
        count = self._enter(operation_id)
        try:
            time.sleep(self.delay)
        finally:
            self._leave()
        return self._record(operation_id, count)

    async def aget(self, operation_id: str, **kwargs: Any) -> models.Operation:
        count = self._enter(operation_id)
        try:
            await asyncio.sleep(self.delay)
            self.completed += 1
        finally:
            self._leave()
        return self._record(operation_id, count)


def fake_group(service: FakeService, polling_interval: float = 30) -> IngestionOperations:
    group = IngestionOperations(None, SimpleNamespace(polling_interval=polling_interval), None, None)
    group.get_operation = service.get  # type: ignore[method-assign]
    return group


def fake_async_group(service: FakeService, polling_interval: float = 30) -> AsyncIngestionOperations:
    group = AsyncIngestionOperations(None, SimpleNamespace(polling_interval=polling_interval), None, None)
    group.get_operation = service.aget  # type: ignore[method-assign]
    return group


@pytest.mark.parametrize("limit", [1, 3, 8])
def test_concurrency_is_bounded(limit: int) -> None:
    service = FakeService(polls_to_finish=2, delay=0.02)
    ids = [f"op-{i}" for i in range(12)]
    summary = fake_group(service).wait_for_operations(ids, polling_interval=0, max_concurrency=limit)
    assert len(summary.succeeded) == 12
    assert service.most_in_flight == limit
    assert all(count == 2 for count in service.calls.values())  # finished operations are not polled again


@pytest.mark.parametrize("limit", [1, 3, 8])
async def test_async_concurrency_is_bounded(limit: int) -> None:
    service = FakeService(polls_to_finish=2, delay=0.02)
    ids = [f"op-{i}" for i in range(12)]
    summary = await fake_async_group(service).wait_for_operations(ids, polling_interval=0, max_concurrency=limit)
    assert len(summary.succeeded) == 12
    assert service.most_in_flight == limit


def test_terminal_records_are_not_polled() -> None:
    service = FakeService()
    done = models.Operation({"id": "done", "status": "Failed"})
    summary = fake_group(service).wait_for_operations([done, "other"], polling_interval=0)
    assert "done" not in service.calls
    assert summary.operations[0] is done and len(summary.failed) == 1


def test_timeout_raises_with_the_pending_operations() -> None:
    service = FakeService(polls_to_finish=10**6)
    with pytest.raises(OperationsTimeoutError) as caught:
        fake_group(service).wait_for_operations(["a", "b"], polling_interval=0.05, timeout=0.2)
    assert isinstance(caught.value, TimeoutError)
    assert service.calls["a"] >= 2  # it kept polling until the deadline
    assert [op.id for op in caught.value.summary.pending] == ["a", "b"]
    assert "2 operation(s) still unfinished after 0.2 s: a (Running), b (Running)" in str(caught.value)


async def test_async_timeout_raises_with_the_pending_operations() -> None:
    service = FakeService(polls_to_finish=10**6)
    with pytest.raises(OperationsTimeoutError) as caught:
        await fake_async_group(service).wait_for_operations(["a"], polling_interval=0.05, timeout=0.15)
    assert [op.id for op in caught.value.summary.pending] == ["a"]


def test_default_polling_interval_is_the_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    from azure.planetarycomputer.operations import _ingestion_patch

    slept: List[float] = []
    monkeypatch.setattr(_ingestion_patch.time, "sleep", slept.append)
    fake_group(FakeService(polls_to_finish=3, delay=0), polling_interval=0.1).wait_for_operations(["a"])
    assert [s for s in slept if s] == [0.1, 0.1]  # two unfinished rounds, each followed by the client's interval


def test_progress_is_called_after_each_round() -> None:
    rounds: List[int] = []
    fake_group(FakeService(polls_to_finish=3)).wait_for_operations(
        ["a", "b"], polling_interval=0, progress=lambda s: rounds.append(len(s.pending))
    )
    assert rounds == [2, 2, 0]


def test_bad_arguments() -> None:
    group = fake_group(FakeService())
    with pytest.raises(ValueError, match="max_concurrency"):
        group.wait_for_operations(["a"], max_concurrency=0)
    with pytest.raises(TypeError, match="got int"):
        group.wait_for_operations([42])
    with pytest.raises(ValueError, match="empty"):
        group.wait_for_operations([""])


def test_a_failing_get_stops_the_wait() -> None:
    group = fake_group(FakeService())

    def broken(operation_id: str, **kwargs: Any) -> models.Operation:
        raise ResourceNotFoundError(message=f"no operation {operation_id}")

    group.get_operation = broken  # type: ignore[method-assign]
    with pytest.raises(ResourceNotFoundError, match="no operation a"):
        group.wait_for_operations(["a", "b"], polling_interval=0)


async def test_async_failing_get_cancels_the_others() -> None:
    service = FakeService(delay=0.5)
    group = fake_async_group(service)

    async def sometimes(operation_id: str, **kwargs: Any) -> models.Operation:
        if operation_id == "bad":
            raise ResourceNotFoundError(message="no operation bad")
        return await service.aget(operation_id)

    group.get_operation = sometimes  # type: ignore[method-assign]
    with pytest.raises(ResourceNotFoundError):
        await group.wait_for_operations(["slow-1", "bad", "slow-2"], polling_interval=0)
    assert service.in_flight == 0  # the slow fetches were cancelled, none left running
    assert service.completed == 0  # and none ran to completion
