# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""The polling method a long-running operation's poller gets, and the error a failed operation raises.

The ``polling`` and ``polling_interval`` keywords of a ``begin_*`` call choose it; a failed or
canceled operation raises ``HttpResponseError`` carrying the operation record's code and message,
whichever shape the record has, its message naming the call that started the operation.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from azure.core.exceptions import HttpResponseError, ODataV4Format
from azure.core.polling import AsyncNoPolling, NoPolling

from ._logging import redact_error
from ._policies import AsyncEndpointPolling, EndpointPolling
from ._streams import name_operation, operation_name
from .models._patch import operation_error

__all__ = ["polling_method"]


def polling_method(
    config: Any, endpoint: str, kwargs: Dict[str, Any], lro_options: Optional[Dict[str, str]], *, async_: bool
) -> Any:
    """The poller's polling method, from the call's keywords (``polling`` and ``polling_interval`` are popped).

    :param config: The client's configuration.
    :param str endpoint: The client's endpoint, to format the polling URLs with.
    :param dict kwargs: The call's keywords; the rest are passed to the polling method.
    :param lro_options: azure-core's ``lro_options`` (``final-state-via``), if any.
    :type lro_options: dict[str, str] or None
    :keyword bool async_: Whether the poller is an ``AsyncLROPoller``.
    :return: A polling method, ``NoPolling`` for ``polling=False``, or the caller's own method.
    :rtype: any
    """
    polling = kwargs.pop("polling", True)
    delay = kwargs.pop("polling_interval", None)
    # Without an interval from the call or the client, poll soon and back off (see EndpointPolling).
    adaptive = delay is None and getattr(config, "adaptive_polling", False)
    if delay is None:
        delay = config.polling_interval
    if polling is True:
        options: Dict[str, Any] = {"path_format_arguments": {"endpoint": endpoint}}
        if lro_options:
            options["lro_options"] = lro_options
        method_cls = _AsyncOperationPolling if async_ else _OperationPolling
        return method_cls(delay, config=config, adaptive=adaptive, **options, **kwargs)
    if polling is False:
        return AsyncNoPolling() if async_ else NoPolling()  # type: ignore[no-untyped-call]
    return polling


class _OperationErrorFormat(ODataV4Format):
    """The error of a failed operation record, whichever shape it comes in (see ``operation_error``)."""

    def __init__(self, json_object: Mapping[str, Any]) -> None:
        code, message = operation_error(json_object)
        if not code:
            raise ValueError("the operation reports no error code")  # azure-core then keeps error=None
        super().__init__({"code": code, "message": message or ""})


def _operation_failure(error: HttpResponseError) -> HttpResponseError:
    """azure-core's error for a failed or canceled operation, with the operation's code and message.

    azure-core reads only the flat ``{"error": {"code", "message"}}``: on the wrapped shape the service
    sends it raises "Operation returned an invalid status 'OK'" with ``error=None``.
    """
    if error.error is not None or error.response is None:
        return error
    found = HttpResponseError(response=error.response, error_format=_OperationErrorFormat)
    return redact_error(found) if found.error is not None else error


def _named_failure(polling: Any, error: HttpResponseError) -> HttpResponseError:
    """The failure, its message starting with the call that started the operation and how it ended:
    ``"POST /stac/collections/c/items started a long-running operation that failed: (Code) message"``."""
    failure = _operation_failure(error)
    initial = getattr(polling, "_initial_response", None)
    request = getattr(getattr(initial, "http_response", None), "request", None)
    if request is None:
        return failure
    status = str(polling.status())
    ended = {"Failed": "failed", "Canceled": "was canceled"}.get(status, f"ended {status!r}")
    return name_operation(failure, f"{operation_name(request)} started a long-running operation that {ended}")


class _OperationPolling(EndpointPolling):
    """Polling whose failures carry the operation's error and name the call that started it."""

    def run(self) -> None:
        try:
            super().run()
        except HttpResponseError as error:
            raise _named_failure(self, error) from error


class _AsyncOperationPolling(AsyncEndpointPolling):
    """Async polling whose failures carry the operation's error and name the call that started it."""

    async def run(self) -> None:
        try:
            await super().run()
        except HttpResponseError as error:
            raise _named_failure(self, error) from error
