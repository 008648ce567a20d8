"""Recorded-playback tests of the SAS read operations, sync and async, and of their redaction.

Each test that takes ``recorded_client`` / ``async_recorded_client`` runs inside its own cassette,
``tests/recordings/test_playback_sas.<test name>.yaml``: replayed offline by default, re-recorded with
``python -m tests.record_cassettes sas`` (see tests/recordings/README.md).

What is special here is the secret in the responses: a SAS token (``"token": "st=...&sig=<signature>"``)
and signed hrefs (``https://<account>.blob.core.windows.net/...?...&sig=<signature>``). The recorder
writes ``"token": "REDACTED"`` and ``sig=REDACTED`` instead, so:

* live, the client sees the stub's real (random) signature, and the cassette being written already
  holds the redacted one (``recorded_body``);
* in playback the client sees exactly what the cassette holds: the redacted values, the rest of the
  SAS query (``sp``, ``sr``, ``se``...) untouched.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs

import pytest
from azure.core.exceptions import ResourceNotFoundError

from azure.planetarycomputer import PlanetaryComputerProClient, models
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncPlanetaryComputerProClient

from . import recording
from .recording import REDACTED, exchanges, is_live, recorded_body

recorded_client = recording.recorded_client
async_recorded_client = recording.async_recorded_client
cassette = recording.cassette
recorded_endpoint = recording.recorded_endpoint

COLLECTION = "naip-atl"
DURATION = 30  # minutes
#: A blob href shaped like those of Sas_GetSign (a collection asset in the catalog's storage).
BLOB_HREF = "https://sample.blob.core.windows.net/naip-atl-00000000/collection-assets/thumbnail/thumbnail.png"
OTHER_HREF = "https://raw.githubusercontent.com/aloverro/mpcpro-sample-datasets/main/README.md"


def sas_query(text: str) -> dict:
    query = {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}
    assert (query["sp"], query["sr"], query["sv"]) == ("rl", "c", "2025-01-05"), query
    assert query["se"].endswith("Z") and query["st"] < query["se"], query
    return query


def check_signature(value: str) -> None:
    """What the client sees of a signature: the stub's random one live, the redacted one replayed."""
    if is_live():
        assert value and value != REDACTED
    else:
        assert value == REDACTED


def check_expiry(expires_on: datetime, cass: Any, minutes: int) -> None:
    assert expires_on.tzinfo is not None
    assert (dict(exchanges(cass)[0].query)).get("duration") == str(minutes)
    if is_live():  # recorded just now: the requested lifetime from now
        now = datetime.now(timezone.utc)
        assert now + timedelta(minutes=minutes - 1) < expires_on <= now + timedelta(minutes=minutes + 1)


# -- checks shared by the sync and the async tests ---------------------------------------------------


def check_token(result: models.SharedAccessSignatureToken, cass: Any) -> None:
    assert isinstance(result, models.SharedAccessSignatureToken)
    check_expiry(result.expires_on, cass, DURATION)
    recorded = recorded_body(cass)
    assert f'"token": "{REDACTED}"' in recorded and "sig=" not in recorded  # the whole token is redacted
    if is_live():
        query = sas_query(result.token)
        check_signature(query["sig"])
        assert query["se"] == result.expires_on.strftime("%Y-%m-%dT%H:%M:%SZ")
    else:
        assert result.token == REDACTED


def check_signed_url(result: models.SharedAccessSignatureSignedLink, cass: Any) -> None:
    assert isinstance(result, models.SharedAccessSignatureSignedLink)
    check_expiry(result.expires_on, cass, DURATION)
    base, _, query_text = result.href.partition("?")
    assert base == BLOB_HREF
    query = sas_query(query_text)
    assert query["se"] == result.expires_on.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert query_text.rsplit("&", 1)[-1].startswith("sig=")  # kept in place, last
    check_signature(query["sig"])
    # The cassette never holds the signature, only the rest of the query.
    recorded = recorded_body(cass)
    assert "&sig=REDACTED" in recorded and recorded.count("sig=") == 1
    assert "&sp=rl&sv=2025-01-05&sr=c&" in recorded
    assert exchanges(cass)[0].path == "/sas/sign"
    assert dict(exchanges(cass)[0].query)["href"] == BLOB_HREF


def check_unsigned_url(result: models.SharedAccessSignatureSignedLink) -> None:
    assert result.href == OTHER_HREF  # not Azure Blob Storage: unchanged
    assert result.expires_on is None


def check_not_found(info: Any) -> None:
    assert info.value.status_code == 404
    assert info.value.error.code == "NotFound"
    assert "no-such-collection" in info.value.error.message


# -- sync --------------------------------------------------------------------------------------------


def test_get_token(recorded_client: PlanetaryComputerProClient, cassette: Any) -> None:
    check_token(recorded_client.sas.get_token(COLLECTION, duration_in_minutes=DURATION), cassette)


def test_get_token_unknown_collection(recorded_client: PlanetaryComputerProClient) -> None:
    with pytest.raises(ResourceNotFoundError) as info:
        recorded_client.sas.get_token("no-such-collection")
    check_not_found(info)


def test_get_url(recorded_client: PlanetaryComputerProClient, cassette: Any) -> None:
    check_signed_url(recorded_client.sas.get_url(href=BLOB_HREF, duration_in_minutes=DURATION), cassette)


def test_get_url_not_blob_storage(recorded_client: PlanetaryComputerProClient) -> None:
    check_unsigned_url(recorded_client.sas.get_url(href=OTHER_HREF))


def test_shared_access_signature_alias(recorded_client: PlanetaryComputerProClient, cassette: Any) -> None:
    """The group is also reachable as ``shared_access_signature`` (the 1.0.0 name)."""
    assert recorded_client.shared_access_signature is recorded_client.sas
    check_token(recorded_client.shared_access_signature.get_token(COLLECTION, duration_in_minutes=DURATION), cassette)


# -- async -------------------------------------------------------------------------------------------


async def test_get_token_async(async_recorded_client: AsyncPlanetaryComputerProClient, cassette: Any) -> None:
    check_token(await async_recorded_client.sas.get_token(COLLECTION, duration_in_minutes=DURATION), cassette)


async def test_get_token_unknown_collection_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    with pytest.raises(ResourceNotFoundError) as info:
        await async_recorded_client.sas.get_token("no-such-collection")
    check_not_found(info)


async def test_get_url_async(async_recorded_client: AsyncPlanetaryComputerProClient, cassette: Any) -> None:
    result = await async_recorded_client.sas.get_url(href=BLOB_HREF, duration_in_minutes=DURATION)
    check_signed_url(result, cassette)


async def test_get_url_not_blob_storage_async(async_recorded_client: AsyncPlanetaryComputerProClient) -> None:
    check_unsigned_url(await async_recorded_client.sas.get_url(href=OTHER_HREF))


# -- the cassettes of this module (keep last) ---------------------------------------------------------


def test_every_recorded_test_has_its_cassette_and_no_orphans() -> None:
    recording.assert_cassettes_complete("test_playback_sas", globals(), 9)


def test_cassettes_hold_no_secret_and_no_real_host() -> None:
    paths = recording.module_cassettes("test_playback_sas")
    assert paths
    for path in paths:
        recording.assert_cassette_clean(path)
    if not is_live():
        signed = (recording.RECORDINGS / "test_playback_sas.test_get_url.yaml").read_text()
        assert "sig=REDACTED" in signed
        token = (recording.RECORDINGS / "test_playback_sas.test_get_token.yaml").read_text()
        assert '"token": "REDACTED"' in token
