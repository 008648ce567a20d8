# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Hand-written additions to the ``ingestion`` group.

- :meth:`IngestionOperations.ingest_items`: add items (models, dicts, pystac objects) to a collection
  in batches and wait for the background operations;
- :meth:`IngestionOperations.wait_for_operations`: poll any operations until they finish;
- :meth:`IngestionOperations.ensure_sas_source` / :meth:`IngestionOperations.ensure_managed_identity_source`:
  register a storage container once, refreshing an expiring SAS token.

The result and error types, and the helpers that do not talk to the service, are shared with the
async group (``aio/operations/_ingestion_patch.py``), which has the same methods.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union
from urllib.parse import urlsplit

from azure.core.exceptions import DeserializationError, HttpResponseError, ResourceExistsError
from azure.core.polling import LROPoller
from azure.core.tracing.decorator import distributed_trace

from .. import models as _models
from .._serialization import Model, _plain, parse_rfc3339
from ._operations import IngestionOperations as _GeneratedIngestionOperations
from ._operations import StacOperations as _GeneratedStacOperations

__all__: List[str] = [
    "IngestionOperations",
    "OperationsSummary",
    "IngestItemsResult",
    "OperationsFailedError",
    "OperationsTimeoutError",
]

#: Items per FeatureCollection request; the service documents no limit, this keeps requests small.
DEFAULT_BATCH_SIZE = 100
_TERMINAL = ("succeeded", "failed", "canceled")
_SIG = re.compile(r"(?i)(\bsig=)[^&\s'\"]+")

#: Anything :meth:`IngestionOperations.wait_for_operations` accepts for one operation.
OperationLike = Union[str, _models.Operation, Mapping[str, Any], Any]
ProgressCallback = Callable[["OperationsSummary"], Any]
#: An operation record: a model, or its wire mapping.
_Record = Union[Model, Mapping[str, Any]]


# -- results and errors (shared with the async group) --------------------------------------------


def _status(op: _Record) -> str:
    return str(op.get("status") or "")


def _redact(text: str) -> str:
    """Service messages may quote a signed URL: never repeat its signature."""
    return _SIG.sub(r"\1REDACTED", text)


def _error_of(op: _Record) -> Tuple[Optional[str], Optional[str]]:
    """(code, message) of a failed operation: its ``error``, else the last ``statusHistory`` entry with one."""
    error = op.get("error")
    if isinstance(error, Mapping):
        inner = error.get("error")
        code, message = error.get("code"), error.get("message")
        if not code and isinstance(inner, Mapping):
            code, message = inner.get("code"), inner.get("message")
        if code or message:
            return code, message
    for entry in reversed(op.get("statusHistory") or []):
        if isinstance(entry, Mapping) and (entry.get("errorCode") or entry.get("errorMessage")):
            return entry.get("errorCode"), entry.get("errorMessage")
    return None, None


class OperationsSummary:
    """The operations waited for, in the order given, each as last read from the service.

    :ivar operations: Every operation (final records once waited for).
    :vartype operations: list[~azure.planetarycomputer.models.Operation]
    """

    def __init__(self, operations: Sequence[_models.Operation]) -> None:
        self.operations: List[_models.Operation] = list(operations)

    def _with(self, status: str) -> List[_models.Operation]:
        return [op for op in self.operations if _status(op).lower() == status]

    @property
    def succeeded(self) -> List[_models.Operation]:
        """Operations that finished successfully.

        :rtype: list[~azure.planetarycomputer.models.Operation]
        """
        return self._with("succeeded")

    @property
    def failed(self) -> List[_models.Operation]:
        """Operations that ended with an error (see ``error`` or ``status_history``).

        :rtype: list[~azure.planetarycomputer.models.Operation]
        """
        return self._with("failed")

    @property
    def canceled(self) -> List[_models.Operation]:
        """Operations that were canceled.

        :rtype: list[~azure.planetarycomputer.models.Operation]
        """
        return self._with("canceled")

    @property
    def pending(self) -> List[_models.Operation]:
        """Operations not finished yet (pending, running or canceling).

        :rtype: list[~azure.planetarycomputer.models.Operation]
        """
        return [op for op in self.operations if _status(op).lower() not in _TERMINAL]

    def _describe(self, op: _models.Operation) -> str:
        about = [str(op["type"])] if op.get("type") else []
        if op.get("collectionId"):
            about.append(f"collection '{op['collectionId']}'")
        detail = f" ({', '.join(about)})" if about else ""
        text = f"operation {op.get('id')}{detail}: {_status(op)}"
        code, message = _error_of(op)
        if code or message:
            text += f": {code or 'error'}: {message or '(no message)'}"
        return _redact(text)

    def _failure_message(self, bad: List[_models.Operation]) -> str:
        lines = [f"{len(bad)} of {len(self.operations)} operation(s) did not succeed:"]
        lines += [f"  {self._describe(op)}" for op in bad]
        return "\n".join(lines)

    def raise_for_failures(self) -> None:
        """Raise one error listing every failed or canceled operation, with its error code and message.

        :return: None, when no operation failed or was canceled.
        :rtype: None
        :raises ~azure.planetarycomputer.OperationsFailedError: If any did.
        """
        bad = [op for op in self.operations if _status(op).lower() in ("failed", "canceled")]
        if bad:
            raise OperationsFailedError(self._failure_message(bad), self)

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{name}={len(ops)}"
            for name, ops in (
                ("succeeded", self.succeeded),
                ("failed", self.failed),
                ("canceled", self.canceled),
                ("pending", self.pending),
            )
        )
        return f"{type(self).__name__}({counts})"


class IngestItemsResult(OperationsSummary):
    """What :meth:`IngestionOperations.ingest_items` started: one operation per request (batch).

    :ivar collection_id: The collection the items were added to.
    :vartype collection_id: str
    :ivar operations: One operation per request, in order (final records when waited for).
    :vartype operations: list[~azure.planetarycomputer.models.Operation]
    :ivar item_ids: The IDs of the items each operation adds, in the same order.
    :vartype item_ids: list[list[str]]
    """

    def __init__(self, collection_id: str, operations: Sequence[_models.Operation], item_ids: List[List[str]]) -> None:
        super().__init__(operations)
        self.collection_id = collection_id
        self.item_ids = item_ids

    def _describe(self, op: _models.Operation) -> str:
        text = super()._describe(op)
        for candidate, ids in zip(self.operations, self.item_ids):
            if candidate is op:
                shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
                return f"{text} [items: {shown}]"
        return text

    def _failure_message(self, bad: List[_models.Operation]) -> str:
        return f"Adding items to collection '{self.collection_id}': {super()._failure_message(bad)}"


class OperationsFailedError(HttpResponseError):
    """Raised by :meth:`OperationsSummary.raise_for_failures`: some operations failed or were canceled.

    :ivar summary: Every operation, with the failed ones in ``summary.failed``.
    :vartype summary: ~azure.planetarycomputer.OperationsSummary
    """

    def __init__(self, message: str, summary: OperationsSummary) -> None:
        super().__init__(message=message)
        self.summary = summary


class OperationsTimeoutError(TimeoutError):
    """Raised when operations are still unfinished after the ``timeout`` given to a wait.

    :ivar summary: The operations as last read; the unfinished ones are in ``summary.pending``.
    :vartype summary: ~azure.planetarycomputer.OperationsSummary
    """

    def __init__(self, summary: OperationsSummary, timeout: float) -> None:
        pending = summary.pending
        shown = ", ".join(f"{op.get('id')} ({_status(op) or 'unknown'})" for op in pending[:10])
        more = f" and {len(pending) - 10} more" if len(pending) > 10 else ""
        super().__init__(f"{len(pending)} operation(s) still unfinished after {timeout:g} s: {shown}{more}")
        self.summary = summary


# -- shared helpers ------------------------------------------------------------------------------------


def _is_done(op: _Record) -> bool:
    return _status(op).lower() in _TERMINAL


def _operation_id_from_url(url: Optional[str]) -> Optional[str]:
    if not url:
        return None
    parts = urlsplit(url).path.rstrip("/").split("/")
    return parts[-1] if len(parts) >= 2 and parts[-2] == "operations" and parts[-1] else None


def _operation_from_response(http_response: Any, collection_id: Optional[str] = None) -> _models.Operation:
    """The operation record a 202 answer carries (body), or one made from its Operation-Location."""
    try:
        body = http_response.json()
    except Exception:  # no or non-JSON body: the headers still name the operation
        body = None
    if isinstance(body, dict) and body.get("id") and "status" in body:
        return _models.Operation.deserialize(body)
    headers = http_response.headers
    op_id = _operation_id_from_url(headers.get("Operation-Location")) or _operation_id_from_url(headers.get("Location"))
    if op_id is None:
        raise HttpResponseError(
            message="The service accepted the request but named no operation to follow "
            "(no operation record in the body, no Operation-Location header)",
            response=http_response,
        )
    record: Dict[str, Any] = {"id": op_id, "status": "Pending"}
    if collection_id is not None:
        record["collectionId"] = collection_id
    return _models.Operation.deserialize(record)


def _as_operation(value: OperationLike) -> _models.Operation:
    """An operation id, record or poller as an Operation record (possibly only ``{"id": ...}``)."""
    if isinstance(value, str):
        if not value:
            raise ValueError("An operation id must not be empty")
        return _models.Operation.deserialize({"id": value})
    if isinstance(value, _models.Operation):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return _models.Operation.deserialize(value)
    polling_method = getattr(value, "polling_method", None)
    if callable(polling_method):
        initial = getattr(polling_method(), "_initial_response", None)
        response = getattr(initial, "http_response", None)
        if response is not None:
            return _operation_from_response(response)
        raise TypeError(
            f"Cannot tell which operation this {type(value).__name__} follows (its polling method kept no "
            "initial response); pass the operation id instead"
        )
    raise TypeError(f"Expected an operation id, an Operation or a poller, got {type(value).__name__}")


def _item_dict(item: Any, where: str) -> Dict[str, Any]:
    """A plain copy of one item given as a model, a mapping or a pystac Item."""
    pystac = sys.modules.get("pystac")  # a pystac object means pystac is imported already
    if pystac is not None and isinstance(item, pystac.Item):
        from .._pystac import from_pystac

        item = from_pystac(item)
    data: Dict[str, Any]
    if isinstance(item, Model):
        data = dict(item.as_dict())
    elif isinstance(item, Mapping):
        data = _plain(dict(item))
    else:
        raise TypeError(f"{where} is a {type(item).__name__}, not a STAC item (a model, a mapping or a pystac.Item)")
    if data.get("type") != "Feature":
        raise ValueError(
            f"{where} (id {data.get('id')!r}) is not a STAC item: type is {data.get('type')!r}, not 'Feature'"
        )
    if not isinstance(data.get("id"), str) or not data["id"]:
        raise ValueError(f"{where} has no id")
    return data


def _item_dicts(items: Any) -> Tuple[bool, List[Dict[str, Any]]]:
    """(whether one item was given, plain copies of the items)."""
    pystac = sys.modules.get("pystac")
    if pystac is not None and isinstance(items, pystac.ItemCollection):
        from .._pystac import from_pystac

        items = from_pystac(items)
    if pystac is not None and isinstance(items, pystac.Item):
        return True, [_item_dict(items, "the item")]
    if isinstance(items, (Model, Mapping)):
        if isinstance(items, _models.StacItemCollection) or items.get("type") == "FeatureCollection":
            features = items.get("features") or []
            return False, [_item_dict(f, f"features[{i}]") for i, f in enumerate(features)]
        return True, [_item_dict(items, "the item")]
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise TypeError(f"items must be an item, a list of items or an item collection, not {type(items).__name__}")
    return False, [_item_dict(item, f"items[{i}]") for i, item in enumerate(items)]


def _request_bodies(collection_id: str, items: Any, batch_size: int) -> List[Tuple[Dict[str, Any], List[str]]]:
    """(request body, item ids) per request: the item itself, or FeatureCollections of ``batch_size``."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    single, docs = _item_dicts(items)
    for doc in docs:
        doc["collection"] = collection_id  # the service requires it to match the collection
    if single:
        return [(docs[0], [docs[0]["id"]])]
    return [
        ({"type": "FeatureCollection", "features": chunk}, [doc["id"] for doc in chunk])
        for chunk in (docs[i : i + batch_size] for i in range(0, len(docs), batch_size))
    ]


def _container_key(url: str) -> str:
    return url.strip().rstrip("/").lower()


def _check_container_url(container_url: str) -> None:
    parts = urlsplit(container_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("container_url must be an http(s) URL of a storage container")
    if parts.query:  # never echo it: the query is likely a SAS token
        raise ValueError("container_url must not have a query; pass the SAS token as sas_token")


def _sas_body(container_url: str, sas_token: str, source_id: Optional[str] = None) -> Dict[str, Any]:
    body: Dict[str, Any] = {
        "kind": "SasToken",
        "connectionInfo": {"containerUrl": container_url, "sasToken": sas_token},
    }
    if source_id is not None:
        body["id"] = source_id
    return body


def _identity_body(container_url: str, object_id: str, source_id: Optional[str] = None) -> Dict[str, Any]:
    body: Dict[str, Any] = {
        "kind": "BlobManagedIdentity",
        "connectionInfo": {"containerUrl": container_url, "objectId": object_id},
    }
    if source_id is not None:
        body["id"] = source_id
    return body


def _other_kind_error(container_url: str, source: _models.IngestionSource, wanted: str) -> ResourceExistsError:
    return ResourceExistsError(
        message=f"Container '{container_url}' already has a {source.get('kind')} ingestion source "
        f"('{source.get('id')}'); delete it before registering a {wanted} source for it"
    )


def _expires_soon(source: _models.IngestionSource, min_remaining: dt.timedelta) -> bool:
    info = source.get("connectionInfo")
    raw = info.get("expiration") if isinstance(info, Mapping) else None
    if not raw:
        return True  # unknown validity: refresh it
    try:
        expiration = parse_rfc3339(str(raw))
    except DeserializationError:
        return True
    return expiration <= dt.datetime.now(dt.timezone.utc) + min_remaining


def _next_sleep(interval: float, deadline: Optional[float]) -> float:
    if deadline is None:
        return interval
    return max(0.0, min(interval, deadline - time.monotonic()))


# -- the operation group ---------------------------------------------------------------------------------


class IngestionOperations(_GeneratedIngestionOperations):
    """Ingestion operations, with the conveniences built on them."""

    @distributed_trace
    def ingest_items(
        self,
        collection_id: str,
        items: Any,
        *,
        wait: bool = True,
        polling_interval: Optional[float] = None,
        timeout: Optional[float] = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: Optional[ProgressCallback] = None,
        **kwargs: Any,
    ) -> IngestItemsResult:
        """Add items to a collection and (by default) wait until the service has stored them.

        One item is sent as it is; many are sent as FeatureCollections of ``batch_size`` items, one
        request (and one background operation) per batch, through ``stac.begin_create_item``. Each
        item's ``collection`` is set to ``collection_id`` (the service requires them to match); the
        items given are not changed.

        .. code-block:: python

            result = client.ingestion.ingest_items("my-collection", items, polling_interval=5)
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
            ``polling_interval`` (30 unless set on the client).
        :keyword float timeout: Most seconds to wait; None waits as long as it takes.
        :keyword int batch_size: Most items per request. Default value is 100.
        :keyword progress: Called with an :class:`~azure.planetarycomputer.IngestItemsResult` after each
            round of polls.
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
        requests = _request_bodies(collection_id, items, batch_size)
        stac = _GeneratedStacOperations(self._client, self._config, self._serialize, self._deserialize)
        operations: List[_models.Operation] = []
        for body, _ in requests:
            # polling=False: the initial 202 answer (the operation record) is all we need from the poller
            poller: LROPoller[Any] = stac.begin_create_item(
                collection_id, body, polling=False, cls=lambda response, _d, _h: response, **kwargs
            )
            operations.append(_operation_from_response(poller.result().http_response, collection_id))
        ids = [item_ids for _, item_ids in requests]
        result = IngestItemsResult(collection_id, operations, ids)
        if not wait or not operations:
            return result
        final = self._wait(
            operations,
            polling_interval,
            timeout,
            8,
            progress,
            kwargs,
            lambda ops: IngestItemsResult(collection_id, ops, ids),
        )
        final.raise_for_failures()
        return final  # type: ignore[return-value]

    @distributed_trace
    def wait_for_operations(
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
        at a time, on threads), then sleeps ``polling_interval``. Failures are not raised: call
        ``raise_for_failures()`` on the summary.

        .. code-block:: python

            summary = client.ingestion.wait_for_operations(operation_ids, polling_interval=5)
            summary.raise_for_failures()

        :param operations: Operation IDs, ``Operation`` records or pollers of ``begin_*`` methods.
            Required.
        :type operations: Iterable[str or ~azure.planetarycomputer.models.Operation or
            ~azure.core.polling.LROPoller]
        :keyword float polling_interval: Seconds between rounds of polls. Default: the client's
            ``polling_interval`` (30 unless set on the client).
        :keyword float timeout: Most seconds to wait, checked between rounds; None waits as long as it
            takes.
        :keyword int max_concurrency: Most requests in flight at once. Default value is 8.
        :keyword progress: Called with the summary after each round.
        :paramtype progress: Callable[[~azure.planetarycomputer.OperationsSummary], Any]
        :return: Every operation's final record, in the order given.
        :rtype: ~azure.planetarycomputer.OperationsSummary
        :raises ~azure.planetarycomputer.OperationsTimeoutError: If some are unfinished after ``timeout``.
        :raises ~azure.core.exceptions.HttpResponseError: If getting an operation fails (e.g. an unknown id).
        :raises TypeError: If an entry is not an operation id, record or poller.
        """
        records = [_as_operation(op) for op in operations]
        return self._wait(records, polling_interval, timeout, max_concurrency, progress, kwargs, OperationsSummary)

    def _wait(
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
        interval = float(self._config.polling_interval if polling_interval is None else polling_interval)
        deadline = None if timeout is None else time.monotonic() + timeout
        records = list(records)
        workers = max(1, min(max_concurrency, len(records)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="planetarycomputer-wait") as pool:
            while True:
                unfinished = [i for i, op in enumerate(records) if not _is_done(op)]
                fetched = pool.map(lambda i: self.get_operation(records[i]["id"], **kwargs), unfinished)
                for index, op in zip(unfinished, fetched):
                    records[index] = op
                summary = summarize(list(records))
                if progress is not None:
                    progress(summary)
                if not summary.pending:
                    return summary
                if deadline is not None and time.monotonic() >= deadline:
                    raise OperationsTimeoutError(summary, float(timeout or 0))
                time.sleep(_next_sleep(interval, deadline))

    @distributed_trace
    def ensure_sas_source(
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

            source = client.ingestion.ensure_sas_source(
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
        existing = self._find_source(container_url, **kwargs)
        if existing is None:
            return self.create_source(_sas_body(container_url, token), **kwargs)
        if existing.get("kind") != "SasToken":
            raise _other_kind_error(container_url, existing, "SasToken")
        if not _expires_soon(existing, min_remaining):
            return existing
        registered_url = existing["connectionInfo"].get("containerUrl") or container_url
        return self.replace_source(existing["id"], _sas_body(registered_url, token, existing["id"]), **kwargs)

    @distributed_trace
    def ensure_managed_identity_source(
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
        existing = self._find_source(container_url, **kwargs)
        if existing is None:
            return self.create_source(_identity_body(container_url, object_id), **kwargs)
        if existing.get("kind") != "BlobManagedIdentity":
            raise _other_kind_error(container_url, existing, "BlobManagedIdentity")
        info = existing["connectionInfo"]
        if str(info.get("objectId", "")).lower() == object_id.lower():
            return existing
        registered_url = info.get("containerUrl") or container_url
        return self.replace_source(existing["id"], _identity_body(registered_url, object_id, existing["id"]), **kwargs)

    def _find_source(self, container_url: str, **kwargs: Any) -> Optional[_models.IngestionSource]:
        """The ingestion source registered for the container (any kind), or None."""
        wanted = _container_key(container_url)
        for summary in self.list_sources(**kwargs):
            source = self.get_source(summary["id"], **kwargs)
            info = source.get("connectionInfo")
            if isinstance(info, Mapping) and _container_key(str(info.get("containerUrl", ""))) == wanted:
                return source
        return None
