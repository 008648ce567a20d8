"""Property-based tests: models over arbitrary JSON, and parameter quoting of arbitrary text.

(a) Any JSON object given to any model class either is refused with ``DeserializationError`` or
    is wrapped losslessly: ``as_dict()`` equals the input, and reading any declared attribute
    returns a value or raises ``DeserializationError``, and never changes ``as_dict()``. Values
    are drawn both from the declared types and from arbitrary JSON (wrong types on purpose).
(b) Any text put into a path or query parameter reaches the URL quoted so that unquoting it
    gives the text back.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import json
import os
from typing import Any, Dict, List
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from azure.core.exceptions import DeserializationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential, models
from azure.planetarycomputer._serialization import Model, _parse_spec
from azure.planetarycomputer.operations._operations import (
    build_stac_get_item_collection_request,
    build_stac_get_item_request,
)

from .fakes import FakeTransport, Reply

MODEL_CLASSES = sorted(
    (
        cls
        for cls in (getattr(models, name) for name in models.__all__)
        if isinstance(cls, type) and issubclass(cls, Model)
    ),
    key=lambda cls: cls.__name__,
)
#: Examples per model class; raise it (e.g. PROPERTY_EXAMPLES=1000) to hunt for bugs, off the normal test run.
EXAMPLES = int(os.environ.get("PROPERTY_EXAMPLES", "30"))
FAST = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# -- strategies ---------------------------------------------------------------------------------------------

KEYS = st.text(max_size=6)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
ANY_JSON = st.recursive(
    LEAVES,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)),
    max_leaves=6,
)
RFC3339 = st.datetimes(
    min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=st.just(dt.timezone.utc)
).map(lambda value: value.isoformat().replace("+00:00", "Z"))


def _resolve(name: str) -> Any:
    return getattr(models, name, None) or Model._registry[name]


def _typed(type_str: str, depth: int) -> st.SearchStrategy[Any]:
    """Values of a declared type (msrest type string), or arbitrary JSON now and then."""
    if type_str.startswith("[") and type_str.endswith("]"):
        return st.one_of(st.lists(_typed(type_str[1:-1], depth), max_size=3), ANY_JSON)
    if type_str.startswith("{") and type_str.endswith("}"):
        return st.one_of(st.dictionaries(KEYS, _typed(type_str[1:-1], depth), max_size=3), ANY_JSON)
    spec = _parse_spec(type_str, _resolve)
    kind = spec[0]
    if kind == "datetime":
        return st.one_of(RFC3339, RFC3339.map(lambda s: s.replace("Z", "+05:30")), ANY_JSON)
    if kind == "enum":
        values = [str(member.value) for member in spec[1]]
        return st.one_of(st.sampled_from(values), st.sampled_from(values).map(str.upper), ANY_JSON)
    if kind == "model":
        return st.one_of(_objects(spec[1], depth + 1), ANY_JSON) if depth < 2 else ANY_JSON
    plain = {
        "str": st.text(max_size=12),
        "int": st.integers(),
        "float": st.floats(allow_nan=False, allow_infinity=False),
    }
    return st.one_of(plain.get(type_str, ANY_JSON), ANY_JSON)


def _objects(cls: type, depth: int = 0) -> st.SearchStrategy[Dict[str, Any]]:
    """JSON objects for ``cls``: some declared keys with typed (or wrong) values, plus unknown keys."""
    declared = {info["key"]: _typed(info["type"], depth) for info in cls._attribute_map.values()}
    disc = cls._discriminator
    if disc:
        declared[disc] = st.one_of(st.sampled_from(sorted(cls._subtypes) or ["x"]), ANY_JSON)
    return st.fixed_dictionaries({}, optional=declared).flatmap(
        lambda known: st.dictionaries(KEYS, ANY_JSON, max_size=2).map(lambda extra: {**extra, **known})
    )


# -- (a) models ----------------------------------------------------------------------------------------------


def _check_round_trip(cls: type, data: Dict[str, Any]) -> None:
    original = copy.deepcopy(data)
    try:
        model = cls.deserialize(data)  # type: ignore[attr-defined]
    except DeserializationError:
        return
    assert isinstance(model, cls)
    assert model.as_dict() == original
    assert cls.deserialize(json.dumps(data)).as_dict() == original  # type: ignore[attr-defined]
    for name in cls._attribute_map:  # type: ignore[attr-defined]
        try:
            value = getattr(model, name)
        except DeserializationError:
            pass
        else:
            if isinstance(value, Model):
                value.as_dict()
            elif isinstance(value, enum.Enum):
                str(value)
        assert model.as_dict() == original, name
    repr(model)
    assert data == original  # the caller's mapping is never changed


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=[cls.__name__ for cls in MODEL_CLASSES])
def test_any_json_object_round_trips_or_is_refused(cls: type) -> None:
    @FAST
    @given(data=_objects(cls))
    def check(data: Dict[str, Any]) -> None:
        _check_round_trip(cls, data)

    check()


@settings(max_examples=2 * EXAMPLES, deadline=None)
@given(cls=st.sampled_from(MODEL_CLASSES), data=ANY_JSON)
def test_any_json_value_round_trips_or_is_refused(cls: type, data: Any) -> None:
    if isinstance(data, dict):
        _check_round_trip(cls, data)
    else:
        with pytest.raises(DeserializationError):
            cls.deserialize(data)  # type: ignore[attr-defined]


# -- (b) quoting -----------------------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)  # lone surrogates cannot be encoded
IDS = TEXT.filter(lambda s: bool(s.strip()) and s not in (".", ".."))  # other ids are refused


@settings(max_examples=3 * EXAMPLES, deadline=None)
@given(collection_id=IDS, item_id=IDS)
def test_path_parameters_survive_quoting(collection_id: str, item_id: str) -> None:
    request = build_stac_get_item_request(collection_id, item_id)
    segments = urlsplit(request.url).path.split("/")
    assert segments[:3] == ["", "stac", "collections"] and segments[4] == "items"
    assert [unquote(segments[3]), unquote(segments[5])] == [collection_id, item_id]


@settings(max_examples=3 * EXAMPLES, deadline=None)
@given(datetime=TEXT, token=TEXT, bbox=st.lists(TEXT.filter(lambda s: "," not in s), min_size=1, max_size=4))
def test_query_parameters_survive_quoting(datetime: str, token: str, bbox: List[str]) -> None:
    request = build_stac_get_item_collection_request("c", datetime=datetime, token=token, bounding_box=bbox)
    query = urlsplit(request.url).query
    pairs = dict(part.split("=", 1) for part in query.split("&"))
    assert unquote(pairs["datetime"]) == datetime and unquote(pairs["token"]) == token
    assert [unquote(value) for value in pairs["bbox"].split(",")] == bbox
    parsed = parse_qs(query, keep_blank_values=True)  # as a server reads it ('+' would be a space)
    assert parsed["datetime"] == [datetime] and parsed["token"] == [token]


@pytest.fixture(scope="module")
def sent() -> Any:
    transport = FakeTransport(lambda request: Reply(200, {"type": "Feature", "id": "x"}))
    client = PlanetaryComputerProClient(
        "https://contoso.geocatalog.spatio.azure.com", StaticTokenCredential(), transport=transport, retry_total=0
    )
    return client, transport


@settings(max_examples=2 * EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(collection_id=IDS, item_id=IDS)
def test_the_pipeline_sends_what_was_quoted(sent: Any, collection_id: str, item_id: str) -> None:
    client, transport = sent
    client.stac.get_item(collection_id, item_id)
    segments = urlsplit(transport.requests[-1].url).path.split("/")
    assert [unquote(segments[3]), unquote(segments[5])] == [collection_id, item_id]
