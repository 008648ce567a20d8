"""Code written for the official 1.0.0b1 release runs unchanged on our client.

1.0.0b1 (API 2025-04-30-preview, the seed README's generation) named 34 methods differently from
1.0.0 or gave them other parameters. Ours answers to every 1.0.0b1 name with 1.0.0b1's parameters:
plain aliases (swagger/client.yaml) where only the name changed, adapters generated from the
compatibility table swagger/compat.yaml (operations/_compat.py, aio/operations/_compat.py) where
parameters or the result changed, and the two static image operations 1.0.0 dropped, generated from
swagger/planetarycomputer.yaml.

Facts come from tests/compat/official-1.0.0b1-api.json (signatures, models, enums) and the
reference inventories of both releases (URL templates, wire names, types). Checked here:

(a) every 1.0.0b1 method, sync and async, with 1.0.0b1's parameter names, positional order,
    keyword-only-ness and defaults;
(b) every renamed or reshaped method, called the 1.0.0b1 way, sends exactly the request the
    1.0.0 method sends for the translated arguments (translation derived from the inventories),
    and its path is 1.0.0b1's URL template moved to its 2026-04-15 place; every argument given
    reaches the query;
(c) ``data.get_tile``: the 1.0.0 keyword shape and the 1.0.0b1 positional shape;
(d) every 1.0.0b1 model and enum (with its member names and values), and the models' fields;
(e) the seed README's names: ``create_or_update_collection``, ``get_item_tile``, ``StacExtent``,
    ``search_items``.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

import azure.planetarycomputer.aio.operations as async_operations
import azure.planetarycomputer.operations as sync_operations
from azure.planetarycomputer import PlanetaryComputerProClient, models
from azure.planetarycomputer._runtime import _UNSET
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncPlanetaryComputerProClient
from azure.planetarycomputer.aio.operations import _operations as async_generated
from azure.planetarycomputer.operations import _operations as sync_generated

from .compat.compat_wire import request_record
from .conftest import ENDPOINT, ROOT, AsyncFakeCredential, Captured, CapturePolicy, FakeCredential
from .fakes import AsyncFakeTransport, FakeTransport, Reply

B1 = json.loads((ROOT / "tests" / "compat" / "official-1.0.0b1-api.json").read_text())
GOLDEN = json.loads((ROOT / "tests" / "compat" / "official-1.0.0-requests.json").read_text())

#: 1.0.0b1 class -> ours.
CLASSES = {
    "StacOperations": "StacOperations",
    "DataOperations": "DataOperations",
    "IngestionOperations": "IngestionOperations",
    "SharedAccessSignatureOperations": "SasOperations",
}
#: 1.0.0b1 class -> the client attribute 1.0.0b1 reached it by.
ATTRIBUTES = {cls: attr for attr, cls in B1["clients"]["sync"]["operation_groups"].items()}

#: Every 1.0.0b1 method whose name or parameters 1.0.0 changed: -> (1.0.0 method, parameter renames).
RENAMED: Dict[Tuple[str, str], Tuple[str, Dict[str, str]]] = {
    ("StacOperations", "begin_create_or_replace_item"): ("begin_replace_item", {}),
    ("StacOperations", "create_or_replace_collection"): ("replace_collection", {}),
    ("StacOperations", "get_conformance_class"): ("get_conformance_classes", {}),
    ("StacOperations", "list_collections"): ("get_collections", {}),
    ("StacOperations", "list_mosaics"): ("get_mosaics", {}),
    ("StacOperations", "list_queryables"): ("get_queryables", {}),
    ("StacOperations", "list_render_options"): ("get_render_options", {}),
    ("SharedAccessSignatureOperations", "get_sign"): ("get_url", {}),
    ("DataOperations", "crop_geo_json"): ("crop_feature_by_format", {}),
    ("DataOperations", "crop_geo_json_with_dimensions"): ("crop_feature_width_by_height", {}),
    ("DataOperations", "get_asset_statistics"): ("get_item_asset_statistics", {}),
    ("DataOperations", "get_bounds"): ("get_item_bounds", {}),
    ("DataOperations", "get_geo_json_statistics"): ("get_item_feature_statistics", {}),
    ("DataOperations", "get_info_geo_json"): ("get_item_info_geo_json", {}),
    ("DataOperations", "get_item_asset_details"): ("get_item_info", {}),
    ("DataOperations", "get_mosaics_assets_for_point"): ("get_search_point_with_assets", {}),
    ("DataOperations", "get_mosaics_assets_for_tile"): ("get_search_assets_for_tile", {}),
    ("DataOperations", "get_mosaics_search_info"): ("get_search_info", {}),
    ("DataOperations", "get_mosaics_tile"): ("get_search_tile_by_scale_and_format", {}),
    ("DataOperations", "get_mosaics_tile_json"): ("get_search_tile_json_by_tms", {}),
    ("DataOperations", "get_mosaics_wmts_capabilities"): ("get_search_wmts_capabilities_by_tms", {}),
    ("DataOperations", "get_part"): (
        "get_item_bbox_crop",
        {"minx": "min_x", "miny": "min_y", "maxx": "max_x", "maxy": "max_y", "dst_crs": "destination_crs"},
    ),
    ("DataOperations", "get_part_with_dimensions"): (
        "get_item_bbox_crop_with_dimensions",
        {"minx": "min_x", "miny": "min_y", "maxx": "max_x", "maxy": "max_y", "dst_crs": "destination_crs"},
    ),
    ("DataOperations", "get_point"): ("get_item_point", {}),
    ("DataOperations", "get_preview"): ("get_item_preview", {}),
    ("DataOperations", "get_preview_with_format"): ("get_item_preview_with_format", {}),
    ("DataOperations", "get_tile"): ("get_tile_by_scale_and_format", {}),
    ("DataOperations", "get_tile_json"): ("get_item_tile_json_by_tms", {}),
    ("DataOperations", "get_wmts_capabilities"): ("get_item_wmts_capabilities_by_tms", {}),
    ("DataOperations", "list_available_assets"): ("get_item_available_assets", {}),
    ("DataOperations", "list_statistics"): ("get_item_statistics", {}),
    ("DataOperations", "list_tile_matrices"): ("get_tile_matrices", {}),
}
#: The renamed ones whose parameters (names, kinds, defaults, types) and result 1.0.0 kept:
#: client.yaml aliases.
ALIASES = {
    ("StacOperations", "begin_create_or_replace_item"),
    ("StacOperations", "create_or_replace_collection"),
    ("StacOperations", "get_conformance_class"),
    ("StacOperations", "list_collections"),
    ("StacOperations", "list_mosaics"),
    ("StacOperations", "list_render_options"),
    ("SharedAccessSignatureOperations", "get_sign"),
    ("DataOperations", "get_bounds"),
    ("DataOperations", "get_info_geo_json"),
    ("DataOperations", "get_mosaics_assets_for_point"),
    ("DataOperations", "get_mosaics_search_info"),
    ("DataOperations", "list_available_assets"),
    ("DataOperations", "list_tile_matrices"),
}
#: 1.0.0 dropped these; ours generates them again (same names and parameters as 1.0.0b1).
RESTORED = {("DataOperations", "create_static_image"), ("DataOperations", "get_static_image")}
#: 1.0.0b1 positional parameters that ours takes through ``*args`` (routed to the path endpoints).
VAR_POSITIONAL_STANDS_IN = {("DataOperations", "get_tile"): ("scale", "format")}


def _b1_methods(flavor: str) -> List[Tuple[str, str, List[Dict[str, Any]]]]:
    return [
        (cls, name, params) for cls, methods in B1["operations"][flavor].items() for name, params in methods.items()
    ]


def _ours(flavor: str, b1_class: str) -> type:
    module = sync_operations if flavor == "sync" else async_operations
    return getattr(module, CLASSES[b1_class])  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- (a) signatures


def _check_b1_signature(method: Any, official: List[Dict[str, Any]], where: str, stands_in: Tuple[str, ...]) -> None:
    params = [p for p in inspect.signature(method).parameters.values() if p.name != "self"]
    by_name = {p.name: p for p in params}
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    b1_positional = [p["name"] for p in official if p["kind"] == "POSITIONAL_OR_KEYWORD"]
    if stands_in:
        assert b1_positional[-len(stands_in) :] == list(stands_in), where
        b1_positional = b1_positional[: -len(stands_in)]
        var = [i for i, p in enumerate(params) if p.kind == p.VAR_POSITIONAL]
        assert var == [len(b1_positional)], f"{where}: *args must follow {b1_positional}"
    assert positional[: len(b1_positional)] == b1_positional, f"{where}: positional order {positional}"
    for name in positional[len(b1_positional) :]:
        assert by_name[name].default is not inspect.Parameter.empty, f"{where}: extra required {name}"
    for spec in official:
        if spec["kind"] == "VAR_KEYWORD":
            assert any(p.kind == p.VAR_KEYWORD for p in params), f"{where}: no **kwargs"
            continue
        assert spec["name"] in by_name, f"{where}: missing parameter {spec['name']}"
        ours = by_name[spec["name"]]
        if spec["name"] in stands_in:
            assert ours.kind == ours.KEYWORD_ONLY and ours.default is None, f"{where}: {spec['name']}"
            continue
        assert ours.kind.name == spec["kind"], f"{where}: {spec['name']} is {ours.kind.name}, 1.0.0b1 {spec['kind']}"
        if spec["has_default"]:
            assert ours.default is not inspect.Parameter.empty, f"{where}: {spec['name']} needs a default"
            if spec["default"] == "<sentinel _Unset>":  # the official "not given" marker: ours is _UNSET
                assert ours.default is _UNSET, f"{where}: {spec['name']} default {ours.default!r}"
            else:
                assert repr(ours.default) == spec["default"], f"{where}: {spec['name']} default {ours.default!r}"


@pytest.mark.parametrize("flavor", ["sync", "async"])
def test_every_b1_method_exists_with_b1_signature(flavor: str) -> None:
    checked = 0
    for b1_class, name, params in _b1_methods(flavor):
        cls = _ours(flavor, b1_class)
        assert hasattr(cls, name), f"{flavor} {cls.__name__} lacks 1.0.0b1's {name}"
        method = getattr(cls, name)
        stands_in = VAR_POSITIONAL_STANDS_IN.get((b1_class, name), ())
        _check_b1_signature(method, params, f"{flavor} {b1_class}.{name}", stands_in)
        if flavor == "async":
            returns_pager = "AsyncItemPaged" in str(inspect.signature(method).return_annotation)
            assert inspect.iscoroutinefunction(inspect.unwrap(method)) != returns_pager, f"{b1_class}.{name}"
        checked += 1
    assert checked == 90


def test_the_diff_of_b1_and_1_0_0_is_what_the_tables_say() -> None:
    """RENAMED lists exactly the 1.0.0b1 methods whose name or positional parameters 1.0.0 changed."""
    official = json.loads((ROOT / "tests" / "compat" / "official-1.0.0-api.json").read_text())["operations"]["sync"]
    changed = set()
    for b1_class, name, params in _b1_methods("sync"):
        current = official.get(CLASSES[b1_class], {}).get(name)
        if current is None:
            changed.add((b1_class, name))
            continue
        kept = {(p["name"], p["kind"], p.get("default")) for p in current}
        if not {(p["name"], p["kind"], p.get("default")) for p in params} <= kept:
            changed.add((b1_class, name))
    assert changed == set(RENAMED) | RESTORED
    assert ALIASES < set(RENAMED)


@pytest.mark.parametrize("flavor", ["sync", "async"])
def test_aliases_are_the_same_function_and_adapters_are_ours(flavor: str) -> None:
    generated = sync_generated if flavor == "sync" else async_generated
    for (b1_class, name), (target, _) in RENAMED.items():
        cls = _ours(flavor, b1_class)
        if (b1_class, name) in ALIASES:
            assert vars(getattr(generated, cls.__name__))[name] is getattr(cls, target), name
        else:
            function = inspect.unwrap(getattr(cls, name))
            assert function.__module__.endswith("operations._compat"), f"{name} should be a generated adapter"
            assert target in (function.__doc__ or ""), f"{name}: the docstring names {target}"


@pytest.mark.parametrize("flavor", ["sync", "async"])
def test_the_client_uses_the_patched_classes(flavor: str) -> None:
    module = sync_operations if flavor == "sync" else async_operations
    generated = sync_generated if flavor == "sync" else async_generated
    if flavor == "sync":
        client: Any = PlanetaryComputerProClient(ENDPOINT, FakeCredential())
    else:
        client = AsyncPlanetaryComputerProClient(ENDPOINT, AsyncFakeCredential())
    assert module.DataOperations is not generated.DataOperations
    assert issubclass(module.DataOperations, generated.DataOperations)
    assert type(client.data) is module.DataOperations
    assert type(client.shared_access_signature) is module.SharedAccessSignatureOperations is module.SasOperations
    for b1_class, attribute in ATTRIBUTES.items():
        assert isinstance(getattr(client, attribute), _ours(flavor, b1_class)), attribute
    assert module.__all__.count("DataOperations") == 1
    if flavor == "async":
        asyncio.run(client.close())


# --------------------------------------------------------------------------- sample arguments

_FEATURE = {
    "type": "Feature",
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[-84.45, 33.61], [-84.39, 33.61], [-84.39, 33.66], [-84.45, 33.66], [-84.45, 33.61]]],
    },
    "properties": {},
}
BODIES = {
    "Feature": _FEATURE,
    "StacCollection": {
        "id": "my-collection",
        "type": "Collection",
        "stac_version": "1.0.0",
        "description": "A collection",
        "license": "proprietary",
        "extent": {
            "spatial": {"bbox": [[-180, -90, 180, 90]]},
            "temporal": {"interval": [["2023-01-01T00:00:00Z", None]]},
        },
        "links": [],
    },
    "StacItem": {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": "item:2?x",
        "collection": "my col/1",
        "geometry": _FEATURE["geometry"],
        "bbox": [-84.45, 33.61, -84.39, 33.66],
        "properties": {"datetime": "2023-06-01T00:00:00Z"},
        "links": [],
        "assets": {},
    },
    "ImageParameters": {
        "cql": {"op": "=", "args": [{"property": "collection"}, "naip-atl"]},
        "zoom": 13,
        "geometry": _FEATURE["geometry"],
        "render_params": "assets=image&asset_bidx=image|1,2,3&collection=naip-atl",
        "cols": 1080,
        "rows": 1080,
        "imageSize": "1080x1080",
        "showBranding": False,
    },
}
#: Values by parameter name (path values need quoting; ints where a float is declared).
NAMED: Dict[str, Any] = {
    "collection_id": "my col/1",
    "item_id": "item:2?x",
    "search_id": "search id/3",
    "tile_matrix_set_id": "WebMercatorQuad",
    "format": "png",
    "tile_format": "webp",
    "id": "geocatalog-naip 7.png",
    "href": "https://account.blob.core.windows.net/container/a b.tif",
    "z": 14,
    "x": 4680,
    "y": 6344,
    "scale": 2,
    "minx": -84.45,
    "miny": 33.61,
    "maxx": -84.39,
    "maxy": 33.66,
    "longitude": -84.41,
    "latitude": 33.63,
    "width": 256,
    "height": 128,
    "asset_band_indices": "image|1,2,3",  # one string in 1.0.0b1
    "no_data": 0,  # a number in 1.0.0b1: sent as "0.0"
    "buffer": "0.5",  # text in 1.0.0b1
    "categories_pixels": ["1", "2"],
    "subdataset_bands": ["1", "2"],
    "rescale": ["0,255", "10 20"],
    "expression": "(B08-B04)/(B08+B04)",
    "color_map": '{"0": "#000000"}',
    "coordinate_reference_system": "EPSG:4326",
    "dst_crs": "EPSG:3857",
    "histogram_range": "0,1000",
    "histogram_bins": "8",
    "algorithm_params": '{"angle": 45}',
}


def _enum_value(type_text: str) -> Optional[str]:
    match = re.search(r"_models\.(\w+)\]", type_text)
    if match and match.group(1) in B1["enums"]:
        return sorted(B1["enums"][match.group(1)].values())[0]
    return None


def _sample(name: str, type_text: str) -> Any:
    if name == "body":
        model = re.search(r"_models\.(\w+)", type_text)
        assert model, type_text
        return BODIES[model.group(1)]
    if name in NAMED:
        return NAMED[name]
    enum_value = _enum_value(type_text)
    if enum_value is not None:
        return enum_value
    plain = type_text.removeprefix("Optional[").removesuffix("]") if type_text.startswith("Optional[") else type_text
    values = {"List[str]": ["a b", "c/d"], "List[int]": [2, 98], "bool": True, "int": 3, "float": 1.5, "str": "x & y"}
    assert plain in values, f"no sample value for {name}: {type_text}"
    return values[plain]


# --------------------------------------------------------------------------- (b) the requests

#: How a 1.0.0b1 value becomes the 1.0.0 value, by (1.0.0b1 type, 1.0.0 type), as the release notes of
#: the reference inventories have it: asset_bidx one string -> list of strings, nodata number -> text,
#: buffer text -> number; string lists where 1.0.0 declares integers are sent element by element as given.
CONVERSIONS: Dict[Tuple[str, str], Callable[[Any], Any]] = {
    ("Optional[str]", "Optional[List[str]]"): lambda v: [v],
    ("Optional[float]", "Optional[str]"): lambda v: str(float(v)),
    ("Optional[str]", "Optional[float]"): float,
    ("Optional[List[str]]", "Optional[List[int]]"): list,
}


def _operation(inventory: Dict[str, Any], cls: str, name: str) -> Dict[str, Any]:
    return inventory["operations"][f"{cls}.{name}"]  # type: ignore[no-any-return]


def _quoted(value: Any) -> Any:
    if isinstance(value, list):
        return [_quoted(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return quote(str(value), safe="")


@pytest.fixture(scope="module")
def inventories(reference: Path) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    folder = reference / "inventory"
    return (
        json.loads((folder / "azure-planetarycomputer-1.0.0b1.json").read_text()),
        json.loads((folder / "azure-planetarycomputer-1.0.0.json").read_text()),
    )


@pytest.fixture(scope="module")
def reference() -> Path:  # module scope for the inventories fixture
    from .conftest import REFERENCE

    if not REFERENCE.is_dir():
        pytest.fail(f"reference data not found at {REFERENCE} (set PLANETARYCOMPUTER_REFERENCE)")
    return REFERENCE


def _b1_call(
    b1_class: str, name: str, b1_inventory: Dict[str, Any], everything: bool
) -> Tuple[List[Any], Dict[str, Any]]:
    """1.0.0b1-style arguments: required ones positionally (keyword-only by keyword); optional ones too if ``everything``."""
    types = {p["name"]: p["type"] for p in _operation(b1_inventory, b1_class, name)["params"]}
    args: List[Any] = []
    kwargs: Dict[str, Any] = {}
    for p in B1["operations"]["sync"][b1_class][name]:
        if p["kind"] == "VAR_KEYWORD" or (p["has_default"] and not everything):
            continue
        value = _sample(p["name"], types[p["name"]])
        if p["kind"] == "POSITIONAL_OR_KEYWORD":
            args.append(value)
        else:
            kwargs[p["name"]] = value
    return args, kwargs


def _translated(
    b1_class: str,
    name: str,
    args: List[Any],
    kwargs: Dict[str, Any],
    inventories: Tuple[Dict[str, Any], Dict[str, Any]],
) -> Tuple[str, List[Any], Dict[str, Any]]:
    """The 1.0.0 call a 1.0.0b1 call stands for, derived from the two inventories."""
    b1_inventory, ga_inventory = inventories
    target, renames = RENAMED[(b1_class, name)]
    b1_op = _operation(b1_inventory, b1_class, name)
    ga_op = _operation(ga_inventory, CLASSES[b1_class], target)
    b1_types = {p["name"]: p["type"] for p in b1_op["params"]}
    ga_types = {p["name"]: p["type"] for p in ga_op["params"]}
    b1_wire = {v["python"]: w for w, v in b1_op["request"]["query"].items()}

    def convert(b1_name: str, value: Any) -> Any:
        key = (b1_types[b1_name], ga_types[renames.get(b1_name, b1_name)])
        return CONVERSIONS[key](value) if key in CONVERSIONS else value

    b1_positional = [
        p["name"] for p in B1["operations"]["sync"][b1_class][name] if p["kind"] == "POSITIONAL_OR_KEYWORD"
    ]
    new_args = [convert(n, v) for n, v in zip(b1_positional, args)]
    new_kwargs: Dict[str, Any] = {}
    dropped: Dict[str, Any] = {}
    for key, value in kwargs.items():
        current = renames.get(key, key)
        if current in ga_types:
            new_kwargs[current] = convert(key, value)
        else:  # 1.0.0 no longer declares it: still sent, under 1.0.0b1's wire name
            dropped[b1_wire[key]] = _quoted(value)
    if dropped:
        new_kwargs["params"] = dropped
    return target, new_args, new_kwargs


def _capture_sync(group: str, method: str, args: List[Any], kwargs: Dict[str, Any]) -> Any:
    capture = CapturePolicy()
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), per_retry_policies=[capture])
    with pytest.raises(Captured):
        result = getattr(getattr(client, group), method)(*args, **kwargs)
        next(iter(result))
    assert len(capture.requests) == 1
    return capture.requests[0]


def _capture_async(group: str, method: str, args: List[Any], kwargs: Dict[str, Any]) -> Any:
    async def run() -> Any:
        capture = CapturePolicy()
        client = AsyncPlanetaryComputerProClient(ENDPOINT, AsyncFakeCredential(), per_retry_policies=[capture])
        with pytest.raises(Captured):
            result = getattr(getattr(client, group), method)(*args, **kwargs)
            if hasattr(result, "__aiter__"):
                await result.__anext__()
            else:
                await result
        await client.close()
        assert len(capture.requests) == 1
        return capture.requests[0]

    return asyncio.run(run())


def _record(request: Any) -> Dict[str, Any]:
    record = request_record(request)
    headers = {k.lower(): v for k, v in record["headers"].items() if k.lower() != "content-length"}
    return {**record, "headers": headers}


#: 1.0.0b1 URL template -> where 1.0.0 (API 2026-04-15) serves it. Applied in order.
URL_MOVES = [
    (r"^/data/collections/(\{collectionId\}/items/\{itemId\})/crop/(\{minx\})", r"/data/collections/\1/bbox/\2"),
    (r"^/data/collections/(\{collectionId\}/items/\{itemId\})/crop([./])", r"/data/collections/\1/feature\2"),
    (r"^/data/collections/(?!\{collectionId\}/image/static)", "/data/mosaic/collections/"),
    (r"^/data/mosaic/\{searchId\}/(\{longitude\},\{latitude\}/assets)$", r"/data/mosaic/searches/{searchId}/point/\1"),
    (r"^/data/mosaic/\{searchId\}/", "/data/mosaic/searches/{searchId}/"),
]


def _moved(template: str) -> str:
    for pattern, replacement in URL_MOVES:
        template = re.sub(pattern, replacement, template)
    return template


def _check_against_b1_inventory(
    request: Any, b1_class: str, name: str, args: List[Any], kwargs: Dict[str, Any], inventories: Any
) -> None:
    """Path = 1.0.0b1's template at its 2026-04-15 place, filled with the values given; every
    argument given reaches the query (under 1.0.0's wire name, or 1.0.0b1's where 1.0.0 has none)."""
    b1_inventory, ga_inventory = inventories
    b1_op = _operation(b1_inventory, b1_class, name)
    target, renames = RENAMED.get((b1_class, name), (name, {}))
    ga_op = _operation(ga_inventory, CLASSES[b1_class], target) if (b1_class, name) not in RESTORED else b1_op
    template = _moved(b1_op["request"]["url"])
    assert template == ga_op["request"]["url"], f"{name}: {b1_op['request']['url']} moved to {template}"
    b1_positional = [
        p["name"] for p in B1["operations"]["sync"][b1_class][name] if p["kind"] == "POSITIONAL_OR_KEYWORD"
    ]
    given = {**dict(zip(b1_positional, args)), **kwargs}
    ga_path = {w: v for w, v in ga_op["request"]["path"].items()}

    def segment(match: "re.Match[str]") -> str:
        wire = match.group(1)
        b1_python = b1_op["request"]["path"][wire]["python"]
        value = given[b1_python]
        return quote(str(float(value)) if ga_path[wire]["type"] == "float" else str(value), safe="")

    url = urlsplit(request.url)
    assert f"{url.scheme}://{url.netloc}" == ENDPOINT
    assert url.path == re.sub(r"\{(\w+)\}", segment, template), name
    sent = {key for key, _ in parse_qsl(url.query)}
    ga_wire = {v["python"]: w for w, v in ga_op["request"]["query"].items()}
    b1_wire = {v["python"]: w for w, v in b1_op["request"]["query"].items()}
    for key, value in kwargs.items():
        if key in b1_wire and value is not None:
            current = renames.get(key, key)
            wire = ga_wire.get(current, b1_wire[key])
            assert wire in sent, f"{name}: {key} (wire {wire}) not in the query {sorted(sent)}"


CASES = [
    pytest.param(b1_class, name, everything, id=f"{ATTRIBUTES[b1_class]}.{name}[{'all' if everything else 'required'}]")
    for (b1_class, name) in sorted(RENAMED)
    for everything in (False, True)
]


@pytest.mark.parametrize(("b1_class", "name", "everything"), CASES)
def test_b1_call_sends_the_translated_1_0_0_request(
    b1_class: str, name: str, everything: bool, inventories: Any
) -> None:
    args, kwargs = _b1_call(b1_class, name, inventories[0], everything)
    target, new_args, new_kwargs = _translated(b1_class, name, args, kwargs, inventories)
    group = ATTRIBUTES[b1_class]
    expected = _capture_sync(group, target, new_args, new_kwargs)
    sync_request = _capture_sync(group, name, args, kwargs)
    async_request = _capture_async(group, name, args, kwargs)
    assert _record(sync_request) == _record(expected)
    assert _record(async_request) == _record(expected)
    assert _record(_capture_async(group, target, new_args, new_kwargs)) == _record(expected)
    _check_against_b1_inventory(sync_request, b1_class, name, args, kwargs, inventories)


@pytest.mark.parametrize("name", sorted(n for _, n in RESTORED))
def test_static_image_requests_are_b1_requests(name: str, inventories: Any) -> None:
    args, kwargs = _b1_call("DataOperations", name, inventories[0], everything=True)
    sync_request = _capture_sync("data", name, args, kwargs)
    assert _record(_capture_async("data", name, args, kwargs)) == _record(sync_request)
    _check_against_b1_inventory(sync_request, "DataOperations", name, args, kwargs, inventories)
    op = _operation(inventories[0], "DataOperations", name)
    assert sync_request.method == op["request"]["method"]
    assert "api-version=2026-04-15" in sync_request.url
    if name == "create_static_image":
        record = _record(sync_request)
        assert record["body"] == BODIES["ImageParameters"]
        assert record["headers"]["content-type"] == "application/json"
        assert record["headers"]["accept"] == "application/json"


def test_dropped_parameters_still_reach_the_wire() -> None:
    """1.0.0 no longer declares these; the adapters send them the way 1.0.0b1 did."""
    request = _capture_sync(
        "data",
        "get_mosaics_wmts_capabilities",
        ["search id/3", "WebMercatorQuad"],
        {"rescale": ["0,255", "1 2"], "color_map_name": "viridis", "return_mask": False, "params": {"extra": "1"}},
    )
    query = urlsplit(request.url).query
    assert (
        query == "rescale=0%2C255&rescale=1%202&colormap_name=viridis&return_mask=false&extra=1&api-version=2026-04-15"
    )
    request = _capture_sync("data", "get_asset_statistics", ["c", "i"], {"expression": "b1*2", "asset_as_band": True})
    assert urlsplit(request.url).query == "expression=b1%2A2&asset_as_band=true&api-version=2026-04-15"


# --------------------------------------------------------------------------- results of 1.0.0b1's types

_STATS = {"image": {"b1": {"min": 0, "max": 255, "mean": 90.5, "count": 10, "sum": 905, "std": 1.5, "median": 88}}}
_INFO = {"image": {"bounds": [-84.45, 33.61, -84.39, 33.66], "dtype": "uint8", "band_descriptions": [["b1", ""]]}}


def _sync_client(reply: Reply) -> Tuple[PlanetaryComputerProClient, FakeTransport]:
    transport = FakeTransport([reply])
    return PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=transport), transport


def test_asset_statistics_and_asset_details_return_b1_types() -> None:
    client, _ = _sync_client(Reply(body=_STATS))
    stats = client.data.get_asset_statistics("c", "i")
    assert type(stats) is dict and type(stats["image"]) is dict
    assert isinstance(stats["image"]["b1"], models.BandStatistics) and stats["image"]["b1"].maximum == 255
    client, _ = _sync_client(Reply(body=_INFO))
    info = client.data.get_item_asset_details("c", "i", assets=["image"])
    assert type(info) is dict and isinstance(info["image"], models.TilerInfo)
    assert info["image"].bounds == [-84.45, 33.61, -84.39, 33.66]
    assert info["image"].as_dict() == _INFO["image"]
    # A cls hook sees 1.0.0b1's type too.
    client, _ = _sync_client(Reply(body=_INFO))
    seen = client.data.get_item_asset_details("c", "i", cls=lambda response, value, headers: value)
    assert isinstance(seen["image"], models.TilerInfo)


async def test_asset_statistics_and_asset_details_return_b1_types_async() -> None:
    transport = AsyncFakeTransport([Reply(body=_STATS), Reply(body=_INFO)])
    async with AsyncPlanetaryComputerProClient(ENDPOINT, AsyncFakeCredential(), transport=transport) as client:
        stats = await client.data.get_asset_statistics("c", "i")
        assert isinstance(stats["image"]["b1"], models.BandStatistics) and stats["image"]["b1"].mean == 90.5
        info = await client.data.get_item_asset_details("c", "i")
        assert isinstance(info["image"], models.TilerInfo)


_QUERYABLES = {"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "object", "properties": {}}
_ASSETS = [{"id": "item 1", "bbox": [0, 0, 1, 1], "assets": {"image": {"href": "https://x/a.tif"}}, "collection": "c"}]


def _official_return(flavor: str, b1_class: str, name: str) -> str:
    """What the official releases return for a 1.0.0b1 name: 1.0.0's type where 1.0.0 has the name too."""
    official = json.loads((ROOT / "tests" / "compat" / "official-1.0.0-api.json").read_text())["returns"][flavor]
    ga = official.get(CLASSES[b1_class], {}).get(name)
    return _type_text(ga if ga is not None else B1["returns"][flavor][b1_class][name])


def _type_text(annotation: str) -> str:
    """One spelling for annotations: no module paths, builtin generics, None for NoneType."""
    text = re.sub(r"\b(?:[A-Za-z_]\w*\.)+(\w+)", r"\1", annotation).replace("NoneType", "None").replace("'", "")
    return re.sub(r"\b(Dict|List)\[", lambda m: m.group(1).lower() + "[", text)


@pytest.mark.parametrize("flavor", ["sync", "async"])
def test_b1_names_return_the_types_the_official_releases_return(flavor: str) -> None:
    """Every 1.0.0b1 method's return annotation is 1.0.0b1's (1.0.0's where 1.0.0 has the name too).

    Our response streams are the ``Iterator[bytes]`` / ``AsyncIterator[bytes]`` both releases return.
    """
    import collections.abc
    import typing

    from azure.planetarycomputer import ResponseStream
    from azure.planetarycomputer.aio import AsyncResponseStream

    assert issubclass(ResponseStream, collections.abc.Iterator)
    assert issubclass(AsyncResponseStream, collections.abc.AsyncIterator)
    streams = {"ResponseStream": "Iterator[bytes]", "AsyncResponseStream": "AsyncIterator[bytes]"}
    checked = 0
    for b1_class, methods in B1["returns"][flavor].items():
        for name in methods:
            ours = typing.get_type_hints(getattr(_ours(flavor, b1_class), name))["return"]
            text = _type_text(inspect.formatannotation(ours))
            assert streams.get(text, text) == _official_return(flavor, b1_class, name), f"{b1_class}.{name}"
            checked += 1
    assert checked == 90


def test_b1_only_names_return_plain_json_where_b1_did() -> None:
    """list_queryables and get_mosaics_assets_for_tile: dicts, as 1.0.0b1 returned them (json.dumps works)."""
    client, _ = _sync_client(Reply(body=_QUERYABLES))
    queryables = client.stac.list_queryables()
    assert type(queryables) is dict and queryables == _QUERYABLES
    assert json.loads(json.dumps(queryables)) == _QUERYABLES
    transport = FakeTransport([Reply(body=_ASSETS), Reply(body=_QUERYABLES)])
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=transport)
    assets = client.data.get_mosaics_assets_for_tile("s", "WebMercatorQuad", 1, 2, 3, collection_id="c")
    assert type(assets) is list and type(assets[0]) is dict and assets == _ASSETS
    # a cls hook sees 1.0.0b1's type too
    seen = client.stac.list_queryables(cls=lambda response, value, headers: (type(value), response.http_response))
    assert seen[0] is dict and seen[1].status_code == 200
    assert [urlsplit(r.url).path for r in transport.requests] == [
        "/data/mosaic/searches/s/tiles/WebMercatorQuad/1.0/2.0/3.0/assets",
        "/stac/queryables",
    ]


_LEGEND = {"1": [255, 0, 0, 255], "2": [0, 128, 0, 255]}


def _check_both_releases(queryables: Any, legend: Any) -> None:
    """What code written for either release does with the results of the names both releases have."""
    # 1.0.0b1 returned plain dicts: isinstance, json.dumps, item access, dict methods
    for result, body in ((queryables, _QUERYABLES), (legend, _LEGEND)):
        assert isinstance(result, dict) and result == body
        assert json.loads(json.dumps(result)) == body
        assert dict(result) == body and sorted(result.keys()) == sorted(body)
    assert queryables["type"] == "object" and legend["2"] == [0, 128, 0, 255]
    # 1.0.0 returns models: the model class, as_dict() / serialize() as plain dicts, deserialize
    assert isinstance(queryables, models.QueryableDefinitionsResponse)
    assert isinstance(legend, models.ClassMapLegendResponse)
    assert type(legend.as_dict()) is dict and legend.as_dict() == _LEGEND and legend.serialize() == _LEGEND
    assert type(queryables.as_dict()) is dict and queryables.as_dict() == _QUERYABLES
    assert models.ClassMapLegendResponse.deserialize(json.dumps(legend)) == legend
    assert repr(legend).startswith("ClassMapLegendResponse(")


def test_names_of_both_releases_return_what_both_releases_return() -> None:
    """Where 1.0.0 kept a 1.0.0b1 name and changed a plain dict into a model, the result is both:
    a dict (1.0.0b1) that is 1.0.0's model."""
    transport = FakeTransport([Reply(body=_QUERYABLES), Reply(body=_LEGEND)])
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=transport)
    queryables = client.stac.get_collection_queryables("c")
    legend = client.data.get_class_map_legend("mtbs-severity")
    _check_both_releases(queryables, legend)
    assert [urlsplit(r.url).path for r in transport.requests] == [
        "/stac/collections/c/queryables",
        "/data/legend/classmap/mtbs-severity",
    ]


async def test_names_of_both_releases_return_what_both_releases_return_async() -> None:
    transport = AsyncFakeTransport([Reply(body=_QUERYABLES), Reply(body=_LEGEND)])
    async with AsyncPlanetaryComputerProClient(ENDPOINT, AsyncFakeCredential(), transport=transport) as client:
        queryables = await client.stac.get_collection_queryables("c")
        legend = await client.data.get_class_map_legend("mtbs-severity")
    _check_both_releases(queryables, legend)


async def test_b1_only_names_return_plain_json_where_b1_did_async() -> None:
    transport = AsyncFakeTransport([Reply(body=_QUERYABLES), Reply(body=_ASSETS)])
    async with AsyncPlanetaryComputerProClient(ENDPOINT, AsyncFakeCredential(), transport=transport) as client:
        queryables = await client.stac.list_queryables()
        assert type(queryables) is dict and queryables == _QUERYABLES
        assets = await client.data.get_mosaics_assets_for_tile("s", "WebMercatorQuad", 1, 2, 3, collection_id="c")
        assert type(assets[0]) is dict and assets == _ASSETS


# --------------------------------------------------------------------------- (c) get_tile both ways

_TILE_WHERE = ["my col/1", "item:2?x", "WebMercatorQuad", 14, 4680, 6344]
_TILE_PATH = "/data/mosaic/collections/my%20col%2F1/items/item%3A2%3Fx/tiles/WebMercatorQuad/14.0/4680.0/6344.0"


@pytest.mark.parametrize("capture", [_capture_sync, _capture_async], ids=["sync", "async"])
@pytest.mark.parametrize("call", ["required", "all"])
def test_get_tile_keeps_the_1_0_0_shape(capture: Any, call: str) -> None:
    from .compat.compat_wire import decode_value

    (case,) = [c for c in GOLDEN if c["method"] == "data.get_tile" and c["call"] == call]
    request = capture("data", "get_tile", decode_value(case["args"]), decode_value(case["kwargs"]))
    golden = {**case["request"], "headers": {k.lower(): v for k, v in case["request"]["headers"].items()}}
    assert _record(request) == golden
    assert urlsplit(request.url).path == _TILE_PATH
    if call == "all":
        assert "&format=webp&scale=2&" in request.url


@pytest.mark.parametrize("capture", [_capture_sync, _capture_async], ids=["sync", "async"])
def test_get_tile_b1_positional_shape_goes_to_the_path(capture: Any) -> None:
    b1 = {"assets": ["image"], "asset_band_indices": "image|1,2,3", "no_data": 0, "buffer": "0.5"}
    request = capture("data", "get_tile", [*_TILE_WHERE, 2, "png"], b1)
    url = urlsplit(request.url)
    assert url.path == _TILE_PATH + "@2.0x.png"
    assert url.query == "api-version=2026-04-15&assets=image&asset_bidx=image%7C1%2C2%2C3&nodata=0.0&buffer=0.5"
    as_1_0_0 = {"assets": ["image"], "asset_band_indices": ["image|1,2,3"], "no_data": "0.0", "buffer": 0.5}
    expected = capture("data", "get_tile_by_scale_and_format", [*_TILE_WHERE, 2, "png"], as_1_0_0)
    assert _record(request) == _record(expected)
    # scale positionally, format by keyword (valid 1.0.0b1 too): both in the path
    request = capture("data", "get_tile", [*_TILE_WHERE, 2], {"format": "jpg"})
    assert urlsplit(request.url).path == _TILE_PATH + "@2.0x.jpg"
    # only one of them not None: the endpoint with only that one in the path
    request = capture("data", "get_tile", [*_TILE_WHERE, 3], {})
    assert urlsplit(request.url).path == _TILE_PATH + "@3.0x"
    request = capture("data", "get_tile", [*_TILE_WHERE, None, "webp"], {})
    assert urlsplit(request.url).path == _TILE_PATH + ".webp"
    request = capture("data", "get_tile", [*_TILE_WHERE, None, None], {})
    assert urlsplit(request.url).path == _TILE_PATH
    # 1.0.0b1 keyword call: scale and format in the path, as 1.0.0b1 sent them
    request = capture("data", "get_tile", _TILE_WHERE, {"scale": 2, "format": "png"})
    assert urlsplit(request.url).path == _TILE_PATH + "@2.0x.png"
    assert urlsplit(request.url).query == "api-version=2026-04-15"


@pytest.mark.parametrize("capture", [_capture_sync, _capture_async], ids=["sync", "async"])
def test_get_tile_b1_keyword_shape_goes_to_the_path(capture: Any) -> None:
    """scale= and format= by keyword: a valid 1.0.0b1 call gets 1.0.0b1's request, a 1.0.0-only call 1.0.0's."""
    b1 = {"scale": 2, "format": "png", "assets": ["image"], "asset_band_indices": "image|1,2,3", "no_data": 0}
    request = capture("data", "get_tile", _TILE_WHERE, b1)
    as_1_0_0 = {"assets": ["image"], "asset_band_indices": ["image|1,2,3"], "no_data": "0.0"}
    expected = capture("data", "get_tile_by_scale_and_format", [*_TILE_WHERE, 2, "png"], as_1_0_0)
    assert _record(request) == _record(expected)
    assert urlsplit(request.url).path == _TILE_PATH + "@2.0x.png"
    assert urlsplit(request.url).query == "api-version=2026-04-15&assets=image&asset_bidx=image%7C1%2C2%2C3&nodata=0.0"
    # every argument by keyword, which 1.0.0b1's signature allows too
    names = ["collection_id", "item_id", "tile_matrix_set_id", "z", "x", "y"]
    request = capture("data", "get_tile", [], {**dict(zip(names, _TILE_WHERE)), "format": "jpg", "scale": 1})
    assert urlsplit(request.url).path == _TILE_PATH + "@1.0x.jpg"
    # only one of them: 1.0.0b1 required both, so this is 1.0.0's call (query)
    request = capture("data", "get_tile", _TILE_WHERE, {"format": "png"})
    assert urlsplit(request.url).path == _TILE_PATH
    assert urlsplit(request.url).query == "api-version=2026-04-15&format=png"
    # a keyword only 1.0.0 has: 1.0.0's call, exactly as 1.0.0 sends it
    request = capture("data", "get_tile", _TILE_WHERE, {"scale": 2, "format": "png", "padding": 1})
    assert urlsplit(request.url).path == _TILE_PATH
    assert urlsplit(request.url).query == "api-version=2026-04-15&format=png&scale=2&padding=1"


def test_get_tile_newer_keywords_are_the_ones_only_1_0_0_has() -> None:
    """The keywords that mark a get_tile call as 1.0.0 code (swagger/compat.yaml) are 1.0.0's minus 1.0.0b1's."""
    import yaml

    table = yaml.safe_load((ROOT / "swagger" / "compat.yaml").read_text())
    official = json.loads((ROOT / "tests" / "compat" / "official-1.0.0-api.json").read_text())["operations"]["sync"]
    ga = {p["name"] for p in official["DataOperations"]["get_tile"] if p["kind"] == "KEYWORD_ONLY"}
    b1 = {p["name"] for p in B1["operations"]["sync"]["DataOperations"]["get_tile"]}
    assert set(table["groups"]["Data"]["get_tile"]["newer"]) == ga - b1


def test_get_tile_rejects_wrong_positional_calls() -> None:
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=FakeTransport([]))
    with pytest.raises(TypeError, match="at most 8 positional arguments, got 9"):
        client.data.get_tile(*_TILE_WHERE, 2, "png", "extra")
    with pytest.raises(TypeError, match="multiple values for argument 'scale'"):
        client.data.get_tile(*_TILE_WHERE, 2, "png", scale=2)
    with pytest.raises(TypeError, match="multiple values for argument 'format'"):
        client.data.get_tile(*_TILE_WHERE, 2, "png", format="png")
    with pytest.raises(TypeError):
        client.data.get_tile("my col/1", "item:2?x", "WebMercatorQuad", 14, 4680)  # type: ignore[call-arg]


async def test_get_tile_rejects_wrong_positional_calls_async() -> None:
    transport = AsyncFakeTransport([])
    async with AsyncPlanetaryComputerProClient(ENDPOINT, AsyncFakeCredential(), transport=transport) as client:
        with pytest.raises(TypeError, match="at most 8 positional arguments, got 10"):
            await client.data.get_tile(*_TILE_WHERE, 2, "png", "x", "y")
        with pytest.raises(TypeError, match="multiple values for argument 'scale'"):
            await client.data.get_tile(*_TILE_WHERE, 2, scale=2)


def test_no_other_b1_method_conflicts_with_a_1_0_0_method_of_the_same_name() -> None:
    """get_tile is the only 1.0.0b1 name that 1.0.0 reuses with other positional parameters."""
    official = json.loads((ROOT / "tests" / "compat" / "official-1.0.0-api.json").read_text())["operations"]["sync"]
    conflicts = []
    for b1_class, name, params in _b1_methods("sync"):
        current = official.get(CLASSES[b1_class], {}).get(name)
        if current is None:
            continue
        positional = [p["name"] for p in params if p["kind"] == "POSITIONAL_OR_KEYWORD"]
        if positional != [p["name"] for p in current if p["kind"] == "POSITIONAL_OR_KEYWORD"]:
            conflicts.append(name)
    assert conflicts == ["get_tile"]


# --------------------------------------------------------------------------- (d) models and enums


def test_every_b1_model_and_enum_exists_with_b1_members() -> None:
    for name in B1["models"]:
        assert isinstance(getattr(models, name, None), type), name
    assert len(B1["models"]) == 75 and len(B1["enums"]) == 24
    for enum_name, members in B1["enums"].items():
        ours = getattr(models, enum_name, None)
        assert ours is not None, enum_name
        for member, value in members.items():
            assert getattr(ours, member).value == value, f"{enum_name}.{member}"
    # the 1.0.0b1 spellings of colour map names (e.g. NIPY_SPECTRAL) are aliases of 1.0.0's members
    assert models.ColorMapNames["ACCENT"] is models.ColorMapNames("accent")


def test_b1_model_fields_have_b1_python_names_and_wire_keys(inventories: Any) -> None:
    for name, spec in inventories[0]["models"].items():
        cls = getattr(models, name)
        attribute_map: Dict[str, Any] = {}
        for klass in reversed(cls.__mro__):
            attribute_map.update(getattr(klass, "_attribute_map", None) or {})
        for field in spec["fields"]:
            assert field["python"] in attribute_map, f"{name}.{field['python']}"
            assert attribute_map[field["python"]]["key"] == field["wire"], f"{name}.{field['python']}"


def test_image_models_are_b1s() -> None:
    parameters = models.ImageParameters(
        cql={"op": "=", "args": [{"property": "collection"}, "naip"]},
        render_parameters="assets=image",
        columns=1080,
        rows=720,
        zoom=13,
        show_branding=False,
        image_size="1080x720",
    )
    assert parameters.as_dict() == {
        "cql": {"op": "=", "args": [{"property": "collection"}, "naip"]},
        "zoom": 13,
        "render_params": "assets=image",
        "cols": 1080,
        "rows": 720,
        "showBranding": False,
        "imageSize": "1080x720",
    }
    assert models.ImageResponse({"url": "https://x/image/static/a.png"}).url == "https://x/image/static/a.png"
    search = models.StacSearchParameters(sign="true", duration_in_minutes=30)
    assert search.as_dict() == {"sign": "true", "duration": 30}


def test_static_images_round_trip() -> None:
    url = f"{ENDPOINT}/data/collections/naip-atl/image/static/geocatalog-naip-atl-1.png?api-version=2026-04-15"
    transport = FakeTransport(
        [Reply(body={"url": url}), Reply(body=b"\x89PNG...", headers={"Content-Type": "image/png"})]
    )
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=transport)
    created = client.data.create_static_image("naip-atl", models.ImageParameters(BODIES["ImageParameters"]))
    assert isinstance(created, models.ImageResponse) and created.url == url
    image_id = urlsplit(created.url).path.rsplit("/", 1)[1]
    assert b"".join(client.data.get_static_image("naip-atl", image_id)) == b"\x89PNG..."
    assert (
        urlsplit(transport.requests[1].url).path == "/data/collections/naip-atl/image/static/geocatalog-naip-atl-1.png"
    )


# --------------------------------------------------------------------------- (e) the seed README's names


def test_seed_readme_collection_snippet() -> None:
    """The seed README's "Create STAC Collection" snippet, unchanged (PUT /stac/collections/{id})."""
    from azure.planetarycomputer.models import (
        StacCollection,
        StacExtensionSpatialExtent,
        StacExtensionTemporalExtent,
        StacExtent,
    )

    assert StacExtent is models.StacExtensionExtent
    transport = FakeTransport([Reply(body=BODIES["StacCollection"])])
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=transport)

    spatial_extent = StacExtensionSpatialExtent(bbox=[[-180.0, -90.0, 180.0, 90.0]])
    temporal_extent = StacExtensionTemporalExtent(interval=[["2023-01-01T00:00:00Z", None]])
    collection = StacCollection(
        id="my-collection",
        type="Collection",
        stac_version="1.0.0",
        description="A collection of geospatial data",
        license="proprietary",
        extent=StacExtent(spatial=spatial_extent, temporal=temporal_extent),
        links=[],
    )
    created_collection = client.stac.create_or_update_collection(collection_id="my-collection", body=collection)

    assert created_collection.id == "my-collection"
    (request,) = transport.requests
    assert request.method == "PUT" and urlsplit(request.url).path == "/stac/collections/my-collection"
    assert json.loads(request.content)["extent"] == {
        "spatial": {"bbox": [[-180.0, -90.0, 180.0, 90.0]]},
        "temporal": {"interval": [["2023-01-01T00:00:00Z", None]]},
    }
    assert sync_generated.StacOperations.create_or_update_collection is sync_generated.StacOperations.replace_collection


def test_seed_readme_tile_snippet() -> None:
    """The seed README's "Generate Map Tiles" snippet: the item tile of a tile matrix set."""
    transport = FakeTransport([Reply(body=b"tile bytes", headers={"Content-Type": "image/png"})])
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=transport)
    tile_response = client.data.get_item_tile(
        collection_id="naip",
        item_id="ga_m_3308421_se_16_060_20211114",
        tile_matrix_set_id="WebMercatorQuad",
        z=14,
        x=4322,
        y=6463,
        assets=["image"],
    )
    assert b"".join(chunk for chunk in tile_response) == b"tile bytes"
    (request,) = transport.requests
    assert request.url == (
        f"{ENDPOINT}/data/mosaic/collections/naip/items/ga_m_3308421_se_16_060_20211114/tiles/WebMercatorQuad/"
        "14.0/4322.0/6463.0?api-version=2026-04-15&assets=image"
    )
    assert sync_operations.DataOperations.get_item_tile is sync_operations.DataOperations.get_tile
    assert async_operations.DataOperations.get_item_tile is async_operations.DataOperations.get_tile


def test_seed_readme_search_and_list_snippets() -> None:
    transport = FakeTransport(
        [
            Reply(body={"collections": [{**BODIES["StacCollection"], "title": "T"}], "links": []}),
            Reply(body={"type": "FeatureCollection", "features": [BODIES["StacItem"]]}),
        ]
    )
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=transport)
    collections_response = client.stac.list_collections()
    assert [c.id for c in collections_response.collections] == ["my-collection"]
    search_params = models.StacSearchParameters(
        collections=["naip"], filter_lang=models.FilterLanguage.CQL2_JSON, filter={"op": "s_intersects"}, limit=10
    )
    search_result = client.stac.search_items(body=search_params)
    assert len(search_result.features) == 1
    assert [(r.method, urlsplit(r.url).path) for r in transport.requests] == [
        ("GET", "/stac/collections"),
        ("POST", "/stac/search"),
    ]
    assert sync_generated.StacOperations.search_items is sync_generated.StacOperations.search


async def test_seed_readme_names_async() -> None:
    transport = AsyncFakeTransport([Reply(body=BODIES["StacCollection"]), Reply(body=b"tile")])
    async with AsyncPlanetaryComputerProClient(ENDPOINT, AsyncFakeCredential(), transport=transport) as client:
        created = await client.stac.create_or_update_collection("my-collection", BODIES["StacCollection"])
        assert created.id == "my-collection"
        tile = await client.data.get_item_tile("naip", "i", "WebMercatorQuad", 14, 4322, 6463, assets=["image"])
        assert b"".join([chunk async for chunk in tile]) == b"tile"
    assert [r.method for r in transport.requests] == ["PUT", "GET"]
