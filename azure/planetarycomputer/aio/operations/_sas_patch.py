# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Hand-written additions to the ``sas`` group (also ``shared_access_signature``) (async)."""

from __future__ import annotations

from typing import List

from ._operations import SasOperations as _GeneratedSasOperations

__all__: List[str] = ["SasOperations", "SharedAccessSignatureOperations"]


class SasOperations(_GeneratedSasOperations):
    """Sas operations, with the conveniences built on them."""


#: 1.0.0b1's class name for the group behind ``shared_access_signature`` (also ``sas``).
SharedAccessSignatureOperations = SasOperations
