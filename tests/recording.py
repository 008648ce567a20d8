"""Recorded-playback infrastructure on vcrpy: cassettes, sanitizers and client fixtures.

* By default every test REPLAYS its cassette (``tests/recordings/<module>.<test>.yaml``)
  with vcrpy's record mode ``"none"``: no network at all, and a request with no
  recorded match raises ``vcr.errors.CannotOverwriteExistingCassetteException``.
* With ``AZURE_TEST_RUN_LIVE=true`` and ``PLANETARYCOMPUTER_ENDPOINT=<url>`` the
  tests RE-RECORD (record mode ``"all"``) against that endpoint, authenticating
  with ``azure.identity.DefaultAzureCredential`` -- or with a static fake token
  when the endpoint is a loopback ``http://`` URL such as a local emulator.
* Everything is sanitized before it is written (see ``sanitize_request`` and
  ``sanitize_response``), and requests are matched on method, scheme, host, path
  and query *after* sanitizing, so playback runs against ``PLAYBACK_ENDPOINT``.

The clients use the real pipeline and the real transports -- azure-core's
``RequestsTransport`` (sync) and ``AioHttpTransport`` (async) -- which vcrpy
patches underneath (urllib3's connections, ``aiohttp.ClientSession._request``).

Test modules get the fixtures (``recorded_client``, ``async_recorded_client``, ``cassette``,
``recorded_endpoint``) by binding them to the same names in their own namespace::

    from . import recording

    recorded_client = recording.recorded_client
    async_recorded_client = recording.async_recorded_client

and can check their cassettes with ``exchanges``, ``recorded_body``, ``assert_cassettes_complete`` and
``assert_cassette_clean``.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Dict, Iterator, List, Optional, Set, Tuple, Union
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import vcr
import yaml
from vcr.cassette import Cassette
from vcr.request import Request

from azure.planetarycomputer import PlanetaryComputerProClient
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncPlanetaryComputerProClient

from .conftest import AsyncFakeCredential, FakeCredential

#: The endpoint every cassette is written with, and the one playback runs against.
PLAYBACK_ENDPOINT = "https://Sanitized.geocatalog.spatio.azure.com"
PLAYBACK_HOST = urlsplit(PLAYBACK_ENDPOINT).netloc
RECORDINGS = Path(__file__).resolve().parent / "recordings"
MATCH_ON = ("method", "scheme", "host", "path", "query")
#: Request headers vcrpy drops itself (sanitize_request drops them again, and sanitize_response
#: drops the response-side ones): credentials and cookies never reach a cassette.
FILTER_HEADERS = ("authorization", "cookie", "proxy-authorization")
_DROPPED_RESPONSE_HEADERS = {"set-cookie", "set-cookie2", "authorization", "www-authenticate"}
REDACTED = "REDACTED"

LIVE_FLAG = "AZURE_TEST_RUN_LIVE"
ENDPOINT_VARIABLE = "PLANETARYCOMPUTER_ENDPOINT"

# ``sig=<value>`` (a SAS signature), also URL-encoded (``sig%3D<value>``). The value runs up to
# ``&``, ``%26``, a quote, whitespace, ``<``/``>`` or a backslash (JSON's ``\u0026``). The look-behind
# keeps ``xsig=``/``my_sig=`` alone while still catching ``?sig=``, ``&sig=``, ``%26sig%3D``.
_SIG = re.compile(r"(?<![A-Za-z_.-])(sig)(=|%3[dD])(?:(?!%26)[^&\s\"'<>\\])*")
_SIG_BYTES = re.compile(_SIG.pattern.encode())
# ``"token": "<value>"`` in JSON (SAS token responses), also the OAuth spellings.
_TOKEN = re.compile(r'("(?:token|access_token|refresh_token|id_token)"\s*:\s*")(?:[^"\\]|\\.)*(")')
_TOKEN_BYTES = re.compile(_TOKEN.pattern.encode())


def is_live() -> bool:
    """Whether tests record against a real endpoint (``AZURE_TEST_RUN_LIVE=true``) instead of replaying."""
    return os.environ.get(LIVE_FLAG, "").strip().lower() in ("true", "1", "yes")


def playback_endpoint() -> str:
    """The endpoint cassettes are written with and replayed against."""
    return PLAYBACK_ENDPOINT


def live_endpoint() -> Optional[str]:
    """The endpoint to record against, when live; ``None`` in playback.

    :raises RuntimeError: When live is asked for without an endpoint (rather than silently replaying).
    """
    if not is_live():
        return None
    endpoint = os.environ.get(ENDPOINT_VARIABLE, "").strip().rstrip("/")
    if not endpoint:
        raise RuntimeError(f"{LIVE_FLAG} is true but {ENDPOINT_VARIABLE} is not set: nothing to record against")
    return endpoint


def current_endpoint() -> str:
    """The endpoint clients talk to: the live one when recording, else the playback one."""
    return live_endpoint() or PLAYBACK_ENDPOINT


def is_loopback(endpoint: str) -> bool:
    """Whether ``endpoint`` is an address of this machine (a local emulator or stub)."""
    import ipaddress

    host = (urlsplit(endpoint).hostname or "").lower()
    if host in ("localhost", "::1"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# -- sanitizing -------------------------------------------------------------------------------------


class Sanitizer:
    """Rewrites text so that no secret and no real endpoint is left in it.

    ``live`` is the endpoint being recorded (``None`` in playback, where only the SAS and token
    redaction and the host-case normalization apply -- all idempotent on already clean text).
    """

    def __init__(self, live: Optional[str]) -> None:
        self.live = live.rstrip("/") if live else None
        self.live_host = (urlsplit(self.live).hostname or "").lower() if self.live else None
        pairs = []
        if self.live:
            parts = urlsplit(self.live)
            origin = f"{parts.scheme}://{parts.netloc}"
            pairs += [
                (origin, PLAYBACK_ENDPOINT),
                (origin.replace("/", "\\/"), PLAYBACK_ENDPOINT.replace("/", "\\/")),  # JSON-escaped
                (quote(origin, safe=""), quote(PLAYBACK_ENDPOINT, safe="")),  # URL-encoded
                (parts.netloc, PLAYBACK_HOST),  # bare host[:port]
            ]
            if parts.hostname and parts.hostname != parts.netloc:
                pairs.append((parts.hostname, PLAYBACK_HOST))  # bare host without the port
        # Spellings of the playback origin in another case (urllib3 and yarl lowercase hosts).
        pairs.append((PLAYBACK_ENDPOINT, PLAYBACK_ENDPOINT))
        self._text = [(re.compile(re.escape(old), re.IGNORECASE), new) for old, new in pairs]
        self._bytes = [(re.compile(re.escape(old.encode()), re.IGNORECASE), new.encode()) for old, new in pairs]

    def text(self, value: str) -> str:
        for pattern, new in self._text:
            value = pattern.sub(lambda _, new=new: new, value)
        value = _SIG.sub(rf"\1\2{REDACTED}", value)
        return _TOKEN.sub(rf"\1{REDACTED}\2", value)

    def data(self, value: Union[bytes, str, None]) -> Union[bytes, str, None]:
        if value is None:
            return None
        if isinstance(value, str):
            return self.text(value)
        for pattern, new in self._bytes:
            value = pattern.sub(lambda _, new=new: new, value)
        value = _SIG_BYTES.sub(rb"\1\2" + REDACTED.encode(), value)
        return _TOKEN_BYTES.sub(rb"\1" + REDACTED.encode() + rb"\2", value)

    def is_foreign(self, uri: str) -> bool:
        """Live only: a request to another host than the endpoint's (e.g. Entra ID token requests)."""
        host = (urlsplit(uri).hostname or "").lower()
        return self.live_host is not None and host not in (self.live_host, PLAYBACK_HOST.lower())

    def request(self, request: Request) -> Optional[Request]:
        if self.is_foreign(request.uri):
            return None  # never recorded: identity traffic carries secrets and isn't the API under test
        request.uri = self.text(request.uri)
        for name in list(request.headers):
            if name.lower() in FILTER_HEADERS:
                del request.headers[name]
            else:
                # vcrpy's HeadersDict keeps one str per name (it takes the first of a list).
                request.headers[name] = self.text(str(request.headers[name]))
        body = request.body
        if isinstance(body, (bytes, str)):
            request.body = self.data(body)
        return request

    def response(self, response: Dict[str, Any]) -> Dict[str, Any]:
        headers = {}
        for name, values in (response.get("headers") or {}).items():
            if name.lower() in _DROPPED_RESPONSE_HEADERS:
                continue
            values = values if isinstance(values, list) else [values]
            headers[name] = [self.text(str(v)) for v in values]
        body = dict(response.get("body") or {})
        if "string" in body:
            body["string"] = self.data(body["string"])
            # Replacing the endpoint changes the body's length: keep Content-Length true to it, or
            # clients that enforce it (urllib3 1.x, under vcrpy 7 on Python 3.9) refuse the replay.
            size = len(body["string"].encode() if isinstance(body["string"], str) else body["string"] or b"")
            for name in headers:
                if name.lower() == "content-length":
                    headers[name] = [str(size)]
        return {**response, "headers": headers, "body": body}


def make_sanitizers(
    live: Optional[str],
) -> Tuple[Callable[[Request], Optional[Request]], Callable[[Dict[str, Any]], Dict[str, Any]]]:
    """``(before_record_request, before_record_response)`` for recording ``live`` (or for playback)."""
    sanitizer = Sanitizer(live)
    return sanitizer.request, sanitizer.response


def sanitize_request(request: Request, live: Optional[str] = None) -> Optional[Request]:
    """vcrpy ``before_record_request``: drops credentials and cookies, replaces the live endpoint
    (``live``, default ``$PLANETARYCOMPUTER_ENDPOINT`` when live) with ``PLAYBACK_ENDPOINT`` and
    redacts SAS signatures and ``"token"`` fields, in the URI, the headers and the body.

    vcrpy runs it on a copy, on each request before it is recorded *and* before it is matched.
    Live, requests to other hosts (Entra ID token requests, managed identity) return ``None``:
    they go out but are never recorded.
    """
    return Sanitizer(live if live is not None else live_endpoint()).request(request)


def sanitize_response(response: Dict[str, Any], live: Optional[str] = None) -> Dict[str, Any]:
    """vcrpy ``before_record_response``: drops ``Set-Cookie`` (and auth challenges) and sanitizes
    header values and the body like :func:`sanitize_request`. Returns a new dict."""
    return Sanitizer(live if live is not None else live_endpoint()).response(response)


def _keep_one_replayed_aiohttp_stream() -> None:
    """Make vcrpy 7's replayed aiohttp responses hand out one body stream, as aiohttp's do.

    vcrpy 7 (the last release for Python 3.9) builds a new stream holding the whole body on every
    ``response.content`` access. A reader that pulls the body chunk by chunk through
    ``response.content`` -- azure-core's streamed downloads (images, thumbnails) -- so starts over
    on every chunk and never reaches the end: playback hangs. vcrpy 8 sets ``content`` once per
    response; there this does nothing.
    """
    from vcr.stubs import aiohttp_stubs

    fresh_stream = aiohttp_stubs.MockClientResponse.__dict__.get("content")
    if not isinstance(fresh_stream, property) or fresh_stream.fget is None:
        return
    make = fresh_stream.fget

    def content(response: Any) -> Any:
        # vcrpy closes each response as it builds it, which marks the stream of that moment
        # closed: keep only a stream made after that.
        if not getattr(response, "_released", True):
            return make(response)
        stream = response.__dict__.get("_replayed_content")
        if stream is None:
            stream = response.__dict__["_replayed_content"] = make(response)
        return stream

    aiohttp_stubs.MockClientResponse.content = property(content)  # type: ignore[assignment,method-assign]


_keep_one_replayed_aiohttp_stream()


def make_vcr(record_mode: Optional[str] = None, live: Optional[str] = None) -> vcr.VCR:
    """A ``vcr.VCR`` for ``tests/recordings``: ``"all"`` when live, else ``"none"`` (replay only).

    ``live`` defaults to the live endpoint from the environment (``None`` in playback).
    """
    live = live if live is not None else live_endpoint()
    record_mode = record_mode or ("all" if live else "none")
    before_request, before_response = make_sanitizers(live)
    return vcr.VCR(
        cassette_library_dir=str(RECORDINGS),
        serializer="yaml",
        record_mode=record_mode,
        match_on=MATCH_ON,
        filter_headers=list(FILTER_HEADERS),
        before_record_request=before_request,
        before_record_response=before_response,
        decode_compressed_response=True,
    )


def cassette_name(node: Any) -> str:
    """``<module>.<test name>.yaml``, e.g. ``test_playback_stac.test_get_item.yaml``."""
    module = Path(str(node.fspath)).stem
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", node.name).strip("_")
    return f"{module}.{name}.yaml"


# -- credentials ------------------------------------------------------------------------------------


def sync_credential(endpoint: str) -> Any:
    if endpoint == PLAYBACK_ENDPOINT or is_loopback(endpoint):
        return FakeCredential()
    from azure.identity import DefaultAzureCredential

    return DefaultAzureCredential()


def async_credential(endpoint: str) -> Any:
    if endpoint == PLAYBACK_ENDPOINT or is_loopback(endpoint):
        return AsyncFakeCredential()
    from azure.identity.aio import DefaultAzureCredential

    return DefaultAzureCredential()


#: Keyword arguments for every recorded client: no retries, so playback fails fast, and
#: recordings hold exactly one exchange per call.
CLIENT_KWARGS: Dict[str, Any] = {"retry_total": 0}


# -- fixtures ---------------------------------------------------------------------------------------


class NetworkAccessInPlayback(RuntimeError):
    """A socket tried to connect while a test was replaying: something bypassed vcrpy."""


@contextlib.contextmanager
def network_guard() -> Iterator[None]:
    """Makes every ``socket.connect`` fail while active: playback must not touch any network."""

    def refuse(sock: socket.socket, address: Any, *args: Any) -> Any:
        raise NetworkAccessInPlayback(f"network access during playback: connect to {address!r}")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket.socket, "connect_ex", refuse)
        yield


@pytest.fixture
def recorded_endpoint() -> str:
    """The endpoint of this run: ``$PLANETARYCOMPUTER_ENDPOINT`` when live, else the playback one."""
    return current_endpoint()


@pytest.fixture
def cassette(request: pytest.FixtureRequest) -> Iterator[Cassette]:
    """This test's cassette, active for the whole test (vcrpy's patches are in place meanwhile).

    In playback no socket may connect (see ``network_guard``), and a test that passes must also have
    replayed every recorded exchange.
    """
    failed_before = request.session.testsfailed
    name = cassette_name(request.node)
    if is_live():
        # Re-recording replaces the cassette whole (vcrpy would otherwise keep stale exchanges).
        (RECORDINGS / name).unlink(missing_ok=True)
    with contextlib.ExitStack() as stack:
        if not is_live():
            stack.enter_context(network_guard())
        cass = stack.enter_context(make_vcr().use_cassette(name))
        yield cass
    if not is_live() and request.session.testsfailed == failed_before and not cass.all_played:
        pytest.fail(
            f"{cassette_name(request.node)}: {len(cass) - len(cass.play_counts)} recorded exchange(s) were not "
            "replayed; the test no longer makes those calls -- re-record it",
            pytrace=False,
        )


@pytest.fixture
def recorded_client(cassette: Cassette, recorded_endpoint: str) -> Iterator[PlanetaryComputerProClient]:
    """A sync client on azure-core's default ``RequestsTransport``, inside this test's cassette."""
    credential = sync_credential(recorded_endpoint)
    try:
        with PlanetaryComputerProClient(recorded_endpoint, credential, **CLIENT_KWARGS) as client:
            yield client
    finally:
        close = getattr(credential, "close", None)
        if close:
            close()


@pytest.fixture
async def async_recorded_client(
    cassette: Cassette, recorded_endpoint: str
) -> AsyncIterator[AsyncPlanetaryComputerProClient]:
    """An async client on azure-core's default ``AioHttpTransport``, inside this test's cassette."""
    credential = async_credential(recorded_endpoint)
    try:
        async with AsyncPlanetaryComputerProClient(recorded_endpoint, credential, **CLIENT_KWARGS) as client:
            yield client
    finally:
        await credential.close()


# -- checks for test modules ------------------------------------------------------------------------

#: A test that takes one of these records (and replays) a cassette.
RECORDED_FIXTURES = frozenset({"recorded_client", "async_recorded_client", "cassette"})


def exchanges(cass: Cassette) -> List[Request]:
    """The (sanitized) requests of the exchanges this test went through so far, in order: those
    recorded (live) or those replayed (playback)."""
    if is_live():
        return list(cass.requests)
    return [cass.requests[index] for index in sorted(cass.play_counts)]


def recorded_body(cass: Cassette, index: int = -1) -> str:
    """The body of a response as the cassette holds it, i.e. sanitized -- live too, where the client
    saw the unsanitized one. ``index`` counts the exchanges of ``exchanges``."""
    request = exchanges(cass)[index]
    position = next(i for i, (recorded, _) in enumerate(cass.data) if recorded is request)
    body = cass.data[position][1]["body"]["string"]
    return body.decode("utf-8") if isinstance(body, bytes) else body


def on_endpoint(href: str, endpoint: str) -> None:
    """An href the service built points at the endpoint used (the sanitized one in playback)."""
    assert href.startswith(endpoint + "/"), href
    if not is_live():
        assert href.startswith(PLAYBACK_ENDPOINT + "/"), href


def recorded_test_cassettes(module: str, namespace: Dict[str, Any]) -> Set[str]:
    """The cassette names of the recording tests in ``namespace`` (a test module's ``globals()``)."""
    import inspect

    return {
        f"{module}.{name}.yaml"
        for name, function in namespace.items()
        if name.startswith("test_")
        and callable(function)
        and RECORDED_FIXTURES & set(inspect.signature(function).parameters)
    }


def module_cassettes(module: str) -> List[Path]:
    return sorted(RECORDINGS.glob(f"{module}.*.yaml"))


def assert_cassettes_complete(module: str, namespace: Dict[str, Any], count: int) -> None:
    """Every recording test of ``module`` has its cassette, and no cassette of ``module`` is orphaned."""
    recorded = recorded_test_cassettes(module, namespace)
    present = {path.name for path in module_cassettes(module)}
    assert len(recorded) == count, sorted(recorded)
    assert recorded <= present, f"missing cassettes (re-record the module): {sorted(recorded - present)}"
    assert present <= recorded, f"orphan cassettes (delete them): {sorted(present - recorded)}"


def assert_cassette_clean(path: Path) -> None:
    """``path`` holds no credential, cookie, loopback host, unredacted SAS signature or token, and
    every recorded request went to the sanitized endpoint with ``api-version=2026-04-15``."""
    text = path.read_text(encoding="utf-8")
    lowered = text.lower()
    for word in ("authorization", "bearer", "cookie", "fake-token", "localhost", "127.0.0.1", "[::1]"):
        assert word not in lowered, (path.name, word)
    for match in re.finditer(r"sig(=|%3[dD])([^&\s\"'<>\\]*)", text):
        assert match.group(2).startswith(REDACTED), (path.name, match.group(0))
    for match in re.finditer(r'"token"\s*:\s*"([^"]*)"', text):
        assert match.group(1) == REDACTED, (path.name, match.group(0))
    data = yaml.safe_load(text)
    assert data["interactions"], path.name
    for interaction in data["interactions"]:
        request = interaction["request"]
        parts = urlsplit(request["uri"])
        assert f"{parts.scheme}://{parts.netloc}" == PLAYBACK_ENDPOINT, (path.name, request["uri"])
        assert parse_qs(parts.query)["api-version"] == ["2026-04-15"], (path.name, request["uri"])
        assert not {h.lower() for h in request["headers"]} & set(FILTER_HEADERS), path.name
        assert not {h.lower() for h in interaction["response"]["headers"]} & _DROPPED_RESPONSE_HEADERS, path.name
