"""The model runtime: construction, lossless wire round-trips, lazy conversion, polymorphism."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
from typing import Any, Dict

import pytest
from azure.core.exceptions import DeserializationError

from azure.planetarycomputer import models
from azure.planetarycomputer._serialization import Model, format_rfc3339, parse_rfc3339


def _item_wire() -> Dict[str, Any]:
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": "S2B_1",
        "collection": "sentinel-2",
        "bbox": [1.0, 2.0, 3.0, 4.0],
        "geometry": {"type": "Polygon", "coordinates": [[[1, 2], [3, 2], [3, 4], [1, 2]]]},
        "properties": {
            "datetime": "2024-05-01T10:00:00.5Z",
            "eo:cloud_cover": 12.5,
            "created": "2024-05-02T00:00:00+02:00",
        },
        "links": [{"rel": "self", "href": "https://x/items/S2B_1", "type": "application/geo+json"}],
        "assets": {"B04": {"href": "https://blob/B04.tif", "roles": ["data"], "proj:epsg": 32633}},
        "_msft:etag": "abc",
        "unknown:top": {"nested": [1, 2]},
    }


def test_deserialize_keeps_every_key_and_round_trips_exactly() -> None:
    wire = _item_wire()
    item = models.StacItem.deserialize(wire)
    assert item.as_dict() == wire
    assert json.loads(json.dumps(item.as_dict())) == wire
    # A deep copy: changing the result does not touch the model.
    out = item.as_dict()
    out["properties"]["eo:cloud_cover"] = 0
    assert item.properties["eo:cloud_cover"] == 12.5


def test_reading_every_attribute_does_not_change_the_wire_form() -> None:
    wire = _item_wire()
    item = models.StacItem.deserialize(copy.deepcopy(wire))
    assert item.id == "S2B_1" and item.bounding_box == [1.0, 2.0, 3.0, 4.0]
    assert item.properties.date_time == "2024-05-01T10:00:00.5Z"  # a string in this API
    assert item.properties.created == dt.datetime(2024, 5, 1, 22, 0, tzinfo=dt.timezone.utc)
    assert item.assets["B04"].href == "https://blob/B04.tif"
    assert item.links[0].rel == "self"
    assert item.e_tag == "abc"
    assert item.as_dict() == wire  # "+02:00" and ".5" are not rewritten by reading


def test_nested_models_are_wrapped_once_and_write_through() -> None:
    item = models.StacItem.deserialize(_item_wire())
    assert item.properties is item.properties
    assert item.assets is item.assets
    item.properties.title = "Cloudy"
    item.assets["B04"].title = "Red"
    item.links.append(models.StacLink(rel="next", href="https://x/next"))
    item.bounding_box.append(5.0)
    wire = item.as_dict()
    assert wire["properties"]["title"] == "Cloudy"
    assert wire["assets"]["B04"]["title"] == "Red"
    assert wire["links"][-1] == {"rel": "next", "href": "https://x/next"}
    assert wire["bbox"][-1] == 5.0


def test_keyword_construction_uses_wire_keys_and_sets_discriminators() -> None:
    point = models.Point(coordinates=[10.0, 20.0])
    item = models.StacItem(
        id="a",
        geometry=point,
        bounding_box=[10.0, 20.0, 10.0, 20.0],
        properties=models.StacItemProperties(date_time="2024-01-01T00:00:00Z", created=dt.datetime(2024, 1, 2)),
        assets={"data": models.StacAsset(href="https://h/a.tif")},
        links=[],
        **{"eo:cloud_cover": 3},
    )
    wire = item.as_dict()
    assert wire["type"] == "Feature"
    assert wire["geometry"] == {"type": "Point", "coordinates": [10.0, 20.0]}
    assert wire["bbox"] == [10.0, 20.0, 10.0, 20.0]
    assert wire["properties"] == {"datetime": "2024-01-01T00:00:00Z", "created": "2024-01-02T00:00:00Z"}
    assert wire["eo:cloud_cover"] == 3
    assert item["eo:cloud_cover"] == 3


def test_mapping_construction_copies_the_mapping() -> None:
    wire = _item_wire()
    item = models.StacItem(wire)
    item.properties["eo:cloud_cover"] = 99
    assert wire["properties"]["eo:cloud_cover"] == 12.5
    assert models.StacItem(item) == item


def test_polymorphic_deserialization_picks_the_subtype() -> None:
    assert type(models.Geometry.deserialize({"type": "Point", "coordinates": [0, 0]})) is models.Point
    assert type(models.Geometry.deserialize({"type": "MultiPolygon", "coordinates": []})) is models.MultiPolygon
    unknown = models.Geometry.deserialize({"type": "GeometryCollection", "geometries": []})
    assert type(unknown) is models.Geometry and unknown["geometries"] == []
    either = models.StacItemOrStacItemCollection
    assert type(either.deserialize({"type": "Feature", "id": "x"})) is models.StacItem
    assert type(either.deserialize({"type": "FeatureCollection", "features": []})) is models.StacItemCollection
    item = models.StacItem.deserialize(_item_wire())
    assert type(item.geometry) is models.Polygon


def test_enums_are_case_insensitive_and_keep_unknown_values() -> None:
    link = models.StacLink.deserialize({"href": "h", "type": "APPLICATION/JSON"})
    assert link.type is models.StacLinkType.APPLICATION_JSON
    assert link.as_dict()["type"] == "APPLICATION/JSON"  # reading does not rewrite the wire value
    other = models.StacLink.deserialize({"href": "h", "type": "application/x-unheard-of"})
    assert other.type == "application/x-unheard-of" and type(other.type) is str
    assert models.StacAssetUrlSigningMode["true"] is models.StacAssetUrlSigningMode.TRUE
    link.type = models.StacLinkType.IMAGE_PNG
    assert type(link.as_dict()["type"]) is str and link.as_dict()["type"] == "image/png"


def test_datetimes_parse_and_format() -> None:
    assert parse_rfc3339("2024-05-01T10:00:00Z") == dt.datetime(2024, 5, 1, 10, tzinfo=dt.timezone.utc)
    assert parse_rfc3339("2024-05-01T10:00:00.123456789+01:30").microsecond == 123456
    assert parse_rfc3339("2024-05-01 10:00:00").tzinfo == dt.timezone.utc
    assert (
        format_rfc3339(dt.datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=dt.timezone.utc)) == "2024-05-01T12:00:00.25Z"
    )
    assert (
        format_rfc3339(dt.datetime(2024, 5, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=2)))) == "2024-05-01T10:00:00Z"
    )
    with pytest.raises(DeserializationError, match="RFC 3339"):
        parse_rfc3339("yesterday")


def test_wrong_shapes_raise_deserialization_errors_naming_the_field() -> None:
    item = models.StacItem.deserialize({"type": "Feature", "properties": ["not", "an", "object"]})
    with pytest.raises(DeserializationError, match=r"StacItem\.properties"):
        _ = item.properties
    props = models.StacItemProperties.deserialize({"created": "not a date"})
    with pytest.raises(DeserializationError, match=r"StacItemProperties\.created"):
        _ = props.created
    with pytest.raises(DeserializationError):
        models.StacItem.deserialize([1, 2, 3])
    with pytest.raises(DeserializationError):
        models.StacItem.deserialize(b"{not json")


def test_mapping_protocol_equality_repr_copy_and_pickle() -> None:
    item = models.StacItem.deserialize(_item_wire())
    assert "bbox" in item and len(item) == len(_item_wire())
    assert set(item.keys()) == set(_item_wire())
    assert item == _item_wire() and item != {"id": "other"}
    assert item.get("missing", 5) == 5
    assert repr(item).startswith("<StacItem id=")
    assert copy.deepcopy(item) == item and copy.deepcopy(item) is not item
    assert pickle.loads(pickle.dumps(item)) == item
    clone = item.copy()
    clone.properties.title = "changed"
    assert item.properties.title is None
    item["bbox"] = [0, 0, 0, 0]
    assert item.bounding_box == [0, 0, 0, 0]
    item.collection = None
    assert "collection" not in item
    with pytest.raises(TypeError):
        hash(item)


def test_from_dict_accepts_python_attribute_names() -> None:
    item = models.StacItem.from_dict({"id": "a", "bounding_box": [1, 2, 3, 4], "type": "Feature"})
    assert item.as_dict() == {"id": "a", "bbox": [1, 2, 3, 4], "type": "Feature"}


def test_additional_properties_lists_undeclared_keys() -> None:
    props = models.StacItemProperties.deserialize(
        {"datetime": "2024-01-01T00:00:00Z", "eo:cloud_cover": 1, "sat:orbit": 7}
    )
    assert props.additional_properties == {"eo:cloud_cover": 1, "sat:orbit": 7}


def test_readonly_properties_are_left_out_of_request_bodies() -> None:
    class Thing(Model):
        __slots__ = ()
        _attribute_map = {"id": {"key": "id", "type": "str"}, "created": {"key": "created", "type": "iso-8601"}}
        _validation = {"created": {"readonly": True}}

    thing = Thing.deserialize({"id": "a", "created": "2024-01-01T00:00:00Z", "x": 1})
    assert thing.serialize() == {"id": "a", "x": 1}
    assert thing.serialize(keep_readonly=True) == {"id": "a", "created": "2024-01-01T00:00:00Z", "x": 1}
    assert thing.as_dict() == {"id": "a", "created": "2024-01-01T00:00:00Z", "x": 1}


def test_models_reject_unknown_positional_input() -> None:
    with pytest.raises(TypeError, match="mapping"):
        models.StacItem("not a mapping")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="at most one"):
        models.StacItem({}, {})  # type: ignore[call-overload]


def test_enums_print_and_format_as_their_value() -> None:
    status = models.OperationStatus.SUCCEEDED
    assert str(status) == f"{status}" == "Succeeded" and f"{status:>10}" == " Succeeded"
    assert status == "Succeeded" and models.OperationStatus["succeeded"] is status
    assert json.dumps({"status": status}) == '{"status": "Succeeded"}'


def test_reprs_never_show_sas_signatures() -> None:
    token = models.SharedAccessSignatureToken.deserialize({"token": "sv=2024-05-04&sr=c&sig=s3cr3t%2Bvalue&sp=rl"})
    link = models.SharedAccessSignatureSignedLink.deserialize({"href": "https://a.blob.core.windows.net/c/x.tif?se=1&sig=abc"})
    assert "s3cr3t" not in repr(token) and "sig=REDACTED" in repr(token)
    assert "sig=abc" not in repr(link) and "sig=REDACTED" in repr(link)
    assert token.token.endswith("sig=s3cr3t%2Bvalue&sp=rl")  # the value itself is intact
