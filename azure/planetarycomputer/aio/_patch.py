"""Hand-written additions to this package: add names to __all__ and they are exported."""

from typing import List

from .._auth import AsyncStaticTokenCredential
from .._search import AsyncItemSearch
from .._signing import AsyncSasSigner
from .._streams import AsyncResponseStream
from ._download import (
    ContentTypeError,
    DownloadError,
    DownloadEvent,
    DownloadFailed,
    DownloadFailure,
    DownloadFinished,
    DownloadProgress,
    DownloadStarted,
    DownloadWarning,
    ErrorStrategy,
    FileNameStrategy,
    OnError,
    TqdmProgress,
    download_asset,
    download_collection,
    download_item,
    download_item_collection,
)

__all__: List[str] = ["AsyncStaticTokenCredential", "AsyncResponseStream"]
__all__ += ["AsyncItemSearch", "AsyncSasSigner"]
__all__ += [
    "download_item",
    "download_item_collection",
    "download_collection",
    "download_asset",
    "FileNameStrategy",
    "ErrorStrategy",
    "OnError",
    "DownloadEvent",
    "DownloadStarted",
    "DownloadProgress",
    "DownloadFinished",
    "DownloadFailed",
    "DownloadFailure",
    "DownloadError",
    "DownloadWarning",
    "ContentTypeError",
    "TqdmProgress",
]


def patch_sdk() -> None:
    """Called when the package is imported; customizations that must run then go here."""
