"""A small ``multipart/form-data`` parser (RFC 7578) for the collection asset uploads.

It reads what azure-core sends (over requests or aiohttp), what ``requests(files=...)`` and
``curl -F`` send: parts separated by ``--boundary`` lines, each with a ``Content-Disposition:
form-data; name="..."[; filename="..."]`` header and optional ``Content-Type``. CRLF line ends
are expected; bare LF is tolerated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple
from urllib.parse import unquote

from .errors import bad_request

#: ``name=value`` or ``name="quoted value"`` parameters of a header (quoted values may hold ``;``).
_PARAM = re.compile(r';\s*([\w*.-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


@dataclass
class Part:
    """One form field: its name, the uploaded file name (if any), its media type and bytes."""

    name: str
    data: bytes
    filename: Optional[str] = None
    content_type: Optional[str] = None

    def text(self) -> str:
        return self.data.decode("utf-8-sig")


def header_params(value: str) -> Tuple[str, Dict[str, str]]:
    """``'form-data; name="a"; filename="b.png"'`` -> ``("form-data", {"name": "a", "filename": "b.png"})``."""
    main, _, rest = value.partition(";")
    params: Dict[str, str] = {}
    for key, raw in _PARAM.findall(";" + rest):
        raw = raw.strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        key = key.lower()
        if key.endswith("*"):  # RFC 5987: filename*=utf-8''na%C3%AFve.png
            _, _, encoded = raw.partition("''")
            params[key[:-1]] = unquote(encoded or raw)
        else:
            params.setdefault(key, raw)
    return main.strip().lower(), params


def boundary_of(content_type: str) -> str:
    """The boundary of a ``multipart/form-data`` Content-Type; 400 when it is not one."""
    kind, params = header_params(content_type or "")
    if kind != "multipart/form-data":
        raise bad_request(f"Send the asset as multipart/form-data (got Content-Type '{content_type or 'none'}').")
    boundary = params.get("boundary")
    if not boundary:
        raise bad_request("The multipart/form-data Content-Type has no boundary.")
    return boundary


def parse_form(content_type: str, body: bytes) -> Dict[str, Part]:
    """The parts of a ``multipart/form-data`` body by field name (the first part of each name)."""
    delimiter = b"--" + boundary_of(content_type).encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3 and not (len(chunks) == 2 and chunks[1].startswith(b"--")):
        raise bad_request("The multipart body has no parts delimited by its boundary.")
    parts: Dict[str, Part] = {}
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):  # the closing delimiter
            break
        part = _parse_part(chunk)
        parts.setdefault(part.name, part)
    return parts


def _parse_part(chunk: bytes) -> Part:
    # A part is: the line end after the delimiter, headers, a blank line, content, the line end
    # that belongs to the next delimiter.
    chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk[1:] if chunk.startswith(b"\n") else chunk
    head, sep, data = chunk.partition(b"\r\n\r\n")
    if not sep:
        head, sep, data = chunk.partition(b"\n\n")
    if not sep:
        raise bad_request("A multipart part has no blank line between its headers and its content.")
    data = data[:-2] if data.endswith(b"\r\n") else data[:-1] if data.endswith(b"\n") else data
    headers = _headers(head)
    disposition, params = header_params(headers.get("content-disposition", ""))
    if disposition != "form-data" or "name" not in params:
        raise bad_request("Each multipart part needs 'Content-Disposition: form-data; name=\"...\"'.")
    return Part(params["name"], data, params.get("filename") or None, headers.get("content-type"))


def _headers(head: bytes) -> Dict[str, str]:
    headers: Dict[str, str] = {}
    lines: List[str] = head.decode("utf-8", errors="replace").replace("\r\n", "\n").split("\n")
    for line in lines:
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    return headers
