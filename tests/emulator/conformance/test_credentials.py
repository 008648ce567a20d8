"""Credentials against the emulator's plain-http loopback endpoint.

The workflow scripts pass their own ``authentication_policy`` so that one script runs under both
packages. Our client needs no such trick: ``StaticTokenCredential`` (and its async twin) work as
they are. The official 1.0.0 package's bearer policy refuses plain http, which is why the trick
exists.
"""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential
from azure.planetarycomputer.aio import AsyncStaticTokenCredential
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncPlanetaryComputerProClient
from geocatalog_emulator import Emulator

from .official_env import isolated_env


def _collection(collection_id: str) -> dict:
    return {
        "type": "Collection",
        "stac_version": "1.0.0",
        "id": collection_id,
        "description": "credential check",
        "license": "CC0-1.0",
        "links": [],
        "extent": {
            "spatial": {"bbox": [[-1.0, -1.0, 1.0, 1.0]]},
            "temporal": {"interval": [["2024-01-01T00:00:00Z", None]]},
        },
    }


def test_our_client_with_static_token_credential(conformance_emulator: Emulator) -> None:
    client = PlanetaryComputerProClient(
        conformance_emulator.endpoint, StaticTokenCredential(), retry_total=0, polling_interval=0.05
    )
    collection_id = f"static-credential-{uuid.uuid4().hex[:8]}"
    client.stac.begin_create_collection(_collection(collection_id)).result(timeout=30)
    assert client.stac.get_collection(collection_id).id == collection_id
    assert collection_id in [c.id for c in client.stac.get_collections().collections]
    client.stac.begin_delete_collection(collection_id).result(timeout=30)


async def test_our_async_client_with_static_token_credential(conformance_emulator: Emulator) -> None:
    collection_id = f"static-credential-aio-{uuid.uuid4().hex[:8]}"
    async with AsyncPlanetaryComputerProClient(
        conformance_emulator.endpoint, AsyncStaticTokenCredential(), retry_total=0, polling_interval=0.05
    ) as client:
        poller = await client.stac.begin_create_collection(_collection(collection_id))
        await poller.result()
        assert (await client.stac.get_collection(collection_id)).id == collection_id
        poller = await client.stac.begin_delete_collection(collection_id)
        await poller.result()


def test_per_call_polling_interval(conformance_emulator: Emulator) -> None:
    """``polling_interval`` given to a ``begin_*`` call configures the poller and never reaches the transport."""
    client = PlanetaryComputerProClient(conformance_emulator.endpoint, StaticTokenCredential(), retry_total=0)
    collection_id = f"per-call-polling-{uuid.uuid4().hex[:8]}"
    client.stac.begin_create_collection(_collection(collection_id), polling_interval=0.05).result(timeout=30)
    client.stac.begin_delete_collection(collection_id, polling_interval=0.05).result(timeout=30)


async def test_per_call_polling_interval_async(conformance_emulator: Emulator) -> None:
    collection_id = f"per-call-polling-aio-{uuid.uuid4().hex[:8]}"
    async with AsyncPlanetaryComputerProClient(
        conformance_emulator.endpoint, AsyncStaticTokenCredential(), retry_total=0
    ) as client:
        poller = await client.stac.begin_create_collection(_collection(collection_id), polling_interval=0.05)
        await poller.result()
        poller = await client.stac.begin_delete_collection(collection_id, polling_interval=0.05)
        await poller.result()


OFFICIAL_WITHOUT_POLICY = """
import sys, time
from azure.core.credentials import AccessToken
from azure.core.exceptions import ServiceRequestError
from azure.planetarycomputer import PlanetaryComputerProClient

class Credential:
    def get_token(self, *scopes, **kwargs):
        return AccessToken("emulator", int(time.time()) + 3600)

client = PlanetaryComputerProClient(sys.argv[1], Credential(), retry_total=0)
try:
    client.stac.get_collections()
except ServiceRequestError as exc:
    print("refused:", exc)
else:
    print("accepted")
"""


def test_official_bearer_policy_refuses_plain_http(
    official_interpreter: Path, conformance_emulator: Emulator, tmp_path: Path
) -> None:
    """Why the workflows pass an ``authentication_policy``: without one, 1.0.0 will not send a token over http."""
    done = subprocess.run(
        [str(official_interpreter), "-s", "-E", "-c", OFFICIAL_WITHOUT_POLICY, conformance_emulator.endpoint],
        cwd=tmp_path,
        env=isolated_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("refused:"), done.stdout
    assert "https" in done.stdout.lower() or "tls" in done.stdout.lower(), done.stdout
