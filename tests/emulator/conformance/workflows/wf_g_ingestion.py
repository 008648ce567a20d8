"""(g) Ingestion: SAS-token and managed-identity sources (create, get, list, replace, delete); an
ingestion definition and a run that crawls the demo static catalog, waited on through its operation.

python wf_g_ingestion.py <endpoint> <workdir>
"""

from __future__ import annotations

import time
import uuid

from _harness import Demo, Workflow, collection_body, ids, wire

from azure.planetarycomputer import models

CONTAINER = "https://conformance{}.blob.core.windows.net/{}"
SAS = "sv=2024-11-04&st=2025-01-01T00%3A00%3A00Z&se=2099-01-01T00%3A00%3A00Z&sr=c&sp=rl&sig=c2lnbmF0dXJl"


def main(wf: Workflow) -> None:
    stac, ingestion = wf.client.stac, wf.client.ingestion
    demo = Demo(wf.workdir)

    # -- a SAS-token source --------------------------------------------------------------------
    sas_id = str(uuid.uuid4())
    sas_container = CONTAINER.format(wf.suffix, "sas")
    created = ingestion.create_source(
        models.SharedAccessSignatureTokenIngestionSource(
            id=sas_id,
            connection_info=models.SharedAccessSignatureTokenConnection(
                container_uri=sas_container, shared_access_signature_token=SAS
            ),
        )
    )
    wf.cleanups.append(lambda: ingestion.delete_source(sas_id))
    wf.check(isinstance(created, models.SharedAccessSignatureTokenIngestionSource), "create SAS source: its model")
    wf.equal((created.id, created.kind), (sas_id, "SasToken"), "create SAS source: id and kind")
    wf.equal(created.connection_info.container_uri, sas_container, "create SAS source: container")
    wf.check(
        not created.connection_info.get("sasToken") and SAS not in str(created.as_dict()),
        "create SAS source: the token is not echoed back",
    )
    got = ingestion.get_source(sas_id)
    wf.equal(got.kind, "SasToken", "get SAS source: kind")
    wf.equal(got.connection_info.container_uri, sas_container, "get SAS source: container")
    wf.check(got.connection_info.get("expiration"), "get SAS source: an expiration")

    # -- a managed-identity source -------------------------------------------------------------
    identities = list(ingestion.list_managed_identities())
    wf.check(len(identities) >= 1, "list managed identities: at least one")
    object_id = identities[0].object_id
    mi_id = str(uuid.uuid4())
    mi_container = CONTAINER.format(wf.suffix, "mi")
    created = ingestion.create_source(
        models.ManagedIdentityIngestionSource(
            id=mi_id, connection_info=models.ManagedIdentityConnection(container_uri=mi_container, object_id=object_id)
        )
    )
    wf.cleanups.append(lambda: ingestion.delete_source(mi_id))
    wf.check(isinstance(created, models.ManagedIdentityIngestionSource), "create managed-identity source: its model")
    wf.equal(created.kind, "BlobManagedIdentity", "create managed-identity source: kind")
    got = ingestion.get_source(mi_id)
    wf.equal(
        (got.connection_info.container_uri, got.connection_info.object_id),
        (mi_container, object_id),
        "get managed-identity source: container and identity",
    )

    listed = {source.id: source for source in ingestion.list_sources()}
    wf.check({sas_id, mi_id} <= set(listed), "list sources: both")
    wf.equal(listed[sas_id].kind, "SasToken", "list sources: SAS kind")
    wf.equal(listed[mi_id].kind, "BlobManagedIdentity", "list sources: managed-identity kind")
    first_page = list(ingestion.list_sources(top=1).by_page())
    wf.check(len(first_page) >= 2, "list sources one at a time: several pages")

    # replace: a new token for the SAS source, a new container for the managed-identity one
    new_sas = SAS.replace("2099-01-01", "2098-06-30")
    replaced = ingestion.replace_source(
        sas_id,
        {"id": sas_id, "kind": "SasToken", "connectionInfo": {"containerUrl": sas_container, "sasToken": new_sas}},
    )
    wf.equal(replaced.id, sas_id, "replace SAS source")
    wf.check(
        "2098-06-30" in str(ingestion.get_source(sas_id).connection_info.get("expiration")),
        "replace SAS source: new expiration",
    )
    mi_container2 = CONTAINER.format(wf.suffix, "mi2")
    ingestion.replace_source(
        mi_id,
        models.ManagedIdentityIngestionSource(
            id=mi_id, connection_info=models.ManagedIdentityConnection(container_uri=mi_container2, object_id=object_id)
        ),
    )
    wf.equal(
        ingestion.get_source(mi_id).connection_info.container_uri, mi_container2, "replace managed-identity source"
    )

    ingestion.delete_source(sas_id)
    ingestion.delete_source(mi_id)
    wf.cleanups.clear()
    wf.not_found(lambda: ingestion.get_source(sas_id), "get deleted SAS source: 404")
    wf.not_found(lambda: ingestion.get_source(mi_id), "get deleted managed-identity source: 404")
    wf.check(not {sas_id, mi_id} & {s.id for s in ingestion.list_sources()}, "list sources: both gone")

    # -- an ingestion definition and a run over the demo static catalog ----------------------------
    cid = wf.uid("wf-g-ingest")
    wf.info["collection"] = cid
    wf.wait(
        stac.begin_create_collection(
            collection_body(cid, "Ingest", [-180, -90, 180, 90], ["2000-01-01T00:00:00Z", None])
        ),
        "create collection",
    )
    wf.cleanups.append(lambda: stac.begin_delete_collection(cid).result(timeout=30))

    definition = ingestion.create(
        cid,
        models.IngestionDefinition(
            import_type="StaticCatalog",
            display_name="Demo catalog",
            source_catalog_url=demo.catalog_url,
            skip_existing_items=True,
            keep_original_assets=False,
        ),
    )
    ing_id = definition.id
    wf.check(bool(ing_id), "create ingestion: an id")
    wf.equal(definition.source_catalog_url, demo.catalog_url, "create ingestion: source catalog")
    wf.equal(ingestion.get(cid, ing_id).display_name, "Demo catalog", "get ingestion: display name")
    wf.check(ing_id in [d.id for d in ingestion.list(cid)], "list ingestions: the new one")
    updated = ingestion.update(cid, ing_id, {"displayName": "Demo catalog (renamed)"})
    wf.equal(updated.display_name, "Demo catalog (renamed)", "update ingestion: display name")
    wf.equal(ingestion.get(cid, ing_id).skip_existing_items, True, "update ingestion: other fields kept")

    run = ingestion.create_run(cid, ing_id)
    wf.check(bool(run.id) and bool(run.operation.id), "create run: run and operation ids")
    op_id = run.operation.id
    deadline = time.monotonic() + 60
    operation = ingestion.get_operation(op_id)
    while wire(operation.status) not in ("Succeeded", "Failed", "Canceled") and time.monotonic() < deadline:
        time.sleep(0.05)
        operation = ingestion.get_operation(op_id)
    wf.equal(
        wire(operation.status),
        "Succeeded",
        "run operation: succeeded",
    )
    wf.equal(operation.collection_id, cid, "run operation: collection")
    statuses = [wire(h.status) for h in operation.status_history]
    wf.equal(statuses[0], "Pending", "run operation: history starts Pending")
    # The service ends a succeeded operation's history with "Finished" (not an OperationStatus value).
    wf.equal(statuses[-1], "Finished", "run operation: history ends Finished")

    finished = ingestion.get_run(cid, ing_id, run.id)
    expected = sorted(item["id"] for item in demo.items)
    wf.equal(wire(finished.operation.status), "Succeeded", "get run: succeeded")
    wf.equal(finished.operation.total_items, len(expected), "get run: total items")
    wf.equal(finished.operation.total_successful_items, len(expected), "get run: successful items")
    wf.equal(finished.operation.total_failed_items, 0, "get run: no failed items")
    wf.check(run.id in [r.id for r in ingestion.list_runs(cid, ing_id)], "list runs: the run")
    wf.check(op_id in [o.id for o in ingestion.list_operations(collection_id=cid)], "list operations of the collection")

    page = stac.get_item_collection(cid, limit=100)
    wf.equal(ids(page.features), expected, "items ingested: every demo item")
    href = next(iter(stac.get_item(cid, expected[0]).assets.values())).href
    wf.check(href.startswith(wf.endpoint) or "/blobs/" in href, "ingested asset: copied to managed storage", href)

    # a second run skips the existing items
    run2 = ingestion.create_run(cid, ing_id)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        again = ingestion.get_run(cid, ing_id, run2.id)
        if wire(again.operation.status) in ("Succeeded", "Failed", "Canceled"):
            break
        time.sleep(0.05)
    wf.equal(wire(again.operation.status), "Succeeded", "second run: succeeded")
    wf.equal(ids(stac.get_item_collection(cid, limit=100).features), expected, "second run: no duplicates")

    wf.wait(ingestion.begin_delete(cid, ing_id), "delete ingestion")
    wf.not_found(lambda: ingestion.get(cid, ing_id), "get deleted ingestion: 404")
    wf.wait(stac.begin_delete_collection(cid), "delete collection")
    wf.cleanups.clear()
    wf.not_found(lambda: stac.get_collection(cid), "get deleted collection: 404")


if __name__ == "__main__":
    Workflow("wf_g_ingestion").run(main)
