"""The public operation group classes: each generated group with its hand-written mixins.

``operations/_operations.py`` holds the generated group classes; the hand-written conveniences
(``item_search``, ``sas.sign``, ``ingest_items``, the compatibility methods ...) are classes that
subclass them, in modules of ``operations/`` (and ``aio/operations/``, same names). ``client.yaml``
lists them per group (``mixins: [_module.Class, ...]``); this module writes ``_groups.py``, whose
class of the group's public name derives from every mixin and then the generated class. The
package and the client import the group classes from there, so type checkers, IDEs and
``typing.get_type_hints`` see every method statically, sync and async alike.
"""

from __future__ import annotations

from typing import List

from .spec import Definition, Group
from .writer import docstring, header, paragraphs, wrap


def _public_class(group: Group, definition: Definition, async_: bool) -> str:
    ns = definition.config.namespace + (".aio" if async_ else "")
    bases = [*group.mixins, f"_operations.{group.class_name}"]
    doc = paragraphs(group.description or f"Operations of the {group.attribute} group.", "    ")
    doc.append("")
    doc.extend(
        wrap(
            f"Do not create this class yourself: use the ``{group.attribute}`` attribute of "
            f":class:`~{ns}.{definition.config.client}`.",
            "    ",
        )
    )
    return f"class {group.class_name}({', '.join(bases)}):\n" + docstring(doc, "    ")


def emit_groups(definition: Definition, async_: bool) -> str:
    groups = [g for g in definition.groups if g.operations]
    modules = sorted({mixin.split(".")[0] for g in groups for mixin in g.mixins} | {"_operations"})
    out: List[str] = [
        header(definition.source_files),
        '"""The operation groups of the client: each generated group (``_operations.py``) with the\n'
        'hand-written classes swagger/client.yaml lists for it (``mixins``), first in its bases."""\n\n',
        f"from . import {', '.join(modules)}\n\n",
        f"__all__ = [{', '.join(repr(g.class_name) for g in groups)}]\n",
    ]
    for group in groups:
        out.append("\n\n" + _public_class(group, definition, async_))
    return "".join(out)
