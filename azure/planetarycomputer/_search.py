# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Search across pages: the request logic of :class:`ItemSearch` and :class:`AsyncItemSearch`
(``aio/_item_search.py``, whose sync twin is generated as ``_item_search.py``).

``stac.item_search`` and ``stac.list_items`` return one of these. Nothing is sent until you
iterate; each page is fetched by following the previous page's ``next`` link, requested one page
ahead, as soon as the previous page has arrived (:meth:`NextLinks.guess` reads the link from the
end of the raw bytes; the parsed page's own link confirms it):

* a POST link (``/stac/search``) carries a ``body`` (with the page ``token``) and usually
  ``merge: true``, meaning "merge this into the body you sent last"; it is sent with the
  ``search`` operation, keeping the query of the link (``sign``, ``duration``);
* a GET link is an href with ``?token=...``; it is sent through the client's pipeline.

Here: the search body from keywords, next links (and loop detection), clipping to ``max_items``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Dict,
    List,
    NamedTuple,
    Optional,
    Protocol,
    Sequence,
    Set,
    Tuple,
    Union,
)
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from ._datetime import DateTimeLike, expand_datetime
from ._guards import DEFAULT_MAX_EMPTY_PAGES, PagingError, check_endpoint_url
from ._json_tail import top_level_links
from ._serialization import dumps, loads
from .models import StacItem, StacItemCollection

__all__ = ["search_body", "NextRequest", "PageOptions", "number_matched"]

#: The most pages one iteration follows; a safety net against a service that never stops.
MAX_PAGES = 100_000

#: pystac-client's names for keywords of ``item_search`` / ``list_items``, and ours they stand for.
PYSTAC_CLIENT_NAMES = {"bbox": "bounding_box", "sortby": "sort_by", "limit": "page_size"}

#: Per-request options of azure-core's pipeline that a search passes on to every page request.
PIPELINE_KEYWORDS = frozenset(
    {
        "headers",
        "params",
        "content_type",
        "error_map",
        "timeout",
        "connection_timeout",
        "read_timeout",
        "connection_verify",
        "connection_cert",
        "connection_data_block_size",
        "proxies",
        "user_agent",
        "retry_total",
        "retry_connect",
        "retry_read",
        "retry_status",
        "retry_backoff_factor",
        "retry_backoff_max",
        "retry_mode",
        "retry_on_status_codes",
        "permit_redirects",
        "redirect_max",
        "logging_enable",
        "logging_body",
        "network_span_namer",
        "tracing_attributes",
        "raw_request_hook",
        "raw_response_hook",
        "response_encoding",
        "enforce_https",
        "cls",  # refused with its own message by PageOptions
    }
)


# --------------------------------------------------------------------------- the request body


def _sort_by(value: Any) -> Optional[List[Any]]:
    """``sortby``: entries as given, or text such as ``"-properties.eo:cloud_cover,id"``."""
    if value is None:
        return None
    entries = value.split(",") if isinstance(value, str) else list(value)
    result: List[Any] = []
    for entry in entries:
        if isinstance(entry, str):
            text = entry.strip()
            if text:
                result.append({"field": text.lstrip("+-"), "direction": "desc" if text.startswith("-") else "asc"})
        else:
            result.append(entry)  # a StacSortExtension or a mapping
    return result


def _fields(value: Any) -> Optional[Dict[str, Any]]:
    """``fields``: ``{"include": [...], "exclude": [...]}`` as given, or names (``-name`` to exclude)."""
    if value is None or isinstance(value, Mapping):
        return None if value is None else dict(value)
    names = [part.strip() for entry in ([value] if isinstance(value, str) else value) for part in str(entry).split(",")]
    return {
        "include": [name.lstrip("+") for name in names if name and not name.startswith("-")],
        "exclude": [name[1:] for name in names if name.startswith("-")],
    }


def search_keywords(method: str, kwargs: Dict[str, Any], ours: Dict[str, Any], accepted: Sequence[str]) -> None:
    """Take pystac-client's names out of ``kwargs`` into ``ours``, and refuse keywords nobody knows.

    What is left in ``kwargs`` are pipeline options, passed on to every page request.

    :param method: The method's name, for messages.
    :param kwargs: The method's ``**kwargs``; changed in place.
    :param ours: The method's own keywords by name (``bounding_box``...); changed in place.
    :param accepted: Every keyword the method takes, for the message.
    :raises TypeError: If a keyword is unknown, or given under both names.
    """
    for alias, name in PYSTAC_CLIENT_NAMES.items():
        if alias not in kwargs or name not in ours:
            continue
        value = kwargs.pop(alias)
        if value is not None and ours[name] is not None:
            raise TypeError(f"{method}() got both {alias}= and {name}=, which mean the same: give one")
        if value is not None:
            ours[name] = value
    unknown = sorted(key for key in kwargs if key not in PIPELINE_KEYWORDS)
    if unknown:
        names = ", ".join(accepted)
        aliases = ", ".join(f"{alias} ({name})" for alias, name in PYSTAC_CLIENT_NAMES.items() if name in ours)
        raise TypeError(
            f"{method}() got an unexpected keyword argument {unknown[0]!r}. It takes {names}; pystac-client's "
            f"names {aliases}; and azure-core request options (headers, timeout, retry_total, ...)"
        )


def search_method(method: Optional[str]) -> str:
    """``method=`` of ``item_search``: "POST" (the default) or "GET".

    :raises ValueError: For any other method.
    """
    text = (method or "POST").upper()
    if text not in ("GET", "POST"):
        raise ValueError(f"method must be 'GET' or 'POST', got {method!r}")
    return text


def get_search_href(endpoint: str, criteria: Mapping[str, Any]) -> str:
    """The GET ``/stac/search`` URL for a search body (the STAC API's query form of each field)."""
    query: Dict[str, str] = {}
    for key, value in criteria.items():
        if value is None:
            continue
        if key in ("collections", "ids", "bbox"):
            query[key] = ",".join(str(v) for v in value)
        elif key == "sortby":
            query[key] = ",".join(
                ("-" if str(entry.get("direction", "asc")).lower() == "desc" else "+") + str(entry["field"])
                for entry in value
            )
        elif key == "fields":
            included = [f"+{name}" for name in value.get("include", [])]
            query[key] = ",".join(included + [f"-{name}" for name in value.get("exclude", [])])
        elif isinstance(value, str):
            query[key] = value
        else:
            query[key] = dumps(value)  # intersects, query, a CQL2-JSON filter
    return f"{endpoint.rstrip('/')}/stac/search?{urlencode(query)}"


def _names(value: Union[str, Sequence[str], None]) -> Optional[List[str]]:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def search_body(
    body: Any,
    *,
    collections: Union[str, Sequence[str], None] = None,
    ids: Union[str, Sequence[str], None] = None,
    bounding_box: Optional[Sequence[float]] = None,
    intersects: Any = None,
    datetime: Optional[DateTimeLike] = None,
    filter: Union[Mapping[str, Any], str, None] = None,
    filter_lang: Any = None,
    query: Optional[Mapping[str, Any]] = None,
    sort_by: Any = None,
    fields: Any = None,
    page_size: Optional[int] = None,
) -> Dict[str, Any]:
    """The POST ``/stac/search`` body: ``body`` (a model or a JSON mapping) with the keywords over it.

    :return: A new plain JSON dict with wire keys.
    :raises TypeError: If ``body`` is not a model, a mapping or JSON bytes.
    :raises ValueError: If ``bounding_box`` or ``page_size`` is malformed.
    """
    if body is None:
        criteria: Dict[str, Any] = {}
    elif isinstance(body, (bytes, bytearray)):
        criteria = loads(bytes(body))
    elif isinstance(body, Mapping):  # models are mappings of wire keys too
        criteria = loads(dumps(body))
    else:
        raise TypeError(f"body must be a StacSearchParameters model or a JSON mapping, got {type(body).__name__}")
    if not isinstance(criteria, dict):
        raise TypeError(f"body must be a JSON object, got {type(criteria).__name__}")
    if bounding_box is not None and len(bounding_box) not in (4, 6):
        raise ValueError(f"bounding_box must have 4 or 6 numbers, got {len(bounding_box)}")
    check_counts(page_size, None)
    if intersects is not None and hasattr(intersects, "__geo_interface__"):
        intersects = intersects.__geo_interface__  # shapely and friends, our items and geometries
    if isinstance(intersects, Mapping) and intersects.get("type") == "Feature":
        intersects = intersects.get("geometry")  # an item or feature: its footprint
    keywords = {
        "collections": _names(collections),
        "ids": _names(ids),
        "bbox": list(bounding_box) if bounding_box is not None else None,
        "intersects": intersects,
        "datetime": expand_datetime(datetime),
        "filter": filter,
        "filter-lang": filter_lang,
        "query": query,
        "sortby": _sort_by(sort_by),
        "fields": _fields(fields),
        "limit": page_size,
    }
    criteria.update(loads(dumps({k: v for k, v in keywords.items() if v is not None})))
    if "filter" in criteria and "filter-lang" not in criteria:
        criteria["filter-lang"] = "cql2-text" if isinstance(criteria["filter"], str) else "cql2-json"
    return criteria


def check_counts(page_size: Optional[int], max_items: Optional[int]) -> None:
    """:raises ValueError: If ``page_size`` is not positive or ``max_items`` is negative."""
    if page_size is not None and (not isinstance(page_size, int) or page_size < 1):
        raise ValueError(f"page_size must be a positive integer, got {page_size!r}")
    if max_items is not None and (not isinstance(max_items, int) or max_items < 0):
        raise ValueError(f"max_items must be a non-negative integer, got {max_items!r}")


# --------------------------------------------------------------------------- next links


class NextRequest(NamedTuple):
    """The request for the page after another, read from its ``next`` link."""

    method: str  # "GET" or "POST"
    href: str
    body: Optional[Dict[str, Any]]  # POST: the whole body to send (already merged)
    query: Dict[str, str]  # POST: the link's query, without api-version
    headers: Dict[str, str]


def _next_link(page: Any) -> Optional[Mapping[str, Any]]:
    for link in page.get("links") or []:
        if isinstance(link, Mapping) and link.get("rel") == "next" and link.get("href"):
            return link
    return None


class PageResponse(Protocol):
    """A page as received: its raw ``body`` now, the page itself from ``parse()``."""

    @property
    def body(self) -> bytes: ...

    def parse(self) -> StacItemCollection: ...


class NextLinks:
    """Turns each page's ``next`` link into the next request, and refuses to go round in circles."""

    def __init__(
        self,
        body: Optional[Dict[str, Any]],
        *,
        config: Any = None,
        max_empty_pages: Optional[int] = DEFAULT_MAX_EMPTY_PAGES,
    ) -> None:
        self._body = body or {}
        self._config = config  # the client's: next links must stay on its endpoint
        self._seen: Set[str] = set()
        if body is not None:
            self._seen.add(self._post_key(body))
        self._pages = 1
        self._max_empty = max_empty_pages
        self._empty = 0

    @staticmethod
    def _post_key(body: Dict[str, Any]) -> str:
        return "POST " + dumps(_sorted(body))

    def _request(self, link: Mapping[str, Any]) -> Tuple[NextRequest, str]:
        """(the request a next link asks for, its key for loop detection); checked against the endpoint.

        :raises ValueError: If the link's method is neither GET nor POST.
        :raises ~azure.planetarycomputer.UntrustedUrlError: If it points away from the client's endpoint.
        """
        method = str(link.get("method") or "GET").upper()
        href = str(link["href"])
        headers = {str(k): str(v) for k, v in (link.get("headers") or {}).items()}
        if method == "POST":
            link_body = link.get("body")
            if link_body is None:
                body = dict(self._body)
            elif link.get("merge"):
                body = {**self._body, **link_body}
            else:
                body = dict(link_body)
            query = {k: v for k, v in parse_qsl(urlsplit(href).query, keep_blank_values=True) if k != "api-version"}
            request, key = NextRequest("POST", href, body, query, headers), self._post_key(body)
        elif method == "GET":
            request, key = NextRequest("GET", href, None, {}, headers), "GET " + href
        else:
            raise ValueError(f"The next link of page {self._pages} has method {method!r}; only GET and POST are known")
        if self._config is not None:  # before anything is sent: the request carries the bearer token
            check_endpoint_url(href, self._config, f"next link of search page {self._pages}")
        return request, key

    def guess(self, body: bytes) -> Optional[NextRequest]:
        """The request :meth:`after` will most likely return for the page whose raw ``body`` this is,
        read from the end of the bytes before the page is parsed (see ``_json_tail``); nothing is
        counted. None when the tail does not show it, or it would be refused (``after`` says why).

        :param body: The raw body of the page just received.
        """
        if self._pages + 1 > MAX_PAGES or (self._max_empty is not None and self._empty + 1 >= self._max_empty):
            return None  # after() may stop the search at this page: send nothing more
        link = _next_link({"links": top_level_links(body) or []})
        if link is None:
            return None
        try:
            request, key = self._request(link)
        except (ValueError, TypeError, AttributeError):  # after() raises it, with the parsed page in hand
            return None
        return None if key in self._seen else request

    def after(self, page: StacItemCollection) -> Optional[NextRequest]:
        """The request for the page after ``page`` (None on the last page), counted.

        :raises ValueError: If the next link's method is neither GET nor POST.
        :raises ~azure.planetarycomputer.UntrustedUrlError: If it points away from the client's endpoint.
        :raises ~azure.planetarycomputer.PagingError: If it repeats an earlier request, or too many
            pages in a row were empty.
        """
        link = _next_link(page)
        if link is None:
            return None
        request, key = self._request(link)
        if key in self._seen:
            # The same request again would return the same page again, forever.
            raise PagingError(
                message=f"The next link of page {self._pages} ({request.method} {request.href.split('?')[0]}) "
                "repeats a request already made; stopping instead of looping"
            )
        self._empty = self._empty + 1 if not page.get("features") else 0
        if self._max_empty is not None and self._empty >= self._max_empty:
            raise PagingError(
                message=f"The search stopped after {self._empty} empty pages in a row that each had a next link "
                "(pass max_empty_pages=None to the client to keep following them)"
            )
        self._pages += 1
        if self._pages > MAX_PAGES:
            raise RuntimeError(f"Stopped after {MAX_PAGES} pages; narrow the search or pass max_items")
        self._seen.add(key)
        if request.body is not None:
            self._body = request.body
        return request


def _sorted(value: Any) -> Any:
    """A JSON tree with its objects' keys sorted (a canonical form to compare requests)."""
    if isinstance(value, Mapping):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


class PageOptions:
    """What every page request of one search carries: signing, headers, query and pipeline options.

    :raises TypeError: If ``cls`` is given (a search yields items, not one response).
    """

    def __init__(self, sign: Any, duration_in_minutes: Optional[int], kwargs: Dict[str, Any]) -> None:
        if "cls" in kwargs:
            raise TypeError("item_search and list_items do not take cls: iterate pages() to see each response")
        self.sign = sign
        self.duration_in_minutes = duration_in_minutes
        self.headers: Dict[str, str] = dict(kwargs.pop("headers", None) or {})
        self.params: Dict[str, Any] = dict(kwargs.pop("params", None) or {})
        self.content_type: Optional[str] = kwargs.pop("content_type", None)
        #: Pipeline options (and error_map) for every request.
        self.kwargs = kwargs

    def operation_kwargs(self, request: Optional[NextRequest] = None) -> Dict[str, Any]:
        """Keywords for a generated operation (the first page, or a POST next link)."""
        sign: Any = self.sign
        duration: Any = self.duration_in_minutes
        params, headers = dict(self.params), dict(self.headers)
        if request is not None:
            query = dict(request.query)
            sign = query.pop("sign", sign)
            duration = query.pop("duration", duration)
            params.update({k: quote(v, safe="") for k, v in query.items()})  # sent as given: quote now
            headers.update(request.headers)
        result = dict(self.kwargs, sign=sign, duration_in_minutes=duration)
        if params:
            result["params"] = params
        if headers:
            result["headers"] = headers
        if self.content_type is not None:
            result["content_type"] = self.content_type
        return result

    def get_href(self, href: str) -> str:
        """A GET next link, with this search's ``sign``/``duration`` where the link lost them."""
        present = {k for k, _ in parse_qsl(urlsplit(href).query, keep_blank_values=True)}
        missing = {
            key: str(getattr(value, "value", value))
            for key, value in (("sign", self.sign), ("duration", self.duration_in_minutes))
            if value is not None and key not in present
        }
        if not missing:
            return href
        return f"{href}{'&' if urlsplit(href).query else '?'}{urlencode(missing)}"

    def get_headers_and_kwargs(self, request: NextRequest) -> Tuple[Dict[str, str], Dict[str, Any]]:
        """(headers, pipeline keywords) for a GET next link; ``error_map`` stays in the keywords."""
        return {**self.headers, **request.headers}, dict(self.kwargs)


def with_limit(body: Dict[str, Any], limit: Optional[int]) -> Dict[str, Any]:
    return body if limit is None else {**body, "limit": limit}


def number_matched(page: StacItemCollection) -> Optional[int]:
    """``numberMatched`` of a page, or the context extension's ``matched``; None when neither is there."""
    matched = page.get("numberMatched")
    if matched is None:
        context = page.get("context")
        matched = context.get("matched") if isinstance(context, Mapping) else None
    return matched if isinstance(matched, int) and not isinstance(matched, bool) else None


def clip_page(page: StacItemCollection, remaining: Optional[int]) -> Tuple[Optional[int], bool]:
    """Count a page against ``max_items`` (cutting its features to fit): (items still wanted, last page?)."""
    if remaining is None:
        return None, False
    features = page.features or []
    if len(features) >= remaining:
        if len(features) > remaining:
            page["features"] = list(features[:remaining])
        return 0, True
    return remaining - len(features), False


def asked_page_size(body: Optional[Dict[str, Any]]) -> Optional[int]:
    """The ``limit`` of a search body, if it is a page size."""
    limit = (body or {}).get("limit")
    return limit if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0 else None


def may_go_on(remaining: Optional[int], page_size: Optional[int]) -> bool:
    """Whether a page can be known not to be the last one wanted before it is parsed."""
    return remaining is None or (page_size is not None and remaining > page_size)


def collect_items(items: List[StacItem]) -> StacItemCollection:
    return StacItemCollection(type="FeatureCollection", features=items)
