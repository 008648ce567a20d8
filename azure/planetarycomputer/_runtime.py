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
from typing import (
    Any,
    Callable,
    ContextManager,
    Dict,
    Iterator,
    MutableMapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
)
from urllib.parse import parse_qs, quote, urljoin, urlparse

from azure.core.async_paging import AsyncItemPaged, AsyncList
from azure.core.exceptions import (
    AzureError,
    ClientAuthenticationError,
    DecodeError,
    DeserializationError,
    HttpResponseError,
    ResourceExistsError,
    ResourceNotFoundError,
    ResourceNotModifiedError,
)
from azure.core.paging import ItemPaged
from azure.core.pipeline import PipelineResponse
from azure.core.polling import AsyncLROPoller, LROPoller
from azure.core.rest import HttpRequest
from azure.core.utils import case_insensitive_dict

from ._guards import DEFAULT_MAX_EMPTY_PAGES, PageGuard, check_endpoint_url, path_argument
from ._logging import redact_error
from ._lro import polling_method
from ._policies import SafeContentDecodePolicy
from ._serialization import Deserializer, Serializer, body_to_json, multipart_fields
from ._streams import AsyncResponseStream, ResponseStream, name_operation, operation_name, safe_text

__all__ = ["OperationGroup", "AsyncOperationGroup", "UnparsedResponse", "json_body", "multipart_body", "path_argument"]

_P = TypeVar("_P")

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
        endpoint = self._serialize.url("endpoint", self._config.endpoint, "str", skip_quote=True)
        return polling_method(self._config, endpoint, kwargs, lro_options, async_=async_)


class _Call:
    """One operation call's options and the steps around its sending, which do not wait.

    The sync and async operation groups differ only in how they send; everything before and after
    the transport lives here, once. Building it pops ``error_map`` and ``cls`` from the call's keywords,
    so what remains in ``kwargs`` goes to the pipeline.
    """

    def __init__(self, group: _Base, kwargs: Dict[str, Any], status: Sequence[int], error_model: Optional[str]) -> None:
        self._group = group
        self._status = status
        self._error_model = error_model
        self.error_map: Optional[MutableMapping[int, Type[HttpResponseError]]] = kwargs.pop("error_map", None)
        self.cls: Optional[Callable[..., Any]] = kwargs.pop("cls", None)

    def sending(self, request: HttpRequest) -> ContextManager[None]:
        """Context in which the request is sent: errors the pipeline raises name the operation."""
        return self._group._sending(request, self._status, self.error_map)

    def unread_error(self, pipeline_response: PipelineResponse[Any, Any], stream: bool) -> bool:
        """Whether a streamed response is an error whose body must be read before it is checked."""
        return stream and pipeline_response.http_response.status_code not in self._status

    def check(self, pipeline_response: PipelineResponse[Any, Any]) -> None:
        self._group._check(pipeline_response, self._status, self.error_map, self._error_model)

    def output(self, pipeline_response: PipelineResponse[Any, Any], deserialized: Any) -> Any:
        return self.cls(pipeline_response, deserialized, {}) if self.cls else deserialized

    def finish(
        self, pipeline_response: PipelineResponse[Any, Any], result: Optional[str], stream_type: Optional[Any]
    ) -> Any:
        """The call's return value: checked, deserialized (or wrapped as a stream) and passed to ``cls``."""
        self.check(pipeline_response)
        if stream_type is not None and result == "IO":
            deserialized: Any = stream_type(pipeline_response.http_response)
        else:
            deserialized = self._group._result(pipeline_response, result)
        return self.output(pipeline_response, deserialized)


class UnparsedResponse:
    """A successful response whose JSON body is read but not parsed yet (``_run_unparsed``).

    :attr:`body` is there at once; :meth:`parse` turns it into the operation's result, raising
    what the operation itself would have raised for a body that cannot be read.
    """

    def __init__(self, call: _Call, pipeline_response: PipelineResponse[Any, Any], result: str) -> None:
        self._call = call
        self._pipeline_response = pipeline_response
        self._result = result

    @property
    def body(self) -> bytes:
        """The raw body."""
        body: bytes = self._pipeline_response.http_response.content
        return body

    def parse(self) -> Any:
        """The operation's result.

        :raises ~azure.core.exceptions.DecodeError: If the body is not valid JSON.
        :raises ~azure.core.exceptions.HttpResponseError: If it is JSON of the wrong shape.
        """
        with self._call.sending(self._pipeline_response.http_request):
            SafeContentDecodePolicy.decode(self._pipeline_response)
        return self._call.finish(self._pipeline_response, self._result, None)


class _LongRunning(_Call):
    """A ``begin_*`` call's steps that do not wait: its polling method and its poller."""

    def __init__(
        self,
        group: _Base,
        kwargs: Dict[str, Any],
        status: Sequence[int],
        result: Optional[str],
        lro_options: Optional[Dict[str, str]],
        error_model: Optional[str],
        *,
        async_: bool,
    ) -> None:
        super().__init__(group, kwargs, status, error_model)
        self._result_type = result
        self.token: Optional[str] = kwargs.pop("continuation_token", None)
        # Polling keywords are for the poller, never for the initial request's transport.
        self._method = group._lro_poller_args(kwargs, lro_options, async_)

    def _final(self, pipeline_response: PipelineResponse[Any, Any]) -> Any:
        """The poller's deserialization callback for the final response."""
        deserialized = self._group._result(pipeline_response, self._result_type) if self._result_type else None
        return self.output(pipeline_response, deserialized)

    def resumed(self, from_token: Callable[..., _P]) -> _P:
        """The poller resumed from the continuation token (``LROPoller.from_continuation_token``)."""
        return from_token(
            polling_method=self._method,
            continuation_token=self.token,
            client=self._group._client,
            deserialization_callback=self._final,
        )

    def poller(self, poller_type: Callable[..., _P], initial: PipelineResponse[Any, Any]) -> _P:
        """The poller of an operation the initial response started (once it is checked)."""
        self.check(initial)
        return poller_type(self._group._client, initial, self._final, self._method)


class _Pages(_Call):
    """A pager's steps that do not wait: the request for a link, the guard against loops, the items."""

    def __init__(
        self,
        group: _Base,
        build_first: Callable[[], HttpRequest],
        kwargs: Dict[str, Any],
        status: Sequence[int],
        names: Tuple[str, str, str],
        error_model: Optional[str],
    ) -> None:
        super().__init__(group, kwargs, status, error_model)
        self._build_first = build_first
        self._item_type, self._item_name, self._next_name = names
        self._guard = group._page_guard(self._item_type)

    def request(self, next_link: Optional[str]) -> HttpRequest:
        self._guard.following(next_link)
        if next_link is None:
            return self._group._prepare(self._build_first())
        return self._group._next_page_request(next_link)

    def items(self, pipeline_response: PipelineResponse[Any, Any]) -> Tuple[Optional[str], Any]:
        """(next link or None, the page's items, passed to ``cls``)."""
        next_link, items = self._group._page_items(pipeline_response, self._item_type, self._item_name, self._next_name)
        self._guard.received(next_link, len(items))
        return next_link, self.cls(items) if self.cls else items


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
        call = _Call(self, kwargs, status, error_model)
        stream = kwargs.pop("stream", stream)
        with call.sending(request):
            pipeline_response = self._client._pipeline.run(self._prepare(request), stream=stream, **kwargs)
            if call.unread_error(pipeline_response, stream):
                pipeline_response.http_response.read()
        return call.finish(pipeline_response, result, ResponseStream if stream else None)

    def _run_unparsed(
        self, request: HttpRequest, kwargs: Dict[str, Any], result: str, *, error_model: Optional[str] = None
    ) -> UnparsedResponse:
        """As :meth:`_run` for a 200 response, but its JSON body is parsed only on ``parse()``.

        ``request`` is sent as it is: prepare a request built by a generated builder first.
        """
        call = _Call(self, kwargs, (200,), error_model)
        with call.sending(request):
            pipeline_response = self._client._pipeline.run(request, stream=False, defer_decode=True, **kwargs)
        call.check(pipeline_response)
        return UnparsedResponse(call, pipeline_response, result)

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
        lro = _LongRunning(self, kwargs, status, result, lro_options, error_model, async_=False)
        if lro.token is not None:
            return lro.resumed(LROPoller.from_continuation_token)
        request = build_request()
        with lro.sending(request):
            initial = self._client._pipeline.run(self._prepare(request), stream=False, **kwargs)
        return lro.poller(LROPoller, initial)

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
        pages = _Pages(self, build_first, kwargs, status, (item_type, item_name, next_name), error_model)

        def get_next(next_link: Optional[str] = None) -> PipelineResponse[Any, Any]:
            request = pages.request(next_link)
            with pages.sending(request):
                pipeline_response: PipelineResponse[Any, Any] = self._client._pipeline.run(
                    request, stream=False, **kwargs
                )
            pages.check(pipeline_response)
            return pipeline_response

        def extract(pipeline_response: PipelineResponse[Any, Any]) -> Any:
            next_link, items = pages.items(pipeline_response)
            return next_link, iter(items)

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
        call = _Call(self, kwargs, status, error_model)
        stream = kwargs.pop("stream", stream)
        with call.sending(request):
            pipeline_response = await self._client._pipeline.run(self._prepare(request), stream=stream, **kwargs)
            if call.unread_error(pipeline_response, stream):
                await pipeline_response.http_response.read()
        return call.finish(pipeline_response, result, AsyncResponseStream if stream else None)

    async def _run_unparsed(
        self, request: HttpRequest, kwargs: Dict[str, Any], result: str, *, error_model: Optional[str] = None
    ) -> UnparsedResponse:
        """As :meth:`_run` for a 200 response, but its JSON body is parsed only on ``parse()``.

        ``request`` is sent as it is: prepare a request built by a generated builder first.
        """
        call = _Call(self, kwargs, (200,), error_model)
        with call.sending(request):
            pipeline_response = await self._client._pipeline.run(request, stream=False, defer_decode=True, **kwargs)
        call.check(pipeline_response)
        return UnparsedResponse(call, pipeline_response, result)

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
        lro = _LongRunning(self, kwargs, status, result, lro_options, error_model, async_=True)
        if lro.token is not None:
            return lro.resumed(AsyncLROPoller.from_continuation_token)
        request = build_request()
        with lro.sending(request):
            initial = await self._client._pipeline.run(self._prepare(request), stream=False, **kwargs)
        return lro.poller(AsyncLROPoller, initial)

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
        pages = _Pages(self, build_first, kwargs, status, (item_type, item_name, next_name), error_model)

        async def get_next(next_link: Optional[str] = None) -> PipelineResponse[Any, Any]:
            request = pages.request(next_link)
            with pages.sending(request):
                pipeline_response: PipelineResponse[Any, Any] = await self._client._pipeline.run(
                    request, stream=False, **kwargs
                )
            pages.check(pipeline_response)
            return pipeline_response

        async def extract(pipeline_response: PipelineResponse[Any, Any]) -> Any:
            next_link, items = pages.items(pipeline_response)
            return next_link, AsyncList(items)

        return AsyncItemPaged(get_next, extract)
