"""Shared test fixtures: capturing requests without a network, the reference data folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, List

import pytest
from azure.core.credentials import AccessToken, AccessTokenInfo
from azure.core.pipeline.policies import SansIOHTTPPolicy

ENDPOINT = "https://contoso.geocatalog.spatio.azure.com"
ROOT = Path(__file__).resolve().parents[1]
#: Facts about the service (request/response examples, inventories of the official releases), kept
#: in the repository as test data so the suite runs from a bare clone; PLANETARYCOMPUTER_REFERENCE
#: points the tests at another copy of the same layout.
REFERENCE = Path(os.environ.get("PLANETARYCOMPUTER_REFERENCE", ROOT / "tests" / "data" / "reference"))


class Captured(Exception):
    """Raised by CapturePolicy to stop a request before it reaches a transport."""


class CapturePolicy(SansIOHTTPPolicy):  # type: ignore[type-arg]
    """Records each outgoing request and stops it: no network, no response needed."""

    def __init__(self) -> None:
        self.requests: List[Any] = []

    def on_request(self, request: Any) -> None:
        self.requests.append(request.http_request)
        raise Captured()


class FakeCredential:
    """A sync credential with a fixed token."""

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("fake-token", 4102444800)

    def get_token_info(self, *scopes: str, options: Any = None) -> AccessTokenInfo:
        return AccessTokenInfo("fake-token", 4102444800)


class AsyncFakeCredential:
    """An async credential with a fixed token."""

    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("fake-token", 4102444800)

    async def get_token_info(self, *scopes: str, options: Any = None) -> AccessTokenInfo:
        return AccessTokenInfo("fake-token", 4102444800)

    async def close(self) -> None:
        pass

    async def __aenter__(self) -> "AsyncFakeCredential":
        return self

    async def __aexit__(self, *args: Any) -> None:
        pass


@pytest.fixture
def reference() -> Path:
    if not REFERENCE.is_dir():
        pytest.fail(f"reference data not found at {REFERENCE} (set PLANETARYCOMPUTER_REFERENCE)")
    return REFERENCE
