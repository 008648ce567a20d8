"""No credential leaks: bearer tokens and SAS signatures stay out of logs, exception texts and reprs.

Real calls run through the client's pipeline with ``logging_enable=True`` against the local
emulator (sign, search, download) and against canned transports (error bodies that echo signed
URLs); every ``azure`` log record, exception text and repr is then searched for the secrets.
"""

from __future__ import annotations

import logging
import pickle
import re
import uuid
from pathlib import Path
from typing import Any, Iterator, List, Set
from urllib.parse import parse_qs, urlsplit

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.core.pipeline.policies import HttpLoggingPolicy, NetworkTraceLoggingPolicy
from azure.core.rest import HttpRequest

from azure.planetarycomputer import (
    PlanetaryComputerProClient,
    StaticTokenCredential,
    download_asset,
    models,
)
from azure.planetarycomputer import aio as pc_aio
from azure.planetarycomputer._auth import AsyncStaticTokenCredential
from azure.planetarycomputer._logging import RedactingNetworkTraceLoggingPolicy, redact, redact_error
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

from . import recording
from .fakes import AsyncFakeTransport, FakeTransport, Reply

TOKEN = f"bearer-{uuid.uuid4().hex}"  # a token no response or log would contain by chance
ENDPOINT = "https://contoso.geocatalog.spatio.azure.com"
SIG = "c2VjcmV0LXNpZ25hdHVyZQ%2B%2F%3D"  # what a real, percent-encoded signature looks like
SIGNED = f"https://acct.blob.core.windows.net/c/x.tif?sv=2024-05-04&se=2030-01-01&sp=r&sig={SIG}"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


# -- helpers ------------------------------------------------------------------------------------------------


@pytest.fixture
def azure_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record of the ``azure`` loggers at DEBUG."""
    with caplog.at_level(logging.DEBUG, logger="azure"):
        yield caplog


def signatures(text: str) -> Set[str]:
    """The ``sig`` values in every URL or SAS token found in ``text``."""
    return {value for value in re.findall(r"sig=([^&\s'\"<>\\]+)", text) if value != "REDACTED"}


def assert_clean(text: str, secrets: Set[str]) -> None:
    for secret in secrets:
        assert secret not in text, f"a secret leaked: ...{text[max(0, text.find(secret) - 80) :][:200]}..."


def log_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(record.getMessage() for record in caplog.records)


# -- the policies ----------------------------------------------------------------------------------------


def test_clients_use_the_redacting_trace_policy_unless_given_one() -> None:
    for package, credential in (
        (PlanetaryComputerProClient, StaticTokenCredential()),
        (pc_aio.PlanetaryComputerProClient, AsyncStaticTokenCredential()),
    ):
        client: Any = package(ENDPOINT, credential)
        assert isinstance(client._config.logging_policy, RedactingNetworkTraceLoggingPolicy)
        own = NetworkTraceLoggingPolicy()
        assert package(ENDPOINT, credential, logging_policy=own)._config.logging_policy is own


def test_redact() -> None:
    assert redact(SIGNED) == SIGNED.replace(SIG, "REDACTED")
    nested = f"https://x/sign?href={SIGNED.replace('?', '%3F').replace('&', '%26').replace('=', '%3D')}&d=5"
    assert SIG.replace("%", "") not in redact(nested).replace("%", "") and "&d=5" in redact(nested)
    body = '{"token": "sv=1&sig=abc", "msft:expiry": "2030", "href": "x?SIG=def&se=1"}'
    assert redact(body) == '{"token": "REDACTED", "msft:expiry": "2030", "href": "x?SIG=REDACTED&se=1"}'
    # Other clouds' signing keys are hidden too; look-alike keys are not.
    assert redact("signature=1&design=2&signal=3") == "signature=REDACTED&design=2&signal=3"


def test_trace_of_canned_calls_redacts_headers_urls_and_bodies(azure_logs: pytest.LogCaptureFixture) -> None:
    token_body = {"token": f"sv=2024&sr=c&sp=rl&sig={SIG}", "msft:expiry": "2030-01-01T00:00:00Z"}
    transport = FakeTransport(
        [
            Reply(200, token_body, {"Set-Cookie": "session=s3cr3tcookie", "x-ms-account-key": "KEYVALUE"}),
            Reply(200, {"href": SIGNED, "msft:expiry": "2030-01-01T00:00:00Z"}),
        ]
    )
    client = PlanetaryComputerProClient(
        ENDPOINT, StaticTokenCredential(TOKEN), transport=transport, retry_total=0, logging_enable=True
    )
    token = client.sas.get_token("c")
    signed = client.sas.get_url(href=SIGNED)
    assert signatures(token.token) == {SIG} and signatures(signed.href) == {SIG}  # the caller gets them
    text = log_text(azure_logs)
    assert "Request URL:" in text and "Response content:" in text  # the trace is on
    assert "'Authorization': 'REDACTED'" in text and "'Set-Cookie': 'REDACTED'" in text
    assert '"token": "REDACTED"' in text
    assert_clean(text, {TOKEN, SIG, "s3cr3tcookie", "KEYVALUE"})
    assert_clean(repr(token) + repr(signed) + repr(client.sas.signer), {SIG})


def test_http_logging_policy_redacts_query_values(azure_logs: pytest.LogCaptureFixture) -> None:
    # azure-core's HttpLoggingPolicy (always in the pipeline, at INFO) logs only allow-listed query values.
    assert "sig" not in HttpLoggingPolicy().allowed_query_params  # the class default exists on azure-core 1.40+ only
    transport = FakeTransport([Reply(200, {"href": SIGNED})])
    client = PlanetaryComputerProClient(ENDPOINT, StaticTokenCredential(TOKEN), transport=transport, retry_total=0)
    client.sas.get_url(href=SIGNED)
    text = log_text(azure_logs)
    # azure-core 1.40+ (Python 3.10+) shows the api-version; 1.39 (the last for Python 3.9) redacts it too.
    assert "href=REDACTED" in text and ("api-version=2026-04-15" in text or "api-version=REDACTED" in text)
    assert_clean(text, {TOKEN, SIG})


# -- the emulator: sign, search, download --------------------------------------------------------------------


def test_signing_searching_and_downloading_leak_nothing(
    geocatalog_emulator: Emulator,  # noqa: F811
    azure_logs: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    client = PlanetaryComputerProClient(
        geocatalog_emulator.endpoint, StaticTokenCredential(TOKEN), retry_total=0, logging_enable=True
    )
    cid = f"secrets-{uuid.uuid4().hex[:8]}"
    source = tmp_path / "one.tif"
    source.write_bytes(PNG)
    collection = {
        "id": cid,
        "type": "Collection",
        "stac_version": "1.0.0",
        "description": "secrets",
        "license": "proprietary",
        "links": [],
        "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]]}, "temporal": {"interval": [[None, None]]}},
    }
    item = {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": "one",
        "geometry": {"type": "Point", "coordinates": [1, 2]},
        "bbox": [1, 2, 1, 2],
        "properties": {"datetime": "2020-01-01T00:00:00Z"},
        "assets": {"data": {"href": source.as_uri(), "type": "image/tiff", "roles": ["data"]}},
        "links": [],
    }
    client.stac.begin_create_collection(collection, polling_interval=0).result()
    client.stac.begin_create_item(cid, item, polling_interval=0).result()
    href = client.stac.get_item(cid, "one").assets["data"].href

    secrets = {TOKEN}
    token = client.sas.get_token(cid)
    signed = client.sas.get_url(href=href)
    found = client.stac.search({"collections": [cid]}, sign="true")
    signed_item = client.stac.get_item(cid, "one", sign="true")
    secrets |= signatures(token.token) | signatures(signed.href)
    secrets |= signatures(found.features[0].assets["data"].href) | signatures(signed_item.assets["data"].href)
    assert len(secrets) >= 2  # the token and at least one real signature

    # a download through the SDK's downloader (its own pipeline) and through the client's
    path = download_asset(signed.href, tmp_path / "out.tif", logging_enable=True)
    assert path.read_bytes() == PNG
    response = client.send_request(HttpRequest("GET", f"{href}?{token.token}"), stream=True, logging_enable=True)
    assert response.status_code == 200 and response.read() == PNG

    # a refused download: the error text names the href without its signature
    tampered = signed.href.replace("sig=", "sig=x", 1)
    secrets |= signatures(tampered)
    with pytest.raises(Exception) as refused:
        download_asset(tampered, tmp_path / "refused.tif")
    errors = str(refused.value) + repr(refused.value) + str(refused.value.__cause__)

    text = log_text(azure_logs)
    assert "Request URL:" in text and "'Authorization': 'REDACTED'" in text
    assert_clean(text, secrets)
    assert_clean(errors, secrets)
    reprs = repr(token) + repr(signed) + repr(found) + repr(signed_item) + repr(found.features[0].assets)
    assert_clean(reprs + repr(client.sas.signer) + repr(StaticTokenCredential(TOKEN)), secrets)
    client.close()


# -- errors whose body echoes a signed URL -------------------------------------------------------------------

ERROR_BODIES = [
    {"code": "BadRequest", "message": f"cannot read {SIGNED}", "details": [{"code": "Blob", "message": SIGNED}]},
    {"error": {"code": "NotFound", "message": f"no {SIGNED}"}},
    f"<html>upstream failed for {SIGNED}</html>",  # not JSON: azure-core appends the raw body to str()
]


def _error_texts(error: HttpResponseError) -> List[str]:
    texts = [str(error), repr(error), error.message, error.exc_msg, str(error.args), repr(error.model)]
    if error.error is not None:
        texts += [str(error.error), error.error.message or ""]
    return texts


@pytest.mark.parametrize("body", ERROR_BODIES, ids=["odata", "nested-odata", "text"])
def test_errors_raised_by_the_client_hold_no_signature(body: Any) -> None:
    status = 404 if isinstance(body, dict) and "error" in body else 400
    transport = FakeTransport([Reply(status, body, {"Content-Type": "text/html"} if isinstance(body, str) else {})])
    client = PlanetaryComputerProClient(ENDPOINT, StaticTokenCredential(TOKEN), transport=transport, retry_total=0)
    with pytest.raises(HttpResponseError) as caught:
        client.stac.get_collection("c")
    error = caught.value  # the runtime redacts it (with redact_error)
    assert redact_error(error) is error  # and doing it again changes nothing
    assert isinstance(error, HttpResponseError) and error.status_code == status
    assert isinstance(error, ResourceNotFoundError) == (status == 404)
    assert type(error).__name__ == ("ResourceNotFoundError" if status == 404 else "HttpResponseError")
    copied = pickle.loads(pickle.dumps(error))  # still picklable (multiprocessing), still redacted
    assert type(copied) is type(error) and copied.status_code == status
    for text in _error_texts(error) + _error_texts(copied):
        assert_clean(text, {SIG, TOKEN})
    assert "sig=REDACTED" in str(error)


async def test_async_trace_and_errors_are_redacted(azure_logs: pytest.LogCaptureFixture) -> None:
    transport = AsyncFakeTransport(
        [Reply(200, {"token": f"sv=1&sig={SIG}", "msft:expiry": "2030-01-01T00:00:00Z"}), Reply(400, ERROR_BODIES[0])]
    )
    async with pc_aio.PlanetaryComputerProClient(
        ENDPOINT, AsyncStaticTokenCredential(TOKEN), transport=transport, retry_total=0, logging_enable=True
    ) as client:
        await client.sas.get_token("c")
        with pytest.raises(HttpResponseError) as caught:
            await client.stac.get_collection("c")
    text = log_text(azure_logs)
    assert "'Authorization': 'REDACTED'" in text
    assert_clean(text + str(caught.value) + repr(caught.value), {SIG, TOKEN})


# -- reprs -----------------------------------------------------------------------------------------------------


def test_reprs_hide_tokens_and_nested_signatures() -> None:
    assert TOKEN not in repr(StaticTokenCredential(TOKEN)) and TOKEN not in repr(AsyncStaticTokenCredential(TOKEN))
    item = models.StacItem(
        {
            "id": "a",
            "assets": {"data": {"href": SIGNED}},
            "links": [{"rel": "self", "href": SIGNED}],
            "properties": {"deep": [{"href": SIGNED}]},
        }
    )
    assets = item.assets  # wrapped models are stored back: their reprs and the parent's
    for text in (repr(item), repr(assets), repr(assets["data"]), repr(item.links), repr(item.properties)):
        assert_clean(text, {SIG})
    assert_clean(repr(models.SharedAccessSignatureToken({"token": f"sv=1&sig={SIG}"})), {SIG})


# -- recordings -----------------------------------------------------------------------------------------------


def test_every_cassette_is_clean() -> None:
    paths = sorted(recording.RECORDINGS.glob("*.yaml"))
    modules = {path.name.split(".")[0] for path in paths}
    assert {"test_playback_stac", "test_playback_data", "test_playback_ingestion", "test_playback_sas"} <= modules
    for path in paths:
        recording.assert_cassette_clean(path)
        query_sigs = [
            parse_qs(urlsplit(url).query).get("sig") for url in re.findall(r"https?://[^\s'\"]+", path.read_text())
        ]
        assert all(sig in (None, ["REDACTED"]) for sig in query_sigs), path.name
