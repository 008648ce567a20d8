# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Pipeline policies and polling methods that bound what a server can make the client do.

* :class:`CappedRetryPolicy` / :class:`AsyncCappedRetryPolicy`: azure-core's retry policy, but a
  ``Retry-After`` header is honoured up to ``max_retry_after`` seconds (60 by default), an
  unreadable one counts as absent, and no retry starts whose wait would end past the call's
  ``timeout``: the last answer is returned (and raised as its status) instead.
* :class:`SafeContentDecodePolicy`: a JSON body nested too deep to parse raises ``DecodeError``
  carrying the response (and so its status), not a raw ``RecursionError``; a request sent with
  ``defer_decode=True`` gets its successful body back unparsed, to be parsed later with
  :meth:`SafeContentDecodePolicy.decode` (a search reads the next link from the raw bytes and sends
  the next request before it parses the page).
* :class:`EndpointPolling` / :class:`AsyncEndpointPolling`: long-running operation polling that
  refuses status URLs on another origin than the client's endpoint (headers, bodies and
  continuation tokens alike), caps ``Retry-After``, and without an explicit ``polling_interval``
  polls after 1 s, then 2, 4, ... up to 30 s.
"""

from __future__ import annotations

import time
from typing import Any, Dict, Optional

from azure.core.exceptions import DecodeError
from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import AsyncRetryPolicy, ContentDecodePolicy, RetryPolicy
from azure.core.polling.async_base_polling import AsyncLROBasePolling
from azure.core.polling.base_polling import LROBasePolling

from ._guards import DEFAULT_MAX_RETRY_AFTER, check_endpoint_url, retry_after_seconds

__all__ = [
    "ADAPTIVE_POLLING_START",
    "ADAPTIVE_POLLING_MAX",
    "CappedRetryPolicy",
    "AsyncCappedRetryPolicy",
    "SafeContentDecodePolicy",
    "EndpointPolling",
    "AsyncEndpointPolling",
]

#: First wait of adaptive polling, in seconds; each next wait doubles, up to ADAPTIVE_POLLING_MAX.
ADAPTIVE_POLLING_START = 1.0
#: Longest wait of adaptive polling, in seconds (the service's usual polling interval).
ADAPTIVE_POLLING_MAX = 30.0

#: Headers of a long-running operation's first answer that name URLs the poller will request.
_POLLING_HEADERS = ("Operation-Location", "Azure-AsyncOperation", "Location")


def _max_retry_after(kwargs: Dict[str, Any]) -> float:
    value = kwargs.pop("max_retry_after", None)
    if value is None:
        return DEFAULT_MAX_RETRY_AFTER
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
        raise ValueError(f"max_retry_after must be a non-negative number of seconds, got {value!r}")
    return float(value)


class _CappedRetry:
    """What the sync and async retry policies share: the capped wait and the deadline."""

    max_retry_after: float

    def get_retry_after(self, response: PipelineResponse[Any, Any]) -> Optional[float]:
        """The capped wait a response asks for; None if it asks nothing readable.

        :param response: The response.
        :type response: ~azure.core.pipeline.PipelineResponse
        :return: Seconds, or None.
        :rtype: float or None
        """
        return retry_after_seconds(response.http_response.headers, self.max_retry_after)

    def configure_retries(self, options: Dict[str, Any]) -> Dict[str, Any]:
        settings: Dict[str, Any] = super().configure_retries(options)  # type: ignore[misc]
        # azure-core counts ``timeout`` down by the time requests took; the deadline also bounds sleeps.
        settings["deadline"] = time.monotonic() + settings["timeout"]
        return settings

    def increment(self, settings: Dict[str, Any], response: Any = None, error: Optional[Exception] = None) -> bool:
        if not super().increment(settings, response=response, error=error):  # type: ignore[misc]
            return False
        delay = None
        if isinstance(response, PipelineResponse):
            delay = self.get_retry_after(response)
        if not delay:
            delay = self.get_backoff_time(settings)  # type: ignore[attr-defined]
        # A retry that could start only after the caller's timeout is no retry: stop now.
        return bool(time.monotonic() + delay < settings["deadline"])


class CappedRetryPolicy(_CappedRetry, RetryPolicy[Any, Any]):
    """azure-core's ``RetryPolicy`` with a capped ``Retry-After`` and sleeps bounded by ``timeout``.

    :keyword float max_retry_after: Longest ``Retry-After`` honoured, in seconds. Default value is 60.
    :keyword int timeout: Seconds all attempts of one call (and the waits between them) may take.
        Default value is 604800 (azure-core's).

    Other keywords are ``RetryPolicy``'s (``retry_total``, ``retry_backoff_factor``, ...).
    """

    def __init__(self, **kwargs: Any) -> None:
        self.max_retry_after = _max_retry_after(kwargs)
        super().__init__(**kwargs)


class AsyncCappedRetryPolicy(_CappedRetry, AsyncRetryPolicy[Any, Any]):
    """azure-core's ``AsyncRetryPolicy`` with a capped ``Retry-After`` and sleeps bounded by ``timeout``.

    :keyword float max_retry_after: Longest ``Retry-After`` honoured, in seconds. Default value is 60.
    :keyword int timeout: Seconds all attempts of one call (and the waits between them) may take.
        Default value is 604800 (azure-core's).
    """

    def __init__(self, **kwargs: Any) -> None:
        self.max_retry_after = _max_retry_after(kwargs)
        super().__init__(**kwargs)


class SafeContentDecodePolicy(ContentDecodePolicy):
    """``ContentDecodePolicy`` whose too-deeply nested JSON raises ``DecodeError`` with the response.

    The client then raises the status-mapped error for an error status, and a ``DecodeError``
    naming the operation and status for a success status. A request run with the pipeline option
    ``defer_decode=True`` is not parsed when its status is 2xx (error bodies still are, for the
    error's message): call :meth:`decode` when the body is wanted.
    """

    def on_request(self, request: PipelineRequest[Any]) -> None:
        super().on_request(request)
        # Popped: options left in the context go on to the transport, which knows none of ours.
        request.context["defer_decode"] = bool(request.context.options.pop("defer_decode", False))

    def on_response(self, request: PipelineRequest[Any], response: PipelineResponse[Any, Any]) -> None:
        if response.context.options.get("stream", True):
            return  # a streamed body is not read here (as in ContentDecodePolicy)
        if request.context.get("defer_decode") and 200 <= response.http_response.status_code < 300:
            return
        self.decode(response)

    @classmethod
    def decode(cls, response: PipelineResponse[Any, Any]) -> None:
        """Parse a body left unparsed by ``defer_decode``, as :meth:`on_response` would have.

        :raises ~azure.core.exceptions.DecodeError: If the body is not what its Content-Type says.
        """
        try:
            decoded = cls.deserialize_from_http_generics(
                response.http_response, response.context.get("response_encoding")
            )
        except RecursionError as error:
            raise DecodeError(
                message="The response body is JSON nested too deeply to read", response=response.http_response
            ) from error
        response.context[cls.CONTEXT_NAME] = decoded


class _EndpointPollingMixin:
    """The checks and delays shared by the sync and async polling methods."""

    _client: Any
    _path_format_arguments: Optional[Dict[str, str]]
    _pipeline_response: PipelineResponse[Any, Any]
    _timeout: float

    def __init__(self, timeout: float = 30, *, config: Any, adaptive: bool = False, **kwargs: Any) -> None:
        super().__init__(timeout, **kwargs)  # type: ignore[call-arg]
        self._config = config
        self._adaptive = adaptive
        cap = getattr(config, "max_retry_after", None)
        self._max_retry_after = DEFAULT_MAX_RETRY_AFTER if cap is None else float(cap)
        self._next_wait = ADAPTIVE_POLLING_START

    def _checked(self, link: str, what: str) -> str:
        if self._path_format_arguments:
            link = self._client.format_url(link, **self._path_format_arguments)
        return check_endpoint_url(link, self._config, what)

    def initialize(self, client: Any, initial_response: Any, deserialization_callback: Any) -> None:
        super().initialize(client, initial_response, deserialization_callback)  # type: ignore[misc]
        # Nothing is sent yet: refuse polling URLs on another origin now (continuation tokens too).
        headers = initial_response.http_response.headers
        for name in _POLLING_HEADERS:
            link = headers.get(name)
            if link:
                self._checked(link, f"{name} of the long-running operation")

    def _extract_delay(self) -> float:
        asked = retry_after_seconds(self._pipeline_response.http_response.headers, self._max_retry_after)
        if asked:  # 0 or absent: the interval (as azure-core reads it)
            return asked
        if not self._adaptive:
            return self._timeout
        wait = self._next_wait
        self._next_wait = min(wait * 2, ADAPTIVE_POLLING_MAX)
        return wait


class EndpointPolling(_EndpointPollingMixin, LROBasePolling[Any, Any, Any]):
    """``LROBasePolling`` that polls the client's endpoint only, with capped and adaptive waits.

    :param float timeout: Seconds between polls when the service does not say (and ``adaptive`` is False).
    :keyword any config: The client's configuration (``endpoint``, ``trusted_origins``, ``max_retry_after``).
    :keyword bool adaptive: Poll after 1 s, then back off to 30 s, instead of every ``timeout`` seconds.
    """

    def request_status(self, status_link: str) -> PipelineResponse[Any, Any]:
        return super().request_status(self._checked(status_link, "status URL of the long-running operation"))


class AsyncEndpointPolling(_EndpointPollingMixin, AsyncLROBasePolling[Any, Any, Any]):
    """``AsyncLROBasePolling`` that polls the client's endpoint only, with capped and adaptive waits.

    :param float timeout: Seconds between polls when the service does not say (and ``adaptive`` is False).
    :keyword any config: The client's configuration (``endpoint``, ``trusted_origins``, ``max_retry_after``).
    :keyword bool adaptive: Poll after 1 s, then back off to 30 s, instead of every ``timeout`` seconds.
    """

    async def request_status(self, status_link: str) -> PipelineResponse[Any, Any]:
        return await super().request_status(self._checked(status_link, "status URL of the long-running operation"))
