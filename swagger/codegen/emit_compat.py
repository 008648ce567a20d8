"""Write operations/_compat.py and aio/operations/_compat.py from swagger/compat.yaml.

The table lists the 1.0.0b1 method names whose parameters or result 1.0.0 changed; each becomes a
method of ``<Class>Compat`` (a subclass of the generated group class) that takes 1.0.0b1's
parameters, converts them with the functions of ``azure/planetarycomputer/_compat_args.py`` and
calls the current method. Everything is checked against the definition while loading, so a table
entry that names a missing method, parameter or converter fails generation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from .spec import Definition, DefinitionError, Group, Operation, Parameter, TypeRef
from .writer import docstring, header, wrap

TABLE = "compat.yaml"
CONVERTERS = Path("azure") / "planetarycomputer" / "_compat_args.py"
PRIMITIVES = ("str", "int", "float", "bool")
#: Other names of the type language: annotation, docstring text, serializer type.
NAMED = {"Any": ("Any", "any", "object"), "JSON": ("JSON", "JSON", "object"), "IO": ("IO[bytes]", "IO[bytes]", "IO")}

# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class CompatType:
    """A type of the table's small language: annotation parts (a Union when several)."""

    atoms: Tuple[str, ...]
    docs: Tuple[str, ...]
    wire: str  # serializer type of the first alternative (for parameters sent in the query)

    @property
    def annotation(self) -> str:
        return self.atoms[0] if len(self.atoms) == 1 else f"Union[{', '.join(self.atoms)}]"

    @property
    def doc(self) -> str:
        return " or ".join(self.docs)


def _split(text: str, sep: str) -> List[str]:
    """Split at ``sep`` outside brackets."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char in "[{"
        depth -= char in "]}"
        if char == sep and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return parts + [current.strip()]


def parse_type(text: str, definition: Definition) -> CompatType:
    """``str``, ``[int]``, ``{BandStatistics}``, ``Feature | JSON | IO``, ... -> CompatType."""
    ns = definition.config.namespace
    alternatives = _split(str(text), "|")
    if len(alternatives) > 1:
        parsed = [parse_type(a, definition) for a in alternatives]
        atoms = tuple(dict.fromkeys(a for p in parsed for a in p.atoms))
        docs = tuple(dict.fromkeys(d for p in parsed for d in p.docs))
        return CompatType(atoms, docs, parsed[0].wire)
    name = alternatives[0]
    if name.startswith("[") and name.endswith("]"):
        inner = parse_type(name[1:-1], definition)
        return CompatType((f"List[{inner.annotation}]",), (f"list[{inner.doc}]",), f"[{inner.wire}]")
    if name.startswith("{") and name.endswith("}"):
        inner = parse_type(name[1:-1], definition)
        return CompatType((f"Dict[str, {inner.annotation}]",), (f"dict[str, {inner.doc}]",), f"{{{inner.wire}}}")
    if name in PRIMITIVES:
        return CompatType((name,), (name,), name)
    if name in NAMED:
        annotation, doc, wire = NAMED[name]
        return CompatType((annotation,), (doc,), wire)
    if name in definition.enums:
        return CompatType(("str", f"_models.{name}"), ("str", f"~{ns}.models.{name}"), "str")
    if name in definition.models:
        return CompatType((f"_models.{name}",), (f"~{ns}.models.{name}",), name)
    raise DefinitionError(f"{TABLE}: unknown type {name!r}")


def _result_type(op: Operation, async_: bool, ns: str) -> Tuple[str, str]:
    """Annotation and ``:rtype:`` text of what a (plain: not paged, not long-running) method returns."""
    if op.returns_stream:
        if async_:
            return "AsyncResponseStream", f"~{ns}.aio.AsyncResponseStream"
        return "ResponseStream", f"~{ns}.ResponseStream"
    result: Optional[TypeRef] = op.result
    if result is None:
        return "None", "None"
    return result.annotation("_models."), result.doc(ns)


# --------------------------------------------------------------------------- the table


@dataclass
class CompatParameter:
    name: str
    type: CompatType
    kind: str  # "positional" (required), "required" (keyword-only, required) or "keyword" (optional)
    doc: str
    convert: Optional[str] = None  # _compat_args function
    target: Optional[str] = None  # the current method's parameter (None: sent as an extra query parameter)
    query: Optional[str] = None  # wire name when 1.0.0 no longer declares it

    @property
    def positional(self) -> bool:
        return self.kind == "positional"


@dataclass
class CompatMethod:
    name: str
    target: Operation
    parameters: List[CompatParameter]
    doc: str = ""
    returns: Optional[CompatType] = None
    returns_convert: Optional[str] = None
    path: List[str] = field(default_factory=list)
    routes: List[Tuple[List[str], Operation]] = field(default_factory=list)
    newer: List[str] = field(default_factory=list)


@dataclass
class CompatGroup:
    group: Group
    methods: List[CompatMethod]
    aliases: Dict[str, str]

    @property
    def class_name(self) -> str:
        return f"{self.group.class_name}Compat"


def _plain(op: Operation, where: str) -> Operation:
    if op.lro or op.page_item is not None:
        raise DefinitionError(f"{where}: {op.method_name} is paged or long-running; adapters call plain methods")
    return op


def _param_doc(name: str, declared: Dict[str, Any], target: Optional[Parameter], group: Group, where: str) -> str:
    """The table's doc, else the description of the parameter the value goes to, else of one of that name."""
    if declared.get("doc"):
        return " ".join(str(declared["doc"]).split())
    if target is not None and target.description:
        return target.description
    for op in group.operations:
        for p in op.parameters:
            if p.python == name and p.description:
                return p.description
    raise DefinitionError(f"{where}: no doc for parameter {name}; add one under parameters:")


@dataclass
class _Context:
    """Where a method entry is read, and what it is checked against."""

    where: str
    group: Group
    converters: str
    definition: Definition


def _check_function(name: str, converters: str, where: str) -> str:
    if not re.search(rf"^def {name}\(", converters, re.M):
        raise DefinitionError(f"{where}: no function {name} in {CONVERTERS}")
    return name


def _load_parameter(
    item: Any, kind: str, entry: Dict[str, Any], catalog: Dict[str, Any], target: Operation, context: _Context
) -> CompatParameter:
    """One parameter of a method: its declaration in ``parameters:``, then the method's ``map:`` rule."""
    name, override = next(iter(item.items())) if isinstance(item, dict) else (item, None)
    if name not in catalog:
        raise DefinitionError(f"{context.where}: parameter {name} is not under parameters:")
    declared = {**catalog[name], **({"type": override} if override is not None else {})}
    rule = {"convert": declared.get("convert"), **(entry.get("map") or {}).get(name, {})}
    query = rule.get("query")
    current = None if query else rule.get("to", name)
    by_python = {p.python: p for p in target.parameters}
    if current is not None and current not in by_python:
        raise DefinitionError(f"{context.where}: {target.method_name} has no parameter {current}; map it")
    convert = rule.get("convert") if current else None
    return CompatParameter(
        name=name,
        type=parse_type(declared["type"], context.definition),
        kind=kind,
        doc=_param_doc(name, declared, by_python.get(current) if current else None, context.group, context.where),
        convert=_check_function(convert, context.converters, context.where) if convert else None,
        target=current,
        query=query,
    )


def _load_routes(method: CompatMethod, entry: Dict[str, Any], ops: Dict[str, Operation], where: str) -> None:
    """``path:``, ``routes:`` and ``newer:`` of a method that reads 1.0.0b1's path values."""
    method.path = list(entry.get("path") or [])
    method.newer = list(entry.get("newer") or [])
    fixed = [p.name for p in method.parameters if p.positional]
    for key, route in (entry.get("routes") or {}).items():
        values = str(key).split()
        if route not in ops or values != [v for v in method.path if v in values]:
            raise DefinitionError(f"{where}: route {key} -> {route}")
        expected = fixed + values
        if [p.python for p in _plain(ops[route], where).positional] != expected:
            raise DefinitionError(f"{where}: {route} does not take {expected} positionally")
        method.routes.append((values, ops[route]))


def _load_method(name: str, entry: Dict[str, Any], catalog: Dict[str, Any], context: _Context) -> CompatMethod:
    where = context.where
    ops = {op.method_name: op for op in context.group.operations}
    if entry.get("calls") not in ops:
        raise DefinitionError(f"{where}: calls {entry.get('calls')!r}, not a method of the group")
    target = _plain(ops[entry["calls"]], where)
    if name in ops and name != target.method_name:
        raise DefinitionError(f"{where}: would hide the generated method {name}")
    if name in context.group.aliases:
        raise DefinitionError(f"{where}: is also a client.yaml alias")
    params = [
        _load_parameter(item, kind, entry, catalog, target, context)
        for kind, key in (("positional", "positional"), ("required", "required_keywords"), ("keyword", "keywords"))
        for item in entry.get(key) or []
    ]
    named = set(entry.get("map") or {}) | set(entry.get("path") or []) | set(entry.get("newer") or [])
    unknown = named - {p.name for p in params}
    if unknown:
        raise DefinitionError(f"{where}: map/path/newer name parameters it does not have: {sorted(unknown)}")
    missing = [p.python for p in target.parameters if p.required and p.python not in {q.target for q in params}]
    if missing:
        raise DefinitionError(f"{where}: nothing is passed to {target.method_name}'s required {missing}")
    method = CompatMethod(name, target, params, doc=" ".join(str(entry.get("doc") or "").split()))
    if entry.get("returns"):
        method.returns = parse_type(entry["returns"]["type"], context.definition)
        method.returns_convert = _check_function(entry["returns"]["convert"], context.converters, where)
    _load_routes(method, entry, ops, where)
    return method


def load_compat(swagger_dir: Path, root: Path, definition: Definition) -> List[CompatGroup]:
    """Read and check ``swagger/compat.yaml`` against the definition."""
    table = yaml.safe_load((swagger_dir / TABLE).read_text(encoding="utf-8"))
    converters = (root / CONVERTERS).read_text(encoding="utf-8")
    catalog: Dict[str, Any] = table.get("parameters") or {}
    groups = {g.key: g for g in definition.groups}
    out: List[CompatGroup] = []
    for key, entries in (table.get("groups") or {}).items():
        if key not in groups:
            raise DefinitionError(f"{TABLE}: group {key} is not in client.yaml")
        entries = dict(entries)
        aliases = dict(entries.pop("aliases", None) or {})
        methods = [
            _load_method(name, entry, catalog, _Context(f"{TABLE} {key}.{name}", groups[key], converters, definition))
            for name, entry in sorted(entries.items())
        ]
        for alias, method_name in aliases.items():
            if method_name not in {m.name for m in methods}:
                raise DefinitionError(f"{TABLE}: alias {key}.{alias} names no table method {method_name}")
        out.append(CompatGroup(groups[key], methods, aliases))
    return out


# --------------------------------------------------------------------------- code


def _signature(method: CompatMethod, async_: bool, returns: str) -> str:
    args = ["self"]
    for p in method.parameters:
        if p.positional:
            args.append(f"{p.name}: {p.type.annotation}")
    if method.path:
        args.append("*args: Any")
    keywords = [f"{p.name}: {p.type.annotation}" for p in method.parameters if p.kind == "required"]
    keywords += [f"{p.name}: Optional[{p.type.annotation}] = None" for p in method.parameters if p.kind == "keyword"]
    if keywords and not method.path:
        args.append("*")
    args += keywords + ["**kwargs: Any"]
    return f"    {'async def' if async_ else 'def'} {method.name}({', '.join(args)}) -> {returns}:\n"


def _doc(method: CompatMethod, async_: bool, rtype: str, ns: str) -> str:
    target = method.target
    indent = "        "
    lines = wrap(target.summary or f"See {target.method_name}.", indent)
    lines.append("")
    lines.extend(
        wrap(
            f"The 1.0.0b1 form of :meth:`{target.method_name}`, with 1.0.0b1's parameters. {method.doc}",
            indent,
        )
    )
    if method.routes:
        routes = ", ".join(f":meth:`{op.method_name}` ({' and '.join(values)})" for values, op in method.routes)
        lines.append("")
        lines.extend(wrap(f"1.0.0b1's path values that are not None go to {routes}.", indent))
    if method.parameters:
        lines.append("")
    for p in method.parameters:
        if p.positional:
            lines.extend(wrap(f"{p.doc} Required.", indent, f":param {p.name}: "))
            lines.extend(wrap(p.type.doc, indent, f":type {p.name}: "))
        elif p.kind == "required":
            lines.extend(wrap(f"{p.doc} Required.", indent, f":keyword {p.name}: "))
            lines.extend(wrap(p.type.doc, indent, f":paramtype {p.name}: "))
        else:
            lines.extend(wrap(f"{p.doc} Default value is None.", indent, f":keyword {p.name}: "))
            lines.extend(wrap(p.type.doc, indent, f":paramtype {p.name}: "))
    lines.append("")
    if method.returns is not None:
        what = "the result, as 1.0.0b1 returned it"
    elif target.returns_stream:
        what = "the body, streamed: iterate for bytes chunks, or read() / text()"
    else:
        what = rtype.rsplit(".", 1)[-1]
    lines.extend(wrap(what, indent, ":return: "))
    lines.append(f"{indent}:rtype: {rtype}")
    if method.path:
        lines.extend(
            wrap(
                f"More positional arguments than 1.0.0b1 took, or one of {', '.join(method.path)} given twice.",
                indent,
                ":raises TypeError: ",
            )
        )
    lines.append(f"{indent}:raises ~azure.core.exceptions.HttpResponseError:")
    return docstring(lines, indent)


def _value(p: CompatParameter) -> str:
    return f"_compat_args.{p.convert}({p.name})" if p.convert else p.name


def _call(method: CompatMethod, op: Operation, positional: List[str], keywords: str, async_: bool) -> str:
    receiver = "super()" if op.method_name == method.name else "self"
    awaited = "await " if async_ else ""
    args = ", ".join([*positional, keywords, "**kwargs"] if keywords else [*positional, "**kwargs"])
    return f"{awaited}{receiver}.{op.method_name}({args})"


def _body(method: CompatMethod, async_: bool, returns: str) -> str:
    target = method.target
    out: List[str] = []
    sent = [p for p in method.parameters if p.query is None and p.name not in method.path]
    extra = [p for p in method.parameters if p.query is not None]
    if extra:
        entries = ", ".join(f'("{p.query}", {p.name}, "{p.type.wire}")' for p in extra)
        out.append(f"        _compat_args.extra_query(self._serialize, kwargs, {entries})\n")
    if method.returns_convert:
        out.append(f"        _compat_args.convert_result(kwargs, _compat_args.{method.returns_convert})\n")
    target_positional = [p.python for p in target.positional]
    by_target = {p.target: p for p in sent}
    positional = [_value(by_target[name]) for name in target_positional]
    fixed = [p.name for p in method.parameters if p.positional]
    if method.path:
        where = ", ".join(f'"{name}": {name}' for name in method.path)
        newer = ", ".join(method.newer) + ("," if len(method.newer) == 1 else "")
        arguments = ", ".join(f'"{p.target}": {_value(p)}' for p in sent if p.target not in target_positional)
        out.append(f"        where: Dict[str, Any] = {{{where}}}\n")
        out.append(f'        path = _compat_args.path_values("{method.name}", {len(fixed)}, args, where, ({newer}))\n')
        out.append(f"        arguments: Dict[str, Any] = {{{arguments}}}\n")
        out.append("        if path is None:  # 1.0.0's call: these keywords go to the query\n")
        out.append(f"            return {_call(method, target, positional, '**where, **arguments', async_)}\n")
        for values, route in method.routes:
            check = "{" + ", ".join(f'"{v}"' for v in values) + "}"
            route_args = positional + [f'path["{v}"]' for v in values]
            out.append(f"        if path.keys() == {check}:\n")
            out.append(f"            return {_call(method, route, route_args, '**arguments', async_)}\n")
        out.append(f"        return {_call(method, target, positional, '**arguments', async_)}\n")
        return "".join(out)
    keywords = ", ".join(f"{p.target}={_value(p)}" for p in sent if p.target not in target_positional)
    call = _call(method, target, positional, keywords, async_)
    if method.returns_convert:
        out.append(f"        return cast({returns}, {call})\n")
    else:
        out.append(f"        return {call}\n")
    return "".join(out)


def _method(method: CompatMethod, async_: bool, ns: str) -> str:
    returns, rtype = _result_type(method.target, async_, ns)
    if method.returns is not None:
        returns, rtype = method.returns.annotation, method.returns.doc
    return _signature(method, async_, returns) + _doc(method, async_, rtype, ns) + _body(method, async_, returns)


def _class(group: CompatGroup, definition: Definition, async_: bool) -> str:
    ns, attribute = definition.config.namespace, group.group.attribute
    client = f"{ns}{'.aio' if async_ else ''}.{definition.config.client}"
    doc = [
        *wrap(f"The ``{attribute}`` group with the 1.0.0b1 names of swagger/compat.yaml.", "    "),
        "",
        *wrap(f"Do not create this class yourself: use the ``{attribute}`` attribute of :class:`~{client}`.", "    "),
    ]
    methods = "".join("\n" + _method(method, async_, ns) for method in group.methods)
    aliases = "".join(f"    {alias} = {target}  # compat.yaml alias\n" for alias, target in group.aliases.items())
    return f"class {group.class_name}({group.group.class_name}):\n" + docstring(doc, "    ") + methods + aliases


def emit_compat(definition: Definition, groups: List[CompatGroup], async_: bool) -> str:
    up = "..." if async_ else ".."
    classes = [g for g in groups if g.methods]
    text = "".join("\n\n" + _class(g, definition, async_) for g in classes)
    imports = (
        "from __future__ import annotations\n\n"
        "from typing import IO, Any, Dict, List, Optional, Union, cast\n\n"
        f"from {up} import _compat_args\n"
        f"from {up} import models as _models\n"
        f"from {up}_serialization import JSON\n"
        f"from {up}_streams import {'AsyncResponseStream' if async_ else 'ResponseStream'}\n"
        f"from ._operations import {', '.join(g.group.class_name for g in classes)}\n"
    )
    names = ", ".join(f'"{g.class_name}"' for g in classes)
    doc = (
        f'"""The 1.0.0b1 method names whose parameters or results 1.0.0 changed{" (async)" if async_ else ""}.\n\n'
        "Each ``<Group>OperationsCompat`` subclasses the generated group class; each method takes\n"
        "1.0.0b1's parameters, converts them (``_compat_args``) and calls the current method.\n"
        '"""\n\n'
    )
    sources = (*definition.source_files, TABLE)
    return header(sources) + doc + imports + f"\n__all__ = [{names}]\n" + text
