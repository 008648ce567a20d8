# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Hand-written additions to the ``ingestion`` group (async)."""

from __future__ import annotations

from typing import List

from ._operations import IngestionOperations as _GeneratedIngestionOperations

__all__: List[str] = ["IngestionOperations"]


class IngestionOperations(_GeneratedIngestionOperations):
    """Ingestion operations, with the conveniences built on them."""
