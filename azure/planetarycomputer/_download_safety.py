# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The download guards, without I/O on the network: shared by the sync and async downloaders.

What a server or an item says is data, never an instruction:

* local hrefs (``file://``, absolute or relative paths) are copied only when the caller allows it
  (``allow_local_hrefs=True``) or the document was read from a file the caller named;
* a response sent with a ``Content-Encoding`` (gzip, deflate, br) may decode to at most
  ``max_decoded_size`` bytes (a small compressed body cannot fill the disk);
* ``timeout=`` bounds the whole call, however slowly a server trickles its bytes;
* ``Retry-After`` waits are capped (``max_retry_after``; the client's capped retry policy), values
  that cannot be read count as absent, and no retry waits past ``timeout=``;
* partial files have short, predictable names (``.<name>.part``, shortened with a hash when the
  name is long), so an interrupted download resumes with an HTTP range request (when the server
  supports ranges and the file did not change, by its ETag) and leftovers of older runs are removed;
* no live signature is written to disk: hrefs kept in written JSON lose their SAS query.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional
from urllib.parse import unquote, urlsplit, urlunsplit

from ._auth import is_loopback
from ._guards import DEFAULT_MAX_RETRY_AFTER
from ._sas_scope import SAS_KEYS, is_signed

__all__ = [
    "DownloadTimeoutError",
    "DecodedSizeError",
    "LocalHrefError",
    "Deadline",
    "DecodedSizeLimit",
    "partial_path",
    "stale_partials",
    "ResumeInfo",
    "DEFAULT_MAX_RETRY_AFTER",
    "strip_signatures",
]

#: Default cap of the decoded size of a content-encoded response (1 GiB).
DEFAULT_MAX_DECODED_SIZE = 1024**3
#: Longest file name most file systems accept, in bytes.
NAME_MAX = 255
_PART = ".part"


class DownloadTimeoutError(TimeoutError):
    """The download did not finish within ``timeout`` seconds."""


class DecodedSizeError(ValueError):
    """A content-encoded response decoded to more than ``max_decoded_size`` bytes."""


class LocalHrefError(PermissionError):
    """An href names a local file, and local files are not copied unless allowed."""


class Deadline:
    """The end of an overall ``timeout`` (None: no end)."""

    def __init__(self, timeout: Optional[float]) -> None:
        if timeout is not None and (not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0):
            raise ValueError(f"timeout must be a positive number of seconds or None; got {timeout!r}")
        self.timeout = timeout
        self._end = None if timeout is None else time.monotonic() + float(timeout)

    def remaining(self) -> Optional[float]:
        """Seconds left (0 once passed), or None without a deadline."""
        return None if self._end is None else max(0.0, self._end - time.monotonic())

    def expired(self) -> bool:
        return self._end is not None and time.monotonic() >= self._end

    def error(self) -> DownloadTimeoutError:
        return DownloadTimeoutError(f"the download did not finish within timeout={self.timeout} seconds")


class DecodedSizeLimit:
    """Counts the decoded bytes of one response; raises past the cap when the body is content-encoded."""

    def __init__(self, headers: Mapping[str, str], cap: Optional[int]) -> None:
        encoding = (headers.get("Content-Encoding") or "").strip().lower()
        self.cap = cap if encoding not in ("", "identity") else None
        self.encoding = encoding
        self.count = 0

    def add(self, size: int) -> None:
        self.count += size
        if self.cap is not None and self.count > self.cap:
            raise DecodedSizeError(
                f"the {self.encoding}-encoded response decoded to more than max_decoded_size={self.cap} bytes; "
                "pass a larger max_decoded_size (or None) if the file is really that large"
            )


def _encoded_length(text: str) -> int:
    return len(os.fsencode(text))


def partial_path(path: Path) -> Path:
    """The hidden sibling a download writes to before the rename: ``.<name>.part``.

    Predictable, so a later run finds it and resumes; names too long for that
    (``NAME_MAX``, in bytes) keep a prefix and a hash of the whole name.
    """
    name = path.name
    if _encoded_length(f".{name}{_PART}") <= NAME_MAX:
        return path.with_name(f".{name}{_PART}")
    digest = hashlib.sha256(os.fsencode(name)).hexdigest()[:16]
    budget = NAME_MAX - _encoded_length(f".~{digest}{_PART}")
    prefix = name
    while _encoded_length(prefix) > budget:
        prefix = prefix[:-1]
    return path.with_name(f".{prefix}~{digest}{_PART}")


def _info_path(partial: Path) -> Path:
    """Where the validator of a partial file is kept (``.<name>.part`` → ``.<name>.part.json`` fits
    NAME_MAX only for short names; long ones use the hash form)."""
    name = partial.name
    if _encoded_length(name + ".json") <= NAME_MAX:
        return partial.with_name(name + ".json")
    digest = hashlib.sha256(os.fsencode(name)).hexdigest()[:16]
    return partial.with_name(f".{digest}{_PART}.json")


#: Partial files of older runs named ``.<name>.<12 hex>.part`` (and this one's JSON files).
_OLD_PART = re.compile(r"^\.(?P<name>.+)\.[0-9a-f]{12}\.part$")


def stale_partials(path: Path) -> List[Path]:
    """Leftovers of interrupted runs for ``path`` that cannot be resumed (random-suffixed partial
    files of earlier versions, and of the JSON writer): safe to delete before writing ``path``."""
    found: List[Path] = []
    try:
        siblings = list(path.parent.iterdir())
    except OSError:
        return found
    for sibling in siblings:
        match = _OLD_PART.match(sibling.name)
        if match and match.group("name") == path.name:
            found.append(sibling)
    return found


class ResumeInfo:
    """What is known about a partial file: its size and the validator (ETag) of the response it
    came from. A partial file without a strong ETag is not resumed (the remote file may have changed)."""

    def __init__(self, partial: Path) -> None:
        self.partial = partial
        self.info = _info_path(partial)
        self.offset = 0
        self.etag: Optional[str] = None
        try:
            size = partial.stat().st_size
            data = json.loads(self.info.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        etag = data.get("etag") if isinstance(data, dict) else None
        if isinstance(etag, str) and etag and not etag.startswith("W/") and size > 0:
            self.offset, self.etag = size, etag

    def request_headers(self) -> Dict[str, str]:
        """``Range`` and ``If-Range`` to ask for the rest of the file (empty: ask for all of it)."""
        if not self.offset or self.etag is None:
            return {}
        return {"Range": f"bytes={self.offset}-", "If-Range": self.etag}

    def continues(self, status: int, headers: Mapping[str, str]) -> bool:
        """Whether the response continues the partial file (a 206 starting at its end); False: the
        response is the whole file (the partial file is discarded)."""
        if status != 206 or not self.offset:
            return False
        match = re.match(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", headers.get("Content-Range") or "")
        if match is None or int(match.group(1)) != self.offset:
            raise ValueError(f"the server answered a range request with Content-Range {headers.get('Content-Range')!r}")
        return True

    def remember(self, status: int, headers: Mapping[str, str]) -> None:
        """Keep the response's validator beside the partial file, so a later run can resume it."""
        etag = headers.get("ETag")
        if status not in (200, 206) or not etag or etag.startswith("W/") or headers.get("Content-Encoding"):
            self.forget()
            return
        try:
            self.info.write_text(json.dumps({"etag": etag}), encoding="utf-8")
        except OSError:
            pass

    @property
    def resumable(self) -> bool:
        """Whether the partial file can be resumed later (its response's validator is kept)."""
        return self.info.exists()

    def discard(self) -> None:
        """Drop the partial file: the next request asks for the whole file."""
        self.forget()
        self.partial.unlink(missing_ok=True)
        self.offset, self.etag = 0, None

    def forget(self) -> None:
        try:
            self.info.unlink()
        except OSError:
            pass


def unsigned_href(href: str) -> str:
    """``href`` without the SAS keys of its query when it carries a signature; else unchanged."""
    parts = urlsplit(href)
    if not parts.query:
        return href
    pieces = [piece for piece in parts.query.split("&") if piece]
    if not any(unquote(piece.partition("=")[0]).lower() == "sig" for piece in pieces):
        return href
    kept = [piece for piece in pieces if unquote(piece.partition("=")[0]) not in SAS_KEYS]
    return urlunsplit(parts._replace(query="&".join(kept)))


def strip_signatures(data: Dict[str, Any]) -> Dict[str, Any]:
    """Remove live SAS signatures from the hrefs of a document about to be written (in place):
    assets, their ``alternate`` locations, and links. Returns ``data``."""

    def clean(holder: Any) -> None:
        if isinstance(holder, dict) and isinstance(holder.get("href"), str):
            holder["href"] = unsigned_href(holder["href"])

    for group in ("assets", "item_assets"):
        assets = data.get(group)
        if isinstance(assets, dict):
            for asset in assets.values():
                clean(asset)
                alternate = asset.get("alternate") if isinstance(asset, dict) else None
                if isinstance(alternate, dict):
                    for entry in alternate.values():
                        clean(entry)
    for link in data.get("links") or []:
        clean(link)
    return data


def check_clear_text(url: str) -> None:
    """Refuse to send a signed URL over plain http to a host that is not loopback (whoever signed it).

    :raises ValueError: If ``url`` carries a signature in clear text to another machine.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() == "http" and is_signed(url) and not is_loopback(url):
        raise ValueError(
            f"refusing to send a SAS signature over plain http to {parts.hostname!r}: "
            "anyone on the way could read it; use the https href"
        )


def local_href_error(href: str) -> LocalHrefError:
    """The refusal of a local href (the path is named: the caller may know the file)."""
    return LocalHrefError(
        f"the href {href!r} names a local file, and local files are copied only with allow_local_hrefs=True "
        "(or when the document is read from a file you name): an item from a server must not make the "
        "downloader copy files of this machine"
    )
