"""The ingestion API (``/inma``): operations, ingestion sources, ingestion definitions and runs.

Every long-running call of the emulator (STAC ones too) points its ``Operation-Location`` at
``GET /inma/operations/{id}``, served here from ``app.operations``. Lists are paged like the
service: ``{"value": [...], "nextLink": ...}`` with ``$top`` / ``$skip``.

Documents (see storage.py): ``ingestion_source`` ("" -> id; the SAS token is kept but never
returned), ``ingestion`` (collection id -> id), ``run`` ("<collection>/<ingestion>" -> id). A run
keeps its item counts; its status, history and times come from its operation when read, so a run
and ``GET /inma/operations/{id}`` never disagree. The crawl itself is in ingestion_crawl.py.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional
from urllib.parse import parse_qsl, quote, urlencode

from . import ingestion_crawl
from .errors import ApiError, bad_request, not_found
from .http import Request, Response, Router
from .operations import DONE, now
from .service_headers import created_at

if TYPE_CHECKING:
    from .catalog import GeoCatalog

API_VERSION = "2026-04-15"
DEFAULT_PAGE = 100
MAX_PAGE = 1000
SOURCE_KINDS = ("SasToken", "BlobManagedIdentity")
IMPORT_TYPES = ("StaticCatalog", "StacGeoparquet")
#: Fields a client may set on an ingestion definition (create and merge-patch).
DEFINITION_FIELDS = ("displayName", "sourceCatalogUrl", "stacGeoparquetUrl", "skipExistingItems", "keepOriginalAssets")
#: The identity the emulated catalog "has" for BlobManagedIdentity sources.
MANAGED_IDENTITY = {
    "objectId": "00000000-0000-4000-8000-00000000e317",
    "resourceId": "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/geocatalog-emulator"
    "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/geocatalog-emulator-identity",
}
#: Shown as a SasToken source's expiration when its token has no readable ``se``.
FAR_EXPIRATION = "2099-12-31T23:59:59.0000000Z"


# -- paging ---------------------------------------------------------------------------------------------


def page(request: Request, values: List[Any], **filters: Optional[str]) -> Response:
    """One page of ``values`` per ``$top``/``$skip``, with a ``nextLink`` carrying the filters on."""
    top = request.int_arg("$top", DEFAULT_PAGE)
    skip = request.int_arg("$skip", 0)
    assert top is not None and skip is not None
    if not 1 <= top <= MAX_PAGE:
        raise bad_request(f"$top must be between 1 and {MAX_PAGE}, got {top}.", "InvalidParameter")
    if skip < 0:
        raise bad_request(f"$skip must not be negative, got {skip}.", "InvalidParameter")
    body: Dict[str, Any] = {"value": values[skip : skip + top]}
    if skip + top < len(values):
        query = {"api-version": API_VERSION, **{k: v for k, v in filters.items() if v is not None}}
        query.update({"$skip": str(skip + top), "$top": str(top)})
        body["nextLink"] = f"{request.base_url}{request.path}?{urlencode(query, safe='$')}"
    return Response.json(body)


def _body(request: Request) -> Dict[str, Any]:
    value = request.json()
    if not isinstance(value, dict):
        raise bad_request("The request body must be a JSON object.")
    return value


# -- operations --------------------------------------------------------------------------------------------


def list_operations(app: "GeoCatalog", request: Request) -> Response:
    collection_id, status = request.arg("collectionId"), request.arg("status")
    found = [
        op
        for _, op in app.store.list("operation", "")
        if (collection_id is None or op.get("collectionId") == collection_id)
        and (status is None or op["status"].lower() == status.lower())
    ]
    return page(request, found, collectionId=collection_id, status=status)


def get_operation(app: "GeoCatalog", request: Request) -> Response:
    op = app.operations.get(request.params["operation_id"])
    if op is None:
        raise not_found("Operation", request.params["operation_id"])
    return Response.json(op)


def cancel_operation(app: "GeoCatalog", request: Request) -> Response:
    if not app.operations.cancel(request.params["operation_id"]):
        raise not_found("Operation", request.params["operation_id"])
    return Response.empty(204)


def cancel_all_operations(app: "GeoCatalog", request: Request) -> Response:
    app.operations.cancel_all()
    return Response.empty(204)


# -- ingestion sources -----------------------------------------------------------------------------------


def _sas_expiration(token: str) -> str:
    """A SAS token's ``se`` in the service's format (7 fractional digits), or a far date."""
    expiry = dict(parse_qsl(token.lstrip("?"))).get("se", "")
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%MZ", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S.%fZ"):
        try:
            return dt.datetime.strptime(expiry, fmt).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
        except ValueError:
            continue
    return FAR_EXPIRATION


def _source_view(doc: Dict[str, Any]) -> Dict[str, Any]:
    """A stored source as the service returns it: the SAS token replaced by its expiration."""
    view = {key: value for key, value in doc.items() if key != "connectionInfo"}
    info = dict(doc["connectionInfo"])
    if doc["kind"] == "SasToken":
        info["expiration"] = _sas_expiration(info.pop("sasToken", ""))
    view["connectionInfo"] = info
    return view


def _validated_source(body: Dict[str, Any], source_id: str) -> Dict[str, Any]:
    """The document to store for a create/replace body (checked per kind)."""
    kind = body.get("kind")
    if kind not in SOURCE_KINDS:
        raise bad_request(f"kind must be one of {', '.join(SOURCE_KINDS)}, got {kind!r}.", "InvalidIngestionSource")
    info = body.get("connectionInfo")
    if not isinstance(info, dict) or not isinstance(info.get("containerUrl"), str) or not info["containerUrl"]:
        raise bad_request("connectionInfo.containerUrl is required.", "InvalidIngestionSource")
    secret_key = "sasToken" if kind == "SasToken" else "objectId"
    if not isinstance(info.get(secret_key), str) or not info[secret_key]:
        raise bad_request(f"connectionInfo.{secret_key} is required for a {kind} source.", "InvalidIngestionSource")
    connection = {"containerUrl": info["containerUrl"], secret_key: info[secret_key]}
    if kind == "SasToken":
        connection["sasToken"] = info["sasToken"].lstrip("?")
    return {"id": source_id, "kind": kind, "created": now(), "connectionInfo": connection}


def _check_container_free(app: "GeoCatalog", container_url: str, source_id: str) -> None:
    for _, other in app.store.list("ingestion_source", ""):
        same = other["connectionInfo"]["containerUrl"].rstrip("/") == container_url.rstrip("/")
        if same and other["id"] != source_id:
            raise ApiError(
                409,
                "IngestionSourceAlreadyExists",
                f"An ingestion source for container '{container_url}' already exists: '{other['id']}'.",
            )


def list_sources(app: "GeoCatalog", request: Request) -> Response:
    summaries = [{k: doc[k] for k in ("id", "kind", "created")} for _, doc in app.store.list("ingestion_source", "")]
    return page(request, summaries)


def create_source(app: "GeoCatalog", request: Request) -> Response:
    body = _body(request)
    source_id = str(body.get("id") or uuid.uuid4())
    doc = _validated_source(body, source_id)
    with app.store.write_lock:
        _check_container_free(app, doc["connectionInfo"]["containerUrl"], source_id)
        if not app.store.insert("ingestion_source", "", source_id, doc):
            raise ApiError(409, "IngestionSourceAlreadyExists", f"Ingestion source '{source_id}' already exists.")
    return Response.json(_source_view(doc), 201, created_at(request, f"{request.path}/{quote(source_id, safe='')}"))


def get_source(app: "GeoCatalog", request: Request) -> Response:
    doc = app.store.get("ingestion_source", "", request.params["id"])
    if doc is None:
        raise not_found("IngestionSource", request.params["id"])
    return Response.json(_source_view(doc))


def replace_source(app: "GeoCatalog", request: Request) -> Response:
    """PUT: replace (200) or create (201) the source with the path's id; the answer has no ``created``,
    as the service's (reads show it)."""
    source_id = request.params["id"]
    body = _body(request)
    if body.get("id") not in (None, source_id):
        message = f"The body's id '{body['id']}' differs from the path's '{source_id}'."
        raise bad_request(message, "InvalidIngestionSource")
    doc = _validated_source(body, source_id)
    with app.store.write_lock:
        _check_container_free(app, doc["connectionInfo"]["containerUrl"], source_id)
        existing = app.store.get("ingestion_source", "", source_id)
        if existing is not None:
            doc["created"] = existing["created"]
        app.store.put("ingestion_source", "", source_id, doc)
    view = {key: value for key, value in _source_view(doc).items() if key != "created"}
    if existing is not None:
        return Response.json(view)
    return Response.json(view, 201, created_at(request, request.path))


def delete_source(app: "GeoCatalog", request: Request) -> Response:
    if not app.store.delete("ingestion_source", "", request.params["id"]):
        raise not_found("IngestionSource", request.params["id"])
    return Response.empty(204)


def list_managed_identities(app: "GeoCatalog", request: Request) -> Response:
    return page(request, [dict(MANAGED_IDENTITY)])


# -- ingestion definitions ---------------------------------------------------------------------------


def _collection(app: "GeoCatalog", collection_id: str) -> Dict[str, Any]:
    collection = app.store.get("collection", "", collection_id)
    if collection is None:
        raise not_found("Collection", collection_id)
    return collection


def _ingestion(app: "GeoCatalog", collection_id: str, ingestion_id: str) -> Dict[str, Any]:
    doc = app.store.get("ingestion", collection_id, ingestion_id)
    if doc is None:
        raise not_found("Ingestion", ingestion_id)
    return doc


def _apply_fields(doc: Dict[str, Any], body: Dict[str, Any]) -> None:
    """Merge-patch the client-settable fields (``null`` removes one); read-only ones are ignored."""
    if "importType" in body and body["importType"] is not None:
        if body["importType"] not in IMPORT_TYPES:
            raise bad_request(f"importType must be one of {', '.join(IMPORT_TYPES)}.", "InvalidIngestion")
        doc["importType"] = body["importType"]
    for key in DEFINITION_FIELDS:
        if key not in body:
            continue
        value = body[key]
        if value is None:
            doc.pop(key, None)
        elif key in ("skipExistingItems", "keepOriginalAssets") and not isinstance(value, bool):
            raise bad_request(f"{key} must be true or false.", "InvalidIngestion")
        elif key not in ("skipExistingItems", "keepOriginalAssets") and not isinstance(value, str):
            raise bad_request(f"{key} must be a string.", "InvalidIngestion")
        else:
            doc[key] = value


def _check_source_url(doc: Dict[str, Any]) -> None:
    needed = "stacGeoparquetUrl" if doc["importType"] == "StacGeoparquet" else "sourceCatalogUrl"
    if not doc.get(needed):
        raise bad_request(f"{needed} is required for a {doc['importType']} ingestion.", "InvalidIngestion")


def list_ingestions(app: "GeoCatalog", request: Request) -> Response:
    collection_id = request.params["collection_id"]
    _collection(app, collection_id)
    return page(request, [doc for _, doc in app.store.list("ingestion", collection_id)])


def create_ingestion(app: "GeoCatalog", request: Request) -> Response:
    collection_id = request.params["collection_id"]
    _collection(app, collection_id)
    body = _body(request)
    if "importType" not in body:
        raise bad_request("importType is required.", "InvalidIngestion")
    doc: Dict[str, Any] = {"id": str(uuid.uuid4()), "creationTime": now()}
    _apply_fields(doc, body)
    doc.setdefault("skipExistingItems", False)
    doc.setdefault("keepOriginalAssets", False)
    doc["status"] = "Ready"
    _check_source_url(doc)
    app.store.insert("ingestion", collection_id, doc["id"], _ordered(doc))
    return Response.json(_ordered(doc), 201, created_at(request, f"{request.path}/{doc['id']}"))


def _ordered(doc: Dict[str, Any]) -> Dict[str, Any]:
    """Keys in the service's order (id, creationTime, importType, displayName, ...)."""
    order = ("id", "creationTime", "importType") + DEFINITION_FIELDS + ("status",)
    return {key: doc[key] for key in order if key in doc}


def get_ingestion(app: "GeoCatalog", request: Request) -> Response:
    return Response.json(_ingestion(app, request.params["collection_id"], request.params["ingestion_id"]))


def update_ingestion(app: "GeoCatalog", request: Request) -> Response:
    collection_id, ingestion_id = request.params["collection_id"], request.params["ingestion_id"]
    body = _body(request)
    with app.store.write_lock:
        doc = _ingestion(app, collection_id, ingestion_id)
        _apply_fields(doc, body)
        _check_source_url(doc)
        app.store.put("ingestion", collection_id, ingestion_id, _ordered(doc))
    return Response.json(_ordered(doc))


def delete_ingestion(app: "GeoCatalog", request: Request) -> Response:
    """202 + a DeleteIngestion operation that removes the definition and its runs (not the items)."""
    collection_id, ingestion_id = request.params["collection_id"], request.params["ingestion_id"]
    runs = f"{collection_id}/{ingestion_id}"
    with app.store.write_lock:
        doc = _ingestion(app, collection_id, ingestion_id)
        for _, run in app.store.list("run", runs):
            op = app.operations.get(run["operation"]["id"])
            if op is not None and op["status"] not in DONE:
                raise ApiError(
                    409, "IngestionRunInProgress", f"Ingestion '{ingestion_id}' has a run in progress: {run['id']}."
                )
        doc["status"] = "Deleting"
        app.store.put("ingestion", collection_id, ingestion_id, doc)

    def work() -> None:
        app.store.delete_children("run", runs)
        app.store.delete("ingestion", collection_id, ingestion_id)

    op = app.operations.start("DeleteIngestion", work, collection_id=collection_id, info={"IngestionId": ingestion_id})
    return app.operation_response(op, request.base_url)


# -- runs -------------------------------------------------------------------------------------------------------


def run_view(app: "GeoCatalog", run: Dict[str, Any]) -> Dict[str, Any]:
    """A stored run with its operation's live status, history and times."""
    view = dict(run)
    operation = dict(run["operation"])
    op = app.operations.get(operation["id"])
    if op is not None:
        for key in ("status", "statusHistory", "creationTime", "startTime", "finishTime"):
            if key in op:
                operation[key] = op[key]
    order = ("id", "status", "statusHistory", "creationTime", "startTime", "finishTime")
    view["operation"] = {
        **{k: operation[k] for k in order if k in operation},
        **{k: operation[k] for k in ingestion_crawl.COUNT_KEYS},
    }
    return view


def list_runs(app: "GeoCatalog", request: Request) -> Response:
    collection_id, ingestion_id = request.params["collection_id"], request.params["ingestion_id"]
    _ingestion(app, collection_id, ingestion_id)
    runs = [run_view(app, run) for _, run in app.store.list("run", f"{collection_id}/{ingestion_id}")]
    return page(request, runs)


def get_run(app: "GeoCatalog", request: Request) -> Response:
    collection_id, ingestion_id = request.params["collection_id"], request.params["ingestion_id"]
    _ingestion(app, collection_id, ingestion_id)
    run = app.store.get("run", f"{collection_id}/{ingestion_id}", request.params["run_id"])
    if run is None:
        raise not_found("IngestionRun", request.params["run_id"])
    return Response.json(run_view(app, run))


def create_run(app: "GeoCatalog", request: Request) -> Response:
    """201 with the new run; its crawl runs as a background operation."""
    collection_id, ingestion_id = request.params["collection_id"], request.params["ingestion_id"]
    definition = _ingestion(app, collection_id, ingestion_id)
    if definition["status"] != "Ready":
        raise ApiError(409, "IngestionNotReady", f"Ingestion '{ingestion_id}' is {definition['status']}.")
    _collection(app, collection_id)
    run_id, parent = str(uuid.uuid4()), f"{collection_id}/{ingestion_id}"
    run: Dict[str, Any] = {
        "id": run_id,
        "creationTime": now(),
        "sourceCatalogUrl": definition.get("sourceCatalogUrl") or definition.get("stacGeoparquetUrl"),
        "skipExistingItems": bool(definition.get("skipExistingItems")),
        "keepOriginalAssets": bool(definition.get("keepOriginalAssets")),
    }
    crawl = ingestion_crawl.Crawl(app, collection_id, parent, run_id, definition, request.base_url)
    stored = threading.Event()
    # The service's run operations name neither the ingestion nor the run (the run names its operation).
    op = app.operations.start(ingestion_crawl.OPERATION_TYPE, _after(stored, crawl.run), collection_id=collection_id)
    run["operation"] = {k: op[k] for k in ("id", "status", "statusHistory", "creationTime")}
    run["operation"].update(ingestion_crawl.zero())
    app.store.put("run", parent, run_id, run)
    crawl.operation_id = op["id"]
    stored.set()
    return Response.json(run_view(app, run), 201)


def _after(event: threading.Event, work: Callable[[], None]) -> Callable[[], None]:
    """``work`` once ``event`` is set (the run record is stored before its crawl starts)."""

    def wait_then_work() -> None:
        if not event.wait(30):
            raise ApiError(500, "InternalError", "The run was not recorded; its crawl did not start.")
        work()

    return wait_then_work


# -- route table --------------------------------------------------------------------------------------


def routes(app: "GeoCatalog") -> Router:
    router = Router()
    ingestions = "/inma/collections/{collection_id}/ingestions"
    table = [
        ("GET", "/inma/operations", list_operations),
        ("DELETE", "/inma/operations", cancel_all_operations),
        ("GET", "/inma/operations/{operation_id}", get_operation),
        ("DELETE", "/inma/operations/{operation_id}", cancel_operation),
        ("GET", "/inma/ingestion-sources", list_sources),
        ("POST", "/inma/ingestion-sources", create_source),
        ("GET", "/inma/ingestion-sources/managed-identities", list_managed_identities),
        ("GET", "/inma/ingestion-sources/{id}", get_source),
        ("PUT", "/inma/ingestion-sources/{id}", replace_source),
        ("DELETE", "/inma/ingestion-sources/{id}", delete_source),
        ("GET", ingestions, list_ingestions),
        ("POST", ingestions, create_ingestion),
        ("GET", ingestions + "/{ingestion_id}", get_ingestion),
        ("PATCH", ingestions + "/{ingestion_id}", update_ingestion),
        ("DELETE", ingestions + "/{ingestion_id}", delete_ingestion),
        ("GET", ingestions + "/{ingestion_id}/runs", list_runs),
        ("POST", ingestions + "/{ingestion_id}/runs", create_run),
        ("GET", ingestions + "/{ingestion_id}/runs/{run_id}", get_run),
    ]
    for method, template, handler in table:
        router.add(method, template, lambda request, handler=handler: handler(app, request))
    return router
