"""Read swagger/planetarycomputer.yaml and swagger/client.yaml into plain data.

Every rule of swagger/README.md ("How the definition maps to Python") is
applied here, so the emitters only format what this module decided.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

SUCCESS = range(200, 300)


def snake_case(name: str) -> str:
    """``collectionId`` -> ``collection_id``; ``GetItemCollection`` -> ``get_item_collection``."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", name)
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    name = name.strip("_").lower()
    if keyword.iskeyword(name):
        name += "_parameter"
    return name


# --------------------------------------------------------------------------
# Types
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeRef:
    """A schema type: primitive, date-time, model, enum, list, dict, any or file."""

    kind: str  # "str" | "int" | "float" | "bool" | "datetime" | "model" | "enum" | "list" | "dict" | "any" | "file"
    name: str = ""  # model or enum name
    inner: Optional["TypeRef"] = None

    def msrest(self) -> str:
        """The type string the runtime understands (``[StacLink]``, ``iso-8601``...)."""
        if self.kind in ("str", "int", "float", "bool"):
            return self.kind
        if self.kind == "datetime":
            return "iso-8601"
        if self.kind in ("model", "enum"):
            return self.name
        if self.kind == "list":
            assert self.inner is not None
            return f"[{self.inner.msrest()}]"
        if self.kind == "dict":
            assert self.inner is not None
            return f"{{{self.inner.msrest()}}}"
        if self.kind == "file":
            return "IO"
        return "object"

    def annotation(self, prefix: str = "") -> str:
        """A Python annotation; ``prefix`` qualifies model and enum names (``_models.``)."""
        if self.kind in ("str", "int", "float", "bool"):
            return self.kind
        if self.kind == "datetime":
            return "datetime.datetime"
        if self.kind == "model":
            return f"{prefix}{self.name}"
        if self.kind == "enum":
            return f"Union[str, {prefix}{self.name}]"
        if self.kind == "list":
            assert self.inner is not None
            return f"List[{self.inner.annotation(prefix)}]"
        if self.kind == "dict":
            assert self.inner is not None
            return f"Dict[str, {self.inner.annotation(prefix)}]"
        if self.kind == "file":
            return "FileType"
        return "Any"

    def doc(self, namespace: str) -> str:
        """The ``:type:``/``:rtype:`` text for docstrings."""
        if self.kind in ("str", "int", "float", "bool"):
            return self.kind
        if self.kind == "datetime":
            return "~datetime.datetime"
        if self.kind == "model":
            return f"~{namespace}.models.{self.name}"
        if self.kind == "enum":
            return f"str or ~{namespace}.models.{self.name}"
        if self.kind == "list":
            assert self.inner is not None
            return f"list[{self.inner.doc(namespace)}]"
        if self.kind == "dict":
            assert self.inner is not None
            return f"dict[str, {self.inner.doc(namespace)}]"
        if self.kind == "file":
            return "bytes or IO[bytes] or tuple"
        return "any"

    def models(self) -> List[str]:
        """Names of models and enums this type refers to."""
        if self.kind in ("model", "enum"):
            return [self.name]
        if self.inner is not None:
            return self.inner.models()
        return []


# --------------------------------------------------------------------------
# Definition objects
# --------------------------------------------------------------------------


@dataclass
class Property:
    wire: str
    python: str
    type: TypeRef
    required: bool
    readonly: bool
    description: str


@dataclass
class Model:
    name: str
    description: str
    base: Optional[str]
    own: List[Property]
    discriminator: Optional[str] = None  # wire key, on polymorphic bases
    discriminator_value: Optional[str] = None
    all_properties: List[Property] = field(default_factory=list)
    subtypes: List[str] = field(default_factory=list)

    @property
    def is_document(self) -> bool:
        """A free-form JSON document: no property declared or inherited, no base, no subtypes.

        Its keys are data (a class map legend's class values, a JSON Schema's keywords), so the
        model is generated on the ``dict``-based ``DocumentModel``: it is the JSON object itself.
        """
        return not (self.all_properties or self.base or self.subtypes or self.discriminator)


@dataclass
class EnumValue:
    name: str
    value: str
    description: str


@dataclass
class Enum:
    name: str
    description: str
    values: List[EnumValue]


@dataclass
class Parameter:
    wire: str
    python: str
    location: str  # path | query | header | body
    type: TypeRef
    required: bool
    description: str
    collection_format: Optional[str] = None  # csv | multi
    skip_quote: bool = False
    default: Any = None
    keyword_only: bool = False  # x-keyword-only: required, but passed by keyword
    spread: bool = False  # x-spread-body: optional body whose properties are also keywords


@dataclass
class Response:
    status: int
    type: Optional[TypeRef]  # None: no body; kind "file": stream; str with xml: text


@dataclass
class Operation:
    operation_id: str
    group: str  # client.yaml group key (e.g. "Stac")
    method_name: str
    http_method: str
    path: str
    summary: str
    description: str
    parameters: List[Parameter]
    responses: List[Response]
    consumes: List[str]
    produces: List[str]
    error_model: Optional[str]
    lro: bool = False
    lro_options: Dict[str, str] = field(default_factory=dict)
    #: Paging (x-ms-pageable): the item type, the page's item and next-link wire keys.
    page_item: Optional[TypeRef] = None
    page_item_name: str = "value"
    next_link_name: str = "nextLink"
    #: Spread body: the body model's properties, offered as keyword arguments.
    spread_properties: List["Property"] = field(default_factory=list)

    @property
    def body(self) -> Optional[Parameter]:
        return next((p for p in self.parameters if p.location == "body"), None)

    @property
    def positional(self) -> List[Parameter]:
        """Parameters passed by position: required ones, and a spread body (optional)."""
        return [p for p in self.parameters if (p.required and not p.keyword_only) or p.spread]

    @property
    def keyword(self) -> List[Parameter]:
        """Keyword-only parameters: required keyword-only ones first keep their listed order."""
        positional = self.positional
        return [p for p in self.parameters if p not in positional]

    @property
    def statuses(self) -> List[int]:
        return [r.status for r in self.responses]

    @property
    def result(self) -> Optional[TypeRef]:
        """The return type: the first success response with a schema."""
        return next((r.type for r in self.responses if r.type is not None), None)

    @property
    def content_type(self) -> Optional[str]:
        if self.body is None:
            return None
        return self.consumes[0] if self.consumes else "application/json"

    @property
    def is_multipart(self) -> bool:
        return self.content_type == "multipart/form-data"

    @property
    def accept(self) -> Optional[str]:
        if self.result is None:
            # Long-running operations ask for JSON even when the initial response has no body.
            return "application/json" if self.lro else None
        if self.result.kind == "file" and not self.produces:
            return None  # binary bodies: no Accept unless the operation names its media type
        return ", ".join(self.produces) if self.produces else "application/json"

    @property
    def returns_stream(self) -> bool:
        return self.result is not None and self.result.kind == "file"

    @property
    def returns_text(self) -> bool:
        return self.result is not None and self.result.kind == "str" and any("xml" in p for p in self.produces)

    @property
    def builder_name(self) -> str:
        plain = self.method_name[len("begin_") :] if self.lro else self.method_name
        return f"build_{snake_case(self.group)}_{plain}_request"


@dataclass
class Group:
    key: str
    attribute: str
    class_name: str
    description: str
    operations: List[Operation] = field(default_factory=list)
    aliases: Dict[str, str] = field(default_factory=dict)  # other name -> method name
    attribute_aliases: List[str] = field(default_factory=list)  # other client attributes for the group
    mixins: List[str] = field(default_factory=list)  # hand-written bases of the public class: "_module.Class"


@dataclass
class ClientConfig:
    package_name: str
    namespace: str
    client: str
    default_api_version: str
    credential_scopes: List[str]
    package_version: str


@dataclass
class Definition:
    config: ClientConfig
    title: str
    description: str
    groups: List[Group]
    models: Dict[str, Model]
    enums: Dict[str, Enum]
    source_files: Tuple[str, ...]


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


class DefinitionError(Exception):
    """The YAML does not follow the rules in swagger/README.md."""


class _Loader:
    def __init__(self, doc: Dict[str, Any]) -> None:
        self.doc = doc
        self.definitions: Dict[str, Any] = doc.get("definitions", {})
        self.parameters: Dict[str, Any] = doc.get("parameters", {})

    def deref(self, node: Dict[str, Any]) -> Dict[str, Any]:
        ref = node.get("$ref")
        if ref is None:
            return node
        section, name = ref.split("/")[-2:]
        table = self.definitions if section == "definitions" else self.parameters
        if name not in table:
            raise DefinitionError(f"unresolved $ref {ref}")
        return table[name]

    def is_enum(self, schema: Dict[str, Any]) -> bool:
        return "enum" in schema and "x-ms-enum" in schema and schema.get("type", "string") == "string"

    def type_of(self, schema: Dict[str, Any], where: str) -> TypeRef:
        ref = schema.get("$ref")
        if ref is not None:
            name = ref.split("/")[-1]
            target = self.deref(schema)
            return TypeRef("enum" if self.is_enum(target) else "model", name)
        kind = schema.get("type")
        if kind == "string":
            if schema.get("format") in ("date-time", "date-time-rfc3339"):
                return TypeRef("datetime")
            if schema.get("format") == "binary":
                return TypeRef("file")
            if "x-ms-enum" in schema and schema["x-ms-enum"].get("name") and "enum" in schema:
                return TypeRef("enum", schema["x-ms-enum"]["name"])
            return TypeRef("str")
        if kind == "file":
            return TypeRef("file")
        if kind == "integer":
            return TypeRef("int")
        if kind == "number":
            return TypeRef("float")
        if kind == "boolean":
            return TypeRef("bool")
        if kind == "array":
            if "items" not in schema:
                raise DefinitionError(f"{where}: array without items")
            return TypeRef("list", inner=self.type_of(schema["items"], where))
        if kind == "object" or kind is None:
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and (extra.get("type") or extra.get("$ref")):
                return TypeRef("dict", inner=self.type_of(extra, where))
            if extra is not None and not schema.get("properties"):
                return TypeRef("dict", inner=TypeRef("any"))
            return TypeRef("any")
        raise DefinitionError(f"{where}: unsupported schema {schema}")

    # -- models and enums --------------------------------------------------

    def load_models(self) -> Tuple[Dict[str, Model], Dict[str, Enum]]:
        models: Dict[str, Model] = {}
        enums: Dict[str, Enum] = {}
        for name, schema in self.definitions.items():
            if self.is_enum(schema):
                enums[name] = self.load_enum(name, schema)
            else:
                models[name] = self.load_model(name, schema)
        for model in models.values():
            model.all_properties = self.collect_properties(model, models)
            if model.base:
                models[model.base].subtypes.append(model.name)
        return models, enums

    def load_enum(self, name: str, schema: Dict[str, Any]) -> Enum:
        meta = schema["x-ms-enum"]
        if meta.get("name") != name:
            raise DefinitionError(f"enum {name}: x-ms-enum name must equal the definition key")
        # Several names may share a value (older releases' member names): Python makes them aliases.
        described: Dict[str, List[Dict[str, Any]]] = {}
        for entry in meta.get("values", []):
            described.setdefault(str(entry["value"]), []).append(entry)
        values = []
        for value in schema["enum"]:
            for info in described.get(str(value)) or [{}]:
                member = info.get("name") or re.sub(r"\W+", "_", str(value)).upper().strip("_")
                values.append(EnumValue(member, str(value), info.get("description", "")))
        return Enum(name, _text(schema.get("description")), values)

    def load_model(self, name: str, schema: Dict[str, Any]) -> Model:
        base = None
        own_schema = schema
        if "allOf" in schema:
            parents = [p for p in schema["allOf"] if "$ref" in p]
            if len(parents) != 1:
                raise DefinitionError(f"model {name}: allOf must name exactly one base")
            base = parents[0]["$ref"].split("/")[-1]
        required = set(own_schema.get("required", []))
        own = []
        for wire, prop in (own_schema.get("properties") or {}).items():
            own.append(
                Property(
                    wire=wire,
                    python=prop.get("x-ms-client-name") or snake_case(wire),
                    type=self.type_of(prop, f"{name}.{wire}"),
                    required=wire in required,
                    readonly=bool(prop.get("readOnly")),
                    description=_text(prop.get("description")),
                )
            )
        return Model(
            name=name,
            description=_text(schema.get("description")),
            base=base,
            own=own,
            discriminator=schema.get("discriminator"),
            discriminator_value=schema.get("x-ms-discriminator-value"),
        )

    def collect_properties(self, model: Model, models: Dict[str, Model]) -> List[Property]:
        inherited = self.collect_properties(models[model.base], models) if model.base else []
        own_keys = {p.wire for p in model.own}
        return [p for p in inherited if p.wire not in own_keys] + model.own

    # -- operations --------------------------------------------------------

    def load_parameter(self, node: Dict[str, Any], where: str) -> Parameter:
        node = self.deref(node)
        location = node["in"]
        if location == "body":
            ptype = self.type_of(node["schema"], where)
        else:
            ptype = self.type_of(node, where)
        return Parameter(
            wire=node["name"],
            python=node.get("x-ms-client-name") or snake_case(node["name"]),
            location=location,
            type=ptype,
            required=bool(node.get("required")),
            description=_text(node.get("description")),
            collection_format=node.get("collectionFormat"),
            skip_quote=bool(node.get("x-ms-skip-url-encoding")),
            default=node.get("default"),
            keyword_only=bool(node.get("x-keyword-only")),
            spread=bool(node.get("x-spread-body")),
        )

    def load_operation(
        self, path: str, http_method: str, node: Dict[str, Any], groups: Dict[str, Group], overrides: Dict[str, str]
    ) -> Operation:
        op_id = node["operationId"]
        if "_" not in op_id:
            raise DefinitionError(f"{op_id}: operationId must be <Group>_<Name>")
        group_key, name = op_id.split("_", 1)
        if group_key not in groups:
            raise DefinitionError(f"{op_id}: group {group_key} is not in client.yaml")
        lro = bool(node.get("x-ms-long-running-operation"))
        method_name = overrides.get(op_id) or ("begin_" if lro else "") + snake_case(name)
        params = []
        for raw in node.get("parameters", []):
            param = self.load_parameter(raw, op_id)
            if param.wire == "api-version":
                continue
            params.append(param)
        responses = []
        error_model = None
        for status, resp in node.get("responses", {}).items():
            if status == "default":
                schema = resp.get("schema")
                error_model = schema["$ref"].split("/")[-1] if schema and "$ref" in schema else None
                continue
            code = int(status)
            if code not in SUCCESS:
                continue
            rtype = self.type_of(resp["schema"], f"{op_id} {status}") if "schema" in resp else None
            responses.append(Response(code, rtype))
        paging = node.get("x-ms-pageable")
        page_item = None
        if paging:
            page_schema = node["responses"].get("200", {}).get("schema")
            item_name = paging.get("itemName", "value")
            try:
                page_item = self.type_of(page_schema["properties"][item_name]["items"], op_id)  # type: ignore[index]
            except (KeyError, TypeError) as exc:
                raise DefinitionError(f"{op_id}: a pageable 200 response needs an inline {item_name} array") from exc
        return Operation(
            operation_id=op_id,
            group=group_key,
            method_name=method_name,
            http_method=http_method.upper(),
            path=path,
            summary=_text(node.get("summary")),
            description=_text(node.get("description")),
            parameters=params,
            responses=responses,
            consumes=list(node.get("consumes") or []),
            produces=list(node.get("produces") or []),
            error_model=error_model,
            lro=lro,
            lro_options=dict(node.get("x-ms-long-running-operation-options") or {}),
            page_item=page_item,
            page_item_name=(paging or {}).get("itemName", "value"),
            next_link_name=(paging or {}).get("nextLinkName") or "nextLink",
        )


def _text(value: Any) -> str:
    return " ".join(str(value or "").split()) if value and "\n\n" not in str(value) else str(value or "").strip()


def load(swagger_dir: Path) -> Definition:
    """Load the definition and client config from ``swagger_dir``."""
    doc_path = swagger_dir / "planetarycomputer.yaml"
    config_path = swagger_dir / "client.yaml"
    doc = yaml.safe_load(doc_path.read_text(encoding="utf-8"))
    cfg = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    loader = _Loader(doc)
    models, enums = loader.load_models()

    tag_docs = {t["name"]: _text(t.get("description")) for t in doc.get("tags", [])}
    groups: Dict[str, Group] = {}
    for key, info in cfg["groups"].items():
        groups[key] = Group(key, info["attribute"], info["class"], tag_docs.get(info["attribute"], ""))
        groups[key].attribute_aliases = list(info.get("aliases") or [])
        groups[key].mixins = list(info.get("mixins") or [])
        for mixin in groups[key].mixins:
            if not re.fullmatch(r"_\w+\.[A-Za-z]\w*", mixin):
                raise DefinitionError(f"group {key}: mixin {mixin!r} is not '_module.Class' (a module of operations/)")
    overrides = cfg.get("methods") or {}
    for path, item in doc.get("paths", {}).items():
        for http_method, node in item.items():
            if http_method == "parameters":
                continue
            op = loader.load_operation(path, http_method, node, groups, overrides)
            body = op.body
            if body is not None and body.spread:
                if body.type.kind != "model":
                    raise DefinitionError(f"{op.operation_id}: a spread body needs a model schema")
                op.spread_properties = models[body.type.name].all_properties
            groups[op.group].operations.append(op)
    for group in groups.values():
        names = [op.method_name for op in group.operations]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise DefinitionError(f"group {group.key}: duplicate method names {sorted(dupes)}")
        group.operations.sort(key=lambda op: op.method_name)
        for alias, target in sorted((cfg.get("aliases") or {}).get(group.key, {}).items()):
            if target not in names:
                raise DefinitionError(f"alias {group.key}.{alias}: no method {target}")
            if alias in names:
                raise DefinitionError(f"alias {group.key}.{alias} hides a method of that name")
            group.aliases[alias] = target

    config = ClientConfig(
        package_name=cfg["package_name"],
        namespace=cfg["namespace"],
        client=cfg["client"],
        default_api_version=str(cfg["default_api_version"]),
        credential_scopes=list(cfg["credential_scopes"]),
        package_version=str(cfg["package_version"]),
    )
    info = doc.get("info", {})
    if str(info.get("version")) != config.default_api_version:
        raise DefinitionError("info.version must equal client.yaml default_api_version")
    return Definition(
        config=config,
        title=_text(info.get("title")),
        description=_text(info.get("description")),
        groups=list(groups.values()),
        models=dict(sorted(models.items())),
        enums=dict(sorted(enums.items())),
        source_files=(doc_path.name, config_path.name),
    )
