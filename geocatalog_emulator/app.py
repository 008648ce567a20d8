"""The emulated GeoCatalog's front: protocol checks, then the routes of the API modules.

The app wires route modules: it builds the router from each module's ``routes(catalog)`` and gives
the SAS API's signer to the catalog. Route modules receive the :class:`~.catalog.GeoCatalog` they
need and never import this module.
"""

from __future__ import annotations

import functools
import traceback

from . import data_api, ingestion_api, sas_api, service_headers, stac_api, stac_openapi
from .catalog import API_VERSION, GeoCatalog
from .errors import ApiError
from .http import Request, Response, Router

__all__ = ["API_VERSION", "API_VERSIONS", "App"]

#: Versions served: the current one, and the preview the 1.0.0b1 generation of clients sends.
API_VERSIONS = (API_VERSION, "2025-04-30-preview")
#: Paths served without a bearer token: blobs carry a SAS signature instead.
UNAUTHENTICATED_PREFIXES = ("/blobs/",)


class App:
    """Answers requests for one catalog.

    :param catalog: The catalog the routes read and write.
    """

    def __init__(self, catalog: GeoCatalog) -> None:
        self.catalog = catalog
        catalog.signer = functools.partial(sas_api.sign_href, catalog)
        self.router = Router()
        for module in (stac_api, data_api, ingestion_api, sas_api):
            self.router.include(module.routes(catalog))

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
        self.catalog.close()
