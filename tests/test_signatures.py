"""Every method of the official 1.0.0 package exists on ours with a compatible signature.

"Compatible" means: same parameter names, the same positional order for parameters that
can be passed positionally, keyword-only where 1.0.0 is keyword-only, and a default
wherever 1.0.0 has one (so no call that works on 1.0.0 fails on ours).
The official signatures were dumped from the package into tests/compat (see its README).
"""

from __future__ import annotations

import inspect
import json
from typing import Any, Dict, List

import pytest

import azure.planetarycomputer as sync_pkg
import azure.planetarycomputer.aio as async_pkg
from azure.planetarycomputer import models

from .conftest import ROOT, FakeCredential

OFFICIAL = json.loads((ROOT / "tests" / "compat" / "official-1.0.0-api.json").read_text())
#: Operation groups this client generates so far.
GROUP_CLASSES = ("StacOperations", "DataOperations", "IngestionOperations", "SasOperations")


def _methods(flavor: str) -> List[Any]:
    return [
        (cls_name, name, params)
        for cls_name, methods in OFFICIAL["operations"][flavor].items()
        if cls_name in GROUP_CLASSES
        for name, params in methods.items()
    ]


def _our_method(flavor: str, cls_name: str, name: str) -> Any:
    pkg = sync_pkg if flavor == "sync" else async_pkg
    module = __import__(f"{pkg.__name__}.operations", fromlist=[cls_name])
    cls = getattr(module, cls_name)
    assert hasattr(cls, name), f"{flavor} {cls_name} lacks {name}"
    return getattr(cls, name)


def _check(ours: inspect.Signature, official: List[Dict[str, Any]], where: str) -> None:
    params = [p for p in ours.parameters.values() if p.name != "self"]
    by_name = {p.name: p for p in params}
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    official_positional = [p["name"] for p in official if p["kind"] in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")]
    assert positional[: len(official_positional)] == official_positional, f"{where}: positional order"
    # Any extra positional parameter of ours must be optional, so old calls still bind.
    for name in positional[len(official_positional) :]:
        assert by_name[name].default is not inspect.Parameter.empty, f"{where}: extra required {name}"
    for spec in official:
        if spec["kind"] == "VAR_KEYWORD":
            assert any(p.kind == p.VAR_KEYWORD for p in params), f"{where}: no **kwargs"
            continue
        assert spec["name"] in by_name, f"{where}: missing parameter {spec['name']}"
        ours_p = by_name[spec["name"]]
        if spec["kind"] == "KEYWORD_ONLY":
            assert ours_p.kind in (ours_p.KEYWORD_ONLY, ours_p.POSITIONAL_OR_KEYWORD), f"{where}: {spec['name']}"
        if spec["has_default"]:
            assert ours_p.default is not inspect.Parameter.empty, f"{where}: {spec['name']} needs a default"


@pytest.mark.parametrize("flavor", ["sync", "async"])
def test_every_official_method_is_compatible(flavor: str) -> None:
    checked = 0
    for cls_name, name, params in _methods(flavor):
        method = _our_method(flavor, cls_name, name)
        _check(inspect.signature(method), params, f"{flavor} {cls_name}.{name}")
        if flavor == "async":
            returns_pager = "AsyncItemPaged" in str(inspect.signature(method).return_annotation)
            # Pagers are returned synchronously (iterated with `async for`); everything else is awaited.
            assert inspect.iscoroutinefunction(inspect.unwrap(method)) != returns_pager, f"{cls_name}.{name}"
        checked += 1
    assert checked == 38 + 85 + 18 + 3


@pytest.mark.parametrize("flavor", ["sync", "async"])
def test_client_constructor_and_methods_are_compatible(flavor: str) -> None:
    spec = OFFICIAL["clients"][flavor]
    pkg = sync_pkg if flavor == "sync" else async_pkg
    client_cls = pkg.PlanetaryComputerProClient
    _check(inspect.signature(client_cls.__init__), spec["init"], f"{flavor} client __init__")
    for name, params in spec["methods"].items():
        _check(inspect.signature(getattr(client_cls, name)), params, f"{flavor} client.{name}")


def test_client_exposes_the_official_groups() -> None:
    client = sync_pkg.PlanetaryComputerProClient("https://contoso.geocatalog.spatio.azure.com", FakeCredential())
    for attribute, class_name in OFFICIAL["clients"]["sync"]["operation_groups"].items():
        if class_name in GROUP_CLASSES:
            assert type(getattr(client, attribute)).__name__ == class_name
    assert client.shared_access_signature is client.sas  # the 1.0.0b1 name


def test_stac_models_and_enums_exist_with_official_members() -> None:
    stac_models = set()
    for methods in (OFFICIAL["operations"]["sync"]["StacOperations"],):
        for params in methods.values():
            for p in params:
                stac_models.update(
                    w
                    for w in p["annotation"].replace("[", " ").replace("]", " ").replace(",", " ").split()
                    if w.startswith("azure.planetarycomputer.models.")
                )
    names = {w.rsplit(".", 1)[1] for w in stac_models}
    assert names, "expected model types in STAC signatures"
    for name in names:
        assert hasattr(models, name), name
    for enum_name, members in OFFICIAL["enums"].items():
        ours = getattr(models, enum_name, None)
        if ours is None:
            continue  # enums of other groups arrive with those groups
        for member, value in members.items():
            assert getattr(ours, member).value == value, f"{enum_name}.{member}"
