# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The pager of ``stac.item_search`` and ``stac.list_items``: :class:`AsyncItemSearch`.

Written once, async, in ``aio/_item_search.py``; the sync ``_item_search.py`` is generated from
that text. Following next links, clipping to ``max_items`` and refusing loops live in
``_search.py``; the operation groups supply two callables, ``first(limit)`` (the first page) and
``follow(next_request)`` (a next page).
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Awaitable, Callable, Dict, Optional

from .._search import NextLinks, NextRequest, clip_page, collect_items, number_matched
from ..models import StacItem, StacItemCollection

__all__ = ["AsyncItemSearch"]

AsyncFirstPage = Callable[[Optional[int]], Awaitable[StacItemCollection]]
AsyncFollowPage = Callable[[NextRequest], Awaitable[StacItemCollection]]


class AsyncItemSearch:
    """The items of a search, across all its pages, fetched page by page as you iterate.

    Returned by ``client.stac.item_search`` and ``client.stac.list_items`` (nothing to await: the
    requests are sent as you iterate); don't create it yourself. Each iteration runs the search
    again from the first page.

    .. code-block:: python

        search = client.stac.item_search(collections=["naip"], bounding_box=[-84.5, 33.6, -84.3, 33.7],
                                          page_size=100, max_items=500)
        async for item in search:          # StacItem, across pages
            print(item.id)
        async for page in search.pages():  # StacItemCollection per response
            print(len(page.features))
        everything = await search.item_collection()
    """

    def __init__(
        self,
        first: AsyncFirstPage,
        follow: AsyncFollowPage,
        *,
        body: Optional[Dict[str, Any]],
        max_items: Optional[int],
    ) -> None:
        self._first = first
        self._follow = follow
        self._body = body
        self._max_items = max_items

    def __aiter__(self) -> AsyncIterator[StacItem]:
        return self.items()

    async def items(self) -> AsyncIterator[StacItem]:
        """The items, across pages, up to ``max_items``.

        :return: An iterator of items; a page is requested only when the previous one is used up.
        :rtype: ~typing.AsyncIterator[~azure.planetarycomputer.models.StacItem]
        :raises ~azure.core.exceptions.HttpResponseError: If a page request fails.
        """
        async for page in self.pages():
            for item in page.features or []:
                yield item

    async def pages(self) -> AsyncIterator[StacItemCollection]:
        """The responses, one per page; the last one is cut to ``max_items``.

        :return: An iterator of pages.
        :rtype: ~typing.AsyncIterator[~azure.planetarycomputer.models.StacItemCollection]
        :raises ~azure.core.exceptions.HttpResponseError: If a page request fails.
        :raises RuntimeError: If a next link repeats an earlier request (the service would loop).
        """
        remaining = self._max_items
        if remaining == 0:
            return
        links = NextLinks(self._body)
        page = await self._first(None)
        while True:
            remaining, last = clip_page(page, remaining)
            yield page
            request = None if last else links.after(page)
            if request is None:
                return
            page = await self._follow(request)

    async def item_collection(self) -> StacItemCollection:
        """All the items (up to ``max_items``) in one ``FeatureCollection``.

        :return: The items of every page.
        :rtype: ~azure.planetarycomputer.models.StacItemCollection
        :raises ~azure.core.exceptions.HttpResponseError: If a page request fails.
        """
        return collect_items([item async for item in self.items()])

    async def number_matched(self) -> Optional[int]:
        """How many items the search matches in all, as the service reports it (one small request).

        :return: ``numberMatched`` (or the context extension's ``matched``), or None if the service
            does not report it.
        :rtype: int or None
        :raises ~azure.core.exceptions.HttpResponseError: If the request fails.
        """
        return number_matched(await self._first(1))
