"""Downloads (``download_item`` & co., sync and async) against the GeoCatalog emulator and a small
loopback HTTP server that scripts the fault cases (404s, wrong Content-Type, slow and cut responses).
"""

from __future__ import annotations

import io
import json
import os
import socket
import sys
import threading
import time
import traceback
import uuid
import warnings
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
from azure.core.exceptions import (
    ClientAuthenticationError,
    IncompleteReadError,
    ResourceNotFoundError,
    ServiceRequestError,
)
from azure.core.pipeline.transport import HttpTransport

from azure.planetarycomputer import (
    ContentTypeError,
    DownloadError,
    DownloadFailed,
    DownloadFinished,
    DownloadProgress,
    DownloadStarted,
    DownloadWarning,
    PlanetaryComputerProClient,
    StaticTokenCredential,
    TqdmProgress,
    download_asset,
    download_collection,
    download_item,
    download_item_collection,
)
from azure.planetarycomputer import aio as pc_aio
from azure.planetarycomputer._download_plan import content_types_match, file_names
from azure.planetarycomputer._download_types import CHUNK_SIZE, FileNameStrategy, redact_href
from azure.planetarycomputer.models import StacCollection, StacItem, StacItemCollection
from geocatalog_emulator.demo import make_demo
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.testing import geocatalog_emulator  # noqa: F401

#: Built at run time, so the source lines that tracebacks quote do not contain it.
SAS_SIGNATURE = "".join(reversed("TERCES"))
SAS = f"?sv=1&sr=c&sig={SAS_SIGNATURE}"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
BIG = bytes(range(256)) * (CHUNK_SIZE * 5 // 2 // 256)  # two and a half chunks


# -- a scripted loopback server ----------------------------------------------------------------------


@dataclass
class Route:
    body: bytes
    content_type: str = "application/octet-stream"
    status: int = 200
    delay: float = 0.0
    cut_first: int = 0  # the first N responses stop after half the body


@dataclass
class FaultServer:
    url: str = ""
    routes: Dict[str, Route] = field(default_factory=dict)
    requests: List[Tuple[str, Dict[str, str]]] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, body: bytes = PNG, **options: Any) -> str:
        self.routes[path] = Route(body, **options)
        return f"{self.url}{path}"

    def paths(self) -> List[str]:
        return [path for path, _ in self.requests]


def _handler(server: FaultServer) -> type:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            with server.lock:
                server.requests.append((self.path, dict(self.headers)))
                server.active += 1
                server.max_active = max(server.max_active, server.active)
            try:
                route = server.routes.get(path)
                time.sleep(route.delay if route else 0)
            finally:
                # Counted as active until the body is sent: a client cannot start its next request
                # before reading this body, so the count never overstates concurrency.
                with server.lock:
                    server.active -= 1
            if route is None:
                self.send_error(404)
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            if route.cut_first > 0:
                route.cut_first -= 1
                self.wfile.write(route.body[: len(route.body) // 2])
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(route.body)

    return Handler


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that give up (cancelled downloads) break the pipe: expected here


@pytest.fixture(scope="module")
def _http() -> Iterator[FaultServer]:
    state = FaultServer()
    httpd = QuietServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def http(_http: FaultServer) -> FaultServer:
    """The loopback server, with routes and counters reset (once the last test's requests are over)."""
    deadline = time.monotonic() + 3
    while _http.active and time.monotonic() < deadline:
        time.sleep(0.02)
    _http.routes.clear()
    _http.requests.clear()
    _http.max_active = 0
    return _http


def item_with(assets: Dict[str, Dict[str, Any]], item_id: str = "fault-item") -> Dict[str, Any]:
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": item_id,
        "collection": "faults",
        "geometry": {"type": "Point", "coordinates": [0, 0]},
        "bbox": [0, 0, 0, 0],
        "properties": {"datetime": "2024-01-01T00:00:00Z"},
        "links": [{"rel": "self", "href": "https://example.com/items/fault-item"}],
        "assets": assets,
    }


def leftovers(folder: Path) -> List[str]:
    """Temporary files left in a folder (there must never be any)."""
    return sorted(p.name for p in folder.rglob("*.part"))


# -- the emulator with the demo items ----------------------------------------------------------------


@dataclass
class Demo:
    collection_id: str
    items: List[StacItem]
    files: Dict[Tuple[str, str], bytes]  # (item id, asset key) -> the demo file's bytes


@pytest.fixture(scope="module")
def client(geocatalog_emulator: Emulator) -> Iterator[PlanetaryComputerProClient]:  # noqa: F811
    with PlanetaryComputerProClient(
        geocatalog_emulator.endpoint, StaticTokenCredential(), retry_total=0, polling_interval=0.02
    ) as client:
        yield client


@pytest.fixture(scope="module")
def demo(client: PlanetaryComputerProClient, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    folder = Path(make_demo(tmp_path_factory.mktemp("demo"))).parent / "naip-atl-demo"
    cid = f"download-{uuid.uuid4().hex[:8]}"
    collection = json.loads((folder / "collection.json").read_text())
    collection.update(id=cid, links=[])
    client.stac.begin_create_collection(collection).result()
    files = {}
    for path in sorted(folder.glob("*/*.json")):
        item = json.loads(path.read_text())
        for key, asset in item["assets"].items():
            local = (path.parent / asset["href"]).resolve()
            files[(item["id"], key)] = local.read_bytes()
            asset["href"] = local.as_uri()
        item.update(links=[], collection=cid)
        client.stac.begin_create_item(cid, item).result()
    items = sorted(client.stac.get_item_collection(cid).features, key=lambda item: item.id)
    assert len(items) == 3
    return Demo(cid, items, files)


class TokenSigner:
    """A signer built on ``sas.get_token``: records what it was asked to sign."""

    def __init__(self, client: PlanetaryComputerProClient) -> None:
        self.client = client
        self.calls: List[Tuple[str, Optional[str]]] = []

    def sign_href(self, href: str, collection_id: Optional[str] = None) -> str:
        self.calls.append((href, collection_id))
        assert collection_id is not None
        return f"{href}?{self.client.sas.get_token(collection_id).token}"


# -- emulator downloads ------------------------------------------------------------------------------


def test_item_signed_through_our_client(demo: Demo, client: PlanetaryComputerProClient, tmp_path: Path) -> None:
    item = demo.items[0]
    result = download_item(item, tmp_path / "out", signer=client, check_content_type=True)

    assert isinstance(result, StacItem)
    assert {key: asset.href for key, asset in result.assets.items()} == {
        "image": "./image.tif",
        "thumbnail": "./thumbnail.png",
        **{band: f"./{band}.tif" for band in ("red", "green", "blue", "nir")},
    }
    for key in result.assets:
        name = Path(result.assets[key].href).name
        assert (tmp_path / "out" / name).read_bytes() == demo.files[(item.id, key)]
    written = json.loads((tmp_path / "out" / "item.json").read_text())
    assert written == result.as_dict()
    assert all(link["rel"] != "self" for link in written["links"])  # the API's self link no longer applies
    assert written["properties"] == item.as_dict()["properties"]  # everything else as it was
    assert item.assets["image"].href.startswith("http")  # the input is not modified


def test_unsigned_blob_is_refused_and_nothing_is_left(demo: Demo, tmp_path: Path) -> None:
    with pytest.raises(DownloadError) as caught:
        download_item(demo.items[0], tmp_path, include=["image"])
    [failure] = caught.value.failures
    assert failure.key == "image" and failure.item_id == demo.items[0].id
    assert isinstance(failure.error, ClientAuthenticationError) and failure.error.status_code == 403
    assert "AuthenticationFailed" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no file, no temp file, no item.json


def test_custom_signer_gets_the_collection_and_presigned_hrefs_are_kept(
    demo: Demo, client: PlanetaryComputerProClient, tmp_path: Path
) -> None:
    item = demo.items[1]
    signer = TokenSigner(client)
    download_item(item, tmp_path / "a", signer=signer, include="thumbnail")
    assert signer.calls == [(item.assets["thumbnail"].href, demo.collection_id)]

    presigned = client.stac.get_item(demo.collection_id, item.id, sign="true")

    def never(href: str, collection_id: Optional[str] = None) -> str:
        raise AssertionError("a signed href was signed again")

    result = download_item(presigned, tmp_path / "b", signer=never, include=["thumbnail"])
    assert (tmp_path / "b" / "thumbnail.png").read_bytes() == demo.files[(item.id, "thumbnail")]
    assert "sig=" not in json.dumps(result.as_dict())  # the SAS is not written into item.json


def test_the_bearer_token_never_reaches_storage(
    client: PlanetaryComputerProClient, http: FaultServer, tmp_path: Path
) -> None:
    href = http.add("/storage/a.png")
    download_item(item_with({"a": {"href": href}}), tmp_path, signer=client)
    [(_, headers)] = http.requests
    assert "Authorization" not in headers
    assert "azsdk-python-planetarycomputer" in headers["User-Agent"]


def test_item_collection_from_a_search_page(demo: Demo, client: PlanetaryComputerProClient, tmp_path: Path) -> None:
    page = client.stac.get_item_collection(demo.collection_id)
    result = download_item_collection(page, tmp_path, signer=client, include=["thumbnail"], max_concurrency=2)

    assert isinstance(result, StacItemCollection)
    ids = sorted(item.id for item in demo.items)
    assert sorted(feature.id for feature in result.features) == ids
    listing = json.loads((tmp_path / "item-collection.json").read_text())
    assert listing["type"] == "FeatureCollection"
    for feature in listing["features"]:
        assert feature["assets"] == {  # absolute: pystac cannot resolve relative hrefs of an ItemCollection
            "thumbnail": {**feature["assets"]["thumbnail"], "href": str(tmp_path / feature["id"] / "thumbnail.png")}
        }
        own = json.loads((tmp_path / feature["id"] / "item.json").read_text())
        assert own["assets"]["thumbnail"]["href"] == "./thumbnail.png"
        assert (tmp_path / feature["id"] / "thumbnail.png").read_bytes() == demo.files[(feature["id"], "thumbnail")]


def test_item_collection_rejects_items_sharing_a_folder(http: FaultServer, tmp_path: Path) -> None:
    twins = [item_with({"a": {"href": http.add("/a.png")}}, "same")] * 2
    with pytest.raises(ValueError, match="share the folder"):
        download_item_collection(twins, tmp_path)
    result = download_item_collection(
        [item_with({}, "x"), {**item_with({}, "x"), "collection": "other"}],
        tmp_path,
        item_directory="{collection}/{id}",
    )
    assert len(result.features) == 2 and (tmp_path / "other" / "x" / "item.json").is_file()


# -- choosing assets and naming files -----------------------------------------------------------------


def test_include_exclude_and_keep_non_downloaded(http: FaultServer, tmp_path: Path) -> None:
    assets = {key: {"href": http.add(f"/{key}.png")} for key in ("a", "b", "c")}
    result = download_item(item_with(assets), tmp_path / "inc", include=["a", "b"], exclude=["b"])
    assert list(result.assets) == ["a"] and http.paths() == ["/a.png"]

    result = download_item(item_with(assets), tmp_path / "keep", include=["a"], keep_non_downloaded=True)
    assert result.assets["a"].href == "./a.png"
    assert result.assets["b"].href == assets["b"]["href"]  # not downloaded: still remote


def test_alternate_assets_are_preferred_with_fallback(http: FaultServer, tmp_path: Path) -> None:
    assets = {
        "mirrored": {
            "href": http.add("/primary/m.png", status=404),
            "alternate": {"local": {"href": http.add("/mirror/m.png")}},
        },
        "plain": {"href": http.add("/primary/p.png"), "alternate": {"other": {"href": "s3://bucket/p.png"}}},
    }
    result = download_item(item_with(assets), tmp_path, alternate_assets=["missing", "local"])
    assert sorted(http.paths()) == ["/mirror/m.png", "/primary/p.png"]
    assert result.assets["mirrored"].href == "./m.png"
    assert result.assets["mirrored"]["alternate"]["local"]["href"].endswith("/mirror/m.png")


def test_file_name_strategies_and_collisions(http: FaultServer, tmp_path: Path) -> None:
    assets = {
        "visual": {"href": http.add("/x/data.tif") + "?format=tif", "type": "image/tiff"},
        "analytic": {"href": http.add("/y/data.tif", body=b"other"), "type": "image/tiff"},
        "thumb": {"href": http.add("/blob/abc123"), "type": "image/png"},
        "meta": {"href": http.add("/m/item.json", body=b"{}")},
    }
    result = download_item(item_with(assets), tmp_path / "names")
    assert {k: a.href for k, a in result.assets.items()} == {
        "visual": "./visual_data.tif",
        "analytic": "./analytic_data.tif",
        "thumb": "./abc123",
        "meta": "./meta_item.json",  # the item JSON keeps its name
    }
    assert (tmp_path / "names" / "analytic_data.tif").read_bytes() == b"other"

    result = download_item(item_with(assets), tmp_path / "keys", file_name_strategy="key")
    assert {k: a.href for k, a in result.assets.items()} == {
        "visual": "./visual.tif",
        "analytic": "./analytic.tif",
        "thumb": "./thumb.png",  # extension from the media type
        "meta": "./meta.json",
    }


def test_file_names_are_deterministic_and_safe() -> None:
    names = file_names(
        [("a", "https://h/1/x.tif", None), ("b", "https://h/2/X.TIF", None), ("a_x.tif", "https://h/a_x.tif", None)],
        FileNameStrategy.FILE_NAME,
    )
    assert names == {"a": "a_x.tif", "b": "b_X.TIF", "a_x.tif": "a_x-2.tif"}
    assert file_names([("k", "https://h/%2E%2E", None)], FileNameStrategy.FILE_NAME) == {"k": "k"}
    assert file_names([("k", "https://h/a%2Fb.tif", None)], FileNameStrategy.FILE_NAME) == {"k": "a_b.tif"}
    assert file_names([("k/../x", "https://h/f.tar.gz", None)], FileNameStrategy.KEY) == {"k/../x": "k_.._x.tar.gz"}


def test_make_directory(http: FaultServer, tmp_path: Path) -> None:
    item = item_with({"a": {"href": http.add("/a.png")}})
    with pytest.raises(FileNotFoundError, match="does not exist"):
        download_item(item, tmp_path / "missing", make_directory=False)
    download_item(item, tmp_path / "made" / "deep")
    assert (tmp_path / "made" / "deep" / "a.png").read_bytes() == PNG


def test_local_files_are_copied_when_allowed(tmp_path: Path) -> None:
    pystac = pytest.importorskip("pystac")
    source = tmp_path / "src"
    source.mkdir()
    (source / "image.tif").write_bytes(BIG)
    (source / "thumb.png").write_bytes(PNG)
    item = item_with({"image": {"href": "./image.tif"}, "thumb": {"href": (source / "thumb.png").as_uri()}})
    item["links"] = [{"rel": "self", "href": str(source / "item.json")}]
    (source / "item.json").write_text(json.dumps(item))

    local = pystac.Item.from_file(str(source / "item.json"))
    with pytest.raises(DownloadError):  # local files only on request: the item might come from anywhere
        download_item(local, tmp_path / "refused")
    result = download_item(local, tmp_path / "a", allow_local_hrefs=True)
    assert (tmp_path / "a" / "image.tif").read_bytes() == BIG
    assert (tmp_path / "a" / "thumb.png").read_bytes() == PNG
    assert isinstance(result, StacItem)

    # a dict: relative hrefs resolve against its self link
    download_item(item, tmp_path / "b", absolute_hrefs=True, allow_local_hrefs=True)
    stored = json.loads((tmp_path / "b" / "item.json").read_text())
    assert stored["assets"]["image"]["href"] == str(tmp_path / "b" / "image.tif")

    # read from a file named by the caller: its own local hrefs are copied without asking
    download_item(source / "item.json", tmp_path / "c")
    assert (tmp_path / "c" / "image.tif").read_bytes() == BIG


# -- overwrite, errors and content types ---------------------------------------------------------------


def test_overwrite(http: FaultServer, tmp_path: Path) -> None:
    item = item_with({"a": {"href": http.add("/a.png", body=b"new")}})
    existing = tmp_path / "a.png"
    existing.write_bytes(b"old")
    os.utime(existing, (1_000_000, 1_000_000))
    events: List[Any] = []

    result = download_item(item, tmp_path, progress=events.append)
    assert existing.read_bytes() == b"old" and existing.stat().st_mtime == 1_000_000
    assert result.assets["a"].href == "./a.png" and http.requests == []
    assert events == [DownloadFinished("fault-item", "a", http.url + "/a.png", existing, 3, skipped=True)]

    download_item(item, tmp_path, overwrite=True)
    assert existing.read_bytes() == b"new"


def test_error_strategies_with_warnings(http: FaultServer, tmp_path: Path) -> None:
    assets = {"good": {"href": http.add("/good.png")}, "gone": {"href": http.add("/gone.png", status=404)}}
    with pytest.warns(DownloadWarning, match="'gone'.*ResourceNotFoundError"):
        dropped = download_item(item_with(assets), tmp_path / "d", on_error="warn")
    assert list(dropped.assets) == ["good"]
    assert list(json.loads((tmp_path / "d" / "item.json").read_text())["assets"]) == ["good"]

    with pytest.warns(DownloadWarning):
        kept = download_item(item_with(assets), tmp_path / "k", on_error="warn", error_strategy="keep")
    assert kept.assets["gone"].href == assets["gone"]["href"] and kept.assets["good"].href == "./good.png"


def test_collect_reports_every_failure(http: FaultServer, tmp_path: Path) -> None:
    assets = {
        "good": {"href": http.add("/good.png"), "type": "image/png"},
        "gone": {"href": http.add("/gone.png", status=404) + "?sv=1&sig=SECRET", "type": "image/png"},
        "html": {"href": http.add("/login.png", content_type="text/html; charset=utf-8"), "type": "image/png"},
    }
    with pytest.raises(DownloadError) as caught:
        download_item(item_with(assets), tmp_path, on_error="collect", check_content_type=True)
    error = caught.value
    assert [(f.key, type(f.error)) for f in error.failures] == [
        ("gone", ResourceNotFoundError),
        ("html", ContentTypeError),
    ]
    assert error.failures[0].href == http.url + "/gone.png"  # the SAS query is gone
    assert "SECRET" not in str(error) and "2 downloads failed" in str(error)
    assert list(error.result.assets) == ["good"]  # what was returned had these been warnings
    assert json.loads((tmp_path / "item.json").read_text())["assets"]["good"]["href"] == "./good.png"
    assert not (tmp_path / "login.png").exists() and leftovers(tmp_path) == []


def test_raise_stops_at_the_first_failure(http: FaultServer, tmp_path: Path) -> None:
    assets = {"gone": {"href": http.add("/gone.png", status=404)}}
    assets.update({f"slow{i}": {"href": http.add(f"/slow{i}.png", body=BIG, delay=0.3)} for i in range(1, 5)})
    with pytest.raises(DownloadError) as caught:
        download_item(item_with(assets), tmp_path, max_concurrency=2)
    assert [f.key for f in caught.value.failures] == ["gone"]
    assert isinstance(caught.value.__cause__, ResourceNotFoundError)
    assert "/slow3.png" not in http.paths() and "/slow4.png" not in http.paths()  # never started
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no partial files, no item.json


@pytest.mark.parametrize(
    "actual, expected, ok",
    [
        ("image/tiff", "image/tiff; application=geotiff; profile=cloud-optimized", True),
        ("image/tiff; application=geotiff", "image/tiff; application=geotiff", True),
        ("application/octet-stream", "image/png", True),
        ("application/json; charset=utf-8", "application/geo+json", True),
        (None, "image/png", True),
        ("text/html", "image/png", False),
        ("image/jpeg", "image/png", False),
    ],
)
def test_content_types_match(actual: Optional[str], expected: str, ok: bool) -> None:
    assert content_types_match(actual, expected) is ok


# -- progress and concurrency ------------------------------------------------------------------------


def test_progress_events(http: FaultServer, tmp_path: Path) -> None:
    assets = {"big": {"href": http.add("/big.bin", body=BIG)}, "gone": {"href": http.add("/gone.bin", status=404)}}
    events: List[Any] = []
    with pytest.warns(DownloadWarning):
        download_item(item_with(assets), tmp_path, progress=events.append, on_error="warn")

    big = [event for event in events if event.key == "big"]
    assert big[0] == DownloadStarted("fault-item", "big", http.url + "/big.bin", tmp_path / "big.bin", len(BIG))
    steps = big[1:-1]
    assert len(steps) >= 2 and all(isinstance(e, DownloadProgress) and e.total == len(BIG) for e in steps)
    counts = [e.downloaded for e in steps]
    assert counts == sorted(set(counts)) and counts[-1] == len(BIG)
    assert big[-1] == DownloadFinished("fault-item", "big", http.url + "/big.bin", tmp_path / "big.bin", len(BIG))
    [failed] = [event for event in events if event.key == "gone"]
    assert isinstance(failed, DownloadFailed) and isinstance(failed.error, ResourceNotFoundError)


def test_tqdm_bars(
    http: FaultServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("tqdm")
    item = item_with({"big": {"href": http.add("/big.bin", body=BIG)}})
    output = io.StringIO()
    download_item(item, tmp_path / "a", progress=TqdmProgress(file=output))
    assert "fault-item/big" in output.getvalue() and "100%" in output.getvalue()

    download_item(item, tmp_path / "b", progress=True)
    assert "100%" in capsys.readouterr().err

    monkeypatch.setitem(sys.modules, "tqdm", None)
    with pytest.raises(ImportError, match=r"azure-planetarycomputer\[progress\]"):
        download_item(item, tmp_path / "c", progress=True)
    assert not (tmp_path / "c").exists()  # refused before anything happened


def test_concurrency_is_bounded(http: FaultServer, tmp_path: Path) -> None:
    assets = {f"a{i}": {"href": http.add(f"/a{i}.png", delay=0.15)} for i in range(6)}
    download_item(item_with(assets), tmp_path, max_concurrency=2)
    assert http.max_active == 2 and len(http.requests) == 6


def test_a_cut_download_leaves_nothing_and_a_rerun_completes(http: FaultServer, tmp_path: Path) -> None:
    item = item_with(
        {"big": {"href": http.add("/big.bin", body=BIG, cut_first=1)}, "small": {"href": http.add("/s.png")}}
    )
    with pytest.raises(DownloadError) as caught:
        download_item(item, tmp_path, max_concurrency=1)
    assert isinstance(caught.value.failures[0].error, IncompleteReadError)
    assert not (tmp_path / "big.bin").exists() and leftovers(tmp_path) == []

    result = download_item(item, tmp_path)
    assert (tmp_path / "big.bin").read_bytes() == BIG and set(result.assets) == {"big", "small"}


# -- collections, single assets, secrets --------------------------------------------------------------


def test_collection_assets(http: FaultServer, tmp_path: Path) -> None:
    (tmp_path / "license.txt").write_text("CC-BY-4.0")
    collection = {
        "type": "Collection",
        "id": "coll",
        "stac_version": "1.0.0",
        "description": "d",
        "license": "CC-BY-4.0",
        "extent": {"spatial": {"bbox": [[0, 0, 1, 1]]}, "temporal": {"interval": [[None, None]]}},
        "links": [],
        "assets": {
            "thumbnail": {"href": http.add("/coll/thumb.png"), "type": "image/png"},
            "license": {"href": (tmp_path / "license.txt").as_uri()},
        },
    }
    signed: List[Optional[str]] = []

    def signer(href: str, collection_id: Optional[str] = None) -> str:
        signed.append(collection_id)
        return href

    result = download_collection(collection, tmp_path / "out", signer=signer, allow_local_hrefs=True)
    assert isinstance(result, StacCollection) and signed == ["coll"]  # local files are not signed
    stored = json.loads((tmp_path / "out" / "collection.json").read_text())
    assert {k: a["href"] for k, a in stored["assets"].items()} == {
        "thumbnail": "./thumb.png",
        "license": "./license.txt",
    }
    assert (tmp_path / "out" / "license.txt").read_text() == "CC-BY-4.0"


def test_download_asset(http: FaultServer, tmp_path: Path) -> None:
    href = http.add("/one/thing.png")
    assert download_asset(href, tmp_path / "x.png") == tmp_path / "x.png"
    assert download_asset(href + "?v=1", tmp_path) == tmp_path / "thing.png"  # into a folder
    with pytest.raises(DownloadError) as caught:
        download_asset(
            http.add("/one/page.png", content_type="text/html"), tmp_path / "p.png", content_type="image/png"
        )
    assert isinstance(caught.value.__cause__, ContentTypeError) and not (tmp_path / "p.png").exists()


class Unreachable(HttpTransport):  # type: ignore[type-arg]
    """A transport that fails like urllib3 does when it quotes the URL (query and all)."""

    def __enter__(self) -> "Unreachable":
        return self

    def __exit__(self, *args: Any) -> None:
        pass

    def open(self) -> None:
        pass

    closed = False

    def close(self) -> None:
        self.closed = True

    def send(self, request: Any, **kwargs: Any) -> Any:
        raise ServiceRequestError(f"Max retries exceeded with url: {request.url}")


def test_secrets_stay_out_of_messages(tmp_path: Path) -> None:
    href = "https://account.blob.core.windows.net/container/a.tif"
    transport = Unreachable()
    with pytest.raises(DownloadError) as caught:
        download_item(
            item_with({"a": {"href": href}}),
            tmp_path,
            signer=lambda h, collection_id=None: h + SAS,
            transport=transport,
            retry_total=0,
        )
    text = "".join(traceback.format_exception(type(caught.value), caught.value, caught.value.__traceback__))
    assert SAS_SIGNATURE not in text and "sig=REDACTED" in text  # the cause's message was scrubbed too
    assert caught.value.failures[0].href == href
    assert not transport.closed  # the caller's transport is left open for reuse

    with socket.socket() as probe:  # a port nothing listens on: a real transport error
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DownloadError) as caught:
        download_asset(f"http://127.0.0.1:{port}/a.tif{SAS}", tmp_path / "a.tif", retry_total=0)
    text = "".join(traceback.format_exception(type(caught.value), caught.value, caught.value.__traceback__))
    assert SAS_SIGNATURE not in text and f"(http://127.0.0.1:{port}/a.tif)" in str(caught.value)

    assert redact_href(f"https://a.blob.core.windows.net/c/x.tif{SAS}") == "https://a.blob.core.windows.net/c/x.tif"
    assert redact_href("https://h/x.tif?format=png") == "https://h/x.tif?format=png"


def test_option_errors(tmp_path: Path) -> None:
    item = item_with({})
    with pytest.raises(ValueError, match="on_error must be one of 'raise', 'collect', 'warn'"):
        download_item(item, tmp_path, on_error="ignore")
    with pytest.raises(ValueError, match="max_concurrency"):
        download_item(item, tmp_path, max_concurrency=0)
    with pytest.raises(TypeError, match="signer must be"):
        download_item(item, tmp_path, signer=42)
    with pytest.raises(TypeError, match="item must be"):
        download_item(42, tmp_path)
    unsupported = item_with({"s3": {"href": "s3://bucket/key.tif"}})
    with pytest.raises(DownloadError, match="cannot download 's3' hrefs"):
        download_item(unsupported, tmp_path)


# -- async twins ---------------------------------------------------------------------------------------


@pytest.fixture
async def aclient(geocatalog_emulator: Emulator) -> Any:  # noqa: F811
    async with pc_aio.PlanetaryComputerProClient(
        geocatalog_emulator.endpoint, pc_aio.AsyncStaticTokenCredential(), retry_total=0
    ) as client:
        yield client


async def test_async_item_and_collection_signed_by_our_client(demo: Demo, aclient: Any, tmp_path: Path) -> None:
    item = demo.items[2]
    result = await pc_aio.download_item(item, tmp_path / "item", signer=aclient, check_content_type=True)
    assert isinstance(result, StacItem) and result.assets["image"].href == "./image.tif"
    assert (tmp_path / "item" / "image.tif").read_bytes() == demo.files[(item.id, "image")]

    events: List[Any] = []

    async def record(event: Any) -> None:  # an async callback is awaited
        events.append(event)

    async def pager() -> Any:  # an async iterable, as async search results are
        for it in demo.items:
            yield it

    listing = await pc_aio.download_item_collection(
        pager(), tmp_path / "all", signer=aclient.sas.signer, include=["thumbnail"], progress=record
    )
    assert len(listing.features) == 3
    assert sum(isinstance(e, DownloadFinished) for e in events) == 3
    for it in demo.items:
        assert (tmp_path / "all" / it.id / "thumbnail.png").read_bytes() == demo.files[(it.id, "thumbnail")]


async def test_async_unsigned_blob_is_refused(demo: Demo, tmp_path: Path) -> None:
    with pytest.raises(DownloadError) as caught:
        await pc_aio.download_item(demo.items[0], tmp_path, include=["thumbnail"])
    assert caught.value.failures[0].error.status_code == 403  # type: ignore[attr-defined]
    assert list(tmp_path.iterdir()) == []


async def test_async_collect_warn_and_progress(http: FaultServer, tmp_path: Path) -> None:
    assets = {
        "big": {"href": http.add("/big.bin", body=BIG), "type": "application/octet-stream"},
        "gone": {"href": http.add("/gone.png", status=404)},
        "html": {"href": http.add("/h.png", content_type="text/html"), "type": "image/png"},
    }
    events: List[Any] = []
    with pytest.raises(DownloadError) as caught:
        await pc_aio.download_item(
            item_with(assets), tmp_path / "c", on_error="collect", check_content_type=True, progress=events.append
        )
    assert sorted(f.key for f in caught.value.failures) == ["gone", "html"]
    big = [e for e in events if e.key == "big"]
    assert isinstance(big[0], DownloadStarted) and big[0].total == len(BIG)
    assert big[-2].downloaded == len(BIG) and isinstance(big[-1], DownloadFinished)

    with warnings.catch_warnings(record=True) as caught_warnings:
        warnings.simplefilter("always")
        result = await pc_aio.download_item(item_with(assets), tmp_path / "w", on_error="warn", error_strategy="keep")
    assert len([w for w in caught_warnings if issubclass(w.category, DownloadWarning)]) == 1  # gone (no type check)
    assert result.assets["gone"].href == assets["gone"]["href"] and result.assets["html"].href == "./h.png"


async def test_async_raise_cancels_the_rest(http: FaultServer, tmp_path: Path) -> None:
    assets = {"gone": {"href": http.add("/gone.png", status=404)}}
    assets.update({f"slow{i}": {"href": http.add(f"/slow{i}.png", body=BIG, delay=1.0)} for i in range(3)})
    events: List[Any] = []
    with pytest.raises(DownloadError):
        await pc_aio.download_item(item_with(assets), tmp_path, max_concurrency=2, progress=events.append)
    # The slow downloads were cancelled, not awaited: none finished, nothing was written.
    assert not [e for e in events if isinstance(e, pc_aio.DownloadFinished)]
    assert sorted(p.name for p in tmp_path.iterdir()) == []


async def test_async_concurrency_and_cut_download(http: FaultServer, tmp_path: Path) -> None:
    assets = {f"a{i}": {"href": http.add(f"/a{i}.png", delay=0.15)} for i in range(6)}
    await pc_aio.download_item(item_with(assets), tmp_path / "bounded", max_concurrency=3)
    assert http.max_active == 3

    item = item_with({"big": {"href": http.add("/big.bin", body=BIG, cut_first=1)}})
    with pytest.raises(DownloadError) as caught:
        await pc_aio.download_item(item, tmp_path / "cut")
    assert isinstance(caught.value.failures[0].error, IncompleteReadError)
    assert not (tmp_path / "cut" / "big.bin").exists() and leftovers(tmp_path / "cut") == []
    await pc_aio.download_item(item, tmp_path / "cut")
    assert (tmp_path / "cut" / "big.bin").read_bytes() == BIG


async def test_async_collection_and_asset(http: FaultServer, tmp_path: Path) -> None:
    collection = {
        "type": "Collection",
        "id": "coll",
        "links": [],
        "assets": {"thumbnail": {"href": http.add("/c/thumb.png")}},
    }
    result = await pc_aio.download_collection(collection, tmp_path, file_name_strategy="key")
    assert result.assets["thumbnail"].href == "./thumbnail.png"
    assert json.loads((tmp_path / "collection.json").read_text())["assets"]["thumbnail"]["href"] == "./thumbnail.png"

    async def sign(href: str, collection_id: Optional[str] = None) -> str:
        return href + "?v=2"

    path = await pc_aio.download_asset(http.add("/c/x.png"), tmp_path / "sub" / "x.png", signer=sign)
    assert path.read_bytes() == PNG and http.requests[-1][0] == "/c/x.png?v=2"
