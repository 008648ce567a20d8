"""How long ``wait_for_operations`` (and so ``ingest_items``) waits between rounds of polls.

Without a ``polling_interval`` from the caller or the client, the waits start near a second and
double up to 30 s; an explicit interval, per call or on the client, keeps its meaning exactly.
Sleeps are recorded, never slept.
"""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from azure.core.rest import HttpRequest

from azure.planetarycomputer import PlanetaryComputerProClient
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncClient

from .conftest import ENDPOINT, AsyncFakeCredential, FakeCredential
from .fakes import AsyncFakeTransport, FakeTransport, Reply

ROUNDS_BEFORE_DONE = 7


class Operations:
    """``GET /inma/operations/{id}``: running for ``ROUNDS_BEFORE_DONE`` polls, then succeeded."""

    def __init__(self) -> None:
        self.polls: Dict[str, int] = {}

    def __call__(self, request: HttpRequest) -> Reply:
        operation_id = request.url.split("?")[0].rsplit("/", 1)[1]
        self.polls[operation_id] = self.polls.get(operation_id, 0) + 1
        done = self.polls[operation_id] > ROUNDS_BEFORE_DONE
        status = "Succeeded" if done else "Running"
        return Reply(200, {"id": operation_id, "status": status, "type": "AddItem", "collectionId": "c"})


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> List[float]:
    recorded: List[float] = []

    async def no_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr("time.sleep", recorded.append)
    monkeypatch.setattr("azure.planetarycomputer.aio._primitives.sleep", no_async_sleep)
    monkeypatch.setattr("azure.planetarycomputer.aio.operations._ingestion_patch.sleep", no_async_sleep)
    return recorded


ADAPTIVE = [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


@pytest.mark.parametrize(
    "client_options, call_options, expected",
    [
        ({}, {}, ADAPTIVE),
        ({}, {"polling_interval": 5}, [5.0] * ROUNDS_BEFORE_DONE),
        ({"polling_interval": 3}, {}, [3.0] * ROUNDS_BEFORE_DONE),
        ({"polling_interval": 3}, {"polling_interval": 0.5}, [0.5] * ROUNDS_BEFORE_DONE),
    ],
)
def test_waits_between_rounds(
    sleeps: List[float], client_options: Dict[str, Any], call_options: Dict[str, Any], expected: List[float]
) -> None:
    client = PlanetaryComputerProClient(
        ENDPOINT, FakeCredential(), transport=FakeTransport(Operations()), **client_options
    )
    summary = client.ingestion.wait_for_operations(["op-1", "op-2"], **call_options)
    assert len(summary.succeeded) == 2
    assert sleeps == expected


@pytest.mark.parametrize(
    "client_options, call_options, expected",
    [({}, {}, ADAPTIVE), ({"polling_interval": 3}, {}, [3.0] * ROUNDS_BEFORE_DONE)],
)
async def test_async_waits_between_rounds(
    sleeps: List[float], client_options: Dict[str, Any], call_options: Dict[str, Any], expected: List[float]
) -> None:
    async with AsyncClient(
        ENDPOINT, AsyncFakeCredential(), transport=AsyncFakeTransport(Operations()), **client_options
    ) as client:
        summary = await client.ingestion.wait_for_operations(["op-1"], **call_options)
    assert len(summary.succeeded) == 1
    assert sleeps == expected
