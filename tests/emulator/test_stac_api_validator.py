"""The third-party ``stac-api-validator`` against the emulator's STAC API, offline.

Every conformance class the landing page declares is validated (pagination included). The
validator fetches JSON schemas from the internet; ``tests.stac_schemas.local_schemas`` serves
them from the copies in ``tests/stac_schemas`` and the test fails on any fetch it could not
answer locally.

What the validator reports must be nothing but the known artifacts below (each with the reason
it is not the emulator's fault).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Pattern, Tuple

import pytest
import requests

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential
from geocatalog_emulator import Emulator

from ..stac_schemas import local_schemas

if sys.version_info < (3, 11):  # the validator's own floor (python_requires >= 3.11)
    pytest.skip("stac-api-validator needs Python 3.11 or later", allow_module_level=True)

from stac_api_validator.validations import QueryConfig, validate_api  # noqa: E402

COLLECTION = "validator-demo"
#: Which validator class checks each conformance class the landing page may declare.
VALIDATOR_CLASS = {
    "https://api.stacspec.org/v1.0.0/core": "core",
    "https://api.stacspec.org/v1.0.0/collections": "collections",
    "https://api.stacspec.org/v1.0.0/ogcapi-features": "features",
    "https://api.stacspec.org/v1.0.0/item-search": "item-search",
    "https://api.stacspec.org/v1.0.0/item-search#fields": "item-search#fields",
    "https://api.stacspec.org/v1.0.0/item-search#query": "item-search#query",
    "https://api.stacspec.org/v1.0.0/item-search#sort": "item-search#sort",
    "https://api.stacspec.org/v1.0.0-rc.2/item-search#filter": "filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter": "filter",
    # OGC classes the validator checks as part of the STAC ones above:
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core": "features",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson": "features",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30": "core",  # the service-desc link
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2": "filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json": "filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text": "filter",
}

#: Validator errors that are not the emulator's (nor the service's) fault: (pattern, reason).
KNOWN_ARTIFACTS: List[Tuple[Pattern[str], str]] = [
    (
        re.compile(r"Queryables '[^']+' '\$id' value invalid, must be same as queryables url"),
        "the service's queryables $id ends in ?api-version=..., the URL it was fetched from does not",
    ),
    (
        re.compile(
            r"^\[Item Search - Query Ext\] : (GET|POST) search with Query "
            r"'\{\"eo:cloud_cover\": \{\"(eq|neq|lt|lte|gt|gte)\": \"10\"\}\}' had no results$"
        ),
        'the validator sends the comparison value as a string ("10"), which matches no number',
    ),
    (
        re.compile(
            r"^\[Item Search\] : POST \S+/stac/search\?api-version=\S+ params=None body=\{.*'token': .*\} "
            r"content-type header is application/geo\+json instead of 'application/json'$"
        ),
        "the validator expects GeoJSON only from URLs ending in /search; the next link's ends in ?api-version=...",
    ),
]

def _item(index: int) -> Dict[str, Any]:
    lon, lat = -84.5 + index * 0.01, 33.6 + index * 0.01
    ring = [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": f"item-{index:02d}",
        "collection": COLLECTION,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "bbox": [lon, lat, lon + 0.01, lat + 0.01],
        "properties": {
            "datetime": f"2021-{1 + index % 9:02d}-1{index % 10}T16:00:00Z",
            "eo:cloud_cover": index * 5,
            "platform": "demo",
            # The validator's "in" check compares the value's characters with the listed values:
            # a one-letter value is the one shape both it and the STAC query extension agree on.
            "demo:grade": "AB"[index % 2],
            "gsd": 0.6,
        },
        # Assets already in the collection's container are kept as they are (nothing to copy).
        "assets": {"data": {"href": f"/blobs/{COLLECTION}/item-{index:02d}/data.tif", "type": "image/tiff"}},
        "links": [],
    }


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """An emulator of its own (the validator walks every collection), with one collection of 12 items."""
    with Emulator(tmp_path_factory.mktemp("validator-geocatalog"), operation_delay=0.01) as emulator:
        client = PlanetaryComputerProClient(emulator.endpoint, StaticTokenCredential("token"), polling_interval=0.05)
        client.stac.begin_create_collection(
            {
                "type": "Collection",
                "stac_version": "1.0.0",
                "id": COLLECTION,
                "description": "Items for the STAC API validator",
                "license": "CC0-1.0",
                "extent": {
                    "spatial": {"bbox": [[-84.5, 33.6, -84.37, 33.73]]},
                    "temporal": {"interval": [["2021-01-10T16:00:00Z", "2021-09-19T16:00:00Z"]]},
                },
                "links": [],
            }
        ).result()
        for index in range(12):
            emulator.app.store.write_blob(COLLECTION, f"item-{index:02d}/data.tif", b"II*\x00")
        features = [_item(i) for i in range(12)]
        client.stac.begin_create_item(COLLECTION, {"type": "FeatureCollection", "features": features}).result()
        yield emulator


def _declared_classes(endpoint: str) -> List[str]:
    landing = requests.get(f"{endpoint}/stac/", headers={"Authorization": "Bearer token"}, timeout=10).json()
    return list(landing["conformsTo"])


def _validate(endpoint: str, classes: List[str]) -> Tuple[List[str], List[str], set]:
    comparisons = {f"query_{op}_value": "10" for op in ("eq", "neq", "lt", "lte", "gt", "gte")}
    query = QueryConfig(
        query_comparison_field="eo:cloud_cover",
        **comparisons,
        query_substring_field="platform",
        query_starts_with_value="de",
        query_ends_with_value="mo",
        query_contains_value="em",
        query_in_field="demo:grade",
        query_in_values="A,C",
    )
    with local_schemas() as elsewhere:
        warnings, errors = validate_api(
            root_url=f"{endpoint}/stac",
            ccs_to_validate=classes,
            collection=COLLECTION,
            geometry=json.dumps({"type": "Point", "coordinates": [-84.445, 33.655]}),
            auth_bearer_token="token",
            auth_query_parameter=None,
            fields_nested_property="properties.eo:cloud_cover",
            validate_pagination=True,
            query_config=query,
            transaction_collection=None,
            headers=None,
            open_assets_urls=False,
        )
    return errors.as_list(), warnings.as_list(), set(elsewhere)


def _unexplained(errors: List[str], known: List[Tuple[Pattern[str], str]]) -> List[str]:
    return [e for e in errors if not any(pattern.search(e) for pattern, _ in known)]


def test_every_declared_conformance_class_has_a_validator_check(emulator: Emulator) -> None:
    declared = _declared_classes(emulator.endpoint)
    assert declared and [c for c in declared if c not in VALIDATOR_CLASS] == []


def test_stac_api_validator_finds_nothing_but_known_artifacts(emulator: Emulator) -> None:
    classes = sorted({VALIDATOR_CLASS[c] for c in _declared_classes(emulator.endpoint)})
    assert {"core", "features", "collections", "item-search", "filter"} <= set(classes)

    errors, warnings, elsewhere = _validate(emulator.endpoint, classes)

    assert elsewhere == set(), "schemas fetched from the internet: add them to tests/stac_schemas"
    # The string-valued query comparisons always fail: proof the validator ran its query checks.
    assert any(KNOWN_ARTIFACTS[1][0].search(e) for e in errors), errors
    unexplained = _unexplained(errors, KNOWN_ARTIFACTS)
    assert unexplained == [], "\n".join(unexplained)


def test_stac_schemas_are_in_the_repository() -> None:
    from ..stac_schemas import HERE, local_path

    assert HERE == Path(__file__).resolve().parents[1] / "stac_schemas"
    for url in (
        "https://schemas.stacspec.org/v1.0.0/item-spec/json-schema/item.json",
        "https://schemas.stacspec.org/v1.0.0/collection-spec/json-schema/collection.json",
        "https://stac-extensions.github.io/eo/v1.1.0/schema.json",
        "https://stac-extensions.github.io/item-assets/v1.0.0/schema.json",
        "https://geojson.org/schema/Feature.json#/definitions/x",
    ):
        path = local_path(url)
        assert path is not None and HERE in path.parents and json.loads(path.read_text())
    assert local_path("https://schemas.stacspec.org/v1.0.0/../../../etc/passwd") is None
    assert local_path("https://example.com/schema.json") is None
