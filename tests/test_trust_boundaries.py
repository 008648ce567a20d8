"""The bearer token goes only to the client's endpoint: (scheme, host, port).

The client's endpoint is a loopback server on 127.0.0.1; a second one on 127.0.0.2 stands in for
someone else's server and records whatever reaches it. Servers name the stranger in next links,
``Operation-Location``/``Location`` headers, status bodies, continuation tokens and redirects:
the client raises ``UntrustedUrlError`` (a ``ValueError``) naming the host before sending, or
(redirects) follows without the token. The stranger never sees a token.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Dict, Iterator, List, Optional

import pytest
from azure.core.rest import HttpRequest

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential
from azure.planetarycomputer import aio as pc_aio
from azure.planetarycomputer._auth import AsyncStaticTokenCredential
from azure.planetarycomputer._guards import UntrustedUrlError, check_endpoint_url

from .conftest import FakeCredential
from .fakes import FakeTransport, Reply
from .loopback import Answer, Host, Seen

TOKEN = "boundary-secret-token"
NO_RETRY: Dict[str, Any] = {"retry_total": 0}
SOURCE = {"id": "s1", "kind": "SasToken"}
STAC_PAGE: Dict[str, Any] = {"type": "FeatureCollection", "features": [], "links": []}


class Scene:
    """The endpoint (127.0.0.1) and the stranger (127.0.0.2); ``routes`` maps "METHOD /path" to answers."""

    def __init__(self) -> None:
        self.routes: Dict[str, Any] = {}
        self.endpoint = Host("127.0.0.1", self._route)
        self.stranger = Host("127.0.0.2", lambda host, seen: Answer(200, {"value": [SOURCE], "status": "Succeeded"}))

    def _route(self, host: Host, seen: Seen) -> Answer:
        answer = self.routes.get(f"{seen.method} {seen.path.split('?')[0]}")
        if callable(answer):
            answer = answer(seen)
        return answer or Answer(404, {"error": {"code": "NotFound", "message": seen.path}})

    def client(self, **kwargs: Any) -> PlanetaryComputerProClient:
        return PlanetaryComputerProClient(self.endpoint.url, StaticTokenCredential(TOKEN), **{**NO_RETRY, **kwargs})

    def async_client(self, **kwargs: Any) -> pc_aio.PlanetaryComputerProClient:
        return pc_aio.PlanetaryComputerProClient(
            self.endpoint.url, AsyncStaticTokenCredential(TOKEN), **{**NO_RETRY, **kwargs}
        )

    def assert_stranger_got_no_token(self) -> None:
        assert all(TOKEN not in value for value in self.stranger.authorizations)
        assert all(TOKEN not in json.dumps(s.headers) for s in self.stranger.seen)


@pytest.fixture
def scene() -> Iterator[Scene]:
    world = Scene()
    try:
        yield world
        world.assert_stranger_got_no_token()  # whatever the test did
    finally:
        world.endpoint.stop()
        world.stranger.stop()


def _refused(error: BaseException, host: str = "127.0.0.2") -> None:
    assert isinstance(error, ValueError) and host in str(error) and TOKEN not in str(error)


# -- the rule ---------------------------------------------------------------------------------------------------


def test_check_endpoint_url_compares_scheme_host_and_port() -> None:
    endpoint = "https://contoso.geocatalog.spatio.azure.com"
    assert check_endpoint_url("/inma/x?a=1", endpoint, "next link") == endpoint + "/inma/x?a=1"
    assert check_endpoint_url("https://CONTOSO.geocatalog.spatio.azure.com:443/x", endpoint, "next link")
    for other in (
        "http://contoso.geocatalog.spatio.azure.com/x",  # a downgrade to plain http
        "https://contoso.geocatalog.spatio.azure.com:8443/x",
        "https://evil.example/x",
        "//evil.example/x",  # scheme-relative: another host
        "https://contoso.geocatalog.spatio.azure.com.evil.example/x",
        "https://contoso.geocatalog.spatio.azure.com@evil.example/x",  # userinfo trick
        "https://contoso.geocatalog.spatio.azure.com:notaport/x",
    ):
        with pytest.raises(UntrustedUrlError, match="refusing to send the client's credentials"):
            check_endpoint_url(other, endpoint, "next link")
    with pytest.raises(UntrustedUrlError, match="'https://evil.example'"):
        check_endpoint_url("https://evil.example/x?sig=abc", endpoint, "next link")


# -- next links -----------------------------------------------------------------------------------------------


def _sources_page(next_link: Optional[str]) -> Answer:
    return Answer(200, {"value": [SOURCE], **({"nextLink": next_link} if next_link else {})})


def test_generated_pager_refuses_a_next_link_on_another_host(scene: Scene) -> None:
    scene.routes["GET /inma/ingestion-sources"] = _sources_page(scene.stranger.url + "/inma/ingestion-sources?p=2")
    pager = scene.client().ingestion.list_sources()
    iterator = iter(pager)
    assert next(iterator).id == "s1"  # the first page's items arrive
    with pytest.raises(UntrustedUrlError) as caught:
        next(iterator)
    _refused(caught.value)
    assert "next link" in str(caught.value) and scene.stranger.seen == []


@pytest.mark.parametrize("form", ["other-port", "scheme-relative"])
def test_generated_pager_refuses_other_ports_and_scheme_relative_links(scene: Scene, form: str) -> None:
    stranger = scene.stranger.url.replace("http:", "")
    link = stranger if form == "scheme-relative" else scene.endpoint.url.rsplit(":", 1)[0] + ":1"
    scene.routes["GET /inma/ingestion-sources"] = _sources_page(link + "/inma/ingestion-sources")
    with pytest.raises(UntrustedUrlError):
        list(scene.client().ingestion.list_sources())
    assert scene.stranger.seen == [] and len(scene.endpoint.seen) == 1


def test_relative_and_same_origin_next_links_are_followed(scene: Scene) -> None:
    def page(seen: Seen) -> Answer:
        if "p=2" in seen.path:
            return _sources_page(None)
        return _sources_page("/inma/ingestion-sources?p=2")

    scene.routes["GET /inma/ingestion-sources"] = page
    assert [s.id for s in scene.client().ingestion.list_sources()] == ["s1", "s1"]
    assert all(TOKEN in s.headers.get("Authorization", "") for s in scene.endpoint.seen)


async def test_async_generated_pager_refuses_a_next_link_on_another_host(scene: Scene) -> None:
    scene.routes["GET /inma/ingestion-sources"] = _sources_page(scene.stranger.url + "/inma/ingestion-sources?p=2")
    async with scene.async_client() as client:
        seen: List[str] = []
        with pytest.raises(UntrustedUrlError) as caught:
            async for source in client.ingestion.list_sources():
                seen.append(source.id)
    assert seen == ["s1"]
    _refused(caught.value)
    assert scene.stranger.seen == []


def test_trusted_origins_relax_the_rule(scene: Scene) -> None:
    scene.routes["GET /inma/ingestion-sources"] = _sources_page(scene.stranger.url + "/more")
    scene.stranger.handler = lambda host, seen: _sources_page(None)
    client = scene.client(trusted_origins=[scene.stranger.url])
    assert [s.id for s in client.ingestion.list_sources()] == ["s1", "s1"]
    assert scene.stranger.authorizations == [f"Bearer {TOKEN}"]  # the caller said so
    scene.stranger.seen.clear()  # the fixture's check is for the other tests


# -- search next links (GET) ---------------------------------------------------------------------------------------


def _stac_page(next_href: str) -> Answer:
    page = {**STAC_PAGE, "features": [{"type": "Feature", "id": "i1", "properties": {}, "links": [], "assets": {}}]}
    page["links"] = [{"rel": "next", "href": next_href, "type": "application/geo+json"}]
    return Answer(200, page)


def test_search_get_next_link_on_another_host_is_refused(scene: Scene) -> None:
    scene.routes["GET /stac/collections/c/items"] = _stac_page(scene.stranger.url + "/stac/collections/c/items?token=t")
    items = iter(scene.client().stac.list_items("c"))
    assert next(items).id == "i1"
    with pytest.raises(UntrustedUrlError) as caught:
        next(items)
    _refused(caught.value)
    assert scene.stranger.seen == []


async def test_async_search_get_next_link_on_another_host_is_refused(scene: Scene) -> None:
    scene.routes["GET /stac/collections/c/items"] = _stac_page(scene.stranger.url + "/stac/collections/c/items?token=t")
    async with scene.async_client() as client:
        with pytest.raises(UntrustedUrlError) as caught:
            async for _ in client.stac.list_items("c"):
                pass
    _refused(caught.value)
    assert scene.stranger.seen == []


# -- long-running operations ------------------------------------------------------------------------------------

COLLECTION = {"id": "c", "type": "Collection", "description": "d", "license": "x", "links": [], "extent": {}}


@pytest.mark.parametrize("header", ["Operation-Location", "Location"])
def test_polling_url_on_another_host_is_refused_before_polling(scene: Scene, header: str) -> None:
    scene.routes["POST /stac/collections"] = Answer(
        202, {"status": "Running"}, {header: scene.stranger.url + "/inma/operations/op"}
    )
    with pytest.raises(UntrustedUrlError) as caught:
        scene.client().stac.begin_create_collection(COLLECTION, polling_interval=0)
    _refused(caught.value)
    assert header in str(caught.value) and scene.stranger.seen == []


def test_final_resource_location_on_another_host_is_refused(scene: Scene) -> None:
    op_url = scene.endpoint.url + "/inma/operations/op"
    scene.routes["POST /stac/collections"] = Answer(202, {"status": "Running"}, {"Operation-Location": op_url})
    scene.routes["GET /inma/operations/op"] = Answer(
        200, {"status": "Succeeded", "resourceLocation": scene.stranger.url + "/stac/collections/c"}
    )
    poller = scene.client().stac.begin_create_collection(COLLECTION, polling_interval=0)
    with pytest.raises(UntrustedUrlError) as caught:
        poller.result()
    _refused(caught.value)
    assert scene.stranger.seen == []


def _token_pointing_at(token: str, url: str) -> str:
    state = json.loads(base64.b64decode(token))
    headers = state["data"]["response"]["headers"]
    for key in list(headers):
        if key.lower() in ("operation-location", "location"):
            headers[key] = url
    return base64.b64encode(json.dumps(state).encode()).decode()


def test_continuation_token_naming_another_host_is_refused(scene: Scene) -> None:
    op_url = scene.endpoint.url + "/inma/operations/op"
    scene.routes["POST /stac/collections"] = Answer(202, {"status": "Running"}, {"Operation-Location": op_url})
    scene.routes["GET /inma/operations/op"] = Answer(200, {"status": "Succeeded"})
    client = scene.client()
    first = client.stac.begin_create_collection(COLLECTION, polling_interval=0)
    token = first.continuation_token()
    first.result()
    assert (
        client.stac.begin_create_collection(COLLECTION, continuation_token=token, polling_interval=0).result() is None
    )
    forged = _token_pointing_at(token, scene.stranger.url + "/inma/operations/op")
    with pytest.raises(UntrustedUrlError) as caught:
        client.stac.begin_create_collection(COLLECTION, continuation_token=forged, polling_interval=0)
    _refused(caught.value)
    assert scene.stranger.seen == []


async def test_async_polling_urls_and_continuation_tokens_on_another_host_are_refused(scene: Scene) -> None:
    op_url = scene.endpoint.url + "/inma/operations/op"
    scene.routes["POST /stac/collections"] = Answer(202, {"status": "Running"}, {"Operation-Location": op_url})
    async with scene.async_client() as client:
        scene.routes["GET /inma/operations/op"] = Answer(200, {"status": "Succeeded"})
        poller = await client.stac.begin_create_collection(COLLECTION, polling_interval=0)
        forged = _token_pointing_at(poller.continuation_token(), scene.stranger.url + "/x")
        await poller.result()
        with pytest.raises(UntrustedUrlError) as caught:
            await client.stac.begin_create_collection(COLLECTION, continuation_token=forged, polling_interval=0)
        _refused(caught.value)
        scene.routes["POST /stac/collections"] = Answer(
            202, {"status": "Running"}, {"Operation-Location": scene.stranger.url + "/op"}
        )
        with pytest.raises(UntrustedUrlError):
            await client.stac.begin_create_collection(COLLECTION, polling_interval=0)
    assert scene.stranger.seen == []


# -- the policy behind the checks, and redirects --------------------------------------------------------------------


def test_the_bearer_policy_refuses_other_origins(scene: Scene) -> None:
    client = scene.client()
    with pytest.raises(UntrustedUrlError) as caught:
        client.send_request(HttpRequest("GET", scene.stranger.url + "/anything"))
    _refused(caught.value)
    assert client.send_request(HttpRequest("GET", "/stac/nothing")).status_code == 404  # its own endpoint: fine
    assert scene.endpoint.seen[-1].headers["Authorization"] == f"Bearer {TOKEN}"
    assert scene.stranger.seen == []


async def test_the_async_bearer_policy_refuses_other_origins(scene: Scene) -> None:
    async with scene.async_client() as client:
        with pytest.raises(UntrustedUrlError) as caught:
            await client.send_request(HttpRequest("GET", scene.stranger.url + "/anything"))
    _refused(caught.value)
    assert scene.stranger.seen == []


def test_redirects_to_another_host_are_followed_without_the_token(scene: Scene) -> None:
    scene.routes["GET /stac/collections/c"] = Answer(
        307, None, {"Location": scene.stranger.url + "/stac/collections/c"}
    )
    scene.stranger.handler = lambda host, seen: Answer(200, COLLECTION)
    assert scene.client().stac.get_collection("c").id == "c"
    assert len(scene.stranger.seen) == 1 and scene.stranger.authorizations == []


async def test_async_redirects_to_another_host_are_followed_without_the_token(scene: Scene) -> None:
    scene.routes["GET /stac/collections/c"] = Answer(
        302, None, {"Location": scene.stranger.url + "/stac/collections/c"}
    )
    scene.stranger.handler = lambda host, seen: Answer(200, COLLECTION)
    async with scene.async_client() as client:
        assert (await client.stac.get_collection("c")).id == "c"
    assert len(scene.stranger.seen) == 1 and scene.stranger.authorizations == []


def test_no_token_over_plain_http_to_a_host_that_is_not_loopback() -> None:
    transport = FakeTransport([Reply(200, COLLECTION)])
    client = PlanetaryComputerProClient("http://contoso.example", FakeCredential(), transport=transport, retry_total=0)
    with pytest.raises(Exception, match="(?i)https"):
        client.stac.get_collection("c")
    assert transport.requests == []


def test_trusted_origins_must_be_urls() -> None:
    client = PlanetaryComputerProClient("https://a.example", FakeCredential(), trusted_origins="https://b.example:8443")
    assert client._config.trusted_origins == ["https://b.example:8443"]
    for bad in (["b.example"], ["ftp://b.example"], ["https://b.example:port"], ["https://"]):
        with pytest.raises(ValueError, match="trusted_origins|[Pp]ort"):
            PlanetaryComputerProClient("https://a.example", FakeCredential(), trusted_origins=bad)
    with pytest.raises(TypeError, match="^trusted_origins entries must be str"):
        PlanetaryComputerProClient("https://a.example", FakeCredential(), trusted_origins=[b"https://b.example"])
