"""Hand-written additions to this package: add names to __all__ and they are exported."""

from typing import TYPE_CHECKING, Any, Callable, Dict, List

from .._auth import AsyncStaticTokenCredential
from .._lazy import lazy_exports, lazy_getattr, show_lazy_names
from .._streams import AsyncResponseStream
from ._item_search import AsyncItemSearch
from ._sas_signer import AsyncSasSigner

__all__: List[str] = ["AsyncStaticTokenCredential", "AsyncResponseStream"]
__all__ += ["AsyncItemSearch", "AsyncSasSigner"]

#: Names loaded on first use (module path relative to this package): importing the package stays
#: fast for code that never downloads. Under TYPE_CHECKING they are plain imports, so type checkers
#: and IDEs see the real signatures.
LAZY_EXPORTS: Dict[str, str] = lazy_exports("._download")
__getattr__: Callable[[str], Any] = lazy_getattr(__name__.rpartition(".")[0], LAZY_EXPORTS)

if TYPE_CHECKING:
    from . import _download
    from ._download import *  # noqa: F403

    __all__ += _download.__all__


def patch_sdk() -> None:
    """Called when the package is imported; customizations that must run then go here."""
    show_lazy_names(__name__.rpartition(".")[0], LAZY_EXPORTS)
