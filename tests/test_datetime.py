"""The ``datetime`` criterion: every form pystac-client accepts, expanded to the same interval."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from azure.planetarycomputer._datetime import expand_datetime

UTC = dt.timezone.utc
PLUS2 = dt.timezone(dt.timedelta(hours=2))


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("2021", "2021-01-01T00:00:00Z/2021-12-31T23:59:59Z"),
        ("2021-11", "2021-11-01T00:00:00Z/2021-11-30T23:59:59Z"),
        ("2021-12", "2021-12-01T00:00:00Z/2021-12-31T23:59:59Z"),
        ("2024-02", "2024-02-01T00:00:00Z/2024-02-29T23:59:59Z"),
        ("2021-11-16", "2021-11-16T00:00:00Z/2021-11-16T23:59:59Z"),
        ("2021-11-16/2021-11-19", "2021-11-16T00:00:00Z/2021-11-19T23:59:59Z"),
        ("2021-01-01/2021-12-31", "2021-01-01T00:00:00Z/2021-12-31T23:59:59Z"),
        ("2021/2022", "2021-01-01T00:00:00Z/2022-12-31T23:59:59Z"),
        ("../2021-11-19", "../2021-11-19T23:59:59Z"),
        ("2021-11-16/..", "2021-11-16T00:00:00Z/.."),
        ("2021-11-16/", "2021-11-16T00:00:00Z/.."),
        ("2021-11-16T10:00:00", "2021-11-16T10:00:00Z"),
        ("2021-11-16T10:00:00Z", "2021-11-16T10:00:00Z"),
        ("2021-11-16T10:00:00.5+02:00", "2021-11-16T10:00:00.5+02:00"),
        ("2021-11-16T10:00:00Z/2021-11-17", "2021-11-16T10:00:00Z/2021-11-17T23:59:59Z"),
        (dt.date(2021, 11, 16), "2021-11-16T00:00:00Z/2021-11-16T23:59:59Z"),
        (dt.datetime(2021, 11, 16, 10), "2021-11-16T10:00:00Z"),
        (dt.datetime(2021, 11, 16, 10, tzinfo=PLUS2), "2021-11-16T08:00:00Z"),
        (dt.datetime(2021, 11, 16, 10, 0, 0, 250000, tzinfo=UTC), "2021-11-16T10:00:00.25Z"),
        ((dt.date(2021, 11, 16), dt.date(2021, 11, 19)), "2021-11-16T00:00:00Z/2021-11-19T23:59:59Z"),
        ([dt.datetime(2021, 11, 16), None], "2021-11-16T00:00:00Z/.."),
        ((None, "2021-11"), "../2021-11-30T23:59:59Z"),
        (("2021-11-16", dt.datetime(2021, 11, 17, 12, tzinfo=UTC)), "2021-11-16T00:00:00Z/2021-11-17T12:00:00Z"),
        (None, None),
    ],
)
def test_every_form_is_expanded_to_what_was_meant(given: Any, sent: Any) -> None:
    assert expand_datetime(given) == sent


@pytest.mark.parametrize(
    "given",
    [
        "2021-11-16T10:00:00",
        "2021",
        "2021-02",
        "2021-11-16/2021-11-19",
        "../2021-11",
        "2021-11-16T10:00:00Z/..",
        dt.datetime(2021, 11, 16, 10, 30),
        dt.datetime(2021, 11, 16, 10, tzinfo=PLUS2),
        ("2021-11-16", "2021-11-19"),
        [None, "2021-11-19"],
        (dt.datetime(2021, 11, 16), dt.datetime(2021, 11, 19, 5)),
    ],
)
def test_same_text_as_pystac_client(given: Any) -> None:
    pystac_client = pytest.importorskip("pystac_client")
    search = pystac_client.ItemSearch("http://127.0.0.1:9/search", datetime=given)
    assert expand_datetime(given) == search.get_parameters()["datetime"]


@pytest.mark.parametrize("given", ["yesterday", "2021-13", "2021-02-30", "2021-11-16T25:00:00Z", "a/b/c", "../..", ""])
def test_malformed_text_is_refused_with_the_forms_it_takes(given: str) -> None:
    with pytest.raises(ValueError, match="datetime"):
        expand_datetime(given)


def test_other_types_are_refused() -> None:
    with pytest.raises(TypeError, match="datetime"):
        expand_datetime(20211116)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="side"):
        expand_datetime((1, 2))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="open on both sides"):
        expand_datetime((None, None))
