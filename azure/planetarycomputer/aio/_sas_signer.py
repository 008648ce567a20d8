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
from typing import Any, Awaitable, Callable, Dict, FrozenSet, Optional, Tuple, TypeVar, Union

from azure.core.exceptions import HttpResponseError

from .._pickling import client_spec, rebuild_signer
from .._sas_scope import Location, blob_location, collection_locations, container_token, is_signed
from .._signing import (
    _MAX_ENTRIES,
    _Cache,
    _collection_request,
    _copy,
    _endpoint_of,
    _Key,
    _service_answer,
    _set_href,
    _signed_href,
    _targets,
    _token_text,
    append_token,
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

    A collection's token goes only to hrefs on the storage account and container it was issued for
    (the collection's own asset hrefs, read from the service, name them) or to the client's own
    endpoint (an emulator's ``/blobs/``), never over plain http to another machine: an item cannot
    send the token elsewhere by naming another host. See :meth:`sign_href`.

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
        self._endpoint = _endpoint_of(self._sas)  # the emulator's /blobs/ rule holds on this host only
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
        """Sign one href; hrefs that are not blob URLs, already signed, or plain http to another
        machine come back unchanged.

        :param str href: The URL.
        :param str collection_id: The collection the href belongs to: its token is used when the
            service said the href's account and container are the collection's (its own asset
            hrefs name them) or the href is on the client's endpoint (an emulator's ``/blobs/``).
            Other blob hrefs are signed by the service (``sas.get_url``), whose container token is
            then reused for that container only; one the service will not sign (400, 404: not the
            catalog's storage) stays unsigned.
        :return: The signed href.
        :rtype: str
        :raises ~azure.core.exceptions.HttpResponseError: If the service refuses to sign.
        """
        location = blob_location(href, self._endpoint)
        if location is None or is_signed(href):
            return href
        if collection_id and (location.own or location in await self._locations(collection_id)):
            return append_token(href, await self.get_token(collection_id))
        token = self._cache.get(("container", location))
        if token is not None:
            return append_token(href, token)
        return await self._signed_by_service(href, location)

    async def _locations(self, collection_id: str) -> FrozenSet[Location]:
        """Where the collection's token may go: the locations its own asset hrefs name (read from
        the service, never from the items being signed)."""

        async def fetch() -> Tuple[FrozenSet[Location], None]:
            run = getattr(self._sas, "_run", None)
            if run is None:  # not our operation group: nothing is known, the service signs
                return frozenset(), None
            request = _collection_request(collection_id, self._sas._config.api_version)
            collection = await run(request, {}, (200,), "StacCollection", error_model="ErrorResponse")
            return frozenset(collection_locations(collection, self._endpoint)), None

        return await self._cached(("locations", collection_id), fetch)  # type: ignore[no-any-return]

    async def _signed_by_service(self, href: str, location: Location) -> str:
        async def fetch() -> Tuple[str, Optional[_dt.datetime]]:
            try:
                link = await self._sas.get_url(href=href, duration_in_minutes=self.duration_in_minutes)
            except HttpResponseError as error:
                if error.status_code in (400, 404):  # not the catalog's storage: an unrelated href
                    return href, None
                raise
            signed = _signed_href(link)
            _service_answer(href, signed)
            token = container_token(href, signed)
            if token is not None:  # a container SAS: good for the rest of this container only
                self._cache.put(("container", location), token, link.expires_on)
            return signed, link.expires_on

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
