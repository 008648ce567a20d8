"""Write models/_models.py, models/_enums.py and models/__init__.py."""

from __future__ import annotations

from typing import Dict, List

from .spec import Definition, Enum, Model, Property
from .writer import docstring, header, paragraphs, wrap


def _ordered(models: Dict[str, Model]) -> List[Model]:
    """Models sorted by name, with every base before its subtypes."""
    done: Dict[str, Model] = {}

    def visit(model: Model) -> None:
        if model.name in done:
            return
        if model.base:
            visit(models[model.base])
        done[model.name] = model

    for model in models.values():
        visit(model)
    return list(done.values())


def _attr_annotation(prop: Property) -> str:
    ann = prop.type.annotation()
    return ann if prop.required else f"Optional[{ann}]"


def _document_class(model: Model) -> str:
    """A model with no declared property: the JSON object itself, a ``dict`` (``DocumentModel``)."""
    doc: List[str] = paragraphs(model.description or f"{model.name}.", "    ")
    doc.append("")
    doc.extend(
        wrap(
            "A ``dict`` of wire keys that is also a model: ``isinstance(x, dict)`` and ``json.dumps(x)`` "
            "work as they are, ``as_dict()`` returns a plain deep copy.",
            "    ",
        )
    )
    return f"class {model.name}(_DocumentModel):\n" + docstring(doc, "    ") + "\n    __slots__ = ()\n"


def _model_class(model: Model, definition: Definition) -> str:
    if model.is_document:
        return _document_class(model)
    ns = definition.config.namespace
    base = model.base or "_Model"
    props = model.all_properties
    disc_key = _discriminator_key(model, definition)

    doc: List[str] = paragraphs(model.description or f"{model.name}.", "    ")
    if model.subtypes:
        doc.append("")
        doc.extend(
            wrap(
                "Subtypes, chosen by ``"
                + (model.discriminator or "")
                + "``: "
                + ", ".join(f":class:`~{ns}.models.{s}`" for s in sorted(model.subtypes))
                + ".",
                "    ",
            )
        )
    if props:
        doc.append("")
    for prop in props:
        if prop.wire == disc_key and model.discriminator_value:
            continue
        req = " Required." if prop.required else ""
        ro = " Set by the service." if prop.readonly else ""
        doc.extend(wrap(f"{prop.description}{req}{ro}", "    ", f":ivar {prop.python}: "))
        doc.extend(wrap(prop.type.doc(ns), "    ", f":vartype {prop.python}: "))

    out = [f"class {model.name}({base}):\n", docstring(doc, "    "), "\n    __slots__ = ()\n"]
    # msrest-style map over every attribute (inherited ones included).
    out.append("    _attribute_map = {\n")
    for prop in props:
        out.append(f'        "{prop.python}": {{"key": "{prop.wire}", "type": "{prop.type.msrest()}"}},\n')
    out.append("    }\n")
    rules = [p for p in props if p.required or p.readonly]
    if rules:
        out.append("    _validation = {\n")
        for prop in rules:
            flags = []
            if prop.required:
                flags.append('"required": True')
            if prop.readonly:
                flags.append('"readonly": True')
            out.append(f'        "{prop.python}": {{{", ".join(flags)}}},\n')
        out.append("    }\n")
    if model.discriminator:
        out.append(f'    _discriminator = "{model.discriminator}"\n')
    if model.discriminator_value:
        out.append(f'    _discriminator_value = "{model.discriminator_value}"\n')
    out.append("\n")
    for prop in model.own:
        out.append(f"    {prop.python}: {_attr_annotation(prop)}\n")

    # Keyword constructor: required first, then optional; the discriminator of a subtype is fixed.
    params = [p for p in props if not (p.wire == disc_key and model.discriminator_value) and not p.readonly]
    required = [p for p in params if p.required]
    optional = [p for p in params if not p.required]
    sig = ["self"] + (["*"] if params else [])
    sig += [f"{p.python}: {p.type.annotation()}" for p in required]
    sig += [f"{p.python}: Optional[{p.type.annotation()}] = None" for p in optional]
    sig.append("**kwargs: Any")
    out.append("\n    @overload\n")
    out.append(f"    def __init__({', '.join(sig)}) -> None: ...\n")
    out.append("\n    @overload\n")
    out.append("    def __init__(self, mapping: Mapping[str, Any], /) -> None:\n")
    out.append('        """Wrap a mapping of wire keys (copied)."""\n')
    out.append("\n    def __init__(self, *args: Any, **kwargs: Any) -> None:\n")
    out.append("        super().__init__(*args, **kwargs)\n")
    return "".join(out)


def _discriminator_key(model: Model, definition: Definition) -> str:
    current = model
    while current.base:
        current = definition.models[current.base]
    return current.discriminator or ""


def emit_models(definition: Definition) -> str:
    models = _ordered(definition.models)
    used_enums = sorted({name for m in models for p in m.own for name in p.type.models() if name in definition.enums})
    out = [
        header(definition.source_files),
        '"""Models of the GeoCatalog API (wire keys, types and docs come from the definition)."""\n\n',
        "from __future__ import annotations\n\n",
        "import datetime\n",
        "from typing import Any, Dict, List, Mapping, Optional, Union, overload\n\n",
        "from .._serialization import "
        + ("DocumentModel as _DocumentModel, " if any(m.is_document for m in models) else "")
        + "FileType, Model as _Model\n",
    ]
    if used_enums:
        out.append("from ._enums import " + ", ".join(used_enums) + "\n")
    out.append("\n__all__ = [\n" + "".join(f'    "{m.name}",\n' for m in models) + "]\n")
    for model in models:
        out.append("\n\n" + _model_class(model, definition))
    return "".join(out)


def _enum_class(enum: Enum) -> str:
    doc = paragraphs(enum.description or f"{enum.name}.", "    ")
    out = [f"class {enum.name}(CaseInsensitiveStrEnum):\n", docstring(doc, "    "), "\n"]
    for value in enum.values:
        out.append(f"    {value.name} = {value.value!r}\n")
        if value.description:
            out.append(docstring(wrap(value.description, "    "), "    "))
    return "".join(out)


def emit_enums(definition: Definition) -> str:
    out = [
        header(definition.source_files),
        '"""Enumerations of the GeoCatalog API (case-insensitive; unknown values stay plain strings)."""\n\n',
        "from .._serialization import CaseInsensitiveStrEnum\n",
        "\n__all__ = [\n" + "".join(f'    "{e}",\n' for e in definition.enums) + "]\n",
    ]
    for enum in definition.enums.values():
        out.append("\n\n" + _enum_class(enum))
    return "".join(out)


PACKAGE_INIT = '''\
"""{doc}"""

from typing import TYPE_CHECKING

from .{module} import *  # noqa: F403
from .{module} import __all__ as _generated_all
{extra}
if TYPE_CHECKING:
    from ._patch import *  # noqa: F403
from ._patch import __all__ as _patch_all
from ._patch import *  # noqa: F403
from ._patch import patch_sdk as _patch_sdk

__all__ = [*_generated_all, {extra_all}*_patch_all]

_patch_sdk()
'''


def emit_models_init(definition: Definition) -> str:
    extra = "from ._enums import *  # noqa: F403\nfrom ._enums import __all__ as _enums_all\n"
    return header(definition.source_files) + PACKAGE_INIT.format(
        doc="Models and enums of the GeoCatalog API.", module="_models", extra=extra, extra_all="*_enums_all, "
    )
