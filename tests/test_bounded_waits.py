"""Nothing a server sends makes the client wait without bound, and operations end when the work does.

* ``Retry-After`` is honoured up to ``max_retry_after`` (60 s by default); unreadable values count as
  absent; no retry starts that would end past the call's ``timeout``.
* Long-running operations without a ``polling_interval`` poll after 1 s and back off (x2) to 30 s,
  or wait what ``Retry-After`` asks (capped); an explicit interval keeps its meaning.

Sleeps are recorded by the transport (``tests.loopback``), never timed.
"""

from __future__ import annotations

import email.utils
import uuid
from typing import Any, Dict, Iterator, List

import pytest
from azure.core.exceptions import HttpResponseError

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential
from azure.planetarycomputer import aio as pc_aio
from azure.planetarycomputer._auth import AsyncStaticTokenCredential
from azure.planetarycomputer._guards import retry_after_seconds
from azure.planetarycomputer._policies import CappedRetryPolicy
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

from .loopback import Answer, AsyncRecordingTransport, Host, RecordingTransport, Seen

COLLECTION = {"id": "c", "type": "Collection", "description": "d", "license": "x", "links": [], "extent": {}}
BUSY = {"error": {"code": "TooManyRequests", "message": "slow down"}}
FAST: Dict[str, Any] = {"retry_backoff_factor": 0.01, "retry_backoff_max": 0.05}


class Script:
    """A loopback endpoint answering each request with the next scripted answer."""

    def __init__(self) -> None:
        self.answers: List[Answer] = []
        self.host = Host("127.0.0.1", self._next)

    def _next(self, host: Host, seen: Seen) -> Answer:
        return self.answers.pop(0) if self.answers else Answer(418, {"error": {"code": "Unscripted", "message": "-"}})

    def client(self, **kwargs: Any) -> "tuple[PlanetaryComputerProClient, RecordingTransport]":
        transport = RecordingTransport()
        client = PlanetaryComputerProClient(
            self.host.url, StaticTokenCredential(), transport=transport, **{**FAST, **kwargs}
        )
        return client, transport

    def async_client(self, **kwargs: Any) -> "tuple[pc_aio.PlanetaryComputerProClient, AsyncRecordingTransport]":
        transport = AsyncRecordingTransport()
        client = pc_aio.PlanetaryComputerProClient(
            self.host.url, AsyncStaticTokenCredential(), transport=transport, **{**FAST, **kwargs}
        )
        return client, transport


@pytest.fixture
def script() -> Iterator[Script]:
    served = Script()
    try:
        yield served
    finally:
        served.host.stop()


def _busy(retry_after: str) -> Answer:
    return Answer(429, BUSY, {"Retry-After": retry_after})


# -- reading Retry-After --------------------------------------------------------------------------------------------


def test_retry_after_seconds_reads_caps_and_ignores() -> None:
    future = email.utils.format_datetime(email.utils.localtime().astimezone(), usegmt=False)
    assert retry_after_seconds({"Retry-After": "5"}) == 5.0
    assert retry_after_seconds({"retry-after": "1000000000"}) == 60.0
    assert retry_after_seconds({"Retry-After": "1000000000"}, max_retry_after=5) == 5.0
    assert retry_after_seconds({"Retry-After": "-3"}) == 0.0
    assert retry_after_seconds({"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}) == 60.0
    assert retry_after_seconds({"Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT"}) == 0.0
    assert retry_after_seconds({"Retry-After": future}) is not None
    assert retry_after_seconds({"retry-after-ms": "1500"}) == 1.5
    assert retry_after_seconds({"x-ms-retry-after-ms": "999999999999"}) == 60.0
    for unreadable in ("abc", "nan", "inf", "1e400", "Sat, 01 Jan 99999 00:00:00 GMT", "Mon, 99 Foo 2020"):
        assert retry_after_seconds({"Retry-After": unreadable}) is None, unreadable
    assert retry_after_seconds({}) is None


def test_max_retry_after_is_checked() -> None:
    for bad in (-1, float("inf"), "5", True):
        with pytest.raises(ValueError, match="^max_retry_after must be"):
            CappedRetryPolicy(max_retry_after=bad)


# -- the retry policy ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("retry_after", "options", "sleeps"),
    [
        ("1000000000", {}, [60.0]),
        ("1000000000", {"max_retry_after": 2.5}, [2.5]),
        ("Fri, 31 Dec 9999 23:59:59 GMT", {}, [60.0]),
        ("3", {}, [3.0]),
        ("abc", {}, []),  # absent: azure-core's backoff, which is 0 before the first retry
        ("1e400", {}, []),
    ],
)
def test_retry_after_is_capped_and_unreadable_values_are_ignored(
    script: Script, retry_after: str, options: Dict[str, Any], sleeps: List[float]
) -> None:
    script.answers = [_busy(retry_after), Answer(200, COLLECTION)]
    client, transport = script.client(**options)
    assert client.stac.get_collection("c").id == "c"
    assert transport.sleeps == sleeps and len(script.host.seen) == 2


def test_timeout_bounds_the_wait(script: Script) -> None:
    script.answers = [_busy("30"), Answer(200, COLLECTION)]
    client, transport = script.client()
    with pytest.raises(HttpResponseError) as caught:
        client.stac.get_collection("c", timeout=10)  # the wait would end after the call's timeout
    assert caught.value.status_code == 429 and transport.sleeps == [] and len(script.host.seen) == 1
    script.answers = [_busy("5"), Answer(200, COLLECTION)]
    assert client.stac.get_collection("c", timeout=10).id == "c" and transport.sleeps == [5.0]


async def test_async_retry_after_is_capped_and_bounded_by_timeout(script: Script) -> None:
    client, transport = script.async_client(max_retry_after=7)
    async with client:
        script.answers = [_busy("1000000000"), Answer(200, COLLECTION), _busy("zzz"), Answer(200, COLLECTION)]
        assert (await client.stac.get_collection("c")).id == "c"
        assert (await client.stac.get_collection("c")).id == "c"
        assert transport.sleeps == [7.0]
        script.answers = [_busy("5")]
        with pytest.raises(HttpResponseError) as caught:
            await client.stac.get_collection("c", timeout=2)
        assert caught.value.status_code == 429 and transport.sleeps == [7.0]


# -- polling long-running operations ----------------------------------------------------------------------------


def _operation(script: Script, polls: int, headers: Dict[str, str]) -> None:
    op_url = script.host.url + "/inma/operations/op"
    script.answers = [Answer(202, {"status": "NotStarted"}, {"Operation-Location": op_url})]
    script.answers += [Answer(200, {"status": "Running"}, headers) for _ in range(polls - 1)]
    script.answers.append(Answer(200, {"status": "Succeeded"}, headers))


ADAPTIVE = [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


@pytest.mark.parametrize(
    ("client_options", "call_options", "headers", "sleeps"),
    [
        ({}, {}, {}, ADAPTIVE),
        ({}, {}, {"Retry-After": "3"}, [3.0] * 7),
        ({}, {}, {"Retry-After": "1000000000"}, [60.0] * 7),
        ({"max_retry_after": 10}, {}, {"Retry-After": "1000000000"}, [10.0] * 7),
        ({}, {}, {"Retry-After": "soon"}, ADAPTIVE),
        ({}, {"polling_interval": 7}, {}, [7] * 7),
        ({}, {"polling_interval": 0}, {}, [0] * 7),
        ({"polling_interval": 5}, {}, {}, [5] * 7),
        ({"polling_interval": 5}, {"polling_interval": 2}, {}, [2] * 7),
        ({}, {"polling_interval": 7}, {"Retry-After": "3"}, [3.0] * 7),  # as azure-core: the service's word first
    ],
)
def test_polling_waits(
    script: Script,
    client_options: Dict[str, Any],
    call_options: Dict[str, Any],
    headers: Dict[str, str],
    sleeps: List[float],
) -> None:
    _operation(script, 8, headers)
    client, transport = script.client(**client_options)
    assert client.stac.begin_create_collection(COLLECTION, **call_options).result() is None
    assert transport.sleeps == sleeps


async def test_async_polling_waits(script: Script) -> None:
    client, transport = script.async_client()
    async with client:
        _operation(script, 8, {})
        assert await (await client.stac.begin_create_collection(COLLECTION)).result() is None
        assert transport.sleeps == ADAPTIVE
        transport.sleeps.clear()
        _operation(script, 3, {"Retry-After": "86400"})
        await (await client.stac.begin_create_collection(COLLECTION)).result()
        assert transport.sleeps == [60.0, 60.0]
        transport.sleeps.clear()
        _operation(script, 3, {})
        await (await client.stac.begin_create_collection(COLLECTION, polling_interval=4)).result()
        assert transport.sleeps == [4, 4]


def _new_collection() -> Dict[str, Any]:
    return {
        "id": f"waits-{uuid.uuid4().hex[:8]}",
        "type": "Collection",
        "stac_version": "1.0.0",
        "description": "adaptive polling",
        "license": "proprietary",
        "links": [],
        "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]]}, "temporal": {"interval": [[None, None]]}},
    }


def test_operations_against_the_emulator_finish_when_the_work_does(geocatalog_emulator: Emulator) -> None:  # noqa: F811
    transport = RecordingTransport(really_sleep=True)
    with PlanetaryComputerProClient(geocatalog_emulator.endpoint, StaticTokenCredential(), transport=transport) as c:
        body = _new_collection()
        c.stac.begin_create_collection(body).result()
        assert c.stac.get_collection(body["id"]).id == body["id"]
    assert transport.sleeps and sum(transport.sleeps) <= 2.0  # the official package waits 30 s here


async def test_async_operations_against_the_emulator_finish_when_the_work_does(
    geocatalog_emulator: Emulator,  # noqa: F811
) -> None:
    transport = AsyncRecordingTransport(really_sleep=True)
    async with pc_aio.PlanetaryComputerProClient(
        geocatalog_emulator.endpoint, AsyncStaticTokenCredential(), transport=transport
    ) as client:
        body = _new_collection()
        await (await client.stac.begin_create_collection(body)).result()
    assert transport.sleeps and sum(transport.sleeps) <= 2.0
