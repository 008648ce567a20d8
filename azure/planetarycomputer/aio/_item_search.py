# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The pager of ``stac.item_search`` and ``stac.list_items``: :class:`AsyncItemSearch`.

Written once, async, in ``aio/_item_search.py``; the sync ``_item_search.py`` is generated from
that text. Following next links, clipping to ``max_items`` and refusing loops live in
``_search.py``; the operation groups supply two callables, ``first(limit)`` (the first page) and
``follow(next_request)`` (a next page), each returning the page as received (``PageResponse``).
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Awaitable, Callable, Dict, Optional

from .._guards import DEFAULT_MAX_EMPTY_PAGES
from .._search import (
    NextLinks,
    NextRequest,
    PageResponse,
    asked_page_size,
    clip_page,
    collect_items,
    may_go_on,
    number_matched,
)
from ..models import StacItem, StacItemCollection
from ._primitives import Ahead, let_others_run, search_geo_interface, sleep

__all__ = ["AsyncItemSearch"]

#: Items handed out between turns given to the event loop (async: a page fetched ahead reads its
#: response meanwhile; sync: threads need no turns).
ITEMS_PER_TURN = 50

#: Seconds a page's caller waits after starting the next page's request, so that the request is
#: sent before the caller parses the page (it takes well under that on an idle machine)...
SEND_GRACE = 0.003
#: ... when the page has at least this many bytes (its parse takes longer than the wait).
BIG_PAGE = 256 * 1024


AsyncFirstPage = Callable[[Optional[int]], Awaitable[PageResponse]]
AsyncFollowPage = Callable[[NextRequest], Awaitable[PageResponse]]


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
        config: Any = None,
    ) -> None:
        self._first = first
        self._follow = follow
        self._body = body
        self._max_items = max_items
        self._config = config  # the client's: where next links may point, how many empty pages

    def __aiter__(self) -> AsyncIterator[StacItem]:
        return self.items()

    @property
    def __geo_interface__(self) -> Dict[str, Any]:
        """Every item (all pages, up to ``max_items``) as a GeoJSON FeatureCollection, for geopandas,
        shapely and other geo libraries; each read runs the search again. Sync searches only: an
        async search has none (AttributeError).

        :rtype: dict[str, any]
        :raises AttributeError: For an async search.
        """
        return search_geo_interface(self)

    async def items(self) -> AsyncIterator[StacItem]:
        """The items, across pages, up to ``max_items``.

        :return: An iterator of items; the next page is fetched while you read the current one.
        :rtype: ~typing.AsyncIterator[~azure.planetarycomputer.models.StacItem]
        :raises ~azure.core.exceptions.HttpResponseError: If a page request fails.
        """
        pages: Any = self.pages()  # a generator: closed below
        try:
            async for page in pages:
                for index, item in enumerate(page.features or []):
                    if index % ITEMS_PER_TURN == ITEMS_PER_TURN - 1:
                        await let_others_run()  # the page fetched ahead makes progress meanwhile
                    yield item
                del page  # not held while the next page is parsed
        finally:
            await pages.aclose()  # now, not when collected: a page fetched ahead is dropped at once

    async def pages(self) -> AsyncIterator[StacItemCollection]:
        """The responses, one per page; the last one is cut to ``max_items``.

        The next page is requested as soon as a page has arrived, its next link read from the end
        of the raw bytes, so the network works while the page is parsed and read: at most one page
        ahead, none past ``max_items``, and a page under way when the caller stops early is
        dropped. The page's own ``next`` link, once parsed, decides: a request it does not name is
        dropped and the one it names is sent.

        :return: An iterator of pages.
        :rtype: ~typing.AsyncIterator[~azure.planetarycomputer.models.StacItemCollection]
        :raises ~azure.core.exceptions.HttpResponseError: If a page request fails.
        :raises ~azure.planetarycomputer.PagingError: If a next link repeats an earlier request, or too
            many pages in a row are empty (the service would loop); a ``RuntimeError``.
        :raises ~azure.planetarycomputer.UntrustedUrlError: If a next link points away from the client's
            endpoint (nothing is sent there); a ``ValueError``.
        """
        remaining = self._max_items
        if remaining == 0:
            return
        links = NextLinks(
            self._body,
            config=self._config,
            max_empty_pages=getattr(self._config, "max_empty_pages", DEFAULT_MAX_EMPTY_PAGES),
        )
        page_size = asked_page_size(self._body)  # then the largest page seen
        response: Optional[PageResponse] = await self._first(None)
        while response is not None:
            # The next link read from the raw bytes: its request goes out while this page is parsed.
            # None when this page may be the last one wanted (max_items), or the tail does not show it.
            body = response.body
            guessed = links.guess(body) if may_go_on(remaining, page_size) else None
            ahead = None if guessed is None else Ahead(self._follow, guessed)
            if ahead is not None and len(body) >= BIG_PAGE:
                # The parse below holds the interpreter (json.loads never lets go of it) for tens of
                # milliseconds: give the request a moment to leave first, or it leaves after it.
                await sleep(SEND_GRACE)
            elif ahead is not None:
                await let_others_run()
            try:
                page = response.parse()
            except BaseException:
                if ahead is not None:
                    ahead.cancel()
                raise
            response = None  # the raw bytes go as soon as the page is parsed
            del body
            page_size = max(page_size or 0, len(page.features or []))
            remaining, last = clip_page(page, remaining)
            refused: Optional[Exception] = None
            try:
                request = None if last else links.after(page)
            except Exception as error:  # a bad next link: raised once this page is handed out
                request, refused = None, error
            if ahead is not None and request != guessed:
                ahead.cancel()  # the page's own next link is another request (or there is none)
                ahead = None
            if ahead is None and request is not None:
                ahead = Ahead(self._follow, request)
                await let_others_run()  # send its request now, not when this page is used up
            try:
                yield page
            except BaseException:
                if ahead is not None:
                    ahead.cancel()
                raise
            if refused is not None:
                raise refused
            del page  # the caller is done with it: not held while the next one is parsed
            response = None if ahead is None else await ahead.result()

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
        return number_matched((await self._first(1)).parse())
