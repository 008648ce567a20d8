"""The SAS API: per-container tokens, signed hrefs, revocation; and the check the blob endpoint uses.

A token looks like an Azure container SAS (``sv=...&st=...&se=...&sr=c&sp=rl&sig=...``):

* ``st`` is when the token was issued (microsecond precision, so a revocation in the same second
  still tells older tokens from newer ones), ``se`` when it expires;
* ``sig`` is HMAC-SHA256 over the container, ``st``, ``se``, ``sp``, ``sr`` and ``sv`` with the
  catalog's secret (``app.secret``), base64url without padding. The container is not in the token:
  the blob request's path supplies it, so a token only opens the container it was issued for.

Revoking stores the revocation time (kind ``sas_revocation``, id ``"all"``); tokens issued at or
before it are refused from then on.

Routes::

    GET  /sas/token/{collectionId}?duration=   SharedAccessSignatureToken
    GET  /sas/sign?href=&duration=              SharedAccessSignatureSignedLink
    POST /sas/token/revoke?duration=            200, no body
    GET|HEAD /blobs/{container}/{name*}         the blob endpoint (blobs.py), guarded by check_token
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from typing import TYPE_CHECKING, Dict, List, Optional, Tuple
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from . import blobs
from .errors import bad_request, not_found
from .http import Request, Response, Router

if TYPE_CHECKING:
    from .catalog import GeoCatalog

#: Storage service version written into tokens (``sv``).
SIGNED_VERSION = "2024-11-04"
#: The service's default lifetime: the recorded Sas_GetSign example expires 24 h after the request.
DEFAULT_MINUTES = 24 * 60
MAX_MINUTES = 24 * 60
#: Query keys of an Azure SAS; an href being re-signed loses these before the new token is added.
SAS_KEYS = frozenset("sv ss srt sp se st spr sip sr sig si skoid sktid skt ske sks skv saoid suoid scid sdd".split())
REVOCATION_KIND = "sas_revocation"
ISSUED_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
EXPIRY_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utcnow() -> dt.datetime:
    """The clock of the SAS API (tests replace it to travel in time)."""
    return dt.datetime.now(dt.timezone.utc)


def _parse_time(value: str) -> Optional[dt.datetime]:
    for fmt in (ISSUED_FORMAT, EXPIRY_FORMAT):
        try:
            return dt.datetime.strptime(value, fmt).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            continue
    return None


def _signature(app: "GeoCatalog", container: str, fields: Dict[str, str]) -> str:
    message = "\n".join([container, fields["st"], fields["se"], fields["sp"], fields["sr"], fields["sv"]])
    digest = hmac.new(app.secret, message.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def duration_minutes(request: Request) -> int:
    """The ``duration`` query parameter (minutes), checked; the default lifetime without it."""
    minutes = request.int_arg("duration", DEFAULT_MINUTES)
    assert minutes is not None
    if not 1 <= minutes <= MAX_MINUTES:
        raise bad_request(f"duration must be between 1 and {MAX_MINUTES} minutes, got {minutes}.", "InvalidParameter")
    return minutes


def issue_token(app: "GeoCatalog", container: str, minutes: Optional[int] = None) -> Tuple[str, dt.datetime]:
    """A read/list token for ``container``: (query string, expiry)."""
    minutes = min(max(minutes or DEFAULT_MINUTES, 1), MAX_MINUTES)
    issued = utcnow()
    expiry = (issued + dt.timedelta(minutes=minutes)).replace(microsecond=0)
    fields = {
        "sv": SIGNED_VERSION,
        "st": issued.strftime(ISSUED_FORMAT),
        "se": expiry.strftime(EXPIRY_FORMAT),
        "sr": "c",
        "sp": "rl",
    }
    fields["sig"] = _signature(app, container, fields)
    return urlencode(fields), expiry


def expiry_text(expiry: dt.datetime) -> str:
    """``msft:expiry`` as the service writes it (seconds, ``Z``)."""
    return expiry.strftime(EXPIRY_FORMAT)


def check_token(app: "GeoCatalog", container: str, query: Dict[str, List[str]]) -> Optional[str]:
    """Why a blob request's SAS does not open ``container`` (a message), or None when it does."""
    fields = {key: values[0] for key, values in query.items() if key in SAS_KEYS and values}
    if "sig" not in fields:
        return "This request is not authorized: the blob endpoint needs a SAS token (see /sas/token or /sas/sign)."
    if any(key not in fields for key in ("sv", "st", "se", "sr", "sp")):
        return "The SAS token is incomplete: sv, st, se, sr, sp and sig are required."
    if not hmac.compare_digest(fields["sig"].encode("utf-8"), _signature(app, container, fields).encode("ascii")):
        return f"Signature did not match: the token was altered or was not issued for container '{container}'."
    issued, expiry = _parse_time(fields["st"]), _parse_time(fields["se"])
    if issued is None or expiry is None:
        return "The SAS token's st or se is not a valid time."
    now = utcnow()
    if now >= expiry:
        return (
            "Signature not valid in the specified time frame: the SAS token expired at "
            f"{expiry_text(expiry)} (current time {now.strftime(EXPIRY_FORMAT)}). Request a new token."
        )
    if "r" not in fields["sp"]:
        return "This SAS token does not grant read permission."
    revoked = revoked_at(app)
    if revoked is not None and issued <= revoked:
        return f"The SAS token was revoked at {revoked.strftime(EXPIRY_FORMAT)}. Request a new token."
    return None


def revoked_at(app: "GeoCatalog") -> Optional[dt.datetime]:
    doc = app.store.get(REVOCATION_KIND, "", "all")
    return _parse_time(doc["revokedAt"]) if doc else None


def blob_container(href: str) -> Optional[str]:
    """The container of an emulator blob href (``http(s)://host/blobs/{container}/{name}``, or host-relative
    ``/blobs/...`` as the STAC API stores them), else None."""
    parts = urlsplit(href)
    if parts.scheme not in ("http", "https", "") or not parts.path.startswith("/blobs/"):
        return None
    container, _, name = parts.path[len("/blobs/") :].partition("/")
    return unquote(container) if container and name else None


def sign_href(app: "GeoCatalog", href: str, minutes: Optional[int] = None) -> str:
    """Append a SAS token to an emulator blob href; other hrefs come back unchanged.

    An existing SAS in the href's query is replaced, not duplicated; other query parameters stay.
    """
    return _sign(app, href, minutes)[0]


def _sign(app: "GeoCatalog", href: str, minutes: Optional[int]) -> Tuple[str, Optional[dt.datetime]]:
    container = blob_container(href)
    if container is None:
        return href, None
    token, expiry = issue_token(app, container, minutes)
    parts = urlsplit(href)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in SAS_KEYS]
    query = "&".join(q for q in (urlencode(kept), token) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment)), expiry


# -- handlers ---------------------------------------------------------------------------------------


def get_token(app: "GeoCatalog", request: Request) -> Response:
    """A token for the container of a collection's assets (the container is the collection id)."""
    collection_id = request.params["collection_id"]
    minutes = duration_minutes(request)
    if app.store.get("collection", "", collection_id) is None:
        raise not_found("Collection", collection_id)
    token, expiry = issue_token(app, collection_id, minutes)
    return Response.json({"msft:expiry": expiry_text(expiry), "token": token})


def get_signed_link(app: "GeoCatalog", request: Request) -> Response:
    """The href with a fresh token when it is an emulator blob href; other hrefs unchanged. The answer
    always has ``msft:expiry`` (the service states one for any href)."""
    href = request.arg("href")
    if not href:
        raise bad_request("The query parameter 'href' is required.", "MissingParameter")
    minutes = duration_minutes(request)
    signed, expiry = _sign(app, href, minutes)
    if expiry is None:
        expiry = (utcnow() + dt.timedelta(minutes=minutes)).replace(microsecond=0)
    return Response.json({"msft:expiry": expiry_text(expiry), "href": signed})


def revoke(app: "GeoCatalog", request: Request) -> Response:
    """Refuse every token issued until now (the service answers 200 without a body)."""
    duration_minutes(request)  # accepted and checked like the service's parameter; it has no effect here
    app.store.put(REVOCATION_KIND, "", "all", {"revokedAt": utcnow().strftime(ISSUED_FORMAT)})
    return Response.empty(200)


def routes(app: "GeoCatalog") -> Router:
    """The SAS routes and the blob endpoint they guard."""
    router = Router()
    table = [
        ("POST", "/sas/token/revoke", revoke),
        ("GET", "/sas/token/{collection_id}", get_token),
        ("GET", "/sas/sign", get_signed_link),
    ]
    for method, template, handler in table:
        router.add(method, template, lambda request, handler=handler: handler(app, request))
    router.include(blobs.routes(app, lambda container, query: check_token(app, container, query)))
    return router
