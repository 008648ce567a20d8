# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Bearer-token policies: the token goes to the client's endpoint only, over https or to loopback.

azure-core refuses to send a bearer token over plain http. A local GeoCatalog
emulator listens on ``http://127.0.0.1:<port>``, so requests to loopback hosts
are let through; every other host still needs https.

Given the client's endpoint, the policies also refuse to authorize a request to any other origin
(scheme, host, port): the pager and poller check the URLs a server names before sending, and this
is the backstop behind them. A redirect to another origin is followed without the token, as
azure-core does. After each request the ``Authorization`` header is removed from it, so responses
and exceptions that keep the request keep no token. The sync policy fetches a token once for
all threads that need one at the same time (the async policy already does, per event loop).
"""

from __future__ import annotations

import threading
import time
from typing import Any, MutableMapping, Optional
from urllib.parse import urlparse

from azure.core.credentials import AccessToken, AccessTokenInfo
from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import AsyncBearerTokenCredentialPolicy, BearerTokenCredentialPolicy

from ._guards import check_endpoint_url, trusted_origins

__all__ = [
    "is_loopback",
    "LoopbackAwareBearerTokenPolicy",
    "AsyncLoopbackAwareBearerTokenPolicy",
    "StaticTokenCredential",
    "AsyncStaticTokenCredential",
]

_TEN_YEARS = 10 * 365 * 24 * 3600


class StaticTokenCredential:
    """A credential that always returns the same token: for a local emulator, never for Azure.

    :param str token: The bearer token to send. Default value is "emulator".
    """

    def __init__(self, token: str = "emulator") -> None:
        if not token:
            raise ValueError("token must be a non-empty string")
        self._token = token

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken(self._token, int(time.time()) + _TEN_YEARS)

    def get_token_info(self, *scopes: str, options: Any = None) -> AccessTokenInfo:
        return AccessTokenInfo(self._token, int(time.time()) + _TEN_YEARS)

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> "StaticTokenCredential":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        pass

    def __repr__(self) -> str:
        return "StaticTokenCredential(token=<hidden>)"


class AsyncStaticTokenCredential:
    """Async twin of :class:`StaticTokenCredential`.

    :param str token: The bearer token to send. Default value is "emulator".
    """

    def __init__(self, token: str = "emulator") -> None:
        self._sync = StaticTokenCredential(token)

    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return self._sync.get_token(*scopes)

    async def get_token_info(self, *scopes: str, options: Any = None) -> AccessTokenInfo:
        return self._sync.get_token_info(*scopes)

    async def close(self) -> None:
        """Nothing to release."""

    async def __aenter__(self) -> "AsyncStaticTokenCredential":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        pass

    def __repr__(self) -> str:
        return "AsyncStaticTokenCredential(token=<hidden>)"


def is_loopback(url: str) -> bool:
    """Whether ``url`` points at this machine (127.0.0.0/8, ::1 or localhost).

    :param str url: A URL or endpoint.
    :return: True for loopback hosts.
    :rtype: bool
    """
    host = (urlparse(url).hostname or "").lower()
    if host == "localhost":
        return True
    import ipaddress  # here, not at import: only clients of http endpoints ask

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _allow_loopback_http(request: PipelineRequest[Any]) -> None:
    url = request.http_request.url
    if url.lower().startswith("http://") and is_loopback(url):
        request.context["enforce_https"] = False


class _EndpointOnly:
    """The origin rule shared by the sync and async policies.

    :keyword str endpoint: The client's endpoint; without it any origin is authorized (azure-core's rule).
    :keyword trusted_origins: Other origins that may receive the token.
    :paramtype trusted_origins: list[str]
    """

    def __init__(self, credential: Any, *scopes: str, **kwargs: Any) -> None:
        super().__init__(credential, *scopes, **kwargs)  # type: ignore[call-arg]
        self.endpoint: Optional[str] = kwargs.get("endpoint")
        self.trusted_origins = trusted_origins(kwargs.get("trusted_origins"))

    def _authorize(self, request: PipelineRequest[Any]) -> bool:
        """Whether to add the token; raises for another origin unless a redirect led there.

        :raises ~azure.planetarycomputer._guards.UntrustedUrlError: For a request to another origin.
        """
        if self.endpoint is not None:
            try:
                check_endpoint_url(request.http_request.url, self, "request URL")
            except ValueError:
                if not request.context.get("insecure_domain_change"):
                    raise
                # A redirect to another origin: azure-core follows it without credentials, and so do we.
                request.http_request.headers.pop("Authorization", None)
                return False
        _allow_loopback_http(request)
        return True


def _forget_token(request: PipelineRequest[Any], response: Optional[PipelineResponse[Any, Any]]) -> None:
    # Exceptions and responses keep their request (and requests' own response keeps the request it
    # prepared): neither may keep the token.
    request.http_request.headers.pop("Authorization", None)
    internal = getattr(response.http_response, "internal_response", None) if response is not None else None
    headers = getattr(getattr(internal, "request", None), "headers", None)
    if isinstance(headers, MutableMapping):
        headers.pop("Authorization", None)


class LoopbackAwareBearerTokenPolicy(_EndpointOnly, BearerTokenCredentialPolicy[Any, Any]):
    """``BearerTokenCredentialPolicy`` for the client's endpoint only; plain http to loopback hosts.

    :param credential: The credential.
    :type credential: ~azure.core.credentials.TokenCredential
    :param str scopes: The scopes of the token.
    :keyword str endpoint: The client's endpoint: requests to other origins are refused.
    :keyword trusted_origins: Other origins (``https://host[:port]``) that may receive the token.
    :paramtype trusted_origins: list[str]
    """

    def __init__(self, credential: Any, *scopes: str, **kwargs: Any) -> None:
        super().__init__(credential, *scopes, **kwargs)
        self._token_lock = threading.Lock()

    def on_request(self, request: PipelineRequest[Any]) -> None:
        if not self._authorize(request):
            return
        if self._token is None or self._need_new_token:
            with self._token_lock:  # one token request; the threads that waited reuse its token
                if self._token is None or self._need_new_token:
                    self._request_token(*self._scopes)
        super().on_request(request)

    def send(self, request: PipelineRequest[Any]) -> PipelineResponse[Any, Any]:
        response = None
        try:
            response = super().send(request)
            return response
        finally:
            _forget_token(request, response)


class AsyncLoopbackAwareBearerTokenPolicy(_EndpointOnly, AsyncBearerTokenCredentialPolicy[Any, Any]):
    """Async twin of :class:`LoopbackAwareBearerTokenPolicy`, with the same keywords.

    :param credential: The credential.
    :type credential: ~azure.core.credentials_async.AsyncTokenCredential
    :param str scopes: The scopes of the token.
    """

    async def on_request(self, request: PipelineRequest[Any]) -> None:
        if self._authorize(request):
            await super().on_request(request)

    async def send(self, request: PipelineRequest[Any]) -> PipelineResponse[Any, Any]:
        response = None
        try:
            response = await super().send(request)
            return response
        finally:
            _forget_token(request, response)
