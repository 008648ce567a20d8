"""Cheap, certain argument checks at the client boundary, before any request is sent.

Every path parameter of every operation (sync and async) refuses None, "", ".", "..", blank
text (``ValueError``) and values of another kind such as lists, numbers or bools (``TypeError``),
naming it; numbers in paths and queries refuse NaN and infinity; bodies of a
wrong type raise ``TypeError`` naming ``body`` and the accepted types; JSON bodies holding NaN
name where. What the service validates (ranges, formats) is left to the service.
"""

from __future__ import annotations

import inspect
import math
import re
from typing import Any, Dict, List, Tuple

import pytest
from azure.core.async_paging import AsyncItemPaged
from azure.core.exceptions import SerializationError
from azure.core.paging import ItemPaged

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential, models
from azure.planetarycomputer import aio as pc_aio
from azure.planetarycomputer._auth import AsyncStaticTokenCredential
from azure.planetarycomputer._serialization import Serializer, body_to_json, dumps
from azure.planetarycomputer.operations import _operations

from .fakes import AsyncFakeTransport, FakeTransport, Reply

ENDPOINT = "https://contoso.geocatalog.spatio.azure.com"
_URL_PARAM = re.compile(r'path_argument\("(\w+)", \w+, "(\w+)"')
_DUMMY = {"str": "a", "int": 1, "float": 1.0}


def _operations_with_path_parameters() -> List[Tuple[str, str, Dict[str, str]]]:
    """(group, method, {path parameter: type}) for every generated request builder with a path parameter."""
    found = []
    for name, builder in sorted(vars(_operations).items()):
        if not (name.startswith("build_") and name.endswith("_request") and callable(builder)):
            continue
        params = dict(_URL_PARAM.findall(inspect.getsource(builder)))
        if not params:
            continue
        group = name.split("_")[1]
        found.append((group, name[len(f"build_{group}_") : -len("_request")], params))
    return found


OPERATIONS = _operations_with_path_parameters()


def _no_request(request: Any) -> Reply:
    raise AssertionError(f"a request was sent: {request.method} {request.url}")


def _method(client: Any, group: str, name: str) -> Any:
    operations = getattr(client, group)
    return getattr(operations, name, None) or getattr(operations, f"begin_{name}")


def _arguments(method: Any, params: Dict[str, str]) -> Dict[str, Any]:
    """Valid keyword arguments for ``method``: a dummy per path parameter, an empty body, required keywords."""
    accepted = inspect.signature(method).parameters
    kwargs: Dict[str, Any] = {name: _DUMMY.get(kind, "png") for name, kind in params.items() if name in accepted}
    if "body" in accepted:
        kwargs["body"] = {"file": b"x"}  # also a valid multipart body (bodies are read before the path)
    for parameter in accepted.values():
        if parameter.kind == parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
            kwargs.setdefault(parameter.name, "a")
    return kwargs


def _call(method: Any, kwargs: Dict[str, Any]) -> None:
    result = method(**kwargs)
    if isinstance(result, ItemPaged):
        next(iter(result))


async def _call_async(method: Any, kwargs: Dict[str, Any]) -> None:
    result = method(**kwargs)
    if inspect.isawaitable(result):
        result = await result
    if isinstance(result, AsyncItemPaged):
        await result.__anext__()


def _bad_values(kind: str) -> List[Any]:
    """Values refused for a path parameter: missing, empty, dot segments, blank, of another kind."""
    if kind in ("int", "float"):
        return [None, math.nan, math.inf, -math.inf, True, [1], "..", ".", " "]
    return [None, "", ".", "..", " ", "\t\n", ["a"], 1, 1.5, True, {"a": "b"}]


@pytest.fixture(scope="module")
def client() -> PlanetaryComputerProClient:
    return PlanetaryComputerProClient(
        ENDPOINT, StaticTokenCredential(), transport=FakeTransport(_no_request), retry_total=0
    )


def test_every_group_has_operations_with_path_parameters() -> None:
    assert {group for group, _, _ in OPERATIONS} == {"stac", "data", "ingestion", "sas"}
    assert len(OPERATIONS) > 100


@pytest.mark.parametrize(("group", "name", "params"), OPERATIONS, ids=[f"{g}.{n}" for g, n, _ in OPERATIONS])
def test_bad_path_parameters_raise_value_error_naming_them(
    client: PlanetaryComputerProClient, group: str, name: str, params: Dict[str, str]
) -> None:
    method = _method(client, group, name)
    valid = _arguments(method, params)
    for param, kind in params.items():
        if param not in valid:
            continue
        for bad in _bad_values(kind):
            with pytest.raises((ValueError, TypeError), match=rf"^{param} must "):
                _call(method, {**valid, param: bad})


@pytest.mark.parametrize(("group", "name", "params"), OPERATIONS, ids=[f"{g}.{n}" for g, n, _ in OPERATIONS])
async def test_bad_path_parameters_raise_value_error_naming_them_async(
    group: str, name: str, params: Dict[str, str]
) -> None:
    async with pc_aio.PlanetaryComputerProClient(
        ENDPOINT, AsyncStaticTokenCredential(), transport=AsyncFakeTransport(_no_request), retry_total=0
    ) as client:
        method = _method(client, group, name)
        valid = _arguments(method, params)
        for param, kind in params.items():
            if param not in valid:
                continue
            for bad in _bad_values(kind):
                with pytest.raises((ValueError, TypeError), match=rf"^{param} must "):
                    await _call_async(method, {**valid, param: bad})


def test_non_finite_numbers_in_queries(client: PlanetaryComputerProClient) -> None:
    for bad in (math.nan, math.inf):
        with pytest.raises(ValueError, match=r"^buffer must be a finite number, got (nan|inf)$"):
            client.data.get_tile("c", "i", "WebMercatorQuad", 1, 2, 3, buffer=bad)
        with pytest.raises(ValueError, match="^bounding_box must be a finite number"):
            client.stac.get_item_collection("c", bounding_box=[0, 0, bad, 1])  # type: ignore[list-item]


def test_serializer_checks() -> None:
    serializer = Serializer()
    assert (
        serializer.url("z", 3.0, "float") == "3.0"
        and serializer.query("bbox", [0, 1.5], "[float]", div=",") == "0.0,1.5"
    )
    for method in (serializer.url, serializer.query, serializer.header):
        with pytest.raises(ValueError, match="^lon must be a finite number, got nan$"):
            method("lon", float("nan"), "float")
        with pytest.raises(TypeError, match=r"^item_id must be str, not bytes \(decode it first\)$"):
            method("item_id", b"abc", "str")
    with pytest.raises(ValueError, match="^format must not be empty$"):
        serializer.url("format", "", "TilerImageFormat")
    with pytest.raises(TypeError, match="^ids must be a list, got dict$"):
        serializer.query("ids", {"a": 1}, "[str]", div=",")
    assert serializer.query("q", "", "str") == ""  # an empty query value is the service's to judge


# -- bodies -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["{}", 5, 2.5, True, object()], ids=["str", "int", "float", "bool", "object"])
def test_body_to_json_refuses_wrong_types_naming_the_accepted_ones(body: Any) -> None:
    with pytest.raises(TypeError, match=r"^body must be a model, a JSON mapping or a list, or bytes; got \w+"):
        body_to_json(body)


def test_body_to_json_accepts_models_mappings_and_lists() -> None:
    assert body_to_json(models.StacQueryable({"name": "a"})) == '{"name": "a"}'
    assert body_to_json({"a": [1, 2]}) == '{"a": [1, 2]}' and body_to_json([{"a": 1}]) == '[{"a": 1}]'
    with pytest.raises(ValueError, match="^body must not be None$"):
        body_to_json(None)


@pytest.mark.parametrize("body", ['{"collections": ["c"]}', 5, 2.5, None], ids=["str", "int", "float", "None"])
def test_wrong_bodies_are_refused_by_the_client(client: PlanetaryComputerProClient, body: Any) -> None:
    error = ValueError if body is None else TypeError
    with pytest.raises(error, match=rf"^body must (not be None|be .*got {type(body).__name__})"):
        client.stac.search(body)  # type: ignore[call-overload]
    with pytest.raises(error, match="^body must "):
        client.stac.begin_create_collection(body)  # type: ignore[call-overload]


async def test_wrong_bodies_are_refused_by_the_async_client() -> None:
    async with pc_aio.PlanetaryComputerProClient(
        ENDPOINT, AsyncStaticTokenCredential(), transport=AsyncFakeTransport(_no_request), retry_total=0
    ) as client:
        for body in ("{}", 5):
            with pytest.raises(TypeError, match=rf"^body must be .*got {type(body).__name__}"):
                await client.stac.search(body)  # type: ignore[call-overload]
            with pytest.raises(TypeError, match="^body must be "):
                await client.ingestion.create_source(body)  # type: ignore[call-overload]


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_json_bodies_with_non_finite_numbers_name_where(client: PlanetaryComputerProClient, bad: float) -> None:
    with pytest.raises(SerializationError, match=r"body\['bbox'\]\[2\] \((nan|inf|-inf)\) is not a finite number"):
        client.stac.search({"collections": ["c"], "bbox": [0, 0, bad, 1]})
    nested = models.StacSearchParameters(collections=["c"], query={"eo:cloud_cover": {"lt": bad}})
    with pytest.raises(SerializationError, match=r"body\['query'\]\['eo:cloud_cover'\]\['lt'\]"):
        dumps(nested)
    assert isinstance(SerializationError("x"), ValueError)  # so ValueError handlers catch it too
