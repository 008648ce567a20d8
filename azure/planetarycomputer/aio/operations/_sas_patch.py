# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Hand-written additions to the ``sas`` group (also ``shared_access_signature``): signing with
cached tokens.

Written once, async, in ``aio/operations/_sas_patch.py``; the sync twin in ``operations/`` is
generated from that text."""

from __future__ import annotations

from typing import Any, List, Optional, TypeVar

from ..._pickling import client_spec, rebuild_sas, signed
from .._sas_signer import AsyncSasSigner
from ._operations import SasOperations as _GeneratedSasOperations

__all__: List[str] = ["SasConveniences"]

T = TypeVar("T")


class SasConveniences(_GeneratedSasOperations):
    """The hand-written methods of the ``sas`` group (a base of the public ``SasOperations``).

    ``sign``, ``sign_inplace`` and ``sign_href`` sign asset hrefs with SAS tokens cached per
    collection by this group's :attr:`signer`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signer = AsyncSasSigner(self)

    def __reduce__(self) -> Any:
        # ``client.sas`` (and so ``client.sas.sign_href``) pickles as how to reach the GeoCatalog: in
        # another process (a Dask worker) it is the sas group of that process's own client.
        return (rebuild_sas, (client_spec(self),))

    @property
    def signer(self) -> AsyncSasSigner:
        """The signer shared by this client: tokens of 60 minutes, cached per collection.

        :rtype: ~azure.planetarycomputer.aio.AsyncSasSigner
        """
        return self._signer

    async def sign(self, obj: T) -> T:
        """A signed deep copy of a STAC item, collection or item collection (model, dict or pystac),
        or a signed href string; see :meth:`AsyncSasSigner.sign <azure.planetarycomputer.aio.AsyncSasSigner.sign>`.

        :param obj: What to sign.
        :return: The signed copy.
        :raises TypeError: If ``obj`` is not a STAC object or a string.
        :raises ~azure.core.exceptions.HttpResponseError: If the service refuses a token.
        """
        return await self._signer.sign(obj)

    async def sign_inplace(self, obj: T) -> T:
        """Sign the asset hrefs of ``obj`` in place and return it; the sync client's is usable as
        pystac-client's ``modifier``. See :meth:`AsyncSasSigner.sign_inplace
        <azure.planetarycomputer.aio.AsyncSasSigner.sign_inplace>`.

        :param obj: What to sign.
        :return: ``obj`` itself.
        :raises TypeError: If ``obj`` is not a STAC object.
        :raises ~azure.core.exceptions.HttpResponseError: If the service refuses a token.
        """
        return await self._signer.sign_inplace(obj)

    async def sign_href(self, href: str, collection_id: Optional[str] = None) -> str:
        """Sign one href with the collection's cached token when the href is on the storage account
        and container the collection's own assets name (or on this client's endpoint); other blob
        hrefs are signed by the service (``get_url``, one per container); hrefs that are not blob
        URLs, already signed, or plain http to another machine come back unchanged.

        The sync client's is odc-stac's ``patch_url``: ``odc.stac.load(items, patch_url=client.sas.sign_href,
        chunks={})``. A signed href pickles unsigned and is signed again where it is unpickled, so a
        Dask worker reads with its own cached, renewed token, never one baked into the task graph.

        :param str href: The URL.
        :param str collection_id: The collection the href belongs to. Default value is None.
        :return: The signed href.
        :rtype: str
        :raises ~azure.core.exceptions.HttpResponseError: If the service refuses to sign.
        """
        return signed(await self._signer.sign_href(href, collection_id), href, collection_id, self)

    async def revoke_token(self, *, duration_in_minutes: Optional[int] = None, **kwargs: Any) -> None:
        """Revoke the SAS tokens issued for the catalog's managed storage.

        Tokens handed out earlier stop working; the :attr:`signer` forgets its cached ones.

        :keyword duration_in_minutes: Lifetime of the token in minutes. Only callers the service has
            approved may choose it; others get the default lifetime. Default value is None.
        :paramtype duration_in_minutes: int

        :return: None
        :rtype: None
        :raises ~azure.core.exceptions.HttpResponseError:
        """
        await super().revoke_token(duration_in_minutes=duration_in_minutes, **kwargs)
        self._signer.clear()
