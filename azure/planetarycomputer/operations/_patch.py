# --------------------------------------------------------------------------
# Copyright (c) the azure-planetarycomputer authors. Licensed under the MIT License.
# --------------------------------------------------------------------------
"""Hand-written additions to the operations package: add names to __all__ and they are exported.

The hand-written methods of each group are classes in ``_<group>_patch.py`` (and the
compatibility methods); ``swagger/client.yaml`` lists them as ``mixins`` of the group, and the
generated ``_groups.py`` composes the public group classes from them and the generated ones.
"""

from typing import List

from ._groups import SasOperations

__all__: List[str] = ["SharedAccessSignatureOperations"]

#: 1.0.0b1's class name for the group behind ``shared_access_signature`` (also ``sas``).
SharedAccessSignatureOperations = SasOperations


def patch_sdk() -> None:
    """Called when the package is imported; customizations that must run then go here."""
