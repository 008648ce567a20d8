"""Hand-written additions to this package: add names to __all__ and they are exported."""

from typing import List

from ._auth import StaticTokenCredential
from ._streams import ResponseStream

__all__: List[str] = ["StaticTokenCredential", "ResponseStream"]


def patch_sdk() -> None:
    """Called when the package is imported; customizations that must run then go here."""
