# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Hand-written additions to the ``stac`` group (async)."""

from __future__ import annotations

from typing import List

from ._operations import StacOperations as _GeneratedStacOperations

__all__: List[str] = ["StacOperations"]


class StacOperations(_GeneratedStacOperations):
    """Stac operations, with the conveniences built on them."""
