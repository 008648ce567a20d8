"""No credential leaks: bearer tokens and SAS signatures stay out of logs, exception texts and reprs.

Real calls run through the client's pipeline with ``logging_enable=True`` against the local
emulator (sign, search, download) and against canned transports (error bodies that echo signed
URLs); every ``azure`` log record, exception text and repr is then searched for the secrets.
"""

from __future__ import annotations

import asyncio
import json
import logging
import pickle
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterator, List, Optional, Set
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from azure.core.credentials import AccessToken, AccessTokenInfo
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.core.pipeline.policies import HttpLoggingPolicy, NetworkTraceLoggingPolicy
from azure.core.rest import HttpRequest

from azure.planetarycomputer import (
    DownloadError,
    PlanetaryComputerProClient,
    StaticTokenCredential,
    download_asset,
    models,
)
from azure.planetarycomputer import aio as pc_aio
from azure.planetarycomputer._auth import AsyncStaticTokenCredential
from azure.planetarycomputer._logging import (
    THIRD_PARTY_LOGGERS,
    RedactingFilter,
    RedactingNetworkTraceLoggingPolicy,
    redact,
    redact_error,
)
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

from . import recording
from .fakes import AsyncFakeTransport, FakeTransport, Reply
from .loopback import Answer, Host

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
    if error.model is not None:
        texts.append(json.dumps(error.model.as_dict()))  # what code reading error.model.error.message sees
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


# -- what errors keep, and the token fetch ------------------------------------------------------------------------


@pytest.fixture
def endpoint() -> Iterator[Host]:
    host = Host("127.0.0.1", lambda h, seen: Answer(404, {"error": {"code": "NotFound", "message": f"no {SIGNED}"}}))
    try:
        yield host
    finally:
        host.stop()


def test_errors_keep_no_bearer_token(endpoint: Host) -> None:
    client = PlanetaryComputerProClient(endpoint.url, StaticTokenCredential(TOKEN), retry_total=0)
    with pytest.raises(ResourceNotFoundError) as caught:
        client.stac.get_collection("c")
    assert endpoint.seen[0].headers["Authorization"] == f"Bearer {TOKEN}"  # it was sent
    error = caught.value
    assert error.response is not None and error.response.request is not None
    assert "Authorization" not in error.response.request.headers
    pickled = pickle.dumps(error)
    assert TOKEN.encode() not in pickled  # (the raw body the server sent is kept as it came)
    copied = pickle.loads(pickled)
    assert copied.status_code == 404 and "Authorization" not in copied.response.request.headers
    assert_clean(str(copied) + repr(copied), {SIG, TOKEN})
    assert "Authorization" not in error.response.internal_response.request.headers  # requests' own copy


async def test_async_errors_keep_no_bearer_token(endpoint: Host) -> None:
    async with pc_aio.PlanetaryComputerProClient(
        endpoint.url, AsyncStaticTokenCredential(TOKEN), retry_total=0
    ) as client:
        with pytest.raises(ResourceNotFoundError) as caught:
            await client.stac.get_collection("c")
    assert endpoint.seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert "Authorization" not in caught.value.response.request.headers  # type: ignore[union-attr]
    assert TOKEN.encode() not in pickle.dumps(caught.value)


class CountingCredential:
    """A slow credential that counts how often a token is asked for."""

    def __init__(self) -> None:
        self.calls = 0
        self._lock = threading.Lock()

    def _fetch(self) -> AccessTokenInfo:
        with self._lock:
            self.calls += 1
        time.sleep(0.05)  # a network round trip: other threads arrive meanwhile
        return AccessTokenInfo(TOKEN, int(time.time()) + 3600)

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        info = self._fetch()
        return AccessToken(info.token, info.expires_on)

    def get_token_info(self, *scopes: str, options: Any = None) -> AccessTokenInfo:
        return self._fetch()


def test_token_fetch_is_single_flight_across_threads(endpoint: Host) -> None:
    credential = CountingCredential()
    client = PlanetaryComputerProClient(endpoint.url, credential, retry_total=0)
    start = threading.Barrier(32)

    def fetch(_: int) -> Optional[int]:
        start.wait()
        try:
            client.stac.get_collection("c")
        except ResourceNotFoundError as error:
            return error.status_code
        return None

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(fetch, range(32)))
    assert statuses == [404] * 32 and len(endpoint.seen) == 32
    assert credential.calls == 1
    assert all(seen.headers["Authorization"] == f"Bearer {TOKEN}" for seen in endpoint.seen)


# -- third-party loggers --------------------------------------------------------------------------------------------


def test_urllib3_request_lines_are_redacted(endpoint: Host, caplog: pytest.LogCaptureFixture) -> None:
    client = PlanetaryComputerProClient(endpoint.url, StaticTokenCredential(TOKEN), retry_total=0)
    PlanetaryComputerProClient(endpoint.url, StaticTokenCredential(TOKEN))  # a second client adds no second filter
    with caplog.at_level(logging.DEBUG, logger="urllib3"):
        client.send_request(HttpRequest("GET", f"/blobs/c/x.tif?sv=1&sig={SIG}&u=https://u:pa55w0rd@h/"))
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("urllib3")]
    assert any("/blobs/c/x.tif?sv=1&sig=REDACTED" in line for line in lines), lines
    assert_clean("\n".join(lines), {SIG, TOKEN, "pa55w0rd"})
    for name in THIRD_PARTY_LOGGERS:
        filters = [f for f in logging.getLogger(name).filters if isinstance(f, RedactingFilter)]
        assert len(filters) == 1, name


def test_downloads_without_a_client_redact_the_http_loggers(
    endpoint: Host, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    for name in THIRD_PARTY_LOGGERS:  # as in a process that never made a client
        logger = logging.getLogger(name)
        for found in [f for f in logger.filters if isinstance(f, RedactingFilter)]:
            logger.removeFilter(found)
    with caplog.at_level(logging.DEBUG, logger="urllib3"):
        with pytest.raises(DownloadError):  # the loopback host has no such blob
            download_asset(f"{endpoint.url}/blobs/c/x.tif?sv=1&sig={SIG}", tmp_path / "x.tif")
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("urllib3")]
    assert any("sig=REDACTED" in line for line in lines), lines
    assert_clean("\n".join(lines), {SIG})


def test_redacting_filter_keeps_records_without_secrets_as_they_are() -> None:
    record = logging.LogRecord("urllib3.connectionpool", logging.DEBUG, "x", 1, "%s %s", ("GET", "/a?b=1"), None)
    assert RedactingFilter().filter(record) and record.args == ("GET", "/a?b=1")
    secret = logging.LogRecord("urllib3.connectionpool", logging.DEBUG, "x", 1, "%s", (f"/a?sig={SIG}",), None)
    assert RedactingFilter().filter(secret) and secret.getMessage() == "/a?sig=REDACTED"
    broken = logging.LogRecord("urllib3.connectionpool", logging.DEBUG, "x", 1, "%d", ("x",), None)
    assert RedactingFilter().filter(broken)  # left for logging to report as usual


def test_redact_nested_signatures_and_userinfo_passwords() -> None:
    once = quote(SIGNED, safe="")
    twice = quote(once, safe="")
    for text in (f"https://x/sign?href={once}&d=5", f"https://x/sign?href={twice}&d=5", f"https://x/?u={SIGNED}"):
        cleaned = redact(text)
        assert SIG not in cleaned and SIG.replace("%", "%25") not in cleaned and cleaned.endswith(("&d=5", "REDACTED"))
    escaped = '{"href": "https:\\/\\/a\\/b?x=1\\u0026sig\\u003dabcdef\\u0026se=1"}'
    assert redact(escaped) == '{"href": "https:\\/\\/a\\/b?x=1\\u0026sig\\u003dREDACTED\\u0026se=1"}'
    assert (
        redact("proxy https://user:pa55w0rd@proxy.example:8080/") == "proxy https://user:REDACTED@proxy.example:8080/"
    )
    assert redact(quote("https://user:pa55w0rd@host/x", safe="")) == "https%3A%2F%2Fuser%3AREDACTED%40host%2Fx"
    assert redact("https://host:443/path@x and mailto:a@b.c") == "https://host:443/path@x and mailto:a@b.c"


async def test_async_token_fetch_is_single_flight_across_tasks(endpoint: Host) -> None:
    calls: List[int] = []

    class Credential:
        async def get_token_info(self, *scopes: str, options: Any = None) -> AccessTokenInfo:
            calls.append(1)
            await asyncio.sleep(0.05)
            return AccessTokenInfo(TOKEN, int(time.time()) + 3600)

        async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
            info = await self.get_token_info()
            return AccessToken(info.token, info.expires_on)

        async def close(self) -> None:
            pass

    async def fetch(client: Any) -> Optional[int]:
        try:
            await client.stac.get_collection("c")
        except ResourceNotFoundError as error:
            return error.status_code
        return None

    async with pc_aio.PlanetaryComputerProClient(endpoint.url, Credential(), retry_total=0) as client:
        statuses = await asyncio.gather(*(fetch(client) for _ in range(32)))
    assert statuses == [404] * 32 and len(calls) == 1
