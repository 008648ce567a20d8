"""Record the exact HTTP requests the official azure-planetarycomputer 1.0.0 builds.

Run with the oracle virtualenv (never with the project's environment)::

    /tmp/oracle100/bin/python tests/compat/capture_official_requests.py

Writes ``official-1.0.0-requests.json`` next to this script. Nothing touches
the network: the client gets ``per_retry_policies=[_Recorder()]``, a policy
that stores ``request.http_request`` and raises a private exception, which
the script catches around every call (for ``begin_*`` the exception comes out
of ``begin_*`` itself, since the initial request is sent there; ``.result()``
is handled too, and paged methods are iterated once).

For every public method of every sync operation group it makes the calls:

- ``required``: only the required arguments (required positional ones as
  ``args``, required keyword-only ones, e.g. ``sas.get_url(href=...)``, as ``kwargs``);
- ``all``: the required arguments plus every optional keyword-only parameter
  set to a non-default value;
- ``body`` (only ``data.register_mosaics_search``, whose body is optional):
  the example body instead of the keyword arguments;
- ``io`` (``stac.search``, ``stac.begin_create_item``): the body passed as
  ``io.BytesIO(b'{"id": "x"}')``.

Record format (one JSON list, ordered by method then call name)::

    {"method": "<group attribute>.<method>", "call": "required" | "all" | ...,
     "args": [...], "kwargs": {...},
     "request": {"method", "url", "headers", "body"}}

Argument tags (see compat_wire.encode_value / decode_value):

- bytes            -> {"__bytes_b64__": "<base64>"}
- io.BytesIO       -> {"__io_bytes_b64__": "<base64>"}
- tuple            -> {"__tuple__": [...]}
- datetime         -> {"__datetime__": "<isoformat>"}

``request.headers`` keeps the SDK's own header-name casing and order and
omits Authorization, User-Agent, x-ms-client-request-id and traceparent.
``request.body`` is null, the parsed JSON for a JSON content type, ``{"multipart":
[parts]}`` for multipart (parts in order; Content-Type normalised to
``multipart/form-data; boundary=<boundary>``), or ``{"bytes_b64": ...}``.

Argument values are chosen per parameter name / type (tables below) so that
they exercise serialization: path ids contain characters that need quoting,
lists have two or more values with commas/spaces, enum-typed parameters get
a valid enum value as a plain string, and bodies come from the reference
examples in tests/data/reference/examples/2026-04-15 (see EXAMPLE_BODIES).
"""

import argparse
import copy
import enum
import inspect
import io
import json
import os
import sys
import typing

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from azure.core.credentials import AccessToken  # noqa: E402
from azure.core.pipeline.policies import HTTPPolicy  # noqa: E402
from compat_wire import encode_value, request_record  # noqa: E402

import azure.planetarycomputer as pc  # noqa: E402
import azure.planetarycomputer.operations as sync_ops  # noqa: E402

ENDPOINT = "https://contoso.geocatalog.spatio.azure.com"
# The reference data the tests use: <repo>/tests/data/reference.
REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "reference")
DEFAULT_INVENTORY = os.path.join(REFERENCE, "inventory", "azure-planetarycomputer-1.0.0.json")
DEFAULT_EXAMPLES = os.path.join(REFERENCE, "examples", "2026-04-15")


# --------------------------------------------------------------------------- plumbing


class _Captured(Exception):
    """Private: raised by the recorder so that no request leaves the process."""


class _Recorder(HTTPPolicy):
    def __init__(self):
        super().__init__()
        self.requests = []

    def send(self, request):
        self.requests.append(request_record(request.http_request))
        raise _Captured()


class _FixedCredential:
    def get_token(self, *scopes, **kwargs):
        return AccessToken("fixed-test-token", 4102444800)

    def get_token_info(self, *scopes, options=None):
        from azure.core.credentials import AccessTokenInfo

        return AccessTokenInfo("fixed-test-token", 4102444800)


# --------------------------------------------------------------------------- values

# path parameters (plain strings): characters that need quoting
PATH_STRINGS = {
    "collection_id": "my col/1",
    "item_id": "item:2?x",
    "search_id": "search id/7#a",
    "asset_id": "thumb nail/1",
    "mosaic_id": "mosaic 1/a",
    "render_option_id": "render opt/1",
    "queryable_name": "eo:cloud cover/x",
    "ingestion_id": "ingestion 1/a",
    "run_id": "run:1/2",
    "operation_id": "op id/1",
    "id": "src id/1",
}
# path parameters that are enums / formats / named things: valid values
PATH_NAMED = {
    "format": "png",
    "tile_matrix_set_id": "WebMercatorQuad",
    "color_map_name": "modis-13A1|Q1",  # a valid ColorMapNames value that needs quoting
    "classmap_name": "mtbs-severity",
}
PATH_NUMBERS = {
    "z": 14,
    "x": 4680,
    "y": 6344,
    "scale": 2,
    "longitude": 10.5,
    "latitude": 53.25,
    "min_x": -84.45,
    "min_y": 33.61,
    "max_x": -84.39,
    "max_y": 33.65,
    "width": 256,
    "height": 128,
}

# keyword-only parameters by name (enum-typed ones are handled by ENUM_VALUES first)
KEYWORD_VALUES = {
    # List[str]
    "assets": ["image", "band 2,nir"],
    "asset_band_indices": ["image|1,2,3", "visual|1"],
    "asset_expression": ["image|b1*b2", "visual|b1 + b2"],
    "rescale": ["0,255", "10 20"],
    "sel": ["time=2020-01-01", "band=b 1,2"],
    "collections": ["naip-atl", "sentinel 2,l2a"],
    # List[int]
    "bidx": [1, 3],
    "subdataset_bands": [1, 2],
    "percentiles": [2, 98],
    "categories_pixels": [1, 2],
    # str
    "expression": "(B08-B04)/(B08+B04)",
    "no_data": "0",
    "bbox": "-84.45,33.61,-84.39,33.65",
    "sort_by": "-datetime",
    "datetime": "2023-01-01T00:00:00Z/2023-12-31T23:59:59Z",
    "crs": "EPSG:4326",
    "destination_crs": "EPSG:3857",
    "dst_crs": "EPSG:3857",
    "coordinate_reference_system": "EPSG:4326",
    "color_formula": "Gamma RGB 3.2 Saturation 0.8",
    "color_map": '{"0": "#000000", "255": "#ffffff"}',
    "colormap": '{"0": "#000000", "255": "#ffffff"}',
    "algorithm_params": '{"angle": 45, "azimuth": 315}',
    "collection": "naip-atl",
    "subdataset_name": "temperature",
    "histogram_bins": "8",
    "histogram_range": "0,1000",
    "token": "next:abc/1",
    "href": "https://contoso.blob.core.windows.net/container/a b/file.tif?x=1&y=2",
    "collection_id": "my col/1",
    # int
    "max_size": 1024,
    "scan_limit": 100,
    "items_limit": 10,
    "time_limit": 5,
    "tile_scale": 2,
    "min_zoom": 4,
    "max_zoom": 18,
    "padding": 1,
    "scale": 2,
    "limit": 5,
    "duration_in_minutes": 60,
    "skip": 10,
    "top": 20,
    "trim_start": 1,
    "trim_end": 2,
    # float
    "buffer": 0.5,
    # bool
    "asset_as_band": True,
    "unscale": True,
    "exit_when_full": True,
    "skip_covered": True,
    "return_mask": True,
    "categorical": True,
    # dict / model-typed (register_mosaics_search)
    "filter": {"op": "=", "args": [{"property": "collection"}, "naip-atl"]},
    "intersects": {
        "type": "Polygon",
        "coordinates": [[[-84.45, 33.65], [-84.39, 33.65], [-84.39, 33.61], [-84.45, 33.61], [-84.45, 33.65]]],
    },
    "metadata": {"type": "mosaic", "name": "my mosaic", "minzoom": 6, "maxzoom": 18, "assets": ["image"]},
}
# (method, param) overrides where the name alone does not determine the type
KEYWORD_OVERRIDES = {
    ("get_item_collection", "bounding_box"): ["-84.45", "33.61", "-84.39", "33.65"],
    ("register_mosaics_search", "bounding_box"): [-84.45, 33.61, -84.39, 33.65],
    ("register_mosaics_search", "ids"): ["item-1", "item 2,b"],
    ("register_mosaics_search", "query"): {"eo:cloud_cover": {"lt": 10}},
    ("register_mosaics_search", "sort_by"): [{"field": "datetime", "direction": "desc"}],
    ("get_item_feature_statistics", "algorithm"): "hillshade",
    ("get_item_statistics", "algorithm"): "hillshade",
    ("get_legend", "height"): 10.5,  # float-typed
    ("get_legend", "width"): 256,  # float-typed, passed as int
    ("register_mosaics_search", "datetime"): "2023-01-01T00:00:00Z/2023-12-31T23:59:59Z",
}
KEYWORD_GENERIC = {
    "ids": "item-1,item-2",
    "query": '{"eo:cloud_cover": {"lt": 10}}',
    "height": 256,
    "width": 512,
}
# enum class name -> value used for keyword parameters
ENUM_VALUES = {
    "TerrainAlgorithm": "normalizedIndex",
    "WarpKernelResampling": "cubic_spline",
    "Resampling": "bilinear",
    "PixelSelection": "median",
    "ColorMapNames": "rdylgn",
    "SelMethod": "nearest",
    "StacAssetUrlSigningMode": "true",
    "TilerImageFormat": "webp",
    "TileMatrixSetId": "WorldCRS84Quad",
    "OperationStatus": "Succeeded",
    "FilterLanguage": "cql2-json",
}

# method -> (example file, key under "parameters" holding the body)
EXAMPLE_BODIES = {
    "data.crop_collection_feature": ("TilerGeoJsons_CropFormat", "body"),
    "data.crop_collection_feature_by_format": ("TilerGeoJsons_CropFormat", "body"),
    "data.crop_collection_feature_width_by_height": ("TilerGeoJsons_CropFormat", "body"),
    "data.crop_feature": ("TilerGeoJsons_CropFormat", "body"),
    "data.crop_feature_by_format": ("TilerGeoJsons_CropFormat", "body"),
    "data.crop_feature_width_by_height": ("TilerGeoJsons_CropFormat", "body"),
    "data.crop_search_feature": ("TilerGeoJsons_CropFormat", "body"),
    "data.crop_search_feature_by_format": ("TilerGeoJsons_CropFormat", "body"),
    "data.crop_search_feature_width_by_height": ("TilerGeoJsons_CropFormat", "body"),
    "data.get_item_feature_statistics": ("TilerGeoJsonStatistics_Get", "body"),
    "data.register_mosaics_search": ("MosaicsRegisterSearch_Register", "body"),
    "ingestion.create": ("Ingestions_Create", "definition"),
    "ingestion.update": ("Ingestions_Update", "definition"),
    "ingestion.create_source": ("IngestionSources_Create", "body"),
    "ingestion.replace_source": ("IngestionSources_Replace", "body"),
    "stac.add_mosaic": ("StacCollectionMosaics_Add", "body"),
    "stac.replace_mosaic": ("StacCollectionMosaics_Replace", "body"),
    "stac.replace_partition_type": ("StacCollectionPartitionTypes_Replace", "body"),
    "stac.create_render_option": ("StacCollectionRenderOptions_Create", "body"),
    "stac.replace_render_option": ("StacCollectionRenderOptions_Replace", "body"),
    "stac.replace_tile_settings": ("StacCollectionTileSettings_Replace", "body"),
    "stac.begin_create_collection": ("StacCollections_Create", "body"),
    "stac.replace_collection": ("StacCollections_CreateOrReplace", "body"),
    "stac.begin_create_item": ("StacItems_Create", "body"),
    "stac.begin_replace_item": ("StacItems_CreateOrReplace", "body"),
    "stac.begin_update_item": ("StacItems_Update", "body"),
    "stac.create_queryables": ("StacQueryables_Create", "body"),
    "stac.replace_queryable": ("StacQueryables_Replace", "body"),
    "stac.search": ("StacSearch_Create", "body"),
    # multipart: the "data" part comes from the example's JSON text
    "stac.create_collection_asset": ("StacCollectionAssets_Create", "data"),
    "stac.replace_collection_asset": ("StacCollectionAssets_Replace", "data"),
}
MULTIPART_FILE = ("thumbnail.png", b"\x89PNG fake bytes")
IO_BODY = b'{"id": "x"}'
IO_CALLS = ("stac.search", "stac.begin_create_item")
MAX_FEATURES = 3


def _trim(value):
    """Keep example bodies small: at most MAX_FEATURES features per collection."""
    if isinstance(value, dict):
        out = {k: _trim(v) for k, v in value.items()}
        if isinstance(out.get("features"), list):
            out["features"] = out["features"][:MAX_FEATURES]
        return out
    if isinstance(value, list):
        return [_trim(v) for v in value]
    return value


def load_body(examples_dir, qualified):
    name, key = EXAMPLE_BODIES[qualified]
    with open(os.path.join(examples_dir, name + ".json"), encoding="utf-8") as f:
        params = json.load(f)["parameters"]
    value = params[key]
    if key == "data":  # multipart
        metadata = json.loads(value) if isinstance(value, str) else value
        return {"data": metadata, "file": MULTIPART_FILE}
    return _trim(value)


def _enum_class(annotation):
    if inspect.isclass(annotation) and issubclass(annotation, enum.Enum):
        return annotation
    for arg in typing.get_args(annotation):
        found = _enum_class(arg)
        if found is not None:
            return found
    return None


def keyword_value(method, param):
    key = (method, param.name)
    if key in KEYWORD_OVERRIDES:
        return KEYWORD_OVERRIDES[key]
    enum_cls = _enum_class(param.annotation)
    if enum_cls is not None:
        value = ENUM_VALUES.get(enum_cls.__name__)
        if value is None:
            raise LookupError(f"no value for enum {enum_cls.__name__}")
        assert value in {m.value for m in enum_cls}, (enum_cls, value)
        return value
    if param.name in KEYWORD_VALUES:
        return KEYWORD_VALUES[param.name]
    if param.name in KEYWORD_GENERIC:
        return KEYWORD_GENERIC[param.name]
    raise LookupError(f"no keyword value for {method}({param.name}: {param.annotation})")


def positional_value(method, param):
    if param.name in PATH_NAMED:
        return PATH_NAMED[param.name]
    if param.name in PATH_STRINGS:
        return PATH_STRINGS[param.name]
    if param.name in PATH_NUMBERS:
        return PATH_NUMBERS[param.name]
    raise LookupError(f"no positional value for {method}({param.name}: {param.annotation})")


# --------------------------------------------------------------------------- calls


def plan_calls(group, method_name, func, examples_dir):
    """-> list of (call name, args, kwargs) for one method."""
    qualified = f"{group}.{method_name}"
    sig = inspect.signature(inspect.unwrap(func), follow_wrapped=False)
    args, required_kwargs, optional_kwargs = [], {}, {}
    optional_body = None
    for p in sig.parameters.values():
        if p.name == "self" or p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            continue
        required = p.default is inspect.Parameter.empty
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            if p.name == "body":
                value = load_body(examples_dir, qualified) if qualified in EXAMPLE_BODIES else None
                if value is None:
                    raise LookupError(f"no body for {qualified}")
                if required:
                    args.append(value)
                else:
                    optional_body = value
            elif required:
                args.append(positional_value(method_name, p))
            else:
                raise LookupError(f"optional positional {p.name} in {qualified}")
        elif p.kind == p.KEYWORD_ONLY:
            if required:
                required_kwargs[p.name] = keyword_value(method_name, p)
            else:
                optional_kwargs[p.name] = keyword_value(method_name, p)
    calls = [("required", args, dict(required_kwargs))]
    all_kwargs = dict(required_kwargs)
    all_kwargs.update(optional_kwargs)
    calls.append(("all", args, all_kwargs))
    if optional_body is not None:
        calls.append(("body", [optional_body] + args, dict(required_kwargs)))
    if qualified in IO_CALLS:
        io_args = [io.BytesIO(IO_BODY) if a is not None and i == _body_index(sig) else a for i, a in enumerate(args)]
        calls.append(("io", io_args, dict(required_kwargs)))
    return calls


def _body_index(sig):
    names = [p.name for p in sig.parameters.values() if p.name != "self"]
    return names.index("body")


def invoke(bound_method, args, kwargs):
    """Call the SDK; return how the capture exception surfaced (for the report)."""
    try:
        result = bound_method(*copy.deepcopy(args), **copy.deepcopy(kwargs))
    except _Captured:
        return "call"
    # lazily evaluated results: pollers and pagers
    try:
        if hasattr(result, "result") and hasattr(result, "polling_method"):
            result.result()
        elif hasattr(result, "by_page") or hasattr(result, "__next__") or hasattr(result, "__iter__"):
            next(iter(result))
    except _Captured:
        return "iteration"
    return "no-request"


def public_methods(cls):
    return sorted(n for n in dir(cls) if not n.startswith("_") and inspect.isfunction(inspect.getattr_static(cls, n)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inventory", default=DEFAULT_INVENTORY)
    parser.add_argument("--examples", default=DEFAULT_EXAMPLES)
    parser.add_argument("-o", "--output", default=None)
    opts = parser.parse_args()

    recorder = _Recorder()
    client = pc.PlanetaryComputerProClient(ENDPOINT, _FixedCredential(), per_retry_policies=[recorder])

    groups = {}
    for attr, value in sorted(vars(client).items()):
        if not attr.startswith("_") and type(value).__module__.startswith(sync_ops.__name__):
            groups[attr] = value

    records, problems, captured_methods, surfaced = [], [], set(), {}
    for group, ops in groups.items():
        cls = type(ops)
        for method_name in public_methods(cls):
            qualified = f"{group}.{method_name}"
            try:
                calls = plan_calls(group, method_name, getattr(cls, method_name), opts.examples)
            except LookupError as exc:
                problems.append(f"{qualified}: cannot plan: {exc}")
                continue
            for call_name, args, kwargs in calls:
                encoded_args = encode_value(args)
                encoded_kwargs = encode_value(kwargs)
                before = len(recorder.requests)
                try:
                    how = invoke(getattr(ops, method_name), args, kwargs)
                except Exception as exc:  # pylint: disable=broad-except
                    problems.append(f"{qualified}[{call_name}]: {type(exc).__name__}: {exc}")
                    continue
                if len(recorder.requests) != before + 1:
                    problems.append(
                        f"{qualified}[{call_name}]: {len(recorder.requests) - before} requests recorded ({how})"
                    )
                    continue
                surfaced.setdefault(how, []).append(qualified)
                records.append(
                    {
                        "method": qualified,
                        "call": call_name,
                        "args": encoded_args,
                        "kwargs": encoded_kwargs,
                        "request": recorder.requests[-1],
                    }
                )
                captured_methods.add((cls.__name__, method_name))

    # coverage against the reference inventory
    with open(opts.inventory, encoding="utf-8") as f:
        inventory = json.load(f)
    expected = {tuple(k.split(".", 1)) for k in inventory["operations"]}
    missing = sorted(expected - captured_methods)
    extra = sorted(captured_methods - expected)
    for cls_name, m in missing:
        problems.append(f"not captured: {cls_name}.{m}")
    for cls_name, m in extra:
        problems.append(f"captured but not in inventory: {cls_name}.{m}")

    order = {"required": 0, "all": 1, "body": 2, "io": 3}
    records.sort(key=lambda r: (r["method"], order.get(r["call"], 9), r["call"]))

    out = opts.output or os.path.join(HERE, f"official-{pc.__version__}-requests.json")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        json.dump(records, f, indent=1, ensure_ascii=False)
        f.write("\n")

    per_group = {}
    for cls_name, _ in captured_methods:
        per_group[cls_name] = per_group.get(cls_name, 0) + 1
    print(
        f"wrote {out}: {len(records)} records, {len(captured_methods)} methods "
        f"{dict(sorted(per_group.items()))} (inventory: {len(expected)})",
        file=sys.stderr,
    )
    for how, names in sorted(surfaced.items()):
        if how != "call":
            print(f"  request surfaced on {how}: {sorted(set(names))}", file=sys.stderr)
    for p in problems:
        print("PROBLEM " + p, file=sys.stderr)
    assert not problems, f"{len(problems)} problem(s)"
    assert len(captured_methods) == len(expected) == 144, (len(captured_methods), len(expected))


if __name__ == "__main__":
    main()
