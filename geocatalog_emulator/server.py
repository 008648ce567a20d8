"""A threaded HTTP/1.1 server on the standard library, and in-process start/stop."""

from __future__ import annotations

import shutil
import socket
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Optional

from .app import GeoCatalog
from .http import Request

MAX_BODY = 512 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this each response waits ~40 ms (Nagle).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(parts)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("request body too large")
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
        request = Request.build(
            self.command,
            self.path,
            {k.lower(): v for k, v in self.headers.items()},
            self._read_body(),
            f"http://{host}",
        )
        response = self.server.app.handle(request)
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        body = response.body
        if body is None or isinstance(body, (bytes, bytearray)):
            data = bytes(body or b"")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            return
        if "Content-Length" in response.headers:  # a stream of known length: send it as is
            self.end_headers()
            if self.command != "HEAD":
                for chunk in body:
                    self.wfile.write(chunk)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if self.command == "HEAD":
            return
        for chunk in body:
            if chunk:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        self.wfile.write(b"0\r\n\r\n")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # The default backlog (5) drops connections beyond it when many clients connect at once (200
    # async tasks): they stall for seconds in SYN retries. The kernel caps this at somaxconn.
    request_queue_size = 1024

    def __init__(self, address: Any, app: GeoCatalog, verbose: bool) -> None:
        super().__init__(address, _Handler)
        self.app = app
        self.verbose = verbose


class Emulator:
    """A GeoCatalog emulator on loopback; a context manager.

    >>> with Emulator() as emulator:
    ...     client = PlanetaryComputerProClient(emulator.endpoint, StaticTokenCredential())

    :param data_dir: Where collections, items and blobs are kept (created if missing). None: a
        temporary folder removed on stop.
    :param host: Interface to listen on (loopback by default).
    :param port: Port; 0 picks a free one.
    :param operation_delay: Seconds a background operation waits before running.
    :param verbose: Log each request to stderr.
    """

    def __init__(
        self,
        data_dir: Optional[Path] = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        operation_delay: float = 0.05,
        verbose: bool = False,
    ) -> None:
        self._temp = None if data_dir is not None else tempfile.mkdtemp(prefix="geocatalog-")
        self.data_dir = Path(data_dir if data_dir is not None else self._temp)  # type: ignore[arg-type]
        self.app = GeoCatalog(self.data_dir, operation_delay=operation_delay)
        self._server = _Server((host, port), self.app, verbose)
        self._thread: Optional[threading.Thread] = None

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "Emulator":
        self._thread = threading.Thread(target=self._server.serve_forever, name="geocatalog-emulator", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.app.close()
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
