"""Hand-written additions to this package: add names to __all__ and they are exported.

Other names for generated models, used by code of the 1.0.0b1 generation: the README of that
release (the project's seed README) builds a collection with ``StacExtent`` and
``StacExtensionTemporalExtent``, names no release of the official package defined. They are
the same classes as ``StacExtensionExtent`` and ``StacCollectionTemporalExtent``.
(Every model and enum name of 1.0.0b1 itself is generated under its own name.)
"""

from typing import List

from ._models import StacCollectionTemporalExtent, StacExtensionExtent

__all__: List[str] = ["StacExtent", "StacExtensionTemporalExtent"]

#: The seed README's name for :class:`StacExtensionExtent` (a collection's spatial and temporal extent).
StacExtent = StacExtensionExtent
#: The seed README's name for :class:`StacCollectionTemporalExtent` (``interval=[[start, end]]``).
StacExtensionTemporalExtent = StacCollectionTemporalExtent


def patch_sdk() -> None:
    """Called when the package is imported; customizations that must run then go here."""
