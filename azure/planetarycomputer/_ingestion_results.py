# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""What ``ingestion.ingest_items`` and ``ingestion.wait_for_operations`` return and raise.

:class:`OperationsSummary` (the operations waited for), :class:`IngestItemsResult` (the operations
an ingestion started, with their items) and the errors :class:`OperationsFailedError` and
:class:`OperationsTimeoutError`; the same for the sync and the async client.
"""

from __future__ import annotations

import re
from typing import Any, List, Mapping, Sequence, Union

from azure.core.exceptions import HttpResponseError

from . import models as _models
from ._serialization import Model
from .models._patch import operation_error

__all__ = ["OperationsSummary", "IngestItemsResult", "OperationsFailedError", "OperationsTimeoutError"]

_TERMINAL = ("succeeded", "failed", "canceled")
_SIG = re.compile(r"(?i)(\bsig=)[^&\s'\"]+")
#: An operation record: a model, or its wire mapping.
_Record = Union[Model, Mapping[str, Any]]


def _status(op: _Record) -> str:
    return str(op.get("status") or "")


def _redact(text: str) -> str:
    """Service messages may quote a signed URL: never repeat its signature."""
    return _SIG.sub(r"\1REDACTED", text)


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
        code, message = operation_error(op)
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
