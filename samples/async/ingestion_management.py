"""Ingestion, async: ``samples/ingestion_management.py`` with ``azure.planetarycomputer.aio``.

Registers ingestion sources (a SAS token with ``ensure_sas_source``, a managed identity), lists
the catalog's managed identities; creates an ingestion definition for a static STAC catalog, runs
it and waits for its operation; lists and cancels operations; adds items directly with
``ingest_items``. Deletes what it created at the end.

    python samples/async/ingestion_management.py [--output DIR]

Runs against a local emulator unless ``PLANETARYCOMPUTER_ENDPOINT`` is set; the environment
variables are those of ``samples/ingestion_management.py``.
"""

import asyncio
import json
import os
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for samples/_setup.py
from _setup import ENDPOINT, connect_async, output_folder, static_catalog_url, step

from azure.planetarycomputer import models
from azure.planetarycomputer.aio import PlanetaryComputerProClient

# On the emulator, a made-up container and token (it does not read them).
CONTAINER = os.environ.get("PLANETARYCOMPUTER_SOURCE_CONTAINER", "https://example.blob.core.windows.net/imagery")
SAS_TOKEN = os.environ.get("PLANETARYCOMPUTER_SOURCE_SAS", "sv=2024-11-04&se=2099-01-01T00%3A00%3A00Z&sr=c&sp=rl&sig=x")


async def sources(client: PlanetaryComputerProClient) -> None:
    step("Ingestion sources: how the catalog reads your storage")
    if ENDPOINT and "PLANETARYCOMPUTER_SOURCE_CONTAINER" not in os.environ:
        print("   skipped: set PLANETARYCOMPUTER_SOURCE_CONTAINER and PLANETARYCOMPUTER_SOURCE_SAS")
        return
    source = await client.ingestion.ensure_sas_source(CONTAINER, SAS_TOKEN)  # creates it, or keeps/renews it
    again = await client.ingestion.ensure_sas_source(CONTAINER, SAS_TOKEN)
    print(f"   SAS source {source.id} for {CONTAINER}; called again: same source {again.id == source.id}")
    print(f"   its token expires {source.connection_info.expiration} (the service never returns the token)")
    identities = [identity async for identity in client.ingestion.list_managed_identities()]  # a pager: not awaited
    print(f"   managed identities of the catalog: {[identity.object_id for identity in identities]}")
    if ENDPOINT:
        return  # a real catalog's sources are yours: keep them
    other = await client.ingestion.ensure_managed_identity_source(CONTAINER + "-2", identities[0].object_id)
    print(f"   sources: {sorted([listed['kind'] async for listed in client.ingestion.list_sources()])}")
    await asyncio.gather(client.ingestion.delete_source(source.id), client.ingestion.delete_source(other.id))
    print(f"   deleted both; {len([listed async for listed in client.ingestion.list_sources()])} left")


async def main() -> None:
    output = output_folder()
    async with connect_async() as client:
        ingestion = client.ingestion
        await sources(client)

        collection_id = f"ingestion-{uuid.uuid4().hex[:8]}"
        step(f"Collection {collection_id}, and an ingestion of {static_catalog_url()}")
        poller = await client.stac.begin_create_collection(
            {
                "type": "Collection",
                "stac_version": "1.0.0",
                "id": collection_id,
                "description": "Made by samples/async/ingestion_management.py, which deletes it at the end.",
                "license": "CC-BY-4.0",
                "links": [],
                "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]]}, "temporal": {"interval": [[None, None]]}},
            }
        )
        await poller.result()
        try:
            definition = await ingestion.create(
                collection_id,
                models.IngestionDefinition(
                    import_type="StaticCatalog",
                    display_name="Sample catalog",
                    source_catalog_url=static_catalog_url(),
                    skip_existing_items=True,  # a second run adds only new items
                ),
            )
            await ingestion.update(collection_id, definition.id, {"displayName": "Sample catalog (renamed)"})
            print(f"   ingestion {definition.id}: {(await ingestion.get(collection_id, definition.id)).display_name!r}")

            step("Run it and wait")
            run = await ingestion.create_run(collection_id, definition.id)
            summary = await ingestion.wait_for_operations([run.operation.id], timeout=1800)
            summary.raise_for_failures()  # one error naming every failed operation, if any
            counts = (await ingestion.get_run(collection_id, definition.id, run.id)).operation
            print(f"   {counts.total_successful_items} of {counts.total_items} items ingested")
            print(f"   runs: {[r.id async for r in ingestion.list_runs(collection_id, definition.id)]}")

            step("Operations: list, cancel")
            second = await ingestion.create_run(collection_id, definition.id)
            await ingestion.cancel_operation(second.operation.id)  # too late if it already finished
            operations = [operation async for operation in ingestion.list_operations(collection_id=collection_id)]
            for operation in operations:
                print(f"   {operation.id} {operation.type}: {operation['status']}")
            path = output / "operations.json"
            path.write_text(json.dumps([operation.as_dict() for operation in operations], indent=2), encoding="utf-8")

            step("Add items directly: ingest_items")
            copies = []
            async for item in client.stac.list_items(collection_id, max_items=2):
                copy = (await client.sas.sign(item)).as_dict()  # signed, so the service can read the assets
                copy["id"] = f"copy-of-{item.id}"
                copies.append(copy)
            result = await ingestion.ingest_items(collection_id, copies)  # waits, raises if an operation failed
            print(f"   ingested {len(copies)} items in {len(result.succeeded)} operation(s)")
            count = len([item async for item in client.stac.list_items(collection_id)])
            print(f"   the collection now has {count} items")

            step("Delete the ingestion definition (the items stay)")
            await (await ingestion.begin_delete(collection_id, definition.id)).result()
            print(f"   ingestions left: {len([d async for d in ingestion.list(collection_id)])}")
        finally:
            await (await client.stac.begin_delete_collection(collection_id)).result()
            print(f"\nDeleted collection {collection_id}")


if __name__ == "__main__":
    asyncio.run(main())
