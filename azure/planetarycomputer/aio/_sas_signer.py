# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The signer behind ``client.sas.sign``: :class:`AsyncSasSigner`.

Written once, async, in ``aio/_sas_signer.py``; the sync ``_sas_signer.py`` is generated from that
text. What to sign in an object, the token cache and href rules live in ``_signing.py``.
"""

from __future__ import annotations

import datetime as _dt
import threading
from typing import Any, Awaitable, Callable, Dict, Optional, Tuple, TypeVar, Union

from .._pickling import client_spec, rebuild_signer
from .._signing import (
    _MAX_ENTRIES,
    _Cache,
    _copy,
    _Key,
    _set_href,
    _signed_href,
    _targets,
    _token_text,
    append_token,
    needs_signing,
)
from ._primitives import Lock

__all__ = ["AsyncSasSigner"]

T = TypeVar("T")


class AsyncSasSigner:
    """Signs STAC asset hrefs with SAS tokens cached per collection (safe to share between threads,
    or between tasks with the async client).

    Usually reached as ``client.sas.signer`` (with shortcuts ``await client.sas.sign(obj)``,
    ``sign_inplace`` and ``sign_href``); create your own for another token lifetime:
    ``AsyncSasSigner(client.sas, duration_in_minutes=15)``.

    Signing on the client suits items you keep and read later (a token is fetched per collection
    and reused until shortly before it expires) and items from anywhere (files, pystac, other
    searches). For items you read right away, ``sign="true"`` on ``stac.search`` / ``item_search`` /
    ``get_item`` has the service sign them in the same response instead.

    :param sas: The client's ``sas`` operation group (or the client itself).
    :type sas: ~azure.planetarycomputer.aio.operations.SasOperations
    :keyword duration_in_minutes: Lifetime to ask for each token. Default value is 60; None for the
        service's default.
    :paramtype duration_in_minutes: int
    :keyword refresh_margin: Fetch a new token this long before the cached one expires (at most
        half its lifetime). Default value is 5 minutes.
    :paramtype refresh_margin: ~datetime.timedelta or float (seconds)
    """

    def __init__(
        self,
        sas: Any,
        *,
        duration_in_minutes: Optional[int] = 60,
        refresh_margin: Union[_dt.timedelta, float] = _dt.timedelta(minutes=5),
    ) -> None:
        self._sas = getattr(sas, "sas", sas)
        self._cache = _Cache(duration_in_minutes, refresh_margin)
        self._locks: Dict[_Key, Lock] = {}
        self._locks_guard = threading.Lock()  # held only to look up a key's lock, never across a fetch

    @property
    def duration_in_minutes(self) -> Optional[int]:
        """The token lifetime asked for, in minutes (None: the service's default)."""
        return self._cache.duration_in_minutes

    def __repr__(self) -> str:
        return f"{type(self).__name__}(duration_in_minutes={self.duration_in_minutes}, cached={len(self._cache)})"

    def __reduce__(self) -> Any:
        # Pickled (Dask workers, other processes) as how to reach the GeoCatalog, never with its tokens:
        # each process signs with one signer of its own, its tokens cached and renewed there.
        return (rebuild_signer, (client_spec(self._sas), self.duration_in_minutes, self._cache.refresh_margin))

    async def _cached(self, key: _Key, fetch: Callable[[], Awaitable[Tuple[Any, Optional[_dt.datetime]]]]) -> Any:
        value = self._cache.get(key)
        if value is not None:
            return value
        with self._locks_guard:
            lock = self._locks.get(key)
            if lock is None:
                if len(self._locks) >= _MAX_ENTRIES:  # many hrefs signed one by one: forget idle locks
                    self._locks = {k: v for k, v in self._locks.items() if v.locked()}
                lock = self._locks[key] = Lock()
        async with lock:
            value = self._cache.get(key)  # another caller may have fetched it while we waited
            if value is None:
                value, expires_on = await fetch()
                self._cache.put(key, value, expires_on)
        return value

    async def get_token(self, collection_id: str) -> str:
        """The SAS token of a collection (a query string), from the cache or fetched.

        :param str collection_id: The collection's ID.
        :return: The token, to append to blob URLs after ``?`` or give to an Azure Storage client.
        :rtype: str
        :raises ~azure.core.exceptions.HttpResponseError: If the service refuses the token.
        """

        async def fetch() -> Tuple[str, Optional[_dt.datetime]]:
            token = await self._sas.get_token(collection_id, duration_in_minutes=self.duration_in_minutes)
            return _token_text(token, collection_id), token.expires_on

        return str(await self._cached(("token", collection_id), fetch))

    async def sign_href(self, href: str, collection_id: Optional[str] = None) -> str:
        """Sign one href; hrefs that are not blob URLs, or already signed, come back unchanged.

        :param str href: The URL.
        :param str collection_id: The collection whose token to use; without it the service signs
            the href (``sas.get_url``, cached per href).
        :return: The signed href.
        :rtype: str
        :raises ~azure.core.exceptions.HttpResponseError: If the service refuses to sign.
        """
        if not needs_signing(href):
            return href
        if collection_id:
            return append_token(href, await self.get_token(collection_id))

        async def fetch() -> Tuple[str, Optional[_dt.datetime]]:
            link = await self._sas.get_url(href=href, duration_in_minutes=self.duration_in_minutes)
            return _signed_href(link), link.expires_on

        return str(await self._cached(("href", href), fetch))

    async def sign_inplace(self, obj: T) -> T:
        """Sign the asset hrefs of ``obj`` in place.

        Takes a :class:`~azure.planetarycomputer.models.StacItem`,
        :class:`~azure.planetarycomputer.models.StacCollection` or
        :class:`~azure.planetarycomputer.models.StacItemCollection`, their wire-form dicts, or pystac
        ``Item``, ``Collection``, ``ItemCollection`` and ``Asset`` objects. The sync client's is
        usable as pystac-client's ``modifier``.

        :param obj: What to sign.
        :return: ``obj`` itself.
        :raises TypeError: If ``obj`` is not a STAC object (or is a string: use :meth:`sign_href`).
        :raises ~azure.core.exceptions.HttpResponseError: If the service refuses a token.
        """
        if isinstance(obj, str):
            raise TypeError("A string cannot be signed in place: use sign_href(href) or sign(href)")
        for asset, href, collection_id in _targets(obj):
            _set_href(asset, await self.sign_href(href, collection_id))
        return obj

    async def sign(self, obj: T) -> T:
        """A signed deep copy of ``obj`` (which is left as it was); for a string, the signed href.

        Takes what :meth:`sign_inplace` takes, and href strings.

        :param obj: What to sign.
        :return: The signed copy.
        :raises TypeError: If ``obj`` is not a STAC object or a string.
        :raises ~azure.core.exceptions.HttpResponseError: If the service refuses a token.
        """
        if isinstance(obj, str):
            return await self.sign_href(obj)  # type: ignore[return-value]
        _targets(obj)  # refuse unknown types before copying
        return await self.sign_inplace(_copy(obj))

    def clear(self) -> None:
        """Forget every cached token and signed href (``sas.revoke_token`` does this)."""
        self._cache.clear()
