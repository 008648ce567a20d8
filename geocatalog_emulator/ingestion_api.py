"""Routes of the ingestion API (to be filled)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .http import Router

if TYPE_CHECKING:
    from .app import GeoCatalog


def routes(app: "GeoCatalog") -> Router:
    router = Router()
    return router
