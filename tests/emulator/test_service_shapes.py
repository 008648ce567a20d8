"""The emulator answers with the service's shapes: operation records, content types, headers, versions.

Each expectation here is what the real GeoCatalog sends (its recorded answers), quirks included;
the emulator's docs say where a quirk is kept on purpose.
"""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, List

import pytest
import requests
import yaml
from azure.core.exceptions import HttpResponseError

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential
from geocatalog_emulator import Emulator
from geocatalog_emulator.stac_openapi import DOCUMENT, convert
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

from .test_stac_api import collection_body, item_body, make_collection, raw, unique, wait_operation

REPO = Path(__file__).resolve().parents[2]
GEOJSON = "application/geo+json"


@pytest.fixture(scope="module")
def emulator(geocatalog_emulator: Emulator) -> Emulator:  # noqa: F811
    return geocatalog_emulator


@pytest.fixture(scope="module")
def client(emulator: Emulator) -> Iterator[PlanetaryComputerProClient]:
    with PlanetaryComputerProClient(
        emulator.endpoint, StaticTokenCredential(), retry_total=0, polling_interval=0.02
    ) as client:
        yield client


@contextmanager
def operations_held(emulator: Emulator) -> Iterator[None]:
    """Operations started inside stay Pending: every worker of the emulator's pool waits meanwhile."""
    gate = threading.Event()
    operations = emulator.app.operations
    for _ in range(operations._pool._max_workers):
        operations._pool.submit(gate.wait, 10)
    try:
        yield
    finally:
        gate.set()


def refs(value: Any) -> List[str]:
    if isinstance(value, dict):
        return ([value["$ref"]] if "$ref" in value else []) + [r for v in value.values() for r in refs(v)]
    if isinstance(value, list):
        return [r for v in value for r in refs(v)]
    return []


# -- operation records -------------------------------------------------------------------------------


def test_succeeded_operations_history_ends_with_finished(emulator: Emulator) -> None:
    collection_id = unique("ops")
    op = wait_operation(emulator, raw(emulator, "POST", "/stac/collections", json=collection_body(collection_id)))
    assert (op["status"], op["type"]) == ("Succeeded", "AddCollection")
    assert [h["status"] for h in op["statusHistory"]] == ["Pending", "Running", "Finished"]
    assert "startTime" not in op and "finishTime" not in op  # collection operations are untimed
    assert "error" not in op

    path = f"/stac/collections/{collection_id}/items"
    batch = {"type": "FeatureCollection", "features": [item_body("a"), item_body("b"), item_body("c")]}
    op = wait_operation(emulator, raw(emulator, "POST", path, json=batch))
    assert (op["status"], op["type"]) == ("Succeeded", "AddItem")
    assert op["statusHistory"][-1]["status"] == "Finished" and "startTime" in op and "finishTime" in op
    assert op["additionalInformation"] == {
        "TotalFailedItems": "0",
        "TotalItems": "3",
        "TotalPendingItems": "0",
        "TotalSuccessfulItems": "3",
    }

    op = wait_operation(emulator, raw(emulator, "DELETE", f"{path}/b"))
    assert op["type"] == "DeleteItem" and op["additionalInformation"]["TotalSuccessfulItems"] == "1"

    op = wait_operation(emulator, raw(emulator, "DELETE", f"/stac/collections/{collection_id}"))
    assert op["type"] == "DeleteCollection" and "startTime" not in op and "finishTime" not in op


def test_item_operation_counts_its_items_once_it_runs(emulator: Emulator, client: PlanetaryComputerProClient) -> None:
    collection_id = make_collection(client, "pending")
    with operations_held(emulator):  # the create answers with the Pending record: no counts yet
        accepted = raw(emulator, "POST", f"/stac/collections/{collection_id}/items", json=item_body("p"))
        assert accepted.status_code == 202 and "additionalInformation" not in accepted.json()
    assert wait_operation(emulator, accepted)["additionalInformation"]["TotalSuccessfulItems"] == "1"

    operations, gate = emulator.app.operations, threading.Event()
    op = operations.start("AddItem", lambda: gate.wait(10) and None, collection_id=collection_id, items=3)
    deadline = time.monotonic() + 10
    while operations.get(op["id"])["status"] != "Running" and time.monotonic() < deadline:
        time.sleep(0.01)
    running = operations.get(op["id"])["additionalInformation"]
    gate.set()
    assert running == {
        "TotalFailedItems": "0",
        "TotalItems": "3",
        "TotalPendingItems": "3",
        "TotalSuccessfulItems": "0",
    }
    operations.wait_idle()
    assert operations.get(op["id"])["additionalInformation"]["TotalSuccessfulItems"] == "3"


def test_failed_operation_wraps_its_error_and_the_client_reads_it(
    emulator: Emulator,
    client: PlanetaryComputerProClient,
) -> None:
    collection_id = make_collection(client, "failing")
    op = wait_operation(
        emulator,
        raw(
            emulator,
            "POST",
            f"/stac/collections/{collection_id}/items",
            json={**item_body("x"), "geometry": None},
        ),
    )
    assert op["status"] == "Failed"
    assert set(op["error"]) == {"error"} and op["error"]["error"]["code"] == "InvalidItem"
    last = op["statusHistory"][-1]
    assert (last["status"], last["errorCode"]) == ("Failed", "InvalidItem")
    assert last["errorMessage"] == op["error"]["error"]["message"]
    assert op["additionalInformation"]["TotalFailedItems"] == "1"

    record = client.ingestion.get_operation(op["id"])
    assert (record.error.code, record.error.message) == ("InvalidItem", last["errorMessage"])

    client.stac.begin_create_item(collection_id, item_body("taken")).result()
    with pytest.raises(HttpResponseError) as failed:
        client.stac.begin_create_item(collection_id, item_body("taken")).result()
    assert failed.value.error is not None and failed.value.error.code == "ItemAlreadyExistsInCollection"


def test_canceled_operation_reports_canceled_operation(emulator: Emulator, client: PlanetaryComputerProClient) -> None:
    collection_id = make_collection(client, "cancel")
    with operations_held(emulator):  # the operation stays Pending until canceled
        accepted = raw(emulator, "POST", f"/stac/collections/{collection_id}/items", json=item_body("c"))
        op_id = accepted.json()["id"]
        assert raw(emulator, "DELETE", f"/inma/operations/{op_id}").status_code == 204
    op = raw(emulator, "GET", f"/inma/operations/{op_id}").json()
    assert op["status"] == "Canceled" and "error" not in op
    last = op["statusHistory"][-1]
    assert (last["status"], last["errorCode"]) == ("Canceled", "CanceledOperation") and last["errorMessage"]


# -- errors --------------------------------------------------------------------------------------------------


def test_missing_collection_and_item_are_resource_not_found(
    emulator: Emulator, client: PlanetaryComputerProClient
) -> None:
    missing = unique("missing")
    response = raw(emulator, "GET", f"/stac/collections/{missing}")
    assert response.status_code == 404 and response.headers["x-ms-error-code"] == "ResourceNotFound"
    assert response.json() == {
        "error": {
            "code": "ResourceNotFound",
            "message": f"Collection '{missing}' not found. Please verify the collection ID and try again.",
        }
    }
    collection_id = make_collection(client, "notfound")
    response = raw(emulator, "GET", f"/stac/collections/{collection_id}/items/nope")
    assert response.status_code == 404 and response.json()["error"]["code"] == "ResourceNotFound"
    assert (
        raw(emulator, "GET", f"/data/mosaic/collections/{missing}/info").json()["error"]["code"] == "ResourceNotFound"
    )


# -- content types, links, headers -----------------------------------------------------------------------------


def test_items_and_searches_are_geojson_queryables_a_json_schema(
    emulator: Emulator, client: PlanetaryComputerProClient
) -> None:
    collection_id = make_collection(client, "types")
    client.stac.begin_create_item(collection_id, item_body("t")).result()
    base = f"/stac/collections/{collection_id}"
    for method, path, body in [
        ("GET", f"{base}/items/t", None),
        ("GET", f"{base}/items", None),
        ("GET", "/stac/search", None),
        ("POST", "/stac/search", {"collections": [collection_id]}),
    ]:
        response = raw(
            emulator,
            method,
            path,
            json=body,
            params={"collections": collection_id} if method == "GET" and path.endswith("search") else {},
        )
        assert response.status_code == 200 and response.headers["Content-Type"] == GEOJSON, (method, path)
    assert raw(emulator, "GET", base).headers["Content-Type"] == "application/json"

    for path in ("/stac/queryables", f"{base}/queryables"):
        response = raw(emulator, "GET", path)
        assert response.headers["Content-Type"] == "application/schema+json"
        properties = response.json()["properties"]
        assert properties["id"]["$ref"].startswith(
            "https://schemas.stacspec.org/v1.0.0/item-spec/json-schema/item.json#"
        )
        assert properties["geometry"]["$ref"] == "https://geojson.org/schema/Feature.json"
    assert client.stac.get_collection_queryables(collection_id)["properties"]["id"]["title"] == "Item ID"


def test_landing_page_links_a_served_openapi_description(emulator: Emulator) -> None:
    links = {link["rel"]: link for link in raw(emulator, "GET", "/stac/").json()["links"]}
    desc, doc = links["service-desc"], links["service-doc"]
    assert desc["href"] == f"{emulator.endpoint}/stac/openapi.json"
    assert doc["href"] == f"{emulator.endpoint}/stac/docs" and doc["type"] == "text/html"
    served = requests.get(desc["href"], headers={"Accept": desc["type"]}, timeout=10)  # no token needed
    assert served.status_code == 200 and served.headers["Content-Type"] == desc["type"]
    openapi = served.json()
    assert openapi["openapi"].startswith("3.0") and openapi["servers"] == [{"url": emulator.endpoint}]
    assert {"/stac/search", "/stac/collections/{collectionId}/items"} <= set(openapi["paths"])
    assert "requestBody" in openapi["paths"]["/stac/search"]["post"]
    page = requests.get(doc["href"], timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "/stac/search" in page.text
    assert requests.get(f"{emulator.endpoint}/openapi.json", timeout=10).json()["paths"] == openapi["paths"]
    assert requests.get(f"{emulator.endpoint}/stac/collections", timeout=10).status_code == 401


def test_shipped_openapi_document_is_made_from_the_api_definition() -> None:
    swagger = yaml.safe_load((REPO / "swagger" / "planetarycomputer.yaml").read_text(encoding="utf-8"))
    assert json.loads(DOCUMENT.read_text(encoding="utf-8")) == convert(swagger), (
        "stale: run python -m geocatalog_emulator.stac_openapi swagger/planetarycomputer.yaml"
    )
    document = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    found = refs(document)
    assert found and all(r.startswith("#/components/schemas/") for r in found)
    assert {r.rsplit("/", 1)[-1] for r in found} <= set(document["components"]["schemas"])


def test_head_on_stac_routes_is_the_get_without_a_body(emulator: Emulator, client: PlanetaryComputerProClient) -> None:
    collection_id = make_collection(client, "head")
    for path in (
        "/stac/",
        f"/stac/collections/{collection_id}",
        f"/stac/collections/{collection_id}/items",
        "/stac/conformance",
    ):
        got, head = raw(emulator, "GET", path), raw(emulator, "HEAD", path)
        assert head.status_code == 200 and head.content == b"", path
        assert head.headers["Content-Type"] == got.headers["Content-Type"]
    assert raw(emulator, "HEAD", f"/stac/collections/{unique('none')}").status_code == 404


def test_every_response_has_cors_headers_and_data_gets_are_cacheable(emulator: Emulator) -> None:
    for response in (
        raw(emulator, "GET", "/stac/"),
        raw(emulator, "GET", "/stac/collections/none-such"),
        raw(emulator, "GET", "/stac/", token=False),
        raw(emulator, "GET", "/data/tile-matrix-sets"),
    ):
        assert response.headers["Access-Control-Allow-Origin"] == "*", response.url
    assert raw(emulator, "GET", "/data/tile-matrix-sets").headers["Cache-Control"] == "public, max-age=3600"
    assert "Cache-Control" not in raw(emulator, "GET", "/stac/").headers
    assert "Cache-Control" not in raw(emulator, "GET", "/data/tile-matrix-sets/NoSuchSet").headers


def test_creates_answer_location_and_empty_200s_have_no_content_type(
    emulator: Emulator,
    client: PlanetaryComputerProClient,
) -> None:
    collection_id = make_collection(client, "created")
    base = f"/stac/collections/{collection_id}"
    endpoint = emulator.endpoint
    option = {"id": "natural", "name": "Natural", "type": "raster-tile", "options": "assets=image"}
    created = raw(emulator, "POST", f"{base}/configurations/render-options", json=option)
    assert (
        created.status_code == 201
        and created.headers["Location"] == f"{endpoint}{base}/configurations/render-options/natural"
    )
    mosaic = {"id": "recent", "name": "Recent", "cql": []}
    created = raw(emulator, "POST", f"{base}/configurations/mosaics", json=mosaic)
    assert (
        created.status_code == 201 and created.headers["Location"] == f"{endpoint}{base}/configurations/mosaics/recent"
    )
    queryable = [{"name": "eo:cloud_cover", "definition": {"type": "number"}}]
    created = raw(emulator, "POST", f"{base}/queryables", json=queryable)
    assert created.status_code == 201 and created.headers["Location"] == f"{endpoint}{base}/queryables"
    files = {
        "data": (None, json.dumps({"key": "thumbnail", "type": "image/png"})),
        "file": ("t.png", b"\x89PNG\r\n\x1a\n"),
    }
    created = raw(emulator, "POST", f"{base}/assets", files=files)
    assert created.status_code == 201 and created.headers["Location"] == f"{endpoint}{base}/assets/thumbnail"

    ingestion = {"importType": "StaticCatalog", "sourceCatalogUrl": "https://example.com/catalog.json"}
    created = raw(emulator, "POST", f"/inma/collections/{collection_id}/ingestions", json=ingestion)
    assert created.status_code == 201
    assert (
        created.headers["Location"] == f"{endpoint}/inma/collections/{collection_id}/ingestions/{created.json()['id']}"
    )
    source = {
        "kind": "SasToken",
        "connectionInfo": {
            "containerUrl": f"https://account.blob.core.windows.net/{unique('c')}",
            "sasToken": "se=2030-01-01&sig=x",
        },
    }
    created = raw(emulator, "POST", "/inma/ingestion-sources", json=source)
    assert created.status_code == 201
    assert created.headers["Location"] == f"{endpoint}/inma/ingestion-sources/{created.json()['id']}"

    for path in (
        f"{base}/configurations/render-options/natural",
        f"{base}/configurations/mosaics/recent",
        f"{base}/queryables/eo:cloud_cover",
    ):
        deleted = raw(emulator, "DELETE", path)
        assert deleted.status_code == 200 and deleted.content == b"", path
        assert "Content-Type" not in deleted.headers and deleted.headers["Content-Length"] == "0"
    put = raw(emulator, "PUT", f"{base}/configurations/partition-type", json={"scheme": "year"})
    assert put.status_code == 200 and "Content-Type" not in put.headers and put.headers["Content-Length"] == "0"


# -- API versions ----------------------------------------------------------------------------------------------


def test_both_client_generations_api_versions_are_served(emulator: Emulator) -> None:
    for version in ("2026-04-15", "2025-04-30-preview"):
        response = raw(emulator, "GET", "/stac/collections", params={"api-version": version})
        assert response.status_code == 200, version
    refused = raw(emulator, "GET", "/stac/collections", params={"api-version": "2020-01-01"})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "UnsupportedApiVersion"


def test_sign_always_states_an_expiry(emulator: Emulator) -> None:
    signed = raw(emulator, "GET", "/sas/sign", params={"href": "https://example.com/a.tif", "duration": "30"}).json()
    assert set(signed) == {"href", "msft:expiry"} and signed["href"] == "https://example.com/a.tif"
    assert signed["msft:expiry"].endswith("Z")
