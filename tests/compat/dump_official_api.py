"""Dump the public API surface of an installed official ``azure-planetarycomputer``.

Run with the python of a virtualenv that has the official package installed
(never with the project's own environment)::

    /tmp/oracle100/bin/python tests/compat/dump_official_api.py   # -> official-1.0.0-api.json
    /tmp/oracleb1/bin/python  tests/compat/dump_official_api.py   # -> official-1.0.0b1-api.json

Only the installed package (and azure-core, which it depends on) is imported.
Nothing is sent over the network: clients are instantiated with a dummy
endpoint, a dummy credential and, for the async client, a dummy transport.

Output (sorted keys, indent 1, deterministic):

- ``version``: the package version.
- ``clients``: ``{"sync"|"async": {"class", "init": [params], "methods": {name: [params]},
  "operation_groups": {attribute: class name}}}``.
- ``operations``: ``{"sync"|"async": {class name: {method: [params]}}}`` for every
  public method of every operation-group class exported by
  ``azure.planetarycomputer[.aio].operations``. The signature is the one of the
  real implementation (``inspect.unwrap`` through decorators; ``@overload``
  stubs are not what the class attribute holds, so the overload-free
  implementation is what gets recorded), ``self`` excluded.
- ``returns``: ``{"sync"|"async": {class name: {method: annotation}}}``, the return annotation
  of each method listed under ``operations`` (string form, or null when absent).
- ``models``: sorted public model class names in ``azure.planetarycomputer.models``.
- ``enums``: ``{enum name: {member name: value}}``.

A parameter is ``{"name", "kind", "has_default", "default" (repr, only if
has_default), "annotation" (string form, or null when absent)}``; ``kind`` is
``inspect.Parameter.kind.name`` (POSITIONAL_OR_KEYWORD, KEYWORD_ONLY, VAR_KEYWORD, ...).
"""

import argparse
import enum
import inspect
import json
import os
import re
import sys

from azure.core.credentials import AccessToken
from azure.core.pipeline.transport import AsyncHttpTransport

import azure.planetarycomputer as pc
import azure.planetarycomputer.aio as pc_aio
import azure.planetarycomputer.aio.operations as aio_ops
import azure.planetarycomputer.models as models
import azure.planetarycomputer.operations as sync_ops

HERE = os.path.dirname(os.path.abspath(__file__))
ENDPOINT = "https://contoso.geocatalog.spatio.azure.com"


class _DummyCredential:
    """Sync and async credential duck type; never actually asked for a token."""

    def get_token(self, *scopes, **kwargs):
        return AccessToken("dummy-token", 4102444800)

    def close(self):
        pass


class _DummyAsyncCredential:
    async def get_token(self, *scopes, **kwargs):
        return AccessToken("dummy-token", 4102444800)

    async def close(self):
        pass


class _DummyAsyncTransport(AsyncHttpTransport):
    """Lets the async client be constructed without aiohttp installed."""

    async def send(self, request, **kwargs):
        raise RuntimeError("no network in dump_official_api.py")

    async def open(self):
        pass

    async def close(self):
        pass

    async def __aenter__(self):
        return self

    async def __aexit__(self, *args):
        pass


def _annotation(ann):
    if ann is inspect.Parameter.empty:
        return None
    if isinstance(ann, str):
        return ann
    return inspect.formatannotation(ann)


def _default_repr(value, module_globals):
    """repr() of a default; address-bearing reprs (sentinels such as the SDK's
    ``_Unset = object()``) become ``<sentinel NAME>`` so the output is stable."""
    text = repr(value)
    if re.search(r" at 0x[0-9a-fA-F]+>", text):
        names = sorted(n for n, v in module_globals.items() if v is value)
        text = "<sentinel %s>" % (names[0] if names else type(value).__name__)
    return text


def describe_callable(func):
    real = inspect.unwrap(func)
    sig = inspect.signature(real, follow_wrapped=False)
    params = []
    for p in sig.parameters.values():
        if p.name == "self":
            continue
        entry = {
            "name": p.name,
            "kind": p.kind.name,
            "has_default": p.default is not inspect.Parameter.empty,
            "annotation": _annotation(p.annotation),
        }
        if entry["has_default"]:
            entry["default"] = _default_repr(p.default, getattr(real, "__globals__", {}))
        params.append(entry)
    return params


def return_annotation(func):
    real = inspect.unwrap(func)
    return _annotation(inspect.signature(real, follow_wrapped=False).return_annotation)


def public_methods(cls, describe=describe_callable):
    out = {}
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        attr = inspect.getattr_static(cls, name)
        if isinstance(attr, (staticmethod, classmethod)):
            attr = attr.__func__
        if not callable(attr) or inspect.isclass(attr):
            continue
        if getattr(object, name, None) is attr:
            continue
        out[name] = describe(attr)
    return out


def describe_client(cls, instance):
    groups = {}
    for attr, value in sorted(vars(instance).items()):
        if attr.startswith("_"):
            continue
        groups[attr] = type(value).__name__
    return {
        "class": cls.__module__.split("._")[0] + "." + cls.__name__,
        "init": describe_callable(cls.__init__),
        "methods": public_methods(cls),
        "operation_groups": groups,
    }


def operation_classes(module):
    names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
    return {n: getattr(module, n) for n in sorted(names) if inspect.isclass(getattr(module, n))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", help="output path (default: official-<version>-api.json next to this script)")
    args = parser.parse_args()

    version = pc.__version__
    sync_client = pc.PlanetaryComputerProClient(ENDPOINT, _DummyCredential())
    async_client = pc_aio.PlanetaryComputerProClient(
        ENDPOINT, _DummyAsyncCredential(), transport=_DummyAsyncTransport()
    )

    result = {
        "version": version,
        "clients": {
            "sync": describe_client(pc.PlanetaryComputerProClient, sync_client),
            "async": describe_client(pc_aio.PlanetaryComputerProClient, async_client),
        },
        "operations": {
            "sync": {n: public_methods(c) for n, c in operation_classes(sync_ops).items()},
            "async": {n: public_methods(c) for n, c in operation_classes(aio_ops).items()},
        },
        "returns": {
            "sync": {n: public_methods(c, return_annotation) for n, c in operation_classes(sync_ops).items()},
            "async": {n: public_methods(c, return_annotation) for n, c in operation_classes(aio_ops).items()},
        },
        "models": [],
        "enums": {},
    }

    model_names = getattr(models, "__all__", None) or [n for n in dir(models) if not n.startswith("_")]
    for name in sorted(model_names):
        obj = getattr(models, name)
        if not inspect.isclass(obj):
            continue
        if issubclass(obj, enum.Enum):
            result["enums"][name] = {m.name: m.value for m in obj}
        else:
            result["models"].append(name)

    sync_client.close()

    out = args.output or os.path.join(HERE, f"official-{version}-api.json")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        json.dump(result, f, sort_keys=True, indent=1, ensure_ascii=False)
        f.write("\n")
    n_ops = {k: sum(len(m) for m in v.values()) for k, v in result["operations"].items()}
    print(
        f"wrote {out}: {n_ops} methods, {len(result['models'])} models, {len(result['enums'])} enums",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
