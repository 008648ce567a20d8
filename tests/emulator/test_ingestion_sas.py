"""The emulator's ingestion, operations, SAS and blob endpoint, through our client.

Static catalogs are written into ``tmp_path`` (catalog -> collection -> items, relative hrefs) or
served by a small loopback ``http.server``; blobs are fetched with ``requests`` like any SAS URL.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
import time
import uuid
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, Optional
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential
from geocatalog_emulator import sas_api
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.source_policy import SourcePolicy
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

DONE = ("Succeeded", "Failed", "Canceled")
TIFF = b"II*\x00" + bytes(range(256)) * 40  # not a real GeoTIFF: bytes to compare
PNG = b"\x89PNG\r\n\x1a\n" + bytes(reversed(range(256))) * 4


# -- fixtures and helpers ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(geocatalog_emulator: Emulator) -> Iterator[PlanetaryComputerProClient]:  # noqa: F811
    # polling_interval on the client: passing it per call reaches the transport (see the report)
    with PlanetaryComputerProClient(
        geocatalog_emulator.endpoint, StaticTokenCredential(), retry_total=0, polling_interval=0.02
    ) as client:
        yield client


@pytest.fixture
def collection_id(geocatalog_emulator: Emulator) -> str:  # noqa: F811
    """A fresh collection, put straight into the store."""
    cid = f"ingest-{uuid.uuid4().hex[:8]}"
    geocatalog_emulator.app.store.put(
        "collection",
        "",
        cid,
        {
            "type": "Collection",
            "id": cid,
            "stac_version": "1.0.0",
            "description": "ingestion test",
            "license": "CC-BY-4.0",
            "extent": {"spatial": {"bbox": [[0, 0, 1, 1]]}, "temporal": {"interval": [[None, None]]}},
            "links": [],
        },
    )
    return cid


def write_json(path: Path, value: Dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value))


def stac_item(item_id: str, assets: Dict[str, str], title: str = "first") -> Dict[str, Any]:
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": item_id,
        "collection": "source-collection",
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]},
        "bbox": [0, 0, 1, 1],
        "properties": {"datetime": "2024-01-01T00:00:00Z", "title": title},
        "links": [{"rel": "self", "href": f"./{item_id}.json"}, {"rel": "parent", "href": "../collection.json"}],
        "assets": {key: {"href": href, "roles": ["data"]} for key, href in assets.items()},
    }


def write_catalog(
    root: Path, item_ids=("item-a", "item-b"), broken: Optional[str] = None, title: str = "first"
) -> Path:
    """catalog.json -> sub/collection.json -> sub/{id}/{id}.json with a tif beside it and a png in thumbs/.

    The ``broken`` item's tif is not written.
    """
    write_json(
        root / "catalog.json",
        {
            "type": "Catalog",
            "id": "root",
            "stac_version": "1.0.0",
            "description": "root",
            "links": [{"rel": "root", "href": "./catalog.json"}, {"rel": "child", "href": "./sub/collection.json"}],
        },
    )
    write_json(
        root / "sub" / "collection.json",
        {
            "type": "Collection",
            "id": "source-collection",
            "stac_version": "1.0.0",
            "description": "source",
            "license": "CC-BY-4.0",
            "extent": {"spatial": {"bbox": [[0, 0, 1, 1]]}, "temporal": {"interval": [[None, None]]}},
            "links": [{"rel": "item", "href": f"./{i}/{i}.json"} for i in item_ids],
        },
    )
    for item_id in item_ids:
        folder = root / "sub" / item_id
        write_json(
            folder / f"{item_id}.json",
            stac_item(item_id, {"data": "./data.tif", "thumbnail": f"../../thumbs/{item_id}.png"}, title),
        )
        if item_id != broken:
            (folder / "data.tif").write_bytes(TIFF + item_id.encode())
        (root / "thumbs").mkdir(exist_ok=True)
        (root / "thumbs" / f"{item_id}.png").write_bytes(PNG)
    return root / "catalog.json"


def wait_run(client: PlanetaryComputerProClient, cid: str, iid: str, run_id: str, timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        run = client.ingestion.get_run(cid, iid, run_id)
        if run.operation.status in DONE or time.monotonic() > deadline:
            return run
        time.sleep(0.02)


def ingest(client: PlanetaryComputerProClient, cid: str, url: str, **options: Any) -> Any:
    """Create an ingestion for ``url``, run it, wait; (definition, finished run)."""
    definition = client.ingestion.create(
        cid, {"importType": "StaticCatalog", "sourceCatalogUrl": url, "displayName": "test", **options}
    )
    run = client.ingestion.create_run(cid, definition.id)
    return definition, wait_run(client, cid, definition.id, run.id)


def absolute(emulator: Emulator, href: str) -> str:
    """Stored blob hrefs are host-relative (the STAC API makes them absolute per request)."""
    return emulator.endpoint + href if href.startswith("/") else href


def counts(run: Any) -> tuple:
    op = run.operation
    return op.total_items, op.total_successful_items, op.total_failed_items, op.total_pending_items


@pytest.fixture(scope="module")
def ingested(
    client: PlanetaryComputerProClient,
    geocatalog_emulator: Emulator,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Dict[str, Any]:
    """One collection with a crawled two-item catalog: ids, source folder and the blob hrefs of item-a."""
    cid = f"crawl-{uuid.uuid4().hex[:8]}"
    geocatalog_emulator.app.store.put(
        "collection", "", cid, {"type": "Collection", "id": cid, "description": "d", "license": "l", "extent": {}}
    )
    root = tmp_path_factory.mktemp("catalog")
    definition, run = ingest(client, cid, str(write_catalog(root)))
    item = geocatalog_emulator.app.store.get("item", cid, "item-a")
    return {"cid": cid, "root": root, "definition": definition, "run": run, "item": item}


# -- operations ----------------------------------------------------------------------------------------


def test_operation_get_and_missing(client: PlanetaryComputerProClient, ingested: Dict[str, Any]) -> None:
    op = client.ingestion.get_operation(ingested["run"].operation.id)
    assert op.status == "Succeeded"
    assert op.type == "IngestionStaticCatalog"
    assert op.collection_id == ingested["cid"]
    assert [h.status for h in op.status_history] == ["Pending", "Running", "Finished"]
    assert op.additional_information == {
        "TotalFailedItems": "0",
        "TotalItems": "2",
        "TotalPendingItems": "0",
        "TotalSuccessfulItems": "2",
    }  # the service names neither the ingestion nor the run here
    with pytest.raises(ResourceNotFoundError):
        client.ingestion.get_operation(str(uuid.uuid4()))


def test_operations_paged_and_filtered(
    client: PlanetaryComputerProClient,
    geocatalog_emulator: Emulator,  # noqa: F811
    collection_id: str,
) -> None:
    app = geocatalog_emulator.app
    ids = {app.operations.start("Test", lambda: None, collection_id=collection_id)["id"] for _ in range(3)}
    app.operations.wait_idle()
    pages = [list(page) for page in client.ingestion.list_operations(top=2, collection_id=collection_id).by_page()]
    assert [len(page) for page in pages] == [2, 1]
    assert {op.id for page in pages for op in page} == ids
    assert {op.id for op in client.ingestion.list_operations(collection_id=collection_id, status="Succeeded")} == ids
    assert not list(client.ingestion.list_operations(collection_id=collection_id, status="Failed"))
    raw = requests.get(
        f"{geocatalog_emulator.endpoint}/inma/operations",
        params={"api-version": "2026-04-15", "$top": "1", "collectionId": collection_id},
        headers={"Authorization": "Bearer x"},
        timeout=10,
    ).json()
    query = parse_qs(urlsplit(raw["nextLink"]).query)
    assert query["$skip"] == ["1"] and query["$top"] == ["1"] and query["collectionId"] == [collection_id]


def test_cancel_operation_and_cancel_all(
    client: PlanetaryComputerProClient,
    geocatalog_emulator: Emulator,  # noqa: F811
    collection_id: str,
) -> None:
    app, gate = geocatalog_emulator.app, threading.Event()
    try:
        first, second, third = (
            app.operations.start("Test", lambda: gate.wait(10), collection_id=collection_id) for _ in range(3)
        )
        assert client.ingestion.cancel_operation(first["id"]) is None
        assert client.ingestion.get_operation(first["id"]).status == "Canceled"
        assert client.ingestion.get_operation(second["id"]).status in ("Pending", "Running")
        client.ingestion.cancel_all_operations()
        assert {client.ingestion.get_operation(op["id"]).status for op in (second, third)} == {"Canceled"}
        with pytest.raises(ResourceNotFoundError):
            client.ingestion.cancel_operation(str(uuid.uuid4()))
    finally:
        gate.set()
    app.operations.wait_idle()


# -- ingestion sources -----------------------------------------------------------------------------------


def test_sas_token_source_crud(client: PlanetaryComputerProClient) -> None:
    container = f"https://account.blob.core.windows.net/{uuid.uuid4().hex}"
    body = {
        "id": str(uuid.uuid4()),
        "kind": "SasToken",
        "connectionInfo": {
            "containerUrl": container,
            "sasToken": "sv=2021-01-01&se=2030-01-02T03:04:05Z&sr=c&sp=rl&sig=x",
        },
    }
    created = client.ingestion.create_source(body)
    wire = created.as_dict()
    assert wire["kind"] == "SasToken" and wire["id"] == body["id"] and wire["created"]
    assert wire["connectionInfo"] == {"containerUrl": container, "expiration": "2030-01-02T03:04:05.0000000Z"}
    fetched = client.ingestion.get_source(body["id"])
    assert "sasToken" not in fetched.as_dict()["connectionInfo"]
    assert fetched.connection_info.expiration == dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    with pytest.raises(HttpResponseError) as conflict:  # one source per container
        client.ingestion.create_source({**body, "id": str(uuid.uuid4())})
    assert conflict.value.status_code == 409

    replaced = client.ingestion.replace_source(
        body["id"], {**body, "connectionInfo": {"containerUrl": container, "sasToken": "se=2031-05-06&sig=y"}}
    )
    assert replaced.as_dict()["connectionInfo"]["expiration"] == "2031-05-06T00:00:00.0000000Z"
    assert "created" not in replaced.as_dict()  # the service's replace answer has none; reads do
    assert client.ingestion.get_source(body["id"]).as_dict()["created"] == wire["created"]
    summaries = {s.id: s for s in client.ingestion.list_sources()}
    assert summaries[body["id"]].as_dict() == {"id": body["id"], "kind": "SasToken", "created": wire["created"]}

    assert client.ingestion.delete_source(body["id"]) is None
    with pytest.raises(ResourceNotFoundError):
        client.ingestion.get_source(body["id"])
    with pytest.raises(ResourceNotFoundError):
        client.ingestion.delete_source(body["id"])


def test_managed_identity_source_and_identities(client: PlanetaryComputerProClient) -> None:
    identities = list(client.ingestion.list_managed_identities())
    assert len(identities) == 1 and identities[0].resource_id.startswith("/subscriptions/")
    container = f"https://account.blob.core.windows.net/{uuid.uuid4().hex}"
    created = client.ingestion.create_source(
        {
            "kind": "BlobManagedIdentity",
            "connectionInfo": {"containerUrl": container, "objectId": identities[0].object_id},
        }
    )
    uuid.UUID(created.id)  # the service fills in an id when none is sent
    assert created.as_dict()["connectionInfo"] == {"containerUrl": container, "objectId": identities[0].object_id}
    assert client.ingestion.get_source(created.id).kind == "BlobManagedIdentity"
    with pytest.raises(HttpResponseError) as bad:
        client.ingestion.create_source(
            {"kind": "BlobManagedIdentity", "connectionInfo": {"containerUrl": container + "x"}}
        )
    assert bad.value.status_code == 400
    client.ingestion.delete_source(created.id)


def test_sources_paged(client: PlanetaryComputerProClient) -> None:
    ids = set()
    for _ in range(3):
        container = f"https://account.blob.core.windows.net/{uuid.uuid4().hex}"
        ids.add(
            client.ingestion.create_source(
                {"kind": "SasToken", "connectionInfo": {"containerUrl": container, "sasToken": "sig=z"}}
            ).id
        )
    pages = [list(page) for page in client.ingestion.list_sources(top=2).by_page()]
    assert all(len(page) <= 2 for page in pages) and len(pages) >= 2
    assert ids <= {source.id for page in pages for source in page}
    for source_id in ids:
        client.ingestion.delete_source(source_id)


# -- ingestion definitions ---------------------------------------------------------------------------


def test_ingestion_definition_crud(client: PlanetaryComputerProClient, collection_id: str) -> None:
    url = "https://example.com/catalog.json"
    created = client.ingestion.create(
        collection_id, {"importType": "StaticCatalog", "sourceCatalogUrl": url, "displayName": "first"}
    )
    assert created.status == "Ready" and created.import_type == "StaticCatalog"
    assert created.skip_existing_items is False and created.keep_original_assets is False
    assert isinstance(created.creation_time, dt.datetime)
    assert client.ingestion.get(collection_id, created.id).as_dict() == created.as_dict()
    updated = client.ingestion.update(collection_id, created.id, {"displayName": "renamed", "skipExistingItems": True})
    assert (updated.display_name, updated.skip_existing_items, updated.source_catalog_url) == ("renamed", True, url)
    assert [d.id for d in client.ingestion.list(collection_id)] == [created.id]
    with pytest.raises(HttpResponseError) as bad:
        client.ingestion.create(collection_id, {"importType": "StaticCatalog"})
    assert bad.value.status_code == 400
    with pytest.raises(ResourceNotFoundError):
        client.ingestion.create("no-such-collection", {"importType": "StaticCatalog", "sourceCatalogUrl": url})

    assert client.ingestion.begin_delete(collection_id, created.id).result() is None
    with pytest.raises(ResourceNotFoundError):
        client.ingestion.get(collection_id, created.id)


def test_ingestion_delete_removes_runs(client: PlanetaryComputerProClient, collection_id: str, tmp_path: Path) -> None:
    definition, run = ingest(client, collection_id, str(write_catalog(tmp_path, ("only",))))
    assert [r.id for r in client.ingestion.list_runs(collection_id, definition.id)] == [run.id]
    poller = client.ingestion.begin_delete(collection_id, definition.id)
    poller.result()
    assert poller.status() == "Succeeded"
    with pytest.raises(ResourceNotFoundError):
        client.ingestion.get_run(collection_id, definition.id, run.id)


# -- crawling -----------------------------------------------------------------------------------------


def test_run_crawls_static_catalog(
    client: PlanetaryComputerProClient,
    geocatalog_emulator: Emulator,  # noqa: F811
    ingested: Dict[str, Any],
) -> None:
    run, cid, item = ingested["run"], ingested["cid"], ingested["item"]
    assert run.operation.status == "Succeeded"
    assert counts(run) == (2, 2, 0, 0)
    assert run.source_catalog_url.endswith("catalog.json") and run.skip_existing_items is False
    assert client.ingestion.get_run(cid, ingested["definition"].id, run.id).as_dict() == run.as_dict()
    assert item["collection"] == cid
    assert not {link["rel"] for link in item["links"]} & {"self", "parent", "root", "collection"}
    assert item["assets"]["data"]["href"] == f"/blobs/{cid}/item-a/data.tif"
    assert item["assets"]["thumbnail"]["href"] == f"/blobs/{cid}/item-a/thumbnail.png"
    assert geocatalog_emulator.app.store.get("item", cid, "item-b") is not None


def test_run_record_shape(geocatalog_emulator: Emulator, ingested: Dict[str, Any]) -> None:  # noqa: F811
    raw = requests.get(
        f"{geocatalog_emulator.endpoint}/inma/collections/{ingested['cid']}/ingestions/"
        f"{ingested['definition'].id}/runs",
        params={"api-version": "2026-04-15"},
        headers={"Authorization": "Bearer x"},
        timeout=10,
    ).json()
    (run,) = raw["value"]
    assert list(run) == [
        "id",
        "creationTime",
        "sourceCatalogUrl",
        "skipExistingItems",
        "keepOriginalAssets",
        "operation",
    ]
    assert list(run["operation"]) == [
        "id", "status", "statusHistory", "creationTime", "startTime", "finishTime",
        "totalItems", "totalPendingItems", "totalSuccessfulItems", "totalFailedItems",
    ]  # fmt: skip


def test_blob_needs_a_valid_sas(
    client: PlanetaryComputerProClient,
    geocatalog_emulator: Emulator,  # noqa: F811
    ingested: Dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    href = absolute(geocatalog_emulator, ingested["item"]["assets"]["data"]["href"])
    source = (ingested["root"] / "sub" / "item-a" / "data.tif").read_bytes()

    unsigned = requests.get(href, timeout=10)
    assert unsigned.status_code == 403 and unsigned.headers["x-ms-error-code"] == "AuthenticationFailed"

    signed = client.sas.get_url(href=href)
    assert signed.expires_on > dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=23)
    response = requests.get(signed.href, timeout=10)
    assert response.status_code == 200 and response.content == source
    assert response.headers["Content-Type"] == "image/tiff; application=geotiff"
    assert response.headers["Content-Length"] == str(len(source))

    token = client.sas.get_token(ingested["cid"], duration_in_minutes=5)
    assert dt.timedelta(minutes=4) < token.expires_on - dt.datetime.now(dt.timezone.utc) <= dt.timedelta(minutes=5)
    assert requests.get(f"{href}?{token.token}", timeout=10).content == source

    tampered = signed.href[:-3] + ("AAA" if not signed.href.endswith("AAA") else "BBB")
    assert requests.get(tampered, timeout=10).status_code == 403
    other = client.sas.get_token(ingested["cid"]).token.replace("sp=rl", "sp=rwl")
    assert requests.get(f"{href}?{other}", timeout=10).status_code == 403  # permissions are signed too

    real_now = sas_api.utcnow
    monkeypatch.setattr(sas_api, "utcnow", lambda: real_now() + dt.timedelta(minutes=6))
    expired = requests.get(f"{href}?{token.token}", timeout=10)
    assert expired.status_code == 403 and "expired" in expired.text
    assert requests.get(signed.href, timeout=10).status_code == 200  # the 24 h link still works
    monkeypatch.undo()

    client.sas.revoke_token()
    revoked = requests.get(signed.href, timeout=10)
    assert revoked.status_code == 403 and "revoked" in revoked.text
    assert requests.get(f"{href}?{token.token}", timeout=10).status_code == 403
    assert requests.get(client.sas.get_url(href=href).href, timeout=10).status_code == 200


def test_blob_ranges_head_and_errors(
    client: PlanetaryComputerProClient,
    geocatalog_emulator: Emulator,  # noqa: F811
    ingested: Dict[str, Any],
) -> None:
    href = absolute(geocatalog_emulator, ingested["item"]["assets"]["data"]["href"])
    source = (ingested["root"] / "sub" / "item-a" / "data.tif").read_bytes()
    signed = client.sas.get_url(href=href).href

    part = requests.get(signed, headers={"Range": "bytes=10-19"}, timeout=10)
    assert part.status_code == 206 and part.content == source[10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{len(source)}"
    tail = requests.get(signed, headers={"Range": "bytes=-5"}, timeout=10)
    assert tail.status_code == 206 and tail.content == source[-5:]
    assert requests.get(signed, headers={"Range": f"bytes={len(source)}-"}, timeout=10).status_code == 416

    head = requests.head(signed, timeout=10)
    assert head.status_code == 200 and head.headers["Content-Length"] == str(len(source)) and head.content == b""
    png = client.sas.get_url(href=absolute(geocatalog_emulator, ingested["item"]["assets"]["thumbnail"]["href"]))
    assert requests.get(png.href, timeout=10).headers["Content-Type"] == "image/png"

    missing = client.sas.get_url(href=href.replace("data.tif", "nothing.tif")).href
    response = requests.get(missing, timeout=10)
    assert response.status_code == 404 and response.headers["x-ms-error-code"] == "BlobNotFound"
    other_container = client.sas.get_url(href=href.replace(f"/blobs/{ingested['cid']}/", "/blobs/elsewhere/")).href
    token = parse_qs(urlsplit(other_container).query)["sig"][0]
    assert requests.get(signed.split("sig=")[0] + "sig=" + token, timeout=10).status_code == 403


def test_sign_replaces_sas_and_leaves_other_hrefs(
    client: PlanetaryComputerProClient,
    geocatalog_emulator: Emulator,  # noqa: F811
    ingested: Dict[str, Any],
) -> None:
    href = absolute(geocatalog_emulator, ingested["item"]["assets"]["data"]["href"]) + "?keep=1"
    once = client.sas.get_url(href=href).href
    twice = client.sas.get_url(href=once).href
    query = parse_qs(urlsplit(twice).query)
    assert len(query["sig"]) == 1 and query["keep"] == ["1"] and query["sr"] == ["c"]
    assert requests.get(twice, timeout=10).status_code == 200
    assert geocatalog_emulator.app.sign(once).count("sig=") == 1
    stored = ingested["item"]["assets"]["data"]["href"]  # host-relative, as stored
    assert requests.get(absolute(geocatalog_emulator, geocatalog_emulator.app.sign(stored, 5)), timeout=10).ok

    other = client.sas.get_url(href="https://example.com/a.tif?x=1")
    assert other.href == "https://example.com/a.tif?x=1"  # not a blob of this catalog: unchanged
    assert other.expires_on is not None and other.expires_on > dt.datetime.now(dt.timezone.utc)
    with pytest.raises(ResourceNotFoundError):
        client.sas.get_token("no-such-collection")
    with pytest.raises(HttpResponseError) as bad:
        client.sas.get_token(ingested["cid"], duration_in_minutes=0)
    assert bad.value.status_code == 400


def test_cog_reader_over_signed_url(
    client: PlanetaryComputerProClient,
    geocatalog_emulator: Emulator,  # noqa: F811
    collection_id: str,
    tmp_path: Path,
) -> None:
    rasterio = pytest.importorskip("rasterio")
    import numpy as np
    from affine import Affine

    folder = tmp_path / "cog" / "item"
    folder.mkdir(parents=True)
    data = np.arange(64 * 64, dtype="uint16").reshape(64, 64)
    profile = dict(driver="GTiff", width=64, height=64, count=1, dtype="uint16", crs="EPSG:4326", tiled=True)
    with rasterio.open(
        folder / "cog.tif", "w", transform=Affine(1 / 64, 0, 0, 0, -1 / 64, 1), blockxsize=32, blockysize=32, **profile
    ) as dst:
        dst.write(data, 1)
    write_json(folder / "item.json", stac_item("cog-item", {"image": "./cog.tif"}))
    _, run = ingest(client, collection_id, str(folder / "item.json"))
    assert run.operation.status == "Succeeded"
    href = geocatalog_emulator.app.store.get("item", collection_id, "cog-item")["assets"]["image"]["href"]
    signed = client.sas.get_url(href=absolute(geocatalog_emulator, href)).href
    with rasterio.Env(GDAL_DISABLE_READDIR_ON_OPEN="EMPTY_DIR", GDAL_HTTP_MAX_RETRY="0"):
        with rasterio.open(f"/vsicurl/{signed}") as src:
            assert (src.read(1) == data).all()


def test_run_with_broken_asset_reports_failed_item(
    client: PlanetaryComputerProClient,
    geocatalog_emulator: Emulator,  # noqa: F811
    collection_id: str,
    tmp_path: Path,
) -> None:
    _, run = ingest(client, collection_id, write_catalog(tmp_path, ("good", "bad"), broken="bad").as_uri())
    assert run.operation.status == "Failed"
    assert counts(run) == (2, 1, 1, 0)
    last = run.operation.status_history[-1]
    assert last.status == "Failed" and last.error_code == "IngestionResourceUriNotFound"
    assert "1 of 2 items failed" in last.error_message and "'bad'" in last.error_message
    op = client.ingestion.get_operation(run.operation.id)
    assert op.error is not None
    store = geocatalog_emulator.app.store
    assert store.get("item", collection_id, "good") is not None and store.get("item", collection_id, "bad") is None


def test_run_with_missing_catalog_or_child_fails(
    client: PlanetaryComputerProClient, collection_id: str, tmp_path: Path
) -> None:
    _, run = ingest(client, collection_id, str(tmp_path / "absent.json"))
    assert run.operation.status == "Failed" and counts(run) == (0, 0, 0, 0)
    assert run.operation.status_history[-1].error_code == "IngestionResourceUriNotFound"

    catalog = json.loads(write_catalog(tmp_path, ("fine",)).read_text())
    catalog["links"].append({"rel": "child", "href": "./gone/catalog.json"})
    write_json(tmp_path / "catalog.json", catalog)
    _, run = ingest(client, collection_id, str(tmp_path / "catalog.json"))
    assert run.operation.status == "Failed" and counts(run) == (1, 1, 0, 0)
    assert run.operation.status_history[-1].error_message.startswith("A linked catalog could not be read.")


def test_skip_existing_and_keep_original_assets(
    client: PlanetaryComputerProClient,
    geocatalog_emulator: Emulator,  # noqa: F811
    collection_id: str,
    tmp_path: Path,
) -> None:
    store = geocatalog_emulator.app.store
    catalog = str(write_catalog(tmp_path, ("one",), title="first"))
    ingest(client, collection_id, catalog)
    write_catalog(tmp_path, ("one",), title="second")

    definition, run = ingest(client, collection_id, catalog, skipExistingItems=True)
    assert run.operation.status == "Succeeded" and counts(run) == (1, 1, 0, 0)
    assert store.get("item", collection_id, "one")["properties"]["title"] == "first"

    client.ingestion.update(collection_id, definition.id, {"skipExistingItems": False, "keepOriginalAssets": True})
    again = client.ingestion.create_run(collection_id, definition.id)
    assert wait_run(client, collection_id, definition.id, again.id).operation.status == "Succeeded"
    item = store.get("item", collection_id, "one")
    assert item["properties"]["title"] == "second"
    assert item["assets"]["data"]["href"] == (tmp_path / "sub" / "one" / "data.tif").as_uri()
    assert {r.id for r in client.ingestion.list_runs(collection_id, definition.id, top=1)} == {run.id, again.id}


def test_item_collection_file(
    client: PlanetaryComputerProClient,
    geocatalog_emulator: Emulator,  # noqa: F811
    collection_id: str,
    tmp_path: Path,
) -> None:
    (tmp_path / "a.tif").write_bytes(TIFF)
    features = [stac_item("fc-1", {"data": "./a.tif"}), {"type": "Feature", "id": "no-geometry"}]
    write_json(tmp_path / "items.json", {"type": "FeatureCollection", "features": features})
    _, run = ingest(client, collection_id, str(tmp_path / "items.json"))
    assert counts(run) == (2, 1, 1, 0)
    assert run.operation.status_history[-1].error_code == "StacValidationFailed"
    assert geocatalog_emulator.app.store.blob_path(collection_id, "fc-1/data.tif").read_bytes() == TIFF


# -- http(s) sources ------------------------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    gate: Optional[threading.Event] = None
    entered: Optional[threading.Event] = None

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.gate is not None and self.path.endswith("/slow.json"):
            assert self.entered is not None
            self.entered.set()
            self.gate.wait(10)
        super().do_GET()


@pytest.fixture
def http_root(
    tmp_path: Path,
    geocatalog_emulator: Emulator,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple]:
    """(base URL, folder, handler class) of a loopback static file server over ``tmp_path``, a
    host the emulator is allowed to read from for the test (loopback is refused by default)."""
    sources = geocatalog_emulator.app.sources
    monkeypatch.setattr(geocatalog_emulator.app, "sources", SourcePolicy(sources.folders, ["127.0.0.1"]))
    handler = type("Handler", (_QuietHandler,), {"gate": threading.Event(), "entered": threading.Event()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path, handler
    finally:
        handler.gate.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_http_source_catalog(
    client: PlanetaryComputerProClient,
    geocatalog_emulator: Emulator,  # noqa: F811
    collection_id: str,
    http_root: tuple,
) -> None:
    base, folder, _ = http_root
    write_catalog(folder, ("web-1", "web-2"))
    _, run = ingest(client, collection_id, f"{base}/catalog.json")
    assert run.operation.status == "Succeeded" and counts(run) == (2, 2, 0, 0)
    path = geocatalog_emulator.app.store.blob_path(collection_id, "web-2/data.tif")
    assert path.read_bytes() == (folder / "sub" / "web-2" / "data.tif").read_bytes()


def test_cancel_running_crawl(
    client: PlanetaryComputerProClient,
    geocatalog_emulator: Emulator,  # noqa: F811
    collection_id: str,
    http_root: tuple,
) -> None:
    base, folder, handler = http_root
    write_catalog(folder, ("fast",))
    write_json(folder / "sub" / "slow.json", stac_item("slow", {}))
    write_json(
        folder / "two.json",
        {
            "type": "Catalog",
            "id": "two",
            "description": "d",
            "stac_version": "1.0.0",
            "links": [{"rel": "item", "href": "./sub/slow.json"}, {"rel": "item", "href": "./sub/fast/fast.json"}],
        },
    )
    definition = client.ingestion.create(
        collection_id, {"importType": "StaticCatalog", "sourceCatalogUrl": f"{base}/two.json"}
    )
    run = client.ingestion.create_run(collection_id, definition.id)
    assert handler.entered.wait(10)
    client.ingestion.cancel_operation(run.operation.id)
    handler.gate.set()
    assert wait_run(client, collection_id, definition.id, run.id).operation.status == "Canceled"
    deadline = time.monotonic() + 10  # the item in flight finishes; the crawl stops before the next one
    while client.ingestion.get_run(collection_id, definition.id, run.id).operation.total_pending_items == 2:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    time.sleep(0.2)
    finished = client.ingestion.get_run(collection_id, definition.id, run.id)
    assert finished.operation.status == "Canceled"
    assert counts(finished) == (2, 1, 0, 1)
    assert geocatalog_emulator.app.store.get("item", collection_id, "fast") is None
    with pytest.raises(ResourceNotFoundError):
        client.ingestion.create_run(collection_id, "not-an-ingestion")


# -- the async client ---------------------------------------------------------------------------------


async def test_async_client_runs_and_signs(
    geocatalog_emulator: Emulator,  # noqa: F811
    ingested: Dict[str, Any],
) -> None:
    from azure.planetarycomputer.aio import AsyncStaticTokenCredential
    from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncClient

    cid, definition = ingested["cid"], ingested["definition"]
    async with AsyncClient(geocatalog_emulator.endpoint, AsyncStaticTokenCredential(), retry_total=0) as client:
        runs = [run async for run in client.ingestion.list_runs(cid, definition.id)]
        assert [run.id for run in runs] == [ingested["run"].id]
        operation = await client.ingestion.get_operation(runs[0].operation.id)
        assert operation.status == "Succeeded"
        href = absolute(geocatalog_emulator, ingested["item"]["assets"]["thumbnail"]["href"])
        signed = await client.sas.get_url(href=href, duration_in_minutes=10)
    assert requests.get(signed.href, timeout=10).content == PNG
