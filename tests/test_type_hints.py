"""``typing.get_type_hints`` resolves every public function and method of the package.

Documentation tools, IDEs, pydantic-style validators and runtime checkers read annotations with
``get_type_hints``; an annotation naming something the module cannot resolve at run time (an
import kept under ``TYPE_CHECKING``) breaks them. Covered: both clients, every operation group
(generated, hand-written and compatibility methods), the models and their helpers, the pagers and
signers, and the download functions, sync and async.
"""

from __future__ import annotations

import importlib
import inspect
import typing
from typing import Any, Callable, Iterator, List, Tuple

import pytest

PACKAGES = [
    "azure.planetarycomputer",
    "azure.planetarycomputer.aio",
    "azure.planetarycomputer.operations",
    "azure.planetarycomputer.aio.operations",
    "azure.planetarycomputer.models",
]


def _ours(function: Any) -> bool:
    return str(getattr(inspect.unwrap(function), "__module__", "")).startswith("azure.planetarycomputer")


def _callables(name: str, obj: Any) -> Iterator[Tuple[str, Callable[..., Any]]]:
    if not inspect.isclass(obj):
        if callable(obj) and _ours(obj):
            yield name, obj
        return
    for member_name, member in inspect.getmembers(obj):
        if member_name.startswith("_") and member_name != "__init__":
            continue
        if isinstance(member, property):
            member = member.fget
        if callable(member) and not inspect.isclass(member) and _ours(member):
            yield f"{name}.{member_name}", member


def public_callables() -> List[Tuple[str, Callable[..., Any]]]:
    found = {}
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for export in package.__all__:
            obj = getattr(package, export)  # also loads the lazily exported download functions
            for name, function in _callables(f"{package_name}.{export}", obj):
                found.setdefault(name, function)
    return sorted(found.items())


CALLABLES = public_callables()


def test_the_walk_reaches_every_kind_of_public_callable() -> None:
    names = {name for name, _ in CALLABLES}
    for expected in [
        "azure.planetarycomputer.PlanetaryComputerProClient.send_request",
        "azure.planetarycomputer.aio.PlanetaryComputerProClient.close",
        "azure.planetarycomputer.operations.StacOperations.item_search",
        "azure.planetarycomputer.operations.StacOperations.get_item",
        "azure.planetarycomputer.aio.operations.StacOperations.list_items",
        "azure.planetarycomputer.operations.SasOperations.sign",
        "azure.planetarycomputer.aio.operations.SasOperations.signer",
        "azure.planetarycomputer.operations.IngestionOperations.ingest_items",
        "azure.planetarycomputer.aio.operations.IngestionOperations.wait_for_operations",
        "azure.planetarycomputer.operations.DataOperations.get_tile",
        "azure.planetarycomputer.to_pystac",
        "azure.planetarycomputer.from_pystac",
        "azure.planetarycomputer.download_item",
        "azure.planetarycomputer.aio.download_item_collection",
        "azure.planetarycomputer.ItemSearch.pages",
        "azure.planetarycomputer.aio.AsyncItemSearch.item_collection",
        "azure.planetarycomputer.SasSigner.sign_href",
        "azure.planetarycomputer.aio.AsyncSasSigner.get_token",
        "azure.planetarycomputer.OperationsSummary.raise_for_failures",
        "azure.planetarycomputer.models.StacItem.as_dict",
        "azure.planetarycomputer.models.StacItem.deserialize",
    ]:
        assert expected in names
    assert len(CALLABLES) > 2000


@pytest.mark.parametrize(("name", "function"), CALLABLES, ids=[name for name, _ in CALLABLES])
def test_type_hints_resolve(name: str, function: Callable[..., Any]) -> None:
    hints = typing.get_type_hints(function)
    if inspect.signature(function).return_annotation is not inspect.Signature.empty:
        assert "return" in hints
