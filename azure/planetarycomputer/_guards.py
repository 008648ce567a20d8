# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Checks on what a caller or a server hands the client, made before anything is sent.

* :func:`path_argument`: path identifiers that would address another resource (``.``, ``..``,
  empty, whitespace-only, not a string) are refused; every generated request builder calls it.
* :func:`check_endpoint_url`: URLs a server names (next links, polling URLs, continuation tokens)
  must be on the client's own endpoint (scheme, host and port), where its bearer token may go.
* :class:`PageGuard`: a pager whose next link repeats, or that keeps answering empty pages, is
  stopped with :class:`PagingError` instead of looping for ever.
* :func:`retry_after_seconds`: a ``Retry-After`` header read safely and capped.

Each check is one function or class, shared by the sync and async clients and by the
hand-written conveniences.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import enum
import math
from typing import Any, Iterable, List, Mapping, Optional, Set, Tuple
from urllib.parse import quote, urljoin, urlsplit

from azure.core.exceptions import HttpResponseError

from ._serialization import Serializer

__all__ = [
    "DEFAULT_MAX_EMPTY_PAGES",
    "DEFAULT_MAX_RETRY_AFTER",
    "PageGuard",
    "PagingError",
    "UntrustedUrlError",
    "check_endpoint_url",
    "origin",
    "path_argument",
    "retry_after_seconds",
    "trusted_origins",
]

_SERIALIZER = Serializer()

#: Default longest wait a ``Retry-After`` header can ask for, in seconds.
DEFAULT_MAX_RETRY_AFTER = 60.0
#: Default number of consecutive empty pages after which a pager stops (the next link keeps changing).
DEFAULT_MAX_EMPTY_PAGES = 5

_DEFAULT_PORTS = {"http": 80, "https": 443}
_NUMBERS = ("int", "float", "long", "decimal")


# --------------------------------------------------------------------------- path parameters


def path_argument(name: str, value: Any, data_type: str, skip_quote: bool = False) -> str:
    """The quoted path segment for a path parameter, after refusing values that address something else.

    HTTP stacks resolve ``.`` and ``..`` segments before sending (``/collections/c/items/..``
    becomes ``/collections/c/``), and an empty or blank id names the parent collection. Ids must be
    strings: a list, number or bool given by mistake would otherwise be sent as its ``str()``.

    :param str name: The Python name of the parameter, for error messages.
    :param any value: The value given.
    :param str data_type: The parameter's type (``"str"``, ``"int"``, ``"float"`` or an enum's name).
    :param bool skip_quote: Send the text as is (the definition says it is already encoded).
    :return: The text for the URL template.
    :rtype: str
    :raises ValueError: If the value is None, empty, whitespace only, ``.`` or ``..``.
    :raises TypeError: If the value is not of the parameter's kind.
    """
    if value is None:
        raise ValueError(f"{name} must not be None")
    if isinstance(value, (bytes, bytearray)):
        pass  # the serializer names the fix (decode it first)
    elif data_type in _NUMBERS:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    elif not isinstance(value, (str, enum.Enum)):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    text = _SERIALIZER.url(name, value, data_type, skip_quote=True)  # the type checks, None and ""
    if not text.strip():
        raise ValueError(f"{name} must not be blank, got {text!r}")
    if text in (".", ".."):
        raise ValueError(f"{name} must not be {text!r}: the URL would address another resource")
    return text if skip_quote else quote(text, safe="")  # as Serializer.url quotes


# --------------------------------------------------------------------------- URLs a server names


class UntrustedUrlError(ValueError):
    """A URL named by a server (a next link, a polling URL, a continuation token) is not on the
    client's endpoint: following it would send the bearer token to another host. Nothing was sent.
    """


def origin(url: str) -> Tuple[str, str, int]:
    """(scheme, host, port) of an absolute URL, the port filled in for http and https.

    :param str url: An absolute URL.
    :return: The origin, lower-cased.
    :rtype: tuple[str, str, int]
    :raises ValueError: If the port is not a number.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or _DEFAULT_PORTS.get(scheme, 0)
    return scheme, (parts.hostname or "").lower().rstrip("."), port


def trusted_origins(values: Any) -> List[str]:
    """The ``trusted_origins`` client keyword, checked: http(s) URLs with a host (paths are ignored).

    :param values: None, one URL or a list of URLs.
    :type values: str or list[str] or None
    :return: The URLs.
    :rtype: list[str]
    :raises ValueError: If an entry is not an http(s) URL with a host (or its port is not a number).
    :raises TypeError: If an entry is not a str.
    """
    if values is None:
        return []
    found = [values] if isinstance(values, str) else list(values)
    for value in found:
        if not isinstance(value, str):
            raise TypeError(f"trusted_origins entries must be str, not {type(value).__name__}")
        scheme, host, _ = origin(value)
        if scheme not in _DEFAULT_PORTS or not host:
            raise ValueError(f"trusted_origins entries must look like 'https://host[:port]', got {value!r}")
    return found


def _origin_text(url: str) -> str:
    parts = urlsplit(url)
    port = parts.netloc.rpartition("@")[2].rpartition("]")[2].partition(":")[2]  # as written, maybe not a number
    return f"{parts.scheme}://{parts.hostname or ''}" + (f":{port}" if port else "")


def check_endpoint_url(url: str, config: Any, what: str) -> str:
    """``url`` resolved against the client's endpoint, if it is on the endpoint's origin.

    For any URL that came from a server and is about to be requested with the client's bearer
    token: next links of pagers and searches, ``Operation-Location``/``Location`` of long-running
    operations, URLs inside continuation tokens. A relative URL is joined to the endpoint. Origins
    listed in the client's ``trusted_origins`` keyword are accepted too.

    :param str url: The URL the server named.
    :param any config: The client's configuration (its ``endpoint`` and ``trusted_origins``), or an
        endpoint URL.
    :param str what: What the URL is, for the error message (e.g. "next link").
    :return: The absolute URL.
    :rtype: str
    :raises UntrustedUrlError: If the URL's scheme, host or port differs from the endpoint's.
    """
    endpoint = config if isinstance(config, str) else config.endpoint
    trusted: Iterable[str] = () if isinstance(config, str) else getattr(config, "trusted_origins", None) or ()
    absolute = urljoin(endpoint.rstrip("/") + "/", url)
    try:
        allowed = origin(absolute) in {origin(endpoint), *(origin(o) for o in trusted)}
    except ValueError:  # a port that is not a number
        allowed = False
    if not allowed:
        raise UntrustedUrlError(
            f"The {what} points at {_origin_text(absolute)!r}, not at the client's endpoint "
            f"{_origin_text(endpoint)!r}; refusing to send the client's credentials there. If that host "
            "is yours, pass trusted_origins=[...] to the client."
        )
    return absolute


# --------------------------------------------------------------------------- pagers


class PagingError(HttpResponseError, RuntimeError):
    """A pager stopped because the service would make it loop: a next link repeats an earlier one,
    or too many consecutive pages were empty while the next link kept changing.

    An ``HttpResponseError`` (the service misbehaves) and a ``RuntimeError``; it holds no response.
    """


class PageGuard:
    """The rule every pager follows before requesting a next page, sync or async.

    Call :meth:`check` with each next link about to be followed (or any key identifying the next
    request, e.g. a POST body) and the number of items of the page that carried it; call
    :meth:`reset` when an iteration starts over.

    :param max_empty_pages: Consecutive empty pages (each with a next link) allowed before stopping;
        None for no limit. Default value is 5.
    :type max_empty_pages: int or None
    :param str what: What is paged, for error messages. Default value is "pager".
    """

    def __init__(self, max_empty_pages: Optional[int] = DEFAULT_MAX_EMPTY_PAGES, what: str = "pager") -> None:
        if max_empty_pages is not None and (
            isinstance(max_empty_pages, bool) or not isinstance(max_empty_pages, int) or max_empty_pages < 1
        ):
            raise ValueError(f"max_empty_pages must be a positive integer or None, got {max_empty_pages!r}")
        self._max_empty = max_empty_pages
        self._what = what
        self._seen: Set[str] = set()
        self._empty = 0

    def reset(self) -> None:
        """Forget the links seen: the iteration starts over."""
        self._seen.clear()
        self._empty = 0

    def check(self, next_link: str, item_count: int) -> None:
        """Accept following ``next_link``, or raise if the pager would loop.

        :param str next_link: The next link (or another key identifying the next request).
        :param int item_count: How many items the page carrying the link held.
        :raises PagingError: If the link was followed before in this iteration, or if this page was
            the last empty page in a row allowed.
        """
        pages = len(self._seen) + 1
        if next_link in self._seen:
            raise PagingError(
                message=f"The {self._what} stopped: the next link of page {pages} repeats an earlier one, "
                "so the service would answer the same pages for ever"
            )
        self._seen.add(next_link)
        self._empty = self._empty + 1 if item_count == 0 else 0
        if self._max_empty is not None and self._empty >= self._max_empty:
            raise PagingError(
                message=f"The {self._what} stopped after {self._empty} empty pages in a row that each had a "
                "next link (pass max_empty_pages=None to the client to keep following them)"
            )


# --------------------------------------------------------------------------- Retry-After


def retry_after_seconds(
    headers: Mapping[str, str], max_retry_after: float = DEFAULT_MAX_RETRY_AFTER
) -> Optional[float]:
    """Seconds to wait that a response asks for, at most ``max_retry_after``; None if it asks nothing.

    Reads ``Retry-After`` (seconds or an HTTP date), else ``retry-after-ms`` / ``x-ms-retry-after-ms``.
    A value that cannot be read (text, NaN, a date no clock can hold) counts as absent; a date in
    the past is 0; a longer wait than ``max_retry_after`` is cut to it.

    :param headers: The response headers (case-insensitive mapping).
    :type headers: ~typing.Mapping[str, str]
    :param float max_retry_after: The longest wait honoured. Default value is 60.
    :return: The wait in seconds, or None.
    :rtype: float or None
    """
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    for name, scale in (("retry-after", 1.0), ("retry-after-ms", 0.001), ("x-ms-retry-after-ms", 0.001)):
        value = lowered.get(name, "").strip()
        if not value:
            continue
        delay = _seconds(value)
        if delay is None:
            return None
        return min(max(0.0, delay * scale), max_retry_after)
    return None


def _seconds(value: str) -> Optional[float]:
    try:
        delay = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, OverflowError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=_dt.timezone.utc)
        try:
            delay = (when - _dt.datetime.now(_dt.timezone.utc)).total_seconds()
        except OverflowError:
            return None
    return delay if math.isfinite(delay) else None
