"""The emulated GeoCatalog: protocol checks, then the API modules' routes."""

from __future__ import annotations

import json
import secrets
import traceback
from pathlib import Path
from typing import Optional
from urllib.parse import quote, unquote, urlparse

from . import data_api, ingestion_api, sas_api, service_headers, stac_api, stac_openapi
from .errors import ApiError
from .http import Request, Response, Router
from .operations import Operations
from .storage import Store

API_VERSION = "2026-04-15"
#: Versions served: the current one, and the preview the 1.0.0b1 generation of clients sends.
API_VERSIONS = (API_VERSION, "2025-04-30-preview")
#: Paths served without a bearer token: blobs carry a SAS signature instead.
UNAUTHENTICATED_PREFIXES = ("/blobs/",)


class GeoCatalog:
    """Everything a request handler needs: storage, operations, signing secret, routes."""

    def __init__(self, data_dir: Path, *, operation_delay: float = 0.05) -> None:
        self.store = Store(data_dir)
        self.operations = Operations(self.store, delay=operation_delay)
        self.secret = self._load_secret(Path(data_dir) / "sas.key")
        self.router = Router()
        for module in (stac_api, data_api, ingestion_api, sas_api):
            self.router.include(module.routes(self))

    @staticmethod
    def _load_secret(path: Path) -> bytes:
        """The SAS signing key, created once and kept, so signed URLs survive restarts."""
        if not path.exists():
            path.write_bytes(secrets.token_bytes(32))
        return path.read_bytes()

    # -- shared between the API modules --------------------------------------------------------

    @staticmethod
    def blob_url(base_url: str, container: str, name: str) -> str:
        """The emulator's blob endpoint for a stored file (what ingestion rewrites hrefs to)."""
        return f"{base_url}/blobs/{quote(container, safe='')}/{quote(name)}"

    def local_blob_path(self, href: str) -> Optional[Path]:
        """The file behind an emulator blob href (any host, signed or not), else None."""
        path = urlparse(href).path
        if not path.startswith("/blobs/"):
            return None
        container, _, name = unquote(path[len("/blobs/") :]).partition("/")
        try:
            found = self.store.blob_path(container, name)
        except ValueError:
            return None
        return found if found.is_file() else None

    def sign(self, href: str, minutes: Optional[int] = None) -> str:
        """``href`` with a SAS token if it is an emulator blob href; other hrefs unchanged."""
        return sas_api.sign_href(self, href, minutes)

    def operation_response(self, op: dict, base_url: str) -> Response:
        """202 Accepted with Location / Operation-Location headers, as the service answers."""
        url = f"{base_url}/inma/operations/{op['id']}?api-version={API_VERSION}"
        return Response.json(op, 202, {"Location": url, "Operation-Location": url})

    def handle(self, request: Request) -> Response:
        return service_headers.finish(request, self._answer(service_headers.routed(request)))

    def _answer(self, request: Request) -> Response:
        try:
            self._check_protocol(request)
            return self.router.match(request)(request)
        except ApiError as exc:
            return Response.json(exc.body(), exc.status, {"x-ms-error-code": exc.code})
        except Exception as exc:  # a bug in the emulator: a 500 in the service's shape, not a dropped socket
            traceback.print_exc()
            error = ApiError(500, "InternalServerError", f"{type(exc).__name__}: {exc}")
            return Response.json(error.body(), 500, {"x-ms-error-code": error.code})

    def _check_protocol(self, request: Request) -> None:
        if request.path.startswith(UNAUTHENTICATED_PREFIXES) or request.path in stac_openapi.PATHS:
            return
        auth = request.headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "Unauthorized", "Send an 'Authorization: Bearer <token>' header.")
        version = request.arg("api-version")
        if version is not None and version not in API_VERSIONS:
            raise ApiError(
                400, "UnsupportedApiVersion", f"api-version '{version}' is not supported; use '{API_VERSION}'."
            )

    def close(self) -> None:
        self.operations.shutdown()
        self.store.close()


def create(data_dir: Path, *, operation_delay: Optional[float] = None) -> GeoCatalog:
    return GeoCatalog(Path(data_dir), **({} if operation_delay is None else {"operation_delay": operation_delay}))


def dump(value: object) -> bytes:
    return json.dumps(value).encode()
