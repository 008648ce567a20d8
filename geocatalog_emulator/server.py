"""A threaded HTTP/1.1 server on the standard library, and in-process start/stop.

The server keeps the limits a service on a developer's machine needs: a request body larger than
the configured cap is answered 413 without being read, a connection silent for the idle timeout is
closed (idle sockets do not hold threads forever), and links are written for the endpoint the
emulator listens on, not for whatever Host header a request carries.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Optional, Sequence, Tuple, Union
from urllib.parse import urlsplit

from .app import App
from .catalog import GeoCatalog, Settings
from .http import Request

#: Host names a loopback server answers to besides its address.
LOOPBACK_NAMES = ("localhost",)


class BodyTooLarge(Exception):
    """The request body exceeds the configured cap."""


class BadBody(Exception):
    """The request's framing (Content-Length, chunk sizes) cannot be read."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def setup(self) -> None:
        # StreamRequestHandler.setup applies this to the socket: a connection silent for this long
        # (between requests or inside one) is closed, so idle clients do not keep threads alive.
        self.timeout = self.server.settings.idle_timeout  # type: ignore[misc]
        super().setup()
        # Headers and body go out in separate writes; without this each response waits ~40 ms (Nagle).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _read_body(self) -> bytes:
        limit = self.server.settings.max_body
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts, total = [], 0
            while True:
                try:
                    size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"0", 16)
                except ValueError:
                    raise BadBody("a chunk size is not a hexadecimal number") from None
                if size < 0:
                    raise BadBody("a chunk size is negative")
                if size == 0:
                    self.rfile.readline(1024)
                    break
                total += size
                if total > limit:
                    raise BodyTooLarge()
                parts.append(self.rfile.read(size))
                self.rfile.readline(1024)
            return b"".join(parts)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise BadBody("Content-Length is not a number") from None
        if length < 0:
            raise BadBody("Content-Length is negative")
        if length > limit:
            raise BodyTooLarge()
        return self.rfile.read(length) if length else b""

    def _refuse(self, status: int, code: str, message: str) -> None:
        """An error in the service's shape; the connection closes (the body was not read)."""
        data = json.dumps({"error": {"code": code, "message": message}}).encode()
        self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("x-ms-error-code", code)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except BodyTooLarge:
            limit = self.server.settings.max_body
            self._refuse(413, "RequestEntityTooLarge", f"The request body is larger than {limit} bytes.")
            return
        except BadBody as exc:
            self._refuse(400, "InvalidRequest", f"The request body cannot be read: {exc}.")
            return
        request = Request.build(
            self.command,
            self.path,
            {k.lower(): v for k, v in self.headers.items()},
            body,
            self.server.base_url(self.headers.get("Host")),
        )
        response = self.server.app.handle(request)
        if self.server.settings.latency:
            time.sleep(self.server.settings.latency)
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        body_out = response.body
        if body_out is None or isinstance(body_out, (bytes, bytearray)):
            data = bytes(body_out or b"")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            return
        if "Content-Length" in response.headers:  # a stream of known length: send it as is
            self.end_headers()
            if self.command != "HEAD":
                for chunk in body_out:
                    self.wfile.write(chunk)
            return
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if self.command == "HEAD":
            return
        for chunk in body_out:
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

    def __init__(self, address: Any, app: App, settings: Settings, verbose: bool) -> None:
        super().__init__(address, _Handler)
        self.app = app
        self.settings = settings
        self.verbose = verbose

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer (a cancelled download, an idle connection closed) is
        ordinary: say nothing. Anything else is one line on stderr, the traceback with ``--verbose``."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        if self.verbose:
            super().handle_error(request, client_address)
        else:
            print(f"geocatalog-emulator: error answering {client_address[0]}: {error!r}", file=sys.stderr)

    @property
    def endpoint(self) -> str:
        if self.settings.public_url:
            return self.settings.public_url
        host, port = str(self.server_address[0]), self.server_address[1]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"

    def base_url(self, host_header: Optional[str]) -> str:
        """The base URL for links: the Host header's when it names this server, else the endpoint.

        A Host header is trusted only when it is the public URL's host and port, or when its port is
        ours and its host is an address (a request that reached us by address), ``localhost`` or the
        name we listen on: a page on another site whose name resolves to this machine cannot make
        the emulator write links to that site.
        """
        public = urlsplit(self.settings.public_url or "")
        if host_header and public.netloc and host_header.strip().lower() == public.netloc.lower():
            return self.endpoint
        if host_header:
            try:
                parts = urlsplit(f"http://{host_header.strip()}")
                port, name = parts.port, (parts.hostname or "").lower()
            except ValueError:
                return self.endpoint
            if port == self.server_address[1] and name and (_is_address(name) or name in self._names()):
                return f"http://{f'[{name}]' if ':' in name else name}:{port}"
        return self.endpoint

    def _names(self) -> Sequence[str]:
        return (str(self.server_address[0]).lower(), *LOOPBACK_NAMES)


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class Emulator:
    """A GeoCatalog emulator on loopback; a context manager.

    >>> with Emulator(allow_files=["./catalog"]) as emulator:
    ...     client = PlanetaryComputerProClient(emulator.endpoint, StaticTokenCredential())

    :param data_dir: Where collections, items and blobs are kept (created if missing). None: a
        temporary folder removed on stop.
    :param host: Interface to listen on (loopback by default).
    :param port: Port; 0 picks a free one.
    :keyword operation_delay: Seconds a background operation waits before running.
    :keyword verbose: Log each request to stderr.
    :keyword allow_files: Folders whose files ``file://`` and path sources and asset hrefs may name
        (none by default: local files are refused).
    :keyword allow_hosts: Host names, addresses or CIDR networks on loopback, link-local or private
        addresses that http(s) sources and asset hrefs may name (public hosts are always allowed).
    :keyword max_body: Largest request body in bytes (413 beyond it); None for the default (256 MiB).
    :keyword idle_timeout: Seconds a silent connection is kept open; None for the default (60 s).
    :keyword latency: Seconds added before every response, to benchmark as over a network.
    :keyword public_url: ``http(s)://host[:port]`` clients reach the emulator at, when that is not the
        listening address (behind a proxy, in a container): the endpoint and the links use it.
    :raises OSError: when the port cannot be listened on (the message names host and port).
    """

    def __init__(
        self,
        data_dir: Optional[Path] = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        operation_delay: float = 0.05,
        verbose: bool = False,
        allow_files: Sequence[Union[str, "os.PathLike[str]"]] = (),
        allow_hosts: Sequence[str] = (),
        max_body: Optional[int] = None,
        idle_timeout: Optional[float] = None,
        latency: float = 0.0,
        public_url: Optional[str] = None,
    ) -> None:
        self.settings = Settings.create(
            allow_files=[Path(folder) for folder in allow_files],
            allow_hosts=allow_hosts,
            max_body=max_body,
            idle_timeout=idle_timeout,
            latency=latency,
            operation_delay=operation_delay,
            public_url=public_url,
        )
        self._temp = None if data_dir is not None else tempfile.mkdtemp(prefix="geocatalog-")
        self.data_dir = Path(data_dir if data_dir is not None else self._temp)  # type: ignore[arg-type]
        #: The catalog (storage, operations, signing): what tests reach into.
        self.app = GeoCatalog(self.data_dir, self.settings)
        self._front = App(self.app)
        try:
            self._server = _Server((host, port), self._front, self.settings, verbose)
        except OSError as exc:
            self._cleanup()
            reason = "the address is already in use" if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc)
            raise OSError(exc.errno, f"cannot listen on {host}:{port}: {reason}") from None
        self._thread: Optional[threading.Thread] = None

    @property
    def endpoint(self) -> str:
        """The base URL of the API (``public_url`` when given)."""
        return self._server.endpoint

    @property
    def address(self) -> Tuple[str, int]:
        """The (host, port) the server listens on."""
        return str(self._server.server_address[0]), int(self._server.server_address[1])

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
        self._cleanup()

    def _cleanup(self) -> None:
        self._front.close()
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
