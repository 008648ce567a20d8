"""Where SAS tokens go, tried as an attacker would: a second loopback host (127.0.0.2) stands in for
someone else's server, records every request that reaches it, and must never see a signature.

Two setups, sync and async:

* Azure Blob Storage: the SAS service is a fake (its collection ``c`` lives in one account and
  container, told by the collection's own thumbnail href); a transport routes every
  ``*.blob.core.*`` host to a loopback recorder, the catalog's own account to 127.0.0.1, any other
  to 127.0.0.2.
* The GeoCatalog emulator (on 127.0.0.1): its ``/blobs/`` endpoint, hostile items naming another
  host's ``/blobs/`` and local files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional
from urllib.parse import parse_qs, urlsplit

import pytest
from azure.core.exceptions import HttpResponseError
from azure.core.pipeline.transport import AioHttpTransport, RequestsTransport
from azure.core.rest import HttpRequest

from azure.planetarycomputer import (
    DownloadError,
    LocalHrefError,
    PlanetaryComputerProClient,
    StaticTokenCredential,
    download_asset,
    download_item,
    download_item_collection,
)
from azure.planetarycomputer import aio as pc_aio
from azure.planetarycomputer._sas_scope import Location, blob_location, container_token
from azure.planetarycomputer.aio import AsyncStaticTokenCredential
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

from .conftest import ENDPOINT, AsyncFakeCredential, FakeCredential
from .fakes import AsyncFakeTransport, FakeTransport, Reply
from .loopback import Answer, Host

ACCOUNT = "catalogstore.blob.core.windows.net"
CONTAINER = "c-1234"
HOME = f"https://{ACCOUNT}/{CONTAINER}"
#: The secret parts of the fake service's answers; none may ever reach 127.0.0.2.
SECRET = "SECRET"


# -- loopback recorders ------------------------------------------------------------------------------


class Recorder(Host):
    """A loopback host that answers every request with a few bytes and records what it got."""

    def __init__(self, address: str) -> None:
        super().__init__(address, lambda host, seen: Answer(200, f"served by {address}".encode()))

    def targets(self) -> List[str]:
        return [seen.path for seen in list(self.seen)]

    def leaked(self) -> List[str]:
        """Requests that carried a signature or a token, in the URL or a header."""
        found = []
        for seen in list(self.seen):
            text = seen.path + json.dumps(seen.headers)
            if "sig=" in text.lower() or "sig%3d" in text.lower() or SECRET in text or "Bearer" in text:
                found.append(text)
        return found


def _serve(address: str) -> Iterator[Recorder]:
    recorder = Recorder(address)
    try:
        yield recorder
    finally:
        recorder.stop()


@pytest.fixture
def attacker() -> Iterator[Recorder]:
    """Someone else's server."""
    yield from _serve("127.0.0.2")


@pytest.fixture
def storage() -> Iterator[Recorder]:
    """The catalog's own storage account."""
    yield from _serve("127.0.0.1")


def _reroute(url: str, storage: Recorder, attacker: Recorder) -> str:
    """An Azure blob URL sent to a recorder instead: the catalog's account to ``storage``, any other
    account to ``attacker``; the original URL is kept in the path."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if ".blob.core." not in host:
        return url
    target = storage if host == ACCOUNT else attacker
    query = f"?{parts.query}" if parts.query else ""
    return f"{target.url}/{parts.scheme}/{host}{parts.path}{query}"


class Rerouting(RequestsTransport):
    def __init__(self, storage: Recorder, attacker: Recorder) -> None:
        super().__init__()
        self.routes = (storage, attacker)

    def send(self, request: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        request.url = _reroute(request.url, *self.routes)
        return super().send(request, **kwargs)


class AsyncRerouting(AioHttpTransport):
    def __init__(self, storage: Recorder, attacker: Recorder) -> None:
        super().__init__()
        self.routes = (storage, attacker)

    async def send(self, request: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        request.url = _reroute(request.url, *self.routes)
        return await super().send(request, **kwargs)


# -- the fake SAS service of an Azure-backed catalog ---------------------------------------------------


class AzureSas:
    """``/stac/collections/c`` (its thumbnail names the container), ``/sas/token/c`` and ``/sas/sign``
    (signs hrefs of the catalog's account only, with a container token, like the service)."""

    def __init__(self) -> None:
        self.calls: List[str] = []
        self.expiry = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def __call__(self, request: HttpRequest) -> Reply:
        parts = urlsplit(request.url)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.calls.append(parts.path)
        if parts.path == "/stac/collections/c":
            return Reply(200, collection_doc())
        if parts.path == "/sas/token/c":
            return Reply(200, {"token": f"sv=2024&sr=c&sp=rl&sig={SECRET}-c", "msft:expiry": self.expiry})
        if parts.path == "/sas/sign":
            href = query["href"]
            if urlsplit(href).hostname != ACCOUNT:
                return Reply(200, {"href": href})  # not the catalog's storage: returned unsigned
            container = urlsplit(href).path.split("/")[1]
            token = f"sv=2024&sr=c&sp=rl&sig={SECRET}-{container}"
            return Reply(200, {"href": f"{href}?{token}", "msft:expiry": self.expiry})
        return Reply(404, {"code": "NotFound", "message": parts.path})


def collection_doc() -> Dict[str, Any]:
    return {
        "type": "Collection",
        "id": "c",
        "stac_version": "1.0.0",
        "description": "d",
        "license": "proprietary",
        "extent": {"spatial": {"bbox": [[0, 0, 1, 1]]}, "temporal": {"interval": [[None, None]]}},
        "links": [],
        "assets": {"thumbnail": {"href": f"{HOME}/collection-assets/thumbnail/thumbnail.png"}},
    }


def item(assets: Dict[str, str], collection: str = "c", item_id: str = "hostile") -> Dict[str, Any]:
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": item_id,
        "collection": collection,
        "geometry": {"type": "Point", "coordinates": [0.5, 0.5]},
        "bbox": [0.5, 0.5, 0.5, 0.5],
        "properties": {"datetime": "2024-01-01T00:00:00Z"},
        "links": [],
        "assets": {key: {"href": href} for key, href in assets.items()},
    }


#: Hrefs of a hostile item claiming collection ``c``: only "mine" may get the collection's token.
HOSTILE_AZURE = {
    "mine": f"{HOME}/items/a/mine.tif",
    "other_container": f"https://{ACCOUNT}/other-container/a/b.tif",
    "other_account": f"https://thief.blob.core.windows.net/{CONTAINER}/a/c.tif",
    "gov": f"https://thief.blob.core.usgovcloudapi.net/{CONTAINER}/a/d.tif",
    "china": f"https://thief.blob.core.chinacloudapi.cn/{CONTAINER}/a/e.tif",
    "plain_http": f"http://{ACCOUNT}/{CONTAINER}/a/f.tif",
    "userinfo": f"https://{ACCOUNT}@thief.blob.core.windows.net/{CONTAINER}/a/g.tif",
    "dot_segments": f"https://{ACCOUNT}/{CONTAINER}/../other-container/h.tif",
}


def _check_azure_run(storage: Recorder, attacker: Recorder) -> None:
    assert attacker.leaked() == []
    assert len(attacker.targets()) == 4  # other_account, gov, china, userinfo: fetched, unsigned
    signatures = {urlsplit(target).path: parse_qs(urlsplit(target).query).get("sig") for target in storage.targets()}
    assert signatures.pop(f"/https/{ACCOUNT}/{CONTAINER}/items/a/mine.tif") == [f"{SECRET}-c"]  # the collection's
    assert signatures.pop(f"/https/{ACCOUNT}/other-container/a/b.tif") == [f"{SECRET}-other-container"]  # the service's
    assert len(signatures) == 2 and set(signatures.values()) == {None}  # plain http and dot segments: unsigned


def test_collection_token_goes_only_to_its_account_and_container(
    storage: Recorder, attacker: Recorder, tmp_path: Path
) -> None:
    service = AzureSas()
    with PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=FakeTransport(service)) as client:
        signed = client.sas.sign(item(HOSTILE_AZURE))
        hrefs = {key: asset["href"] for key, asset in signed["assets"].items()}
        assert hrefs["mine"] == f"{HOSTILE_AZURE['mine']}?sv=2024&sr=c&sp=rl&sig={SECRET}-c"
        for key in ("other_account", "gov", "china", "plain_http", "userinfo", "dot_segments"):
            assert hrefs[key] == HOSTILE_AZURE[key], key
        result = download_item(
            item(HOSTILE_AZURE), tmp_path, signer=client, transport=Rerouting(storage, attacker), retry_total=0
        )
    assert sorted(result.assets) == sorted(HOSTILE_AZURE)
    _check_azure_run(storage, attacker)
    # One collection read and one token for the container the collection names; the service was
    # asked about each other blob href (it signs its own account only).
    assert service.calls.count("/stac/collections/c") == 1 and service.calls.count("/sas/token/c") == 1


async def test_async_collection_token_goes_only_to_its_account_and_container(
    storage: Recorder, attacker: Recorder, tmp_path: Path
) -> None:
    service = AzureSas()
    transport = AsyncFakeTransport(service)
    async with pc_aio.PlanetaryComputerProClient(ENDPOINT, AsyncFakeCredential(), transport=transport) as client:
        signed = await client.sas.sign(item(HOSTILE_AZURE))
        for key in ("other_account", "gov", "china", "plain_http", "userinfo", "dot_segments"):
            assert signed["assets"][key]["href"] == HOSTILE_AZURE[key], key
        await pc_aio.download_item(
            item(HOSTILE_AZURE), tmp_path, signer=client, transport=AsyncRerouting(storage, attacker), retry_total=0
        )
    _check_azure_run(storage, attacker)


def test_the_service_signs_what_the_collection_does_not_name_and_its_container_token_is_reused() -> None:
    service = AzureSas()
    with PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=FakeTransport(service)) as client:
        first = client.sas.sign_href(f"https://{ACCOUNT}/elsewhere/a.tif", "c")
        second = client.sas.sign_href(f"https://{ACCOUNT}/elsewhere/b.tif", "c")
        third = client.sas.sign_href(f"https://{ACCOUNT}/third/c.tif")
    assert first.endswith(f"sig={SECRET}-elsewhere") and second.endswith(f"sig={SECRET}-elsewhere")
    assert third.endswith(f"sig={SECRET}-third")
    assert service.calls.count("/sas/sign") == 2  # one per container, not per href
    assert "/sas/token/c" not in service.calls  # the collection's token was never needed


def test_a_signed_answer_for_another_url_is_refused() -> None:
    """The service is trusted, but an answer that names another place than the href asked for is not
    used (and its signature is not quoted in the error)."""

    def elsewhere(request: HttpRequest) -> Reply:
        if urlsplit(request.url).path == "/stac/collections/c":
            return Reply(200, collection_doc())
        return Reply(200, {"href": f"https://thief.blob.core.windows.net/x/a.tif?sr=c&sig={SECRET}"})

    with PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=FakeTransport(elsewhere)) as client:
        with pytest.raises(ValueError, match="not using it") as caught:
            client.sas.sign_href(f"https://{ACCOUNT}/other/a.tif", "c")
    assert SECRET not in str(caught.value)


def test_an_href_the_service_will_not_sign_stays_unsigned() -> None:
    """A blob href of another account that the service refuses to sign (400/404) is an unrelated href;
    an authorization failure is still an error."""
    refusals: List[int] = []

    def refusing(request: HttpRequest) -> Reply:
        path = urlsplit(request.url).path
        if path == "/stac/collections/c":
            return Reply(200, collection_doc())
        status = 400 if "thief" in request.url else 403
        refusals.append(status)
        return Reply(status, {"error": {"code": "InvalidHref", "message": "not this catalog's storage"}})

    foreign = f"https://thief.blob.core.windows.net/{CONTAINER}/a.tif"
    with PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=FakeTransport(refusing)) as client:
        assert client.sas.sign_href(foreign, "c") == foreign
        assert client.sas.sign_href(foreign, "c") == foreign  # remembered: asked once
        with pytest.raises(HttpResponseError) as caught:
            client.sas.sign_href(f"https://{ACCOUNT}/other/a.tif", "c")
    assert caught.value.status_code == 403 and refusals == [400, 403]


def test_unrelated_hrefs_stay_unsigned_and_cost_nothing() -> None:
    service = AzureSas()
    with PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=FakeTransport(service)) as client:
        for href in (
            "https://example.com/a.tif",
            "https://example.com/blobs/c/a.tif",
            "http://127.0.0.2:9/blobs/c/a.tif",
            "/blobs/c/a.tif",
            "s3://bucket/a.tif",
            "file:///etc/passwd",
            "relative/a.tif",
        ):
            assert client.sas.sign_href(href, "c") == href
    assert service.calls == []


@pytest.mark.parametrize(
    "href, endpoint, expected",
    [
        (f"{HOME}/x/a.tif", None, Location("https", ACCOUNT, 443, CONTAINER)),
        (f"https://{ACCOUNT.upper()}:443/{CONTAINER}/a.tif", None, Location("https", ACCOUNT, 443, CONTAINER)),
        (f"http://{ACCOUNT}/{CONTAINER}/a.tif", None, None),
        (f"{HOME}", None, None),
        (f"https://{ACCOUNT}/a.tif", None, None),
        ("http://127.0.0.1:8/blobs/c/a.tif", "http://127.0.0.1:8", Location("http", "127.0.0.1", 8, "blobs/c", True)),
        ("http://127.0.0.1:8/blobs/c/a.tif", "http://127.0.0.1:9", None),
        ("http://127.0.0.2:8/blobs/c/a.tif", "http://127.0.0.1:8", None),
        ("https://127.0.0.1:8/blobs/c/a.tif", "http://127.0.0.1:8", None),
        ("http://localhost:8/blobs/c/a.tif", "http://localhost:8", Location("http", "localhost", 8, "blobs/c", True)),
        ("http://geocatalog.example/blobs/c/a.tif", "http://geocatalog.example", None),
        ("https://user:pw@127.0.0.1:8/blobs/c/a.tif", "https://127.0.0.1:8", None),
    ],
)
def test_blob_locations(href: str, endpoint: Optional[str], expected: Optional[Location]) -> None:
    assert blob_location(href, endpoint) == expected


def test_container_token_only_for_the_same_url_and_a_container_sas() -> None:
    asked = f"{HOME}/a.tif?versionid=3"
    assert container_token(asked, f"{asked}&sv=1&sr=c&sp=rl&sig=abc%2B") == "sv=1&sr=c&sp=rl&sig=abc%2B"
    assert container_token(asked, f"{asked}&sv=1&sr=b&sig=abc") is None  # one blob's SAS: not reusable
    assert container_token(asked, f"https://thief.blob.core.windows.net/{CONTAINER}/a.tif?sr=c&sig=a") is None
    assert container_token(asked, asked) is None


# -- the emulator's /blobs/ endpoint and local files ---------------------------------------------------


@pytest.fixture(scope="module")
def stored(geocatalog_emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict[str, Any]]:  # noqa: F811
    """A collection with one item whose asset the emulator copied into its blob storage."""
    folder = tmp_path_factory.mktemp("scope-assets")
    cid = f"scope-{uuid.uuid4().hex[:8]}"
    data = b"stored asset " * 50
    (folder / "data.bin").write_bytes(data)
    with PlanetaryComputerProClient(geocatalog_emulator.endpoint, StaticTokenCredential(), retry_total=0) as client:
        body = collection_doc()
        body.update(id=cid, assets={})
        client.stac.begin_create_collection(body, polling_interval=0).result()
        feature = item({"data": (folder / "data.bin").as_uri()}, collection=cid, item_id="s0")
        client.stac.begin_create_item(cid, feature, polling_interval=0).result()
        yield {"collection": cid, "data": data}
        client.stac.begin_delete_collection(cid, polling_interval=0).result()


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A file of this machine that a hostile item would like to read."""
    path = tmp_path / "private" / "credentials"
    path.parent.mkdir()
    path.write_bytes(b"PRIVATE KEY MATERIAL")
    return path


def hostile_emulator_item(stored_item: Dict[str, Any], attacker: Recorder, secret_file: Path) -> Dict[str, Any]:
    cid = stored_item["collection"]
    doc = dict(stored_item["item"])
    doc["assets"] = dict(doc["assets"])
    doc["links"] = []  # relative hrefs resolve against the working folder
    extra = {
        "other_host_blobs": f"{attacker.url}/blobs/{cid}/s0/copy.bin",
        "other_host": f"{attacker.url}/loot.bin",
        "file_uri": secret_file.as_uri(),
        "absolute": str(secret_file),
        "relative": os.path.relpath(secret_file),
    }
    doc["assets"].update({key: {"href": href} for key, href in extra.items()})
    return doc


def _check_emulator_run(error: DownloadError, folder: Path, attacker: Recorder, stored: Dict[str, Any]) -> None:
    failures = {failure.key: failure.error for failure in error.failures}
    assert sorted(failures) == ["absolute", "file_uri", "relative"]
    assert all(isinstance(exc, LocalHrefError) and "allow_local_hrefs" in str(exc) for exc in failures.values())
    assert (folder / "data.bin").read_bytes() == stored["data"]  # the real asset, signed for the endpoint
    assert all(b"PRIVATE" not in path.read_bytes() for path in folder.rglob("*") if path.is_file())
    assert attacker.leaked() == []
    assert sorted(attacker.targets()) == [f"/blobs/{stored['collection']}/s0/copy.bin", "/loot.bin"]


def test_hostile_item_on_the_emulator(
    geocatalog_emulator: Emulator,  # noqa: F811
    stored: Dict[str, Any],
    attacker: Recorder,
    secret_file: Path,
    tmp_path: Path,
) -> None:
    with PlanetaryComputerProClient(geocatalog_emulator.endpoint, StaticTokenCredential(), retry_total=0) as client:
        real = client.stac.get_item(stored["collection"], "s0").as_dict()
        doc = hostile_emulator_item({**stored, "item": real}, attacker, secret_file)
        signed = client.sas.sign(doc)
        assert "sig=" in signed["assets"]["data"]["href"]
        assert all(signed["assets"][key] == doc["assets"][key] for key in doc["assets"] if key != "data")
        with pytest.raises(DownloadError) as caught:
            download_item(doc, tmp_path / "out", signer=client, on_error="collect")
    _check_emulator_run(caught.value, tmp_path / "out", attacker, stored)


async def test_async_hostile_item_on_the_emulator(
    geocatalog_emulator: Emulator,  # noqa: F811
    stored: Dict[str, Any],
    attacker: Recorder,
    secret_file: Path,
    tmp_path: Path,
) -> None:
    endpoint = geocatalog_emulator.endpoint
    async with pc_aio.PlanetaryComputerProClient(endpoint, AsyncStaticTokenCredential(), retry_total=0) as client:
        real = (await client.stac.get_item(stored["collection"], "s0")).as_dict()
        doc = hostile_emulator_item({**stored, "item": real}, attacker, secret_file)
        signed = await client.sas.sign(doc)
        assert "sig=" in signed["assets"]["data"]["href"]
        assert signed["assets"]["other_host_blobs"] == doc["assets"]["other_host_blobs"]
        with pytest.raises(DownloadError) as caught:
            await pc_aio.download_item(doc, tmp_path / "out", signer=client, on_error="collect")
    _check_emulator_run(caught.value, tmp_path / "out", attacker, stored)


def test_local_files_need_an_opt_in_or_a_document_read_from_disk(secret_file: Path, tmp_path: Path) -> None:
    doc = item({"key": secret_file.as_uri()})
    with pytest.raises(DownloadError) as caught:
        download_item(doc, tmp_path / "refused")
    assert isinstance(caught.value.failures[0].error, LocalHrefError)
    with pytest.raises(DownloadError):
        download_asset(str(secret_file), tmp_path / "refused" / "copy")
    assert not (tmp_path / "refused" / "credentials").exists() and not (tmp_path / "refused" / "copy").exists()

    allowed = download_item(doc, tmp_path / "allowed", allow_local_hrefs=True)
    assert (tmp_path / "allowed" / allowed.assets["key"].href).read_bytes() == b"PRIVATE KEY MATERIAL"
    assert download_asset(str(secret_file), tmp_path / "copy", allow_local_hrefs=True).read_bytes().startswith(b"PRIV")

    # A document read from a file the caller names: its relative hrefs are its own files.
    (secret_file.parent / "item.json").write_text(json.dumps(item({"key": "./credentials"})))
    local = download_item(secret_file.parent / "item.json", tmp_path / "from-file")
    assert (tmp_path / "from-file" / local.assets["key"].href).read_bytes() == b"PRIVATE KEY MATERIAL"
    listing = {"type": "FeatureCollection", "features": [item({"key": "./credentials"}, item_id="f0")]}
    (secret_file.parent / "items.json").write_text(json.dumps(listing))
    copied = download_item_collection(str(secret_file.parent / "items.json"), tmp_path / "listing")
    assert Path(copied.features[0].assets["key"].href).read_bytes() == b"PRIVATE KEY MATERIAL"


async def test_async_local_files_need_an_opt_in(secret_file: Path, tmp_path: Path) -> None:
    doc = item({"key": str(secret_file)})
    with pytest.raises(DownloadError) as caught:
        await pc_aio.download_item(doc, tmp_path / "refused")
    assert isinstance(caught.value.failures[0].error, LocalHrefError)
    allowed = await pc_aio.download_item(doc, tmp_path / "allowed", allow_local_hrefs=True)
    assert (tmp_path / "allowed" / allowed.assets["key"].href).read_bytes() == b"PRIVATE KEY MATERIAL"


def test_a_plain_callable_signer_cannot_send_a_signature_in_clear(tmp_path: Path) -> None:
    """Whatever a signer returns, a signed URL never goes over plain http to a non-loopback host."""
    doc = item({"a": "http://thief.example/a.tif"})
    with pytest.raises(DownloadError) as caught:
        download_item(doc, tmp_path, signer=lambda href, collection_id=None: f"{href}?sv=1&sig=x", retry_total=0)
    assert "plain http" in str(caught.value)
