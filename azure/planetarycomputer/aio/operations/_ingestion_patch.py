# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Hand-written additions to the ``ingestion`` group.

- :meth:`IngestionOperations.ingest_items`: add items (models, dicts, pystac objects) to a collection
  in batches and wait for the background operations;
- :meth:`IngestionOperations.wait_for_operations`: poll any operations until they finish;
- :meth:`IngestionOperations.ensure_sas_source` / :meth:`IngestionOperations.ensure_managed_identity_source`:
  register a storage container once, refreshing an expiring SAS token.

Written once, async, in ``aio/operations/_ingestion_patch.py``; the sync twin in ``operations/`` is
generated from that text (threads instead of tasks, see ``_primitives.py``). The result and error types are in
``_ingestion_results.py``, the parts that do not talk to the service in ``_ingestion_core.py``.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional

from azure.core.polling import AsyncLROPoller
from azure.core.tracing.decorator_async import distributed_trace_async

from ... import models as _models
from ..._ingestion_core import (
    DEFAULT_BATCH_SIZE,
    OperationLike,
    ProgressCallback,
    _as_operation,
    _check_container_url,
    _container_key,
    _expires_soon,
    _identity_body,
    _is_done,
    _next_sleep,
    _operation_from_response,
    _other_kind_error,
    _poll_waits,
    _request_bodies,
    _sas_body,
)
from ..._ingestion_results import IngestItemsResult, OperationsSummary, OperationsTimeoutError
from .._primitives import Workers, maybe_await, sleep
from ._operations import IngestionOperations as _GeneratedIngestionOperations
from ._operations import StacOperations as _GeneratedStacOperations

__all__: List[str] = ["IngestionConveniences"]


class IngestionConveniences(_GeneratedIngestionOperations):
    """The hand-written methods of the ``ingestion`` group (a base of the public ``IngestionOperations``)."""

    @distributed_trace_async
    async def ingest_items(
        self,
        collection_id: str,
        items: Any,
        *,
        wait: bool = True,
        polling_interval: Optional[float] = None,
        timeout: Optional[float] = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_concurrency: int = 4,
        progress: Optional[ProgressCallback] = None,
        **kwargs: Any,
    ) -> IngestItemsResult:
        """Add items to a collection and (by default) wait until the service has stored them.

        One item is sent as it is; many are sent as FeatureCollections of ``batch_size`` items, one
        request (and one background operation) per batch, through ``stac.begin_create_item``, up to
        ``max_concurrency`` batches at a time (the service stores them in the background). Each
        item's ``collection`` is set to ``collection_id`` (the service requires them to match); the
        items given are not changed.

        .. code-block:: python

            result = await client.ingestion.ingest_items("my-collection", items, polling_interval=5)
            print(len(result.succeeded), "batches stored")

        :param collection_id: The collection's ID. Required.
        :type collection_id: str
        :param items: One item (a ``StacItem``, a mapping or a ``pystac.Item``) or many (a list of
            them, a ``StacItemCollection``, a FeatureCollection mapping or a ``pystac.ItemCollection``).
            Required.
        :type items: ~azure.planetarycomputer.models.StacItem or
            ~azure.planetarycomputer.models.StacItemCollection or Mapping[str, Any] or list or
            ~pystac.Item or ~pystac.ItemCollection
        :keyword bool wait: Wait for the operations to finish and raise if any fails. Default value
            is True.
        :keyword float polling_interval: Seconds between polls. Default: the client's
            ``polling_interval`` when it was set; otherwise about 1 s, doubling up to 30 s.
        :keyword float timeout: Most seconds to wait; None waits as long as it takes.
        :keyword int batch_size: Most items per request. Default value is 100.
        :keyword int max_concurrency: Most batch requests in flight at once (and, when waiting, most
            operation polls). Default value is 4.
        :keyword progress: Called with an :class:`~azure.planetarycomputer.IngestItemsResult` after
            each round of polls (with the async client, awaited when it returns an awaitable).
        :paramtype progress: Callable[[~azure.planetarycomputer.OperationsSummary], Any]
        :return: The operations started, with their final status when waited for.
        :rtype: ~azure.planetarycomputer.IngestItemsResult
        :raises ~azure.planetarycomputer.OperationsFailedError: When waiting and an operation failed or
            was canceled (the message names the collection, the operations, their items and errors).
        :raises ~azure.planetarycomputer.OperationsTimeoutError: When waiting longer than ``timeout``.
        :raises ~azure.core.exceptions.HttpResponseError: If the service refuses a request.
        :raises TypeError: If ``items`` holds something that is not a STAC item.
        :raises ValueError: If an item has no id or is not of type ``Feature``.
        """
        if max_concurrency < 1:
            raise ValueError(f"max_concurrency must be at least 1, got {max_concurrency}")
        requests = _request_bodies(collection_id, items, batch_size)
        stac = _GeneratedStacOperations(self._client, self._config, self._serialize, self._deserialize)

        async def start(index: int) -> _models.Operation:
            # polling=False: the initial 202 answer (the operation record) is all we need from the poller
            poller: AsyncLROPoller[Any] = await stac.begin_create_item(
                collection_id, requests[index][0], polling=False, cls=lambda response, _d, _h: response, **kwargs
            )
            return _operation_from_response((await poller.result()).http_response, collection_id)

        started: Dict[int, _models.Operation] = {}
        # Leaving the block (a request failed) stops the requests still running.
        async with Workers(min(max_concurrency, len(requests)) or 1, "planetarycomputer-ingest") as workers:
            async for index, operation in workers.map_unordered(start, range(len(requests))):
                started[index] = operation
        operations = [started[index] for index in range(len(requests))]
        ids = [item_ids for _, item_ids in requests]
        result = IngestItemsResult(collection_id, operations, ids)
        if not wait or not operations:
            return result
        final = await self._wait(
            operations,
            polling_interval,
            timeout,
            max_concurrency,
            progress,
            kwargs,
            lambda ops: IngestItemsResult(collection_id, ops, ids),
        )
        final.raise_for_failures()
        return final  # type: ignore[return-value]

    @distributed_trace_async
    async def wait_for_operations(
        self,
        operations: Iterable[OperationLike],
        *,
        polling_interval: Optional[float] = None,
        timeout: Optional[float] = None,
        max_concurrency: int = 8,
        progress: Optional[ProgressCallback] = None,
        **kwargs: Any,
    ) -> OperationsSummary:
        """Poll operations until each has succeeded, failed or been canceled.

        Each round gets every unfinished operation (``get_operation``, at most ``max_concurrency``
        at a time), then sleeps (see ``polling_interval``). Failures are not raised: call
        ``raise_for_failures()`` on the summary.

        .. code-block:: python

            summary = await client.ingestion.wait_for_operations(operation_ids, polling_interval=5)
            summary.raise_for_failures()

        :param operations: Operation IDs, ``Operation`` records or pollers of ``begin_*`` methods.
            Required.
        :type operations: Iterable[str or ~azure.planetarycomputer.models.Operation or
            ~azure.core.polling.AsyncLROPoller]
        :keyword float polling_interval: Seconds between rounds of polls. Default: the client's
            ``polling_interval`` when it was set; otherwise about 1 s, doubling up to 30 s.
        :keyword float timeout: Most seconds to wait, checked between rounds; None waits as long as it
            takes.
        :keyword int max_concurrency: Most requests in flight at once. Default value is 8.
        :keyword progress: Called with the summary after each round (with the async client, awaited
            when it returns an awaitable).
        :paramtype progress: Callable[[~azure.planetarycomputer.OperationsSummary], Any]
        :return: Every operation's final record, in the order given.
        :rtype: ~azure.planetarycomputer.OperationsSummary
        :raises ~azure.planetarycomputer.OperationsTimeoutError: If some are unfinished after ``timeout``.
        :raises ~azure.core.exceptions.HttpResponseError: If getting an operation fails (e.g. an unknown id).
        :raises TypeError: If an entry is not an operation id, record or poller.
        """
        records = [_as_operation(op) for op in operations]
        return await self._wait(
            records, polling_interval, timeout, max_concurrency, progress, kwargs, OperationsSummary
        )

    async def _wait(
        self,
        records: List[_models.Operation],
        polling_interval: Optional[float],
        timeout: Optional[float],
        max_concurrency: int,
        progress: Optional[ProgressCallback],
        kwargs: Dict[str, Any],
        summarize: Callable[[List[_models.Operation]], OperationsSummary],
    ) -> OperationsSummary:
        if max_concurrency < 1:
            raise ValueError(f"max_concurrency must be at least 1, got {max_concurrency}")
        waits = _poll_waits(polling_interval, self._config)
        deadline = None if timeout is None else time.monotonic() + timeout
        records = list(records)

        async def fetch(index: int) -> _models.Operation:
            return await self.get_operation(records[index]["id"], **kwargs)

        # Leaving the block (one get failed, or a timeout) stops the gets still running.
        async with Workers(min(max_concurrency, len(records)), "planetarycomputer-wait") as workers:
            while True:
                unfinished = [i for i, op in enumerate(records) if not _is_done(op)]
                async for index, record in workers.map_unordered(fetch, unfinished):
                    records[index] = record
                summary = summarize(list(records))
                if progress is not None:
                    await maybe_await(progress(summary))
                if not summary.pending:
                    return summary
                if deadline is not None and time.monotonic() >= deadline:
                    raise OperationsTimeoutError(summary, float(timeout or 0))
                await sleep(_next_sleep(next(waits), deadline))

    @distributed_trace_async
    async def ensure_sas_source(
        self,
        container_url: str,
        sas_token: str,
        *,
        min_remaining: dt.timedelta = dt.timedelta(days=1),
        **kwargs: Any,
    ) -> _models.IngestionSource:
        """Make sure the catalog can read a storage container with a SAS token, in one call.

        Finds the container's SAS-token ingestion source (``list_sources`` + ``get_source``): keeps it
        when its token expires later than now + ``min_remaining``, otherwise replaces its token with
        ``sas_token`` (``replace_source``, same source id, so ingestions using it keep working);
        creates a source when the container has none.

        .. code-block:: python

            source = await client.ingestion.ensure_sas_source(
                "https://account.blob.core.windows.net/container", token, min_remaining=timedelta(hours=1)
            )

        :param container_url: URL of the blob container, without a query. Required.
        :type container_url: str
        :param sas_token: A SAS token with read and list permissions on the container (with or
            without a leading ``?``). Required.
        :type sas_token: str
        :keyword min_remaining: Keep an existing token only if it is valid at least this much longer.
            Default value is one day.
        :paramtype min_remaining: ~datetime.timedelta
        :return: The source, as the service returns it (the token's expiration, never the token).
        :rtype: ~azure.planetarycomputer.models.IngestionSource
        :raises ValueError: If ``container_url`` is not a container URL or ``sas_token`` is empty.
        :raises ~azure.core.exceptions.ResourceExistsError: If the container has a managed identity
            source.
        :raises ~azure.core.exceptions.HttpResponseError: If the service refuses a request.
        """
        _check_container_url(container_url)
        token = sas_token.strip().lstrip("?")
        if not token:
            raise ValueError("sas_token must not be empty")
        existing = await self._find_source(container_url, **kwargs)
        if existing is None:
            return await self.create_source(_sas_body(container_url, token), **kwargs)
        if existing.get("kind") != "SasToken":
            raise _other_kind_error(container_url, existing, "SasToken")
        if not _expires_soon(existing, min_remaining):
            return existing
        registered_url = existing["connectionInfo"].get("containerUrl") or container_url
        return await self.replace_source(existing["id"], _sas_body(registered_url, token, existing["id"]), **kwargs)

    @distributed_trace_async
    async def ensure_managed_identity_source(
        self, container_url: str, object_id: str, **kwargs: Any
    ) -> _models.IngestionSource:
        """Make sure the catalog reads a storage container with a managed identity, in one call.

        Keeps the container's managed identity source when it uses ``object_id``, replaces it when it
        uses another identity, creates one when the container has no source.

        :param container_url: URL of the blob container. Required.
        :type container_url: str
        :param object_id: Object (principal) ID of one of the catalog's managed identities (see
            ``list_managed_identities``). Required.
        :type object_id: str
        :return: The source, as the service returns it.
        :rtype: ~azure.planetarycomputer.models.IngestionSource
        :raises ValueError: If ``container_url`` is not a container URL or ``object_id`` is empty.
        :raises ~azure.core.exceptions.ResourceExistsError: If the container has a SAS token source.
        :raises ~azure.core.exceptions.HttpResponseError: If the service refuses a request.
        """
        _check_container_url(container_url)
        if not object_id:
            raise ValueError("object_id must not be empty")
        existing = await self._find_source(container_url, **kwargs)
        if existing is None:
            return await self.create_source(_identity_body(container_url, object_id), **kwargs)
        if existing.get("kind") != "BlobManagedIdentity":
            raise _other_kind_error(container_url, existing, "BlobManagedIdentity")
        info = existing["connectionInfo"]
        if str(info.get("objectId", "")).lower() == object_id.lower():
            return existing
        registered_url = info.get("containerUrl") or container_url
        body = _identity_body(registered_url, object_id, existing["id"])
        return await self.replace_source(existing["id"], body, **kwargs)

    async def _find_source(self, container_url: str, **kwargs: Any) -> Optional[_models.IngestionSource]:
        """The ingestion source registered for the container (any kind), or None."""
        wanted = _container_key(container_url)
        async for summary in self.list_sources(**kwargs):
            source = await self.get_source(summary["id"], **kwargs)
            info = source.get("connectionInfo")
            if isinstance(info, Mapping) and _container_key(str(info.get("containerUrl", ""))) == wanted:
                return source
        return None
