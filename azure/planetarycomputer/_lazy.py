# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Names a package loads on first use, so that importing it stays fast for code that never downloads."""

import importlib
import sys
from typing import Any, Callable, Dict, List, Mapping

__all__ = ["DOWNLOAD_NAMES", "lazy_exports", "lazy_getattr", "show_lazy_names"]

#: The public names of ``_download`` and ``aio/_download`` (each package exports its own module's).
DOWNLOAD_NAMES = (
    "ContentTypeError",
    "DecodedSizeError",
    "DownloadError",
    "DownloadEvent",
    "DownloadFailed",
    "DownloadFailure",
    "DownloadFinished",
    "DownloadProgress",
    "DownloadStarted",
    "DownloadTimeoutError",
    "DownloadWarning",
    "ErrorStrategy",
    "FileNameStrategy",
    "LocalHrefError",
    "OnError",
    "TqdmProgress",
    "download_asset",
    "download_collection",
    "download_item",
    "download_item_collection",
)


def lazy_exports(module: str) -> Dict[str, str]:
    """The download names, each loaded from ``module`` (relative to the package)."""
    return dict.fromkeys(DOWNLOAD_NAMES, module)


def lazy_getattr(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` (PEP 562) for ``package`` that imports ``exports[name]`` on first use."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        setattr(sys.modules[package], name, value)  # the package's own attribute from now on
        return value

    return __getattr__


def show_lazy_names(package: str, exports: Mapping[str, str]) -> None:
    """Give ``package`` a module ``__dir__`` (PEP 562) listing ``exports`` beside what is loaded:
    ``dir()``, IDEs and tab completion see the lazy names before their first use."""
    module = sys.modules[package]

    def __dir__() -> List[str]:
        return sorted(set(vars(module)) | set(exports))

    module.__dir__ = __dir__  # type: ignore[method-assign]
