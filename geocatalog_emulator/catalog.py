"""What every route module receives: the catalog's storage, operations, signing key, settings and
the helpers they share.

The app (:mod:`.app`) builds one :class:`GeoCatalog`, hands it to each route module's ``routes()``
and wires the routes; route modules import this module (for its type), never the app, so imports
run one way: app -> route modules -> catalog -> storage, operations, http.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Optional, Sequence, Tuple, Union
from urllib.parse import quote, unquote, urlparse, urlsplit

from .http import Response
from .operations import Operations
from .source_policy import SourcePolicy
from .storage import Store

API_VERSION = "2026-04-15"
#: A request body larger than this is refused with 413 unless configured otherwise.
DEFAULT_MAX_BODY = 256 * 1024 * 1024
#: Seconds a connection may stay silent (between or inside requests) before it is closed.
DEFAULT_IDLE_TIMEOUT = 60.0

Signer = Callable[[str, Optional[int]], str]


@dataclass(frozen=True)
class Settings:
    """How an emulator behaves beyond the API: what it may read, and the limits it keeps.

    :ivar allow_files: Folders whose files ``file://`` and path sources and asset hrefs may name.
    :ivar allow_hosts: Host names, addresses or networks (CIDR) on loopback, link-local or private
        addresses that http(s) sources and asset hrefs may name (public addresses are always allowed).
    :ivar max_body: Largest request body accepted, in bytes (413 beyond it).
    :ivar idle_timeout: Seconds a connection may stay silent before it is closed.
    :ivar latency: Seconds added before every response (to benchmark as over a network).
    :ivar public_url: The URL clients reach the emulator at when it is not the listening address
        (a proxy, a container): links use it, and Host headers naming it are trusted.
    """

    allow_files: Tuple[Path, ...] = ()
    allow_hosts: Tuple[str, ...] = ()
    max_body: int = DEFAULT_MAX_BODY
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT
    latency: float = 0.0
    operation_delay: float = 0.05
    public_url: Optional[str] = None

    @classmethod
    def create(
        cls,
        *,
        allow_files: Sequence[Union[str, "os.PathLike[str]"]] = (),
        allow_hosts: Sequence[str] = (),
        max_body: Optional[int] = None,
        idle_timeout: Optional[float] = None,
        latency: float = 0.0,
        operation_delay: float = 0.05,
        public_url: Optional[str] = None,
    ) -> "Settings":
        if latency < 0 or operation_delay < 0:
            raise ValueError("latency and operation_delay are seconds, not negative")
        if public_url is not None:
            parts = urlsplit(public_url)
            if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/") or parts.query:
                raise ValueError(f"public_url must be http(s)://host[:port], got {public_url!r}")
            public_url = f"{parts.scheme}://{parts.netloc}"
        return cls(
            allow_files=tuple(Path(folder).expanduser().resolve() for folder in allow_files),
            allow_hosts=tuple(allow_hosts),
            max_body=DEFAULT_MAX_BODY if max_body is None else int(max_body),
            idle_timeout=DEFAULT_IDLE_TIMEOUT if idle_timeout is None else float(idle_timeout),
            latency=float(latency),
            operation_delay=float(operation_delay),
            public_url=public_url,
        )


@dataclass
class GeoCatalog:
    """Storage, background operations, the SAS signing key, settings and source policy of one catalog."""

    data_dir: Path
    settings: Settings = field(default_factory=Settings)

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        self.store = Store(self.data_dir)
        self.operations = Operations(self.store, delay=self.settings.operation_delay)
        self.secret = load_secret(self.data_dir / "sas.key")
        self.sources = SourcePolicy(self.settings.allow_files, self.settings.allow_hosts)
        # The SAS API signs; it is wired in by the app (it is a route module and imports this one).
        self.signer: Signer = lambda href, minutes: href

    @staticmethod
    def blob_url(base_url: str, container: str, name: str) -> str:
        """The emulator's blob endpoint for a stored file (what ingestion rewrites hrefs to)."""
        return f"{base_url}/blobs/{quote(container, safe='')}/{quote(name)}"

    def local_blob_path(self, href: str) -> Optional[Path]:
        """The file behind an emulator blob href (any host, signed or not), else None."""
        path = urlparse(href).path
        if not path.startswith("/blobs/"):
            return None
        container, _, name = path[len("/blobs/") :].partition("/")
        try:
            found = self.store.blob_path(unquote(container), unquote(name))
        except ValueError:
            return None
        return found if found.is_file() else None

    def sign(self, href: str, minutes: Optional[int] = None) -> str:
        """``href`` with a SAS token if it is an emulator blob href; other hrefs unchanged."""
        return self.signer(href, minutes)

    def operation_response(self, op: Dict[str, Any], base_url: str) -> Response:
        """202 Accepted with Location / Operation-Location headers, as the service answers."""
        url = f"{base_url}/inma/operations/{op['id']}?api-version={API_VERSION}"
        return Response.json(op, 202, {"Location": url, "Operation-Location": url})

    def close(self) -> None:
        self.operations.shutdown()
        self.store.close()


def load_secret(path: Path) -> bytes:
    """The SAS signing key, created once (readable by its owner only) and kept, so signed URLs
    survive restarts."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:  # made readable to others by an older version: take that back
            path.chmod(0o600)
        return path.read_bytes()
    with os.fdopen(descriptor, "wb") as key_file:
        key_file.write(secrets.token_bytes(32))
    return path.read_bytes()
