# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Hand-written additions to the operation groups (async), one module per group.

Each ``_<group>_patch.py`` subclasses the generated group class; ``operations/__init__.py`` imports
this module after the generated one, so the package (and the client, which imports its group
classes from the package) uses the subclasses.
"""

from typing import List

from ._compat import DataOperationsCompat
from ._ingestion_patch import IngestionOperations
from ._sas_patch import SasOperations, SharedAccessSignatureOperations
from ._stac_patch import StacOperations

__all__: List[str] = [
    "DataOperations",
    "IngestionOperations",
    "SasOperations",
    "SharedAccessSignatureOperations",
    "StacOperations",
]


class DataOperations(DataOperationsCompat):
    """Raster tiler operations, with the 1.0.0b1 method names (generated in ``_compat.py``)."""


def patch_sdk() -> None:
    """Called when the package is imported; customizations that must run then go here."""
