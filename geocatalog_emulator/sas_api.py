"""Routes of the sas API (to be filled)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from .http import Router

if TYPE_CHECKING:
    from .app import GeoCatalog


def sign_href(app: "GeoCatalog", href: str, minutes: Optional[int] = None) -> str:
    """Append a SAS token to an emulator blob href; other hrefs come back unchanged."""
    return href


def routes(app: "GeoCatalog") -> Router:
    router = Router()
    return router
