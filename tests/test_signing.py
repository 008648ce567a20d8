"""Signing asset hrefs with cached SAS tokens: ``SasSigner`` / ``AsyncSasSigner`` and ``client.sas.sign*``.

Unit tests run against a fake SAS service (``tests/fakes.py``) with the signer's clock under the
test's control; emulator tests download signed hrefs from a GeoCatalog emulator's blob endpoint.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional
from urllib.parse import parse_qs, urlsplit

import pystac
import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.core.rest import HttpRequest

from azure.planetarycomputer import PlanetaryComputerProClient, SasSigner, StaticTokenCredential, models
from azure.planetarycomputer import _signing as signing_module
from azure.planetarycomputer.aio import AsyncSasSigner, AsyncStaticTokenCredential
from azure.planetarycomputer.aio import PlanetaryComputerProClient as AsyncClient
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

from .conftest import ENDPOINT, AsyncFakeCredential, FakeCredential
from .fakes import AsyncFakeTransport, FakeTransport, Reply

BLOB = "https://account.blob.core.windows.net/container-1234"
START = dt.datetime(2025, 3, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


class Clock:
    """The signer's clock (``_signing._now``), moved by the test."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(signing_module, "_now", clock)
    return clock


class SasService:
    """Fake ``/sas/token/{collection}`` and ``/sas/sign``: counts fetches, tokens valid ``duration`` minutes;
    and ``/stac/collections/{collection}``, whose thumbnail names the container of every collection."""

    def __init__(self, clock: Clock, delay: float = 0.0, report_expiry: bool = True) -> None:
        self.clock = clock
        self.delay = delay
        self.report_expiry = report_expiry
        self.token_fetches: Dict[str, int] = {}
        self.sign_fetches: List[str] = []
        self.durations: List[Optional[str]] = []
        self.collection_reads: List[str] = []
        self._lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> Reply:
        if self.delay:
            time.sleep(self.delay)  # widen the window in which concurrent callers would race
        parts = urlsplit(request.url)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path.startswith("/stac/collections/"):
            collection = parts.path.rsplit("/", 1)[1]
            if collection == "missing":
                return Reply(404, {"code": "NotFound", "message": "no such collection"})
            with self._lock:
                self.collection_reads.append(collection)
            return Reply(200, collection_dict(collection))
        self.durations.append(query.get("duration"))
        minutes = int(query.get("duration", "1440"))
        expiry = (self.clock.now + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
        if parts.path.startswith("/sas/token/"):
            collection = parts.path.rsplit("/", 1)[1]
            if collection == "missing":
                return Reply(404, {"error": {"code": "CollectionNotFound", "message": "no such collection"}})
            with self._lock:
                count = self.token_fetches[collection] = self.token_fetches.get(collection, 0) + 1
            body: Dict[str, Any] = {"token": f"sv=2024&se={expiry}&sr=c&sp=rl&sig=SECRET-{collection}-{count}"}
        elif parts.path == "/sas/sign":
            href = query["href"]
            self.sign_fetches.append(href)
            body = {"href": f"{href}?sv=2024&sr=c&sig=SIGNED-{len(self.sign_fetches)}"}
        else:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        if self.report_expiry:
            body["msft:expiry"] = expiry
        return Reply(200, body)

    @property
    def fetches(self) -> int:
        return sum(self.token_fetches.values()) + len(self.sign_fetches)


def sas_client(service: SasService) -> PlanetaryComputerProClient:
    return PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=FakeTransport(service), retry_total=0)


def item_dict(item_id: str, collection: Optional[str] = "c", **extra_assets: str) -> Dict[str, Any]:
    assets = {
        "image": {"href": f"{BLOB}/{item_id}/image.tif", "type": "image/tiff"},
        "metadata": {"href": f"{BLOB}/{item_id}/meta.xml?versionid=3"},
        "external": {"href": f"https://example.com/{item_id}.tif"},
        "signed": {"href": f"{BLOB}/{item_id}/signed.tif?sv=1&sig=ALREADY"},
    }
    assets.update({k: {"href": v} for k, v in extra_assets.items()})
    doc: Dict[str, Any] = {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": item_id,
        "bbox": [0, 0, 1, 1],
        "geometry": {"type": "Point", "coordinates": [0.5, 0.5]},
        "properties": {"datetime": "2024-01-01T00:00:00Z"},
        "assets": assets,
        "links": [],
    }
    if collection is not None:
        doc["collection"] = collection
    return doc


def collection_dict(cid: str = "c") -> Dict[str, Any]:
    return {
        "type": "Collection",
        "id": cid,
        "stac_version": "1.0.0",
        "description": "d",
        "license": "CC-BY-4.0",
        "extent": {"spatial": {"bbox": [[0, 0, 1, 1]]}, "temporal": {"interval": [[None, None]]}},
        "links": [],
        "assets": {"thumbnail": {"href": f"{BLOB}/collection-assets/thumbnail.png"}},
        "item_assets": {"image": {"type": "image/tiff"}, "legend": {"href": f"{BLOB}/legend.png"}},
    }


def token_of(href: str) -> Dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def assert_signed_item(doc: Any, sig: str = "SECRET-c-1") -> None:
    assets = doc["assets"]
    assert token_of(assets["image"]["href"])["sig"] == sig
    assert assets["image"]["href"].startswith(f"{BLOB}/{doc['id']}/image.tif?sv=2024&se=")
    metadata = assets["metadata"]["href"]
    assert metadata.startswith(f"{BLOB}/{doc['id']}/meta.xml?versionid=3&sv=2024") and token_of(metadata)["sig"] == sig
    assert assets["external"]["href"] == f"https://example.com/{doc['id']}.tif"
    assert assets["signed"]["href"] == f"{BLOB}/{doc['id']}/signed.tif?sv=1&sig=ALREADY"


# --------------------------------------------------------------------------- which hrefs


@pytest.mark.parametrize(
    "href, signed",
    [
        (f"{BLOB}/a.tif", True),
        ("https://acct.blob.core.usgovcloudapi.net/c/a.tif", True),  # not the collection's: the service signs
        (f"http://{BLOB[len('https://') :]}/a.tif", False),  # never a token in clear text
        ("http://127.0.0.1:8080/blobs/c/i/a.tif", False),  # /blobs/ on a host that is not the endpoint
        (f"{ENDPOINT}/blobs/c/i/a.tif", True),  # the client's own endpoint (an emulator's blob endpoint)
        ("/blobs/c/i/a.tif", False),  # no host to check
        (f"{BLOB}/a.tif?sv=1&se=2&sig=abc", False),
        ("https://example.com/a.tif", False),
        ("https://example.com/x/blobs/a.tif", False),
        ("s3://bucket/a.tif", False),
        ("file:///blobs/a.tif", False),
        ("relative/a.tif", False),
    ],
)
def test_which_hrefs_are_signed(clock: Clock, href: str, signed: bool) -> None:
    service = SasService(clock)
    client = sas_client(service)
    result = client.sas.sign_href(href, "c")
    assert (result != href) is signed
    assert service.fetches == (1 if signed else 0)


# --------------------------------------------------------------------------- caching


def test_one_token_per_collection_for_many_items(clock: Clock) -> None:
    service = SasService(clock)
    client = sas_client(service)
    page = models.StacItemCollection(
        {"type": "FeatureCollection", "features": [item_dict(f"i{n}") for n in range(50)] + [item_dict("d", "other")]}
    )
    client.sas.sign_inplace(page)
    assert service.token_fetches == {"c": 1, "other": 1}
    assert service.durations == ["60", "60"]  # the shared signer asks for 60 minutes
    for feature in page.features[:50]:
        assert_signed_item(feature)
    assert_signed_item(page.features[50], "SECRET-other-1")
    for n in range(5):
        client.sas.sign(models.StacItem(item_dict(f"again{n}")))
    assert service.token_fetches == {"c": 1, "other": 1}


def test_token_refreshed_shortly_before_expiry(clock: Clock) -> None:
    service = SasService(clock)
    signer = SasSigner(sas_client(service).sas, duration_in_minutes=60)
    assert signer.get_token("c").endswith("sig=SECRET-c-1")
    clock.advance(minutes=54)  # 6 minutes left: outside the 5-minute margin
    assert signer.get_token("c").endswith("sig=SECRET-c-1")
    clock.advance(minutes=1, seconds=1)  # inside the margin
    assert signer.get_token("c").endswith("sig=SECRET-c-2")
    assert signer.sign_href(f"{BLOB}/x.tif", "c").endswith("sig=SECRET-c-2")
    assert service.token_fetches == {"c": 2}


def test_refresh_margin_is_at_most_half_the_lifetime(clock: Clock) -> None:
    service = SasService(clock)
    signer = SasSigner(sas_client(service).sas, duration_in_minutes=4, refresh_margin=dt.timedelta(minutes=10))
    signer.get_token("c")
    clock.advance(minutes=1, seconds=59)
    signer.get_token("c")
    assert service.token_fetches == {"c": 1}
    clock.advance(seconds=2)
    signer.get_token("c")
    assert service.token_fetches == {"c": 2}


def test_without_a_reported_expiry_the_asked_lifetime_counts(clock: Clock) -> None:
    service = SasService(clock, report_expiry=False)
    signer = SasSigner(sas_client(service), duration_in_minutes=30, refresh_margin=60)  # the client works too
    signer.get_token("c")
    clock.advance(minutes=28, seconds=59)
    signer.get_token("c")
    assert service.token_fetches == {"c": 1}
    clock.advance(seconds=2)
    signer.get_token("c")
    assert service.token_fetches == {"c": 2}


def test_hrefs_without_a_collection_are_signed_by_the_service_and_cached(clock: Clock) -> None:
    service = SasService(clock)
    client = sas_client(service)
    href = f"{BLOB}/loose/a.tif"
    assert client.sas.sign_href(href) == f"{href}?sv=2024&sr=c&sig=SIGNED-1"
    assert client.sas.sign(href) == f"{href}?sv=2024&sr=c&sig=SIGNED-1"
    # The answer carried a container token (sr=c): the container's other blobs reuse it.
    doc = client.sas.sign(item_dict("n", collection=None))
    assert token_of(doc["assets"]["image"]["href"])["sig"] == "SIGNED-1"
    assert token_of(doc["assets"]["metadata"]["href"])["sig"] == "SIGNED-1"
    assert service.sign_fetches == [href]
    assert service.token_fetches == {} and service.collection_reads == []
    clock.advance(minutes=56)
    client.sas.sign_href(href)
    assert len(service.sign_fetches) == 2


def test_sixteen_threads_fetch_one_token(clock: Clock) -> None:
    service = SasService(clock, delay=0.05)
    client = sas_client(service)
    barrier = threading.Barrier(16)
    results: List[str] = []
    errors: List[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait()
            signed = client.sas.sign(models.StacItem(item_dict(f"t{n}")))
            results.append(signed.assets["image"].href)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert service.token_fetches == {"c": 1}
    assert len(results) == 16 and all(token_of(r)["sig"] == "SECRET-c-1" for r in results)


def test_revoke_token_forgets_cached_tokens(clock: Clock) -> None:
    service = SasService(clock)
    transport = FakeTransport(lambda r: Reply(200) if r.url.split("?")[0].endswith("/revoke") else service(r))
    client = PlanetaryComputerProClient(ENDPOINT, FakeCredential(), transport=transport)
    client.sas.sign_href(f"{BLOB}/a.tif", "c")
    client.sas.revoke_token()
    assert client.sas.sign_href(f"{BLOB}/a.tif", "c").endswith("sig=SECRET-c-2")


# --------------------------------------------------------------------------- inputs and outputs


def test_models_and_dicts(clock: Clock) -> None:
    client = sas_client(SasService(clock))
    item = models.StacItem(item_dict("m"))
    _ = item.assets["image"].href  # assets already wrapped as models: both forms are handled
    assert client.sas.sign_inplace(item) is item
    assert_signed_item(item)
    assert item.assets["image"].href.endswith("sig=SECRET-c-1")

    doc = item_dict("d")
    assert client.sas.sign_inplace(doc) is doc
    assert_signed_item(doc)

    page = {"type": "FeatureCollection", "features": [item_dict("p1"), item_dict("p2")]}
    client.sas.sign_inplace(page)
    for feature in page["features"]:
        assert_signed_item(feature)

    for collection in (models.StacCollection(collection_dict()), collection_dict()):
        client.sas.sign_inplace(collection)
        assert token_of(collection["assets"]["thumbnail"]["href"])["sig"] == "SECRET-c-1"
        assert token_of(collection["item_assets"]["legend"]["href"])["sig"] == "SECRET-c-1"
        assert collection["item_assets"]["image"] == {"type": "image/tiff"}

    listing = {"collections": [collection_dict("c")], "links": []}
    client.sas.sign_inplace(listing)
    assert "sig=" in listing["collections"][0]["assets"]["thumbnail"]["href"]


def test_sign_returns_a_copy_and_sign_inplace_mutates(clock: Clock) -> None:
    client = sas_client(SasService(clock))
    original = item_dict("o")
    before = json.dumps(original)
    for source in (original, models.StacItem(original)):
        signed = client.sas.sign(source)
        assert type(signed) is type(source) and signed is not source
        assert_signed_item(signed)
        assert json.dumps(original) == before
    model_page = models.StacItemCollection({"type": "FeatureCollection", "features": [item_dict("q")]})
    copy_page = client.sas.sign(model_page)
    assert "sig=" not in model_page.features[0].assets["image"].href
    assert_signed_item(copy_page.features[0])


def test_pystac_objects(clock: Clock) -> None:
    service = SasService(clock)
    client = sas_client(service)
    item = pystac.Item.from_dict(item_dict("py"))
    signed = client.sas.sign(item)
    assert isinstance(signed, pystac.Item) and signed is not item
    assert item.assets["image"].href == f"{BLOB}/py/image.tif"
    assert token_of(signed.assets["image"].href)["sig"] == "SECRET-c-1"
    assert signed.assets["external"].href == "https://example.com/py.tif"

    assert client.sas.sign_inplace(item) is item
    assert token_of(item.assets["image"].href)["sig"] == "SECRET-c-1"

    items = pystac.ItemCollection([pystac.Item.from_dict(item_dict(f"ic{n}")) for n in range(3)])
    client.sas.sign_inplace(items)
    assert all(token_of(i.assets["metadata"].href)["sig"] == "SECRET-c-1" for i in items)

    collection = pystac.Collection.from_dict(collection_dict())
    signed_collection = client.sas.sign(collection)
    assert token_of(signed_collection.assets["thumbnail"].href)["sig"] == "SECRET-c-1"
    assert "sig" not in collection.assets["thumbnail"].href

    asset = pystac.Item.from_dict(item_dict("a")).assets["image"]
    signed_asset = client.sas.sign(asset)
    assert token_of(signed_asset.href)["sig"] == "SECRET-c-1"  # its item's collection token
    assert service.token_fetches == {"c": 1} and service.sign_fetches == []


def test_sign_inplace_works_as_a_pystac_client_modifier(clock: Clock) -> None:
    """pystac-client calls ``modifier(obj)`` with pystac objects or dict pages and warns unless it returns
    None or the object itself."""
    client = sas_client(SasService(clock))
    modifier = client.sas.sign_inplace
    for obj in (
        pystac.ItemCollection([pystac.Item.from_dict(item_dict("pc"))]),
        pystac.Collection.from_dict(collection_dict()),
        {"type": "FeatureCollection", "features": [item_dict("dict-page")]},
    ):
        result = modifier(obj)
        assert result is None or result is obj
    assert "sig=SECRET" in obj["features"][0]["assets"]["image"]["href"]


def test_refuses_what_it_cannot_sign(clock: Clock) -> None:
    client = sas_client(SasService(clock))
    with pytest.raises(TypeError, match="Cannot sign a int"):
        client.sas.sign(42)
    with pytest.raises(TypeError, match="sign_href"):
        client.sas.sign_inplace(f"{BLOB}/a.tif")
    assert client.sas.sign({"type": "Unknown"}) == {"type": "Unknown"}  # nothing to sign: unchanged


def test_no_token_in_reprs_or_errors(clock: Clock) -> None:
    client = sas_client(SasService(clock))
    client.sas.sign_href(f"{BLOB}/a.tif", "c")
    signer = client.sas.signer
    assert "SECRET" not in repr(signer) and "sig" not in repr(signer)
    assert "SECRET" not in repr(signer._cache._entries)
    with pytest.raises(ResourceNotFoundError) as info:
        client.sas.sign_href(f"{BLOB}/a.tif", "missing")
    assert "SECRET" not in str(info.value)


def test_signer_per_client(clock: Clock) -> None:
    service = SasService(clock)
    first, second = sas_client(service), sas_client(service)
    assert first.sas.signer is first.shared_access_signature.signer
    assert isinstance(first.sas.signer, SasSigner) and first.sas.signer.duration_in_minutes == 60
    assert first.sas.signer is not second.sas.signer
    first.sas.sign_href(f"{BLOB}/a.tif", "c")
    second.sas.sign_href(f"{BLOB}/a.tif", "c")
    assert service.token_fetches == {"c": 2}


# --------------------------------------------------------------------------- async


class SlowAsyncTransport(AsyncFakeTransport):
    """Suspends before answering, so concurrent tasks really overlap."""

    async def send(self, request: HttpRequest, **kwargs: Any) -> Any:  # type: ignore[override]
        await asyncio.sleep(0.02)
        return await super().send(request, **kwargs)


def async_sas_client(service: SasService) -> AsyncClient:
    return AsyncClient(ENDPOINT, AsyncFakeCredential(), transport=SlowAsyncTransport(service), retry_total=0)


async def test_async_two_hundred_tasks_fetch_one_token(clock: Clock) -> None:
    service = SasService(clock)
    async with async_sas_client(service) as client:
        items = [models.StacItem(item_dict(f"a{n}")) for n in range(200)]
        signed = await asyncio.gather(*(client.sas.sign(i) for i in items))
        assert service.token_fetches == {"c": 1}
        assert all(token_of(s.assets["image"].href)["sig"] == "SECRET-c-1" for s in signed)
        assert all("sig" not in i.assets["image"].href for i in items)
        hrefs = await asyncio.gather(*(client.sas.sign_href(f"{BLOB}/loose.tif") for _ in range(200)))
        assert len(service.sign_fetches) == 1 and len(set(hrefs)) == 1


async def test_async_signer_caching_inputs_and_refresh(clock: Clock) -> None:
    service = SasService(clock)
    async with async_sas_client(service) as client:
        assert isinstance(client.sas.signer, AsyncSasSigner)
        doc = item_dict("x")
        assert await client.sas.sign_inplace(doc) is doc
        assert_signed_item(doc)
        page = models.StacItemCollection({"type": "FeatureCollection", "features": [item_dict("y")]})
        copy_page = await client.sas.sign(page)
        assert_signed_item(copy_page.features[0])
        assert "sig" not in page.features[0].assets["image"].href
        pystac_item = pystac.Item.from_dict(item_dict("z"))
        await client.sas.sign_inplace(pystac_item)
        assert token_of(pystac_item.assets["image"].href)["sig"] == "SECRET-c-1"
        assert await client.sas.sign("https://example.com/a.tif") == "https://example.com/a.tif"
        clock.advance(minutes=56)
        assert (await client.sas.sign_href(f"{BLOB}/a.tif", "c")).endswith("sig=SECRET-c-2")
        with pytest.raises(TypeError):
            await client.sas.sign_inplace("not an item")
        with pytest.raises(HttpResponseError):
            await client.sas.sign_href(f"{BLOB}/a.tif", "missing")
        assert "SECRET" not in repr(client.sas.signer)


# --------------------------------------------------------------------------- emulator


def download(href: str) -> bytes:
    with urllib.request.urlopen(href, timeout=10) as response:  # noqa: S310 - loopback test server
        assert response.status == 200
        return bytes(response.read())


def refused(href: str) -> int:
    try:
        download(href)
    except urllib.error.HTTPError as exc:
        return exc.code
    return 200


@pytest.fixture(scope="module")
def signed_collection(
    geocatalog_emulator: Emulator,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Dict[str, Any]]:
    """A collection with two items whose assets the emulator copied into its blob storage."""
    folder = tmp_path_factory.mktemp("assets")
    cid = f"signing-{uuid.uuid4().hex[:8]}"
    files: Dict[str, bytes] = {}
    features = []
    for n in range(2):
        data = f"asset {n} ".encode() * 100
        path = Path(folder) / f"data{n}.bin"
        path.write_bytes(data)
        item_id = f"s{n}"
        files[item_id] = data
        doc = item_dict(item_id, collection=cid)
        doc["assets"] = {"data": {"href": path.as_uri(), "type": "application/octet-stream"}}
        features.append(doc)
    with PlanetaryComputerProClient(geocatalog_emulator.endpoint, StaticTokenCredential(), retry_total=0) as client:
        body = collection_dict(cid)
        del body["assets"], body["item_assets"]
        client.stac.begin_create_collection(body, polling_interval=0).result()
        client.stac.begin_create_item(
            cid, {"type": "FeatureCollection", "features": features}, polling_interval=0
        ).result()
        yield {"collection": cid, "files": files}
        client.stac.begin_delete_collection(cid, polling_interval=0).result()


def test_emulator_signed_hrefs_download(geocatalog_emulator: Emulator, signed_collection: Dict[str, Any]) -> None:  # noqa: F811
    cid, files = signed_collection["collection"], signed_collection["files"]
    with PlanetaryComputerProClient(geocatalog_emulator.endpoint, StaticTokenCredential(), retry_total=0) as client:
        item = client.stac.get_item(cid, "s0")
        href = item.assets["data"].href
        assert "/blobs/" in href and refused(href) == 403
        signed = client.sas.sign(item)
        assert item.assets["data"].href == href  # the original is left unsigned
        assert download(signed.assets["data"].href) == files["s0"]

        page = client.stac.item_search(collections=[cid]).item_collection()
        client.sas.sign_inplace(page)
        assert {f.id: download(f.assets["data"].href) for f in page.features} == files

        assert download(client.sas.sign_href(href)) == files["s0"]  # no collection: the service signs it
        assert client.sas.sign(signed.assets["data"].href) == signed.assets["data"].href  # already signed


async def test_emulator_async_signed_hrefs_download(
    geocatalog_emulator: Emulator,  # noqa: F811
    signed_collection: Dict[str, Any],
) -> None:
    cid, files = signed_collection["collection"], signed_collection["files"]
    async with AsyncClient(geocatalog_emulator.endpoint, AsyncStaticTokenCredential(), retry_total=0) as client:
        items = [i async for i in client.stac.list_items(cid, page_size=1)]
        assert sorted(i.id for i in items) == sorted(files)
        assert all(refused(i.assets["data"].href) == 403 for i in items)
        signed = await asyncio.gather(*(client.sas.sign(i) for i in items))
        downloaded = await asyncio.gather(*(asyncio.to_thread(download, s.assets["data"].href) for s in signed))
        assert dict(zip([s.id for s in signed], downloaded)) == files
        token = await client.sas.signer.get_token(cid)
        assert download(f"{items[0].assets['data'].href}?{token}") == files[items[0].id]
