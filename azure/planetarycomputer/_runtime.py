# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""What every generated operation does after building its request.

Generated methods build an ``HttpRequest`` and hand it here with the
accepted status codes and the result type. Keeping this in one hand-written
place means the error mapping, ``cls`` hook, streaming and long-running
behaviour are the same for every operation, sync and async.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Dict, Iterator, Mapping, MutableMapping, Optional, Sequence, Tuple, Type
from urllib.parse import parse_qs, quote, urljoin, urlparse

from azure.core.async_paging import AsyncItemPaged, AsyncList
from azure.core.exceptions import (
    AzureError,
    ClientAuthenticationError,
    DecodeError,
    DeserializationError,
    HttpResponseError,
    ODataV4Format,
    ResourceExistsError,
    ResourceNotFoundError,
    ResourceNotModifiedError,
)
from azure.core.paging import ItemPaged
from azure.core.pipeline import PipelineResponse
from azure.core.polling import AsyncLROPoller, AsyncNoPolling, LROPoller, NoPolling
from azure.core.rest import HttpRequest
from azure.core.utils import case_insensitive_dict

from ._guards import DEFAULT_MAX_EMPTY_PAGES, PageGuard, check_endpoint_url, path_argument
from ._logging import redact_error
from ._policies import AsyncEndpointPolling, EndpointPolling
from ._serialization import Deserializer, Serializer, body_to_json, multipart_fields
from ._streams import AsyncResponseStream, ResponseStream, name_operation, operation_name, safe_text
from .models._patch import operation_error

__all__ = ["OperationGroup", "AsyncOperationGroup", "json_body", "multipart_body", "path_argument"]

#: Default of an optional body: "not given" (None could be a deliberate JSON null).
_UNSET: Any = type("_Unset", (), {"__repr__": lambda self: "<not given>"})()

_ERROR_MAP: Dict[int, Type[HttpResponseError]] = {
    401: ClientAuthenticationError,
    404: ResourceNotFoundError,
    409: ResourceExistsError,
    304: ResourceNotModifiedError,
}


def _status_text(response: Any) -> str:
    return f"{response.status_code} {response.reason or ''}".rstrip()


def json_body(body: Any) -> Any:
    """Request content for a JSON body: bytes and file objects pass through.

    :raises TypeError: If the body is of a type that cannot be sent.
    """
    if isinstance(body, (bytes, bytearray)) or hasattr(body, "read"):
        return body
    return body_to_json(body)  # checks the type: str, numbers and None are refused


def multipart_body(body: Any, file_fields: Sequence[str]) -> Dict[str, Any]:
    """The ``files=`` keyword for an ``HttpRequest`` with a multipart body."""
    return {"files": multipart_fields(body, list(file_fields))}


class _PageLoopCheck:
    """One pager's :class:`PageGuard`, fed by ``extract`` and consulted by ``get_next``.

    The check runs when a next page is asked for, so the items of the page carrying a looping
    link are still yielded; a first page (or a resumed continuation token) starts over.
    """

    def __init__(self, guard: PageGuard) -> None:
        self._guard = guard
        self._last: Tuple[Optional[str], int] = (None, 0)  # (next link, item count) of the last page read

    def received(self, next_link: Optional[str], count: int) -> None:
        self._last = (next_link, count)

    def following(self, next_link: Optional[str]) -> None:
        last_link, count = self._last
        if next_link is None or next_link != last_link:
            self._guard.reset()  # a new iteration, or one resumed from a continuation token
            count = 1
        if next_link is not None:
            self._guard.check(next_link, count)


class _Base:
    """State shared by sync and async operation groups."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        input_args = list(args)
        self._client: Any = input_args.pop(0) if input_args else kwargs.pop("client")
        self._config: Any = input_args.pop(0) if input_args else kwargs.pop("config")
        self._serialize: Serializer = input_args.pop(0) if input_args else kwargs.pop("serializer")
        self._deserialize: Deserializer = input_args.pop(0) if input_args else kwargs.pop("deserializer")

    def _prepare(self, request: HttpRequest) -> HttpRequest:
        endpoint = self._serialize.url("endpoint", self._config.endpoint, "str", skip_quote=True)
        request.url = self._client.format_url(request.url, endpoint=endpoint)
        return request

    def _check(
        self,
        pipeline_response: PipelineResponse[Any, Any],
        status: Sequence[int],
        error_map: Optional[MutableMapping[int, Type[HttpResponseError]]],
        error_model: Optional[str],
    ) -> None:
        response = pipeline_response.http_response
        if response.status_code in status:
            return
        error = None
        if error_model:
            try:
                error = self._deserialize(error_model, pipeline_response)
            except (DeserializationError, DecodeError, ValueError, TypeError, RecursionError):
                error = None  # not the service's error shape: the exception still has status and body
        raise self._status_error(response, error_map, error)

    @staticmethod
    def _status_error(
        response: Any, error_map: Optional[MutableMapping[int, Type[HttpResponseError]]], model: Any
    ) -> HttpResponseError:
        """The status-mapped exception for an error response, its message naming the operation."""
        mapping: Dict[int, Type[HttpResponseError]] = dict(_ERROR_MAP)
        mapping.update(error_map or {})
        error = mapping.get(response.status_code, HttpResponseError)(response=response, model=model)
        # azure-core's message is the service's error (or the bare reason); say which call failed.
        name_operation(error, f"{operation_name(response.request)} returned {_status_text(response)}")
        return redact_error(error)  # error bodies can echo signed hrefs

    @contextmanager
    def _sending(
        self,
        request: HttpRequest,
        status: Sequence[int],
        error_map: Optional[MutableMapping[int, Type[HttpResponseError]]],
    ) -> Iterator[None]:
        """Name the operation in errors the pipeline raises (broken connections, undecodable bodies).

        ``ContentDecodePolicy`` raises ``DecodeError`` for a body that is not valid JSON before the
        status is checked: an error status still raises its status-mapped exception.
        """
        try:
            yield
        except DecodeError as error:
            response: Any = error.response
            if response is None or not response.status_code:  # the body broke off: no status to check
                name_operation(error, operation_name(request))
                raise
            if response.status_code not in status:
                raise self._status_error(response, error_map, None) from error
            ctype = response.headers.get("Content-Type")
            prefix = f"{operation_name(request)} returned {_status_text(response)} with a body"
            name_operation(error, f"{prefix} that is not valid JSON (Content-Type {ctype!r})")
            raise
        except AzureError as error:
            name_operation(error, operation_name(request))
            raise

    def _unreadable(self, response: Any, what: str, cause: BaseException) -> HttpResponseError:
        ctype = response.headers.get("Content-Type")
        return HttpResponseError(
            message=f"{operation_name(response.request)} returned {_status_text(response)}, which cannot be read "
            f"as {what} (Content-Type {ctype!r}): {safe_text(str(cause))}",
            response=response,
        )

    def _result(self, pipeline_response: PipelineResponse[Any, Any], result: Optional[str]) -> Any:
        if result is None:
            return None
        response = pipeline_response.http_response
        if result == "str":
            return response.text()
        decoded = pipeline_response.context.get("deserialized_data")
        try:
            if decoded is not None:
                return self._deserialize.deserialize_data(decoded, result)
            if not response.text().strip():
                # A declared result with no body would otherwise come back as a silent None.
                raise DeserializationError("the body is empty")
            return self._deserialize(result, pipeline_response)
        except (DeserializationError, DecodeError, ValueError, TypeError, RecursionError) as exc:
            raise self._unreadable(response, result, exc) from exc

    def _next_page_request(self, next_link: str) -> HttpRequest:
        """GET the next link, keeping its query and using the client's API version.

        :raises ~azure.planetarycomputer._guards.UntrustedUrlError: If the link is not on the client's
            endpoint (it would receive the bearer token); nothing is sent.
        """
        next_link = check_endpoint_url(next_link, self._config, "next link")
        parsed = urlparse(next_link)
        params = case_insensitive_dict(
            {key: [quote(v) for v in values] for key, values in parse_qs(parsed.query).items()}
        )
        params["api-version"] = self._config.api_version
        request = HttpRequest("GET", urljoin(next_link, parsed.path), params=params)
        request.headers["Accept"] = "application/json"  # as for the first page
        return self._prepare(request)

    def _page_items(
        self, pipeline_response: PipelineResponse[Any, Any], item_type: str, item_name: str, next_name: str
    ) -> Any:
        """(next link or None, the page's items deserialized)."""
        page = self._result(pipeline_response, "object")
        try:
            if not isinstance(page, dict):
                raise DeserializationError(f"expected a JSON object, got {type(page).__name__}")
            next_link = page.get(next_name) or None
            if next_link is not None and not isinstance(next_link, str):
                raise DeserializationError(f"{next_name!r} is a {type(next_link).__name__}, not a URL")
            items = self._deserialize.deserialize_data(page.get(item_name) or [], f"[{item_type}]")
        except (DeserializationError, ValueError, TypeError) as exc:
            raise self._unreadable(pipeline_response.http_response, f"a page of {item_type}", exc) from exc
        return next_link, items

    def _page_guard(self, item_type: str) -> "_PageLoopCheck":
        limit = getattr(self._config, "max_empty_pages", DEFAULT_MAX_EMPTY_PAGES)
        return _PageLoopCheck(PageGuard(limit, what=f"pager of {item_type}"))

    def _lro_poller_args(self, kwargs: Dict[str, Any], lro_options: Optional[Dict[str, str]], async_: bool) -> Any:
        polling = kwargs.pop("polling", True)
        delay = kwargs.pop("polling_interval", None)
        # Without an interval from the call or the client, poll soon and back off (see EndpointPolling).
        adaptive = delay is None and getattr(self._config, "adaptive_polling", False)
        if delay is None:
            delay = self._config.polling_interval
        endpoint = self._serialize.url("endpoint", self._config.endpoint, "str", skip_quote=True)
        if polling is True:
            options: Dict[str, Any] = {"path_format_arguments": {"endpoint": endpoint}}
            if lro_options:
                options["lro_options"] = lro_options
            method_cls = _AsyncOperationPolling if async_ else _OperationPolling
            return method_cls(delay, config=self._config, adaptive=adaptive, **options, **kwargs)
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


class _OperationPolling(EndpointPolling):
    """Polling whose failures carry the operation's error."""

    def run(self) -> None:
        try:
            super().run()
        except HttpResponseError as error:
            raise _operation_failure(error) from error


class _AsyncOperationPolling(AsyncEndpointPolling):
    """Async polling whose failures carry the operation's error."""

    async def run(self) -> None:
        try:
            await super().run()
        except HttpResponseError as error:
            raise _operation_failure(error) from error


class OperationGroup(_Base):
    """Base of the generated synchronous operation groups."""

    def _run(
        self,
        request: HttpRequest,
        kwargs: Dict[str, Any],
        status: Sequence[int],
        result: Optional[str],
        *,
        stream: bool = False,
        error_model: Optional[str] = None,
    ) -> Any:
        error_map = kwargs.pop("error_map", None)
        cls: Optional[Callable[..., Any]] = kwargs.pop("cls", None)
        stream = kwargs.pop("stream", stream)
        with self._sending(request, status, error_map):
            pipeline_response = self._client._pipeline.run(self._prepare(request), stream=stream, **kwargs)
            if stream and pipeline_response.http_response.status_code not in status:
                pipeline_response.http_response.read()
        self._check(pipeline_response, status, error_map, error_model)
        if stream and result == "IO":
            deserialized: Any = ResponseStream(pipeline_response.http_response)
        else:
            deserialized = self._result(pipeline_response, result)
        if cls:
            return cls(pipeline_response, deserialized, {})
        return deserialized

    def _begin(
        self,
        build_request: Callable[[], HttpRequest],
        kwargs: Dict[str, Any],
        status: Sequence[int],
        result: Optional[str],
        *,
        lro_options: Optional[Dict[str, str]] = None,
        error_model: Optional[str] = None,
    ) -> LROPoller[Any]:
        cls: Optional[Callable[..., Any]] = kwargs.pop("cls", None)
        token: Optional[str] = kwargs.pop("continuation_token", None)
        error_map = kwargs.pop("error_map", None)
        # Polling keywords are for the poller, never for the initial request's transport.
        method = self._lro_poller_args(kwargs, lro_options, async_=False)
        initial = None
        if token is None:
            request = build_request()
            with self._sending(request, status, error_map):
                initial = self._client._pipeline.run(self._prepare(request), stream=False, **kwargs)
            self._check(initial, status, error_map, error_model)

        def output(pipeline_response: PipelineResponse[Any, Any]) -> Any:
            deserialized = self._result(pipeline_response, result) if result else None
            return cls(pipeline_response, deserialized, {}) if cls else deserialized

        if token is not None:
            return LROPoller.from_continuation_token(
                polling_method=method, continuation_token=token, client=self._client, deserialization_callback=output
            )
        return LROPoller(self._client, initial, output, method)

    def _paged(
        self,
        build_first: Callable[[], HttpRequest],
        kwargs: Dict[str, Any],
        status: Sequence[int],
        item_type: str,
        item_name: str,
        next_name: str,
        *,
        error_model: Optional[str] = None,
    ) -> ItemPaged[Any]:
        cls: Optional[Callable[..., Any]] = kwargs.pop("cls", None)
        error_map = kwargs.pop("error_map", None)

        guard = self._page_guard(item_type)

        def get_next(next_link: Optional[str] = None) -> PipelineResponse[Any, Any]:
            guard.following(next_link)
            request = self._prepare(build_first()) if next_link is None else self._next_page_request(next_link)
            with self._sending(request, status, error_map):
                pipeline_response: PipelineResponse[Any, Any] = self._client._pipeline.run(
                    request, stream=False, **kwargs
                )
            self._check(pipeline_response, status, error_map, error_model)
            return pipeline_response

        def extract(pipeline_response: PipelineResponse[Any, Any]) -> Any:
            next_link, items = self._page_items(pipeline_response, item_type, item_name, next_name)
            guard.received(next_link, len(items))
            return next_link, iter(cls(items) if cls else items)

        return ItemPaged(get_next, extract)


class AsyncOperationGroup(_Base):
    """Base of the generated asynchronous operation groups."""

    async def _run(
        self,
        request: HttpRequest,
        kwargs: Dict[str, Any],
        status: Sequence[int],
        result: Optional[str],
        *,
        stream: bool = False,
        error_model: Optional[str] = None,
    ) -> Any:
        error_map = kwargs.pop("error_map", None)
        cls: Optional[Callable[..., Any]] = kwargs.pop("cls", None)
        stream = kwargs.pop("stream", stream)
        with self._sending(request, status, error_map):
            pipeline_response = await self._client._pipeline.run(self._prepare(request), stream=stream, **kwargs)
            if stream and pipeline_response.http_response.status_code not in status:
                await pipeline_response.http_response.read()
        self._check(pipeline_response, status, error_map, error_model)
        if stream and result == "IO":
            deserialized: Any = AsyncResponseStream(pipeline_response.http_response)
        else:
            deserialized = self._result(pipeline_response, result)
        if cls:
            return cls(pipeline_response, deserialized, {})
        return deserialized

    async def _begin(
        self,
        build_request: Callable[[], HttpRequest],
        kwargs: Dict[str, Any],
        status: Sequence[int],
        result: Optional[str],
        *,
        lro_options: Optional[Dict[str, str]] = None,
        error_model: Optional[str] = None,
    ) -> AsyncLROPoller[Any]:
        cls: Optional[Callable[..., Any]] = kwargs.pop("cls", None)
        token: Optional[str] = kwargs.pop("continuation_token", None)
        error_map = kwargs.pop("error_map", None)
        # Polling keywords are for the poller, never for the initial request's transport.
        method = self._lro_poller_args(kwargs, lro_options, async_=True)
        initial = None
        if token is None:
            request = build_request()
            with self._sending(request, status, error_map):
                initial = await self._client._pipeline.run(self._prepare(request), stream=False, **kwargs)
            self._check(initial, status, error_map, error_model)

        def output(pipeline_response: PipelineResponse[Any, Any]) -> Any:
            deserialized = self._result(pipeline_response, result) if result else None
            return cls(pipeline_response, deserialized, {}) if cls else deserialized

        if token is not None:
            return AsyncLROPoller.from_continuation_token(
                polling_method=method, continuation_token=token, client=self._client, deserialization_callback=output
            )
        return AsyncLROPoller(self._client, initial, output, method)

    def _paged(
        self,
        build_first: Callable[[], HttpRequest],
        kwargs: Dict[str, Any],
        status: Sequence[int],
        item_type: str,
        item_name: str,
        next_name: str,
        *,
        error_model: Optional[str] = None,
    ) -> AsyncItemPaged[Any]:
        cls: Optional[Callable[..., Any]] = kwargs.pop("cls", None)
        error_map = kwargs.pop("error_map", None)

        guard = self._page_guard(item_type)

        async def get_next(next_link: Optional[str] = None) -> PipelineResponse[Any, Any]:
            guard.following(next_link)
            request = self._prepare(build_first()) if next_link is None else self._next_page_request(next_link)
            with self._sending(request, status, error_map):
                pipeline_response: PipelineResponse[Any, Any] = await self._client._pipeline.run(
                    request, stream=False, **kwargs
                )
            self._check(pipeline_response, status, error_map, error_model)
            return pipeline_response

        async def extract(pipeline_response: PipelineResponse[Any, Any]) -> Any:
            next_link, items = self._page_items(pipeline_response, item_type, item_name, next_name)
            guard.received(next_link, len(items))
            return next_link, AsyncList(cls(items) if cls else items)

        return AsyncItemPaged(get_next, extract)
