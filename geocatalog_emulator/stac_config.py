"""A collection's visualization configuration and queryables.

Stored per collection (kind: parent collection id -> id):
  render_option -> render option id        mosaic -> mosaic id
  collection_setting -> "tile-settings" | "partition-type"
  queryable -> queryable name

A new collection gets the service's defaults (:func:`initialize`): tile settings ``minZoom`` 12 and
``maxItemsPerTile`` 35, partition scheme ``none`` and a ``default`` mosaic with no filter.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional
from urllib.parse import quote

from .errors import ApiError, bad_request, conflict, not_found
from .http import Request, Response, Router
from .service_headers import created_at

if TYPE_CHECKING:
    from .catalog import GeoCatalog

API_VERSION = "2026-04-15"  # app.API_VERSION (app imports the API modules: not imported from there)
TILE_SETTINGS = "tile-settings"
PARTITION_TYPE = "partition-type"
DEFAULT_TILE_SETTINGS: Dict[str, Any] = {"minZoom": 12, "maxItemsPerTile": 35, "defaultLocation": None}
DEFAULT_PARTITION_TYPE: Dict[str, Any] = {"scheme": "none"}
DEFAULT_MOSAIC: Dict[str, Any] = {"id": "default", "name": "Default", "description": "", "cql": []}
PARTITION_SCHEMES = ("none", "year", "month")
RENDER_TYPES = ("raster-tile", "vt-polygon", "vt-line")
QUERYABLE_TYPES = ("string", "number", "boolean", "timestamp", "date")
#: Every field of a render option, as the configuration view lists them (unset ones as null).
RENDER_OPTION_FIELDS = (
    "id", "name", "description", "type", "options", "vectorOptions", "minZoom", "legend", "conditions"
)
#: Render option and mosaic ids: letters, digits, '-' and '_', not starting or ending with a symbol.
_CONFIG_ID = re.compile(r"^(?![-_])[A-Za-z0-9_-]{1,30}(?<![-_])$")
#: Queryables every collection has (JSON Schema properties, as the service lists them).
BASE_QUERYABLES: Dict[str, Any] = {
    "id": {
        "$ref": "https://schemas.stacspec.org/v1.0.0/item-spec/json-schema/item.json#/definitions/core/allOf/2/properties/id",
        "title": "Item ID",
        "description": "Item identifier",
    },
    "datetime": {
        "type": "string",
        "title": "Acquired",
        "format": "date-time",
        "pattern": "(\\+00:00|Z)$",
        "description": "Datetime",
    },
    "geometry": {
        "$ref": "https://geojson.org/schema/Feature.json",
        "title": "Item Geometry",
        "description": "Item Geometry",
    },
}
#: Queryables are a JSON Schema, served as one.
SCHEMA_TYPE = {"Content-Type": "application/schema+json"}


def initialize(app: "GeoCatalog", collection_id: str) -> None:
    """Store the defaults of a new collection's configuration (kept if already there)."""
    store = app.store
    store.insert("collection_setting", collection_id, TILE_SETTINGS, copy.deepcopy(DEFAULT_TILE_SETTINGS))
    store.insert("collection_setting", collection_id, PARTITION_TYPE, copy.deepcopy(DEFAULT_PARTITION_TYPE))
    store.insert("mosaic", collection_id, DEFAULT_MOSAIC["id"], copy.deepcopy(DEFAULT_MOSAIC))


def remove(app: "GeoCatalog", collection_id: str) -> None:
    """Forget a deleted collection's configuration and queryables."""
    for kind in ("render_option", "mosaic", "collection_setting", "queryable"):
        app.store.delete_children(kind, collection_id)


def tile_settings(app: "GeoCatalog", collection_id: str) -> Dict[str, Any]:
    found = app.store.get("collection_setting", collection_id, TILE_SETTINGS)
    return found if found is not None else copy.deepcopy(DEFAULT_TILE_SETTINGS)


def partition_type(app: "GeoCatalog", collection_id: str) -> Dict[str, Any]:
    found = app.store.get("collection_setting", collection_id, PARTITION_TYPE)
    return found if found is not None else copy.deepcopy(DEFAULT_PARTITION_TYPE)


def queryables_schema(app: "GeoCatalog", base_url: str, collection_id: Optional[str]) -> Dict[str, Any]:
    """The JSON Schema of the queryables: the base ones plus a collection's (or every collection's)."""
    properties = copy.deepcopy(BASE_QUERYABLES)
    for _, queryable in app.store.list("queryable", collection_id):
        properties[queryable["name"]] = _queryable_schema(queryable)
    path = f"/stac/collections/{collection_id}/queryables" if collection_id else "/stac/queryables"
    return {
        "$id": f"{base_url}{path}?api-version={API_VERSION}",
        "type": "object",
        "title": "STAC Queryables.",
        "$schema": "http://json-schema.org/draft-07/schema#",
        "properties": properties,
        "additionalProperties": True,
    }


def _queryable_schema(queryable: Mapping[str, Any]) -> Dict[str, Any]:
    schema = dict(queryable.get("definition") or {})
    if not schema and queryable.get("data_type"):
        schema["data_type"] = queryable["data_type"]
    return schema


# -- checks ----------------------------------------------------------------------------------


def _object(body: Any, what: str) -> Dict[str, Any]:
    if not isinstance(body, Mapping):
        raise bad_request(f"The {what} must be a JSON object.")
    return {k: v for k, v in body.items() if v is not None}


def _config_id(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _CONFIG_ID.match(value):
        raise bad_request(
            f"Invalid {what} id {value!r}: 1 to 30 letters, digits, '-' or '_', not starting or ending with '-' or '_'."
        )
    return value


def _name(doc: Mapping[str, Any], what: str, longest: int) -> None:
    if not isinstance(doc.get("name"), str) or not doc["name"]:
        raise bad_request(f"The {what} needs a name.")
    if len(doc["name"]) > longest:
        raise bad_request(f"The {what} name is longer than {longest} characters.")


def _zoom(value: Any, what: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 24:
        raise bad_request(f"{what} must be an integer from 0 to 24.")


def check_render_option(body: Any) -> Dict[str, Any]:
    doc = _object(body, "render option")
    _config_id(doc.get("id"), "render option")
    _name(doc, "render option", 40)
    if "type" in doc and doc["type"] not in RENDER_TYPES:
        raise bad_request(f"Invalid render option type {doc['type']!r}: use one of {', '.join(RENDER_TYPES)}.")
    if "options" in doc and not isinstance(doc["options"], str):
        raise bad_request("A render option's options are a query string such as 'assets=visual&nodata=0'.")
    if "minZoom" in doc:
        _zoom(doc["minZoom"], "minZoom")
    return doc


def check_mosaic(body: Any) -> Dict[str, Any]:
    doc = _object(body, "mosaic")
    _config_id(doc.get("id"), "mosaic")
    _name(doc, "mosaic", 30)
    if not isinstance(doc.get("cql"), list) or not all(isinstance(c, Mapping) for c in doc["cql"]):
        raise bad_request("A mosaic's cql is a list of CQL2-JSON expressions (may be empty).")
    return doc


def check_tile_settings(body: Any) -> Dict[str, Any]:
    doc = _object(body, "tile settings")
    _zoom(doc.get("minZoom"), "minZoom")
    items = doc.get("maxItemsPerTile")
    if not isinstance(items, int) or isinstance(items, bool) or items < 1:
        raise bad_request("maxItemsPerTile must be a positive integer.")
    location = doc.get("defaultLocation")
    if location is not None:
        coordinates = location.get("coordinates") if isinstance(location, Mapping) else None
        if not (isinstance(coordinates, list) and len(coordinates) == 2 and isinstance(location.get("zoom"), int)):
            raise bad_request("defaultLocation is {zoom: int, coordinates: [latitude, longitude]}.")
    return {"minZoom": doc["minZoom"], "maxItemsPerTile": items, "defaultLocation": location}


def check_queryable(body: Any, name: Optional[str] = None) -> Dict[str, Any]:
    if not isinstance(body, Mapping):
        raise bad_request("A queryable must be a JSON object with a name and a definition.")
    doc = dict(body)
    if name is not None:
        doc.setdefault("name", name)
        if doc["name"] != name:
            raise bad_request(f"The queryable's name '{doc['name']}' differs from the URL's '{name}'.")
    if not isinstance(doc.get("name"), str) or not doc["name"]:
        raise bad_request("A queryable needs a name.")
    if not isinstance(doc.get("definition"), Mapping):
        raise bad_request(f"Queryable '{doc['name']}' needs a definition (a JSON Schema object).")
    if doc.get("data_type") is not None and doc["data_type"] not in QUERYABLE_TYPES:
        raise bad_request(f"Invalid data_type {doc['data_type']!r}: use one of {', '.join(QUERYABLE_TYPES)}.")
    return {
        "name": doc["name"],
        "definition": dict(doc["definition"]),
        "create_index": doc.get("create_index", False),
        "data_type": doc.get("data_type"),
    }


# -- routes ----------------------------------------------------------------------------------


def routes(app: "GeoCatalog", require_collection: Callable[[str], Dict[str, Any]]) -> Router:
    """The configuration and queryables routes; ``require_collection`` answers 404 for unknown ids."""
    router = Router()
    base = "/stac/collections/{collection_id}"

    def collection_of(request: Request) -> str:
        collection_id = request.params["collection_id"]
        require_collection(collection_id)
        return collection_id

    @router.route("GET", base + "/configurations")
    def get_configuration(request: Request) -> Response:
        collection_id = collection_of(request)
        settings = tile_settings(app, collection_id)
        render_options = [
            {name: option.get(name) for name in RENDER_OPTION_FIELDS}
            for _, option in app.store.list("render_option", collection_id)
        ]
        return Response.json(
            {
                "tileSettings": settings,
                "mosaicInfo": {
                    "mosaics": [m for _, m in app.store.list("mosaic", collection_id)],
                    "renderOptions": render_options,
                    "defaultLocation": settings.get("defaultLocation"),
                    "defaultCustomQuery": None,
                },
            }
        )

    options_path = base + "/configurations/render-options"
    _named(router, app, collection_of, options_path, "render_option", "RenderOption", check_render_option)
    _named(router, app, collection_of, base + "/configurations/mosaics", "mosaic", "Mosaic", check_mosaic)

    @router.route("GET", base + "/configurations/tile-settings")
    def get_tile_settings(request: Request) -> Response:
        return Response.json(tile_settings(app, collection_of(request)))

    @router.route("PUT", base + "/configurations/tile-settings")
    def put_tile_settings(request: Request) -> Response:
        collection_id = collection_of(request)
        doc = check_tile_settings(request.json())
        app.store.put("collection_setting", collection_id, TILE_SETTINGS, doc)
        return Response.json(doc)

    @router.route("GET", base + "/configurations/partition-type")
    def get_partition_type(request: Request) -> Response:
        return Response.json(partition_type(app, collection_of(request)))

    @router.route("PUT", base + "/configurations/partition-type")
    def put_partition_type(request: Request) -> Response:
        collection_id = collection_of(request)
        body = _object(request.json(), "partition type")
        scheme = body.get("scheme", "none")
        if scheme not in PARTITION_SCHEMES:
            raise bad_request(f"Invalid partition scheme {scheme!r}: use one of {', '.join(PARTITION_SCHEMES)}.")
        with app.store.write_lock:
            if scheme != partition_type(app, collection_id).get("scheme") and app.store.count("item", collection_id):
                raise ApiError(
                    409,
                    "CollectionNotEmpty",
                    f"The partition type of '{collection_id}' can only be set before any items are loaded.",
                )
            app.store.put("collection_setting", collection_id, PARTITION_TYPE, {"scheme": scheme})
        return Response.empty(200)

    @router.route("GET", "/stac/queryables")
    def get_queryables(request: Request) -> Response:
        return Response.json(queryables_schema(app, request.base_url, None), headers=SCHEMA_TYPE)

    @router.route("GET", base + "/queryables")
    def get_collection_queryables(request: Request) -> Response:
        return Response.json(queryables_schema(app, request.base_url, collection_of(request)), headers=SCHEMA_TYPE)

    @router.route("POST", base + "/queryables")
    def create_queryables(request: Request) -> Response:
        collection_id = collection_of(request)
        body = request.json()
        if not isinstance(body, list):
            raise bad_request("Send a JSON list of queryables.")
        docs = [check_queryable(entry) for entry in body]
        with app.store.write_lock:
            for doc in docs:
                if doc["name"] in BASE_QUERYABLES or app.store.get("queryable", collection_id, doc["name"]):
                    raise conflict("Queryable", doc["name"])
            for doc in docs:
                app.store.insert("queryable", collection_id, doc["name"], doc)
        return Response.json(docs, 201, created_at(request, request.path))

    @router.route("PUT", base + "/queryables/{queryable_name}")
    def replace_queryable(request: Request) -> Response:
        collection_id = collection_of(request)
        doc = check_queryable(request.json(), request.params["queryable_name"])
        app.store.put("queryable", collection_id, doc["name"], doc)
        return Response.json(doc)

    @router.route("DELETE", base + "/queryables/{queryable_name}")
    def delete_queryable(request: Request) -> Response:
        collection_id = collection_of(request)
        name = request.params["queryable_name"]
        if not app.store.delete("queryable", collection_id, name):
            raise not_found("Queryable", name)
        return Response.empty(200)

    return router


def _named(
    router: Router,
    app: "GeoCatalog",
    collection_of: Callable[[Request], str],
    path: str,
    kind: str,
    what: str,
    check: Callable[[Any], Dict[str, Any]],
) -> None:
    """List / add / get / create-or-replace / delete routes for render options or mosaics."""

    @router.route("GET", path + "/{config_id}")
    def get_one(request: Request) -> Response:
        collection_id = collection_of(request)
        found = app.store.get(kind, collection_id, request.params["config_id"])
        if found is None:
            raise not_found(what, request.params["config_id"])
        return Response.json(found)

    @router.route("PUT", path + "/{config_id}")
    def replace(request: Request) -> Response:
        collection_id = collection_of(request)
        body = request.json()
        if isinstance(body, Mapping):
            body = {"id": request.params["config_id"], **body}
        doc = check(body)
        if doc["id"] != request.params["config_id"]:
            raise bad_request(f"The body's id '{doc['id']}' differs from the URL's '{request.params['config_id']}'.")
        app.store.put(kind, collection_id, doc["id"], doc)
        return Response.json(doc)

    @router.route("DELETE", path + "/{config_id}")
    def delete(request: Request) -> Response:
        collection_id = collection_of(request)
        if not app.store.delete(kind, collection_id, request.params["config_id"]):
            raise not_found(what, request.params["config_id"])
        return Response.empty(200)

    @router.route("GET", path)
    def list_all(request: Request) -> Response:
        return Response.json([doc for _, doc in app.store.list(kind, collection_of(request))])

    @router.route("POST", path)
    def add(request: Request) -> Response:
        collection_id = collection_of(request)
        doc = check(request.json())
        if not app.store.insert(kind, collection_id, doc["id"], doc):
            raise conflict(what, doc["id"])
        return Response.json(doc, 201, created_at(request, f"{request.path}/{quote(doc['id'], safe='')}"))
