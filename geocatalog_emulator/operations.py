"""Background operations: Pending -> Running -> Succeeded / Failed / Canceled, like the service.

Work runs on a small thread pool after a short delay, so clients really poll. Each status
change is appended to ``statusHistory`` and stored, so operations survive restarts (work that
was still running when the emulator stopped is marked Failed on the next start).

The records have the service's shape, quirks included:

* a succeeded operation's last ``statusHistory`` entry says ``Finished`` (the top-level
  ``status`` says ``Succeeded``);
* a failed operation's ``error`` wraps the error once more: ``{"error": {"code", "message"}}``
  (clients read both this and the flat shape); the last history entry has ``errorCode`` and
  ``errorMessage``;
* a canceled operation's last history entry has ``errorCode`` ``CanceledOperation``;
* collection operations (``AddCollection``, ``DeleteCollection``) have no ``startTime`` or
  ``finishTime``;
* item operations count their items in ``additionalInformation`` (``TotalItems``,
  ``TotalPendingItems``, ``TotalSuccessfulItems``, ``TotalFailedItems``, as strings) from when
  they run; the Pending record the create answers with has none, as the service's.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, Optional

from .errors import ApiError
from .storage import Store

KIND = "operation"
DONE = ("Succeeded", "Failed", "Canceled")
#: The history entry that ends a succeeded operation.
FINISHED = "Finished"
#: Operation types the service records without start and finish times.
UNTIMED = ("AddCollection", "DeleteCollection")
#: Operations of the STAC item routes: all their items succeed or all fail.
ITEM_TYPES = ("AddItem", "UpdateItem", "DeleteItem")
CANCELED_ERROR = {"code": "CanceledOperation", "message": "The operation was canceled by the user."}


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def item_counts(total: int, *, pending: int = 0, succeeded: int = 0) -> Dict[str, str]:
    """An item operation's counts, as strings in the service's key order (the rest failed)."""
    return {
        "TotalFailedItems": str(total - pending - succeeded),
        "TotalItems": str(total),
        "TotalPendingItems": str(pending),
        "TotalSuccessfulItems": str(succeeded),
    }


class Operations:
    def __init__(self, store: Store, *, delay: float = 0.05, workers: int = 4) -> None:
        self.store = store
        self.delay = delay
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="geocatalog-op")
        self._lock = threading.Lock()
        self._canceled: set = set()
        for _, op in store.list(KIND):
            if op["status"] not in DONE:
                self._finish(
                    op, "Failed", {"code": "Interrupted", "message": "The emulator stopped during the operation."}
                )

    def start(
        self,
        op_type: str,
        work: Callable[[], None],
        *,
        collection_id: Optional[str] = None,
        info: Optional[Dict[str, str]] = None,
        items: Optional[int] = None,
    ) -> Dict[str, Any]:
        """Record a Pending operation and run ``work`` in the background; returns the record.

        :param items: How many items the operation works on (item operations): counted in
            ``additionalInformation`` once it runs, as the service does.
        """
        op: Dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "status": "Pending",
            "type": op_type,
            "creationTime": now(),
            "statusHistory": [{"status": "Pending", "timestamp": now()}],
        }
        if collection_id is not None:
            op["collectionId"] = collection_id
        if info:
            op["additionalInformation"] = dict(info)
        self.store.put(KIND, "", op["id"], op)
        self._pool.submit(self._run, op["id"], work, items)
        return op

    def _run(self, op_id: str, work: Callable[[], None], items: Optional[int] = None) -> None:
        time.sleep(self.delay)
        op = self.store.get(KIND, "", op_id)
        if op is None or op["id"] in self._canceled or op["status"] in DONE:
            return
        op["status"] = "Running"
        started = now()
        if op["type"] not in UNTIMED:
            op["startTime"] = started
        op["statusHistory"].append({"status": "Running", "timestamp": started})
        if items is not None:
            op["additionalInformation"] = {**item_counts(items, pending=items), **op.get("additionalInformation", {})}
        self.store.put(KIND, "", op_id, op)
        error: Optional[Dict[str, str]] = None
        try:
            work()
        except ApiError as exc:
            error = {"code": exc.code, "message": exc.message}
        except Exception as exc:  # the operation fails; the emulator keeps serving
            error = {"code": "InternalError", "message": f"{type(exc).__name__}: {exc}"}
        # Re-read: the work may have added information, or the operation been canceled meanwhile.
        latest = self.store.get(KIND, "", op_id) or op
        if latest["status"] in DONE:
            return
        self._finish(latest, "Failed" if error else "Succeeded", error)

    def _finish(self, op: Dict[str, Any], status: str, error: Optional[Dict[str, str]]) -> None:
        op["status"] = status
        finished = now()
        if op["type"] not in UNTIMED:
            op["finishTime"] = finished
        entry: Dict[str, Any] = {"status": FINISHED if status == "Succeeded" else status, "timestamp": finished}
        if error:
            op["error"] = {"error": error}
        shown = error or (CANCELED_ERROR if status == "Canceled" else None)
        if shown:
            entry.update(errorCode=shown["code"], errorMessage=shown["message"])
        info = op.get("additionalInformation")
        if op["type"] in ITEM_TYPES and isinstance(info, dict) and "TotalItems" in info and status != "Canceled":
            total = int(info["TotalItems"])
            info.update(item_counts(total, succeeded=total if status == "Succeeded" else 0))
        op["statusHistory"].append(entry)
        self.store.put(KIND, "", op["id"], op)

    def get(self, op_id: str) -> Optional[Dict[str, Any]]:
        return self.store.get(KIND, "", op_id)

    def cancel(self, op_id: str) -> bool:
        """Cancel a pending or running operation; False if unknown."""
        with self._lock:
            op = self.get(op_id)
            if op is None:
                return False
            if op["status"] not in DONE:
                self._canceled.add(op_id)
                self._finish(op, "Canceled", None)
            return True

    def cancel_all(self) -> None:
        for _, op in self.store.list(KIND):
            if op["status"] not in DONE:
                self.cancel(op["id"])

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until no operation is pending or running (for tests and shutdown)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(op["status"] in DONE for _, op in self.store.list(KIND)):
                return
            time.sleep(0.02)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
