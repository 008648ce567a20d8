"""Write operations/_operations.py (request builders + sync groups) and the async groups."""

from __future__ import annotations

from typing import List, Optional

from .spec import Definition, Group, Operation, TypeRef
from .writer import docstring, header, paragraphs, wrap


def _ann(ptype: TypeRef) -> str:
    return ptype.annotation("_models.")


def _builder(op: Operation, api_version: str) -> str:
    """Module-level function that builds the HttpRequest for one operation."""
    args: List[str] = []
    non_body = [p for p in op.parameters if p.location != "body"]
    for p in non_body:
        if p.required:
            args.append(f"{p.python}: {_ann(p.type)}")
    optional = [f"{p.python}: Optional[{_ann(p.type)}] = None" for p in non_body if not p.required]
    if optional:
        args += ["*", *optional]
    args.append("**kwargs: Any")

    lines = [f"def {op.builder_name}({', '.join(args)}) -> HttpRequest:\n"]
    lines.append('    _headers = case_insensitive_dict(kwargs.pop("headers", {}) or {})\n')
    lines.append('    _params = case_insensitive_dict(kwargs.pop("params", {}) or {})\n\n')
    lines.append(f'    api_version: str = kwargs.pop("api_version", _params.pop("api-version", "{api_version}"))\n')
    if op.body is not None and not op.is_multipart:
        lines.append(
            '    content_type: str = kwargs.pop("content_type", None) or _headers.pop("Content-Type", None)'
            f' or "{op.content_type}"\n'
        )
    if op.accept:
        lines.append(f'    accept = _headers.pop("Accept", "{op.accept}")\n')

    path_params = [p for p in op.parameters if p.location == "path"]
    if path_params:
        lines.append(f'\n    _url = "{op.path}".format(\n')
        for p in path_params:
            skip = ", skip_quote=True" if p.skip_quote else ""
            # path_argument refuses ids that would address another resource (".", "..", blank, non-str).
            lines.append(f'        {p.wire}=path_argument("{p.python}", {p.python}, "{p.type.msrest()}"{skip}),\n')
        lines.append("    )\n")
    else:
        lines.append(f'\n    _url = "{op.path}"\n')

    lines.append('\n    _params["api-version"] = _SERIALIZER.query("api_version", api_version, "str")\n')
    for p in op.parameters:
        if p.location != "query":
            continue
        div = ', div=","' if p.collection_format == "csv" else ""
        call = f'_SERIALIZER.query("{p.python}", {p.python}, "{p.type.msrest()}"{div})'
        if p.required:
            lines.append(f'    _params["{p.wire}"] = {call}\n')
        else:
            lines.append(f'    if {p.python} is not None:\n        _params["{p.wire}"] = {call}\n')
    for p in op.parameters:
        if p.location != "header":
            continue
        call = f'_SERIALIZER.header("{p.python}", {p.python}, "{p.type.msrest()}")'
        if p.required:
            lines.append(f'    _headers["{p.wire}"] = {call}\n')
        else:
            lines.append(f'    if {p.python} is not None:\n        _headers["{p.wire}"] = {call}\n')
    if op.body is not None and not op.is_multipart:
        lines.append('    _headers["Content-Type"] = _SERIALIZER.header("content_type", content_type, "str")\n')
    if op.accept:
        lines.append('    _headers["Accept"] = _SERIALIZER.header("accept", accept, "str")\n')
    lines.append(
        f'\n    return HttpRequest(method="{op.http_method}", url=_url, params=_params, headers=_headers, **kwargs)\n'
    )
    return "".join(lines)


def _return_annotation(op: Operation, async_: bool) -> str:
    result = op.result
    if op.page_item is not None:
        paged = "AsyncItemPaged" if async_ else "ItemPaged"
        return f"{paged}[{_ann(op.page_item)}]"
    if op.returns_stream:
        inner = "AsyncResponseStream" if async_ else "ResponseStream"
    elif result is None:
        inner = "None"
    else:
        inner = _ann(result)
    if op.lro:
        return f"AsyncLROPoller[{inner}]" if async_ else f"LROPoller[{inner}]"
    return inner


def _result_string(op: Operation) -> str:
    result = op.result
    if result is None:
        return "None"
    if op.returns_stream:
        return '"IO"'
    return f'"{result.msrest()}"'


def _body_variants(op: Operation) -> List[str]:
    body = op.body
    assert body is not None
    model_ann = _ann(body.type)
    json_ann = "List[JSON]" if body.type.kind == "list" else "JSON"
    if body.spread:
        return [json_ann, "IO[bytes]"]
    if op.is_multipart:
        return [model_ann, json_ann]
    return [model_ann, json_ann, "IO[bytes]"]


def _doc(op: Operation, definition: Definition, async_: bool) -> str:
    ns = definition.config.namespace
    lines: List[str] = []
    lines.extend(wrap(op.summary or op.method_name.replace("_", " ").capitalize() + ".", "        "))
    if op.description and op.description != op.summary:
        lines.append("")
        lines.extend(paragraphs(op.description, "        "))
    lines.append("")
    for p in op.parameters:
        if p.location == "body":
            kinds = " or ".join(_body_variants(op)).replace("_models.", "")
            lines.extend(
                wrap(
                    f"{p.description} Pass a model, a JSON mapping, or {kinds.split(' or ')[-1]}. Required.",
                    "        ",
                    f":param {p.python}: ",
                )
            )
            type_doc = body_doc = p.type.doc(ns)
            if p.spread:
                body_doc = "JSON or IO[bytes]"
            elif not op.is_multipart:
                body_doc = f"{type_doc} or JSON or IO[bytes]"
            else:
                body_doc = f"{type_doc} or JSON"
            lines.extend(wrap(body_doc, "        ", f":type {p.python}: "))
        elif p.required and p.keyword_only:
            lines.extend(wrap(f"{p.description} Required.", "        ", f":keyword {p.python}: "))
            lines.extend(wrap(p.type.doc(ns), "        ", f":paramtype {p.python}: "))
        elif p.required:
            lines.extend(wrap(f"{p.description} Required.", "        ", f":param {p.python}: "))
            lines.extend(wrap(p.type.doc(ns), "        ", f":type {p.python}: "))
        else:
            lines.extend(wrap(f"{p.description} Default value is None.", "        ", f":keyword {p.python}: "))
            lines.extend(wrap(p.type.doc(ns), "        ", f":paramtype {p.python}: "))
    if op.body is not None and not op.is_multipart:
        lines.append("")
        lines.extend(
            wrap(
                f'Media type of the body. Default value is "{op.content_type}".', "        ", ":keyword content_type: "
            )
        )
        lines.append("        :paramtype content_type: str")
    if op.lro:
        lines.append("")
        lines.extend(
            wrap(
                "A continuation token to restart a poller from a saved state.",
                "        ",
                ":keyword str continuation_token: ",
            )
        )
        lines.extend(
            wrap(
                "False for no polling, or a polling method of your own. Default value is True.",
                "        ",
                ":keyword polling: ",
            )
        )
        lines.append("        :paramtype polling: bool or ~azure.core.polling.PollingMethod")
        lines.extend(
            wrap(
                "Seconds between polls when the service does not say. Default: the client's; if neither"
                " is set, polls after 1 s, then backs off to 30 s.",
                "        ",
                ":keyword float polling_interval: ",
            )
        )
    result = op.result
    lines.append("")
    if op.page_item is not None:
        paged = "~azure.core.async_paging.AsyncItemPaged" if async_ else "~azure.core.paging.ItemPaged"
        item_doc = op.page_item.doc(ns)
        lines.extend(
            wrap(f"An iterator over every {op.page_item.msrest()}, fetching pages as needed.", "        ", ":return: ")
        )
        lines.append(f"        :rtype: {paged}[{item_doc}]")
        lines.append("        :raises ~azure.core.exceptions.HttpResponseError:")
        return docstring(lines, "        ")
    if op.returns_stream:
        rdoc = f"~{ns}.{'aio.AsyncResponseStream' if async_ else 'ResponseStream'}"
        what = "the body, streamed: iterate for bytes chunks, or read() / text()"
    elif result is None:
        rdoc, what = "None", "None"
    else:
        rdoc = result.doc(ns)
        what = result.msrest().strip("[]{}") + (" list" if result.kind == "list" else "")
    if op.lro:
        poller = "~azure.core.polling.AsyncLROPoller" if async_ else "~azure.core.polling.LROPoller"
        lines.extend(wrap(f"A poller that waits for the operation; its result is {what}.", "        ", ":return: "))
        lines.append(f"        :rtype: {poller}[{rdoc}]")
    else:
        lines.extend(wrap(what, "        ", ":return: "))
        lines.append(f"        :rtype: {rdoc}")
    lines.append("        :raises ~azure.core.exceptions.HttpResponseError:")
    return docstring(lines, "        ")


def _signature(op: Operation, body_ann: Optional[str], async_: bool, overload: bool) -> str:
    args = ["self"]
    for p in op.positional:
        default = " = _UNSET" if p.spread else ""
        args.append(f"{p.python}: {body_ann if p.location == 'body' else _ann(p.type)}{default}")
    keywords = [
        f"{p.python}: {_ann(p.type)}" if p.required else f"{p.python}: Optional[{_ann(p.type)}] = None"
        for p in op.keyword
    ]
    keywords += [f"{p.python}: Optional[{p.type.annotation('_models.')}] = None" for p in op.spread_properties]
    if overload and op.body is not None and not op.is_multipart:
        keywords.append(f'content_type: str = "{op.content_type}"')
    if keywords:
        args += ["*", *keywords]
    args.append("**kwargs: Any")
    prefix = "async def" if async_ and op.page_item is None else "def"  # pagers are returned, not awaited
    return f"    {prefix} {op.method_name}({', '.join(args)}) -> {_return_annotation(op, async_)}:"


def _method(op: Operation, definition: Definition, async_: bool) -> str:
    out: List[str] = []
    if op.body is not None:
        variants = _body_variants(op)
        if not op.body.spread:
            for variant in variants:
                out.append("    @overload\n")
                out.append(_signature(op, variant, async_, overload=True) + " ...\n\n")
        body_ann: Optional[str] = f"Union[{', '.join(variants)}]"
    else:
        body_ann = None
    out.append("    @distributed_trace_async\n" if async_ and op.page_item is None else "    @distributed_trace\n")
    out.append(_signature(op, body_ann, async_, overload=False) + "\n")
    out.append(_doc(op, definition, async_))

    call_args = [f"{p.python}={p.python}" for p in op.parameters if p.location != "body"]
    body = op.body
    if body is not None and body.spread:
        fields = ", ".join(f'"{p.wire}": {p.python}' for p in op.spread_properties)
        out.append(f"        if {body.python} is _UNSET:  # no body given: build it from the keywords\n")
        out.append(f"            {body.python} = {{k: v for k, v in {{{fields}}}.items() if v is not None}}\n")
    if body is not None:
        if op.is_multipart:
            files = [p.wire for p in definition.models[body.type.name].all_properties if p.type.kind == "file"]
            call_args.append(f"**multipart_body({body.python}, {files!r})")
        else:
            call_args.append('content_type=kwargs.pop("content_type", None)')
            call_args.append(f"content=json_body({body.python})")
    call_args += [
        "api_version=self._config.api_version",
        'headers=kwargs.pop("headers", None)',
        'params=kwargs.pop("params", None)',
    ]
    status = "(" + ", ".join(str(s) for s in op.statuses) + ("," if len(op.statuses) == 1 else "") + ")"
    error = f', error_model="{op.error_model}"' if op.error_model else ""
    awaited = "await " if async_ else ""
    if op.lro or op.page_item is not None:
        # Bind everything the request needs now; the request itself is built only when
        # needed (not when resuming from a continuation token; on the pager's first page).
        pops = [a for a in call_args if "kwargs.pop" in a]
        keep = [a for a in call_args if "kwargs.pop" not in a]
        for arg in pops:
            name, value = arg.split("=", 1)
            out.append(f"        _{name} = {value}\n")
        bound = keep + [f"{a.split('=', 1)[0]}=_{a.split('=', 1)[0]}" for a in pops]
        out.append("\n        def _build() -> HttpRequest:\n")
        out.append(f"            return {op.builder_name}({', '.join(bound)})\n\n")
        if op.page_item is not None:
            names = f'"{op.page_item_name}", "{op.next_link_name}"'
            call = f'self._paged(_build, kwargs, {status}, "{op.page_item.msrest()}", {names}{error})'
            out.append(f"        pager: {_return_annotation(op, async_)} = {call}\n")
            out.append("        return pager\n")
        else:
            options = f", lro_options={op.lro_options!r}" if op.lro_options else ""
            call = f"self._begin(_build, kwargs, {status}, {_result_string(op)}{options}{error})"
            out.append(f"        poller: {_return_annotation(op, async_)} = {awaited}{call}\n")
            out.append("        return poller\n")
    else:
        out.append(f"        _request = {op.builder_name}({', '.join(call_args)})\n")
        stream = ", stream=True" if op.returns_stream else ""
        call = f"self._run(_request, kwargs, {status}, {_result_string(op)}{stream}{error})"
        # _run returns Any; the annotation states what this operation gives back.
        out.append(f"        result: {_return_annotation(op, async_)} = {awaited}{call}\n")
        out.append("        return result\n")
    return "".join(out)


def _group_class(group: Group, definition: Definition, async_: bool) -> str:
    client = definition.config.client
    ns = definition.config.namespace + (".aio" if async_ else "")
    base = "AsyncOperationGroup" if async_ else "OperationGroup"
    doc = paragraphs(group.description or f"Operations of the {group.attribute} group.", "    ")
    doc.append("")
    doc.extend(
        wrap(
            f"Do not create this class yourself: use the ``{group.attribute}`` attribute of :class:`~{ns}.{client}`.",
            "    ",
        )
    )
    out = [f"class {group.class_name}({base}):\n", docstring(doc, "    ")]
    for op in group.operations:
        out.append("\n" + _method(op, definition, async_))
    if group.aliases:
        out.append("\n    # Other names for the methods above (swagger/client.yaml `aliases`).\n")
        for alias, target in group.aliases.items():
            out.append(f"    {alias} = {target}\n")
    return "".join(out)


def _imports(body: str, async_: bool) -> str:
    """Every import a module may need; ruff removes the unused ones when formatting."""
    lines = [
        "from __future__ import annotations\n\n",
        "import datetime\n",
        "from typing import IO, Any, AsyncIterator, Dict, Iterator, List, Optional, Union, overload\n\n",
    ]
    if async_:
        builders = sorted({word.split("(")[0] for word in body.split() if word.startswith("build_")})
        lines += [
            "from azure.core.async_paging import AsyncItemPaged\n",
            "from azure.core.polling import AsyncLROPoller\n",
            "from azure.core.rest import HttpRequest\n",
            "from azure.core.tracing.decorator import distributed_trace\n",
            "from azure.core.tracing.decorator_async import distributed_trace_async\n\n",
            "from ... import models as _models\n",
            "from ..._runtime import _UNSET, AsyncOperationGroup, json_body, multipart_body\n",
            "from ..._serialization import JSON\n",
            "from ..._streams import AsyncResponseStream\n",
            "from ...operations._operations import (\n",
            *[f"    {name},\n" for name in builders],
            ")\n",
        ]
    else:
        lines += [
            "from azure.core.paging import ItemPaged\n",
            "from azure.core.polling import LROPoller\n",
            "from azure.core.rest import HttpRequest\n",
            "from azure.core.tracing.decorator import distributed_trace\n",
            "from azure.core.utils import case_insensitive_dict\n\n",
            "from .. import models as _models\n",
            "from .._runtime import _UNSET, OperationGroup, json_body, multipart_body, path_argument\n",
            "from .._serialization import JSON, Serializer\n",
            "from .._streams import ResponseStream\n",
        ]
    return "".join(lines)


def emit_operations(definition: Definition, async_: bool) -> str:
    groups = [g for g in definition.groups if g.operations]
    body: List[str] = []
    if not async_:
        body.append("\n_SERIALIZER = Serializer()\n")
        for group in groups:
            for op in group.operations:
                body.append("\n\n" + _builder(op, definition.config.default_api_version))
    for group in groups:
        body.append("\n\n" + _group_class(group, definition, async_))
    text = "".join(body)
    names = [g.class_name for g in groups]
    all_list = "\n__all__ = [" + ", ".join(f'"{n}"' for n in names) + "]\n"
    doc = "Asynchronous operation groups." if async_ else "Request builders and synchronous operation groups."
    return header(definition.source_files) + f'"""{doc}"""\n\n' + _imports(text, async_) + all_list + text


def emit_operations_init(definition: Definition, async_: bool) -> str:
    groups = [g for g in definition.groups if g.operations]
    names = ", ".join(g.class_name for g in groups)
    return (
        header(definition.source_files)
        + f'"""{"Asynchronous operation" if async_ else "Operation"} groups of the client."""\n\n'
        + "# Each group class derives from the generated one and its hand-written mixins (_groups.py).\n"
        + f"from ._groups import {names}\n"
        + "from ._patch import *  # noqa: F403\n"
        + "from ._patch import __all__ as _patch_all\n"
        + "from ._patch import patch_sdk as _patch_sdk\n\n"
        + "__all__ = ["
        + ", ".join(f'"{g.class_name}"' for g in groups)
        + "]\n"
        + "__all__.extend(name for name in _patch_all if name not in __all__)\n\n"
        + "_patch_sdk()\n"
    )
