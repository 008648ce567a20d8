"""Hand-written additions to this package: add names to __all__ and they are exported."""

import importlib
import sys
from typing import TYPE_CHECKING, Any, Dict, List

from ._auth import StaticTokenCredential
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

#: Names loaded on first use (module path relative to this package): importing the package stays
#: fast for code that never downloads. Under TYPE_CHECKING they are plain imports, so type checkers
#: and IDEs see the real signatures.
LAZY_EXPORTS: Dict[str, str] = {
    name: "._download"
    for name in (
        "ContentTypeError",
        "DownloadError",
        "DownloadEvent",
        "DownloadFailed",
        "DownloadFailure",
        "DownloadFinished",
        "DownloadProgress",
        "DownloadStarted",
        "DownloadWarning",
        "ErrorStrategy",
        "FileNameStrategy",
        "OnError",
        "TqdmProgress",
        "download_asset",
        "download_collection",
        "download_item",
        "download_item_collection",
    )
}

if TYPE_CHECKING:
    from ._download import (  # noqa: F401
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

    __all__ += [
        "ContentTypeError",
        "DownloadError",
        "DownloadEvent",
        "DownloadFailed",
        "DownloadFailure",
        "DownloadFinished",
        "DownloadProgress",
        "DownloadStarted",
        "DownloadWarning",
        "ErrorStrategy",
        "FileNameStrategy",
        "OnError",
        "TqdmProgress",
        "download_asset",
        "download_collection",
        "download_item",
        "download_item_collection",
    ]


def __getattr__(name: str) -> Any:
    module = LAZY_EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__package__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __package__), name)
    setattr(sys.modules[__package__], name, value)  # the package's own attribute from now on
    return value


def patch_sdk() -> None:
    """Called when the package is imported; customizations that must run then go here."""
