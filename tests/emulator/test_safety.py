"""The emulator is safe to run on a developer's machine: it reads local files only in folders it
was allowed, internal hosts only when allowed, confines a SAS token to its container, keeps asset
files in their item's folder, bounds requests and connections, and answers bad input with 4xx.

Each test starts an emulator of its own (settings differ), on loopback.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Tuple
from urllib.parse import urlsplit

import pytest
import requests

from geocatalog_emulator import API_VERSION
from geocatalog_emulator.demo import make_demo
from geocatalog_emulator.server import Emulator
from geocatalog_emulator.source_policy import Refused, SourcePolicy

AUTH = {"Authorization": "Bearer test"}
DONE = ("Succeeded", "Failed", "Canceled")


# -- helpers ---------------------------------------------------------------------------------------


def call(emulator: Emulator, method: str, path: str, **kwargs: Any) -> requests.Response:
    params = {"api-version": API_VERSION, **kwargs.pop("params", {})}
    return requests.request(method, emulator.endpoint + path, params=params, headers=AUTH, timeout=10, **kwargs)


def wait(emulator: Emulator, response: requests.Response) -> Dict[str, Any]:
    assert response.status_code == 202, response.text
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        op = requests.get(response.headers["Operation-Location"], headers=AUTH, timeout=10).json()
        if op["status"] in DONE:
            return op
        time.sleep(0.02)
    raise AssertionError("the operation did not finish")


def error_code(op: Dict[str, Any]) -> Optional[str]:
    """A failed operation's code (flat ``error.code`` or nested ``error.error.code``)."""
    error = op.get("error") or {}
    return error.get("code") or (error.get("error") or {}).get("code")


def collection(emulator: Emulator, collection_id: str) -> str:
    body = {
        "id": collection_id,
        "type": "Collection",
        "stac_version": "1.0.0",
        "description": "safety",
        "license": "proprietary",
        "links": [],
        "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]]}, "temporal": {"interval": [[None, None]]}},
    }
    assert wait(emulator, call(emulator, "POST", "/stac/collections", json=body))["status"] == "Succeeded"
    return collection_id


def item(item_id: str, **assets: str) -> Dict[str, Any]:
    return {
        "type": "Feature",
        "stac_version": "1.0.0",
        "id": item_id,
        "geometry": {"type": "Point", "coordinates": [0, 0]},
        "bbox": [0, 0, 0, 0],
        "properties": {"datetime": "2020-01-01T00:00:00Z"},
        "assets": {key: {"href": href, "roles": ["data"]} for key, href in assets.items()},
        "links": [],
    }


def add_item(emulator: Emulator, collection_id: str, body: Dict[str, Any]) -> Dict[str, Any]:
    return wait(emulator, call(emulator, "POST", f"/stac/collections/{collection_id}/items", json=body))


def port(emulator: Emulator) -> int:
    return emulator.address[1]


def raw_get(emulator: Emulator, target: str, headers: Optional[Dict[str, str]] = None) -> Tuple[int, bytes]:
    """A GET with the request target sent exactly as written (no dot-segment normalization)."""
    connection = http.client.HTTPConnection(*emulator.address, timeout=10)
    try:
        connection.putrequest("GET", target, skip_host="Host" in (headers or {}), skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[Emulator]:
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    with Emulator(tmp_path / "data", operation_delay=0.01, allow_files=[allowed]) as running:
        yield running


@pytest.fixture
def loopback_site(tmp_path: Path) -> Iterator[Tuple[str, Path]]:
    """(base URL, folder) of a static file server on 127.0.0.1."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "data.tif").write_bytes(b"internal")
    handler = type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", folder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# -- local files -----------------------------------------------------------------------------------


def test_asset_hrefs_read_only_allowed_folders(emulator: Emulator, tmp_path: Path) -> None:
    cid = collection(emulator, "files")
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"private")
    allowed = tmp_path / "allowed"
    (allowed / "data.tif").write_bytes(b"public")
    (allowed / "link.tif").symlink_to(secret)

    escapes = (
        "file:///etc/passwd",
        secret.as_uri(),
        (allowed / "link.tif").as_uri(),
        f"file://{allowed}/../secret.txt",
    )
    for href in escapes:
        op = add_item(emulator, cid, item("leak", data=href))
        assert op["status"] == "Failed" and error_code(op) == "IngestionResourceForbidden", href
        assert call(emulator, "GET", f"/stac/collections/{cid}/items/leak").status_code == 404
    op = add_item(emulator, cid, item("leak", data=str(secret)))  # a bare path is not an asset href
    assert op["status"] == "Failed" and error_code(op) == "InvalidItem"
    assert not (emulator.data_dir / "blobs" / cid / "leak").exists()

    assert add_item(emulator, cid, item("fine", data=(allowed / "data.tif").as_uri()))["status"] == "Succeeded"
    assert (emulator.data_dir / "blobs" / cid / "fine" / "data.tif").read_bytes() == b"public"


def test_ingestion_sources_read_only_allowed_folders_and_public_hosts(
    emulator: Emulator, tmp_path: Path, loopback_site: Tuple[str, Path]
) -> None:
    cid = collection(emulator, "crawl")
    outside = tmp_path / "outside"
    outside.mkdir()
    catalog = '{"type": "Catalog", "id": "c", "description": "d", "links": []}'
    (outside / "catalog.json").write_text(catalog)
    base, site = loopback_site
    (site / "catalog.json").write_text(catalog)
    sources = (str(outside / "catalog.json"), (outside / "catalog.json").as_uri(), "/etc/hostname")
    for source in (*sources, f"{base}/catalog.json"):
        body = {"importType": "StaticCatalog", "sourceCatalogUrl": source, "displayName": "x"}
        definition = call(emulator, "POST", f"/inma/collections/{cid}/ingestions", json=body)
        assert definition.status_code == 201, definition.text
        run = call(emulator, "POST", f"/inma/collections/{cid}/ingestions/{definition.json()['id']}/runs")
        assert run.status_code == 201, run.text
        op_id = run.json()["operation"]["id"]
        deadline = time.monotonic() + 10
        while (op := call(emulator, "GET", f"/inma/operations/{op_id}").json())["status"] not in DONE:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert op["status"] == "Failed" and error_code(op) == "IngestionResourceForbidden", source


def test_data_api_reads_kept_local_hrefs_only_in_allowed_folders(emulator: Emulator, tmp_path: Path) -> None:
    """Items keep original hrefs with keepOriginalAssets; tiles and info must not open other local files."""
    catalog = make_demo(tmp_path / "outside")
    item_file = next(catalog.parent.glob("*/*/*.json"))
    item_doc = json.loads(item_file.read_text())
    cid = collection(emulator, "kept")
    for folder, expected in ((tmp_path / "outside", 404), (tmp_path / "allowed", 200)):
        image = folder / "image.tif"
        if not image.exists():
            image.write_bytes((item_file.parent / "image.tif").read_bytes())
        doc = {**item_doc, "collection": cid, "assets": {"image": {"href": image.as_uri(), "type": "image/tiff"}}}
        emulator.app.store.put("item", cid, doc["id"], doc)  # as a keepOriginalAssets ingestion stores it
        info = call(
            emulator, "GET", f"/data/mosaic/collections/{cid}/items/{doc['id']}/info", params={"assets": "image"}
        )
        assert info.status_code == expected, (folder, info.text)
        if expected == 404:
            assert info.json()["error"]["code"] == "AssetNotReadable"


def test_policy_checks_files_after_resolving_links(tmp_path: Path) -> None:
    allowed = tmp_path / "allowed"
    (allowed / "sub").mkdir(parents=True)
    (allowed / "sub" / "a.json").write_text("{}")
    policy = SourcePolicy([allowed])
    assert policy.check_file(allowed / "sub" / ".." / "sub" / "a.json") == (allowed / "sub" / "a.json").resolve()
    for path in (allowed / ".." / "other.json", tmp_path / "allowed-but-not" / "x", Path("/etc/passwd")):
        with pytest.raises(Refused):
            policy.check_file(path)
    with pytest.raises(Refused):
        SourcePolicy([]).check_file(allowed / "sub" / "a.json")  # nothing allowed by default


# -- internal hosts --------------------------------------------------------------------------------


def test_internal_addresses_need_allowing() -> None:
    policy = SourcePolicy([], ["intranet.example", "10.1.0.0/16", "[fe80::2]"])
    for host, address in [
        ("x", "127.0.0.1"),
        ("x", "169.254.169.254"),  # cloud metadata
        ("x", "192.168.1.10"),
        ("x", "10.2.0.1"),
        ("x", "0.0.0.0"),
        ("x", "fe80::1%eth0"),
        ("x", "::ffff:127.0.0.1"),
        ("x", "fd00::1"),
        ("x", "64:ff9b::7f00:1"),  # NAT64 of 127.0.0.1
        ("x", "2002:7f00:1::1"),  # 6to4 of 127.0.0.1
        ("x", "::127.0.0.1"),
        ("x", "100.64.0.1"),  # shared address space
        ("x", "224.0.0.1"),
        ("x", "::1"),
    ]:
        assert not policy.address_allowed(host, address), address
    assert policy.address_allowed("x", "93.184.215.14")  # public
    assert policy.address_allowed("intranet.example", "192.168.1.10")  # by name
    assert policy.address_allowed("x", "10.1.2.3")  # by network
    assert policy.address_allowed("x", "fe80::2")  # an allowed address
    assert policy.address_allowed("x", "2606:4700::1111")  # public IPv6


def test_loopback_asset_hrefs_refused_unless_allowed(
    tmp_path: Path, loopback_site: Tuple[str, Path], emulator: Emulator
) -> None:
    base, _ = loopback_site
    cid = collection(emulator, "hosts")
    for href in (f"{base}/data.tif", f"http://localhost:{urlsplit(base).port}/data.tif"):
        op = add_item(emulator, cid, item("internal", data=href))
        assert op["status"] == "Failed" and error_code(op) == "IngestionResourceForbidden", href
        assert "--allow-hosts" in str(op)

    with Emulator(tmp_path / "data2", operation_delay=0.01, allow_hosts=["127.0.0.1"]) as allowing:
        cid = collection(allowing, "hosts")
        assert add_item(allowing, cid, item("internal", data=f"{base}/data.tif"))["status"] == "Succeeded"
        assert (allowing.data_dir / "blobs" / cid / "internal" / "data.tif").read_bytes() == b"internal"


def test_redirects_to_internal_hosts_are_refused(tmp_path: Path, loopback_site: Tuple[str, Path]) -> None:
    """A public-looking first hop cannot bounce the emulator to an internal one: every hop is checked."""
    base, _ = loopback_site
    policy = SourcePolicy([], [])
    with pytest.raises(Refused):
        policy.open_url(f"{base}/data.tif", {}, 5)
    with pytest.raises(Refused):
        policy.open_url("file:///etc/passwd", {}, 5)
    assert SourcePolicy([], ["127.0.0.1"]).open_url(f"{base}/data.tif", {}, 5).read() == b"internal"


# -- blobs -----------------------------------------------------------------------------------------


def test_a_token_opens_only_its_own_container(emulator: Emulator) -> None:
    a, b = collection(emulator, "box-a"), collection(emulator, "box-b")
    emulator.app.store.write_blob(b, "x/secret.bin", b"b's secret")
    emulator.app.store.write_blob(a, "x/mine.bin", b"a's own")
    (emulator.data_dir / "blobs" / "outside.bin").write_bytes(b"store root")
    token_a = call(emulator, "GET", f"/sas/token/{a}").json()["token"]
    token_b = call(emulator, "GET", f"/sas/token/{b}").json()["token"]

    assert raw_get(emulator, f"/blobs/{a}/x/mine.bin?{token_a}") == (200, b"a's own")
    assert raw_get(emulator, f"/blobs/{b}/x/secret.bin?{token_b}") == (200, b"b's secret")
    escapes = [
        f"/blobs/{a}/../{b}/x/secret.bin",
        f"/blobs/{a}/%2e%2e/{b}/x/secret.bin",
        f"/blobs/{a}/%2E%2E/{b}/x/secret.bin",
        f"/blobs/{a}/..%2f{b}/x/secret.bin",
        f"/blobs/{a}/..%2F{b}%2Fx%2Fsecret.bin",
        f"/blobs/{a}/..%5c{b}%5cx%5csecret.bin",
        f"/blobs/{a}/..\\{b}\\x\\secret.bin",
        f"/blobs/{a}/x/../../{b}/x/secret.bin",
        f"/blobs/{a}%2f..%2f{b}/x/secret.bin",
        f"/blobs/{a}/../outside.bin",
        f"/blobs/{a}/%2e%2e/outside.bin",
        f"/blobs/{a}/x/%00/../mine.bin",
    ]
    for target in escapes:
        status, body = raw_get(emulator, f"{target}?{token_a}")
        assert status in (400, 403, 404) and b"b's secret" not in body and b"store root" not in body, target


def test_asset_keys_that_leave_the_item_folder_are_refused(emulator: Emulator, tmp_path: Path) -> None:
    cid = collection(emulator, "keys")
    source = tmp_path / "allowed" / "data.tif"
    source.write_bytes(b"x")
    for key in ("../../other/data", "../sibling", "..", "a\\..\\..\\b", "sub/dir"):
        body = item("item", **{key: source.as_uri()})
        response = call(emulator, "POST", f"/stac/collections/{cid}/items", json=body)
        assert response.status_code == 400 and response.json()["error"]["code"] == "InvalidItem", key
        response = call(emulator, "PUT", f"/stac/collections/{cid}/items/item", json=body)
        assert response.status_code == 400, key
    assert add_item(emulator, cid, item("item", data=source.as_uri()))["status"] == "Succeeded"
    patch = {"assets": {"../escape": {"href": source.as_uri()}}}
    assert call(emulator, "PATCH", f"/stac/collections/{cid}/items/item", json=patch).status_code == 400
    assert sorted(p.name for p in (emulator.data_dir / "blobs").iterdir()) == [cid]


# -- limits ----------------------------------------------------------------------------------------


def test_request_body_cap_answers_413(tmp_path: Path) -> None:
    with Emulator(tmp_path / "data", max_body=1000) as emulator:
        url = f"{emulator.endpoint}/stac/search?api-version={API_VERSION}"
        small = requests.post(url, headers=AUTH, json={"limit": 1}, timeout=10)
        assert small.status_code == 200
        big = requests.post(url, headers=AUTH, data=b"{" + b" " * 2000 + b"}", timeout=10)
        assert big.status_code == 413 and big.json()["error"]["code"] == "RequestEntityTooLarge"
        chunked = requests.post(url, headers=AUTH, data=iter([b"{", b" " * 600, b" " * 600, b"}"]), timeout=10)
        assert chunked.status_code == 413
        # The socket is closed after a 413 (the body was not read), the server keeps serving.
        assert requests.post(url, headers=AUTH, json={"limit": 1}, timeout=10).status_code == 200
        for length in ("-5", "abc"):
            with socket.create_connection(("127.0.0.1", port(emulator)), timeout=5) as sock:
                sock.sendall(f"POST /stac/search HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode())
                assert sock.recv(100).startswith(b"HTTP/1.1 400"), length


def test_idle_connections_are_closed(tmp_path: Path) -> None:
    with Emulator(tmp_path / "data", idle_timeout=0.3) as emulator:
        with socket.create_connection(("127.0.0.1", port(emulator)), timeout=5) as silent:
            start = time.monotonic()
            assert silent.recv(10) == b""  # closed by the server, not by our 5 s timeout
            assert time.monotonic() - start < 4
        with socket.create_connection(("127.0.0.1", port(emulator)), timeout=5) as slow:
            slow.sendall(b"GET /stac HTTP/1.1\r\n")  # a request that never finishes
            assert slow.recv(10) == b""


def test_non_ascii_input_is_a_client_error(emulator: Emulator) -> None:
    cid = collection(emulator, "ascii")
    emulator.app.store.write_blob(cid, "a.bin", b"data")
    token = call(emulator, "GET", f"/sas/token/{cid}").json()["token"]
    forged = token.rsplit("sig=", 1)[0] + "sig=%C3%A9t%C3%A9"
    status, body = raw_get(emulator, f"/blobs/{cid}/a.bin?{forged}")
    assert status == 400 and b"InvalidQueryParameterValue" in body
    with socket.create_connection(("127.0.0.1", port(emulator)), timeout=5) as sock:  # raw UTF-8 bytes
        target = f"/blobs/{cid}/a.bin?{token.rsplit('sig=', 1)[0]}sig=\u00e9t\u00e9".encode()
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 400")
    for method, path, kwargs in [
        ("GET", "/stac/collections/caf%C3%A9", {}),
        ("GET", f"/stac/collections/{cid}/items/%C3%A9", {}),
        ("GET", "/stac/search", {"params": {"token": "next:é:ü", "collections": cid}}),
        ("GET", "/stac/search", {"params": {"ids": "é", "datetime": "２０２０-01-01T00:00:00Z"}}),
        ("POST", "/stac/search", {"json": {"collections": ["é"], "token": "next:é:ü"}}),
        ("GET", "/sas/token/caf%C3%A9", {}),
        ("GET", "/sas/sign", {"params": {"href": "http://é/blobs/é/ü"}}),
    ]:
        response = call(emulator, method, path, **kwargs)
        assert 400 <= response.status_code < 500 or response.status_code == 200, (path, response.text)


def test_signing_key_is_private(emulator: Emulator, tmp_path: Path) -> None:
    key = emulator.data_dir / "sas.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == 32
    old = tmp_path / "old"
    old.mkdir()
    (old / "sas.key").write_bytes(b"k" * 32)
    (old / "sas.key").chmod(0o644)  # as an older version left it
    with Emulator(old) as reopened:
        assert stat.S_IMODE((old / "sas.key").stat().st_mode) == 0o600 and reopened.app.secret == b"k" * 32


def test_busy_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port}"):
            Emulator(tmp_path / "a", port=port)
        done = subprocess.run(
            [sys.executable, "-m", "geocatalog_emulator", "--port", str(port), "--data", str(tmp_path / "b")],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "in use" in done.stderr


def test_links_do_not_trust_a_foreign_host_header(emulator: Emulator) -> None:
    own = port(emulator)

    def self_link(host: str) -> str:
        status, body = raw_get(emulator, f"/stac/?api-version={API_VERSION}", {"Host": host, **AUTH})
        assert status == 200
        return next(link["href"] for link in json.loads(body)["links"] if link["rel"] == "self")

    assert self_link(f"evil.example:{own}").startswith(emulator.endpoint + "/")
    assert self_link("127.0.0.1:1").startswith(emulator.endpoint + "/")  # another port
    assert self_link("bad host!").startswith(emulator.endpoint + "/")
    assert self_link(f"localhost:{own}").startswith(f"http://localhost:{own}/")  # a name of this server


def test_public_url_is_the_endpoint_for_links(tmp_path: Path) -> None:
    with Emulator(tmp_path / "data", public_url="http://catalog.test:9999/") as emulator:
        assert emulator.endpoint == "http://catalog.test:9999"
        for host in ("evil.example", "catalog.test:9999", "CATALOG.test:9999"):
            status, body = raw_get(emulator, f"/stac/?api-version={API_VERSION}", {"Host": host, **AUTH})
            links = json.loads(body)["links"]
            assert status == 200 and all(link["href"].startswith("http://catalog.test:9999/") for link in links)
    for bad in ("ftp://x", "http://x/prefix", "http://", "http://x?y=1"):
        with pytest.raises(ValueError):
            Emulator(tmp_path / "data", public_url=bad)


def test_latency_delays_every_response(tmp_path: Path) -> None:
    with Emulator(tmp_path / "data", latency=0.25) as emulator:
        start = time.monotonic()
        assert call(emulator, "GET", "/stac/conformance").status_code == 200
        assert time.monotonic() - start >= 0.25
    with pytest.raises(ValueError):
        Emulator(tmp_path / "data", latency=-1)


def test_a_client_gone_mid_answer_prints_nothing_other_errors_one_line(capsys: Any) -> None:
    from geocatalog_emulator import Emulator

    with Emulator() as emulator:
        server = emulator._server
        for error in (ConnectionResetError(), BrokenPipeError(), TimeoutError()):
            try:
                raise error
            except OSError:
                server.handle_error(None, ("127.0.0.1", 5))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("broken handler")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 5))
        assert capsys.readouterr().err.splitlines() == [
            "geocatalog-emulator: error answering 127.0.0.1: ValueError('broken handler')"
        ]
