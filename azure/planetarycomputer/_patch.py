"""Hand-written additions to this package: add names to __all__ and they are exported."""

from typing import List

from ._auth import StaticTokenCredential
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
from ._pystac import from_pystac, to_pystac
from ._search import ItemSearch
from ._signing import SasSigner
from ._streams import ResponseStream
from .operations._ingestion_patch import (
    IngestItemsResult,
    OperationsFailedError,
    OperationsSummary,
    OperationsTimeoutError,
)

__all__: List[str] = ["StaticTokenCredential", "ResponseStream"]
__all__ += ["to_pystac", "from_pystac"]
__all__ += ["ItemSearch", "SasSigner"]
__all__ += ["OperationsSummary", "IngestItemsResult", "OperationsFailedError", "OperationsTimeoutError"]
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
