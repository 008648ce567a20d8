"""Ingestion: get data into a collection, and keep track of the work the service does.

Registers ingestion sources (a SAS token with ``ensure_sas_source``, a managed identity), lists
the catalog's managed identities; creates an ingestion definition for a static STAC catalog, runs
it and waits for its operation; lists and cancels operations; adds items directly with
``ingest_items``. Deletes what it created at the end.

    python samples/ingestion_management.py [--output DIR]

Runs against a local emulator unless ``PLANETARYCOMPUTER_ENDPOINT`` is set (see ``samples/_setup.py``);
then it ingests ``PLANETARYCOMPUTER_CATALOG_URL`` into a new collection ``ingestion-<random>``, and
registers a source only when ``PLANETARYCOMPUTER_SOURCE_CONTAINER`` (a blob container URL) and
``PLANETARYCOMPUTER_SOURCE_SAS`` (a read/list SAS token for it) are set; it keeps that source.
"""

import json
import os
import uuid

from _setup import ENDPOINT, connect, output_folder, static_catalog_url, step

from azure.planetarycomputer import PlanetaryComputerProClient, models

# On the emulator, a made-up container and token (it does not read them).
CONTAINER = os.environ.get("PLANETARYCOMPUTER_SOURCE_CONTAINER", "https://example.blob.core.windows.net/imagery")
SAS_TOKEN = os.environ.get("PLANETARYCOMPUTER_SOURCE_SAS", "sv=2024-11-04&se=2099-01-01T00%3A00%3A00Z&sr=c&sp=rl&sig=x")


def sources(client: PlanetaryComputerProClient) -> None:
    step("Ingestion sources: how the catalog reads your storage")
    if ENDPOINT and "PLANETARYCOMPUTER_SOURCE_CONTAINER" not in os.environ:
        print("   skipped: set PLANETARYCOMPUTER_SOURCE_CONTAINER and PLANETARYCOMPUTER_SOURCE_SAS")
        return
    source = client.ingestion.ensure_sas_source(CONTAINER, SAS_TOKEN)  # creates it, or keeps/renews it
    again = client.ingestion.ensure_sas_source(CONTAINER, SAS_TOKEN)
    print(f"   SAS source {source.id} for {CONTAINER}; called again: same source {again.id == source.id}")
    print(f"   its token expires {source.connection_info.expiration} (the service never returns the token)")
    identities = list(client.ingestion.list_managed_identities())
    print(f"   managed identities of the catalog: {[identity.object_id for identity in identities]}")
    if ENDPOINT:
        return  # a real catalog's sources are yours: keep them
    other = client.ingestion.ensure_managed_identity_source(CONTAINER + "-2", identities[0].object_id)
    print(f"   sources: {sorted(listed['kind'] for listed in client.ingestion.list_sources())}")
    client.ingestion.delete_source(source.id)
    client.ingestion.delete_source(other.id)
    print(f"   deleted both; {len(list(client.ingestion.list_sources()))} left")


def main() -> None:
    output = output_folder()
    with connect() as client:
        ingestion = client.ingestion
        sources(client)

        collection_id = f"ingestion-{uuid.uuid4().hex[:8]}"
        step(f"Collection {collection_id}, and an ingestion of {static_catalog_url()}")
        client.stac.begin_create_collection(
            {
                "type": "Collection",
                "stac_version": "1.0.0",
                "id": collection_id,
                "description": "Made by samples/ingestion_management.py, which deletes it at the end.",
                "license": "CC-BY-4.0",
                "links": [],
                "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]]}, "temporal": {"interval": [[None, None]]}},
            }
        ).result()
        try:
            definition = ingestion.create(
                collection_id,
                models.IngestionDefinition(
                    import_type="StaticCatalog",
                    display_name="Sample catalog",
                    source_catalog_url=static_catalog_url(),
                    skip_existing_items=True,  # a second run adds only new items
                ),
            )
            ingestion.update(collection_id, definition.id, {"displayName": "Sample catalog (renamed)"})
            print(f"   ingestion {definition.id}: {ingestion.get(collection_id, definition.id).display_name!r}")

            step("Run it and wait")
            run = ingestion.create_run(collection_id, definition.id)
            summary = ingestion.wait_for_operations([run.operation.id], timeout=1800)
            summary.raise_for_failures()  # one error naming every failed operation, if any
            counts = ingestion.get_run(collection_id, definition.id, run.id).operation
            print(f"   {counts.total_successful_items} of {counts.total_items} items ingested")
            print(f"   runs: {[r.id for r in ingestion.list_runs(collection_id, definition.id)]}")

            step("Operations: list, cancel")
            second = ingestion.create_run(collection_id, definition.id)
            ingestion.cancel_operation(second.operation.id)  # too late if it already finished
            operations = list(ingestion.list_operations(collection_id=collection_id))
            for operation in operations:
                print(f"   {operation.id} {operation.type}: {operation['status']}")
            path = output / "operations.json"
            path.write_text(json.dumps([operation.as_dict() for operation in operations], indent=2), encoding="utf-8")

            step("Add items directly: ingest_items")
            copies = []
            for item in client.stac.list_items(collection_id, max_items=2):
                copy = client.sas.sign(item).as_dict()  # signed, so the service can read the assets to copy
                copy["id"] = f"copy-of-{item.id}"
                copies.append(copy)
            result = ingestion.ingest_items(collection_id, copies)  # waits, raises if an operation failed
            print(f"   ingested {len(copies)} items in {len(result.succeeded)} operation(s)")
            print(f"   the collection now has {len(list(client.stac.list_items(collection_id)))} items")

            step("Delete the ingestion definition (the items stay)")
            ingestion.begin_delete(collection_id, definition.id).result()
            print(f"   ingestions left: {len(list(ingestion.list(collection_id)))}")
        finally:
            client.stac.begin_delete_collection(collection_id).result()
            print(f"\nDeleted collection {collection_id}")


if __name__ == "__main__":
    main()
