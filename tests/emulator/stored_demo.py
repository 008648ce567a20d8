"""The emulator's demo data put straight into its store: a collection, items and their COGs as blobs.

Faster than an ingestion run, for tests that need real rasters behind asset hrefs (downloads,
datacubes). Asset hrefs are the emulator's blob URLs, which need a SAS token like Azure's.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List

from geocatalog_emulator.demo import DEMO_COLLECTION, make_demo
from geocatalog_emulator.server import Emulator


@dataclass
class StoredDemo:
    collection_id: str
    items: List[Dict[str, Any]]  # as stored, west to east, a day apart

    @property
    def ids(self) -> List[str]:
        return [item["id"] for item in self.items]


def store_demo(emulator: Emulator, folder: Path, prefix: str, items: int = 3) -> StoredDemo:
    """Write the demo (``items`` items) into the emulator's store under a new collection id."""
    app, endpoint = emulator.app, emulator.endpoint
    source = make_demo(folder, items=items).parent / DEMO_COLLECTION
    collection_id = f"{prefix}-{uuid.uuid4().hex[:8]}"
    collection = json.loads((source / "collection.json").read_text())
    collection.update(id=collection_id, links=[])
    app.store.put("collection", "", collection_id, collection)
    stored = []
    for path in sorted(source.glob("*/*.json")):
        item = json.loads(path.read_text())
        item.update(collection=collection_id, links=[])
        for asset in item["assets"].values():
            name = f"{item['id']}/{Path(asset['href']).name}"
            app.store.write_blob(collection_id, name, (path.parent / asset["href"]).read_bytes())
            asset["href"] = app.blob_url(endpoint, collection_id, name)
        app.store.put("item", collection_id, item["id"], item)
        stored.append(item)
    return StoredDemo(collection_id, stored)


def remove(emulator: Emulator, demo: StoredDemo) -> None:
    emulator.app.store.delete_children("item", demo.collection_id)
    emulator.app.store.delete("collection", "", demo.collection_id)
