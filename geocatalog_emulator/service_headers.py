"""Headers every answer carries as the service sends them, whatever route made it.

* CORS headers on every response (browser apps call the service directly);
* ``Cache-Control: public, max-age=3600`` on successful data API (tiler) GETs;
* a 200 with an empty body has no ``Content-Type`` (the server adds ``Content-Length: 0``);
* ``HEAD`` on the STAC API is answered as the ``GET`` would be, without the body (the server
  leaves the body out for every HEAD);
* 201 creates name the new resource in ``Location`` (:func:`created_at`, used by the routes).
"""

from __future__ import annotations

import dataclasses
from typing import Dict

from .http import Request, Response

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Location, Operation-Location, x-ms-error-code, Content-Length",
}
DATA_CACHE = "public, max-age=3600"


def created_at(request: Request, path: str) -> Dict[str, str]:
    """The ``Location`` header of a 201 answer: ``path`` (already URL-encoded) on this host."""
    return {"Location": f"{request.base_url}{path}"}


def routed(request: Request) -> Request:
    """The request to route: a HEAD on the STAC API goes where its GET goes."""
    if request.method == "HEAD" and (request.path == "/stac" or request.path.startswith("/stac/")):
        return dataclasses.replace(request, method="GET")
    return request


def finish(request: Request, response: Response) -> Response:
    """``response`` with the headers the service adds to every answer."""
    headers = response.headers
    if response.status == 200 and response.body == b"":
        for name in [n for n in headers if n.lower() == "content-type"]:
            del headers[name]
    if request.method in ("GET", "HEAD") and request.path.startswith("/data/") and 200 <= response.status < 300:
        headers.setdefault("Cache-Control", DATA_CACHE)
    for name, value in CORS.items():
        headers.setdefault(name, value)
    return response
