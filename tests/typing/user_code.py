"""Users' code, for type checkers only: every public workflow method and model helper, sync and async.

``.ci/typecheck-user-code`` runs ``mypy --strict`` over this file against a regular install of the
package (a wheel in a fresh virtualenv): each call must type-check as written, and the
``assert_type`` lines pin the result types users see. Nothing here runs in the test suite.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Dict, List, MutableMapping, Optional

import pystac
from typing_extensions import assert_type

from azure.planetarycomputer import (
    DownloadEvent,
    DownloadFinished,
    FileNameStrategy,
    IngestItemsResult,
    ItemSearch,
    OnError,
    OperationsFailedError,
    OperationsSummary,
    OperationsTimeoutError,
    PlanetaryComputerProClient,
    SasSigner,
    StaticTokenCredential,
    TqdmProgress,
    aio,
    download_asset,
    download_collection,
    download_item,
    download_item_collection,
    from_pystac,
    models,
    to_pystac,
)
from azure.planetarycomputer.aio import AsyncItemSearch, AsyncSasSigner, AsyncStaticTokenCredential
from azure.planetarycomputer.operations import (
    IngestionOperations,
    SasOperations,
    SharedAccessSignatureOperations,
    StacOperations,
)

ENDPOINT = "https://contoso.abc.eastus.geocatalog.spatio.azure.com"
HREF = "https://account.blob.core.windows.net/container/item/B04.tif"


def on_event(event: DownloadEvent) -> None:
    if isinstance(event, DownloadFinished):
        print(event.path, event.size)


def search_and_page(client: PlanetaryComputerProClient) -> List[str]:
    assert_type(client.stac, StacOperations)
    search = client.stac.item_search(
        collections=["naip"],
        bounding_box=[-84.5, 33.6, -84.3, 33.7],
        datetime=(dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc), None),
        filter={"op": "<", "args": [{"property": "eo:cloud_cover"}, 10]},
        sort_by="-properties.datetime",
        page_size=100,
        max_items=500,
        sign="true",
    )
    assert_type(search, ItemSearch)
    ids = [item.id for item in search]
    for page in search.pages():
        assert_type(page, models.StacItemCollection)
    everything: models.StacItemCollection = search.item_collection()
    matched: Optional[int] = search.number_matched()
    print(len(everything.features), matched)
    listed = client.stac.list_items("naip", bounding_box=[-84.5, 33.6, -84.3, 33.7], page_size=10, max_items=20)
    ids += [item.id for item in listed.items()]
    return ids


def sign(client: PlanetaryComputerProClient, item: models.StacItem) -> str:
    assert_type(client.sas, SasOperations)
    assert_type(client.shared_access_signature, SasOperations)
    group: SharedAccessSignatureOperations = client.sas
    signed_item: models.StacItem = group.sign(item)
    same: models.StacItem = client.sas.sign_inplace(signed_item)
    text: str = client.sas.sign(HREF)
    href: str = client.sas.sign_href(HREF, collection_id="naip")
    signer: SasSigner = client.sas.signer
    mine = SasSigner(client.sas, duration_in_minutes=15, refresh_margin=dt.timedelta(minutes=1))
    token: str = mine.get_token("naip")
    dict_item: Dict[str, Any] = mine.sign({"type": "Feature", "assets": {}})
    mine.sign_inplace(same)
    mine.clear()
    client.sas.revoke_token(duration_in_minutes=10)
    print(signer.duration_in_minutes, token, dict_item, mine.sign_href(HREF))
    return text + href


def ingest(client: PlanetaryComputerProClient, items: List[models.StacItem]) -> None:
    assert_type(client.ingestion, IngestionOperations)
    result = client.ingestion.ingest_items(
        "naip", items, polling_interval=5, timeout=600, batch_size=50, progress=lambda s: print(len(s.pending))
    )
    assert_type(result, IngestItemsResult)
    print(result.collection_id, result.item_ids, len(result.succeeded), len(result.failed), len(result.canceled))
    started = client.ingestion.ingest_items("naip", items[0], wait=False)
    summary = client.ingestion.wait_for_operations(started.operations, polling_interval=5, max_concurrency=4)
    assert_type(summary, OperationsSummary)
    try:
        summary.raise_for_failures()
    except OperationsFailedError as error:
        print(error.summary.failed)
    except OperationsTimeoutError as error:
        print(error.summary.pending)
    operation: models.Operation = summary.operations[0]
    print(operation.status)
    source: models.IngestionSource = client.ingestion.ensure_sas_source(
        "https://account.blob.core.windows.net/container", "sv=...", min_remaining=dt.timedelta(hours=1)
    )
    identity: models.IngestionSource = client.ingestion.ensure_managed_identity_source(
        "https://account.blob.core.windows.net/container", "00000000-0000-0000-0000-000000000000"
    )
    print(source.id, identity.id)


def download(client: PlanetaryComputerProClient, item: models.StacItem, collection: models.StacCollection) -> None:
    local: models.StacItem = download_item(
        item,
        "downloads/item",
        signer=client,
        include=["image"],
        file_name_strategy=FileNameStrategy.KEY,
        on_error=OnError.COLLECT,
        max_concurrency=4,
        progress=on_event,
    )
    many: models.StacItemCollection = download_item_collection(
        client.stac.item_search(collections=["naip"], max_items=3), "downloads/items", progress=TqdmProgress()
    )
    coll: models.StacCollection = download_collection(collection, "downloads/collection", signer=client.sas.signer)
    path: Path = download_asset(HREF, "downloads/B04.tif", signer=client.sas, collection_id="naip")
    print(local.id, len(many.features), coll.id, path)


def models_and_pystac(item: models.StacItem) -> None:
    wire: MutableMapping[str, Any] = item.as_dict()
    again: models.StacItem = models.StacItem.deserialize(wire)
    from_dict: models.StacItem = models.StacItem.from_dict(wire)
    copied: models.StacItem = again.copy()
    print(item["id"], item.get("collection"), copied.serialize(), from_dict.bounding_box, item.properties)
    py_item = to_pystac(item)
    assert_type(py_item, pystac.Item)
    back = from_pystac(py_item)
    assert_type(back, models.StacItem)
    py_items = to_pystac(models.StacItemCollection(type="FeatureCollection", features=[item]))
    assert_type(py_items, pystac.ItemCollection)
    assert_type(from_pystac(py_items), models.StacItemCollection)
    extent = models.StacExtent(
        spatial=models.StacExtensionSpatialExtent(bounding_box=[[-180.0, -90.0, 180.0, 90.0]]),
        temporal=models.StacExtensionTemporalExtent(interval=[[dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)]]),
    )
    print(extent.as_dict())


def sync_main() -> None:
    with PlanetaryComputerProClient(ENDPOINT, StaticTokenCredential("token")) as client:
        item = client.stac.get_item("naip", "item-1")
        collection = client.stac.get_collection("naip")
        search_and_page(client)
        sign(client, item)
        ingest(client, [item])
        download(client, item, collection)
        models_and_pystac(item)


async def async_main() -> None:
    async with aio.PlanetaryComputerProClient(ENDPOINT, AsyncStaticTokenCredential("token")) as client:
        assert_type(client.stac, aio.operations.StacOperations)
        item = await client.stac.get_item("naip", "item-1")
        collection = await client.stac.get_collection("naip")

        search = client.stac.item_search(collections=["naip"], max_items=10, page_size=5)
        assert_type(search, AsyncItemSearch)
        ids = [found.id async for found in search]
        async for page in search.pages():
            assert_type(page, models.StacItemCollection)
        everything: models.StacItemCollection = await search.item_collection()
        matched: Optional[int] = await search.number_matched()
        listed = client.stac.list_items("naip", max_items=5)
        async for listed_item in listed.items():
            ids.append(listed_item.id)
        print(ids, everything, matched)

        signed: models.StacItem = await client.sas.sign(item)
        await client.sas.sign_inplace(signed)
        href: str = await client.sas.sign_href(HREF, "naip")
        signer: AsyncSasSigner = client.sas.signer
        mine = AsyncSasSigner(client.sas, duration_in_minutes=15)
        token: str = await mine.get_token("naip")
        print(href, signer, token, await mine.sign(HREF), await mine.sign_inplace(signed))
        await client.shared_access_signature.revoke_token()

        result = await client.ingestion.ingest_items("naip", [item], polling_interval=5, progress=print)
        assert_type(result, IngestItemsResult)
        summary = await client.ingestion.wait_for_operations([op.id for op in result.operations if op.id])
        assert_type(summary, OperationsSummary)
        source: models.IngestionSource = await client.ingestion.ensure_sas_source(
            "https://account.blob.core.windows.net/container", "sv=..."
        )
        identity: models.IngestionSource = await client.ingestion.ensure_managed_identity_source(
            "https://account.blob.core.windows.net/container", "00000000-0000-0000-0000-000000000000"
        )
        print(source, identity)

        local: models.StacItem = await aio.download_item(item, "downloads/item", signer=client, progress=on_event)
        many: models.StacItemCollection = await aio.download_item_collection(search, "downloads/items")
        coll: models.StacCollection = await aio.download_collection(collection, "downloads/collection")
        path: Path = await aio.download_asset(HREF, "downloads/B04.tif", signer=client.sas.signer)
        print(local, many, coll, path)
