"""The plain data the definition and the client config are read into (see :mod:`.spec`).

Types, models, enums, operations and their groups: what the emitters format. Properties that
derive from the data (a method's positional parameters, its accepted statuses, its request
builder's name) are computed here, once.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

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
