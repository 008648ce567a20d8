"""The blob endpoint (``GET``/``HEAD /blobs/{container}/{name*}``) and streamed blob writes.

Ingested and uploaded files live in the store's blob folder; this endpoint serves them the way
Azure Blob Storage does for a SAS URL: no bearer token, a SAS token in the query instead (checked
by the ``authorize`` callable the SAS API passes in), byte ranges for COG readers, and errors as
Azure Storage XML with ``x-ms-error-code``.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Dict, Iterator, List, Optional, Tuple
from xml.sax.saxutils import escape

from .http import Request, Response, Router
from .storage import Store

if TYPE_CHECKING:
    from .catalog import GeoCatalog

#: (container, query) -> why the request is refused, or None to serve it.
Authorize = Callable[[str, Dict[str, List[str]]], Optional[str]]

CHUNK = 1024 * 1024
#: Bodies up to this size are sent whole (with Content-Length); larger full reads are streamed chunked.
MEMORY_LIMIT = 64 * 1024 * 1024
CONTENT_TYPES = {
    ".tif": "image/tiff; application=geotiff",
    ".tiff": "image/tiff; application=geotiff",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".json": "application/json",
    ".geojson": "application/geo+json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".html": "text/html",
    ".parquet": "application/x-parquet",
    ".nc": "application/netcdf",
    ".h5": "application/x-hdf5",
    ".hdf": "application/x-hdf",
    ".zip": "application/zip",
}


def content_type(name: str) -> str:
    """The Content-Type for a blob name, by extension."""
    suffix = Path(name).suffix.lower()
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def write_blob_stream(store: Store, container: str, name: str, source: BinaryIO) -> Path:
    """Copy a readable stream into a blob, chunk by chunk, atomically (temporary file, then rename)."""
    path = store.blob_path(container, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def storage_error(status: int, code: str, message: str) -> Response:
    """An error as Azure Blob Storage sends it: XML body plus ``x-ms-error-code``."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
    ).encode()
    return Response(status, body, {"Content-Type": "application/xml", "x-ms-error-code": code})


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: Optional[str], size: int) -> Optional[Tuple[int, int]]:
    """``bytes=a-b`` / ``bytes=a-`` / ``bytes=-n`` -> inclusive (start, end); None for the whole blob.

    Raises ValueError when the range cannot be satisfied. Multiple ranges are not supported (like
    Azure, the whole blob is returned).
    """
    if not header:
        return None
    found = _RANGE.match(header.strip().replace(" ", ""))
    if not found:
        return None
    first, last = found.groups()
    if first == "" and last == "":
        return None
    if first == "":
        length = int(last)
        if length == 0 or size == 0:
            raise ValueError("empty suffix range")
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        raise ValueError("range starts past the end")
    return start, end


def _read(path: Path, start: int, length: int) -> bytes:
    with open(path, "rb") as source:
        source.seek(start)
        return source.read(length)


def _stream(path: Path, start: int, length: int) -> Iterator[bytes]:
    with open(path, "rb") as source:
        source.seek(start)
        while length > 0:
            chunk = source.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


def _headers(path: Path, name: str) -> Dict[str, str]:
    stat = path.stat()
    modified = dt.datetime.fromtimestamp(stat.st_mtime, dt.timezone.utc)
    return {
        "Content-Type": content_type(name),
        "Accept-Ranges": "bytes",
        "ETag": f'"0x{stat.st_mtime_ns:X}{stat.st_size:X}"',
        "Last-Modified": modified.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        "x-ms-blob-type": "BlockBlob",
    }


def serve_blob(app: "GeoCatalog", authorize: Authorize, request: Request) -> Response:
    """One blob (or a byte range of it), once the SAS token opens its container."""
    container, name = request.params["container"], request.params["name"]
    if not all(value.isascii() for values in request.query.values() for value in values):
        # SAS fields are ASCII; Azure Storage answers a malformed one 400, never 500.
        return storage_error(400, "InvalidQueryParameterValue", "A query parameter holds non-ASCII characters.")
    refused = authorize(container, request.query)
    if refused is not None:
        return storage_error(403, "AuthenticationFailed", refused)
    try:
        path = app.store.blob_path(container, name)
    except ValueError:
        path = None
    if path is None or not path.is_file():
        return storage_error(404, "BlobNotFound", f"The specified blob does not exist: {container}/{name}.")
    size = path.stat().st_size
    headers = _headers(path, name)
    try:
        wanted = parse_range(request.headers.get("x-ms-range") or request.headers.get("range"), size)
    except ValueError:
        message = "The range specified is invalid for the current size of the resource."
        error = storage_error(416, "InvalidRange", message)
        error.headers["Content-Range"] = f"bytes */{size}"
        return error
    status, start, length = 200, 0, size
    if wanted is not None:
        status, start, length = 206, wanted[0], wanted[1] - wanted[0] + 1
        headers["Content-Range"] = f"bytes {wanted[0]}-{wanted[1]}/{size}"
    # The server writes Content-Length for byte bodies only; a HEAD needs it too, so HEAD reads the blob.
    if request.method == "HEAD" or length <= MEMORY_LIMIT:
        return Response(status, _read(path, start, length), headers)
    return Response(status, _stream(path, start, length), headers)


def routes(app: "GeoCatalog", authorize: Authorize) -> Router:
    """``GET`` and ``HEAD /blobs/{container}/{name*}``."""
    router = Router()
    for method in ("GET", "HEAD"):
        router.add(method, "/blobs/{container}/{name*}", lambda request: serve_blob(app, authorize, request))
    return router
