# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Hand-written additions to the ``stac`` group: searches across pages (``item_search``, ``list_items``).

Written once, async, in ``aio/operations/_stac_patch.py``; the sync twin in ``operations/`` is
generated from that text."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from azure.core.tracing.decorator_async import distributed_trace_async

from ... import models as _models
from ..._datetime import DateTimeLike, expand_datetime
from ..._pystac_client import register_client
from ..._runtime import UnparsedResponse, json_body
from ..._search import (
    NextRequest,
    PageOptions,
    check_counts,
    get_search_href,
    search_body,
    search_keywords,
    search_method,
    with_limit,
)
from ...operations._operations import build_stac_get_item_collection_request, build_stac_search_request
from .._item_search import AsyncItemSearch
from ._operations import StacOperations as _GeneratedStacOperations

__all__: List[str] = ["StacConveniences"]

#: The keywords each search takes, for the message about one it does not.
_ITEM_SEARCH_KEYWORDS = (
    "body collections ids bounding_box intersects datetime filter filter_lang query sort_by fields "
    "page_size max_items sign duration_in_minutes method"
).split()
_LIST_ITEMS_KEYWORDS = "collection_id bounding_box datetime page_size max_items sign duration_in_minutes".split()


class StacConveniences(_GeneratedStacOperations):
    """The hand-written methods of the ``stac`` group (a base of the public ``StacOperations``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        register_client(self)  # pystac objects of this endpoint follow their links through it (sync only)

    def item_search(
        self,
        body: Optional[Union[_models.StacSearchParameters, Mapping[str, Any]]] = None,
        *,
        collections: Optional[Union[str, Sequence[str]]] = None,
        ids: Optional[Union[str, Sequence[str]]] = None,
        bounding_box: Optional[Sequence[float]] = None,
        intersects: Optional[Union[_models.Geometry, Mapping[str, Any], Any]] = None,
        datetime: Optional[DateTimeLike] = None,
        filter: Optional[Union[Mapping[str, Any], str]] = None,
        filter_lang: Optional[Union[str, _models.FilterLanguage]] = None,
        query: Optional[Mapping[str, Any]] = None,
        sort_by: Optional[Union[str, Sequence[Union[str, _models.StacSortExtension, Mapping[str, Any]]]]] = None,
        fields: Optional[Union[str, Sequence[str], Mapping[str, Any]]] = None,
        page_size: Optional[int] = None,
        max_items: Optional[int] = None,
        sign: Optional[Union[str, _models.StacAssetUrlSigningMode]] = None,
        duration_in_minutes: Optional[int] = None,
        method: str = "POST",
        **kwargs: Any,
    ) -> AsyncItemSearch:
        """Search items across all pages (POST ``/stac/search``, following each page's ``next`` link).

        Nothing is sent until you iterate the result (the call itself sends nothing, so there is
        nothing to await): ``async for item in search`` (every item, page by page),
        ``search.pages()``, ``await search.item_collection()`` or ``await search.number_matched()``.

        Give the criteria as ``body`` (a :class:`~azure.planetarycomputer.models.StacSearchParameters`
        or a JSON mapping with wire keys), as keywords, or both (keywords win). pystac-client's
        keyword names work too: ``bbox`` (``bounding_box``), ``sortby`` (``sort_by``), ``limit``
        (``page_size``), ``fields`` and ``method``; dates, months and years in ``datetime`` cover
        the whole day, month or year as with pystac-client, so both return the same items.

        Signing: ``sign="true"`` has the service sign every asset href of every page, which costs
        nothing extra and suits items you read right away. To sign later, or again after the links
        expire, or items from elsewhere, use ``await client.sas.sign(item)`` (one cached token
        per collection).

        :param body: Search criteria. Default value is None.
        :type body: ~azure.planetarycomputer.models.StacSearchParameters or JSON
        :keyword collections: Collection IDs to search. Default value is None.
        :paramtype collections: str or list[str]
        :keyword ids: Item IDs to return. Default value is None.
        :paramtype ids: str or list[str]
        :keyword bounding_box: west, south, east, north (and optionally elevations), WGS 84; sent as
            ``bbox``. Default value is None.
        :paramtype bounding_box: list[float]
        :keyword intersects: A GeoJSON geometry (a model, a mapping, or an object with
            ``__geo_interface__`` such as a shapely geometry). Default value is None.
        :paramtype intersects: ~azure.planetarycomputer.models.Geometry or JSON
        :keyword datetime: An instant or a period: "2021" (that year), "2021-11" (that month),
            "2021-11-16" (that day), an RFC 3339 date-time (no zone means UTC), "start/end" of those
            (".." or "" for an open side), a datetime (naive means UTC), a date (that day), or a
            (start, end) pair of those with None for an open side. Default value is None.
        :paramtype datetime: str or ~datetime.datetime or ~datetime.date or tuple
        :keyword filter: A CQL2 filter: JSON (a mapping) or text. Default value is None.
        :paramtype filter: JSON or str
        :keyword filter_lang: "cql2-json" or "cql2-text"; guessed from ``filter`` when not given.
            Default value is None.
        :paramtype filter_lang: str or ~azure.planetarycomputer.models.FilterLanguage
        :keyword query: A STAC query-extension object. Default value is None.
        :paramtype query: JSON
        :keyword sort_by: Sort fields as ``{"field", "direction"}`` entries, or text such as
            "-properties.datetime,id" (``-`` for descending); sent as ``sortby``. Default value is None.
        :paramtype sort_by: str or list
        :keyword fields: Fields to return (the fields extension): ``{"include": [...], "exclude":
            [...]}``, or names such as "id,-assets" (``-`` to exclude). Default value is None.
        :paramtype fields: str or list[str] or JSON
        :keyword page_size: Items per page (sent as ``limit``). Default value is None (the service's).
        :paramtype page_size: int
        :keyword max_items: Stop after this many items; no further page is requested. Default value
            is None (all).
        :paramtype max_items: int
        :keyword sign: "true" to get asset hrefs back signed by the service. Default value is None.
        :paramtype sign: str or ~azure.planetarycomputer.models.StacAssetUrlSigningMode
        :keyword duration_in_minutes: How long service-signed hrefs stay valid. Default value is None.
        :paramtype duration_in_minutes: int
        :keyword method: "POST" (the default) or "GET" (the criteria as query parameters of
            ``/stac/search``); both give the same items.
        :paramtype method: str

        :return: The search, iterable over :class:`~azure.planetarycomputer.models.StacItem`.
        :rtype: ~azure.planetarycomputer.aio.AsyncItemSearch
        :raises TypeError: If ``body`` is of an unsupported type, ``cls`` is given, or a keyword is
            unknown (the message lists those it takes).
        :raises ValueError: If ``bounding_box``, ``datetime``, ``page_size``, ``max_items`` or
            ``method`` is malformed.
        """
        ours: Dict[str, Any] = {"bounding_box": bounding_box, "sort_by": sort_by, "page_size": page_size}
        search_keywords("item_search", kwargs, ours, _ITEM_SEARCH_KEYWORDS)
        verb = search_method(method)
        criteria = search_body(
            body,
            collections=collections,
            ids=ids,
            bounding_box=ours["bounding_box"],
            intersects=intersects,
            datetime=datetime,
            filter=filter,
            filter_lang=filter_lang,
            query=query,
            sort_by=ours["sort_by"],
            fields=fields,
            page_size=ours["page_size"],
        )
        check_counts(ours["page_size"], max_items)
        options = PageOptions(sign, duration_in_minutes, kwargs)

        async def first(limit: Optional[int]) -> UnparsedResponse:
            if verb == "GET":
                href = get_search_href(self._config.endpoint, with_limit(criteria, limit))
                return await self._get_item_page(NextRequest("GET", href, None, {}, {}), options)
            return await self._search_page(with_limit(criteria, limit), options.operation_kwargs())

        async def follow(request: NextRequest) -> UnparsedResponse:
            if request.method == "POST":
                return await self._search_page(request.body or {}, options.operation_kwargs(request))
            return await self._get_item_page(request, options)

        return AsyncItemSearch(
            first, follow, body=criteria if verb == "POST" else None, max_items=max_items, config=self._config
        )

    def list_items(
        self,
        collection_id: str,
        *,
        bounding_box: Optional[Sequence[float]] = None,
        datetime: Optional[DateTimeLike] = None,
        page_size: Optional[int] = None,
        max_items: Optional[int] = None,
        sign: Optional[Union[str, _models.StacAssetUrlSigningMode]] = None,
        duration_in_minutes: Optional[int] = None,
        **kwargs: Any,
    ) -> AsyncItemSearch:
        """All the items of a collection, across pages (GET ``/stac/collections/{id}/items`` and its
        ``next`` links).

        Nothing is sent until you iterate the result. For service-signed hrefs pass ``sign="true"``;
        to sign later use ``await client.sas.sign(item)`` (see :meth:`item_search`).

        :param collection_id: The collection's ID. Required.
        :type collection_id: str
        :keyword bounding_box: Keep only items intersecting west, south, east, north (WGS 84).
            Default value is None.
        :paramtype bounding_box: list[float]
        :keyword datetime: As for :meth:`item_search` (whole days, months and years). Default
            value is None.
        :paramtype datetime: str or ~datetime.datetime or ~datetime.date or tuple
        :keyword page_size: Items per page (sent as ``limit``). Default value is None.
        :paramtype page_size: int
        :keyword max_items: Stop after this many items. Default value is None (all).
        :paramtype max_items: int
        :keyword sign: "true" to get asset hrefs back signed by the service. Default value is None.
        :paramtype sign: str or ~azure.planetarycomputer.models.StacAssetUrlSigningMode
        :keyword duration_in_minutes: How long service-signed hrefs stay valid. Default value is None.
        :paramtype duration_in_minutes: int

        :return: The items, iterable over :class:`~azure.planetarycomputer.models.StacItem`.
        :rtype: ~azure.planetarycomputer.aio.AsyncItemSearch
        :raises TypeError: If ``cls`` is given, or a keyword is unknown (the message lists those it
            takes; pystac-client's ``bbox`` and ``limit`` are accepted).
        :raises ValueError: If ``bounding_box``, ``datetime``, ``page_size`` or ``max_items`` is malformed.
        """
        ours: Dict[str, Any] = {"bounding_box": bounding_box, "page_size": page_size}
        search_keywords("list_items", kwargs, ours, _LIST_ITEMS_KEYWORDS)
        bounding_box, page_size = ours["bounding_box"], ours["page_size"]
        if bounding_box is not None and len(bounding_box) not in (4, 6):
            raise ValueError(f"bounding_box must have 4 or 6 numbers, got {len(bounding_box)}")
        check_counts(page_size, max_items)
        bbox = [str(v) for v in bounding_box] if bounding_box is not None else None
        when = expand_datetime(datetime)
        options = PageOptions(sign, duration_in_minutes, kwargs)

        async def first(limit: Optional[int]) -> UnparsedResponse:
            limit = limit if limit is not None else page_size
            return await self._item_collection_page(collection_id, limit, bbox, when, options.operation_kwargs())

        async def follow(request: NextRequest) -> UnparsedResponse:
            if request.method == "POST":
                return await self._search_page(request.body or {}, options.operation_kwargs(request))
            return await self._get_item_page(request, options)

        return AsyncItemSearch(first, follow, body=None, max_items=max_items, config=self._config)

    # Traced under the names of the operations they send, as those would be.
    @distributed_trace_async(name_of_span="StacOperations.get_item_collection")
    async def _item_collection_page(
        self,
        collection_id: str,
        limit: Optional[int],
        bounding_box: Optional[List[str]],
        datetime: Optional[str],
        kwargs: Dict[str, Any],
    ) -> UnparsedResponse:
        """GET ``/stac/collections/{id}/items`` as :meth:`get_item_collection` does, the page left unparsed."""
        request = build_stac_get_item_collection_request(
            collection_id=collection_id,
            limit=limit,
            bounding_box=bounding_box,
            datetime=datetime,
            sign=kwargs.pop("sign"),
            duration_in_minutes=kwargs.pop("duration_in_minutes"),
            api_version=self._config.api_version,
            headers=kwargs.pop("headers", None),
            params=kwargs.pop("params", None),
        )
        kwargs.pop("content_type", None)  # no body
        return await self._run_unparsed(
            self._prepare(request), kwargs, "StacItemCollection", error_model="ErrorResponse"
        )

    @distributed_trace_async(name_of_span="StacOperations.search")
    async def _search_page(self, body: Dict[str, Any], kwargs: Dict[str, Any]) -> UnparsedResponse:
        """POST ``/stac/search`` as :meth:`search` does, the page left unparsed."""
        request = build_stac_search_request(
            sign=kwargs.pop("sign"),
            duration_in_minutes=kwargs.pop("duration_in_minutes"),
            content_type=kwargs.pop("content_type", None),
            content=json_body(body),
            api_version=self._config.api_version,
            headers=kwargs.pop("headers", None),
            params=kwargs.pop("params", None),
        )
        return await self._run_unparsed(
            self._prepare(request), kwargs, "StacItemCollection", error_model="ErrorResponse"
        )

    async def _get_item_page(self, request: NextRequest, options: PageOptions) -> UnparsedResponse:
        """GET a next link through the client's pipeline (its auth, retries, api-version), unparsed."""
        http_request = self._next_page_request(options.get_href(request.href))
        headers, kwargs = options.get_headers_and_kwargs(request)
        http_request.headers.update(headers)
        return await self._run_unparsed(http_request, kwargs, "StacItemCollection", error_model="ErrorResponse")
