# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The parts of the ``ingestion`` conveniences that do not talk to the service.

Request bodies from items (models, mappings, pystac objects) in batches, operation records from
202 answers, ids or pollers, ingestion source bodies and checks; used by ``IngestionOperations``
(``aio/operations/_ingestion_patch.py`` and its generated sync twin).
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
import time
from typing import Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple, Union
from urllib.parse import urlsplit

from azure.core.exceptions import DeserializationError, HttpResponseError, ResourceExistsError

from . import models as _models
from ._attributes import _plain
from ._ingestion_results import _TERMINAL, OperationsSummary, _Record, _status
from ._policies import ADAPTIVE_POLLING_MAX, ADAPTIVE_POLLING_START
from ._serialization import Model, parse_rfc3339

#: Items per FeatureCollection request; the service documents no limit, this keeps requests small.
DEFAULT_BATCH_SIZE = 100

#: Anything ``IngestionOperations.wait_for_operations`` accepts for one operation.
OperationLike = Union[str, _models.Operation, Mapping[str, Any], Any]
ProgressCallback = Callable[[OperationsSummary], Any]


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
        from ._pystac import from_pystac

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
        from ._pystac import from_pystac

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


def _source_body(kind: str, connection: Dict[str, str], source_id: Optional[str]) -> Dict[str, Any]:
    body: Dict[str, Any] = {"kind": kind, "connectionInfo": connection}
    if source_id is not None:
        body["id"] = source_id
    return body


def _sas_body(container_url: str, sas_token: str, source_id: Optional[str] = None) -> Dict[str, Any]:
    return _source_body("SasToken", {"containerUrl": container_url, "sasToken": sas_token}, source_id)


def _identity_body(container_url: str, object_id: str, source_id: Optional[str] = None) -> Dict[str, Any]:
    return _source_body("BlobManagedIdentity", {"containerUrl": container_url, "objectId": object_id}, source_id)


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


def _poll_waits(polling_interval: Optional[float], config: Any) -> Iterator[float]:
    """Seconds to wait between rounds of polls.

    The caller's ``polling_interval``, else the client's when it was set; with neither, the waits
    start near a second and double up to the service's usual interval, as long-running operations
    poll, so work the service finishes at once is not waited on for half a minute.
    """
    if polling_interval is not None or not getattr(config, "adaptive_polling", False):
        return itertools.repeat(float(config.polling_interval if polling_interval is None else polling_interval))
    return (min(ADAPTIVE_POLLING_START * 2**n, ADAPTIVE_POLLING_MAX) for n in itertools.count())


def _next_sleep(interval: float, deadline: Optional[float]) -> float:
    if deadline is None:
        return interval
    return max(0.0, min(interval, deadline - time.monotonic()))
