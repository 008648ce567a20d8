"""Shared helpers for the golden files in tests/compat/ (stdlib only, plus
``requests`` when a request carries azure-core ``files=``).

Used by ``capture_official_requests.py`` to write ``official-1.0.0-requests.json``
and meant to be imported by our own tests so that both sides are normalised
the same way:

- :func:`encode_value` / :func:`decode_value` convert call arguments to and
  from JSON using these tags:

  ============================  =====================================
  Python value                  JSON
  ============================  =====================================
  ``bytes``                     ``{"__bytes_b64__": "<base64>"}``
  ``io.BytesIO``                ``{"__io_bytes_b64__": "<base64>"}``
  ``tuple``                     ``{"__tuple__": [...]}``
  ``datetime.datetime``         ``{"__datetime__": "<isoformat>"}``
  ============================  =====================================

  Everything else (str, int, float, bool, None, list, dict with str keys) is
  plain JSON. Enum-typed arguments are always passed as plain strings.

- :func:`request_record` turns an ``azure.core.rest.HttpRequest`` (or the
  legacy pipeline-transport request) into ``{"method", "url", "headers", "body"}``.
"""

import base64
import datetime as _dt
import io
import json

#: Headers that vary per run / per machine or are added by the auth policy; never recorded.
EXCLUDED_HEADERS = frozenset(["authorization", "user-agent", "x-ms-client-request-id", "traceparent"])

#: What the boundary is replaced with in a recorded multipart Content-Type.
BOUNDARY_PLACEHOLDER = "<boundary>"


# --------------------------------------------------------------------------- args


def encode_value(value):
    """Python call argument -> JSON-encodable value (see module docstring for tags)."""
    if isinstance(value, bytes):
        return {"__bytes_b64__": base64.b64encode(value).decode("ascii")}
    if isinstance(value, io.BytesIO):
        return {"__io_bytes_b64__": base64.b64encode(value.getvalue()).decode("ascii")}
    if isinstance(value, tuple):
        return {"__tuple__": [encode_value(v) for v in value]}
    if isinstance(value, _dt.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, list):
        return [encode_value(v) for v in value]
    if isinstance(value, dict):
        return {k: encode_value(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot encode {value!r}")


def decode_value(value):
    """Inverse of :func:`encode_value`; returns fresh objects (a new BytesIO each call)."""
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            ((tag, payload),) = value.items()
            if tag == "__bytes_b64__":
                return base64.b64decode(payload)
            if tag == "__io_bytes_b64__":
                return io.BytesIO(base64.b64decode(payload))
            if tag == "__tuple__":
                return tuple(decode_value(v) for v in payload)
            if tag == "__datetime__":
                return _dt.datetime.fromisoformat(payload)
        return {k: decode_value(v) for k, v in value.items()}
    return value


# --------------------------------------------------------------------------- requests


def _is_json_content_type(content_type):
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _bytes_of(content):
    """Body content (str / bytes / file-like / iterable of bytes) -> bytes, or None."""
    if content is None:
        return None
    if isinstance(content, str):
        return content.encode("utf-8")
    if isinstance(content, (bytes, bytearray)):
        return bytes(content)
    if isinstance(content, io.BytesIO):
        return content.getvalue()
    if hasattr(content, "read"):
        pos = content.tell() if hasattr(content, "tell") else None
        data = content.read()
        if pos is not None and hasattr(content, "seek"):
            content.seek(pos)
        return data if isinstance(data, bytes) else data.encode("utf-8")
    if hasattr(content, "__iter__"):
        return b"".join(c if isinstance(c, bytes) else c.encode("utf-8") for c in content)
    raise TypeError(f"unsupported body {type(content)!r}")


def _text_or_b64(data, key="content"):
    try:
        return {key: data.decode("utf-8")}
    except UnicodeDecodeError:
        return {key + "_b64": base64.b64encode(data).decode("ascii")}


def parse_multipart(body, content_type):
    """Split a multipart/form-data body into parts (in order), boundary dropped.

    Each part: ``{"name", "filename", "content_type", "content"}`` where
    ``content`` is the UTF-8 text, or, when the part is not valid UTF-8,
    ``"content_b64"`` replaces ``"content"``. ``filename`` / ``content_type``
    are null when the part has no filename / no Content-Type header.
    """
    boundary = None
    for piece in content_type.split(";")[1:]:
        k, _, v = piece.strip().partition("=")
        if k.lower() == "boundary":
            boundary = v.strip('"')
    if not boundary:
        raise ValueError(f"no boundary in {content_type!r}")
    delim = b"--" + boundary.encode("ascii")
    chunks = body.split(delim)
    # chunks[0] is the preamble, the last one starts with b"--" (epilogue)
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        if chunk.startswith(b"\r\n"):
            chunk = chunk[2:]
        if chunk.endswith(b"\r\n"):
            chunk = chunk[:-2]
        raw_headers, _, content = chunk.partition(b"\r\n\r\n")
        headers = {}
        for line in raw_headers.decode("utf-8").split("\r\n"):
            if line:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
        disp = headers.get("content-disposition", "")
        params = {}
        for piece in disp.split(";")[1:]:
            k, _, v = piece.strip().partition("=")
            params[k.lower()] = v.strip('"')
        part = {
            "name": params.get("name"),
            "filename": params.get("filename"),
            "content_type": headers.get("content-type"),
        }
        part.update(_text_or_b64(content))
        parts.append(part)
    return parts


def _encode_files_like_requests_transport(method, url, files, data):
    """Encode azure-core ``files=`` the way the default (requests) transport does."""
    import requests  # azure-core's sync transport dependency

    prepared = requests.Request(method, url, files=files, data=data or None).prepare()
    return prepared.body, prepared.headers["Content-Type"]


def request_record(http_request):
    """azure-core request -> ``{"method", "url", "headers", "body"}`` (see README.md)."""
    headers = {}
    for name, value in http_request.headers.items():
        if name.lower() in EXCLUDED_HEADERS:
            continue
        headers[name] = value

    files = getattr(http_request, "_files", None)
    if files is None:
        files = getattr(http_request, "files", None)
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), None)

    body = None
    if files:
        form = getattr(http_request, "_data", None)
        raw, ct = _encode_files_like_requests_transport(http_request.method, http_request.url, files, form)
        body = {"multipart": parse_multipart(raw, ct)}
        # the transport adds the Content-Type (with a random boundary); record it normalised
        headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        headers["Content-Type"] = "multipart/form-data; boundary=" + BOUNDARY_PLACEHOLDER
    else:
        content = getattr(http_request, "content", None)
        if content is None:
            content = getattr(http_request, "body", None)
        data = _bytes_of(content)
        if data is not None:
            media = (content_type or "").split(";", 1)[0].strip().lower()
            if media == "multipart/form-data":
                body = {"multipart": parse_multipart(data, content_type)}
                headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
                headers["Content-Type"] = "multipart/form-data; boundary=" + BOUNDARY_PLACEHOLDER
                headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
            elif _is_json_content_type(content_type):
                try:
                    body = json.loads(data.decode("utf-8"))
                except ValueError:
                    body = {"bytes_b64": base64.b64encode(data).decode("ascii")}
            else:
                body = {"bytes_b64": base64.b64encode(data).decode("ascii")}

    return {"method": http_request.method, "url": http_request.url, "headers": headers, "body": body}
