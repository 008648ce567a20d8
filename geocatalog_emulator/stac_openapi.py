"""The STAC API's service description: ``/stac/openapi.json`` and its page ``/stac/docs``.

The landing page links both (``service-desc``, ``service-doc``), as the service's does. The
document is OpenAPI 3.0 (the landing page declares the ``oas30`` conformance class), made from the
project's own API definition, ``swagger/planetarycomputer.yaml`` (OpenAPI 2.0): its ``/stac``
paths and the schemas they use. It ships with the package as ``stac_openapi.json`` (the emulator
reads no file outside its package and data folder); refresh it after changing the definition with

    python -m geocatalog_emulator.stac_openapi swagger/planetarycomputer.yaml

(a test fails while it is stale). ``/docs`` is a plain HTML list of the operations: no script,
nothing fetched from elsewhere.
"""

from __future__ import annotations

import copy
import html
import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

from .http import Request, Response, Router

MEDIA_TYPE = "application/vnd.oai.openapi+json;version=3.0"
DOCUMENT = Path(__file__).with_name("stac_openapi.json")
PREFIX = "/stac"
#: Where the description and its page are served (under the STAC API, and at the root), without a
#: bearer token: they hold no data, and validators fetch them with a bare request.
PATHS = frozenset(f"{prefix}/{name}" for prefix in (PREFIX, "") for name in ("openapi.json", "docs"))
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_SCHEMA_KEYS = ("type", "format", "items", "enum", "default", "minimum", "maximum", "pattern", "collectionFormat")


# -- converting the definition (OpenAPI 2.0 -> 3.0) -------------------------------------------------


def convert(swagger: Mapping[str, Any], prefix: str = PREFIX) -> Dict[str, Any]:
    """The OpenAPI 3.0 document of the paths under ``prefix`` and the definitions they use."""
    shared_params = swagger.get("parameters") or {}
    consumes = swagger.get("consumes") or ["application/json"]
    produces = swagger.get("produces") or ["application/json"]
    paths: Dict[str, Any] = {}
    for path, item in (swagger.get("paths") or {}).items():
        if path != prefix and not path.startswith(prefix + "/"):
            continue
        common = [_resolve(p, shared_params) for p in item.get("parameters") or []]
        paths[path] = {
            method: _operation(op, common, shared_params, consumes, produces)
            for method, op in item.items()
            if method in _METHODS
        }
    schemas = _used_definitions(paths, swagger.get("definitions") or {})
    info = swagger.get("info") or {}
    return _refs_to_components(
        {
            "openapi": "3.0.3",
            "info": {"title": f"{info.get('title', 'GeoCatalog')} STAC API", "version": info.get("version", "")},
            "paths": paths,
            "components": {"schemas": schemas},
        }
    )


def _resolve(param: Mapping[str, Any], shared: Mapping[str, Any]) -> Dict[str, Any]:
    ref = param.get("$ref")
    return dict(shared[ref.rsplit("/", 1)[-1]]) if isinstance(ref, str) else dict(param)


def _operation(
    op: Mapping[str, Any], common: List[Dict[str, Any]], shared: Mapping[str, Any], consumes: Any, produces: Any
) -> Dict[str, Any]:
    params = common + [_resolve(p, shared) for p in op.get("parameters") or []]
    out: Dict[str, Any] = {k: op[k] for k in ("operationId", "summary", "description", "tags") if k in op}
    plain = [_parameter(p) for p in params if p.get("in") in ("query", "path", "header")]
    if plain:
        out["parameters"] = plain
    body = next((p for p in params if p.get("in") == "body"), None)
    form = [p for p in params if p.get("in") == "formData"]
    if body is not None:
        content = {media: {"schema": _schema(body.get("schema") or {})} for media in op.get("consumes") or consumes}
        out["requestBody"] = {"required": bool(body.get("required")), "content": content}
    elif form:
        properties = {p["name"]: _schema({k: p[k] for k in _SCHEMA_KEYS if k in p}) for p in form}
        required = [p["name"] for p in form if p.get("required")]
        schema: Dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        out["requestBody"] = {"content": {"multipart/form-data": {"schema": schema}}}
    out["responses"] = {
        str(code): _response(response, op.get("produces") or produces)
        for code, response in (op.get("responses") or {}).items()
    }
    return out


def _parameter(param: Mapping[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {"name": param["name"], "in": param["in"]}
    if param.get("description"):
        out["description"] = param["description"]
    if param.get("required") or param["in"] == "path":
        out["required"] = True
    style = param.get("collectionFormat")
    if style == "multi":
        out.update(style="form", explode=True)
    elif style == "csv":
        out.update(style="form" if param["in"] == "query" else "simple", explode=False)
    out["schema"] = _schema({k: param[k] for k in _SCHEMA_KEYS if k in param})
    return out


def _response(response: Mapping[str, Any], produces: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {"description": response.get("description") or ""}
    if "schema" in response:
        out["content"] = {media: {"schema": _schema(response["schema"])} for media in produces}
    if response.get("headers"):
        out["headers"] = {
            name: {"description": h.get("description", ""), "schema": _schema(h)}
            for name, h in response["headers"].items()
        }
    return out


def _schema(schema: Any) -> Any:
    """A 2.0 schema as 3.0: ``file`` becomes binary strings, ``collectionFormat`` and 2.0-only keys go."""
    if isinstance(schema, list):
        return [_schema(s) for s in schema]
    if not isinstance(schema, Mapping):
        return schema
    out = {k: _schema(v) for k, v in schema.items() if k not in ("collectionFormat", "x-nullable")}
    if out.get("type") == "file":
        out.update(type="string", format="binary")
    if isinstance(out.get("discriminator"), str):
        out["discriminator"] = {"propertyName": out["discriminator"]}
    if schema.get("x-nullable"):
        out["nullable"] = True
    return out


def _used_definitions(paths: Any, definitions: Mapping[str, Any]) -> Dict[str, Any]:
    """Every definition the paths reference, directly or through other definitions."""
    found: Dict[str, Any] = {}
    pending = _refs(paths)
    while pending:
        name = pending.pop()
        if name in found or name not in definitions:
            continue
        found[name] = _schema(definitions[name])
        pending.extend(_refs(found[name]))
    for name, schema in definitions.items():  # subtypes of a used polymorphic base
        parents = [_ref_name(part.get("$ref")) for part in schema.get("allOf") or [] if isinstance(part, Mapping)]
        if name not in found and any(p in found for p in parents):
            found[name] = _schema(schema)
    return dict(sorted(found.items()))


def _ref_name(ref: Any) -> Optional[str]:
    prefix = "#/definitions/"
    return ref[len(prefix) :] if isinstance(ref, str) and ref.startswith(prefix) else None


def _refs(value: Any) -> List[str]:
    if isinstance(value, Mapping):
        names = [_ref_name(value.get("$ref"))]
        return [n for n in names if n] + [n for v in value.values() for n in _refs(v)]
    if isinstance(value, list):
        return [n for v in value for n in _refs(v)]
    return []


def _refs_to_components(value: Any) -> Any:
    if isinstance(value, Mapping):
        out = {k: _refs_to_components(v) for k, v in value.items()}
        name = _ref_name(out.get("$ref"))
        if name:
            out["$ref"] = f"#/components/schemas/{name}"
        return out
    if isinstance(value, list):
        return [_refs_to_components(v) for v in value]
    return value


# -- serving it ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _document() -> Dict[str, Any]:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def openapi(request: Request) -> Response:
    doc = copy.deepcopy(_document())
    doc["servers"] = [{"url": request.base_url}]
    return Response(200, json.dumps(doc).encode("utf-8"), {"Content-Type": MEDIA_TYPE})


def docs(request: Request) -> Response:
    doc = _document()
    rows = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            summary = html.escape(op.get("summary") or op.get("operationId") or "")
            rows.append(
                f"<tr><td>{method.upper()}</td><td><code>{html.escape(path)}</code></td><td>{summary}</td></tr>"
            )
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
        f"{html.escape(doc['info']['title'])}</title></head><body><h1>{html.escape(doc['info']['title'])}</h1>"
        f"<p>OpenAPI document: <a href='{PREFIX}/openapi.json'>{PREFIX}/openapi.json</a></p>"
        f"<table>{''.join(rows)}</table></body></html>"
    )
    return Response(200, page.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})


def routes() -> Router:
    router = Router()
    for path in sorted(PATHS):
        router.add("GET", path, openapi if path.endswith(".json") else docs)
    return router


def main(argv: Optional[List[str]] = None) -> int:
    """Write ``stac_openapi.json`` from the API definition (OpenAPI 2.0 YAML) named in ``argv``."""
    import yaml  # a development dependency: only needed to refresh the shipped document

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m geocatalog_emulator.stac_openapi swagger/planetarycomputer.yaml", file=sys.stderr)
        return 2
    swagger = yaml.safe_load(Path(args[0]).read_text(encoding="utf-8"))
    DOCUMENT.write_text(json.dumps(convert(swagger), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(DOCUMENT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
