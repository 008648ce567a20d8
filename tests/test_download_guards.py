"""The download guards against hostile or broken servers, sync and async, on a scripted loopback server:
an overall ``timeout=``, cancelled peers closed at once, a decoded-size cap for gzip bodies, capped
``Retry-After``, resumable partial files, long file names, no live signature on disk, a hint to sign
on 403, and item collections pystac can resolve.

No assertion is about elapsed time: a hung peer is "released" only when the test ends, so a download
that waited for it would not return at all (the test would hit pytest's own limits, not a number here).
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pystac
import pytest
from azure.core.exceptions import ClientAuthenticationError, IncompleteReadError

from azure.planetarycomputer import (
    DecodedSizeError,
    DownloadError,
    DownloadTimeoutError,
    download_item,
    download_item_collection,
)
from azure.planetarycomputer import aio as pc_aio
from azure.planetarycomputer._download_safety import partial_path

from .loopback import AsyncRecordingTransport, RecordingTransport

BODY = bytes(range(256)) * 4096  # 1 MiB
BIG = bytes(range(251)) * 12533  # about 3 MiB: more than two of the downloader's 1 MiB chunks
ETAG = '"v1"'


# -- the scripted server -----------------------------------------------------------------------------


@dataclass
class Script:
    """What the server does per path; what it saw."""

    url: str = ""
    routes: Dict[str, Callable[[BaseHTTPRequestHandler], None]] = field(default_factory=dict)
    seen: List[Tuple[str, Dict[str, str]]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)  # set when the test ends
    closed: threading.Event = field(default_factory=threading.Event)  # a hung peer saw its client go
    started: threading.Event = field(default_factory=threading.Event)  # the slow peer has its request
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, handler: Callable[[BaseHTTPRequestHandler], None]) -> str:
        self.routes[path] = handler
        return self.url + path

    def headers_of(self, path: str) -> List[Dict[str, str]]:
        with self.lock:
            return [headers for target, headers in self.seen if target.split("?")[0] == path]


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, **headers: str) -> None:
    handler.send_response(status)
    headers.setdefault("Content-Length", str(len(body)))
    headers.setdefault("Content-Type", "application/octet-stream")
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(body)


def wait_for_client_close(handler: BaseHTTPRequestHandler, script: Script) -> None:
    """Hold the connection until the client closes it (then say so) or the test ends."""
    connection: socket.socket = handler.connection
    connection.settimeout(0.05)
    while not script.release.is_set():
        try:
            if connection.recv(1) == b"":
                script.closed.set()
                return
        except socket.timeout:
            continue
        except OSError:
            script.closed.set()
            return


@pytest.fixture
def server() -> Iterator[Script]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            with script.lock:
                script.seen.append((self.path, dict(self.headers)))
            route = script.routes.get(self.path.split("?")[0])
            if route is None:
                send(self, 404, b"no such file")
            else:
                route(self)

    class Quiet(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # clients that give up break the pipe: expected here

    httpd = Quiet(("127.0.0.1", 0), Handler)
    script.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield script
    script.release.set()
    httpd.shutdown()
    httpd.server_close()


def item(assets: Dict[str, str], item_id: str = "guarded") -> Dict[str, Any]:
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": item_id,
        "collection": "c",
        "geometry": None,
        "properties": {"datetime": "2024-01-01T00:00:00Z"},
        "links": [],
        "assets": {key: {"href": href} for key, href in assets.items()},
    }


def leftovers(folder: Path) -> List[str]:
    return sorted(p.name for p in folder.rglob(".*"))


# -- handlers ----------------------------------------------------------------------------------------


def trickle(script: Script) -> Callable[[BaseHTTPRequestHandler], None]:
    """Promise a megabyte, then send a byte every 50 ms until the client goes."""

    def handler(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(len(BODY)))
        h.end_headers()
        for byte in BODY:
            if script.release.wait(0.05):
                return
            try:
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
            except OSError:
                script.closed.set()
                return

    return handler


def hang_in_body(script: Script) -> Callable[[BaseHTTPRequestHandler], None]:
    def handler(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(len(BODY)))
        h.end_headers()
        h.wfile.write(BODY[:1000])
        h.wfile.flush()
        script.started.set()
        wait_for_client_close(h, script)

    return handler


def hang_before_headers(script: Script) -> Callable[[BaseHTTPRequestHandler], None]:
    def handler(h: BaseHTTPRequestHandler) -> None:
        script.started.set()
        wait_for_client_close(h, script)

    return handler


def gone_once_started(script: Script) -> Callable[[BaseHTTPRequestHandler], None]:
    """A 404, sent only once the slow peer has its request (so the run is stopped while it hangs)."""

    def handler(h: BaseHTTPRequestHandler) -> None:
        script.started.wait(10)
        send(h, 404, b"no such file")

    return handler


def ranges(partial_first: bool, honour: bool = True) -> Callable[[BaseHTTPRequestHandler], None]:
    """A blob server with an ETag; the first answer stops halfway when ``partial_first``."""
    state = {"first": partial_first}

    def handler(h: BaseHTTPRequestHandler) -> None:
        wanted = h.headers.get("Range")
        if wanted and honour and h.headers.get("If-Range") == ETAG:
            start = int(wanted.split("=")[1].rstrip("-"))
            if start >= len(BIG):
                send(h, 416, b"", Content_Range=f"bytes */{len(BIG)}")
                return
            send(h, 206, BIG[start:], ETag=ETAG, Content_Range=f"bytes {start}-{len(BIG) - 1}/{len(BIG)}")
            return
        if state["first"]:
            state["first"] = False
            h.send_response(200)
            h.send_header("Content-Length", str(len(BIG)))
            h.send_header("ETag", ETAG)
            h.send_header("Accept-Ranges", "bytes")
            h.end_headers()
            h.wfile.write(BIG[: len(BIG) // 2])
            h.wfile.flush()
            h.connection.shutdown(socket.SHUT_RDWR)
            return
        send(h, 200, BIG, ETag=ETAG)

    return handler


# -- timeout and cancellation ------------------------------------------------------------------------


def test_timeout_ends_a_trickling_download(server: Script, tmp_path: Path) -> None:
    href = server.add("/slow.bin", trickle(server))
    with pytest.raises(DownloadError) as caught:
        download_item(item({"slow": href}), tmp_path, timeout=0.5)
    [failure] = caught.value.failures
    assert isinstance(failure.error, DownloadTimeoutError) and "timeout=0.5" in str(caught.value)
    assert server.closed.wait(10)  # the connection was closed, not left to trickle on
    assert not (tmp_path / "slow.bin").exists() and leftovers(tmp_path) == []


async def test_async_timeout_ends_a_trickling_download(server: Script, tmp_path: Path) -> None:
    href = server.add("/slow.bin", trickle(server))
    with pytest.raises(DownloadError) as caught:
        await pc_aio.download_item(item({"slow": href}), tmp_path, timeout=0.5)
    assert isinstance(caught.value.failures[0].error, DownloadTimeoutError)
    assert server.closed.wait(10)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("hang", [hang_in_body, hang_before_headers])
def test_raise_does_not_wait_for_hung_peers(server: Script, tmp_path: Path, hang: Any) -> None:
    assets = {"hung": server.add("/hung.bin", hang(server)), "gone": server.add("/gone.bin", gone_once_started(server))}
    # The hung peer is only released when the test ends: returning at all proves nobody waited.
    with pytest.raises(DownloadError) as caught:
        download_item(item(assets), tmp_path, on_error="raise", max_concurrency=2)
    assert [failure.key for failure in caught.value.failures] == ["gone"]
    assert server.closed.wait(10)  # its connection was closed by the cancelled worker
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("hang", [hang_in_body, hang_before_headers])
async def test_async_raise_does_not_wait_for_hung_peers(server: Script, tmp_path: Path, hang: Any) -> None:
    assets = {"hung": server.add("/hung.bin", hang(server)), "gone": server.add("/gone.bin", gone_once_started(server))}
    with pytest.raises(DownloadError) as caught:
        await pc_aio.download_item(item(assets), tmp_path, on_error="raise", max_concurrency=2)
    assert [failure.key for failure in caught.value.failures] == ["gone"]
    assert server.closed.wait(10)
    assert leftovers(tmp_path) == []


# -- gzip ---------------------------------------------------------------------------------------------


def gzipped(data: bytes) -> Callable[[BaseHTTPRequestHandler], None]:
    packed = gzip.compress(data)
    return lambda h: send(h, 200, packed, Content_Encoding="gzip")


def test_gzip_bodies_decode_within_a_cap(server: Script, tmp_path: Path) -> None:
    small = server.add("/small.json", gzipped(b'{"ok": true}'))
    bomb = server.add("/bomb.json", gzipped(bytes(8 * len(BODY))))  # 8 MiB of zeros in a few KiB
    result = download_item(item({"small": small}), tmp_path / "ok")
    assert (tmp_path / "ok" / result.assets["small"].href).read_bytes() == b'{"ok": true}'
    with pytest.raises(DownloadError) as caught:
        download_item(item({"bomb": bomb}), tmp_path / "bomb", max_decoded_size=len(BODY))
    assert isinstance(caught.value.failures[0].error, DecodedSizeError)
    assert "max_decoded_size" in str(caught.value)
    assert list((tmp_path / "bomb").glob("*.json")) == [] and leftovers(tmp_path / "bomb") == []


async def test_async_gzip_cap(server: Script, tmp_path: Path) -> None:
    bomb = server.add("/bomb.json", gzipped(bytes(8 * len(BODY))))
    with pytest.raises(DownloadError) as caught:
        await pc_aio.download_item(item({"bomb": bomb}), tmp_path, max_decoded_size=len(BODY))
    assert isinstance(caught.value.failures[0].error, DecodedSizeError)
    assert leftovers(tmp_path) == []


# -- Retry-After ---------------------------------------------------------------------------------------


def busy_then_ok(retry_after: str) -> Callable[[BaseHTTPRequestHandler], None]:
    state = {"calls": 0}

    def handler(h: BaseHTTPRequestHandler) -> None:
        state["calls"] += 1
        if state["calls"] == 1:
            send(h, 503, b"busy", Retry_After=retry_after)
        else:
            send(h, 200, b"done")

    return handler


@pytest.mark.parametrize(
    "value, expected",
    [("1000000000", [60.0]), ("abc", []), ("Fri, 31 Dec 9999 23:59:59 GMT", [60.0]), ("-5", [])],
)
def test_retry_after_is_capped_and_bad_values_are_absent(
    server: Script, tmp_path: Path, value: str, expected: List[float]
) -> None:
    href = server.add("/busy.bin", busy_then_ok(value))
    transport = RecordingTransport()
    download_item(item({"a": href}), tmp_path, transport=transport, retry_total=1, retry_backoff_factor=0)
    assert transport.sleeps == expected and (tmp_path / "busy.bin").read_bytes() == b"done"


async def test_async_retry_after_cap_is_configurable(server: Script, tmp_path: Path) -> None:
    href = server.add("/busy.bin", busy_then_ok("1000000000"))
    transport = AsyncRecordingTransport()
    await pc_aio.download_item(
        item({"a": href}), tmp_path, transport=transport, retry_total=1, retry_backoff_factor=0, max_retry_after=2
    )
    assert transport.sleeps == [2.0]


def test_raise_does_not_wait_out_a_retry_after(server: Script, tmp_path: Path) -> None:
    calls: List[str] = []

    def busy(h: BaseHTTPRequestHandler) -> None:
        calls.append(h.path)
        send(h, 503, b"busy", Retry_After="600")
        server.started.set()

    assets = {"busy": server.add("/busy.bin", busy), "gone": server.add("/gone.bin", gone_once_started(server))}
    with pytest.raises(DownloadError) as caught:
        download_item(item(assets), tmp_path, max_concurrency=2, retry_total=1, max_retry_after=600)
    assert [failure.key for failure in caught.value.failures] == ["gone"]
    # The waiting worker was woken and did not retry: a run that waited would have asked twice.
    assert calls == ["/busy.bin"]


def test_no_retry_wait_past_the_deadline(server: Script, tmp_path: Path) -> None:
    href = server.add("/busy.bin", lambda h: send(h, 503, b"busy", Retry_After="600"))
    transport = RecordingTransport()
    with pytest.raises(DownloadError) as caught:
        download_item(item({"a": href}), tmp_path, transport=transport, retry_total=1, timeout=30, max_retry_after=600)
    assert transport.sleeps == []  # a retry that could start only after the deadline is not waited for
    assert getattr(caught.value.failures[0].error, "status_code", None) == 503


# -- partial files: resume, stale leftovers, long names ---------------------------------------------------


def test_an_interrupted_file_resumes_with_a_range_request(server: Script, tmp_path: Path) -> None:
    href = server.add("/big.bin", ranges(partial_first=True))
    with pytest.raises(DownloadError) as caught:
        download_item(item({"big": href}), tmp_path, retry_total=0)
    assert isinstance(caught.value.failures[0].error, IncompleteReadError)
    kept = partial_path(tmp_path / "big.bin").stat().st_size
    assert 0 < kept <= len(BIG) // 2  # kept (whole chunks): the server can send the rest

    download_item(item({"big": href}), tmp_path)
    assert (tmp_path / "big.bin").read_bytes() == BIG
    last = server.headers_of("/big.bin")[-1]
    assert last["Range"] == f"bytes={kept}-" and last["If-Range"] == ETAG
    assert leftovers(tmp_path) == []


async def test_async_resume_and_a_server_without_ranges_starts_over(server: Script, tmp_path: Path) -> None:
    href = server.add("/big.bin", ranges(partial_first=True, honour=False))
    with pytest.raises(DownloadError):
        await pc_aio.download_item(item({"big": href}), tmp_path, retry_total=0)
    assert partial_path(tmp_path / "big.bin").exists()
    await pc_aio.download_item(item({"big": href}), tmp_path)
    assert (tmp_path / "big.bin").read_bytes() == BIG  # the 200 replaced the partial file, not appended
    assert leftovers(tmp_path) == []


def test_a_partial_file_the_server_cannot_continue_is_replaced(server: Script, tmp_path: Path) -> None:
    href = server.add("/big.bin", ranges(partial_first=False))
    partial = partial_path(tmp_path / "big.bin")
    partial.write_bytes(bytes(len(BIG) + 10))  # longer than the file: a range request gets 416
    partial.with_name(partial.name + ".json").write_text(json.dumps({"etag": ETAG}))
    download_item(item({"big": href}), tmp_path)
    assert (tmp_path / "big.bin").read_bytes() == BIG and leftovers(tmp_path) == []
    assert [headers.get("Range") for headers in server.headers_of("/big.bin")] == [f"bytes={len(BIG) + 10}-", None]


def test_stale_partial_files_are_cleaned(server: Script, tmp_path: Path) -> None:
    href = server.add("/a.bin", lambda h: send(h, 200, b"fresh"))
    stale = [tmp_path / ".a.bin.0123456789ab.part", tmp_path / ".a.bin.part"]
    for path in stale:
        path.write_bytes(b"left by a killed process")
    (tmp_path / ".other.bin.0123456789ab.part").write_bytes(b"someone else's")
    download_item(item({"a": href}), tmp_path)
    assert (tmp_path / "a.bin").read_bytes() == b"fresh"
    assert leftovers(tmp_path) == [".other.bin.0123456789ab.part"]


@pytest.mark.parametrize("length", [237, 250, 255])
def test_names_up_to_255_bytes(server: Script, tmp_path: Path, length: int) -> None:
    name = "n" * (length - 4) + ".tif"
    href = server.add(f"/{name}", lambda h: send(h, 200, b"long"))
    result = download_item(item({"a": href}), tmp_path)
    assert result.assets["a"].href == f"./{name}" and (tmp_path / name).read_bytes() == b"long"
    assert len(partial_path(tmp_path / name).name.encode()) <= 255
    assert leftovers(tmp_path) == []


async def test_async_long_name(server: Script, tmp_path: Path) -> None:
    name = "é" * 120 + ".tif"  # 244 bytes in UTF-8
    href = server.add("/" + "%C3%A9" * 120 + ".tif", lambda h: send(h, 200, b"long"))
    await pc_aio.download_item(item({"a": href}), tmp_path)
    assert (tmp_path / name).read_bytes() == b"long"


# -- what is written -------------------------------------------------------------------------------------


def test_no_live_signature_is_written(server: Script, tmp_path: Path) -> None:
    signed = server.add("/a.bin", lambda h: send(h, 200, b"a")) + "?sv=1&sr=c&sig=LIVE"
    doc = item({"a": signed, "b": f"{server.url}/b.bin?versionid=2&sv=1&sig=LIVE"})
    doc["assets"]["a"]["alternate"] = {"mirror": {"href": f"{server.url}/m.bin?sig=LIVE&sv=1"}}
    doc["links"] = [{"rel": "preview", "href": f"{server.url}/p.png?sig=LIVE"}]
    result = download_item(doc, tmp_path, include=["a"], keep_non_downloaded=True)
    written = (tmp_path / "item.json").read_text()
    assert "LIVE" not in written and "LIVE" not in json.dumps(result.as_dict())
    assert result.assets["b"].href == f"{server.url}/b.bin?versionid=2"


def test_403_on_an_unsigned_href_says_to_pass_a_signer(server: Script, tmp_path: Path) -> None:
    href = server.add("/private.bin", lambda h: send(h, 403, b"", x_ms_error_code="AuthenticationFailed"))
    with pytest.raises(DownloadError) as caught:
        download_item(item({"a": href}), tmp_path)
    assert isinstance(caught.value.failures[0].error, ClientAuthenticationError)
    assert "signer=" in str(caught.value)
    with pytest.raises(DownloadError) as signed:
        download_item(item({"a": href + "?sv=1&sig=x"}), tmp_path)
    assert "signer=" not in str(signed.value)  # it was signed: the hint would mislead
    with pytest.raises(DownloadError) as left:
        download_item(item({"a": href}), tmp_path, signer=lambda href, collection_id=None: href)
    assert "the signer left the href unsigned" in str(left.value)


def test_item_collection_json_is_resolvable_by_pystac(server: Script, tmp_path: Path) -> None:
    items = [item({"a": server.add(f"/{n}/a.bin", lambda h: send(h, 200, b"asset"))}, f"i{n}") for n in range(2)]
    download_item_collection(items, tmp_path / "out")
    collection = pystac.ItemCollection.from_file(str(tmp_path / "out" / "item-collection.json"))
    for loaded in collection:
        assert Path(loaded.assets["a"].get_absolute_href() or "").read_bytes() == b"asset"
    one = pystac.Item.from_file(str(tmp_path / "out" / "i0" / "item.json"))
    assert one.assets["a"].href == "./a.bin" and Path(one.assets["a"].get_absolute_href() or "").is_file()


def test_options_are_checked(tmp_path: Path) -> None:
    for keywords in ({"timeout": 0}, {"timeout": "1"}, {"max_decoded_size": -1}, {"max_retry_after": "x"}):
        with pytest.raises(ValueError):
            download_item(item({}), tmp_path, **keywords)
