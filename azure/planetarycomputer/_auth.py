# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Bearer-token policies that allow plain http to loopback hosts only.

azure-core refuses to send a bearer token over plain http. A local GeoCatalog
emulator listens on ``http://127.0.0.1:<port>``, so requests to loopback hosts
are let through; every other host still needs https.
"""

from __future__ import annotations

import ipaddress
import time
from typing import Any
from urllib.parse import urlparse

from azure.core.credentials import AccessToken, AccessTokenInfo
from azure.core.pipeline import PipelineRequest
from azure.core.pipeline.policies import AsyncBearerTokenCredentialPolicy, BearerTokenCredentialPolicy

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
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _allow_loopback_http(request: PipelineRequest[Any]) -> None:
    url = request.http_request.url
    if url.lower().startswith("http://") and is_loopback(url):
        request.context["enforce_https"] = False


class LoopbackAwareBearerTokenPolicy(BearerTokenCredentialPolicy[Any, Any]):
    """``BearerTokenCredentialPolicy`` that accepts plain http to loopback hosts."""

    def on_request(self, request: PipelineRequest[Any]) -> None:
        _allow_loopback_http(request)
        super().on_request(request)


class AsyncLoopbackAwareBearerTokenPolicy(AsyncBearerTokenCredentialPolicy[Any, Any]):
    """``AsyncBearerTokenCredentialPolicy`` that accepts plain http to loopback hosts."""

    async def on_request(self, request: PipelineRequest[Any]) -> None:
        _allow_loopback_http(request)
        await super().on_request(request)
